"""A project file's documents as :class:`CorpusDocument`, read chunk by chunk through a plain
:mod:`sqlite3` connection, every value checked (:mod:`annotator.core.storage.rows`).

What :class:`annotator.core.corpus_read.Corpus` iterates for a project file, and what the
``annotator export`` quick path reads without SQLAlchemy (:func:`quick_corpus`). Each chunk is
four queries (documents, spans, relations, document annotations) answered with ``fetchall``:
rows are many. Span keys are ``s1, s2, …`` in (start, end, layer, label, key) order, relation
keys ``r1, r2, …`` in creation order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from annotator.core.model import (
    CorpusDocument,
    DocAnnotationRecord,
    Fragments,
    RelationRecord,
    SpanRecord,
)
from annotator.core.storage import rows as decode

CHUNK = 500  # documents read at a time
_IN = "IN ({})"
DOCUMENT_SQL = ("SELECT " + ", ".join(decode.DOCUMENT_COLUMNS)
                + ", typeof(text), CAST(text AS BLOB) FROM document WHERE id " + _IN)
SPAN_SQL = ("SELECT " + ", ".join(f'"{c}"' for c in decode.SPAN_COLUMNS)
            + " FROM span WHERE document_id " + _IN)
RELATION_SQL = ("SELECT " + ", ".join(decode.RELATION_COLUMNS)
                + ' FROM "relation" WHERE document_id ' + _IN + " ORDER BY id")
ANNOTATION_SQL = ("SELECT " + ", ".join(decode.DOC_ANNOTATION_COLUMNS)
                  + " FROM doc_annotation WHERE document_id " + _IN + " ORDER BY id")
_SCALARS = (str, int, float, bool, type(None))


class Damaged(Exception):
    """A stored value that is not what the schema promises, and where it is."""

    def __init__(self, where: str, value: decode.DamagedValue) -> None:
        self.where, self.value = where, value


def order(conn: sqlite3.Connection, statuses: Sequence[str] | None = None) -> list[int]:
    """The keys of the documents (of these statuses), in export order."""
    sql, params = "SELECT id FROM document", tuple[str, ...]()
    if statuses:
        sql += f" WHERE status IN ({', '.join('?' * len(statuses))})"
        params = tuple(statuses)
    return [r[0] for r in conn.execute(sql + " ORDER BY position, id", params)]


def documents(conn: sqlite3.Connection, keys: list[int], chunk: int,
              layers: set[str] | None = None, labels: set[str] | None = None
              ) -> Iterator[CorpusDocument]:
    """The documents of ``keys`` in that order, read ``chunk`` at a time; raises
    :class:`Damaged` on a value that cannot be read, :class:`sqlite3.Error` as SQLite does."""
    codec = decode.codec_of(conn.execute("PRAGMA encoding").fetchone()[0])
    for at in range(0, len(keys), chunk):
        ids = keys[at:at + chunk]
        marks = ", ".join("?" * len(ids))
        by_id = {r[0]: r for r in conn.execute(DOCUMENT_SQL.format(marks), ids)}
        spans = grouped(conn.execute(SPAN_SQL.format(marks), ids).fetchall())
        rels = grouped(conn.execute(RELATION_SQL.format(marks), ids).fetchall())
        anns = grouped(conn.execute(ANNOTATION_SQL.format(marks), ids).fetchall())
        attrs_cache: dict[str, dict[str, Any]] = {}
        for i in ids:
            d = by_id.pop(i, None)
            if d is None:
                continue
            doc = corpus_document(d, codec, spans.pop(i, []), rels.pop(i, []), layers, labels,
                                  attrs_cache)
            doc.doc_annotations = doc_annotations(d, anns.pop(i, []), layers, labels)
            yield doc


def grouped(found: Sequence[Any], at: int = 1) -> dict[Any, list[Any]]:
    """Rows grouped by their column ``at`` (a document key), in the order read."""
    out: dict[Any, list[Any]] = {}
    for row in found:
        group = out.get(row[at])
        if group is None:
            out[row[at]] = [row]
        else:
            group.append(row)
    return out


def _attributes(raw: object, cache: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A span's attributes column decoded (checked as :func:`rows.json_object` does). Values
    repeat: a flat object (scalar values only) is decoded once per chunk, each span getting its
    own copy."""
    if raw == "{}" and type(raw) is str:
        return {}
    found = cache.get(raw) if type(raw) is str else None
    if found is not None:
        return dict(found)
    value = decode.json_object(raw, "attributes")
    if type(raw) is str and len(cache) < 10_000 and all(
            type(v) in _SCALARS for v in value.values()):
        cache[raw] = dict(value)
    return value


