"""Reading a project's corpus for export: documents streamed in chunks, and the plan.

:class:`Corpus` is what :meth:`annotator.core.project.Project.iter_corpus` returns: iterating it
reads documents with their spans, relations and document annotations 500 documents at a time, so
memory stays bounded by the chunk, not the corpus; each iteration reads afresh. Its
:meth:`Corpus.plan` is what exporters that declare layers, attributes or columns up front need
(a type system, a header, brat's binary attributes): a few small documents holding, in the
order an iteration meets them, the first span of every distinct (layer, label, attributes,
discontinuity), relation (type, its ends' layers, attributes) and document annotation, without
texts. Any computation that only collects layers, labels, attribute names and value kinds gets
the same answer from the plan as from the whole corpus.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import LargeBinary, cast, func, select

from annotator.core import corpus_rows
from annotator.core.corpus_rows import Damaged as _Damaged
from annotator.core.corpus_rows import corpus_document as _corpus_document
from annotator.core.corpus_rows import doc_annotations as _doc_annotations
from annotator.core.model import (
    CorpusDocument,
    DocAnnotationRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.core.storage import postgres as pg
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import DocAnnotationRow, DocumentRow, RelationRow, SpanRow

if TYPE_CHECKING:
    from annotator.core.project import Project

CHUNK = corpus_rows.CHUNK  # documents read at a time (tests make it smaller)


class Corpus:
    """The project's documents, filtered, in import order; iterable any number of times.

    Span keys are ``s1, s2, …`` in (start, end, layer, label) order and relation keys
    ``r1, r2, …`` in creation order, so an export is deterministic. ``labels`` entries may be
    ``label`` or ``layer:label``. Relations are kept when both their ends are kept. The project
    must stay open while the corpus is read.
    """

    def __init__(self, project: Project, *, documents: Iterable[int] | None = None,
                 layers: Iterable[str] | None = None, labels: Iterable[str] | None = None,
                 statuses: Iterable[str] | None = None) -> None:
        self.project = project
        self.documents = list(documents) if documents is not None else None
        self.layers = set(layers) if layers else None
        self.labels = set(labels) if labels else None
        self.statuses = list(statuses) if statuses else None
        self._count: int | None = None

    def _doc_query(self) -> Any:
        doc_table = DocumentRow.__table__
        server = pg.is_server(self.project.engine)
        # the text as typeof + bytes, decoded in decode.stored_text: a damaged one is named
        type_and_bytes = (pg.text_columns() if server else
                          (func.typeof(DocumentRow.text), cast(DocumentRow.text, LargeBinary)))
        dq = select(*(doc_table.c[c] for c in decode.DOCUMENT_COLUMNS),
                    *type_and_bytes).order_by(DocumentRow.position, DocumentRow.id)
        if self.documents is not None:
            dq = dq.where(DocumentRow.id.in_(self.documents))
        if self.statuses:
            dq = dq.where(DocumentRow.status.in_(self.statuses))
        return dq

    def _order(self, conn: Any) -> list[int]:
        """The wanted documents' keys, in export order."""
        order = [r[0] for r in conn.execute(self._doc_query().with_only_columns(DocumentRow.id))]
        self._count = len(order)
        return order

    def __len__(self) -> int:
        if self._count is None:
            with self.project._read() as session:
                self._order(session.connection())
        assert self._count is not None
        return self._count

    def _keep(self, layer: object, label: object) -> bool:
        if self.layers is not None and layer not in self.layers:
            return False
        return (self.labels is None or label in self.labels
                or f"{layer}:{label}" in self.labels)

    def __iter__(self) -> Iterator[CorpusDocument]:
        project = self.project
        server = pg.is_server(project.engine)
        dq = self._doc_query()
        span_table, ann_table = SpanRow.__table__, DocAnnotationRow.__table__
        sq = select(*(span_table.c[c] for c in decode.SPAN_COLUMNS))
        rq = select(RelationRow.id, RelationRow.document_id, RelationRow.type,
                    RelationRow.source_id, RelationRow.target_id, RelationRow.attributes)
        aq = select(*(ann_table.c[c] for c in decode.DOC_ANNOTATION_COLUMNS)).order_by(
            DocAnnotationRow.id)
        with project._read() as session:
            s = session.connection()  # Core rows, no ORM loading: rows are many
            codec = "utf-8" if server else decode.codec_of(
                s.exec_driver_sql("PRAGMA encoding").scalar())
            order = self._order(s)
            if not server:  # a project file: plain sqlite3 queries, rows as tuples
                driver = s.connection.driver_connection
                assert isinstance(driver, sqlite3.Connection)
                try:
                    yield from corpus_rows.documents(driver, order, CHUNK, self.layers,
                                                     self.labels)
                except _Damaged as exc:
                    raise decode.damaged(project.path, exc.where, exc.value) from None
                return
            for chunk_start in range(0, len(order), CHUNK):
                ids = order[chunk_start:chunk_start + CHUNK]
                by_id = {r[0]: r for r in s.execute(dq.where(DocumentRow.id.in_(ids)))}
                chunk = [by_id[i] for i in ids if i in by_id]
                del by_id
                spans = _grouped(s.execute(sq.where(SpanRow.document_id.in_(ids))))
                rels = _grouped(s.execute(rq.where(RelationRow.document_id.in_(ids))
                                          .order_by(RelationRow.id)))
                anns = _grouped(s.execute(aq.where(DocAnnotationRow.document_id.in_(ids))))
                for d in chunk:
                    try:
                        doc = _corpus_document(d, codec, spans.pop(d[0], []),
                                               rels.pop(d[0], []), self.layers, self.labels)
                        doc.doc_annotations = _doc_annotations(d, anns.pop(d[0], []),
                                                               self.layers, self.labels)
                    except _Damaged as exc:
                        raise decode.damaged(project.path, exc.where, exc.value) from None
                    yield doc

    def _all_seen(self, rows: Sequence[tuple[Any, ...]],
                  span_key: dict[tuple[Any, ...], SpanRecord], rep: dict[int, SpanRecord]
                  ) -> bool:
        """Whether every kept row of a document has a representative already (the common case
        after the first documents): ``rep`` then maps each to it, as the sorted pass would."""
        found: dict[int, SpanRecord] = {}
        keep = self._keep
        everything = self.layers is None and self.labels is None
        get = span_key.get
        for r in rows:
            known = get((r[4], r[5], r[6], r[7]))  # r[6] 0 or 1: the same key as bool(r[6])
            if known is None:
                if type(r[4]) is str and type(r[5]) is str and keep(r[4], r[5]) \
                        and type(r[2]) is int and type(r[3]) is int:
                    return False  # new, or attributes that cannot be read: the sorted pass
                continue
            if type(r[2]) is int and type(r[3]) is int and (everything or keep(r[4], r[5])):
                found[r[0]] = known
        rep.update(found)
        return True

    def plan(self) -> list[CorpusDocument]:
        """What exporters plan from (see the module's docstring): small documents without
        text, one per document that brings something not seen before. A value that cannot be
        decoded is left out here; iterating the corpus names it."""
        out: list[CorpusDocument] = []
        span_key: dict[tuple[Any, ...], SpanRecord] = {}
        rel_seen: set[tuple[Any, ...]] = set()
        ann_seen: set[tuple[Any, ...]] = set()
        sq = select(SpanRow.id, SpanRow.document_id, SpanRow.start, SpanRow.end, SpanRow.layer,
                    SpanRow.label, SpanRow.fragments.is_not(None), SpanRow.attributes)
        rq = select(RelationRow.document_id, RelationRow.type, RelationRow.source_id,
                    RelationRow.target_id, RelationRow.attributes).order_by(RelationRow.id)
        aq = select(DocAnnotationRow.document_id, DocAnnotationRow.layer, DocAnnotationRow.label,
                    DocAnnotationRow.attributes).order_by(DocAnnotationRow.id)
        with self.project._read() as session:
            s = session.connection()
            raw = (s.connection.dbapi_connection if s.dialect.name == "sqlite"
                   else None)  # a file: its rows through the raw cursor (spans are many)
            order = self._order(s)
            for chunk_start in range(0, len(order), CHUNK):
                ids = order[chunk_start:chunk_start + CHUNK]
                if raw is not None:  # fetched at once: a cursor read row by row costs more
                    spans = _grouped(raw.execute(_PLAN_SPANS.format(",".join("?" * len(ids))),
                                                 ids).fetchall())
                else:
                    spans = _grouped(s.execute(sq.where(SpanRow.document_id.in_(ids))))
                rels = _grouped(s.execute(rq.where(RelationRow.document_id.in_(ids))), 0)
                anns = _grouped(s.execute(aq.where(DocAnnotationRow.document_id.in_(ids))), 0)
                for doc_id in ids:
                    doc = CorpusDocument(name="", text="")
                    rep: dict[int, SpanRecord] = {}  # span key -> its representative
                    rows = spans.get(doc_id, ())
                    if self._all_seen(rows, span_key, rep):
                        rows = ()  # each one's representative is known: no order needed
                    for r in sorted(rows, key=_plan_order):
                        if not self._keep(r[4], r[5]):
                            continue
                        if not (type(r[2]) is int and type(r[3]) is int
                                and type(r[4]) is str and type(r[5]) is str):
                            continue  # damaged: left out of the plan, named when iterated
                        ident = (r[4], r[5], bool(r[6]), r[7])
                        found = span_key.get(ident)
                        if found is None:
                            try:
                                attributes = decode.json_object(r[7], "attributes")
                            except decode.DamagedValue:
                                continue
                            fragments = (((r[2], r[2]), (r[3], r[3])) if r[6]
                                         else ((r[2], r[3]),))  # its extent (not checked)
                            found = SpanRecord(key=f"p{len(span_key) + 1}", layer=r[4],
                                               label=r[5], fragments=fragments,
                                               attributes=attributes)
                            span_key[ident] = found
                            doc.spans.append(found)
                        rep[r[0]] = found
                    for _, rtype, source, target, attrs in rels.get(doc_id, ()):
                        a, b = rep.get(source), rep.get(target)
                        if a is None or b is None:
                            continue
                        rel_ident = (rtype, a.key, b.key, attrs)
                        if rel_ident in rel_seen:
                            continue
                        try:
                            attributes = decode.json_object(attrs, "attributes")
                        except decode.DamagedValue:
                            continue
                        rel_seen.add(rel_ident)
                        for end in (a, b):
                            if end not in doc.spans:
                                doc.spans.append(end)
                        doc.relations.append(RelationRecord(
                            key=f"q{len(rel_seen)}", type=rtype, source=a.key, target=b.key,
                            attributes=attributes))
                    for _, layer, label, attrs in anns.get(doc_id, ()):
                        if (layer, label, attrs) in ann_seen or not self._keep(layer, label):
                            continue
                        try:
                            attributes = decode.json_object(attrs, "attributes")
                        except decode.DamagedValue:
                            continue
                        ann_seen.add((layer, label, attrs))
                        doc.doc_annotations.append(DocAnnotationRecord(
                            layer=layer, label=label, attributes=attributes))
                    if doc.spans or doc.doc_annotations:
                        out.append(doc)
        return out


