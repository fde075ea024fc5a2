"""Bulk import into and export out of a project: one transaction, Core inserts, streamed reads.

An import is all or nothing: every document of the call goes in, or none does. Documents are
taken from their iterable as it yields them and inserted :data:`BATCH` at a time inside the one
transaction, so memory stays bounded by a batch; a bad document anywhere rolls back all of it.
Span and relation keys are allocated up front so that rows are inserted with ``executemany``
without RETURNING. Reading for export is :mod:`annotator.core.corpus_read`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sized
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from annotator.core.corpus_read import _corpus_document, iter_corpus
from annotator.core.errors import BadInputError, Cancelled
from annotator.core.import_onto import stored_keys
from annotator.core.model import (
    STATUSES,
    CorpusDocument,
    check_fragments,
)
from annotator.core.storage import postgres as pg
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import (
    Base,
    DocumentRow,
    RelationRow,
    SpanRow,
)
from annotator.core.storage.tagset_store import save_tagset
from annotator.core.tagset import NAME_MAX
from annotator.core.text import sha256_of

if TYPE_CHECKING:
    from annotator.core.project import ImportResult, Project
    from annotator.core.tagset import Tagset

Progress = Callable[[int, int], None]
BATCH = 500  # documents (or 40 times as many spans) inserted at a time

__all__ = ["BATCH", "COLUMNS", "INSERTS", "_corpus_document", "build_rows", "import_documents", "iter_corpus", "sha256_of",
           "validate"]


def _sorted_encoder() -> Callable[[object], str]:
    """``json.dumps(obj, ensure_ascii=False, sort_keys=True)``, without building an encoder for
    every call (``JSONEncoder.encode`` makes a new C encoder each time; rows are many)."""
    plain = json.JSONEncoder(ensure_ascii=False, sort_keys=True)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # an interpreter without the C accelerator
        return plain.encode
    try:
        c_encode = make(None, plain.default, json.encoder.encode_basestring, None, ": ", ", ",
                        True, False, True)
        probe = {"b": [1, 2.5, None, True, "é\n"], "a": {"z": 1, "y": {}}}
        if "".join(c_encode(probe, 0)) != plain.encode(probe):
            return plain.encode
    except (TypeError, ValueError):
        return plain.encode

    def encode(obj: object) -> str:
        try:
            return "".join(c_encode(obj, 0))
        except (TypeError, ValueError, RecursionError):
            return plain.encode(obj)  # raises the ordinary error (or handles a str subclass)

    return encode


_ENCODE = _sorted_encoder()


def _dumps(obj: object) -> str:
    if not obj:
        return "{}"
    return _ENCODE(obj)


def _unsure(*strings: str) -> bool:
    """True when one of ``strings`` may hold what could not be read back once stored (a lone
    surrogate; in encoded JSON also NaN/Infinity or deep nesting): :func:`validate` then says
    exactly what. Cheap for the common case (ASCII, few brackets): rows are many."""
    for text in strings:
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def _unsure_json(encoded: str) -> bool:
    return (encoded != "{}" and ("NaN" in encoded or "Infinity" in encoded
                                 or encoded.count("[") + encoded.count("{") > decode.MAX_DEPTH
                                 or _unsure(encoded)))


_COLUMNS = {
    "document": ("id", "name", "title", "text", "sha256", "length", "meta", "status",
                 "position", "created", "modified"),
    "span": ("id", "document_id", "layer", "label", "start", "end", "fragments",
             "attributes", "note", "annotator", "created", "modified"),
    "relation": ("id", "document_id", "type", "source_id", "target_id", "attributes",
                 "annotator", "created"),
    "doc_annotation": ("document_id", "layer", "label", "attributes", "annotator",
                       "created", "modified"),
}
_INSERTS = {
    table: (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")
    for table, columns in _COLUMNS.items()
}

COLUMNS, INSERTS = _COLUMNS, _INSERTS  # for annotator.core.staged_import


def validate(doc: CorpusDocument) -> None:
    """Spans inside the text, relation ends present, values that can be read back (finite
    numbers, no lone surrogate, nested at most rows.MAX_DEPTH deep); raises BadInputError
    naming the span."""
    where = doc.source_path
    length = len(doc.text)
    keys = set()
    try:  # what could not be read back is refused here (annotator.core.storage.rows)
        decode.check_storable([doc.name, doc.title, doc.text], "its name, title or text")
        decode.check_storable(doc.meta, "meta")
        for sp in doc.spans:
            decode.check_storable(sp.attributes, f"span {sp.key!r}: attributes")
            decode.check_storable([sp.layer, sp.label, sp.note, sp.annotator],
                                  f"span {sp.key!r}")
        for rel in doc.relations:
            decode.check_storable(rel.attributes, f"relation {rel.key!r}: attributes")
            decode.check_storable(rel.type, f"relation {rel.key!r}: type")
        for n, ann in enumerate(doc.doc_annotations, 1):
            decode.check_storable(ann.attributes, f"document annotation {n}: attributes")
            decode.check_storable([ann.layer, ann.label, ann.annotator],
                                  f"document annotation {n}")
    except decode.DamagedValue as exc:
        raise BadInputError(f"document {doc.name!r}: {exc.message}", path=where) from None
    for sp in doc.spans:
        frags = sp.fragments
        if len(frags) == 1:  # the common case, checked inline: rows are many
            start, end = frags[0]
            ok = type(start) is int and type(end) is int and 0 <= start < end <= length
        else:
            ok = False
        if not ok:
            problem = check_fragments(tuple(frags), length)
            if problem:
                raise BadInputError(f"document {doc.name!r}, span {sp.key!r}: {problem}",
                                    path=where)
        if not sp.layer or not sp.label:
            raise BadInputError(f"document {doc.name!r}, span {sp.key!r}: no layer or label",
                                path=where)
        keys.add(sp.key)
    for rel in doc.relations:
        for end_key in (rel.source, rel.target):
            if end_key not in keys:
                raise BadInputError(f"document {doc.name!r}, relation {rel.key!r}: span "
                                    f"{end_key!r} is not in the same document", path=where)
    for n, ann in enumerate(doc.doc_annotations, 1):
        if not ann.layer or not ann.label:
            raise BadInputError(f"document {doc.name!r}, document annotation {n}: no layer or "
                                "label", path=where)


def _too_long(doc: CorpusDocument, what: str, *names: str) -> None:
    name = max(names, key=len)
    raise BadInputError(f"document {doc.name!r}, {what}: the name {name[:30]!r}… is "
                        f"{len(name):,} characters long (a layer, label or relation type has "
                        f"at most {NAME_MAX})", path=doc.source_path)


def _check_scopes(doc: CorpusDocument, scope_of: dict[str, str]) -> None:
    """A span in a document-level layer, or a document annotation in a span layer, is bad
    input naming it (``scope_of``: the tagset's layer -> scope, extended as layers are added)."""
    for sp in doc.spans:
        if scope_of.setdefault(sp.layer, "span") != "span":
            raise BadInputError(f"document {doc.name!r}, span {sp.key!r}: layer {sp.layer!r} "
                                "labels whole documents, not passages", path=doc.source_path)
    for n, ann in enumerate(doc.doc_annotations, 1):
        if scope_of.setdefault(ann.layer, "document") != "document":
            raise BadInputError(f"document {doc.name!r}, document annotation {n}: layer "
                                f"{ann.layer!r} labels passages, not whole documents",
                                path=doc.source_path)


def import_documents(project: Project, docs: Iterable[CorpusDocument], *,
                     progress: Progress | None = None,
                     cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Import ``docs`` in one transaction of ``project`` (open for writing), inserting them
    :data:`BATCH` documents at a time as the iterable yields them."""
    server = pg.is_server(project.engine)
    tagset = project.tagset
    with project._write() as s:
        conn = s.connection()
        counts = [0, 0, 0]
        result = build_rows(project, s, docs, tagset,
                            lambda *rows: _insert(conn, server, counts, *rows),
                            progress=progress, cancelled=cancelled)
        if result.labels_added:
            save_tagset(s, tagset)
        result.spans, result.relations, result.doc_annotations = counts
    project._tagset = None
    return result


Sink = Callable[[list[tuple[object, ...]], list[tuple[object, ...]], list[tuple[object, ...]],
                 list[tuple[object, ...]]], None]


def build_rows(project: Project, s: Any, docs: Iterable[CorpusDocument], tagset: Tagset,
               sink: Sink, *, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Check ``docs`` and turn them into rows against the project's state as session ``s``
    sees it, handing them to ``sink(documents, spans, relations, doc_annotations)`` whole
    documents at a time (the sink empties the lists). Labels and relation types the tagset
    lacks are added to ``tagset`` (saving it is the caller's). Raises BadInputError naming the
    document; what was sunk before is then the caller's to discard."""
    from annotator.core.annotations import now_iso
    from annotator.core.project import ImportResult

    result = ImportResult()
    stamp = now_iso()
    annotator = project.annotator
    server = pg.is_server(project.engine)
    stored = {sha: (pk, name) for sha, pk, name in s.execute(
        select(DocumentRow.sha256, DocumentRow.id, DocumentRow.name))}
    hashes = set(stored)
    names = {n.lower() for _, n in stored.values()}
    next_pos = (s.scalar(select(func.max(DocumentRow.position))) or 0) + 1
    if server:  # placeholders, given keys from the sequences at the end (pg.renumber)
        next_doc = next_span = next_rel = pg.PROVISIONAL
    else:
        next_doc = (s.scalar(select(func.max(DocumentRow.id))) or 0) + 1
        next_span = (s.scalar(select(func.max(SpanRow.id))) or 0) + 1
        next_rel = (s.scalar(select(func.max(RelationRow.id))) or 0) + 1
    doc_rows: list[tuple[object, ...]] = []
    span_rows: list[tuple[object, ...]] = []
    rel_rows: list[tuple[object, ...]] = []
    ann_rows: list[tuple[object, ...]] = []
    scope_of = {lay.name: lay.scope for lay in tagset.layers}
    total = len(docs) if isinstance(docs, Sized) else 0
    known = {(lay.name, lab.name) for lay in tagset.layers for lab in lay.labels}
    known_types = {t.name for t in tagset.relation_types}
    for i, d in enumerate(docs):
        if len(doc_rows) >= BATCH or len(span_rows) >= BATCH * 40:
            sink(doc_rows, span_rows, rel_rows, ann_rows)
        if cancelled is not None and cancelled():
            raise Cancelled("import cancelled; nothing was imported")
        if _unsure(d.name, d.title, d.text, d.status):
            validate(d)  # raises naming what could not be stored
        if d.status and d.status not in STATUSES:  # stored, it would make the file unreadable
            raise BadInputError(f"document {d.name!r}: unknown status {d.status!r} (one of "
                                f"{', '.join(STATUSES)})", path=d.source_path)
        if d.doc_annotations or any(scope_of.get(sp.layer, "span") != "span"
                                    for sp in d.spans):
            _check_scopes(d, scope_of)
        sha = sha256_of(d.text)
        # onto a stored document (interfaces: "Importing onto documents already there"):
        # identity key -> pk of its spans, and its relations
        there: dict[tuple[object, ...], int] | None = None
        rels_there: set[tuple[object, ...]] = set()
        anns_there: set[tuple[object, ...]] = set()
        if sha in hashes:
            validate(d)  # bad input is refused even when its text is already there
            if not (d.spans or d.doc_annotations) or sha not in stored:
                # no annotations, or a copy of an earlier line of this input
                result.skipped.append(f"{d.source_path or d.name}: document {d.name!r} is "
                                      "already in the project (same text); skipped")
                continue
            doc_id, name = stored[sha]
            there, rels_there, anns_there = stored_keys(s, doc_id)
            rows_before = len(span_rows), len(rel_rows), len(ann_rows)
        else:
            hashes.add(sha)
            name = d.name or "document"
            if name.lower() in names:
                n = 2
                while f"{name}-{n}".lower() in names:
                    n += 1
                name = f"{name}-{n}"
            names.add(name.lower())
            doc_id = next_doc
            next_doc += 1
            meta = _dumps(d.meta)
            if _unsure_json(meta):
                validate(d)
            doc_rows.append((doc_id, name, d.title or name, d.text, sha, len(d.text),
                             meta, d.status or "new", next_pos + i, stamp, stamp))
        key_to_pk: dict[str, int] = {}
        key_who: dict[str, str] = {}  # a relation is its source span's annotator's
        seen: dict[tuple[object, ...], int] = {}  # exact copies (interfaces: no duplicates)
        length = len(d.text)
        checked = False
        for sp in d.spans:
            # validate()'s checks inline for the common one-fragment span (rows are many);
            # anything else goes through validate(), which names the bad span
            frags = sp.fragments
            layer, label = sp.layer, sp.label
            if len(frags) == 1:
                start, end = frags[0]
                ok = (type(start) is int and type(end) is int and 0 <= start < end <= length
                      and layer and label)
            else:
                ok = False
            fragments = None
            if not ok:
                if not checked:
                    validate(d)
                    checked = True
                start, end = int(frags[0][0]), int(frags[-1][1])
                if len(frags) > 1:
                    fragments = json.dumps([[int(a), int(b)] for a, b in frags])
            attributes = _dumps(sp.attributes)
            if not checked and (_unsure_json(attributes) or _unsure(
                    layer, label, sp.note or "", sp.annotator or "")):
                validate(d)
                checked = True
            who = sp.annotator or annotator
            key_who[sp.key] = who
            if there is not None:  # a span identical to one stored is that span
                stored_pk = there.get((who, layer, label, tuple(map(tuple, frags))))
                if stored_pk is not None:
                    key_to_pk[sp.key] = stored_pk
                    continue
            ident = (layer, label, start, end, fragments, who, attributes, sp.note or "")
            same = seen.get(ident)
            if same is not None:  # an exact copy within the file: stored once, its
                key_to_pk[sp.key] = same  # relations follow the one kept
                result.identical += 1
                continue
            seen[ident] = next_span
            key_to_pk[sp.key] = next_span
            span_rows.append((next_span, doc_id, layer, label, start, end,
                              fragments, attributes, sp.note or "", who, stamp, stamp))
            next_span += 1
            if (layer, label) not in known:  # new to the tagset: its names bounded
                if len(layer) > NAME_MAX or len(label) > NAME_MAX:
                    _too_long(d, f"span {sp.key!r}", layer, label)
                known.add((layer, label))
                if tagset.ensure_label(layer, label):
                    result.labels_added.append(f"{layer}:{label}")
        for rel in d.relations:
            if rel.source not in key_to_pk or rel.target not in key_to_pk:
                validate(d)
            rel_attributes = _dumps(rel.attributes)
            if not checked and (_unsure_json(rel_attributes) or _unsure(rel.type)):
                validate(d)
                checked = True
            if (rel.type, key_to_pk[rel.source], key_to_pk[rel.target]) in rels_there:
                continue
            rel_rows.append((next_rel, doc_id, rel.type, key_to_pk[rel.source],
                             key_to_pk[rel.target], rel_attributes,
                             key_who.get(rel.source, annotator), stamp))
            next_rel += 1
            if rel.type not in known_types:
                if len(rel.type) > NAME_MAX:
                    _too_long(d, f"relation {rel.key!r}", rel.type)
                known_types.add(rel.type)
                if tagset.ensure_relation_type(rel.type):
                    result.labels_added.append(f"relation:{rel.type}")
        if d.doc_annotations:
            validate(d)
            for ann in d.doc_annotations:
                who = ann.annotator or annotator
                if (ann.layer, ann.label, who) in anns_there:
                    continue  # onto a stored document: that one is there already
                ann_rows.append((doc_id, ann.layer, ann.label, _dumps(ann.attributes),
                                 who, stamp, stamp))
                if (ann.layer, ann.label) not in known:  # new: its names bounded
                    if len(ann.layer) > NAME_MAX or len(ann.label) > NAME_MAX:
                        _too_long(d, "a document annotation", ann.layer, ann.label)
                    known.add((ann.layer, ann.label))
                    if tagset.ensure_label(ann.layer, ann.label, scope="document"):
                        result.labels_added.append(f"{ann.layer}:{ann.label}")
        if there is None:
            result.added.append(name)
        elif (len(span_rows), len(rel_rows), len(ann_rows)) == rows_before:
            result.skipped.append(f"{d.source_path or d.name}: document {d.name!r} is "
                                  "already in the project with these annotations; skipped")
        else:
            result.extended.append(
                f"{d.source_path or d.name}: document {d.name!r} is already in the project "
                f"(as {name!r}); {len(span_rows) - rows_before[0]} span(s) added to it")
        if progress is not None and (i % 100 == 0 or i == total - 1):
            progress(i + 1, total)
    sink(doc_rows, span_rows, rel_rows, ann_rows)
    return result


def _insert(conn: Any, server: bool, counts: list[int], docs: list[tuple[object, ...]],
            spans: list[tuple[object, ...]], rels: list[tuple[object, ...]],
            anns: list[tuple[object, ...]]) -> None:
    """Insert the rows gathered so far (whole documents) in the open transaction and empty the
    lists: an import holds one batch in memory, not the corpus. One prepared statement per
    table, rows as plain tuples (executemany): rows are many."""
    counts[0] += len(spans)
    counts[1] += len(rels)
    counts[2] += len(anns)
    batch = (docs, spans, rels, anns)
    if server:
        batch = pg.renumber(conn, docs, spans, rels, anns)
    for table, rows in zip(("document", "span", "relation", "doc_annotation"), batch,
                           strict=True):
        if rows and server:
            conn.execute(Base.metadata.tables[table].insert(),
                         [dict(zip(_COLUMNS[table], r, strict=True)) for r in rows])
        elif rows:
            conn.exec_driver_sql(_INSERTS[table], rows)
    for rows in (docs, spans, rels, anns):
        rows.clear()
