"""The rows of a project on a server for :func:`annotator.core.query.reading.read`, through the
project's SQLAlchemy connection (Core statements, no dialect's own SQL).

Only the patterns' layer and label (and the targets of the relation ``source.`` conditions
look through) narrow what is read: every other condition is tested on every row read, which
gives the same hits (:mod:`~annotator.core.query.pushdown` only ever narrows). Rows are sorted
by start, end, layer, label, id here, as SQLite sorts them (by code point), whatever the
server's collation. It runs on a project file's connection too, which is how the tests compare
it with :mod:`~annotator.core.query.sqlite_source`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, LargeBinary, and_, cast, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from annotator.core.query.reading import ORDER_KEY, Row, SpanFilter
from annotator.core.storage import postgres as pg
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import DocumentRow, RelationRow, SpanRow

_SPAN_COLUMNS = (SpanRow.id, SpanRow.document_id, SpanRow.layer, SpanRow.label, SpanRow.start,
                 SpanRow.end, SpanRow.fragments, SpanRow.attributes, SpanRow.note,
                 SpanRow.annotator)


class ServerSource:
    """A project's rows read with SQLAlchemy Core on ``conn``."""

    def __init__(self, conn: Connection, path: str) -> None:
        self.conn, self.path = conn, path
        self.server = pg.is_server(conn)
        self.codec = "utf-8" if self.server else decode.codec_of(
            conn.exec_driver_sql("PRAGMA encoding").scalar())

    def document_ids(self, documents: Iterable[int] | None) -> list[int]:
        q = select(DocumentRow.id).order_by(DocumentRow.position, DocumentRow.id)
        if documents is not None:
            q = q.where(DocumentRow.id.in_([d for d in documents if type(d) is int]))
        return list(self.conn.execute(q).scalars())

    def _where(self, chunk: list[int], filters: list[SpanFilter] | None,
               targets_of: str | None) -> ColumnElement[bool]:
        inside = SpanRow.document_id.in_(chunk)
        if filters is None:
            return inside
        parts: list[ColumnElement[bool]] = []
        for layer, label in dict.fromkeys((f[0], f[1]) for f in filters):
            cond: list[ColumnElement[bool]] = [true()]
            if layer is not None:
                cond.append(SpanRow.layer == layer)
            if label is not None:
                cond.append(SpanRow.label == label)
            parts.append(and_(*cond))
        if targets_of is not None:
            parts.append(SpanRow.id.in_(select(RelationRow.target_id).where(
                RelationRow.type == targets_of, RelationRow.document_id.in_(chunk))))
        return and_(inside, or_(*parts))

    def span_rows(self, chunk: list[int], lengths: dict[int, object],
                  filters: list[SpanFilter] | None, targets_of: str | None,
                  targets: tuple[str, tuple[Any, ...]]) -> list[Row]:
        q = select(*_SPAN_COLUMNS).where(self._where(chunk, filters, targets_of)).order_by(
            SpanRow.document_id, SpanRow.start)
        return [tuple(r) for r in self.conn.execute(q)]

    def sorted_rows(self, document: int, chunk: list[int], lengths: dict[int, object],
                    filters: list[SpanFilter] | None, targets_of: str | None,
                    targets: tuple[str, tuple[Any, ...]]) -> list[Row]:
        q = select(*_SPAN_COLUMNS).where(self._where(chunk, filters, targets_of),
                                         SpanRow.document_id == document)
        rows = [tuple(r) for r in self.conn.execute(q)]
        if self.server:  # typed columns: sorted as SQLite sorts them
            return sorted(rows, key=ORDER_KEY)
        return [tuple(r) for r in self.conn.execute(q.order_by(
            SpanRow.start, SpanRow.end, SpanRow.layer, SpanRow.label, SpanRow.id))]

    def stamps(self, span: int) -> tuple[Any, Any]:
        r = self.conn.execute(select(SpanRow.created, SpanRow.modified).where(
            SpanRow.id == span)).one()
        return r[0], r[1]

    def relation_rows(self, chunk: list[int]) -> list[Row]:
        q = select(RelationRow.document_id, RelationRow.type, RelationRow.source_id,
                   RelationRow.target_id).where(RelationRow.document_id.in_(chunk)).order_by(
            RelationRow.id)
        return [tuple(r) for r in self.conn.execute(q)]

    def document_rows(self, chunk: list[int]) -> list[Row]:
        kind, raw = pg.text_columns() if self.server else (
            func.typeof(DocumentRow.text), cast(DocumentRow.text, LargeBinary))
        q = select(DocumentRow.id, DocumentRow.name, DocumentRow.title, DocumentRow.sha256,
                   DocumentRow.length, DocumentRow.meta, DocumentRow.status, kind,
                   func.char_length(DocumentRow.text) if self.server
                   else func.length(DocumentRow.text), raw).where(DocumentRow.id.in_(chunk))
        return [tuple(r) for r in self.conn.execute(q)]
