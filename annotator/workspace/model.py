"""The workspace without Qt: the open project, the shown document, the selected span and the
undo history. Every operation returns a :class:`~annotator.workspace.changes.Changes`.

The workspace keeps the shown document's text, spans (by key and in text order) and relations
in memory; after an edit it updates them from the change alone (reading at most the edited
span), so that an edit in a 1 MB article with 20,000 spans costs the same as in a short one.
Every edit is a core :class:`~annotator.core.undo.Edit`, committed to the file at once, and one
step of the history. An edit that fails changes nothing and raises: :class:`Refused` (a
sentence for the status bar: nothing selected, an exact duplicate, a boundary that cannot
move) or :class:`~annotator.core.errors.AnnotatorError` (the project refused it).

Changes made elsewhere (the team workflow, another program) come in through
:meth:`Workspace.apply_external` as the same :class:`Changes`; the views cannot tell them apart
from local ones except by ``remote``. No Qt here: tests and scripts drive it directly.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import replace

from annotator.core.errors import AnnotatorError, IdenticalSpanError
from annotator.core.model import Attributes, DocAnnotation, Fragments, Relation, Span
from annotator.core.project import Project
from annotator.core.undo import (
    AddDocAnnotation,
    AddRelation,
    AddSpan,
    AddSpans,
    DeleteDocAnnotation,
    DeleteSpan,
    Edit,
    UpdateDocAnnotation,
    UpdateSpan,
)
from annotator.workspace import span_edits
from annotator.workspace.changes import NOTHING, Changes, SpanDelta, changes_of
from annotator.workspace.history import History
from annotator.workspace.span_edits import Refused, Side, Unit

__all__ = ["Refused", "Workspace", "span_order"]


def _span_keys(edit: Edit, undo: bool) -> list[int]:
    """The spans that must still exist to undo (or redo) ``edit``."""
    if isinstance(edit, UpdateSpan):
        return [edit.pk]
    if isinstance(edit, DeleteSpan) and not undo:
        return [edit.pk]
    if isinstance(edit, AddSpan) and edit.span is not None and undo:
        return [edit.span.pk]
    if isinstance(edit, AddSpans) and undo:
        return [s.pk for s in edit.spans]
    if isinstance(edit, AddRelation):
        return [edit.source, edit.target]
    return []


def span_order(span: Span) -> tuple[int, int, str, str, int]:
    """The order of :attr:`Workspace.spans`: text order, then layer, label, key."""
    return (span.start, span.end, span.layer, span.label, span.pk)


class Workspace:
    """See the module docstring. One per window; not thread-safe (the GUI thread owns it)."""

    def __init__(self, project: Project | None = None) -> None:
        self.project: Project | None = None
        self.document: int | None = None
        self.text = ""
        self.spans: list[Span] = []  # the shown document's, in :func:`span_order`
        self.by_pk: dict[int, Span] = {}
        self.relations: list[Relation] = []
        self.doc_annotations: list[DocAnnotation] = []  # the shown document's, everyone's
        self.selected: int | None = None
        self.history = History()
        self.busy = False  # a background job uses the project: no edits meanwhile
        if project is not None:
            self.open_project(project)

    # ----------------------------------------------------------------- project, document
    @property
    def editable(self) -> bool:
        return self.project is not None and not self.project.readonly and not self.busy

    def open_project(self, project: Project) -> Changes:
        """Show ``project`` (the workspace owns it now); no document is shown yet."""
        self.close()
        self.project = project
        return Changes(project=True, documents=True, tagset=True, annotators=True,
                       current=True, selection=True, history=True)

    def close(self) -> Changes:
        """Close the project (nothing to save: every edit is already written)."""
        if self.project is None:
            return NOTHING
        self.project.close()
        self.project = None
        self.history.clear()
        self._set_document(None, "", [], [])
        return Changes(project=True, documents=True, current=True, selection=True,
                       history=True)

    def open_document(self, pk: int | None) -> Changes:
        """Show document ``pk`` (None: none). A read error raises and leaves the shown one."""
        if self.project is None or pk is None:
            self._set_document(None, "", [], [])
            return Changes(current=True, selection=True)
        text = self.project.text(pk)
        spans = self.project.spans(pk)
        relations = self.project.relations(pk)
        self._set_document(pk, text, spans, relations)
        self.doc_annotations = self.project.doc_annotations(pk)
        return Changes(current=True, selection=True)

    def _set_document(self, pk: int | None, text: str, spans: list[Span],
                      relations: list[Relation]) -> None:
        self.document, self.text = pk, text
        self.spans = sorted(spans, key=span_order)
        self.by_pk = {s.pk: s for s in spans}
        self.relations = relations
        self.doc_annotations = []
        self.selected = None

    def span(self, pk: int | None) -> Span | None:
        """Span ``pk`` of the shown document, or None."""
        return self.by_pk.get(pk) if pk is not None else None

    # ----------------------------------------------------------------- selection
    def select(self, pk: int | None) -> Changes:
        """Select span ``pk`` of the shown document (None or an unknown key: none)."""
        pk = pk if pk in self.by_pk else None
        if pk == self.selected:
            return NOTHING
        self.selected = pk
        return Changes(selection=True)

    def _selected_span(self) -> Span:
        span = self.span(self.selected)
        if span is None:
            raise Refused("Select a span first (click it).")
        return span

    # ----------------------------------------------------------------- edits and history
    def _check_editable(self) -> Project:
        if self.project is None:
            raise Refused("No project is open.")
        if self.project.readonly:
            reason = self.project.readonly_reason
            raise AnnotatorError(f"{self.project.path}: open read-only"
                                 + (f" ({reason})" if reason else ""))
        if self.busy:
            raise AnnotatorError("Please wait until the import or export has finished.")
        return self.project

    def do(self, edit: Edit) -> Changes:
        """Apply ``edit`` (committed at once) as one step of the history."""
        project = self._check_editable()
        edit.apply(project)
        self.history.push(edit)
        return self._absorb(changes_of(project, edit, reverted=False)) | Changes(history=True)

    def undo(self) -> Changes:
        """Revert the last edit; one that is refused stays the last edit (and raises)."""
        h = self.history
        return self._step(h.next_undo, h.undo, h.drop_undo, "undone", reverted=True)

    def redo(self) -> Changes:
        """Apply the last undone edit again; one that is refused stays to be redone."""
        h = self.history
        return self._step(h.next_redo, h.redo, h.drop_redo, "redone", reverted=False)

    def _step(self, upcoming: Edit | None, step: Callable[[Project], Edit | None],
              drop: Callable[[], None], verb: str, *, reverted: bool) -> Changes:
        project = self._check_editable()
        was = self.document
        shown = self._show_document_of(upcoming)
        try:
            edit = step(project)
        except AnnotatorError:
            gone = self._dropped(upcoming, drop, verb)
            if gone is None:
                if self.document != was:  # nothing changed: back to the document shown
                    self.open_document(was)
                raise
            return shown | gone
        if edit is None:
            return NOTHING
        return shown | self._absorb(changes_of(project, edit, reverted=reverted)) \
            | Changes(history=True)

    def _dropped(self, edit: Edit | None, drop: Callable[[], None], verb: str
                 ) -> Changes | None:
        """A refused undo/redo of an edit whose span was deleted elsewhere (a colleague, the
        team workflow) can never succeed: the step is dropped (else the history is stuck on
        it) and the shown spans are read again. None: the refusal had another cause."""
        assert self.project is not None
        if edit is None or not any(self._missing(pk) for pk in _span_keys(edit, verb == "undone")):
            return None
        drop()
        doc = edit.document or self.document
        spans = {doc: SpanDelta(reload=True)} if doc is not None else {}
        return self._absorb(Changes(spans=spans, history=True)).with_message(
            f"“{edit.text}” cannot be {verb}: its span was deleted elsewhere; the step is "
            "left out of the history.")

    def _missing(self, pk: int) -> bool:
        assert self.project is not None
        try:
            self.project.span(pk)
        except AnnotatorError:
            return True
        return False

    def _show_document_of(self, edit: Edit | None) -> Changes:
        """Undo and redo show the document they change (made before another was opened)."""
        if edit is None or not edit.document or edit.document == self.document:
            return NOTHING
        return self.open_document(edit.document)

    def apply_external(self, changes: Changes) -> Changes:
        """Take in changes made elsewhere (already in the project file): the shown document's
        spans and relations follow them; returned marked ``remote`` for the views."""
        if self.project is not None and (changes.tagset or changes.annotators):
            self.project.reread_settings()  # read once and kept: read again
        return self._absorb(replace(changes, remote=True))

    def _absorb(self, changes: Changes) -> Changes:
        """Bring the shown document's cache up to ``changes``; returns them."""
        doc = self.document
        if doc is None or self.project is None:
            return changes
        delta = changes.spans.get(doc)
        if delta is not None and delta.reload:
            spans = self.project.spans(doc)
            self.spans = sorted(spans, key=span_order)
            self.by_pk = {s.pk: s for s in spans}
            changes = replace(changes, relations=changes.relations | {doc})
        elif delta is not None:
            self._apply_delta(delta)
        if doc in changes.relations or (delta is not None and delta.removed):
            self.relations = self.project.relations(doc)
        if doc in changes.doc_annotations:
            self.doc_annotations = self.project.doc_annotations(doc)
        if self.selected is not None and self.selected not in self.by_pk:
            self.selected = None
            changes = changes | Changes(selection=True)
        return changes

    def _apply_delta(self, delta: SpanDelta) -> None:
        gone = set(delta.removed) | {s.pk for s in delta.changed if s.pk in self.by_pk}
        for pk in gone:
            old = self.by_pk.pop(pk, None)
            if old is not None:
                i = bisect.bisect_left(self.spans, span_order(old), key=span_order)
                if i < len(self.spans) and self.spans[i].pk == pk:
                    del self.spans[i]
                else:  # not where its order says (should not happen): search
                    self.spans = [s for s in self.spans if s.pk != pk]
        for span in delta.changed:
            if span.document != self.document:
                continue
            self.by_pk[span.pk] = span
            bisect.insort(self.spans, span, key=span_order)

    # ----------------------------------------------------------------- span editing
    def update_span(self, pk: int, *, layer: str | None = None, label: str | None = None,
                    fragments: Fragments | None = None, attributes: Attributes | None = None,
                    note: str | None = None) -> Changes:
        """Change span ``pk`` (one step); an exact duplicate of another span is refused."""
        span = self.span(pk)
        if span is None:
            raise Refused("That span is not in the shown document.")
        new_layer, new_label = layer or span.layer, label or span.label
        new_frags = fragments or span.fragments
        if (layer or label or fragments) and any(
                s.pk != pk and s.layer == new_layer and s.label == new_label
                and s.fragments == new_frags for s in self.near(new_frags)):
            raise Refused(f"Another {new_layer}:{new_label} span covers exactly this text; "
                          "nothing changed.")
        try:
            return self.do(UpdateSpan(pk, layer=layer, label=label, fragments=fragments,
                                      attributes=attributes, note=note))
        except IdenticalSpanError as exc:
            raise Refused(str(exc)) from exc

    def near(self, fragments: Fragments) -> list[Span]:
        """The shown spans that start where ``fragments`` start (candidates for a twin)."""
        start = fragments[0][0]
        i = bisect.bisect_left(self.spans, start, key=lambda s: s.start)
        out = []
        while i < len(self.spans) and self.spans[i].start == start:
            out.append(self.spans[i])
            i += 1
        return out

    def move_boundary(self, side: Side, step: int, unit: Unit = "word") -> Changes:
        """Move the selected span's start or end by one word (or character)."""
        span = self._selected_span()
        frags = span_edits.move_boundary(self.text, span.fragments, side, step, unit)
        return self.update_span(span.pk, fragments=frags).with_message(
            f"{side.capitalize()} moved: “{self._covered(frags)}”.")

    def set_boundary(self, pk: int, side: Side, pos: int) -> Changes:
        """Put span ``pk``'s start or end at ``pos`` (the end of a mouse drag)."""
        span = self.span(pk)
        if span is None:
            raise Refused("That span is not in the shown document.")
        frags = span_edits.set_boundary(self.text, span.fragments, side, pos)
        if frags == span.fragments:
            return NOTHING
        return self.update_span(pk, fragments=frags).with_message(
            f"{side.capitalize()} moved: “{self._covered(frags)}”.")

    def relabel(self, layer: str, label: str) -> Changes:
        """Give the selected span another label (its layer's or another layer's)."""
        span = self._selected_span()
        if (span.layer, span.label) == (layer, label):
            return NOTHING
        return self.update_span(span.pk, layer=layer, label=label).with_message(
            f"Now {layer}:{label}.")

    def split(self, start: int, end: int | None = None) -> Changes:
        """Leave [start, end) (or the spaces at ``start``) out of the selected span."""
        span = self._selected_span()
        frags = span_edits.split_fragment(self.text, span.fragments, start, end)
        return self.update_span(span.pk, fragments=frags).with_message(
            f"Span now has {len(frags)} fragments.")

    def join(self) -> Changes:
        """Make the selected span one fragment from its start to its end."""
        span = self._selected_span()
        frags = span_edits.join_fragments(span.fragments)
        return self.update_span(span.pk, fragments=frags).with_message(
            "Fragments joined into one.")

    # ----------------------------------------------------------------- document-level labels
    def own_doc_annotation(self, layer: str) -> DocAnnotation | None:
        """The project annotator's annotation of the shown document in ``layer``, if any."""
        me = self.project.annotator if self.project is not None else ""
        return next((a for a in self.doc_annotations if a.layer == layer and a.annotator == me),
                    None)

    def set_doc_label(self, layer: str, label: str | None) -> Changes:
        """Label the shown document in document-level ``layer`` (None or "": no label). One
        label per layer and annotator: an existing one is changed (its attributes kept)."""
        if self.document is None or self.project is None:
            raise Refused("Open a document first.")
        lay = self.project.tagset.layer(layer)
        if lay is None or not lay.document_level:
            raise Refused(f"{layer!r} is not a document-level layer of the tagset.")
        mine = self.own_doc_annotation(layer)
        if not label:
            if mine is None:
                return NOTHING
            return self.do(DeleteDocAnnotation(mine.pk, self.document)).with_message(
                f"No {layer} label for this document.")
        if mine is not None:
            if mine.label == label:
                return NOTHING
            return self.do(UpdateDocAnnotation(mine.pk, self.document, label=label)
                           ).with_message(f"Document labelled {layer}: {label}.")
        defaults = {a.name: a.default for a in self.project.tagset.attributes_for(layer, label)
                    if a.default is not None and a.default != ""}
        return self.do(AddDocAnnotation(self.document, layer, label, defaults)).with_message(
            f"Document labelled {layer}: {label}.")

    def set_doc_attributes(self, layer: str, attributes: Attributes) -> Changes:
        """Set the attributes of the shown document's ``layer`` label (one undo step)."""
        mine = self.own_doc_annotation(layer)
        if mine is None or self.document is None:
            raise Refused(f"Choose a {layer} label for the document first.")
        if mine.attributes == attributes:
            return NOTHING
        return self.do(UpdateDocAnnotation(mine.pk, self.document, attributes=attributes))

    def _covered(self, fragments: Fragments, limit: int = 50) -> str:
        text = " ".join(self.text[s:e] for s, e in fragments)
        return text if len(text) <= limit else text[:limit - 1] + "…"
