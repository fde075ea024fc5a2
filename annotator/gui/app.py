"""Starting the desktop app: ``main(argv)`` opens a project, the last one, or the sample.

With no argument the last project opened (remembered in the settings) is reopened; on first
start the bundled sample article (``resources/samples/sample.jsonl``) is built into a project
in the user data folder, so the window never opens empty.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

SAMPLE_NAME = "sample.annot"


def sample_project() -> Path:
    """The sample project in the user data folder, built from the bundled JSONL if missing."""
    from annotator.core.project import Project
    from annotator.core.resources import resource_path
    from annotator.gui.settings import data_dir

    path = data_dir() / SAMPLE_NAME
    if path.exists():
        return path
    source = resource_path("samples", "sample.jsonl")
    docs = []
    if source.exists():
        from annotator.formats.registry import ReadOptions, get_format

        docs = list(get_format("jsonl").read(source, ReadOptions(annotator="sample")))
    tmp = path.with_name(".building-" + SAMPLE_NAME)
    tmp.unlink(missing_ok=True)
    try:
        with Project.create(tmp, annotator="you") as project:
            project.import_documents(docs)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Unexpected errors: print the traceback for developers, show one line to the user."""
    traceback.print_exception(kind, exc, tb)
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is not None:
        message = str(exc) if isinstance(exc, AnnotatorError) else (
            f"Something went wrong: {exc}\nYour work up to the last edit is saved in the "
            "project file.")
        QMessageBox.critical(None, "Annotator", message)


def startup_project(argv: list[str]) -> Path | str | None:
    """What to open: the argument (a file, or a server's address), else the last project,
    else the sample."""
    from annotator.gui import settings

    if argv:
        return argv[0] if settings.is_url(argv[0]) else Path(argv[0])
    last = settings.last_project()
    if isinstance(last, str) or (last is not None and last.exists()):
        return last
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the window; returns the exit code (1 after one line on stderr when Qt cannot
    start its window on this desktop, see :mod:`annotator.gui.qt_check`)."""
    from PySide6.QtWidgets import QApplication

    from annotator.gui import settings
    from annotator.gui.main_window import MainWindow
    from annotator.gui.qt_check import check_or_exit_code
    from annotator.gui.theme import apply_theme

    argv = sys.argv[1:] if argv is None else list(argv)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        code = check_or_exit_code()  # before Qt aborts for want of a system library
        if code is not None:
            return code
        app = QApplication(sys.argv[:1])
    app.setApplicationName(settings.APP)
    app.setOrganizationName(settings.ORG)
    app.setApplicationDisplayName("Annotator")
    dark = str(settings.settings().value("view/dark", "false")).lower() == "true"
    apply_theme(app, dark)
    sys.excepthook = _excepthook
    window = MainWindow()
    window.show()
    if not open_startup(window, argv):
        return 1
    return app.exec()


def open_startup(window: MainWindow, argv: list[str]) -> bool:
    """Open the start-up project in ``window``; falls back to the sample after an error."""
    target = startup_project(argv)
    if target is not None and window.open_project(target):
        return True
    try:
        return window.open_project(sample_project())
    except AnnotatorError as exc:
        from annotator.gui.views.dialogs import show_error

        show_error(window, "Annotator", str(exc))
        return False


if __name__ == "__main__":
    sys.exit(main())
