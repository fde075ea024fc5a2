"""Tagging in the text view: label keys, extra fragments, deleting, linking spans.

Keys (handled while the text view has focus, by an event filter):

* a label's key tags the selection as a new span, snapped to whole words; with Shift or Alt
  the selection is taken exactly as it is;
* ``+`` adds the selection as a further fragment of the selected span (a discontinuous span);
  Ctrl with a letter keeps its usual meaning (Ctrl+C copies);
* ``L`` starts linking: the next span clicked becomes the relation's target;
* Esc cancels linking and clears the span selection;
* with a span selected: a label key without selected text changes its label in place;
  Alt+Left/Right moves its start by a word, Alt+Shift+Left/Right its end (with Ctrl too: by a
  character); ``/`` splits it at the cursor's spaces (or leaves out the selected text);
  dragging one of its ends with the mouse moves that boundary (the view's
  ``boundaryDragged``).

Every change is one undo step of the session's workspace, committed to the file at once; a
refusal (a boundary that cannot move, an exact duplicate) is a status-bar message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCursor, QKeyEvent
from PySide6.QtWidgets import QMenu

from annotator.core.model import Fragments, Span
from annotator.core.tagset import Tagset
from annotator.core.undo import AddRelation, AddSpan, DeleteSpan, UpdateSpan
from annotator.gui.session import ProjectSession
from annotator.gui.views.text_view import SpanTextView
from annotator.workspace import Changes, Workspace
from annotator.workspace.span_edits import Side, Unit


def merge_fragments(fragments: Fragments, start: int, end: int) -> Fragments:
    """``fragments`` plus ``[start, end)``, sorted, with overlapping or touching ones joined."""
    out: list[list[int]] = []
    for s, e in sorted([*fragments, (start, end)]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return tuple((s, e) for s, e in out)


def duplicate_of(spans: Iterable[Span], layer: str, label: str, fragments: Fragments,
                 exclude: int | None = None) -> Span | None:
    """A span of ``spans`` (other than ``exclude``) with the same layer, label and fragments:
    the one a new span like that would duplicate exactly."""
    # the fragments first: they differ for almost every span (half the time on 100,000 spans)
    return next((s for s in spans if s.fragments == fragments and s.pk != exclude
                 and s.layer == layer and s.label == label), None)


def default_attributes(tagset: Tagset, layer: str, label: str) -> dict[str, object]:
    """The tagset's defaults for a new span (empty defaults are left out)."""
    return {a.name: a.default for a in tagset.attributes_for(layer, label)
            if a.default is not None and a.default != ""}


def snap_local(text: str, start: int, end: int, margin: int = 400) -> tuple[int, int]:
    """:func:`annotator.nlp.tokens.snap_to_words` over the paragraph around the selection
    (at most ``margin`` code points either side, cut at whitespace), so that tagging in a long
    document never tokenises all of it."""
    from annotator.nlp.tokens import snap_to_words

    a = text.rfind("\n", 0, start) + 1
    if start - a > margin:
        cut = max(0, start - margin)
        space = next((i for i in range(cut, start) if text[i].isspace()), start)
        a = space
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    if b - end > margin:
        cut = end + margin
        b = next((i for i in range(cut, end, -1) if text[i].isspace()), end)
    s, e = snap_to_words(text[a:b], start - a, end - a)
    return s + a, e + a


_warmed = False


def warm_up_tokenizer() -> None:
    """Import the tokenizer (nltk is slow to import) on a background thread, once."""
    import threading

    global _warmed
    if _warmed:
        return
    _warmed = True

    def load() -> None:
        from annotator.nlp.tokens import snap_to_words

        snap_to_words("warm up", 0, 2)

    threading.Thread(target=load, name="warm-up-tokenizer", daemon=True).start()


# Alt + these keys move the selected span's boundaries too: window managers often take
# Alt+Shift+arrows (Openbox: send the window to another desktop) and Ctrl+Alt+arrows (GNOME,
# KDE, Xfce: switch workspace) before the program sees them.
ALT_BOUNDARY_KEYS: dict[Qt.Key, tuple[Side, int, Unit]] = {
    Qt.Key.Key_Comma: ("end", -1, "word"), Qt.Key.Key_Period: ("end", 1, "word"),
    Qt.Key.Key_BracketLeft: ("start", -1, "char"), Qt.Key.Key_BracketRight: ("start", 1, "char"),
    Qt.Key.Key_Semicolon: ("end", -1, "char"), Qt.Key.Key_Apostrophe: ("end", 1, "char"),
}


