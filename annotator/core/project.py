"""The Project facade: open, create, close a project file; every change is a method.

Threading: a :class:`Project` may be used from one thread at a time; a worker thread that imports
or exports opens its own session through the same object (each method opens a short session of
its own). Every write method commits before it returns: there is no Save.

Errors: methods raise :class:`annotator.core.errors.AnnotatorError` subclasses with a message for
people; a failed write is rolled back, so the file stays as it was.

Backups: opening a project for writing makes a rolling backup when the file changed since the
newest backup, and closing one makes another when something was written; both at most once per
30 minutes (:func:`annotator.core.storage.backup.backup_if_changed`). A failed backup never stops
the work: :attr:`Project.backup_error` says why.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, LargeBinary, delete, func, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from annotator.core.annotations import (
    AnnotationEdits,
    NewSpan,
    now_iso,
)
from annotator.core.assignments import Assignments
from annotator.core.doc_level import DocumentLevelEdits
from annotator.core.errors import (
    AnnotatorError,
    ReadOnlyError,
    StorageError,
)
from annotator.core.model import (
    STATUSES,
    CorpusDocument,
    DocumentInfo,
)
from annotator.core.server_side import ServerSide
from annotator.core.storage import backup as backups
from annotator.core.storage import engine as eng
from annotator.core.storage import postgres as pg
from annotator.core.storage import rows
from annotator.core.storage.opening import open_file
from annotator.core.storage.schema import (
    SCHEMA_VERSION,
    DocumentRow,
    MetaRow,
    SpanRow,
)
from annotator.core.storage.snapshot import PrivateCopy
from annotator.core.storage.tagset_store import load_tagset, save_tagset
from annotator.core.suggestion_store import SuggestionStore
from annotator.core.tagset import Tagset

Progress = Callable[[int, int], None]
__all__ = ["SCHEMA_VERSION", "ImportResult", "NewSpan", "Project", "now_iso"]


@dataclass
class ImportResult:
    """What :meth:`Project.import_documents` did."""

    added: list[str] = field(default_factory=list)  # document names
    skipped: list[str] = field(default_factory=list)  # messages for duplicates
    labels_added: list[str] = field(default_factory=list)  # "layer:label" / "relation:type"
    spans: int = 0
    relations: int = 0
    identical: int = 0  # exact copies of a span within the input, stored once
    extended: list[str] = field(default_factory=list)  # spans added onto stored documents
    doc_annotations: int = 0


class Project(AnnotationEdits, DocumentLevelEdits, SuggestionStore, Assignments, ServerSide):
    """An open project file. Use :meth:`create` or :meth:`open`, and :meth:`close` (or ``with``)."""

    def __init__(self, path: Path, engine: Engine, *, readonly: bool, lock: eng.WriteLock | None,
                 readonly_reason: str = "", copy: PrivateCopy | None = None,
                 open_key: tuple[int, int] | None = None) -> None:
        self.path = path
        self._engine = engine
        self.readonly = readonly
        self.readonly_reason = readonly_reason
        self._lock = lock
        self._copy = copy  # the private copy a reader reads, if any
        self._open_key = open_key
        self._tagset: Tagset | None = None
        self._meta: dict[str, object] = {}  # as stored: checked when read (``_setting``)
        # writable: the file was upgraded from this schema (backup: upgrade_backup); read-only:
        # the file has this older schema and what is read is an upgraded private copy
        self.upgraded_from: int | None = None
        self.upgrade_backup: Path | None = None
        self.backup_error: str | None = None  # why the last rolling backup failed, if it did
        self._changed = False  # something was committed since open
        self._wal = False  # switched to WAL (before the first write)
        try:
            self._load_meta()
        except BaseException:
            self._release()
            raise

    # ----------------------------------------------------------------- lifecycle
    @classmethod
    def create(cls, path: str | Path, *, annotator: str = "", tagset: Tagset | None = None,
               overwrite: bool = False) -> Project:
        """Create a new project file; refuses to overwrite an existing file unless asked.

        A symbolic link at ``path`` is refused (never followed, dangling or not); a stale
        ``-wal``/``-shm``/``-journal`` beside ``path`` is removed so it cannot be applied to the
        new file. The file is made complete in rollback-journal mode (its header marks it as
        ours from the start) and only then opened in WAL mode."""
        if pg.is_url(path):
            raise AnnotatorError("is a database: set it up with `annotator server init`",
                                 path=pg.shown_url(str(path)))
        p = Path(path)
        if p.is_symlink():
            raise AnnotatorError("is a symbolic link; choose a new file name", path=p)
        if p.is_dir():
            raise AnnotatorError("is a folder; give a file name", path=p)
        if p.exists() and not overwrite:
            raise AnnotatorError("already exists; choose another name", path=p)
        if not p.parent.exists():
            raise AnnotatorError(f"folder {p.parent} does not exist", path=p)
        if tagset is None:
            from annotator.core.tagset import default_tagset

            tagset = default_tagset()
        try:
            p.unlink(missing_ok=True)
            for suffix in ("-wal", "-shm", "-journal"):
                p.with_name(p.name + suffix).unlink(missing_ok=True)
            # O_EXCL + O_NOFOLLOW: a link put there meanwhile is refused, not followed
            os.close(os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                             | getattr(os, "O_NOFOLLOW", 0), 0o666))
        except OSError as exc:
            raise StorageError(f"could not create the project ({_reason(exc)})", path=p) from None
        try:
            setup = eng.make_engine(p, wal=False)
            try:
                eng.initialise(setup)
                with Session(setup) as s, s.begin():
                    save_tagset(s, tagset)
                    for key, value in (("annotator", annotator), ("created", now_iso()),
                                       ("tagset_name", tagset.name)):
                        s.add(MetaRow(key=key, value=value))
            finally:
                setup.dispose()
        except (sqlite3.Error, DBAPIError, OSError) as exc:
            for suffix in ("", "-wal", "-shm", "-journal"):
                p.with_name(p.name + suffix).unlink(missing_ok=True)
            raise StorageError(f"could not create the project ({_reason(exc)})", path=p) from None
        lock = eng.WriteLock(p)
        lock.acquire()
        open_key = eng.register_open(p)
        return cls(p, eng.make_engine(p), readonly=False, lock=lock, open_key=open_key)

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, untrusted: bool = False,
             fallback_readonly: bool = False) -> Project:
        """Open an existing project (the contract: :mod:`annotator.core.storage.opening`).

        ``untrusted`` (a colleague's file under review) implies read-only. Read-only opens never
        write a byte of a file nobody is editing, yet see every committed transaction (also one
        still in a write-ahead log). With ``fallback_readonly`` a project that is locked by
        another program, or a file that cannot be written, opens read-only and
        :attr:`readonly_reason` says why; otherwise that raises.
        """
        if pg.is_url(path):
            return cls._open_server(str(path), readonly=readonly or untrusted)
        p = Path(path)
        opened = open_file(p, readonly=readonly, untrusted=untrusted,
                           fallback_readonly=fallback_readonly)
        project = cls(p, opened.engine, readonly=opened.readonly, lock=opened.lock,
                      readonly_reason=opened.reason, copy=opened.copy, open_key=opened.key)
        project.upgraded_from = opened.upgraded_from
        project.upgrade_backup = opened.upgrade_backup
        if not project.readonly:
            # no pooled connection while the backup reads the file by name: closing any
            # descriptor of it would drop this process's SQLite locks on it
            project._engine.dispose()
            project._rolling_backup()
        return project

    def _rolling_backup(self) -> None:
        try:
            backups.backup_if_changed(self.path)
        except (AnnotatorError, OSError) as exc:
            self.backup_error = str(exc)

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the file, so that a reader that ignores it (a review
        opens its files immutable) sees every committed edit. Nothing for a read-only project."""
        if self.readonly or self._engine is None or self.on_server:
            return
        with suppress(sqlite3.Error), eng.raw_connection(self._engine) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        if self._engine is None:
            return
        if self.readonly or self.on_server:
            self._engine.dispose()
        else:
            eng.checkpoint_and_close(self._engine)
            if self._changed:  # still under our lock: nobody writes while the copy is made
                self._rolling_backup()
        self._release()

    def _release(self) -> None:
        self._engine.dispose()
        eng.unregister_open(self._open_key)
        self._open_key = None
        if self._lock:
            self._lock.release()
            self._lock = None
        if self._copy is not None:
            self._copy.discard()
            self._copy = None
        # typed Engine for the open project's many uses; None only marks it closed
        self._engine = None  # type: ignore[assignment]

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- sessions
    @contextmanager
    def _read(self) -> Iterator[Session]:
        if self._engine is None:
            raise AnnotatorError("the project is closed", path=self.path)
        try:
            with Session(self._engine) as s:
                yield s
        except (DBAPIError, sqlite3.Error) as exc:
            raise self._storage_error(exc, "read") from None

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction; rolled back and turned into a clear error on failure."""
        if self.readonly:
            raise ReadOnlyError("is open read-only" + (f": {self.readonly_reason}"
                                                        if self.readonly_reason else ""),
                                path=self.path)
        if self._engine is None:
            raise AnnotatorError("the project is closed", path=self.path)
        if not self._wal and not self.on_server:
            # before the first write, not at open; not switched (a reader's transaction was
            # open): tried again before the next write
            self._wal = eng.use_wal(self._engine)
        try:
            with Session(self._engine) as s, s.begin():
                yield s
            self._changed = True
        except IntegrityError as exc:
            raise AnnotatorError(f"the change was refused ({_reason(exc)})",
                                 path=self.path) from None
        except StaleDataError:  # a row this user may read but the server lets them not change
            raise AnnotatorError("the change was refused: you may not change this (the "
                                 "server's permissions), or someone else just did",
                                 path=self.path) from None
        except (DBAPIError, sqlite3.Error) as exc:
            raise self._storage_error(exc, "written") from None

    def _storage_error(self, exc: BaseException, doing: str) -> AnnotatorError:
        """A database failure as a message for people; nothing was changed by it."""
        msg = _reason(exc)
        low = msg.lower()
        if "could not decode to utf-8" in low:  # sqlite3's message quotes the whole value
            column = msg.split("'")[1] if msg.count("'") >= 2 else "?"
            return rows.damaged(self.path, "", rows.DamagedValue(
                f"a value of the column {column!r} is not valid UTF-8"))
        if "readonly" in low or "read-only" in low:
            return ReadOnlyError("cannot be written (read-only file); nothing was changed",
                                 path=self.path)
        if "full" in low:
            return StorageError("the disk is full; nothing was changed", path=self.path)
        if "database is locked" in low and not self.on_server:
            # before the switch to WAL (see _write) a reader's open transaction holds up writes
            return StorageError(f"could not be {doing}: another program or window is reading "
                                "it (an export or a query?) and holds it until it finishes; "
                                "nothing was changed, try again then", path=self.path)
        if "permission denied" in low and self.on_server:  # the server's grants, not a file's
            return AnnotatorError("the change was refused: the server does not let this user "
                                  f"do it (on a shared project only a curator adds documents "
                                  f"or changes the tagset; {msg}); nothing was changed",
                                  path=self.path)
        return StorageError(f"could not be {doing} ({msg}); nothing was changed", path=self.path)

    # ----------------------------------------------------------------- meta, tagset
    def _load_meta(self) -> None:
        """Read the settings as stored, whatever they hold: a damaged value is reported when it
        is used (:meth:`_setting`) and by :meth:`check`, and never stops the file opening."""
        if self._engine is None:
            raise AnnotatorError("the project is closed", path=self.path)
        if self.on_server:
            self._meta = self._server_meta()
            return
        try:
            with eng.raw_connection(self._engine) as conn, rows.tolerant(conn):
                self._meta = {k: v for k, v in conn.execute(
                    "SELECT key, value FROM project_meta") if type(k) is str}
        except sqlite3.Error as exc:
            raise self._storage_error(exc, "read") from None

    def reread_settings(self) -> None:
        """Forget the settings and tagset read so far, so that changes made elsewhere (a
        colleague on a shared project) are seen at the next use."""
        self._tagset = None
        self._load_meta()

    def _setting(self, key: str) -> str:
        try:
            return rows.text(self._meta.get(key, ""), f"the setting {key!r}")
        except rows.DamagedValue as exc:
            raise rows.damaged(self.path, "", exc) from None

    @property
    def annotator(self) -> str:
        return self._setting("annotator")

    def setting(self, key: str) -> str:
        """A project-wide setting (project_meta), "" when unset."""
        return self._setting(key)

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as s:
            s.merge(MetaRow(key=key, value=value))
        self._meta[key] = value

    def set_annotator(self, name: str) -> None:
        with self._write() as s:
            s.merge(MetaRow(key="annotator", value=name))
        self._meta["annotator"] = name

    @property
    def tagset(self) -> Tagset:
        if self._tagset is None:
            name = self._setting("tagset_name")
            with self._read() as s:
                try:
                    self._tagset = load_tagset(s, name)
                except rows.DamagedValue as exc:
                    raise rows.damaged(self.path, "", exc) from None
        return self._tagset

    def set_tagset(self, tagset: Tagset) -> None:
        tagset.check_names(self.tagset)  # before the write: a refused one changes nothing
        with self._write() as s:
            save_tagset(s, tagset)
            s.merge(MetaRow(key="tagset_name", value=tagset.name))
        self._tagset = None

    # ----------------------------------------------------------------- documents
    def documents(self, *, status: str | None = None, search: str | None = None
                  ) -> list[DocumentInfo]:
        """Document headers in import order, with span counts."""
        counts = (select(SpanRow.document_id, func.count().label("n"))
                  .group_by(SpanRow.document_id).subquery())
        q = (select(*(DocumentRow.__table__.c[c] for c in rows.DOCUMENT_COLUMNS),
                    func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.document_id == DocumentRow.id)
             .order_by(DocumentRow.position, DocumentRow.id))
        if status:
            q = q.where(DocumentRow.status == status)
        if search:
            like = f"%{search}%"
            q = q.where(DocumentRow.title.like(like) | DocumentRow.name.like(like))
        with self._read() as s:
            found = s.connection().execute(q).all()
        out = []
        for r in found:
            try:
                out.append(rows.document_info(r[:-1], r[-1]))
            except rows.DamagedValue as exc:
                raise rows.damaged(self.path, rows.document_where(r[0], r[1]), exc) from None
        return out

    def document(self, pk: int) -> DocumentInfo:
        """One document's header: reads that document's row and counts its spans only (the
        index on spans by document), whatever the size of the project."""
        count = (select(func.count()).select_from(SpanRow).where(SpanRow.document_id == pk)
                 .scalar_subquery())
        q = select(*(DocumentRow.__table__.c[c] for c in rows.DOCUMENT_COLUMNS), count).where(
            DocumentRow.id == pk)
        with self._read() as s:
            r = s.connection().execute(q).first()
        if r is None:
            raise AnnotatorError(f"no document {pk}", path=self.path)
        try:
            return rows.document_info(r[:-1], r[-1])
        except rows.DamagedValue as exc:
            raise rows.damaged(self.path, rows.document_where(r[0], r[1]), exc) from None

    def document_by_name(self, name: str) -> DocumentInfo | None:
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (a non-UTF-8 argument): never stored
            return None
        with self._read() as s:
            pk = s.scalar(select(DocumentRow.id).where(DocumentRow.name == name))
        return self.document(pk) if pk is not None else None

    def text(self, pk: int) -> str:
        """The document's text; a text that is not text, or not as long as recorded, raises
        :class:`DamagedProjectError` naming the document."""
        with self._read() as s:
            conn = s.connection()
            if self.on_server:
                codec, type_and_bytes = "utf-8", pg.text_columns()
            else:
                codec = rows.codec_of(conn.exec_driver_sql("PRAGMA encoding").scalar())
                type_and_bytes = (func.typeof(DocumentRow.text),
                                  sql_cast(DocumentRow.text, LargeBinary))
            row = conn.execute(select(DocumentRow.name, DocumentRow.length, *type_and_bytes)
                               .where(DocumentRow.id == pk)).first()
        if row is None:
            raise AnnotatorError(f"no document {pk}", path=self.path)
        name, length, type_name, raw = row
        try:
            return rows.text_as_recorded(type_name, raw, codec, length)
        except rows.DamagedValue as exc:
            raise rows.damaged(self.path, rows.document_where(pk, name), exc) from None

    def set_status(self, pk: int, status: str) -> str:
        """Set a document's status; returns the previous one."""
        if status not in STATUSES:
            raise AnnotatorError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
        with self._write() as s:
            old = s.scalar(select(DocumentRow.status).where(DocumentRow.id == pk))
            if old is None:
                raise AnnotatorError(f"no document {pk}", path=self.path)
            s.execute(update(DocumentRow).where(DocumentRow.id == pk)
                      .values(status=status, modified=now_iso()))
        return old

    def set_title(self, pk: int, title: str) -> None:
        with self._write() as s:
            s.execute(update(DocumentRow).where(DocumentRow.id == pk).values(title=title))

    def delete_document(self, pk: int) -> None:
        with self._write() as s:
            s.execute(delete(DocumentRow).where(DocumentRow.id == pk))

    # ----------------------------------------------------------------- bulk
    def import_documents(self, docs: Iterable[CorpusDocument], *,
                         progress: Progress | None = None,
                         cancelled: Callable[[], bool] | None = None) -> ImportResult:
        from annotator.core.bulk import import_documents

        return import_documents(self, docs, progress=progress, cancelled=cancelled)

    def iter_corpus(self, *, documents: Iterable[int] | None = None,
                    layers: Iterable[str] | None = None, labels: Iterable[str] | None = None,
                    statuses: Iterable[str] | None = None) -> Iterable[CorpusDocument]:
        """The documents, streamed and re-iterable (:class:`annotator.core.corpus_read.Corpus`,
        whose ``plan()`` serves exporters that declare layers up front)."""
        from annotator.core.corpus_read import iter_corpus

        return iter_corpus(self, documents=documents, layers=layers, labels=labels,
                           statuses=statuses)

    def stats(self) -> dict[str, Any]:
        """Counts of documents by status, spans per layer, label and annotator, relations per
        type, accepted suggestions (:func:`annotator.core.stats.project_stats`)."""
        from annotator.core.stats import project_stats

        return project_stats(self)

    def check(self) -> list[str]:
        if self.on_server:
            return self._server_check()
        from annotator.core.integrity import check_project

        return check_project(self)

    @property
    def engine(self) -> Engine:
        """For core modules (bulk, integrity, review) only; never for the GUI."""
        return self._engine


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).splitlines()[0]


