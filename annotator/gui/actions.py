"""The window's actions (with shortcuts) and its menu bar."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QMessageBox

from annotator.gui import annotator_view, editing, file_menu, find, tagset_menu, tagset_view
from annotator.gui.local_keys import COMBO_KEYS, claim_keys
from annotator.gui.views import dialogs
from annotator.workspace.span_edits import Side, Unit

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


Shortcut = str | QKeySequence | QKeySequence.StandardKey | None

# Edit > Span boundaries: (menu text, side, step, unit, shortcut); the tagger takes these keys
# in the text view while a span is selected
BOUNDARY_KEYS: tuple[tuple[str, Side, int, Unit, str], ...] = (
    ("Start one word &left", "start", -1, "word", "Alt+Left"),
    ("Start one word &right", "start", 1, "word", "Alt+Right"),
    ("End one word l&eft", "end", -1, "word", "Alt+Shift+Left"),
    ("End one word ri&ght", "end", 1, "word", "Alt+Shift+Right"),
    ("Start one character left", "start", -1, "char", "Ctrl+Alt+Left"),
    ("Start one character right", "start", 1, "char", "Ctrl+Alt+Right"),
    ("End one character left", "end", -1, "char", "Ctrl+Alt+Shift+Left"),
    ("End one character right", "end", 1, "char", "Ctrl+Alt+Shift+Right"),
)


def _action(w: Shell, text: str, slot: Callable[..., object], shortcut: Shortcut = None,
            tip: str = "") -> QAction:
    a = QAction(text, w)
    a.triggered.connect(slot)
    if shortcut:
        a.setShortcut(QKeySequence(shortcut))
    if tip:
        a.setStatusTip(tip)
        a.setToolTip(tip)
    w.addAction(a)
    return a


def build_actions(w: Shell) -> None:
    """Create the window's actions as attributes ``w.act_*`` (with their shortcuts)."""

    def A(text: str, slot: Callable[..., object], shortcut: Shortcut = None,
          tip: str = "") -> QAction:
        return _action(w, text, slot, shortcut, tip)

    K = QKeySequence.StandardKey
    w.act_new = A("&New project…", lambda: file_menu.new_project(w), K.New,
                  "Create an empty project file")
    w.act_open = A("&Open project…", lambda: file_menu.open_dialog(w), K.Open,
                   "Open a project file")
    w.act_import = A("&Import…", lambda: file_menu.import_dialog(w), "Ctrl+I",
                     "Import articles or annotated corpora (files)")
    w.act_import_folder = A("Import &folder…", lambda: file_menu.import_folder_dialog(w),
                            "Ctrl+Shift+I", "Import every file of a folder")
    w.act_export = A("&Export…", lambda: file_menu.export_dialog(w), "Ctrl+E",
                     "Export the corpus in another format")
    w.act_backup = A("&Backup now", lambda: file_menu.backup_now(w), None,
                     "Write a backup copy of the project")
    w.act_annotator = A("Annotator &name…", lambda: file_menu.change_annotator(w), None,
                        "Your name as an annotator, saved with every span you make")
    w.act_review = A("&Review colleague's file…", lambda: file_menu.review_dialog(w), None,
                     "Compare with a colleague's project file (opened read-only), "
                     "measure agreement, adjudicate a gold file")
    w.act_restore = A("Restore from bac&kup…", lambda: file_menu.restore_dialog(w), None,
                      "Replace the project by a backup copy (the current state is kept too)")
    w.act_quit = A("&Quit", w.close, K.Quit)
    w.act_undo = A("&Undo", lambda: editing.undo(w), K.Undo)
    w.act_redo = A("&Redo", lambda: editing.redo(w), K.Redo)
    w.act_delete = A("&Delete span", w.tagger.delete_selected, K.Delete,
                     "Delete the selected span")
    w.act_fragment = A("Add &fragment", lambda: w.tagger.add_fragment(), "+",
                       "Add the selected text as a further fragment of the selected span")
    w.act_relabel = A("Change &label…", w.tagger.choose_label, "F2",
                      "Give the selected span another label (or press its key)")
    w.act_split = A("&Split span", lambda: w.tagger.split(), "/",
                    "Leave the spaces at the cursor (or the selected text) out of the "
                    "selected span: it gets one fragment more")
    w.act_join = A("&Join fragments", lambda: w.tagger.join(), "Ctrl+J",
                   "Make the selected span one fragment from its start to its end")
    w.act_bounds = []
    for text, side, step, unit, key in BOUNDARY_KEYS:
        w.act_bounds.append(A(text, lambda _=False, a=side, b=step, c=unit:
                              w.tagger.move_boundary(a, b, c), key))
    w.act_link = A("&Link span…", w.tagger.start_link, "L",
                   "Link the selected span: press L, then click the target span")
    w.act_tagset = A("&Tagset…", lambda: tagset_menu.edit_tagset(w), None,
                     "Edit layers, labels, keys, colours, attributes and relation types")
    w.act_find = A("&Find…", lambda: find.open_find(w), K.Find, "Find in this document")
    w.act_find_next = A("Find next", w.find_bar.find_next, K.FindNext)
    w.act_find_prev = A("Find previous", w.find_bar.find_previous, K.FindPrevious)
    w.act_find_project = A("Find in &project…", lambda: find.open_project_find(w), "Ctrl+Shift+F",
                           "Find a text in every document")
    w.act_zoom_in = A("Zoom &in", w.view.zoom_in, K.ZoomIn)
    w.act_zoom_out = A("Zoom &out", w.view.zoom_out, K.ZoomOut)
    w.act_dark = A("&Dark palette", lambda on: tagset_view.toggle_dark(w, on), None, "Switch light/dark colours")
    w.act_dark.setCheckable(True)
    w.act_status = {}
    group = QActionGroup(w)
    for status, text, key in (("new", "Mark &new", "Ctrl+1"),
                              ("in_progress", "Mark &in progress", "Ctrl+2"),
                              ("done", "Mark &done", "Ctrl+3")):
        a = A(text, lambda _=False, s=status: w.set_status(s), key)
        a.setCheckable(True)
        group.addAction(a)
        w.act_status[status] = a
    w.act_suggest = A("&Suggest spans", w.suggestions.start, "Ctrl+Shift+S",
                      "List hedges, boosters and attribution cues found by the lexicons")
    w.act_next_doc = A("&Next document", lambda: w.step_document(1), "Alt+Down")
    w.act_prev_doc = A("&Previous document", lambda: w.step_document(-1), "Alt+Up")
    w.act_shortcuts = A("&Keyboard shortcuts", lambda: _show_shortcuts(w), K.HelpContents)
    w.act_about = A("&About Annotator",
                    lambda: QMessageBox.about(w, "About Annotator", dialogs.about_text()))
    _local_span_keys(w)


