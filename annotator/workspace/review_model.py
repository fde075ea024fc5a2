"""The review window's state without Qt: which document and disagreement are shown, the
decisions, and their undo history.

:class:`ReviewModel` is to the review window what :class:`~annotator.workspace.Workspace` is to
the main window: every operation (show a document, select a disagreement, decide, edit, accept
what both gave alike, undo, redo) changes the state and returns a :class:`ReviewChanges` saying
what to redraw; the window only draws. Decisions live in an
:class:`~annotator.review.adjudicate.Adjudication`. After a decision the next undecided
disagreement of the document is selected (wrapping to the first one), so a reviewer can go
through a document with the keyboard alone. Undo puts an item's earlier decision back (and
shows its document and row); "accept agreed" is one step for all the spans it accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.core.errors import AnnotatorError
from annotator.core.model import CorpusDocument, SpanRecord, span_text
from annotator.review.adjudicate import AGREED, Adjudication, Decision, Item
from annotator.review.sources import ReviewSet

Before = tuple[Decision | None, SpanRecord | None, str, str]  # decision, edited, by, at


@dataclass(frozen=True)
class ReviewChanges:
    """What a review operation changed."""

    document: bool = False  # another document is shown: draw it whole
    items: bool = False  # decisions changed: the list's entries (and the status) are redrawn
    selection: bool = False  # another disagreement is selected
    history: bool = False  # undo/redo texts
    message: str = ""

    def __or__(self, other: ReviewChanges) -> ReviewChanges:
        return ReviewChanges(self.document or other.document, self.items or other.items,
                             self.selection or other.selection, self.history or other.history,
                             other.message or self.message)


UNCHANGED = ReviewChanges()


@dataclass
class _Step:
    text: str
    before: list[tuple[Item, Before]]
    after: list[tuple[Item, Before]] = field(default_factory=list)
    document: int = 0
    row: int = -1


def _state(it: Item) -> Before:
    return (it.decision, it.edited, it.by, it.at)


def _put(it: Item, state: Before) -> None:
    it.decision, it.edited, it.by, it.at = state


def check_two(review: ReviewSet) -> None:
    """Refuse a review of other than two annotators (:class:`AnnotatorError`): a review
    decides between A and B, and a third one's spans would be left out without a word."""
    if len(review.sides) != 2:
        raise AnnotatorError(
            f"holds {len(review.sides)} annotators ({', '.join(review.annotators)}); the "
            "review window compares two: name them with --annotators A,B",
            path=review.sides[0].path if review.sides else None)


