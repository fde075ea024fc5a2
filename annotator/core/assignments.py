"""Who codes what: documents assigned to annotators, each with that annotator's own status,
and the study's guidelines text. With no assignment at all, every document counts as assigned
to every annotator (interfaces.md, "Team details").

:class:`Assignments` is a mixin of the :class:`~annotator.core.project.Project` facade.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.model import STATUSES
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import AssignmentRow, DocumentRow, MetaRow, SpanRow


@dataclass(frozen=True)
class Assignment:
    document: int
    annotator: str
    status: str = "new"


def _now() -> str:
    from annotator.core.annotations import now_iso

    return now_iso()


class Assignments:
    if TYPE_CHECKING:
        path: Path
        _meta: dict[str, object]

        def _read(self) -> AbstractContextManager[Session]: ...
        def _write(self) -> AbstractContextManager[Session]: ...
        def _setting(self, key: str) -> str: ...

    # ----------------------------------------------------------------- guidelines
    @property
    def guidelines(self) -> str:
        """The annotation guidelines of the study (plain text or Markdown); "" when none."""
        return self._setting("guidelines")

    def set_guidelines(self, text: str) -> None:
        try:
            decode.check_storable(text, "guidelines")
        except decode.DamagedValue as exc:
            raise AnnotatorError(exc.message, path=self.path) from None
        with self._write() as s:
            s.merge(MetaRow(key="guidelines", value=text))
        self._meta["guidelines"] = text

    # ----------------------------------------------------------------- assignments
    def assign(self, documents: Iterable[int], annotator: str) -> int:
        """Assign documents to ``annotator`` (already assigned ones stay as they are); returns
        how many were newly assigned."""
        if not annotator:
            raise AnnotatorError("an assignment needs an annotator's name", path=self.path)
        docs = sorted(set(documents))
        stamp = _now()
        with self._write() as s:
            known = set(s.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(docs))))
            missing = [d for d in docs if d not in known]
            if missing:
                raise AnnotatorError(f"no document {missing[0]}", path=self.path)
            if not docs:
                return 0
            insert = (postgresql_insert if s.get_bind().dialect.name == "postgresql"
                      else sqlite_insert)  # a project on a server (core.storage.postgres)
            q = insert(AssignmentRow).values(
                [{"document_id": d, "annotator": annotator, "status": "new", "modified": stamp}
                 for d in docs]).on_conflict_do_nothing()
            return s.execute(q).rowcount or 0  # type: ignore[attr-defined]

    def unassign(self, documents: Iterable[int], annotator: str) -> int:
        with self._write() as s:
            return s.execute(delete(AssignmentRow).where(  # type: ignore[attr-defined]
                AssignmentRow.annotator == annotator,
                AssignmentRow.document_id.in_(list(documents)))).rowcount or 0

    def assignments(self, *, annotator: str | None = None,
                    document: int | None = None) -> list[Assignment]:
        q = select(AssignmentRow.document_id, AssignmentRow.annotator,
                   AssignmentRow.status).order_by(AssignmentRow.document_id,
                                                  AssignmentRow.annotator)
        if annotator is not None:
            q = q.where(AssignmentRow.annotator == annotator)
        if document is not None:
            q = q.where(AssignmentRow.document_id == document)
        with self._read() as s:
            found = s.connection().execute(q).all()
        out = []
        for doc, who, status in found:
            try:
                status = decode.text(status, "status")
                if status not in STATUSES:
                    raise decode.DamagedValue(f"status {status!r} is not one of "
                                              f"{', '.join(STATUSES)}")
                out.append(Assignment(doc, decode.text(who, "annotator", required=True),
                                      status))
            except decode.DamagedValue as exc:
                raise decode.damaged(self.path, f"document {doc}, assignment", exc) from None
        return out

    def set_assignment_status(self, document: int, annotator: str, status: str) -> str:
        """Set ``annotator``'s status of ``document``; returns the previous one."""
        if status not in STATUSES:
            raise AnnotatorError(f"unknown status {status!r} (one of {', '.join(STATUSES)})",
                                 path=self.path)
        with self._write() as s:
            row = s.get(AssignmentRow, (document, annotator))
            if row is None:
                raise AnnotatorError(f"document {document} is not assigned to {annotator!r}",
                                     path=self.path)
            before = row.status
            s.execute(update(AssignmentRow).where(
                AssignmentRow.document_id == document, AssignmentRow.annotator == annotator)
                .values(status=status, modified=_now()))
        return before

    def progress(self) -> dict[str, dict[str, int]]:
        """Per annotator: documents assigned (and by status) and spans, of what the caller
        may read (on a server in blind mode a coder sees only their own). An annotator with
        spans but no assignment appears with ``assigned`` 0."""
        empty = {"assigned": 0, **{status: 0 for status in STATUSES}, "spans": 0}
        out: dict[str, dict[str, int]] = {}
        with self._read() as s:
            by_status = s.execute(select(AssignmentRow.annotator, AssignmentRow.status,
                                         func.count()).group_by(AssignmentRow.annotator,
                                                                AssignmentRow.status)).all()
            spans = s.execute(select(SpanRow.annotator, func.count())
                              .group_by(SpanRow.annotator)).all()
        try:
            for who, status, n in by_status:
                who = decode.text(who, "an assignment's annotator", required=True)
                status = decode.text(status, "an assignment's status")
                if status not in STATUSES:
                    raise decode.DamagedValue(f"an assignment's status {status!r} is not one "
                                              f"of {', '.join(STATUSES)}")
                entry = out.setdefault(who, dict(empty))
                entry["assigned"] += n
                entry[status] += n
            for who, n in spans:
                name = decode.text(who, "a span's annotator") or self._setting("annotator")
                out.setdefault(name, dict(empty))["spans"] += n
        except decode.DamagedValue as exc:
            raise decode.damaged(self.path, "", exc) from None
        return out
