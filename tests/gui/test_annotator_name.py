"""The annotator's name: asked once (prefilled with the last one), stored in new projects and
in gold files, shown in the status bar and the review window."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "review"))
from review_data import make_pair  # noqa: E402

from annotator.core.project import Project  # noqa: E402
from annotator.gui import file_menu, identity, settings  # noqa: E402


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No name given yet; the dialog is answered "carol" and its prefilled text recorded."""
    settings.settings().remove(identity.KEY)
    prefills: list[str] = []

    def get_text(_parent, _title, _label, _echo, text="", *a, **k):  # type: ignore[no-untyped-def]
        prefills.append(text)
        return "carol", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    monkeypatch.setattr(identity.getpass, "getuser", lambda: "erin")
    return prefills


def new_project_from_menu(w, monkeypatch, path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    w.act_new.trigger()


def test_new_project_asks_once_and_stores_the_name(window, monkeypatch, asked,  # type: ignore[no-untyped-def]
                                                   tmp_path) -> None:
    new_project_from_menu(window, monkeypatch, tmp_path / "first.annot")
    assert asked == ["erin"]  # the first time: prefilled with the login name
    assert window.project.annotator == "carol"
    window.close_project()
    with Project.open(tmp_path / "first.annot", readonly=True) as p:
        assert p.annotator == "carol"
    window.open_project(tmp_path / "first.annot")
    assert "Annotator: carol" in window.annotator_label.text()
    assert window.annotator_label.isVisible()
    new_project_from_menu(window, monkeypatch, tmp_path / "second.annot")
    assert asked == ["erin"]  # not asked again
    assert window.project.annotator == "carol"


def test_name_is_prefilled_with_the_last_one(window, monkeypatch, asked) -> None:  # type: ignore[no-untyped-def]
    identity.remember("dave")
    file_menu.change_annotator(window)
    assert asked == ["dave"]
    assert window.project.annotator == "carol"
    assert "Annotator: carol" in window.annotator_label.text()
    assert identity.remembered() == "carol"


def test_project_without_a_name_takes_it_when_opened(window, asked, tmp_path) -> None:  # type: ignore[no-untyped-def]
    old = tmp_path / "nameless.annot"
    with Project.create(old, annotator=""):
        pass
    assert window.open_project(old)
    assert asked == ["erin"]
    window.close_project()
    with Project.open(old, readonly=True) as p:
        assert p.annotator == "carol"


def test_gold_file_is_adjudicated_by_the_name_not_the_login(window, qtbot, asked,  # type: ignore[no-untyped-def]
                                                            monkeypatch, tmp_path) -> None:
    (tmp_path / "in").mkdir()
    a, b = make_pair(tmp_path / "in")
    window.open_project(a)
    asked.clear()
    with qtbot.waitSignal(window.jobDone, timeout=20000):
        file_menu.open_review_of(window, b)
    assert asked == ["erin"]  # asked once, for the first review
    review = window.review_windows[-1]
    assert "carol" in review.adjudicator_label.text()
    gold = tmp_path / "gold.annot"
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Save))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(gold), "")))
    review.save_button.click()
    with Project.open(gold, readonly=True) as p:
        assert p.annotator == "alice+bob (adjudicated by carol)"
        docs = list(p.iter_corpus())
    assert {e["by"] for d in docs for e in d.meta["adjudication"]} == {"carol"}
    review.close()


def test_root_is_never_offered_as_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(identity.getpass, "getuser", lambda: "root")
    assert identity.login_name() == ""