class Tagger(QObject):
    """Turns key presses and clicks in the text view into edits of the current document."""

    message = Signal(str)  # for the status bar
    spanSelected = Signal(object)  # pk or None

    def __init__(self, view: SpanTextView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.session: ProjectSession | None = None
        self.link_source: int | None = None
        view.installEventFilter(self)
        # the viewport too: Tab sent to it would otherwise move the focus before reaching us
        view.viewport().installEventFilter(self)
        view.spanClicked.connect(self.span_clicked)
        view.boundaryDragged.connect(self.drag_boundary)

    # ----------------------------------------------------------------- state (the workspace's)
    @property
    def document(self) -> int | None:
        return self.session.workspace.document if self.session else None

    @property
    def text(self) -> str:
        return self.session.workspace.text if self.session else ""

    @property
    def spans(self) -> dict[int, Span]:
        """The shown document's spans by key."""
        return self.session.workspace.by_pk if self.session else {}

    @property
    def tagset(self) -> Tagset:
        assert self.session is not None
        return self.session.project.tagset

    def keys(self) -> dict[str, tuple[str, str]]:
        """Label keys of the enabled layers: key → (layer, label)."""
        if self.session is None:
            return {}
        return {lab.key.lower(): (layer.name, lab.name) for layer in self.tagset.layers
                if layer.enabled and not layer.document_level for lab in layer.labels
                if lab.key}

    def selected(self) -> int | None:
        pk = self.view.selected_span()
        return pk if pk in self.spans else None

    def select(self, pk: int | None) -> None:
        self.view.select_span(pk)
        self.spanSelected.emit(pk)

    # ----------------------------------------------------------------- events
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            assert isinstance(event, QKeyEvent)
            action = self._action_for(event)
            if action is None:
                return False
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # keep window shortcuts from taking our keys
                return True
            action()
            return True
        return False

    def _action_for(self, event: QKeyEvent) -> Callable[[], object] | None:
        key = event.key()
        mods = event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        exact = bool(mods & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier))
        if key == Qt.Key.Key_Escape:
            return self.escape
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and alt and self.selected() is not None:
            step = 1 if key == Qt.Key.Key_Right else -1
            side: Side = "end" if mods & Qt.KeyboardModifier.ShiftModifier else "start"
            unit: Unit = "char" if ctrl else "word"
            return lambda: self.move_boundary(side, step, unit)
        if alt and key in ALT_BOUNDARY_KEYS and self.selected() is not None:
            # the same moves where a desktop takes Alt+Shift/Ctrl+Alt+arrows for itself
            side, step, unit = ALT_BOUNDARY_KEYS[Qt.Key(key)]
            return lambda: self.move_boundary(side, step, unit)
        if key == Qt.Key.Key_Slash and not ctrl and self.selected() is not None:
            return self.split
        if key == Qt.Key.Key_Tab and not ctrl:
            return lambda: self.step_span(+1)
        if key == Qt.Key.Key_Backtab and not ctrl:  # Shift+Tab
            return lambda: self.step_span(-1)
        if key == Qt.Key.Key_Plus and not ctrl:  # Shift is how + is typed on many keyboards
            alt = bool(mods & Qt.KeyboardModifier.AltModifier)
            return lambda: self.add_fragment(exact=alt)
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not ctrl:
            return self.delete_selected
        ch = chr(key).lower() if Qt.Key.Key_A <= key <= Qt.Key.Key_Z or \
            Qt.Key.Key_0 <= key <= Qt.Key.Key_9 else ""
        if not ch or mods & Qt.KeyboardModifier.MetaModifier:
            return None
        keys = self.keys()
        if ctrl:  # Ctrl+C, Ctrl+O… keep their usual meaning
            return None
        if ch in keys:
            layer, label = keys[ch]
            if self.selected() is not None and self.view.selection_cp() is None:
                return lambda: self.relabel(layer, label)
            return lambda: self.tag(layer, label, exact=exact)
        if ch == "l" and "l" not in keys:
            return self.start_link
        return None

    # ----------------------------------------------------------------- actions
    def step_span(self, delta: int) -> int | None:
        """Select the next (``+1``) or previous (``-1``) visible span in text order, from the
        selected span or else from the cursor; wraps around. Returns its key."""
        order = sorted((s for s in self.spans.values() if self.view.is_shown(s)),
                       key=lambda s: (s.start, s.end, s.layer, s.label, s.pk))
        if not order:
            self.message.emit("This document has no spans yet.")
            return None
        current = self.selected()
        keys = [s.pk for s in order]
        if current in keys:
            i = (keys.index(current) + delta) % len(order)
        else:
            cp = self.view.selection_cp()
            at = cp[0] if cp else self.view.cursor_cp()
            after = [n for n, s in enumerate(order) if s.start >= at]
            i = (after[0] if after else 0) if delta > 0 else \
                ((after[0] - 1) if after else len(order) - 1)
        self.select(order[i].pk)
        self.view.scroll_to_cp(order[i].start)
        return order[i].pk

    def _selection(self, exact: bool) -> tuple[int, int] | None:
        sel = self.view.selection_cp()
        if not sel or sel[0] == sel[1]:
            self.message.emit("Select some text first, then press a label's key.")
            return None
        start, end = sorted(sel)
        if not exact:
            start, end = snap_local(self.text, start, end)
        if start >= end:
            self.message.emit("The selection holds only spaces.")
            return None
        return start, end

    def tag(self, layer: str, label: str, *, exact: bool = False) -> Span | None:
        """Tag the current selection as ``layer:label``; returns the new span."""
        if self.session is None or self.document is None:
            return None
        sel = self._selection(exact)
        if sel is None:
            return None
        same = duplicate_of(self.session.workspace.near((sel,)), layer, label, (sel,))
        if same is not None:  # an exact duplicate is never made: the existing one is selected
            self.select(same.pk)
            self.message.emit(f"Already tagged {layer}:{label} here; selected that span.")
            return None
        edit = AddSpan(self.document, layer, label, (sel,),
                       attributes=default_attributes(self.tagset, layer, label))
        if not self.session.do(edit):
            return None
        assert edit.span is not None
        self.select(edit.span.pk)
        self.message.emit(f"Tagged {layer}:{label}.")
        return edit.span

    def add_fragment(self, *, exact: bool = False) -> None:
        pk = self.selected()
        if self.session is None or pk is None:
            self.message.emit("Select a span first (click it), then select more text and "
                              "press + to add a fragment.")
            return
        sel = self._selection(exact)
        if sel is None:
            return
        span = self.spans[pk]
        fragments = merge_fragments(span.fragments, *sel)
        if fragments == span.fragments:
            self.message.emit("The selection is already part of this span.")
            return
        same = duplicate_of(self.session.workspace.near(fragments), span.layer, span.label,
                            fragments, exclude=pk)
        if same is not None:
            self.message.emit(f"Another {span.layer}:{span.label} span has exactly these "
                              "fragments; nothing changed.")
            return
        if self.session.do(UpdateSpan(pk, fragments=fragments)):
            self.select(pk)
            self.message.emit(f"Span now has {len(fragments)} fragment(s).")

    def delete_selected(self) -> None:
        pk = self.selected()
        if self.session is None or pk is None:
            self.message.emit("No span selected.")
            return
        if self.session.do(DeleteSpan(pk)):
            self.select(None)
            self.message.emit("Span deleted.")

    # ----------------------------------------------------------------- span editing
    def _edit_selected(self, op: Callable[[Workspace], Changes]) -> bool:
        """Run ``op`` on the workspace for the selected span (one undo step)."""
        if self.session is None or self.selected() is None:
            self.message.emit("Select a span first (click it).")
            return False
        ws = self.session.workspace
        ws.select(self.selected())
        return self.session.run(lambda: op(ws)) is not None

    def move_boundary(self, side: Side, step: int, unit: Unit = "word") -> bool:
        """Move the selected span's start or end one word (or character) right or left."""
        return self._edit_selected(lambda ws: ws.move_boundary(side, step, unit))

    def relabel(self, layer: str, label: str) -> bool:
        """Give the selected span another label, keeping its text and attributes."""
        return self._edit_selected(lambda ws: ws.relabel(layer, label))

    def split(self) -> bool:
        """Leave the selected text (or the spaces at the cursor) out of the selected span."""
        sel = self.view.selection_cp()
        at = sel if sel else (self.view.cursor_cp(), None)
        return self._edit_selected(lambda ws: ws.split(*at))

    def join(self) -> bool:
        """Make the selected span's fragments one."""
        return self._edit_selected(lambda ws: ws.join())

    def drag_boundary(self, pk: int, side: str, pos: int) -> None:
        """The view's ``boundaryDragged``: span ``pk``'s start or end was dropped at ``pos``."""
        if self.session is None or pk not in self.spans:
            return
        ws = self.session.workspace
        which: Side = "start" if side == "start" else "end"
        self.session.run(lambda: ws.set_boundary(pk, which, pos))
        self.select(pk)

    def choose_label(self) -> None:
        """F2: pick the selected span's new label from a menu of the enabled layers' labels."""
        if self.session is None or self.selected() is None:
            self.message.emit("Select a span first (click it).")
            return
        choices = [(layer.name, lab.name) for layer in self.tagset.layers
                   if layer.enabled and not layer.document_level for lab in layer.labels]
        chosen = self.choose_label_from(choices)
        if chosen is not None:
            self.relabel(*chosen)

    def choose_label_from(self, choices: list[tuple[str, str]]) -> tuple[str, str] | None:
        """Ask with a small menu at the mouse pointer (tests replace this)."""
        menu = QMenu(self.view)
        for layer, label in choices:
            menu.addAction(f"{layer}: {label}").setData((layer, label))
        action = menu.exec(QCursor.pos())
        return tuple(action.data()) if action else None

    def escape(self) -> None:
        if self.link_source is not None:
            self.link_source = None
            self.message.emit("Linking cancelled.")
        else:
            self.select(None)

    def start_link(self) -> None:
        pk = self.selected()
        if pk is None:
            self.message.emit("Select the span to link from first.")
            return
        self.link_source = pk
        s = self.spans[pk]
        self.message.emit(f"Linking from {s.layer}:{s.label} — click the target span "
                          "(Esc cancels).")

    def span_clicked(self, pk: int, modifiers: object = None) -> None:
        if pk not in self.spans:
            return
        if self.link_source is not None and self.link_source != pk:
            source, self.link_source = self.link_source, None
            self.link(source, pk)
            return
        self.select(pk)

    def link(self, source: int, target: int) -> None:
        """Add a relation of the type the tagset allows between the two spans; asks when
        several fit (types restricted to these labels win over types open to any span)."""
        if self.session is None:
            return
        a, b = self.spans[source], self.spans[target]
        allowed = [r for r in self.tagset.relation_types
                   if r.allows(a.layer, a.label, b.layer, b.label)]
        fits = [r.name for r in allowed if r.source or r.target]
        if len(fits) == 1:
            chosen: str | None = fits[0]
        else:
            if not fits:  # types open to any span (e.g. fragment_of) are never chosen silently
                self.message.emit(f"No relation type is meant to link {a.layer}:{a.label} to "
                                  f"{b.layer}:{b.label}; pick one to use anyway.")
                fits = [r.name for r in self.tagset.relation_types]
            chosen = self.choose_relation_type(fits) if fits else None
        if chosen is None:
            return
        if self.session.do(AddRelation(chosen, source, target)):
            self.select(source)
            self.message.emit(f"Linked: {a.label} → {chosen} → {b.label}.")

    def choose_relation_type(self, types: list[str]) -> str | None:
        """Ask with a small menu at the mouse pointer (tests replace this)."""
        menu = QMenu(self.view)
        menu.setToolTipsVisible(True)
        for t in types:
            menu.addAction(t)
        action = menu.exec(QCursor.pos())
        return action.text() if action else None