class ReviewModel:
    """Two (or more) annotators' files under review; see the module docstring."""

    def __init__(self, review: ReviewSet, *, adjudicator: str) -> None:
        check_two(review)
        self.review = review
        self.adjudicator = adjudicator
        self.adjudication = Adjudication(review)
        self.document = 0
        self.row = -1  # the selected disagreement of the shown document (-1: none)
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []

    # ----------------------------------------------------------------- reading
    @property
    def documents(self) -> int:
        return len(self.adjudication.documents)

    def items(self) -> list[Item]:
        """The shown document's disagreements, in order."""
        return self.adjudication.disagreements(self.document) if self.documents else []

    def current(self) -> Item | None:
        items = self.items()
        return items[self.row] if 0 <= self.row < len(items) else None

    def status(self) -> str:
        """The status line: matched documents, items, what is still undecided."""
        adj = self.adjudication
        open_dis = sum(1 for it in adj.disagreements() if it.decision is None)
        agreed_open = sum(1 for it in adj.items if it.kind == AGREED and it.decision is None)
        only = ", ".join(f"{len(o)} only in {n}" for n, o in
                         zip(self.review.annotators, self.review.only, strict=True))
        return (f"{len(self.review.matched)} matched documents ({only}); {len(adj.items)} "
                f"items, {open_dis} disagreements and {agreed_open} agreed spans undecided")

    # ----------------------------------------------------------------- the gold documents
    def gold(self) -> list[CorpusDocument]:
        """The gold documents of the decisions (:meth:`Adjudication.gold`), with the document
        labels (``article_stance``, ``genre``…) both annotators gave alike: agreed, they are
        kept as agreed spans are. The others are left out (the window has no way to decide
        them; :meth:`document_labels_left_out` counts them, and saving says so)."""
        return self.adjudication.gold()

    def leaving_out_question(self) -> str:
        """What a gold file saved now would leave out (undecided disagreements, documents
        one file lacks, document labels given by one annotator only) and the question whether
        to save anyway; empty when it leaves out nothing."""
        adj = self.adjudication
        left = adj.open_summary()
        only = [f"{len(o)} only in {n}" for n, o in
                zip(self.review.annotators, self.review.only, strict=False) if o]
        labels = self.document_labels_left_out()
        if not left and not only and not labels:
            return ""
        agreed = sum(1 for it in adj.items if it.kind == AGREED and it.decision is None)
        parts = []
        if left:
            parts.append(f"Some disagreements are still undecided: {left}. They will be left "
                         "out of the gold file, and their documents marked in progress.")
        if only:
            parts.append(f"Documents in one file only ({', '.join(only)}) are not in the gold "
                         "file: it holds the documents both files have.")
        if labels:
            parts.append(f"{labels} document label(s) (such as article stance or genre) were "
                         "given by one annotator only, or differently: they are not in the gold "
                         "file. Document labels both gave alike are.")
        parts.append("Every decision made is saved, and so is every span both annotators gave "
                     "alike" + (f" ({agreed} of them accepted now)" if agreed else "") + ".")
        parts.append("Save the gold file anyway?"
                     + (" (Cancel shows the first undecided one.)" if left else ""))
        return "\n\n".join(parts)

    def document_labels_left_out(self) -> int:
        """Document labels one annotator gave and the other did not (not in the gold)."""
        return self.adjudication.doc_labels_left_out()

    @property
    def undo_text(self) -> str:
        return self._undo[-1].text if self._undo else ""

    @property
    def redo_text(self) -> str:
        return self._redo[-1].text if self._redo else ""

    def describe(self, it: Item) -> str:
        """One line for the disagreements list (what differs, quoted)."""
        text = self.adjudication.documents[it.doc].text
        a, b = self.review.annotators[0], self.review.annotators[1]

        def quote(s: SpanRecord) -> str:
            t = span_text(text, s.fragments)
            return "“" + (t if len(t) <= 40 else t[:39] + "…") + "”"

        sa, sb = it.a, it.b
        if it.kind == "only_a" and sa is not None:
            head = f"only {a}: {it.layer}/{sa.label} {quote(sa)}"
        elif it.kind == "only_b" and sb is not None:
            head = f"only {b}: {it.layer}/{sb.label} {quote(sb)}"
        elif sa is None or sb is None:
            raise ValueError(f"a {it.kind!r} disagreement without the span it needs")
        elif it.kind == "label":
            head = f"label: {sa.label} ({a}) vs {sb.label} ({b}) {quote(sa)}"
        elif it.kind == "boundaries":
            head = f"boundaries ({it.layer}/{sa.label}): {quote(sa)} vs {quote(sb)}"
        else:
            head = f"attributes ({it.layer}/{sa.label}) {quote(sa)}: " \
                   f"{sa.attributes or '{}'} vs {sb.attributes or '{}'}"
        if it.decision is not None:
            head = f"✓ {it.decision.value.replace('_', ' ')} — {head}"
        return head

    # ----------------------------------------------------------------- moving
    def open_document(self, n: int) -> ReviewChanges:
        """Show document ``n`` with its first disagreement selected."""
        if not 0 <= n < self.documents:
            return UNCHANGED
        self.document = n
        self.row = 0 if self.items() else -1
        return ReviewChanges(document=True, items=True, selection=True)

    def select(self, row: int) -> ReviewChanges:
        if row == self.row or not -1 <= row < len(self.items()):
            return UNCHANGED
        self.row = row
        return ReviewChanges(selection=True)

    def show_item(self, item: Item) -> ReviewChanges:
        """Show ``item``'s document with ``item`` selected."""
        changes = self.open_document(item.doc) if item.doc != self.document else UNCHANGED
        items = self.items()
        return changes | self.select(items.index(item)) if item in items else changes

    # ----------------------------------------------------------------- deciding
    def decide(self, decision: Decision, *, edited: SpanRecord | None = None) -> ReviewChanges:
        """Decide the selected disagreement (one undo step), then select the next undecided
        one. Nothing selected: nothing changes."""
        it = self.current()
        if it is None:
            return UNCHANGED
        step = _Step(f"{decision.value.replace('_', ' ')}", [(it, _state(it))],
                     document=self.document, row=self.row)
        self.adjudication.decide(it, decision, by=self.adjudicator, edited=edited)
        self._push(step, [it])
        return ReviewChanges(items=True, history=True) | self._next_undecided()

    def accept_agreed(self) -> tuple[int, ReviewChanges]:
        """Accept every undecided span both gave alike (one undo step); how many."""
        todo = [it for it in self.adjudication.items if it.kind == AGREED and it.decision is None]
        if not todo:
            return 0, UNCHANGED
        step = _Step("accept agreed", [(it, _state(it)) for it in todo],
                     document=self.document, row=self.row)
        n = self.adjudication.accept_agreed(by=self.adjudicator)
        self._push(step, todo)
        return n, ReviewChanges(items=True, history=True,
                                message=f"{n} agreed span(s) accepted")

    def _push(self, step: _Step, items: list[Item]) -> None:
        step.after = [(it, _state(it)) for it in items]
        self._undo.append(step)
        self._redo.clear()

    def _next_undecided(self) -> ReviewChanges:
        items = self.items()
        after = range(self.row + 1, len(items))
        nxt = next((i for i in after if items[i].decision is None), None)
        if nxt is None:
            nxt = next((i for i in range(len(items)) if items[i].decision is None), self.row)
        return self.select(nxt)

    # ----------------------------------------------------------------- history
    def undo(self) -> ReviewChanges:
        """Put back the decisions before the last step; shows where it was made."""
        if not self._undo:
            return ReviewChanges(message="Nothing to undo.")
        step = self._undo.pop()
        for it, state in step.before:
            _put(it, state)
        self._redo.append(step)
        return self._return_to(step, f"Undone: {step.text}")

    def redo(self) -> ReviewChanges:
        if not self._redo:
            return ReviewChanges(message="Nothing to redo.")
        step = self._redo.pop()
        for it, state in step.after:
            _put(it, state)
        self._undo.append(step)
        return self._return_to(step, f"Redone: {step.text}")

    def _return_to(self, step: _Step, message: str) -> ReviewChanges:
        changes = ReviewChanges(items=True, history=True, message=message)
        if step.document != self.document:
            changes = changes | self.open_document(step.document)
        return changes | self.select(step.row if step.row < len(self.items()) else -1)
