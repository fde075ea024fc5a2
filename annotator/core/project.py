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

import copy
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from annotator.core.errors import (
    AnnotatorError,
    DamagedProjectError,
    NotAProjectError,
    ProjectLockedError,
    ReadOnlyError,
    StorageError,
)
from annotator.core.model import (
    STATUSES,
    Attributes,
    CorpusDocument,
    DocumentInfo,
    Fragments,
    Relation,
    Span,
    check_fragments,
)
from annotator.core.storage import backup as backups
from annotator.core.storage import engine as eng
from annotator.core.storage import migrations
from annotator.core.storage.schema import (
    SCHEMA_VERSION,
    DocumentRow,
    MetaRow,
    RelationRow,
    SpanRow,
)
from annotator.core.storage.tagset_store import load_tagset, save_tagset
from annotator.core.tagset import Tagset

Progress = Callable[[int, int], None]
# a span to add: layer, label, fragments, attributes
NewSpan = tuple[str, str, Fragments, Attributes | None]


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _frag_json(fragments: Fragments) -> str | None:
    return json.dumps([list(f) for f in fragments]) if len(fragments) > 1 else None


def _frags(start: int, end: int, raw: str | None) -> Fragments:
    if raw:
        return tuple((int(s), int(e)) for s, e in json.loads(raw))
    return ((start, end),)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


@dataclass
class ImportResult:
    """What :meth:`Project.import_documents` did."""

    added: list[str] = field(default_factory=list)  # document names
    skipped: list[str] = field(default_factory=list)  # messages for duplicates
    labels_added: list[str] = field(default_factory=list)  # "layer:label" / "relation:type"
    spans: int = 0
    relations: int = 0


