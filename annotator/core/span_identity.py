"""When two spans are the same span: no edit makes an exact copy of a span.

Two spans of one document are *identical* when they have the same **annotator, layer, label
and fragments** (the same list of ``[start, end)`` pairs: a continuous span is not identical to
a discontinuous one with the same outer ends). Attributes, note, timestamps and relations are
not part of a span's identity. The annotator is: a project may hold several coders' spans side
by side (``collect``, imports onto shared documents), and two coders marking the same words with
the same label is agreement, not a copy.

The edits of :class:`annotator.core.project.Project` keep to the rule: a single edit
(``add_span``, ``update_span``, ``restore_span``) raises
:class:`~annotator.core.errors.IdenticalSpanError` naming the span already there;
``add_spans`` leaves such spans out; ``rename_labels`` merges the spans it makes identical
(:func:`merge_made_identical`). A project may still hold identical spans written before the
rule (or by an import, which does not apply it yet); edits leave those as they are.

Every function takes the caller's session and runs inside its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from annotator.core.errors import IdenticalSpanError
from annotator.core.model import Fragments, Span
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import DocumentRow, RelationRow, SpanRow

SpanKey = tuple[str, str, str, Fragments]  # annotator, layer, label, fragments
_CHUNK = 10_000  # SQLite caps bound parameters


def key_of(span: Span) -> SpanKey:
    return (span.annotator, span.layer, span.label, span.fragments)


def _fragments(start: object, end: object, raw: object) -> Fragments | None:
    """The stored fragments, or None when the row is damaged (such a row is never "the same"
    as anything: ``annotator check`` reports it)."""
    try:
        return decode.fragments(start, end, raw)
    except decode.DamagedValue:
        return None


def find_identical(s: Session, document: int, key: SpanKey, *, exclude: int | None = None
                   ) -> int | None:
    """The key of a span of ``document`` (other than ``exclude``) identical to ``key``."""
    annotator, layer, label, frags = key
    q = select(SpanRow.id, SpanRow.start, SpanRow.end, SpanRow.fragments).where(
        SpanRow.document_id == document, SpanRow.start == frags[0][0],
        SpanRow.end == frags[-1][1], SpanRow.layer == layer, SpanRow.label == label,
        SpanRow.annotator == annotator)
    for pk, start, end, raw in s.execute(q):
        if pk != exclude and _fragments(start, end, raw) == frags:
            return int(pk)
    return None


def keys_in_document(s: Session, document: int, annotator: str) -> dict[SpanKey, int]:
    """Every span of ``annotator`` in ``document`` by its identity (the first key of each)."""
    q = (select(SpanRow.id, SpanRow.layer, SpanRow.label, SpanRow.start, SpanRow.end,
                SpanRow.fragments)
         .where(SpanRow.document_id == document, SpanRow.annotator == annotator)
         .order_by(SpanRow.id))
    found: dict[SpanKey, int] = {}
    for pk, layer, label, start, end, raw in s.execute(q):
        frags = _fragments(start, end, raw)
        if frags is not None:
            found.setdefault((annotator, layer, label, frags), pk)
    return found


def describe(frags: Fragments) -> str:
    return " + ".join(f"[{a}, {b})" for a, b in frags)


def where_of(s: Session, document: int) -> str:
    """How messages name ``document``."""
    name = s.scalar(select(DocumentRow.name).where(DocumentRow.id == document))
    return decode.document_where(document, name)


def refusal(s: Session, path: Path, document: int, key: SpanKey, existing: int
            ) -> IdenticalSpanError:
    """The error for an edit that would copy span ``existing`` exactly."""
    annotator, layer, label, frags = key
    return IdenticalSpanError(
        f"{where_of(s, document)}: span {existing} is already {layer}:{label} at "
        f"{describe(frags)} by annotator {annotator!r}; an exact duplicate is not made, "
        "nothing was changed", existing=existing, path=path)


def check_new(s: Session, path: Path, document: int, key: SpanKey, *,
              exclude: int | None = None) -> None:
    """Raise :class:`IdenticalSpanError` when a span like ``key`` is already in ``document``."""
    existing = find_identical(s, document, key, exclude=exclude)
    if existing is not None:
        raise refusal(s, path, document, key, existing)


# ---------------------------------------------------------------------------- renames
def merge_made_identical(s: Session, path: Path, origin: Mapping[int, tuple[str, str]],
                         targets: Iterable[tuple[str, str]], stamp: str) -> int:
    """After a rename moved the spans of ``origin`` (span key -> its (layer, label) before),
    merge each group of spans it made identical into one; returns how many spans were removed.

    A group is merged when its spans came from more than one label (identical spans of one
    label were so before the rename, and stay). The span kept is the one with the most
    relations, then with attributes, then with a note, then the oldest; it takes the others'
    attributes (the same attribute with different values refuses the rename) and notes (joined
    by a new line), and their relations are re-pointed to it. A relation that would join the
    kept span to itself, or repeat another exactly, is dropped.
    """
    wanted = list(dict.fromkeys(targets))
    q = (select(SpanRow.id, SpanRow.document_id, SpanRow.annotator, SpanRow.layer,
                SpanRow.label, SpanRow.start, SpanRow.end, SpanRow.fragments,
                SpanRow.attributes, SpanRow.note)
         .where(or_(*(and_(SpanRow.layer == a, SpanRow.label == b) for a, b in wanted)))
         .order_by(SpanRow.id))
    groups: dict[tuple[int, SpanKey], list[tuple[Any, ...]]] = {}
    for row in s.execute(q):
        frags = _fragments(row[5], row[6], row[7])
        if frags is not None:
            groups.setdefault((row[1], (row[2], row[3], row[4], frags)), []).append(tuple(row))
    merging = [(doc, key, members) for (doc, key), members in groups.items()
               if len({origin.get(m[0], (m[3], m[4])) for m in members}) > 1]
    if not merging:
        return 0
    links = _relation_counts(s, [m[0] for _, _, members in merging for m in members])
    kept_for: dict[int, int] = {}  # removed span -> the span kept in its place
    for doc, key, members in merging:
        keeper, attributes, note = _merged(s, path, doc, key, members, links)
        s.execute(update(SpanRow).where(SpanRow.id == keeper)
                  .values(attributes=_dumps(attributes), note=note, modified=stamp))
        kept_for.update((m[0], keeper) for m in members if m[0] != keeper)
    _repoint_relations(s, kept_for)
    removed = list(kept_for)
    for i in range(0, len(removed), _CHUNK):
        s.execute(delete(SpanRow).where(SpanRow.id.in_(removed[i:i + _CHUNK])))
    return len(removed)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def _relation_counts(s: Session, pks: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for i in range(0, len(pks), _CHUNK):
        chunk = pks[i:i + _CHUNK]
        for src, tgt in s.execute(select(RelationRow.source_id, RelationRow.target_id).where(
                RelationRow.source_id.in_(chunk) | RelationRow.target_id.in_(chunk))):
            for end in {src, tgt}:
                counts[end] = counts.get(end, 0) + 1
    return counts


def _merged(s: Session, path: Path, document: int, key: SpanKey, members: list[tuple[Any, ...]],
            links: Mapping[int, int]) -> tuple[int, dict[str, Any], str]:
    """(the span kept, the merged attributes, the merged note) of one group of spans."""
    decoded = []
    for m in members:
        try:
            attrs = decode.json_object(m[8], "attributes")
            note = decode.text(m[9], "note")
        except decode.DamagedValue as exc:
            raise decode.damaged(path, f"{where_of(s, document)}, span {m[0]}", exc) from None
        decoded.append((m[0], attrs, note))
    decoded.sort(key=lambda d: (-links.get(d[0], 0), not d[1], not d[2], d[0]))
    keeper = decoded[0][0]
    attributes: dict[str, Any] = {}
    notes: list[str] = []
    for pk, attrs, note in decoded:
        for name, value in attrs.items():
            if name in attributes and attributes[name] != value:
                _, layer, label, frags = key
                raise IdenticalSpanError(
                    f"{where_of(s, document)}: the rename makes spans {keeper} and {pk} "
                    f"identical ({layer}:{label} at {describe(frags)}), but their attribute "
                    f"{name!r} differs ({_dumps(attributes[name])} and {_dumps(value)}); "
                    "nothing was renamed", existing=keeper, path=path)
            attributes.setdefault(name, value)
        if note and note not in notes:
            notes.append(note)
    return keeper, attributes, "\n".join(notes)


def _repoint_relations(s: Session, kept_for: Mapping[int, int]) -> None:
    """Relations of removed spans now join their kept spans; none joins a span to itself, and
    a re-pointed one that repeats another exactly (type, ends, attributes) is dropped."""
    removed = list(kept_for)
    touched: list[tuple[Any, ...]] = []
    for i in range(0, len(removed), _CHUNK):
        chunk = removed[i:i + _CHUNK]
        touched += [tuple(r) for r in s.execute(
            select(RelationRow.id, RelationRow.source_id, RelationRow.target_id)
            .where(RelationRow.source_id.in_(chunk) | RelationRow.target_id.in_(chunk)))]
    dropped: set[int] = set()
    repointed: set[int] = set()
    for pk, src, tgt in touched:
        src, tgt = kept_for.get(src, src), kept_for.get(tgt, tgt)
        if src == tgt:
            dropped.add(pk)
        else:
            repointed.add(pk)
            s.execute(update(RelationRow).where(RelationRow.id == pk)
                      .values(source_id=src, target_id=tgt))
    if not repointed:
        _delete_relations(s, dropped)
        return
    kept = sorted(set(kept_for.values()))
    near: dict[int, tuple[Any, ...]] = {}  # every relation of a kept span: its signature
    for i in range(0, len(kept), _CHUNK):
        chunk = kept[i:i + _CHUNK]
        for r in s.execute(select(RelationRow.id, RelationRow.type, RelationRow.source_id,
                                  RelationRow.target_id, RelationRow.attributes)
                           .where(RelationRow.source_id.in_(chunk)
                                  | RelationRow.target_id.in_(chunk))):
            if r[0] not in dropped:
                near[r[0]] = tuple(r[1:])
    seen = {sig for pk, sig in near.items() if pk not in repointed}
    for pk in sorted(repointed):
        if near[pk] in seen:
            dropped.add(pk)
        seen.add(near[pk])
    _delete_relations(s, dropped)


def _delete_relations(s: Session, pks: Iterable[int]) -> None:
    chunked = sorted(pks)
    for i in range(0, len(chunked), _CHUNK):
        s.execute(delete(RelationRow).where(RelationRow.id.in_(chunked[i:i + _CHUNK])))
