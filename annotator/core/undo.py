"""Undoable edits: each user action is one :class:`Edit` with ``apply`` and ``revert``.

The core owns what an edit does and how it is undone; the GUI wraps edits in its undo stack
(``QUndoStack``) and only shows their state. Every ``apply``/``revert`` commits at once, so the
file always holds what the user sees. Reverting a deletion restores the same keys, so later
edits in the history still refer to the right rows.

No edit makes a span identical to another (:mod:`annotator.core.span_identity`): applying one
that would raises :class:`~annotator.core.errors.IdenticalSpanError` and changes nothing. Undo
puts back exactly the state before the edit, so it may put back an identical pair that was
there before (a project written before the rule); an edit notes that when it is applied. A
refused undo or redo leaves the history as it was (:class:`History`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.model import Attributes, DocAnnotation, Fragments, Relation, Span

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
    written in one transaction, all or none. A span identical to one in the document is left
    out (``skipped`` counts them). Redo re-creates the same spans under the same keys."""

    document: int
    new: list[tuple[str, str, Fragments, Attributes]]
    spans: list[Span] = field(default_factory=list)  # set by apply: the spans added
    skipped: int = 0  # set by apply: spans of ``new`` left out as already there

    @property
    def text(self) -> str:
        n = len(self.spans) if self.spans or self.skipped else len(self.new)
        return f"add {n} span{'s' if n != 1 else ''}"

    def apply(self, project: Project) -> None:
        if self.spans:  # redo: exactly the spans the first apply added
            again = [(s.layer, s.label, s.fragments, s.attributes) for s in self.spans]
            self.spans = project.add_spans(self.document, again,
                                           pks=[s.pk for s in self.spans])
        else:
            self.spans = project.add_spans(self.document, self.new)
            self.skipped = len(self.new) - len(self.spans)

    def revert(self, project: Project) -> None:
        project.delete_spans([s.pk for s in self.spans])


@dataclass
class DeleteSpan(Edit):
    pk: int
    document: int = 0
    span: Span | None = None
    relations: list[Relation] = field(default_factory=list)
    had_twin: bool = False  # an identical span stayed in the document: undo may restore the pair

    @property
    def text(self) -> str:
        return f"delete {self.span.label if self.span else 'span'}"

    def apply(self, project: Project) -> None:
        self.span, self.relations = project.delete_span(self.pk)
        self.document = self.span.document
        self.had_twin = project.identical_span(self.span) is not None

    def revert(self, project: Project) -> None:
        assert self.span is not None
        project.restore_span(self.span, self.relations, allow_identical=self.had_twin)


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
    had_twin: bool = False  # the span had an identical one before: undo may restore the pair
    after: Span | None = None  # set by apply: the span as the edit left it

    text = "edit span"

    def apply(self, project: Project) -> None:
        self.before, after = project.update_span(
            self.pk, layer=self.layer, label=self.label, fragments=self.fragments,
            attributes=self.attributes, note=self.note)
        self.document = after.document
        self.after = after
        moved = (after.layer, after.label, after.fragments) != \
            (self.before.layer, self.before.label, self.before.fragments)
        self.had_twin = moved and project.identical_span(self.before) is not None

    def revert(self, project: Project) -> None:
        b = self.before
        assert b is not None
        project.update_span(self.pk, layer=b.layer, label=b.label, fragments=b.fragments,
                            attributes=b.attributes, note=b.note,
                            allow_identical=self.had_twin)


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


@dataclass
class AddDocAnnotation(Edit):
    """Label a document as a whole (a document-level layer); redo keeps the key."""

    document: int
    layer: str
    label: str
    attributes: Attributes = field(default_factory=dict)
    annotation: DocAnnotation | None = None  # set by apply

    @property
    def text(self) -> str:
        return f"label document {self.label}"

    def apply(self, project: Project) -> None:
        pk = self.annotation.pk if self.annotation else None
        self.annotation = project.add_doc_annotation(self.document, self.layer, self.label,
                                                     attributes=self.attributes, pk=pk)

    def revert(self, project: Project) -> None:
        assert self.annotation is not None
        project.delete_doc_annotation(self.annotation.pk)


@dataclass
class UpdateDocAnnotation(Edit):
    """Change a document annotation's label or attributes (None = unchanged)."""

    pk: int
    document: int
    label: str | None = None
    attributes: Attributes | None = None
    before: DocAnnotation | None = None

    text = "edit document label"

    def apply(self, project: Project) -> None:
        self.before, _ = project.update_doc_annotation(self.pk, label=self.label,
                                                       attributes=self.attributes)

    def revert(self, project: Project) -> None:
        b = self.before
        assert b is not None
        project.update_doc_annotation(self.pk, label=b.label, attributes=b.attributes)


@dataclass
class DeleteDocAnnotation(Edit):
    pk: int
    document: int
    annotation: DocAnnotation | None = None

    text = "remove document label"

    def apply(self, project: Project) -> None:
        self.annotation = project.delete_doc_annotation(self.pk)

    def revert(self, project: Project) -> None:
        assert self.annotation is not None
        project.restore_doc_annotation(self.annotation)


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
        """Revert the last edit; one that is refused (an error) stays the last edit."""
        if not self._done:
            return None
        edit = self._done[-1]
        edit.revert(self.project)
        self._undone.append(self._done.pop())
        return edit

    def redo(self) -> Edit | None:
        """Apply the last undone edit again; one that is refused stays to be redone."""
        if not self._undone:
            return None
        edit = self._undone[-1]
        edit.apply(self.project)
        self._done.append(self._undone.pop())
        return edit