# the span columns of plan(), as its SQLAlchemy statement has them, for the raw cursor
_PLAN_SPANS = ('SELECT id, document_id, start, "end", layer, label, fragments IS NOT NULL, '
               "attributes FROM span WHERE document_id IN ({})")


def _grouped(rows: Iterable[Any], at: int = 1) -> dict[Any, list[tuple[Any, ...]]]:
    """Rows as tuples grouped by their column ``at`` (a document key), in the order read."""
    out: dict[Any, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault(row[at], []).append(tuple(row))
    return out


def iter_corpus(project: Project, *, documents: Iterable[int] | None = None,
                layers: Iterable[str] | None = None, labels: Iterable[str] | None = None,
                statuses: Iterable[str] | None = None) -> Corpus:
    """The project's documents as a :class:`Corpus` (streamed, re-iterable, with a plan)."""
    return Corpus(project, documents=documents, layers=layers, labels=labels,
                  statuses=statuses)


def _sortable(value: Any, kind: type) -> tuple[int, Any]:
    """A sort key part that never compares unlike types: a damaged value (None, bytes, text
    where a number belongs) sorts after every good one, and is named when iterated."""
    return (0, value) if type(value) is kind else (1, repr(value))


def _plan_order(r: Sequence[Any]) -> tuple[tuple[int, Any], ...]:
    return (_sortable(r[2], int), _sortable(r[3], int), _sortable(r[4], str),
            _sortable(r[5], str), _sortable(r[0], int))
