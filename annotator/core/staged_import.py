"""An import that reads everything before it writes anything, with memory bounded by a batch:
what ``annotator import`` runs.

Phase one checks every input document and turns it into rows (:func:`bulk.build_rows`) against
the project as a read-only open sees it, and stages the rows :data:`bulk.BATCH` documents at a
time: the first :data:`HELD` batches in memory, the others in a private file in a temporary
folder. Phase two opens the project for
writing and, in one transaction, checks that the project did not change meanwhile and copies the
staged rows in. Bad input anywhere (the last line of the last file too) is found in phase one:
the project file is never opened for writing and stays byte-identical (same bytes, same mtime,
nothing beside it). A kill at any moment leaves the project as it was before or with the whole
import (phase two is one transaction); the staging folder is removed when the import ends. A
project on a server needs none of this: it imports in one server transaction
(:meth:`Project.import_documents`, which streams too).
"""

from __future__ import annotations

import marshal
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
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
    from annotator.core.project import ImportResult, Project

TABLES = ("document", "span", "relation", "doc_annotation")
HELD = 8  # batches of rows (bulk.BATCH documents each) kept in memory before spilling to a file


def import_streamed(project: Project, read: Callable[[str], Iterable[CorpusDocument]], *,
                    progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import the documents ``read(annotator)`` yields (lazily, e.g.
    :func:`annotator.formats.reading.iter_documents`) into the project that ``project`` (open
    read-only) shows, all or nothing (see the module's docstring)."""
    from annotator.core.project import Project  # noqa: F811 - at run time

    if pg.is_server(project.engine):
        raise ValueError("a project on a server imports in one server transaction: "
                         "Project.import_documents")
    with tempfile.TemporaryDirectory(prefix="annotator-import-") as tmp:
        stage = _Stage(Path(tmp) / "staged.rows")
        try:
            tagset = project.tagset
            with project._read() as s:
                before = _state(s)
                result = bulk.build_rows(project, s, read(project.annotator), tagset, stage.add,
                                         progress=progress)
            with Project.open(project.path) as p:
                with p._write() as s:
                    if _state(s) != before:
                        raise StorageError("changed while the import was being read; nothing "
                                           "was imported (run the import again)",
                                           path=project.path)
                    driver = s.connection().connection.driver_connection
                    assert isinstance(driver, sqlite3.Connection)  # a project file's
                    stage.insert_into(driver)
                    if result.labels_added:
                        save_tagset(s, tagset)
                p._tagset = None
        finally:
            stage.fh.close()
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
    """The staged rows: batches of plain tuples (ints, strings, None). The first
    :data:`HELD` batches are kept in memory (a copy each: the builder reuses its lists); past
    that every batch is marshalled, one after the other, into a file of our own in a private
    temporary folder, so memory stays bounded. Read back in order; written and read by this
    process only; thrown away when the import ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fh = path.open("w+b")
        self.batches = 0  # in the file
        self.held: list[tuple[list[tuple[object, ...]], ...]] = []
        self.counts = [0, 0, 0]  # spans, relations, document annotations

    def add(self, *batch: list[tuple[object, ...]]) -> None:
        if any(batch):
            self.held.append(tuple(rows.copy() for rows in batch))
            if len(self.held) > HELD:  # from now on, every batch goes to the file
                for held in self.held:
                    self._write(held)
                self.held.clear()
        self.counts[0] += len(batch[1])
        self.counts[1] += len(batch[2])
        self.counts[2] += len(batch[3])
        for rows in batch:
            rows.clear()

    def _write(self, batch: tuple[list[tuple[object, ...]], ...]) -> None:
        data = marshal.dumps(batch)  # length-prefixed: marshal.load on a file reads in pieces
        self.fh.write(len(data).to_bytes(8, "little"))
        self.fh.write(data)
        self.batches += 1

    def insert_into(self, conn: sqlite3.Connection) -> None:
        """Insert every batch through ``conn`` (in its open transaction), in the staged order
        (the file's, then those held): a batch's documents before their spans, spans before
        their relations."""
        self.fh.flush()
        self.fh.seek(0)
        for _ in range(self.batches):
            size = int.from_bytes(self.fh.read(8), "little")
            self._insert(conn, marshal.loads(self.fh.read(size)))
        for batch in self.held:
            self._insert(conn, batch)

    @staticmethod
    def _insert(conn: sqlite3.Connection, batch: tuple[list[tuple[object, ...]], ...]) -> None:
        for table, rows in zip(TABLES, batch, strict=True):
            if rows:
                conn.executemany(bulk.INSERTS[table], rows)
