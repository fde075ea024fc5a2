"""The review window's Qt-free state: moving, deciding, next undecided, undo and redo."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "review"))
from review_data import add_traps, make_pair  # noqa: E402

from annotator.review.adjudicate import AGREED, Decision  # noqa: E402
from annotator.review.sources import load_review  # noqa: E402
from annotator.workspace.review_model import ReviewModel  # noqa: E402


def model(tmp_path: Path) -> ReviewModel:
    a, b = make_pair(tmp_path)
    add_traps(b)
    m = ReviewModel(load_review([a, b]), adjudicator="carol")
    m.open_document(0)
    return m


def test_a_decision_moves_to_the_next_undecided_and_undoes(tmp_path: Path) -> None:
    m = model(tmp_path)
    items = m.items()
    assert len(items) == 3 and m.row == 0
    first = m.current()
    ch = m.decide(Decision.ACCEPT_A)
    assert ch.items and ch.selection and ch.history
    assert first is not None and first.decision is Decision.ACCEPT_A and first.by == "carol"
    assert m.row == 1 and m.undo_text == "accept a"
    m.decide(Decision.REJECT)
    m.decide(Decision.ACCEPT_B)
    assert all(it.decision is not None for it in items)
    assert m.row == 2  # nothing undecided left: stays
    m.undo()
    assert items[2].decision is None and items[1].decision is Decision.REJECT
    assert m.row == 2 and m.redo_text == "accept b"
    m.undo()
    m.undo()
    assert all(it.decision is None for it in items) and m.row == 0
    assert m.undo().message == "Nothing to undo."
    m.redo()
    assert items[0].decision is Decision.ACCEPT_A and items[0].by == "carol"
    m.decide(Decision.ACCEPT_BOTH)  # a new step drops what could be redone
    assert m.redo_text == ""


def test_undo_returns_to_the_document_where_the_decision_was_made(tmp_path: Path) -> None:
    m = model(tmp_path)
    assert m.documents == 2
    decided = m.current()
    m.decide(Decision.REJECT)
    ch = m.open_document(1)
    assert ch.document and m.document == 1
    ch = m.undo()
    assert ch.document and m.document == 0 and m.current() is decided
    assert decided is not None and decided.decision is None


def test_accept_agreed_is_one_step(tmp_path: Path) -> None:
    m = model(tmp_path)
    n, ch = m.accept_agreed()
    agreed = [it for it in m.adjudication.items if it.kind == AGREED]
    assert n == len(agreed) > 0 and ch.items
    assert all(it.decision is Decision.ACCEPT_BOTH for it in agreed)
    assert m.accept_agreed()[0] == 0  # nothing left: no new step
    m.undo()
    assert all(it.decision is None for it in agreed)
    assert "undecided" in m.status()


def test_nothing_selected_changes_nothing(tmp_path: Path) -> None:
    m = model(tmp_path)
    m.select(-1)
    assert m.current() is None
    assert m.decide(Decision.ACCEPT_A) == m.select(-1)  # unchanged
    assert all(it.decision is None for it in m.items())
    assert m.open_document(99).document is False
    assert "“" in m.describe(m.items()[0])
