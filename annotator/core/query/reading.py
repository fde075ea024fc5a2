"""Reading a project for queries and figures: documents streamed in chunks, Core rows.

Memory stays bounded by one chunk of documents (their texts, spans and relations). Every value
used is checked as the project's own reads check it (:mod:`annotator.core.storage.rows`); a
damaged one raises :class:`~annotator.core.errors.DamagedProjectError` naming the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import LargeBinary, and_, cast, func, or_, select

from annotator.core.model import Fragments, span_text
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import DocumentRow, RelationRow, SpanRow

if TYPE_CHECKING:
    from annotator.core.project import Project

CHUNK = 200  # documents read at once


class QSpan:
    """A span as queries see it: attributes decoded on first use."""

    __slots__ = ("_attrs", "_raw", "annotator", "document", "end", "fragments", "label",
                 "layer", "note", "pk", "start")

    def __init__(self, document: DocData, pk: int, layer: str, label: str, fragments: Fragments,
                 raw_attributes: object, note: str, annotator: str) -> None:
        self.document = document
        self.pk, self.layer, self.label, self.fragments = pk, layer, label, fragments
        self.start, self.end = fragments[0][0], fragments[-1][1]
        self._raw = raw_attributes
        self._attrs: dict[str, Any] | None = None if raw_attributes != "{}" else {}
        self.note, self.annotator = note, annotator

    @property
    def attributes(self) -> dict[str, Any]:
        if self._attrs is None:
            try:
                self._attrs = decode.json_object(self._raw, "attributes")
            except decode.DamagedValue as exc:
                raise decode.damaged(self.document.path, f"{self.document.where}, span "
                                     f"{self.pk}", exc) from None
        return self._attrs

    @property
    def text(self) -> str:
        return span_text(self.document.text, self.fragments)


@dataclass
class DocData:
    pk: int
    name: str
    title: str
    status: str
    meta: dict[str, Any]
    text: str
    path: str
    spans: list[QSpan] = field(default_factory=list)
    relations: list[tuple[str, int, int]] = field(default_factory=list)  # type, from, to

    @property
    def where(self) -> str:
        return decode.document_where(self.pk, self.name)

    def words(self) -> int:
        return len(self.text.split())


def stream_documents(project: Project, *, selectors: Iterable[tuple[str | None, str | None]]
                     | None = None, relations: bool = False, targets_of: str | None = None,
                     documents: Iterable[int] | None = None) -> Iterator[DocData]:
    """Documents in import order with their spans (only those matching one of ``selectors``,
    ``(layer, label)`` with None for any; all when ``selectors`` is None; also, with
    ``targets_of``, every span a relation of that type points to) sorted by start, end, layer,
    label, and, with ``relations``, their relations."""
    wanted = list(selectors) if selectors is not None else None
    span_filter = None
    if wanted is not None and (None, None) not in wanted:
        parts = []
        for layer, label in set(wanted):
            cond = []
            if layer is not None:
                cond.append(SpanRow.layer == layer)
            if label is not None:
                cond.append(SpanRow.label == label)
            parts.append(and_(*cond))
        span_filter = or_(*parts)
    doc_cols = [DocumentRow.__table__.c[c] for c in decode.DOCUMENT_COLUMNS]
    dq = select(DocumentRow.id).order_by(DocumentRow.position, DocumentRow.id)
    if documents is not None:
        dq = dq.where(DocumentRow.id.in_(list(documents)))
    sq = select(*(SpanRow.__table__.c[c] for c in decode.SPAN_COLUMNS)).order_by(
        SpanRow.document_id, SpanRow.start, SpanRow.end, SpanRow.layer, SpanRow.label, SpanRow.id)
    path = str(project.path)
    with project._read() as session:
        conn = session.connection()
        codec = decode.codec_of(conn.exec_driver_sql("PRAGMA encoding").scalar())
        ids = [r[0] for r in conn.execute(dq)]
        for at in range(0, len(ids), CHUNK):
            chunk = ids[at:at + CHUNK]
            spans: dict[int, list[Any]] = {}
            q = sq.where(SpanRow.document_id.in_(chunk))
            if span_filter is not None and targets_of is not None:
                q = q.where(or_(span_filter, SpanRow.id.in_(
                    select(RelationRow.target_id).where(RelationRow.type == targets_of,
                                                        RelationRow.document_id.in_(chunk)))))
            elif span_filter is not None:
                q = q.where(span_filter)
            for r in conn.execute(q).all():  # one fetchall per chunk: rows are many
                spans.setdefault(r[1], []).append(r)
            rels: dict[int, list[Any]] = {}
            if relations:
                for r in conn.execute(select(RelationRow.document_id, RelationRow.type,
                                             RelationRow.source_id, RelationRow.target_id)
                                      .where(RelationRow.document_id.in_(chunk))
                                      .order_by(RelationRow.id)).all():
                    rels.setdefault(r[0], []).append(r)
            docs = conn.execute(select(*doc_cols, func.typeof(DocumentRow.text),
                                       cast(DocumentRow.text, LargeBinary))
                                .where(DocumentRow.id.in_(chunk))).all()
            by_pk = {d[0]: d for d in docs}
            for pk in chunk:
                if pk in by_pk:
                    yield _document(by_pk[pk], codec, path, spans.get(pk, []),
                                    rels.get(pk, []))


def _document(d: Any, codec: str, path: str, span_rows: list[Any], rel_rows: list[Any]
              ) -> DocData:
    where = decode.document_where(d[0], d[1])
    try:
        info, text = decode.document_with_text(d, codec)
    except decode.DamagedValue as exc:
        raise decode.damaged(path, where, exc) from None
    doc = DocData(info.pk, info.name, info.title, info.status, info.meta, text, path)
    length = len(text)
    out = doc.spans
    for r in span_rows:
        pk, _, layer, label, start, end, frags, attrs, note, annotator = r[:10]
        if (frags is None and type(start) is int and type(end) is int and 0 <= start < end
                <= length and type(layer) is str and layer and type(label) is str and label
                and type(note) is str and type(annotator) is str):
            fr: Fragments = ((start, end),)  # the common case, checked inline: spans are many
        else:
            try:
                fr, _ = decode.checked_span(r, length)
            except decode.DamagedValue as exc:
                raise decode.damaged(path, f"{where}, span {pk}", exc) from None
        out.append(QSpan(doc, pk, layer, label, fr, attrs, note, annotator))
    if any(len(s.fragments) > 1 for s in out):  # SQL sorted by the columns; re-check
        out.sort(key=lambda s: (s.start, s.end, s.layer, s.label, s.pk))
    for _, rtype, source, target in rel_rows:
        if type(rtype) is str and type(source) is int and type(target) is int:
            doc.relations.append((rtype, source, target))
        else:
            raise decode.damaged(path, f"{where}, a relation", decode.DamagedValue(
                "its type or ends are not what the schema promises"))
    return doc


def span_counts(project: Project) -> dict[int, dict[tuple[str, str], int]]:
    """Spans per document and (layer, label), counted by SQLite."""
    out: dict[int, dict[tuple[str, str], int]] = {}
    q = (select(SpanRow.document_id, SpanRow.layer, SpanRow.label, func.count())
         .group_by(SpanRow.document_id, SpanRow.layer, SpanRow.label))
    with project._read() as session:
        for doc, layer, label, n in session.connection().execute(q).all():
            if not (type(layer) is str and layer and type(label) is str and label):
                raise decode.damaged(project.path, f"document {doc}", decode.DamagedValue(
                    "a span's layer or label is not text"))
            out.setdefault(doc, {})[(layer, label)] = n
    return out
