"""Span and relation edits of a project: the part of the :class:`Project` facade that changes
annotations. Every method is one transaction, committed before it returns.

:class:`AnnotationEdits` is a mixin: it relies on the facade's sessions (``_read``, ``_write``),
``annotator``, ``tagset``/``set_tagset`` and ``path``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, cast

from sqlalchemy import CursorResult, Result, delete, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from annotator.core import span_identity as identity
from annotator.core.doc_level import check_scope
from annotator.core.errors import AnnotatorError
from annotator.core.model import Attributes, Fragments, Relation, Span, check_fragments
from annotator.core.storage import postgres as pg
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import DocumentRow, MetaRow, RelationRow, SpanRow
from annotator.core.storage.tagset_store import save_tagset
from annotator.core.tagset import NAME_MAX, Tagset, checked_name

# a span to add: layer, label, fragments, attributes
NewSpan = tuple[str, str, Fragments, Attributes | None]
_SPAN_FIELDS = ("id", "document_id", "layer", "label", "start", "end", "fragments",
                "attributes", "note", "annotator", "created", "modified")


class _SpanValues(TypedDict):
    """The column values of one new ``span`` row (the columns of ``_SPAN_FIELDS``)."""

    id: int
    document_id: int
    layer: str
    label: str
    start: int
    end: int
    fragments: str | None
    attributes: str
    note: str
    annotator: str
    created: str
    modified: str


@dataclass(frozen=True)
class Relabelled:
    """What :meth:`AnnotationEdits.rename_labels` did: ``moved`` spans took a new label, and
    ``merged`` of them were then merged into a span they had become identical to."""

    moved: int = 0
    merged: int = 0


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _frag_json(fragments: Fragments) -> str | None:
    return json.dumps([list(f) for f in fragments]) if len(fragments) > 1 else None


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def _rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE/DELETE matched. ``Session.execute`` is typed as returning a plain
    ``Result``, but for DML statements it is a ``CursorResult``, which has ``rowcount``."""
    return cast("CursorResult[Any]", result).rowcount or 0


