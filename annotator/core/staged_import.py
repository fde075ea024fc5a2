"""An import that reads everything before it writes anything, with memory bounded by a batch:
what ``annotator import`` runs.

Phase one checks every input document and turns it into rows (:func:`bulk.build_rows`) against
the project as a read-only open sees it, and puts the rows into a private staging database in a
temporary folder, :data:`bulk.BATCH` documents at a time. Phase two opens the project for
writing and, in one transaction, checks that the project did not change meanwhile and copies the
staged rows in. Bad input anywhere (the last line of the last file too) is found in phase one:
the project file is never opened for writing and stays byte-identical (same bytes, same mtime,
nothing beside it). A kill at any moment leaves the project as it was before or with the whole
import (phase two is one transaction); the staging folder is removed when the import ends. A
project on a server is imported directly, in one server transaction.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from annotator.core import bulk
from annotator.core.errors import StorageError
from annotator.core.model import CorpusDocument
from annotator.core.storage import postgres as pg
from annotator.core.storage.schema import (
    DocAnnotationRow,
    DocumentRow,
    LabelRow,
    LayerRow,
    RelationRow,
    RelationTypeRow,
    SpanRow,
)
from annotator.core.storage.tagset_store import save_tagset

if TYPE_CHECKING:
    from annotator.core.project import ImportResult

TABLES = ("document", "span", "relation", "doc_annotation")


def import_streamed(path: str | Path, docs: Iterable[CorpusDocument], *,
                    progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import ``docs`` (read lazily, e.g. :func:`annotator.formats.reading.iter_documents`)
    into the project at ``path``, all or nothing (see the module's docstring)."""
    from annotator.core.project import Project

    if pg.is_url(path):
        with Project.open(path) as p:
            return p.import_documents(docs, progress=progress)
    with tempfile.TemporaryDirectory(prefix="annotator-import-") as tmp:
        stage = _Stage(Path(tmp) / "staged.db")
        try:
            with Project.open(path, readonly=True) as p:
                tagset = p.tagset
                with p._read() as s:
                    before = _state(s)
                    result = bulk.build_rows(p, s, docs, tagset, stage.add, progress=progress)
            stage.conn.commit()
            with Project.open(path) as p:
                with p._write() as s:
                    if _state(s) != before:
                        raise StorageError("changed while the import was being read; nothing "
                                           "was imported (run the import again)", path=path)
                    conn = s.connection().connection.driver_connection
                    for table in TABLES:
                        conn.executemany(bulk.INSERTS[table], stage.rows(table))
                    if result.labels_added:
                        save_tagset(s, tagset)
                p._tagset = None
        finally:
            stage.conn.close()
    result.spans, result.relations, result.doc_annotations = stage.counts
    return result


def _state(s: Any) -> tuple[Any, ...]:
    """What the rows were built against: each table's size and largest key."""
    out: list[Any] = []
    for table in (DocumentRow, SpanRow, RelationRow, DocAnnotationRow, LayerRow, LabelRow,
                  RelationTypeRow):
        out += s.execute(select(func.count(), func.max(table.id))).one()
    out.append(s.scalar(select(func.max(DocumentRow.position))))
    return tuple(out)


class _Stage:
    """The staged rows: an SQLite file of our own, without journal or sync (it is thrown away
    if anything fails)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        for table in TABLES:
            self.conn.execute(f'CREATE TABLE "{table}" ({", ".join(bulk.COLUMNS[table])})')
        self.counts = [0, 0, 0]  # spans, relations, document annotations

    def add(self, *batch: list[tuple[object, ...]]) -> None:
        for table, rows in zip(TABLES, batch, strict=True):
            if rows:
                self.conn.executemany(bulk.INSERTS[table], rows)
        self.counts[0] += len(batch[1])
        self.counts[1] += len(batch[2])
        self.counts[2] += len(batch[3])
        for rows in batch:
            rows.clear()

    def rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        return iter(self.conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'))
