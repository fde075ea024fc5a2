"""Streaming a project's documents for queries and figures, from a project file or a server
(:func:`stream_documents`; what is read and how: :mod:`annotator.core.query.reading`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from annotator.core.query.reading import DocData, Source, SpanFilter, read
from annotator.core.query.server_source import ServerSource
from annotator.core.query.sqlite_source import SqliteSource
from annotator.core.storage import postgres as pg

if TYPE_CHECKING:
    from annotator.core.project import Project


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
    if wanted is not None and any(f[0] is None and f[1] is None and not f[2] for f in wanted):
        wanted = None  # one of them takes every span
    with project._read() as session:
        source: Source
        if pg.is_server(project.engine):
            source = ServerSource(session.connection(), str(project.path))
        else:
            source = SqliteSource(session, str(project.path))
        yield from read(source, wanted, relations, targets_of, documents, targets)