class AnnotationEdits:
    """Spans and relations: read, add, change, delete, restore (for undo), rename labels."""

    if TYPE_CHECKING:
        path: Path
        _tagset: Tagset | None

        def _read(self) -> AbstractContextManager[Session]: ...
        def _write(self) -> AbstractContextManager[Session]: ...
        @property
        def annotator(self) -> str: ...
        @property
        def tagset(self) -> Tagset: ...
        def set_tagset(self, tagset: Tagset) -> None: ...

    # ----------------------------------------------------------------- spans
    def spans(self, document: int) -> list[Span]:
        """All spans of a document, ordered by start, end, layer, label."""
        cols = [SpanRow.__table__.c[name] for name in _SPAN_FIELDS]
        q = (select(*cols).where(SpanRow.document_id == document)
             .order_by(SpanRow.start, SpanRow.end, SpanRow.layer, SpanRow.label, SpanRow.id))
        with self._read() as s:  # Core rows: a document may hold tens of thousands of spans
            found = s.connection().execute(q).all()  # one fetchall: no GIL ping-pong per row
            name, length = self._document_name_length(s, document)
        return [self._decoded_span(r, name, length) for r in found]

    def span(self, pk: int) -> Span:
        with self._read() as s:
            row = s.get(SpanRow, pk)
            if row is None:
                raise AnnotatorError(f"no span {pk}", path=self.path)
            found = tuple(getattr(row, name) for name in _SPAN_FIELDS)
            name, length = self._document_name_length(s, row.document_id)
        return self._decoded_span(found, name, length)

    def identical_span(self, span: Span) -> int | None:
        """The key of another span of ``span.document`` identical to ``span`` (same annotator,
        layer, label and fragments), or None."""
        with self._read() as s:
            return identity.find_identical(s, span.document, identity.key_of(span),
                                           exclude=span.pk)

    def _document_name_length(self, s: Session, document: int) -> tuple[str, int | None]:
        """How messages name the document, and its length when that is sound."""
        row = s.execute(select(DocumentRow.name, DocumentRow.length)
                        .where(DocumentRow.id == document)).first()
        if row is None:
            return f"document {document}", None
        return decode.document_where(document, row[0]), row[1] if type(row[1]) is int else None

    def _decoded_span(self, row: Sequence[Any], where: str, length: int | None) -> Span:
        try:
            return decode.span(row, length)
        except decode.DamagedValue as exc:
            raise decode.damaged(self.path, f"{where}, span {row[0]}", exc) from None

    def _check_span(self, s: Session, document: int, fragments: Fragments) -> None:
        length = s.scalar(select(DocumentRow.length).where(DocumentRow.id == document))
        if length is None:
            raise AnnotatorError(f"no document {document}", path=self.path)
        problem = check_fragments(fragments, length)
        if problem:
            raise AnnotatorError(problem, path=self.path)

    def add_span(self, document: int, layer: str, label: str, fragments: Fragments, *,
                 attributes: Attributes | None = None, note: str = "",
                 annotator: str | None = None, pk: int | None = None) -> Span:
        """Add a span (and the label to the tagset if it is new). ``pk`` re-creates a deleted
        span under its old key (undo). A span identical to one already in the document (same
        annotator, layer, label, fragments) raises :class:`IdenticalSpanError`."""
        fragments = tuple((int(a), int(b)) for a, b in fragments)
        check_scope(self.tagset, layer, document_level=False, path=self.path)
        self._check_names(layer, label)
        stamp = now_iso()
        annotator = self.annotator if annotator is None else annotator
        with self._write() as s:
            self._check_span(s, document, fragments)
            identity.check_new(s, self.path, document, (annotator, layer, label, fragments))
            row = SpanRow(document_id=document, layer=layer, label=label,
                          start=fragments[0][0], end=fragments[-1][1],
                          fragments=_frag_json(fragments), attributes=_dumps(attributes or {}),
                          note=note, annotator=annotator, created=stamp, modified=stamp)
            if pk is not None:
                row.id = pk
            s.add(row)
            s.flush()
            self._touch(s, document)
            span = _span(row)
        self._ensure_labels([(layer, label)], [])
        return span

    def update_span(self, pk: int, *, layer: str | None = None, label: str | None = None,
                    fragments: Fragments | None = None, attributes: Attributes | None = None,
                    note: str | None = None, allow_identical: bool = False
                    ) -> tuple[Span, Span]:
        """Change a span; returns (before, after). A change of layer, label or fragments that
        makes it identical to another span of the document raises :class:`IdenticalSpanError`;
        ``allow_identical`` is for undo putting back a state that had such a pair already."""
        if layer is not None:
            check_scope(self.tagset, layer, document_level=False, path=self.path)
        self._check_names(layer or "", label or "")
        with self._write() as s:
            row = s.get(SpanRow, pk)
            if row is None:
                raise AnnotatorError(f"no span {pk}", path=self.path)
            before = _span(row)
            if fragments is not None:
                fragments = tuple((int(a), int(b)) for a, b in fragments)
                self._check_span(s, row.document_id, fragments)
                row.start, row.end = fragments[0][0], fragments[-1][1]
                row.fragments = _frag_json(fragments)
            if layer is not None:
                row.layer = layer
            if label is not None:
                row.label = label
            if attributes is not None:
                row.attributes = _dumps(attributes)
            if note is not None:
                row.note = note
            key = (row.annotator, row.layer, row.label,
                   before.fragments if fragments is None else fragments)
            if not allow_identical and key != identity.key_of(before):
                identity.check_new(s, self.path, row.document_id, key, exclude=pk)
            row.modified = now_iso()
            s.flush()
            after = _span(row)
            self._touch(s, row.document_id)
        if layer is not None or label is not None:
            self._ensure_labels([(after.layer, after.label)], [])
        return before, after

    def delete_span(self, pk: int) -> tuple[Span, list[Relation]]:
        """Delete a span and the relations touching it; returns them (for undo)."""
        with self._write() as s:
            row = s.get(SpanRow, pk)
            if row is None:
                raise AnnotatorError(f"no span {pk}", path=self.path)
            span = _span(row)
            rels = [_relation(r) for r in s.scalars(select(RelationRow).where(
                (RelationRow.source_id == pk) | (RelationRow.target_id == pk)))]
            s.execute(delete(RelationRow).where(RelationRow.id.in_([r.pk for r in rels])))
            s.delete(row)
            self._touch(s, span.document)
        return span, rels

    def restore_span(self, span: Span, relations: Iterable[Relation] = (), *,
                     allow_identical: bool = False) -> None:
        """Put back a deleted span (same key, same timestamps) and its relations. If a span
        identical to it is in the document now, :class:`IdenticalSpanError`, unless
        ``allow_identical`` (undo of a deletion that left such a span)."""
        with self._write() as s:
            self._check_span(s, span.document, span.fragments)
            if not allow_identical:
                identity.check_new(s, self.path, span.document, identity.key_of(span))
            s.add(SpanRow(id=span.pk, document_id=span.document, layer=span.layer,
                          label=span.label, start=span.start, end=span.end,
                          fragments=_frag_json(span.fragments), attributes=_dumps(span.attributes),
                          note=span.note, annotator=span.annotator, created=span.created,
                          modified=span.modified))
            s.flush()
            for r in relations:
                s.add(RelationRow(id=r.pk, document_id=r.document, type=r.type,
                                  source_id=r.source, target_id=r.target,
                                  attributes=_dumps(r.attributes), annotator=self.annotator,
                                  created=now_iso()))
            self._touch(s, span.document)

    # ----------------------------------------------------------------- relations
    def relations(self, document: int) -> list[Relation]:
        """The document's relations; one whose ends are missing, in another document or the
        same span raises :class:`DamagedProjectError` naming it."""
        src, tgt = aliased(SpanRow), aliased(SpanRow)
        q = (select(*(RelationRow.__table__.c[c] for c in decode.RELATION_COLUMNS),
                    src.document_id, tgt.document_id)
             .outerjoin(src, src.id == RelationRow.source_id)
             .outerjoin(tgt, tgt.id == RelationRow.target_id)
             .where(RelationRow.document_id == document).order_by(RelationRow.id))
        with self._read() as s:
            found = s.connection().execute(q).all()
            where = self._document_name_length(s, document)[0] if found else ""
        out = []
        for r in found:
            try:
                rel = decode.relation(r[:6])
                ends = {k: d for k, d in ((r[3], r[6]), (r[4], r[7])) if d is not None}
                problem = decode.relation_ends(r[3], r[4], document, ends, self_links=False)
                if problem:
                    raise decode.DamagedValue(problem)
            except decode.DamagedValue as exc:
                raise decode.damaged(self.path, f"{where}, relation {r[0]}", exc) from None
            out.append(rel)
        return out

    def add_relation(self, type: str, source: int, target: int, *,
                     attributes: Attributes | None = None, pk: int | None = None) -> Relation:
        if source == target:
            raise AnnotatorError("a relation needs two different spans")
        self._check_names(type)
        with self._write() as s:
            a, b = s.get(SpanRow, source), s.get(SpanRow, target)
            if a is None or b is None:
                raise AnnotatorError("a relation's ends must both exist", path=self.path)
            if a.document_id != b.document_id:
                raise AnnotatorError("a relation's ends must be in the same document")
            row = RelationRow(document_id=a.document_id, type=type, source_id=source,
                              target_id=target, attributes=_dumps(attributes or {}),
                              annotator=self.annotator, created=now_iso())
            if pk is not None:
                row.id = pk
            s.add(row)
            s.flush()
            rel = _relation(row)
            self._touch(s, a.document_id)
        self._ensure_labels([], [type])
        return rel

    def delete_relation(self, pk: int) -> Relation:
        with self._write() as s:
            row = s.get(RelationRow, pk)
            if row is None:
                raise AnnotatorError(f"no relation {pk}", path=self.path)
            rel = _relation(row)
            s.delete(row)
        return rel

    def update_relation(self, pk: int, *, type: str | None = None,
                        attributes: Attributes | None = None) -> tuple[Relation, Relation]:
        self._check_names(type or "")
        with self._write() as s:
            row = s.get(RelationRow, pk)
            if row is None:
                raise AnnotatorError(f"no relation {pk}", path=self.path)
            before = _relation(row)
            if type is not None:
                row.type = type
            if attributes is not None:
                row.attributes = _dumps(attributes)
            s.flush()
            after = _relation(row)
        if type is not None:
            self._ensure_labels([], [type])
        return before, after

    def add_spans(self, document: int, spans: Sequence[NewSpan], *,
                  pks: Sequence[int] | None = None) -> list[Span]:
        """Add several spans to one document in one transaction: all or none. ``pks``
        re-creates them under their old keys (redo); returns the spans added, in the given
        order. A span identical to one in the document (or earlier in ``spans``) is left out,
        and so is its key: ``len(spans) - len(result)`` were left out; none is an error."""
        stamp = now_iso()
        items = [(layer, label, tuple((int(a), int(b)) for a, b in frags), attrs)
                 for layer, label, frags, attrs in spans]
        self._check_names(*{name for layer, label, _, _ in items for name in (layer, label)})
        if pks is not None and len(pks) != len(items):
            raise AnnotatorError("add_spans: one key per span expected", path=self.path)
        for layer in {item[0] for item in items}:
            check_scope(self.tagset, layer, document_level=False, path=self.path)
        with self._write() as s:
            length = s.scalar(select(DocumentRow.length).where(DocumentRow.id == document))
            if length is None:
                raise AnnotatorError(f"no document {document}", path=self.path)
            for _, _, frags, _ in items:
                problem = check_fragments(frags, length)
                if problem:
                    raise AnnotatorError(problem, path=self.path)
            known = identity.keys_in_document(s, document, self.annotator)
            fresh = []
            for at, (layer, label, frags, attrs) in enumerate(items):
                key = (self.annotator, layer, label, frags)
                if key not in known:
                    known[key] = 0
                    fresh.append((at, layer, label, frags, attrs))
            if pks is None and pg.is_server(s.get_bind()):  # other writers: the sequence
                keys: Sequence[int] = pg.allocate(s.connection(), "span", len(fresh))
            elif pks is None:
                first = (s.scalar(select(func.max(SpanRow.id))) or 0) + 1
                keys = range(first, first + len(fresh))
            else:
                keys = [pks[f[0]] for f in fresh]
            rows: list[_SpanValues] = [
                {"id": pk, "document_id": document, "layer": layer, "label": label,
                 "start": frags[0][0], "end": frags[-1][1], "fragments": _frag_json(frags),
                 "attributes": _dumps(attrs or {}), "note": "", "annotator": self.annotator,
                 "created": stamp, "modified": stamp}
                for pk, (_, layer, label, frags, attrs) in zip(keys, fresh, strict=True)]
            if rows:
                s.connection().execute(insert(SpanRow.__table__), rows)
                self._touch(s, document)
        self._ensure_labels([(r["layer"], r["label"]) for r in rows], [])
        return [_span_from_row(r["id"], r["document_id"], r["layer"], r["label"], r["start"],
                               r["end"], r["fragments"], r["attributes"], r["note"],
                               r["annotator"], r["created"], r["modified"]) for r in rows]

    def delete_spans(self, pks: Sequence[int]) -> int:
        """Delete spans (and the relations touching them) in one transaction; returns how
        many spans were deleted."""
        n = 0
        with self._write() as s:
            for i in range(0, len(pks), 10_000):  # SQLite caps bound parameters
                chunk = list(pks[i:i + 10_000])
                s.execute(delete(RelationRow).where(RelationRow.source_id.in_(chunk)
                                                    | RelationRow.target_id.in_(chunk)))
                n += _rowcount(s.execute(delete(SpanRow).where(SpanRow.id.in_(chunk))))
        return n

    def rename_label(self, layer: str, old: str, new: str) -> Relabelled:
        """Give every span of ``layer:old`` the label ``new`` (and the label in the tagset and
        in relation type ends); see :meth:`rename_labels`."""
        return self.rename_labels({(layer, old): (layer, new)})

    def rename_labels(self, renames: Mapping[tuple[str, str], tuple[str, str]], *,
                      tagset: Tagset | None = None) -> Relabelled:
        """Move spans from (layer, label) to another (layer, label), all renames at once (so
        two labels may swap names); returns how many spans moved and how many were merged.

        Spans that the rename makes identical (two labels renamed into one, or into a label
        that has the same span already) are merged into one, as
        :func:`annotator.core.span_identity.merge_made_identical` says: relations follow the
        span kept, attributes and notes are joined; an attribute with two values refuses the
        rename (:class:`IdenticalSpanError`, nothing changed).

        The tagset follows: a label renamed within its layer keeps its colour, key and
        attributes unless the new name exists already; relation type ends naming an old
        ``layer:label`` name the new one; any missing new label is added. With ``tagset``
        (e.g. from the tagset editor) that tagset is stored instead. Spans and tagset change
        in one transaction: both or neither."""
        renames = {k: v for k, v in renames.items() if k != v}
        if not renames:
            if tagset is not None:
                self.set_tagset(tagset)
            return Relabelled()
        self._check_names(*{name for new in renames.values() for name in new})
        if tagset is None:
            tagset = self._renamed_tagset(renames)
        tagset.check_names(self.tagset)
        n = 0
        with self._write() as s:
            ids = {old: list(s.scalars(select(SpanRow.id).where(
                (SpanRow.layer == old[0]) & (SpanRow.label == old[1])))) for old in renames}
            stamp = now_iso()
            for old, (layer, label) in renames.items():
                for i in range(0, len(ids[old]), 10_000):
                    chunk = ids[old][i:i + 10_000]
                    n += _rowcount(s.execute(update(SpanRow).where(SpanRow.id.in_(chunk))
                                             .values(layer=layer, label=label, modified=stamp)))
            origin = {pk: old for old, pks in ids.items() for pk in pks}
            merged = identity.merge_made_identical(s, self.path, origin, renames.values(), stamp)
            for layer, label in renames.values():
                tagset.ensure_label(layer, label)
            save_tagset(s, tagset)
            s.merge(MetaRow(key="tagset_name", value=tagset.name))
        self._tagset = None
        return Relabelled(moved=n, merged=merged)

    def _renamed_tagset(self, renames: Mapping[tuple[str, str], tuple[str, str]]) -> Tagset:
        ts = copy.deepcopy(self.tagset)
        defs = {old: ts.label(*old) for old in renames}
        for (old_layer, old_label), (layer, label) in renames.items():
            lab, lay = defs[(old_layer, old_label)], ts.layer(old_layer)
            if lab is not None and lay is not None and old_layer == layer \
                    and ts.label(layer, label) is None:
                lab.name = label
            for rt in ts.relation_types:
                for ends in (rt.source, rt.target):
                    ends[:] = [f"{layer}:{label}" if e == f"{old_layer}:{old_label}" else e
                               for e in ends]
        return ts

    # ----------------------------------------------------------------- helpers
    def _touch(self, s: Session, document: int) -> None:
        s.execute(update(DocumentRow).where(DocumentRow.id == document)
                  .where(DocumentRow.status == "new")
                  .values(status="in_progress"))

    def _check_names(self, *names: str) -> None:
        """A layer, label or relation type longer than :data:`NAME_MAX` is refused before
        anything is written (the tagset would refuse it after the span was stored); one the
        tagset already holds passes, as :meth:`Tagset.check_names` lets it (a project stored
        before the bound keeps working)."""
        long = [name for name in names if len(name) > NAME_MAX]
        if long:
            known = {name for name, _ in self.tagset.named()}
            for name in long:
                if name not in known:
                    checked_name(name, "a layer, label or relation type")

    def _ensure_labels(self, labels: Iterable[tuple[str, str]], relation_types: Iterable[str]
                       ) -> list[str]:
        """Add unknown labels/relation types to the stored tagset; returns what was added."""
        ts = self.tagset
        added = [f"{lay}:{lab}" for lay, lab in dict.fromkeys(labels) if ts.ensure_label(lay, lab)]
        added += [f"relation:{t}" for t in dict.fromkeys(relation_types)
                  if ts.ensure_relation_type(t)]
        if added:
            self.set_tagset(ts)
        return added


def _span_from_row(pk: int, document: int, layer: str, label: str, start: int, end: int,
                   fragments: str | None, attributes: str | None, note: str | None,
                   annotator: str | None, created: str | None, modified: str | None) -> Span:
    """A span from its column values; a stored value that is not sound raises
    :class:`annotator.core.storage.decode.DamagedValue`."""
    return decode.span((pk, document, layer, label, start, end, fragments, attributes, note,
                      annotator, created, modified), None)


def _span(r: SpanRow) -> Span:
    return _span_from_row(*(getattr(r, name) for name in _SPAN_FIELDS))


def _relation(r: RelationRow) -> Relation:
    return decode.relation((r.id, r.document_id, r.type, r.source_id, r.target_id, r.attributes))
