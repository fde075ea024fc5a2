"""What an operation changed: one :class:`Changes` per operation, like Anki's ``OpChanges``.

Every operation of :class:`~annotator.workspace.model.Workspace` returns one; the views redraw
only what it names. Changes made elsewhere (a colleague's edits arriving through the team
workflow, a script) are described with the same object and given to
:meth:`~annotator.workspace.model.Workspace.apply_external`.

:func:`changes_of` tells what a core :class:`~annotator.core.undo.Edit` changed, applied or
reverted, without reading the whole document again (at most one span is read).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from annotator.core.model import Span
from annotator.core.undo import (
    AddDocAnnotation,
    AddRelation,
    AddSpan,
    AddSpans,
    DeleteDocAnnotation,
    DeleteRelation,
    DeleteSpan,
    Edit,
    SetStatus,
    UpdateDocAnnotation,
    UpdateSpan,
)

if TYPE_CHECKING:
    from annotator.core.project import Project


@dataclass(frozen=True)
class SpanDelta:
    """The spans of one document that changed: ``changed`` now present (new or altered),
    ``removed`` keys now gone; ``reload`` means "read them all again"."""

    changed: tuple[Span, ...] = ()
    removed: tuple[int, ...] = ()
    reload: bool = False

    def __or__(self, other: SpanDelta) -> SpanDelta:
        if self.reload or other.reload:
            return SpanDelta(reload=True)
        later = {s.pk for s in other.changed} | set(other.removed)
        changed = tuple(s for s in self.changed if s.pk not in later) + other.changed
        removed = tuple(pk for pk in self.removed if pk not in later) + other.removed
        return SpanDelta(changed, removed)


def _union(a: frozenset[int], b: frozenset[int]) -> frozenset[int]:
    return a | b


@dataclass(frozen=True)
class Changes:
    """What one operation changed. Sets hold document keys."""

    project: bool = False  # a project was opened or closed: everything is new
    documents: bool = False  # documents were added, removed or renamed: the list is re-read
    headers: frozenset[int] = frozenset()  # these documents' headers (status, counts) changed
    spans: dict[int, SpanDelta] = field(default_factory=dict)  # per document
    relations: frozenset[int] = frozenset()  # these documents' relations changed
    status: frozenset[int] = frozenset()  # these documents' status changed
    doc_annotations: frozenset[int] = frozenset()  # document-level labels of these documents
    tagset: bool = False
    annotators: bool = False  # the project's annotator(s) changed
    current: bool = False  # another document is shown
    selection: bool = False  # another span is selected
    history: bool = False  # the undo stack changed (texts, can undo/redo)
    remote: bool = False  # made elsewhere and applied by ``apply_external``
    message: str = ""  # for the status bar

    def __or__(self, other: Changes) -> Changes:
        spans = dict(self.spans)
        for doc, delta in other.spans.items():
            spans[doc] = spans[doc] | delta if doc in spans else delta
        return Changes(
            project=self.project or other.project,
            documents=self.documents or other.documents,
            headers=_union(self.headers, other.headers),
            spans=spans,
            relations=_union(self.relations, other.relations),
            status=_union(self.status, other.status),
            doc_annotations=_union(self.doc_annotations, other.doc_annotations),
            tagset=self.tagset or other.tagset,
            annotators=self.annotators or other.annotators,
            current=self.current or other.current,
            selection=self.selection or other.selection,
            history=self.history or other.history,
            remote=self.remote or other.remote,
            message=other.message or self.message,
        )

    def touches(self, document: int | None) -> bool:
        """Whether anything of ``document`` (its spans, relations, status, labels) changed."""
        return document is not None and (
            document in self.spans or document in self.relations or document in self.status
            or document in self.headers or document in self.doc_annotations)

    def with_message(self, message: str) -> Changes:
        return replace(self, message=message)


NOTHING = Changes()


def changes_of(project: Project, edit: Edit, reverted: bool) -> Changes:
    """What ``edit`` changed once applied (``reverted`` False) or reverted (True)."""
    doc = edit.document
    one = frozenset({doc})
    if isinstance(edit, AddSpan) and edit.span is not None:
        delta = SpanDelta(removed=(edit.span.pk,)) if reverted else SpanDelta((edit.span,))
        return Changes(spans={doc: delta}, headers=one, relations=one if reverted else frozenset())
    if isinstance(edit, AddSpans):
        spans = tuple(edit.spans)
        delta = SpanDelta(removed=tuple(s.pk for s in spans)) if reverted else SpanDelta(spans)
        return Changes(spans={doc: delta}, headers=one)
    if isinstance(edit, DeleteSpan) and edit.span is not None:
        delta = SpanDelta((edit.span,)) if reverted else SpanDelta(removed=(edit.span.pk,))
        return Changes(spans={doc: delta}, headers=one,
                       relations=one if edit.relations else frozenset())
    if isinstance(edit, UpdateSpan):  # the document's header (its span count) stays
        now = edit.before if reverted else edit.after
        return Changes(spans={doc: SpanDelta((now if now is not None else project.span(edit.pk),))})
    if isinstance(edit, AddRelation | DeleteRelation):
        return Changes(relations=one, headers=one)
    if isinstance(edit, AddDocAnnotation | UpdateDocAnnotation | DeleteDocAnnotation):
        return Changes(doc_annotations=one)
    if isinstance(edit, SetStatus):
        return Changes(status=one, headers=one)
    # an edit this module does not know: everything of its document is read again
    return Changes(spans={doc: SpanDelta(reload=True)}, relations=one, headers=one,
                   status=one, doc_annotations=one)