class Project:
    """An open project file. Use :meth:`create` or :meth:`open`, and :meth:`close` (or ``with``)."""

    def __init__(self, path: Path, engine: Engine, *, readonly: bool, lock: eng.WriteLock | None,
                 readonly_reason: str = "") -> None:
        self.path = path
        self._engine = engine
        self.readonly = readonly
        self.readonly_reason = readonly_reason
        self._lock = lock
        self._tagset: Tagset | None = None
        self._meta: dict[str, str] = {}
        self.upgraded_from: int | None = None
        self.upgrade_backup: Path | None = None
        self.backup_error: str | None = None  # why the last rolling backup failed, if it did
        self._changed = False  # something was committed since open
        self._load_meta()

    # ----------------------------------------------------------------- lifecycle
    @classmethod
    def create(cls, path: str | Path, *, annotator: str = "", tagset: Tagset | None = None,
               overwrite: bool = False) -> Project:
        """Create a new project file; refuses to overwrite an existing file unless asked."""
        p = Path(path)
        if p.exists() and not overwrite:
            raise AnnotatorError("already exists; choose another name", path=p)
        if p.exists():
            p.unlink()
        if not p.parent.exists():
            raise AnnotatorError(f"folder {p.parent} does not exist", path=p)
        if tagset is None:
            from annotator.core.tagset import default_tagset

            tagset = default_tagset()
        try:
            engine = eng.make_engine(p, create=True)
            eng.initialise(engine)
            with Session(engine) as s, s.begin():
                save_tagset(s, tagset)
                for key, value in (("annotator", annotator), ("created", now_iso()),
                                   ("tagset_name", tagset.name)):
                    s.add(MetaRow(key=key, value=value))
        except (sqlite3.Error, DBAPIError, OSError) as exc:
            p.unlink(missing_ok=True)
            raise StorageError(f"could not create the project ({_reason(exc)})", path=p) from None
        lock = eng.WriteLock(p)
        lock.acquire()
        return cls(p, engine, readonly=False, lock=lock)

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, untrusted: bool = False,
             fallback_readonly: bool = False) -> Project:
        """Open an existing project.

        ``untrusted`` (a colleague's file under review) implies read-only and immutable: nothing
        is written, not even a journal. With ``fallback_readonly`` a project that is locked by
        another program, or a file that cannot be written, opens read-only and
        :attr:`readonly_reason` says why; otherwise that raises.
        """
        p = Path(path)
        header = eng.read_header(p)
        reason = ""
        if untrusted:
            readonly = True
        lock: eng.WriteLock | None = None
        if not readonly:
            import os

            if not os.access(p, os.W_OK) or not os.access(p.parent, os.W_OK):
                if not fallback_readonly:
                    raise ReadOnlyError("cannot be written (read-only file or folder)", path=p)
                readonly, reason = True, "the file or its folder is read-only"
            else:
                lock = eng.WriteLock(p)
                try:
                    lock.acquire()
                except ProjectLockedError:
                    if not fallback_readonly:
                        raise
                    lock = None
                    readonly = True
                    reason = "it is open for writing in another Annotator window or program"
        try:
            engine = eng.make_engine(p, readonly=readonly, immutable=untrusted)
            with eng.raw_connection(engine) as conn:
                eng.quick_check(conn, p)
                problems = eng.schema_problems(conn)
                if problems and (untrusted or readonly):
                    # extra triggers/views are never run by a read-only connection; missing
                    # tables mean it is not our schema
                    problems = [x for x in problems if "does not create" not in x]
                if problems:
                    raise NotAProjectError(
                        f"does not have Annotator's schema: {problems[0]}", path=p)
                upgraded = None
                if header.user_version < SCHEMA_VERSION:
                    if readonly:
                        raise ReadOnlyError(
                            f"has an older schema ({header.user_version}) and must be upgraded, "
                            "which needs write access", path=p)
                    upgraded = migrations.upgrade(p, conn, header.user_version)
        except AnnotatorError:
            if lock:
                lock.release()
            raise
        except (sqlite3.Error, DBAPIError) as exc:
            if lock:
                lock.release()
            raise DamagedProjectError(f"cannot be opened ({_reason(exc)})", path=p) from None
        project = cls(p, engine, readonly=readonly, lock=lock, readonly_reason=reason)
        if upgraded is not None:
            project.upgraded_from = header.user_version
            project.upgrade_backup = upgraded
        if not readonly:
            project._rolling_backup()
        return project

    def _rolling_backup(self) -> None:
        try:
            backups.backup_if_changed(self.path)
        except (AnnotatorError, OSError) as exc:
            self.backup_error = str(exc)

    def close(self) -> None:
        if self._engine is None:
            return
        if self.readonly:
            self._engine.dispose()
        else:
            eng.checkpoint_and_close(self._engine)
            if self._changed:  # still under our lock: nobody writes while the copy is made
                self._rolling_backup()
        if self._lock:
            self._lock.release()
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
        try:
            with Session(self._engine) as s, s.begin():
                yield s
            self._changed = True
        except IntegrityError as exc:
            raise AnnotatorError(f"the change was refused ({_reason(exc)})",
                                 path=self.path) from None
        except (DBAPIError, sqlite3.Error) as exc:
            raise self._storage_error(exc, "written") from None

    def _storage_error(self, exc: BaseException, doing: str) -> AnnotatorError:
        """A database failure as a message for people; nothing was changed by it."""
        msg = _reason(exc)
        low = msg.lower()
        if "readonly" in low or "read-only" in low:
            return ReadOnlyError("cannot be written (read-only file); nothing was changed",
                                 path=self.path)
        if "full" in low:
            return StorageError("the disk is full; nothing was changed", path=self.path)
        return StorageError(f"could not be {doing} ({msg}); nothing was changed", path=self.path)

    # ----------------------------------------------------------------- meta, tagset
    def _load_meta(self) -> None:
        with self._read() as s:
            self._meta = {r.key: r.value for r in s.scalars(select(MetaRow))}

    @property
    def annotator(self) -> str:
        return self._meta.get("annotator", "")

    def set_annotator(self, name: str) -> None:
        with self._write() as s:
            s.merge(MetaRow(key="annotator", value=name))
        self._meta["annotator"] = name

    @property
    def tagset(self) -> Tagset:
        if self._tagset is None:
            with self._read() as s:
                self._tagset = load_tagset(s, self._meta.get("tagset_name", ""))
        return self._tagset

    def set_tagset(self, tagset: Tagset) -> None:
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
        q = (select(DocumentRow.id, DocumentRow.name, DocumentRow.title, DocumentRow.status,
                    DocumentRow.sha256, DocumentRow.length, DocumentRow.meta,
                    func.coalesce(counts.c.n, 0))
             .outerjoin(counts, counts.c.document_id == DocumentRow.id)
             .order_by(DocumentRow.position, DocumentRow.id))
        if status:
            q = q.where(DocumentRow.status == status)
        if search:
            like = f"%{search}%"
            q = q.where(DocumentRow.title.like(like) | DocumentRow.name.like(like))
        with self._read() as s:
            return [DocumentInfo(pk=r[0], name=r[1], title=r[2], status=r[3], sha256=r[4],
                                 length=r[5], meta=json.loads(r[6] or "{}"), span_count=r[7])
                    for r in s.execute(q)]

    def document(self, pk: int) -> DocumentInfo:
        for d in self.documents():
            if d.pk == pk:
                return d
        raise AnnotatorError(f"no document {pk}", path=self.path)

    def document_by_name(self, name: str) -> DocumentInfo | None:
        with self._read() as s:
            pk = s.scalar(select(DocumentRow.id).where(DocumentRow.name == name))
        return self.document(pk) if pk is not None else None

    def text(self, pk: int) -> str:
        with self._read() as s:
            text = s.scalar(select(DocumentRow.text).where(DocumentRow.id == pk))
        if text is None:
            raise AnnotatorError(f"no document {pk}", path=self.path)
        return text

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

    # ----------------------------------------------------------------- spans
    def spans(self, document: int) -> list[Span]:
        """All spans of a document, ordered by start, end, layer, label."""
        cols = [SpanRow.__table__.c[name] for name in _SPAN_FIELDS]
        q = (select(*cols).where(SpanRow.document_id == document)
             .order_by(SpanRow.start, SpanRow.end, SpanRow.layer, SpanRow.label, SpanRow.id))
        with self._read() as s:  # Core rows: a document may hold tens of thousands of spans
            rows = s.connection().execute(q).all()  # one fetchall: no GIL ping-pong per row
        return [_span_from_row(*r) for r in rows]

    def span(self, pk: int) -> Span:
        with self._read() as s:
            row = s.get(SpanRow, pk)
            if row is None:
                raise AnnotatorError(f"no span {pk}", path=self.path)
            return _span(row)

    def _check_span(self, s: Session, document: int, fragments: Fragments) -> None:
        length = s.scalar(select(DocumentRow.length).where(DocumentRow.id == document))
        if length is None:
            raise AnnotatorError(f"no document {document}", path=self.path)
        problem = check_fragments(fragments, length)
        if problem:
            raise AnnotatorError(problem, path=self.path)

    def add_span(self, document: int, layer: str, label: str, fragments: Fragments, *,
                 attributes: Attributes | None = None, note: str = "",
                 annotator: str | None = None, pk: int | None = None) -> Span:
        """Add a span (and the label to the tagset if it is new). ``pk`` re-creates a deleted
        span under its old key (undo)."""
        fragments = tuple((int(a), int(b)) for a, b in fragments)
        stamp = now_iso()
        with self._write() as s:
            self._check_span(s, document, fragments)
            row = SpanRow(document_id=document, layer=layer, label=label,
                          start=fragments[0][0], end=fragments[-1][1],
                          fragments=_frag_json(fragments), attributes=_dumps(attributes or {}),
                          note=note, annotator=self.annotator if annotator is None else annotator,
                          created=stamp, modified=stamp)
            if pk is not None:
                row.id = pk
            s.add(row)
            s.flush()
            self._touch(s, document)
            span = _span(row)
        self._ensure_labels([(layer, label)], [])
        return span

    def update_span(self, pk: int, *, layer: str | None = None, label: str | None = None,
                    fragments: Fragments | None = None, attributes: Attributes | None = None,
                    note: str | None = None) -> tuple[Span, Span]:
        """Change a span; returns (before, after)."""
        with self._write() as s:
            row = s.get(SpanRow, pk)
            if row is None:
                raise AnnotatorError(f"no span {pk}", path=self.path)
            before = _span(row)
            if fragments is not None:
                fragments = tuple((int(a), int(b)) for a, b in fragments)
                self._check_span(s, row.document_id, fragments)
                row.start, row.end = fragments[0][0], fragments[-1][1]
                row.fragments = _frag_json(fragments)
            if layer is not None:
                row.layer = layer
            if label is not None:
                row.label = label
            if attributes is not None:
                row.attributes = _dumps(attributes)
            if note is not None:
                row.note = note
            row.modified = now_iso()
            s.flush()
            after = _span(row)
            self._touch(s, row.document_id)
        if layer is not None or label is not None:
            self._ensure_labels([(after.layer, after.label)], [])
        return before, after

    def delete_span(self, pk: int) -> tuple[Span, list[Relation]]:
        """Delete a span and the relations touching it; returns them (for undo)."""
        with self._write() as s:
            row = s.get(SpanRow, pk)
            if row is None:
                raise AnnotatorError(f"no span {pk}", path=self.path)
            span = _span(row)
            rels = [_relation(r) for r in s.scalars(select(RelationRow).where(
                (RelationRow.source_id == pk) | (RelationRow.target_id == pk)))]
            s.execute(delete(RelationRow).where(RelationRow.id.in_([r.pk for r in rels])))
            s.delete(row)
            self._touch(s, span.document)
        return span, rels

    def restore_span(self, span: Span, relations: Iterable[Relation] = ()) -> None:
        """Put back a deleted span (same key, same timestamps) and its relations."""
        with self._write() as s:
            self._check_span(s, span.document, span.fragments)
            s.add(SpanRow(id=span.pk, document_id=span.document, layer=span.layer,
                          label=span.label, start=span.start, end=span.end,
                          fragments=_frag_json(span.fragments), attributes=_dumps(span.attributes),
                          note=span.note, annotator=span.annotator, created=span.created,
                          modified=span.modified))
            s.flush()
            for r in relations:
                s.add(RelationRow(id=r.pk, document_id=r.document, type=r.type,
                                  source_id=r.source, target_id=r.target,
                                  attributes=_dumps(r.attributes), annotator=self.annotator,
                                  created=now_iso()))
            self._touch(s, span.document)

    # ----------------------------------------------------------------- relations
    def relations(self, document: int) -> list[Relation]:
        with self._read() as s:
            return [_relation(r) for r in s.scalars(
                select(RelationRow).where(RelationRow.document_id == document)
                .order_by(RelationRow.id))]

    def add_relation(self, type: str, source: int, target: int, *,
                     attributes: Attributes | None = None, pk: int | None = None) -> Relation:
        if source == target:
            raise AnnotatorError("a relation needs two different spans")
        with self._write() as s:
            a, b = s.get(SpanRow, source), s.get(SpanRow, target)
            if a is None or b is None:
                raise AnnotatorError("a relation's ends must both exist", path=self.path)
            if a.document_id != b.document_id:
                raise AnnotatorError("a relation's ends must be in the same document")
            row = RelationRow(document_id=a.document_id, type=type, source_id=source,
                              target_id=target, attributes=_dumps(attributes or {}),
                              annotator=self.annotator, created=now_iso())
            if pk is not None:
                row.id = pk
            s.add(row)
            s.flush()
            rel = _relation(row)
            self._touch(s, a.document_id)
        self._ensure_labels([], [type])
        return rel

    def delete_relation(self, pk: int) -> Relation:
        with self._write() as s:
            row = s.get(RelationRow, pk)
            if row is None:
                raise AnnotatorError(f"no relation {pk}", path=self.path)
            rel = _relation(row)
            s.delete(row)
        return rel

    def update_relation(self, pk: int, *, type: str | None = None,
                        attributes: Attributes | None = None) -> tuple[Relation, Relation]:
        with self._write() as s:
            row = s.get(RelationRow, pk)
            if row is None:
                raise AnnotatorError(f"no relation {pk}", path=self.path)
            before = _relation(row)
            if type is not None:
                row.type = type
            if attributes is not None:
                row.attributes = _dumps(attributes)
            s.flush()
            after = _relation(row)
        if type is not None:
            self._ensure_labels([], [type])
        return before, after

    def add_spans(self, document: int, spans: Sequence[NewSpan], *,
                  pks: Sequence[int] | None = None) -> list[Span]:
        """Add several spans to one document in one transaction: all or none. ``pks``
        re-creates them under their old keys (redo); returns them in the given order."""
        stamp = now_iso()
        items = [(layer, label, tuple((int(a), int(b)) for a, b in frags), attrs)
                 for layer, label, frags, attrs in spans]
        if pks is not None and len(pks) != len(items):
            raise AnnotatorError("add_spans: one key per span expected", path=self.path)
        with self._write() as s:
            length = s.scalar(select(DocumentRow.length).where(DocumentRow.id == document))
            if length is None:
                raise AnnotatorError(f"no document {document}", path=self.path)
            for _, _, frags, _ in items:
                problem = check_fragments(frags, length)
                if problem:
                    raise AnnotatorError(problem, path=self.path)
            if pks is None:
                first = (s.scalar(select(func.max(SpanRow.id))) or 0) + 1
                pks = range(first, first + len(items))
            rows = [{"id": pk, "document_id": document, "layer": layer, "label": label,
                     "start": frags[0][0], "end": frags[-1][1], "fragments": _frag_json(frags),
                     "attributes": _dumps(attrs or {}), "note": "", "annotator": self.annotator,
                     "created": stamp, "modified": stamp}
                    for pk, (layer, label, frags, attrs) in zip(pks, items, strict=True)]
            if rows:
                s.connection().execute(insert(SpanRow.__table__), rows)
                self._touch(s, document)
        self._ensure_labels([(r["layer"], r["label"]) for r in rows], [])
        return [_span_from_row(*(r[name] for name in _SPAN_FIELDS)) for r in rows]

    def delete_spans(self, pks: Sequence[int]) -> int:
        """Delete spans (and the relations touching them) in one transaction; returns how
        many spans were deleted."""
        n = 0
        with self._write() as s:
            for i in range(0, len(pks), 10_000):  # SQLite caps bound parameters
                chunk = list(pks[i:i + 10_000])
                s.execute(delete(RelationRow).where(RelationRow.source_id.in_(chunk)
                                                    | RelationRow.target_id.in_(chunk)))
                n += s.execute(delete(SpanRow).where(SpanRow.id.in_(chunk))).rowcount or 0
        return n

    def rename_label(self, layer: str, old: str, new: str) -> int:
        """Give every span of ``layer:old`` the label ``new`` (and the label in the tagset and
        in relation type ends); returns how many spans changed."""
        return self.rename_labels({(layer, old): (layer, new)})

    def rename_labels(self, renames: Mapping[tuple[str, str], tuple[str, str]], *,
                      tagset: Tagset | None = None) -> int:
        """Move spans from (layer, label) to another (layer, label), all renames at once (so
        two labels may swap names); returns how many spans changed.

        The tagset follows: a label renamed within its layer keeps its colour, key and
        attributes unless the new name exists already; relation type ends naming an old
        ``layer:label`` name the new one; any missing new label is added. With ``tagset``
        (e.g. from the tagset editor) that tagset is stored instead. Spans and tagset change
        in one transaction: both or neither."""
        renames = {k: v for k, v in renames.items() if k != v}
        if not renames:
            if tagset is not None:
                self.set_tagset(tagset)
            return 0
        if tagset is None:
            tagset = self._renamed_tagset(renames)
        n = 0
        with self._write() as s:
            ids = {old: list(s.scalars(select(SpanRow.id).where(
                (SpanRow.layer == old[0]) & (SpanRow.label == old[1])))) for old in renames}
            stamp = now_iso()
            for old, (layer, label) in renames.items():
                for i in range(0, len(ids[old]), 10_000):
                    chunk = ids[old][i:i + 10_000]
                    n += s.execute(update(SpanRow).where(SpanRow.id.in_(chunk)).values(
                        layer=layer, label=label, modified=stamp)).rowcount or 0
            for layer, label in renames.values():
                tagset.ensure_label(layer, label)
            save_tagset(s, tagset)
            s.merge(MetaRow(key="tagset_name", value=tagset.name))
        self._tagset = None
        return n

    def _renamed_tagset(self, renames: Mapping[tuple[str, str], tuple[str, str]]) -> Tagset:
        ts = copy.deepcopy(self.tagset)
        defs = {old: ts.label(*old) for old in renames}
        for (old_layer, old_label), (layer, label) in renames.items():
            lab, lay = defs[(old_layer, old_label)], ts.layer(old_layer)
            if lab is not None and lay is not None and old_layer == layer \
                    and ts.label(layer, label) is None:
                lab.name = label
            for rt in ts.relation_types:
                for ends in (rt.source, rt.target):
                    ends[:] = [f"{layer}:{label}" if e == f"{old_layer}:{old_label}" else e
                               for e in ends]
        return ts

    # ----------------------------------------------------------------- helpers
    def _touch(self, s: Session, document: int) -> None:
        s.execute(update(DocumentRow).where(DocumentRow.id == document)
                  .where(DocumentRow.status == "new")
                  .values(status="in_progress"))

    def _ensure_labels(self, labels: Iterable[tuple[str, str]], relation_types: Iterable[str]
                       ) -> list[str]:
        """Add unknown labels/relation types to the stored tagset; returns what was added."""
        ts = self.tagset
        added = [f"{lay}:{lab}" for lay, lab in dict.fromkeys(labels) if ts.ensure_label(lay, lab)]
        added += [f"relation:{t}" for t in dict.fromkeys(relation_types)
                  if ts.ensure_relation_type(t)]
        if added:
            self.set_tagset(ts)
        return added

    # ----------------------------------------------------------------- bulk
    def import_documents(self, docs: Iterable[CorpusDocument], *,
                         progress: Progress | None = None,
                         cancelled: Callable[[], bool] | None = None) -> ImportResult:
        from annotator.core.bulk import import_documents

        return import_documents(self, docs, progress=progress, cancelled=cancelled)

    def iter_corpus(self, *, documents: Iterable[int] | None = None,
                    layers: Iterable[str] | None = None, labels: Iterable[str] | None = None,
                    statuses: Iterable[str] | None = None) -> Iterator[CorpusDocument]:
        from annotator.core.bulk import iter_corpus

        return iter_corpus(self, documents=documents, layers=layers, labels=labels,
                           statuses=statuses)

    def stats(self) -> dict[str, Any]:
        """Counts of documents by status, spans per layer and label, relations per type."""
        with self._read() as s:
            by_status = dict(s.execute(select(DocumentRow.status, func.count())
                                       .group_by(DocumentRow.status)).all())
            per_label = s.execute(select(SpanRow.layer, SpanRow.label, func.count())
                                  .group_by(SpanRow.layer, SpanRow.label)).all()
            per_rel = dict(s.execute(select(RelationRow.type, func.count())
                                     .group_by(RelationRow.type)).all())
        layers: dict[str, Any] = {}
        for layer, label, n in per_label:
            entry = layers.setdefault(layer, {"spans": 0, "labels": {}})
            entry["spans"] += n
            entry["labels"][label] = n
        return {"documents": sum(by_status.values()), "status": by_status,
                "spans": sum(v["spans"] for v in layers.values()), "layers": layers,
                "relations": sum(per_rel.values()), "relation_types": per_rel}

    def check(self) -> list[str]:
        from annotator.core.integrity import check_project

        return check_project(self)

    @property
    def engine(self) -> Engine:
        """For core modules (bulk, integrity, review) only; never for the GUI."""
        return self._engine


_SPAN_FIELDS = ("id", "document_id", "layer", "label", "start", "end", "fragments",
                "attributes", "note", "annotator", "created", "modified")


def _loads(raw: str | None) -> dict[str, Any]:
    return {} if not raw or raw == "{}" else json.loads(raw)


def _span_from_row(pk: int, document: int, layer: str, label: str, start: int, end: int,
                   fragments: str | None, attributes: str | None, note: str | None,
                   annotator: str | None, created: str | None, modified: str | None) -> Span:
    return Span(pk=pk, document=document, layer=layer, label=label,
                fragments=_frags(start, end, fragments), attributes=_loads(attributes),
                note=note or "", annotator=annotator or "", created=created or "",
                modified=modified or "")


def _span(r: SpanRow) -> Span:
    return _span_from_row(*(getattr(r, name) for name in _SPAN_FIELDS))


def _relation(r: RelationRow) -> Relation:
    return Relation(pk=r.id, document=r.document_id, type=r.type, source=r.source_id,
                    target=r.target_id, attributes=json.loads(r.attributes or "{}"))


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).splitlines()[0]