def _show_shortcuts(w: Shell) -> None:
    if w.project is not None:
        dialogs.ShortcutDialog(w.project.tagset, w).exec()


def _local_span_keys(w: Shell) -> None:
    """Delete, + and L act on spans only where spans are: the text view (its tagger takes the
    keys there) and, for Delete, the Spans table. Elsewhere the focused widget keeps its own
    meaning (Delete dismisses a suggestion, deletes a relation; letters search a list)."""
    in_text = (w.act_fragment, w.act_link, w.act_relabel, w.act_split, w.act_join,
               *w.act_bounds)
    for action, widgets in ((w.act_delete, (w.view, w.span_table)),
                            *((a, (w.view,)) for a in in_text)):
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        for widget in widgets:
            widget.addAction(action)
    claim_keys(COMBO_KEYS, *w.findChildren(QComboBox))  # Alt+Down opens the list, stays here


def build_menus(w: Shell) -> None:
    """The menu bar: File, Edit, View, Document, Help."""
    bar = w.menuBar()
    m = bar.addMenu("&File")
    m.addActions([w.act_new, w.act_open])
    w.recent_menu = m.addMenu("Open &recent")
    w.recent_menu.aboutToShow.connect(lambda: file_menu.fill_recent(w))
    m.addSeparator()
    m.addActions([w.act_import, w.act_import_folder, w.act_export])
    m.addSeparator()
    m.addAction(w.act_review)
    m.addSeparator()
    m.addActions([w.act_backup, w.act_restore])
    m.addSeparator()
    m.addAction(w.act_annotator)
    m.addSeparator()
    m.addAction(w.act_quit)
    m = bar.addMenu("&Edit")
    m.addActions([w.act_undo, w.act_redo])
    m.addSeparator()
    m.addActions([w.act_fragment, w.act_link, w.act_delete])
    m.addSeparator()
    m.addActions([w.act_relabel, w.act_split, w.act_join])
    bounds = m.addMenu("Span &boundaries")
    bounds.addActions(w.act_bounds)
    m.addSeparator()
    m.addActions([w.act_find, w.act_find_next, w.act_find_prev,
                  w.act_find_project])
    m.addSeparator()
    m.addAction(w.act_tagset)
    m = bar.addMenu("&View")
    m.addActions([w.act_zoom_in, w.act_zoom_out])
    m.addSeparator()
    m.addAction(w.act_dark)
    w.layers_menu = m.addMenu("&Layers")
    w.annotators_menu = m.addMenu("&Annotators")
    w.annotators_menu.aboutToShow.connect(lambda: annotator_view.fill_menu(w))
    m.addSeparator()
    for dock in (w.doc_dock, w.doc_labels_dock, w.editor_dock, w.spans_dock, w.relations_dock,
                 w.suggestions.dock, w.team_dock):
        m.addAction(dock.toggleViewAction())
    m = bar.addMenu("&Document")
    m.addActions(list(w.act_status.values()))
    m.addSeparator()
    m.addActions([w.act_next_doc, w.act_prev_doc])
    m.addSeparator()
    m.addAction(w.act_suggest)
    m = bar.addMenu("&Help")
    m.addActions([w.act_shortcuts, w.act_about])
