"""Opening, showing and closing the window's project.

The window owns one :class:`ProjectSession` at a time (``w.session``; ``w.project`` is its
project). Opening falls back to read-only when another window holds the file; errors become
message boxes, never exceptions. GUI thread only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.gui import (
    annotator_view,
    documents,
    editing,
    identity,
    settings,
    status,
    tagset_view,
)
from annotator.gui.session import ProjectSession
from annotator.gui.tagging import warm_up_tokenizer
from annotator.gui.views import dialogs

if TYPE_CHECKING:
    from annotator.gui.shell import Shell


def open_project(w: Shell, path: str | Path) -> bool:
    """Open ``path`` (read-only if another window holds it); False after an error message.

    What the window reads first (settings, tagset, document list) is read through a read-only
    view before the file is opened for writing, so that a file damaged inside is refused
    byte-identical (opening for writing switches its journal)."""
    try:
        with Project.open(path, readonly=True) as probe:
            problem = _unreadable(probe)
        if not problem:
            project = Project.open(path, fallback_readonly=True)
    except AnnotatorError as exc:
        dialogs.show_error(w, "Cannot open project", str(exc))
        return False
    except OSError as exc:
        dialogs.show_error(w, "Cannot open project", f"{path}: {exc.strerror or exc}")
        return False
    if problem:
        dialogs.show_error(w, "Cannot open project",
                           f"{problem}\n\nRun “annotator check {path}” for every problem "
                           "found in the file; its backups are listed by “annotator backup "
                           f"{path} --list”.")
        return False
    set_project(w, project)
    if not project.readonly and not project.annotator:
        _name_the_project(w, project)
    if project.readonly:
        dialogs.show_warning(w, "Opened read-only",
                             f"{project.path} is open read-only"
                             + (f" because {project.readonly_reason}"
                                if project.readonly_reason else "")
                             + ".\nYou can read and export it, but not edit it.")
    elif project.upgraded_from is not None:
        w.say(f"Project upgraded from schema {project.upgraded_from}; backup at "
              f"{project.upgrade_backup}")
    return True


def _unreadable(project: Project) -> str:
    """Why the window could not show ``project`` (a damaged setting, tagset or document list),
    or "" when what the window reads first reads cleanly."""
    try:
        _ = project.annotator, project.tagset
        project.documents()
    except AnnotatorError as exc:
        return str(exc)
    return ""


def _name_the_project(w: Shell, project: Project) -> None:
    """A project file without an annotator (made before names were asked) takes the user's."""
    name = identity.user_name(w, why=f"{project.path.name} does not say who annotates it.")
    if name is None:
        return
    try:
        project.set_annotator(name)
    except AnnotatorError as exc:
        dialogs.show_error(w, "Annotator name", str(exc))
    w.show_annotator()
    annotator_view.apply(w)  # the new name's spans are the project's own


def set_project(w: Shell, project: Project) -> None:
    """Close the current project and show ``project`` (the window now owns it), opening its
    first document that is not done (else its first document)."""
    close_project(w)
    w.session = ProjectSession(project, w)
    w.shown_annotators = set()
    w.spans_panel.attach(w.session)  # before the parts that select a span after a change
    editing.connect(w, w.session)
    w.tagger.session = w.session
    if not project.readonly:
        QTimer.singleShot(1500, warm_up_tokenizer)  # after the first paint, not during it
    settings.remember_project(project.path)
    w.setWindowTitle(f"{project.path.name} — Annotator"
                     + (" [read-only]" if project.readonly else ""))
    w.readonly_badge.setVisible(project.readonly)
    w.show_annotator()
    if project.readonly:
        w.readonly_badge.setToolTip(project.readonly_reason)
    tagset_view.tagset_changed(w)
    w.team.attach(w.session)
    if w.team.wanted():
        w.team_dock.show()
    w.documents_panel.attach(w.session)  # reads the list, then follows the session
    docs = w.doc_model.documents()
    first = next((d for d in docs if d.status != "done"), docs[0] if docs else None)
    documents.open_document(w, first.pk if first else None)
    status.set_editable(w)


def close_project(w: Shell) -> None:
    """Close the session's project (nothing to save: every edit is already written)."""
    if w.session is None:
        return
    w.suggestions.shutdown()  # its jobs use this project: a model being stored is kept
    w.team.attach(None)
    w.spans_panel.attach(None)
    w.session.close()
    w.session.deleteLater()
    w.session = None
    w.tagger.session = None
