"""Undoable edits: each user action is one :class:`Edit` with ``apply`` and ``revert``.

The core owns what an edit does and how it is undone; the GUI wraps edits in its undo stack
(``QUndoStack``) and only shows their state. Every ``apply``/``revert`` commits at once, so the
file always holds what the user sees. Reverting a deletion restores the same keys, so later
edits in the history still refer to the right rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.model import Attributes, Fragments, Relation, Span

if TYPE_CHECKING:
    from annotator.core.project import Project


class Edit:
    """One undoable change. ``document`` says which document's views must redraw."""

    document: int

    @property
    def text(self) -> str:
        """What the edit did, for the undo/redo menu entries."""
        raise NotImplementedError

    def apply(self, project: Project) -> None:
        raise NotImplementedError

    def revert(self, project: Project) -> None:
        raise NotImplementedError


@dataclass
class AddSpan(Edit):
    document: int
    layer: str
    label: str
    fragments: Fragments
    attributes: Attributes = field(default_factory=dict)
    note: str = ""
    span: Span | None = None  # set by apply

    @property
    def text(self) -> str:
        return f"add {self.label}"

    def apply(self, project: Project) -> None:
        pk = self.span.pk if self.span else None
        self.span = project.add_span(self.document, self.layer, self.label, self.fragments,
                                     attributes=self.attributes, note=self.note, pk=pk)

    def revert(self, project: Project) -> None:
        assert self.span is not None
        project.delete_span(self.span.pk)


@dataclass
class AddSpans(Edit):
    """Several new spans of one document as one undo step (e.g. accepting all suggestions);
    written in one transaction, all or none. Redo re-creates the same keys."""

    document: int
    new: list[tuple[str, str, Fragments, Attributes]]
    spans: list[Span] = field(default_factory=list)  # set by apply

    @property
    def text(self) -> str:
        return f"add {len(self.new)} span{'s' if len(self.new) != 1 else ''}"

    def apply(self, project: Project) -> None:
        pks = [s.pk for s in self.spans] if self.spans else None
        self.spans = project.add_spans(self.document, self.new, pks=pks)

    def revert(self, project: Project) -> None:
        project.delete_spans([s.pk for s in self.spans])


@dataclass
class DeleteSpan(Edit):
    pk: int
    document: int = 0
    span: Span | None = None
    relations: list[Relation] = field(default_factory=list)

    @property
    def text(self) -> str:
        return f"delete {self.span.label if self.span else 'span'}"

    def apply(self, project: Project) -> None:
        self.span, self.relations = project.delete_span(self.pk)
        self.document = self.span.document

    def revert(self, project: Project) -> None:
        assert self.span is not None
        project.restore_span(self.span, self.relations)


@dataclass
class UpdateSpan(Edit):
    """Change label, layer, fragments, attributes or note (None = unchanged)."""

    pk: int
    layer: str | None = None
    label: str | None = None
    fragments: Fragments | None = None
    attributes: Attributes | None = None
    note: str | None = None
    document: int = 0
    before: Span | None = None

    text = "edit span"

    def apply(self, project: Project) -> None:
        self.before, after = project.update_span(
            self.pk, layer=self.layer, label=self.label, fragments=self.fragments,
            attributes=self.attributes, note=self.note)
        self.document = after.document

    def revert(self, project: Project) -> None:
        b = self.before
        assert b is not None
        project.update_span(self.pk, layer=b.layer, label=b.label, fragments=b.fragments,
                            attributes=b.attributes, note=b.note)


@dataclass
class AddRelation(Edit):
    type: str
    source: int
    target: int
    attributes: Attributes = field(default_factory=dict)
    document: int = 0
    relation: Relation | None = None

    @property
    def text(self) -> str:
        return f"link {self.type}"

    def apply(self, project: Project) -> None:
        pk = self.relation.pk if self.relation else None
        self.relation = project.add_relation(self.type, self.source, self.target,
                                             attributes=self.attributes, pk=pk)
        self.document = self.relation.document

    def revert(self, project: Project) -> None:
        assert self.relation is not None
        project.delete_relation(self.relation.pk)


@dataclass
class DeleteRelation(Edit):
    pk: int
    document: int = 0
    relation: Relation | None = None

    text = "delete relation"

    def apply(self, project: Project) -> None:
        self.relation = project.delete_relation(self.pk)
        self.document = self.relation.document

    def revert(self, project: Project) -> None:
        r = self.relation
        assert r is not None
        project.add_relation(r.type, r.source, r.target, attributes=r.attributes, pk=r.pk)


@dataclass
class SetStatus(Edit):
    document: int
    status: str
    previous: str = ""

    @property
    def text(self) -> str:
        return f"mark {self.status.replace('_', ' ')}"

    def apply(self, project: Project) -> None:
        self.previous = project.set_status(self.document, self.status)

    def revert(self, project: Project) -> None:
        project.set_status(self.document, self.previous)


class History:
    """A plain undo stack for callers without Qt (CLI scripts, tests)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._done: list[Edit] = []
        self._undone: list[Edit] = []

    def do(self, edit: Edit) -> Edit:
        edit.apply(self.project)
        self._done.append(edit)
        self._undone.clear()
        return edit

    def undo(self) -> Edit | None:
        if not self._done:
            return None
        edit = self._done.pop()
        edit.revert(self.project)
        self._undone.append(edit)
        return edit

    def redo(self) -> Edit | None:
        if not self._undone:
            return None
        edit = self._undone.pop()
        edit.apply(self.project)
        self._done.append(edit)
        return edit
