"""The rows of a project file for :func:`annotator.core.query.reading.read`, through the raw
``sqlite3`` cursor (no SQLAlchemy rows: spans are many), with the conditions
:mod:`~annotator.core.query.pushdown` says in SQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from annotator.core.query.reading import Row, SpanFilter
from annotator.core.storage import rows as decode

# every span of the chunk's documents (the index gives them by start), with its document's
# recorded length at hand for the conditions (pushdown)
_SPAN_SQL = ("WITH chunk_length(doc, n) AS (SELECT json_extract(value, '$[0]'), "
             "json_extract(value, '$[1]') FROM json_each(?)) SELECT span.id, document_id, layer, "
             'label, start, "end", fragments, attributes, note, annotator FROM chunk_length '
             "CROSS JOIN span ON span.document_id = chunk_length.doc WHERE 1")
_ORDER = ' ORDER BY start, "end", layer, label, span.id'
_DOC_SQL = ("SELECT id, name, title, sha256, length, meta, status, typeof(text), length(text), "
            "CAST(text AS BLOB) FROM document WHERE id IN ({ids})")


def _where(filters: list[SpanFilter] | None, targets_of: str | None,
           targets: tuple[str, tuple[Any, ...]], chunk: list[int]) -> tuple[str, list[Any]]:
    if filters is None:
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


def _lengths(chunk: list[int], lengths: dict[int, object]) -> str:
    """``chunk_length`` as JSON: [document, its recorded length (null when not a number)]."""
    return json.dumps([[d, n if type(n) is int else None] for d in chunk
                       if d in lengths for n in (lengths[d],)])


class SqliteSource:
    """A project file's rows, read on the session's own connection."""

    def __init__(self, session: Session, path: str) -> None:
        self.conn: sqlite3.Connection = session.connection().connection.dbapi_connection  # type: ignore[assignment]
        self.path = path
        self.codec = decode.codec_of(self.conn.execute("PRAGMA encoding").fetchone()[0])

    def document_ids(self, documents: Iterable[int] | None) -> list[int]:
        dq = "SELECT id FROM document"
        args: list[Any] = []
        if documents is not None:
            dq += " WHERE id IN (SELECT value FROM json_each(?))"
            args.append(json.dumps([d for d in documents if type(d) is int]))
        return [r[0] for r in self.conn.execute(dq + " ORDER BY position, id", args)]

    def span_rows(self, chunk: list[int], lengths: dict[int, object],
                  filters: list[SpanFilter] | None, targets_of: str | None,
                  targets: tuple[str, tuple[Any, ...]]) -> list[Row]:
        where, params = _where(filters, targets_of, targets, chunk)
        return self.conn.execute(_SPAN_SQL + where, [_lengths(chunk, lengths), *params]
                                 ).fetchall()

    def sorted_rows(self, document: int, chunk: list[int], lengths: dict[int, object],
                    filters: list[SpanFilter] | None, targets_of: str | None,
                    targets: tuple[str, tuple[Any, ...]]) -> list[Row]:
        where, params = _where(filters, targets_of, targets, chunk)
        return self.conn.execute(_SPAN_SQL + where + _ORDER,
                                 [_lengths([document], lengths), *params]).fetchall()

    def stamps(self, span: int) -> tuple[Any, Any]:
        return self.conn.execute("SELECT created, modified FROM span WHERE id = ?",
                                 (span,)).fetchone()

    def relation_rows(self, chunk: list[int]) -> list[Row]:
        return self.conn.execute("SELECT document_id, type, source_id, target_id FROM relation "
                                 f"WHERE document_id IN ({','.join('?' * len(chunk))}) ORDER BY "
                                 "id", chunk).fetchall()

    def document_rows(self, chunk: list[int]) -> list[Row]:
        return self.conn.execute(_DOC_SQL.format(ids=",".join("?" * len(chunk))),
                                 chunk).fetchall()