def corpus_document(d: Sequence[Any], codec: str, span_rows: list[Any], rels: list[Any],
                    layer_set: set[str] | None, label_set: set[str] | None,
                    attrs_cache: dict[str, dict[str, Any]] | None = None) -> CorpusDocument:
    """One document from its rows, every value checked; raises :class:`Damaged` saying
    where."""
    where = decode.document_where(d[0], d[1])
    try:
        info, text = decode.document_with_text(d, codec)
    except decode.DamagedValue as exc:
        raise Damaged(where, exc) from None
    cache = {} if attrs_cache is None else attrs_cache
    spans: list[tuple[Any, Fragments, dict[str, Any]]] = []
    length = len(text)
    for r in span_rows:
        # the common row checked inline (rows.checked_span's own fast case), else by it
        _, _, layer, label, start, end, frags, attrs, note, who, created, modified = r
        try:
            if (frags is None and type(start) is int and type(end) is int
                    and 0 <= start < end <= length and type(layer) is str and layer
                    and type(label) is str and label and type(note) is str
                    and type(who) is str and type(created) is str and type(modified) is str):
                spans.append((r, ((start, end),), _attributes(attrs, cache)))
            else:
                spans.append((r, *decode.checked_span(r, length)))
        except decode.DamagedValue as exc:
            raise Damaged(f"{where}, span {r[0]}", exc) from None
    spans.sort(key=lambda x: (x[0][4], x[0][5], x[0][2], x[0][3], x[0][0]))
    records: list[SpanRecord] = []
    pk_to_key: dict[int, str] = {}
    for r, fragments, attributes in spans:
        pk, _, layer, label = r[:4]
        if layer_set is not None and layer not in layer_set:
            continue
        if label_set is not None and label not in label_set and f"{layer}:{label}" not in label_set:
            continue
        key = f"s{len(records) + 1}"
        pk_to_key[pk] = key
        records.append(SpanRecord(key, layer, label, fragments, attributes, r[8], r[9]))
    relations: list[RelationRecord] = []
    if rels:
        document_of = {r[0]: d[0] for r, _, _ in spans}
        for r in rels:
            try:
                rel = decode.relation(r)
                problem = decode.relation_ends(rel.source, rel.target, d[0], document_of,
                                               only_this_document=True, self_links=False)
                if problem:
                    raise decode.DamagedValue(problem)
            except decode.DamagedValue as exc:
                raise Damaged(f"{where}, relation {r[0]}", exc) from None
            if rel.source in pk_to_key and rel.target in pk_to_key:
                relations.append(RelationRecord(
                    key=f"r{len(relations) + 1}", type=rel.type, source=pk_to_key[rel.source],
                    target=pk_to_key[rel.target], attributes=rel.attributes))
    return CorpusDocument(name=info.name, title=info.title, text=text, meta=info.meta,
                          status=info.status, spans=records, relations=relations)


def doc_annotations(d: Sequence[Any], found: list[Any], layer_set: set[str] | None,
                    label_set: set[str] | None) -> list[DocAnnotationRecord]:
    out = []
    for r in found:
        try:
            ann = decode.doc_annotation(r)
        except decode.DamagedValue as exc:
            raise Damaged(f"{decode.document_where(d[0], d[1])}, document annotation {r[0]}",
                          exc) from None
        if layer_set is not None and ann.layer not in layer_set:
            continue
        if (label_set is not None and ann.label not in label_set
                and f"{ann.layer}:{ann.label}" not in label_set):
            continue
        out.append(DocAnnotationRecord(layer=ann.layer, label=ann.label,
                                       attributes=ann.attributes, annotator=ann.annotator))
    return out
