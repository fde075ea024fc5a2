"""Save gold in the review window: agreed spans are kept without "Accept agreed", the user is
told what is undecided and asked before it is left out, and a confirmed replace is honoured."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "review"))
from review_data import T1, T2, make_pair  # noqa: E402

from annotator.core.project import Project  # noqa: E402
from annotator.gui.review_window import ReviewWindow, open_review  # noqa: E402
from annotator.review.adjudicate import Decision  # noqa: E402


def state(path: Path) -> tuple[bytes, int, list[str]]:
    return (path.read_bytes(), path.stat().st_mtime_ns,
            sorted(p.name for p in path.parent.iterdir()))


@pytest.fixture
def review(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "in").mkdir()
    a, b = make_pair(tmp_path / "in")
    w = open_review([str(a), str(b)])
    qtbot.addWidget(w)
    qtbot.waitExposed(w)
    yield w, a, b
    w.close()


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton,
           path: Path | None) -> list[str]:
    """Patch the question (answered with ``button``) and the file dialog (``path``)."""
    asked: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path) if path else "", "")))
    return asked


def decide_boundaries_by_keyboard(w: ReviewWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    kinds = [it.kind for it in w._items()]
    w.select_disagreement(kinds.index("boundaries"))
    w.disagreements.setFocus()
    qtbot.keyClick(w.disagreements, Qt.Key.Key_B)


def gold_spans(path: Path) -> dict[str, list[tuple[str, str, str]]]:
    with Project.open(path, readonly=True) as p:
        return {d.text: sorted((d.text[s.start:s.end], s.label, s.annotator) for s in d.spans)
                for d in p.iter_corpus()}


def test_save_without_accept_agreed_keeps_agreed_spans_and_says_what_is_undecided(  # type: ignore[no-untyped-def]
        review, qtbot, monkeypatch, tmp_path) -> None:
    w, _a, _b = review
    decide_boundaries_by_keyboard(w, qtbot)  # one disagreement decided, four left
    gold = tmp_path / "gold.annot"
    asked = answer(monkeypatch, QMessageBox.StandardButton.Save, gold)
    w.save_button.click()  # "Accept agreed" was never pressed
    assert len(asked) == 1
    assert "undecided" in asked[0]
    assert "4 (1 only in alice, 1 only in bob, 1 label, 1 attributes) in 2 documents" \
        in asked[0]
    assert "Documents in one file only (1 only in alice, 2 only in bob)" in asked[0]
    spans = gold_spans(gold)
    assert spans[T1] == [("Officials", "source", "alice+bob"), ("may fail", "hedge", "bob"),
                         ("said", "cue", "alice+bob")]  # agreed + decided; undecided left out
    assert spans[T2] == []
    assert "left out, undecided: 4" in w.statusBar().currentMessage()


def test_cancel_writes_nothing_and_shows_the_first_undecided(review, monkeypatch,  # type: ignore[no-untyped-def]
                                                             tmp_path) -> None:
    w, _a, _b = review
    gold = tmp_path / "gold.annot"
    answer(monkeypatch, QMessageBox.StandardButton.Cancel, gold)
    w.save_button.click()
    assert not gold.exists()
    item = w.current_item()
    assert item is not None and item.decision is None
    assert item is w.adjudication.open_disagreements()[0]


def test_no_question_when_everything_is_decided(qtbot, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from review_data import alice_docs, bob_docs

    a, b = tmp_path / "a.annot", tmp_path / "b.annot"
    for path, name, docs in ((a, "alice", alice_docs()[:2]), (b, "bob", bob_docs()[:2])):
        with Project.create(path, annotator=name) as p:  # both files have the same documents
            p.import_documents(docs)
    w = open_review([str(a), str(b)])
    qtbot.addWidget(w)
    w.adjudication.decide_all(Decision.ACCEPT_A, by="carol",
                              kinds=["only_a", "only_b", "label", "attributes", "boundaries"])
    gold = tmp_path / "gold.annot"
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel, gold)
    w.save_button.click()
    assert asked == []
    assert ("Officials", "source", "alice+bob") in gold_spans(gold)[T1]
    w.close()


def test_documents_in_one_file_only_are_asked_about(review, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    w, _a, _b = review
    w.adjudication.decide_all(Decision.ACCEPT_A, by="carol")  # every disagreement decided
    gold = tmp_path / "gold.annot"
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel, gold)
    w.save_button.click()
    assert len(asked) == 1 and "undecided" not in asked[0]
    assert "1 only in alice, 2 only in bob" in asked[0]
    assert not gold.exists()  # cancelled


def test_replace_confirmed_in_the_file_dialog_is_honoured(review, monkeypatch,  # type: ignore[no-untyped-def]
                                                          tmp_path, messages) -> None:
    w, _a, _b = review
    old = tmp_path / "old-gold.annot"
    with Project.create(old, annotator="someone"):
        pass
    answer(monkeypatch, QMessageBox.StandardButton.Save, old)  # the dialog asked "replace?"
    w.save_button.click()
    assert messages == []  # no "already exists" refusal
    assert ("Officials", "source", "alice+bob") in gold_spans(old)[T1]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_reviewed_file_is_never_replaced(review, monkeypatch, messages) -> None:  # type: ignore[no-untyped-def]
    w, a, _b = review
    before = state(a)
    answer(monkeypatch, QMessageBox.StandardButton.Save, a)
    w.save_button.click()
    assert [(kind, title) for kind, title, _ in messages] == [("critical", "Save gold")]
    assert "files under review" in messages[0][2]
    assert state(a) == before
