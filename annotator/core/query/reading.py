"""Reading a project for queries and figures: documents streamed in chunks, Core rows.

Memory stays bounded by one chunk of documents (their texts, spans and relations). Every value
used is checked as the project's own reads check it (:mod:`annotator.core.storage.rows`); a
damaged one raises :class:`~annotator.core.errors.DamagedProjectError` naming the document.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from annotator.core.model import Fragments, span_text
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import SpanRow

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
        fr = self.fragments
        if len(fr) == 1:
            return self.document.text[fr[0][0]:fr[0][1]]
        return span_text(self.document.text, fr)


class DocData:
    """A document as queries see it; its text is read on first use (a document without hits
    is never read whole), checked then as the project's reads check it."""

    __slots__ = ("_load", "_text", "meta", "name", "path", "pk", "relations", "spans",
                 "status", "title")

    def __init__(self, pk: int, name: str, title: str, status: str, meta: dict[str, Any],
                 text: str | None, path: str, load: Callable[[], str] | None = None) -> None:
        self.pk, self.name, self.title, self.status, self.meta = pk, name, title, status, meta
        self._text, self._load, self.path = text, load, path
        self.spans: list[QSpan] = []
        self.relations: list[tuple[str, int, int]] = []  # type, from, to

    @property
    def text(self) -> str:
        if self._text is None:
            assert self._load is not None
            self._text = self._load()
        return self._text

    @property
    def where(self) -> str:
        return decode.document_where(self.pk, self.name)

    def words(self) -> int:
        return len(self.text.split())


# (layer or None, label or None, an SQL condition on the span row or "", its parameters): the
# SQL narrows what is read, never widens it; the engine still tests every row it gets
SpanFilter = tuple[str | None, str | None, str, tuple[Any, ...]]

_SPAN_SQL = 'SELECT id, document_id, layer, label, start, "end", fragments, attributes, note, ' \
            "annotator FROM span WHERE document_id IN ({ids})"
_ORDER = ' ORDER BY document_id, start, "end", layer, label, id'
_DOC_SQL = ("SELECT id, name, title, sha256, length, meta, status, typeof(text), length(text) "
            "FROM document WHERE id IN ({ids})")
_TEXT_SQL = "SELECT typeof(text), CAST(text AS BLOB) FROM document WHERE id = ?"


def _where(filters: list[SpanFilter] | None, targets_of: str | None,
           targets: tuple[str, tuple[Any, ...]], chunk: list[int]) -> tuple[str, list[Any]]:
    if filters is None or any(f[0] is None and f[1] is None and not f[2] for f in filters):
        return "", []
    parts: list[str] = []
    params: list[Any] = []
    for layer, label, sql, args in dict.fromkeys(filters):
        cond = []
        if layer is not None:
            cond.append("layer = ?")
            params.append(layer)
        if label is not None:
            cond.append("label = ?")
            params.append(label)
        if sql:
            cond.append(sql)
            params.extend(args)
        parts.append("(" + " AND ".join(cond or ["1"]) + ")")
    if targets_of is not None:
        parts.append("(id IN (SELECT target_id FROM relation WHERE type = ? AND document_id "
                     f"IN ({','.join('?' * len(chunk))})){' AND ' if targets[0] else ''}"
                     f"{targets[0]})")
        params += [targets_of, *chunk, *targets[1]]
    return " AND (" + " OR ".join(parts) + ")", params


def stream_documents(project: Project, *, selectors: Iterable[tuple[str | None, str | None]]
                     | None = None, relations: bool = False, targets_of: str | None = None,
                     documents: Iterable[int] | None = None,
                     filters: Iterable[SpanFilter] | None = None,
                     targets: tuple[str, tuple[Any, ...]] = ("", ())) -> Iterator[DocData]:
    """Documents in import order with their spans (only those matching one of ``selectors``,
    ``(layer, label)`` with None for any, or of ``filters``, which may add an SQL condition;
    all when both are None; also, with ``targets_of``, every span a relation of that type
    points to and ``targets``, an SQL condition with its parameters, lets through) sorted by
    start, end, layer, label, and, with ``relations``, their relations."""
    wanted: list[SpanFilter] | None = None
    if filters is not None:
        wanted = list(filters)
    elif selectors is not None:
        wanted = [(layer, label, "", ()) for layer, label in selectors]
    dq = "SELECT id FROM document"
    if documents is not None:
        dq += " WHERE id IN (SELECT value FROM json_each(?))"
    dq += " ORDER BY position, id"
    path = str(project.path)
    with project._read() as session:
        conn: sqlite3.Connection = session.connection().connection.dbapi_connection  # type: ignore[assignment]
        codec = decode.codec_of(conn.execute("PRAGMA encoding").fetchone()[0])
        args = [json.dumps([d for d in documents if type(d) is int])] if documents is not None \
            else []
        ids = [r[0] for r in conn.execute(dq, args)]
        for at in range(0, len(ids), CHUNK):
            chunk = ids[at:at + CHUNK]
            marks = ",".join("?" * len(chunk))
            where, params = _where(wanted, targets_of, targets, chunk)
            spans: dict[int, list[Any]] = {}
            for r in conn.execute(_SPAN_SQL.format(ids=marks) + where + _ORDER,
                                  chunk + params).fetchall():
                spans.setdefault(r[1], []).append(r)
            rels: dict[int, list[Any]] = {}
            if relations:
                for r in conn.execute("SELECT document_id, type, source_id, target_id FROM "
                                      f"relation WHERE document_id IN ({marks}) ORDER BY id",
                                      chunk).fetchall():
                    rels.setdefault(r[0], []).append(r)
            by_pk = {d[0]: d for d in conn.execute(_DOC_SQL.format(ids=marks), chunk)}
            for pk in chunk:
                if pk in by_pk:
                    yield _document(conn, by_pk[pk], codec, path, spans.get(pk, []),
                                    rels.get(pk, []))


def _reader(conn: sqlite3.Connection, d: Any, codec: str, path: str) -> Callable[[], str]:
    def load() -> str:
        row = conn.execute(_TEXT_SQL, (d[0],)).fetchone()
        try:
            return decode.document_with_text((*d[:7], *row), codec)[1]
        except decode.DamagedValue as exc:
            raise decode.damaged(path, decode.document_where(d[0], d[1]), exc) from None
    return load


def _document(conn: sqlite3.Connection, d: Any, codec: str, path: str, span_rows: list[Any],
              rel_rows: list[Any]) -> DocData:
    where = decode.document_where(d[0], d[1])
    try:
        info = decode.document_info(d[:7])
        if d[7] == "text" and d[8] == info.length:  # read its text when it is needed
            text: str | None = None
        else:  # read it now: what is wrong with it is said as before
            text = _reader(conn, d, codec, path)()
    except decode.DamagedValue as exc:
        raise decode.damaged(path, where, exc) from None
    doc = DocData(info.pk, info.name, info.title, info.status, info.meta, text, path,
                  _reader(conn, d, codec, path))
    length = info.length
    out = doc.spans
    for r in span_rows:
        pk, _, layer, label, start, end, frags, attrs, note, annotator = r
        if (frags is None and type(start) is int and type(end) is int and 0 <= start < end
                <= length and type(layer) is str and layer and type(label) is str and label
                and type(note) is str and type(annotator) is str):
            fr: Fragments = ((start, end),)  # the common case, checked inline: spans are many
        else:
            full = (*r, *conn.execute("SELECT created, modified FROM span WHERE id = ?",
                                      (pk,)).fetchone())
            try:
                fr, _ = decode.checked_span(full, length)
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
