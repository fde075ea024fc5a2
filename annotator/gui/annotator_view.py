"""Whose spans the text view shows: View > Annotators, one toggle per annotator.

A project can hold several annotators' spans (merged from colleagues' files, the team
workflow). The text view shows the project annotator's own spans (and spans that name nobody)
by default; the others' are shown on request, one checkable entry per annotator found in the
shown document, filled when the menu opens. A document opened with no span of one's own (an
imported corpus, the bundled sample) shows everyone's, until it is opened again. When spans
are hidden the status bar says how many and where to show them. The choice holds until
another project is opened. The Spans table still lists every span. GUI thread only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def own(w: Shell) -> set[str]:
    """The annotators always shown: the project's and "" (spans that name nobody)."""
    return {w.project.annotator, ""} if w.project is not None else {""}


def shown(w: Shell) -> set[str]:
    return own(w) | w.shown_annotators


def apply(w: Shell) -> None:
    """Give the text view the annotators to show (after a toggle or a new name)."""
    w.view.set_shown_annotators(shown(w))


def document_opened(w: Shell) -> None:
    """A document is shown: with none of one's own spans, everyone's are shown; else the
    others' stay hidden unless asked for, and the status bar says so."""
    mine = own(w)
    if not any(s.annotator in mine for s in w.spans):
        w.shown_annotators |= {s.annotator for s in w.spans}
    apply(w)
    hidden = sum(1 for s in w.spans if s.annotator not in shown(w))
    if hidden:
        w.say(f"Showing your spans; {hidden} by other annotators are hidden "
              "(View ▸ Annotators shows them).", 8000)


def others(w: Shell) -> list[str]:
    """Annotators of the shown document's spans other than the project's, sorted."""
    return sorted({s.annotator for s in w.spans} - own(w))


def fill_menu(w: Shell) -> None:
    """Fill View > Annotators: the project annotator (always shown), then one toggle each."""
    menu = w.annotators_menu
    menu.clear()
    mine = menu.addAction(f"{w.project.annotator or '(not set)'} (you)" if w.project
                          else "(no project)")
    mine.setCheckable(True)
    mine.setChecked(True)
    mine.setEnabled(False)
    names = others(w)
    if not names:
        menu.addAction("No other annotator in this document").setEnabled(False)
    for name in names:
        a = menu.addAction(name)
        a.setCheckable(True)
        a.setChecked(name in w.shown_annotators)
        a.toggled.connect(lambda on, n=name: set_visible(w, n, on))


def set_visible(w: Shell, name: str, visible: bool) -> None:
    """Show or hide annotator ``name``'s spans in the text view."""
    if visible:
        w.shown_annotators.add(name)
    else:
        w.shown_annotators.discard(name)
    apply(w)
    count = sum(1 for s in w.spans if s.annotator == name)
    w.say(f"{name}'s {count} span(s) {'shown' if visible else 'hidden'}.")
