"""Shared set-up for GUI tests: Qt runs offscreen so they pass without a display."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# --- fixtures for the workspace window tests (tests/gui/test_window.py) -------------------------

@pytest.fixture(autouse=True)
def gui_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, data and backups of the app go to a temporary folder per test."""
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(tmp_path / "backups"))
    from annotator.gui import identity

    identity.remember("tester")  # the name was given once; tests of asking clear it
    return tmp_path


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, str]]:
    """Message boxes are recorded as (kind, title, text) instead of blocking."""
    from PySide6.QtWidgets import QMessageBox

    seen: list[tuple[str, str, str]] = []

    def record(kind: str):  # type: ignore[no-untyped-def]
        def show(_parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            seen.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return show

    for kind in ("critical", "warning", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))
    return seen


@pytest.fixture
def window(qtbot, project_path: Path, messages):  # type: ignore[no-untyped-def]
    """The workspace window on a fresh copy of the shared test project, shown offscreen."""
    from annotator.gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_project(project_path)

    def no_menu(types: list[str]) -> str:
        raise AssertionError(f"unexpected relation type menu: {types}")

    w.tagger.choose_relation_type = no_menu  # a test that expects the menu replaces it
    yield w
    if w.job is not None:
        w.job.cancel()
        w.job.wait()
    w.close_project()
