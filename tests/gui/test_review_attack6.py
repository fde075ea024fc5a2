"""The review window attacked as a reviewer uses it: every decision (accepted, edited,
rejected, undone, redone, made in another document) reaches the gold file exactly as decided,
nothing agreed is lost without a word, and a third annotator is never silently ignored.

Found before: an edit took the boundaries of a text selection left over from the previous
disagreement ("may" came into the gold file as "the plan"); document labels both annotators
gave alike (article stance, genre) were dropped from every gold file; a project with three
annotators was reviewed as its first two, the third one's spans never shown nor saved.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "review"))
from review_data import T1, T2, alice_docs, at, bob_docs, fingerprint, make_pair  # noqa: E402

from annotator.cli import main  # noqa: E402
from annotator.core.errors import AnnotatorError  # noqa: E402
from annotator.core.model import CorpusDocument, DocAnnotationRecord, SpanRecord  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.gui.review_window import ReviewWindow, open_review  # noqa: E402
from annotator.review.adjudicate import Decision  # noqa: E402

Row = tuple[str, str, str, str, tuple[tuple[str, object], ...]]


def gold_rows(path: Path) -> dict[str, list[Row]]:
    """Per document text: (covered text, layer, label, annotator, attributes), sorted."""
    with Project.open(path, readonly=True) as p:
        return {d.text: sorted((d.text[s.start:s.end], s.layer, s.label, s.annotator,
                                tuple(sorted(s.attributes.items()))) for s in d.spans)
                for d in p.iter_corpus()}


@pytest.fixture
def review(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    a, b = make_pair(tmp_path)
    w = open_review([str(a), str(b)])
    qtbot.addWidget(w)
    yield w
    w.close()


def pick(w: ReviewWindow, kind: str) -> None:
    w.select_disagreement([it.kind for it in w._items()].index(kind))


def answer_label(monkeypatch: pytest.MonkeyPatch, label: str) -> None:
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: (label, True)))


def test_edit_never_takes_a_selection_left_from_the_previous_disagreement(  # type: ignore[no-untyped-def]
        review, monkeypatch, tmp_path) -> None:
    """Showing "only in alice" selects its text in Bob's pane (he has no span there); the next
    disagreement left that selection in place, and E took its boundaries."""
    w = review
    pick(w, "only_a")  # Bob's pane shows where Alice's span is, by a text selection
    pick(w, "boundaries")  # Alice "may", Bob "may fail"
    answer_label(monkeypatch, "booster")  # only the label changes
    w.edit_current()
    it = next(i for i in w._items() if i.kind == "boundaries")
    assert it.decision is Decision.EDIT and it.edited is not None
    assert it.edited.fragments == at(T1, "may")
    w.save_gold(tmp_path / "gold.annot")
    assert ("may", "hedging", "booster", "tester", (("certainty", "low"),)) in \
        gold_rows(tmp_path / "gold.annot")[T1]


def test_edit_takes_the_selection_the_reviewer_made(review, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A selection the reviewer makes counts, even one equal to the disagreement's extent."""
    w = review
    pick(w, "boundaries")
    start, end = at(T1, "may fail")[0]
    w.panes.view_a.set_selection_cp(start, end)  # as a mouse drag over "may fail" in A
    answer_label(monkeypatch, "hedge")
    w.edit_current()
    it = w.adjudication.disagreements(0)[[i.kind for i in w._items()].index("boundaries")]
    assert it.edited is not None and it.edited.fragments == ((start, end),)


def test_every_kind_of_decision_reaches_the_gold_file_exactly(  # type: ignore[no-untyped-def]
        review, qtbot, monkeypatch, tmp_path) -> None:
    """Decide in document 1, switch to document 2 and decide there, undo and redo across the
    switch, reject one, leave one undecided: the gold file holds exactly what was decided."""
    w = review
    w.disagreements.setFocus()
    pick(w, "only_b")  # "the plan" (bob's target)
    qtbot.keyClick(w.disagreements, Qt.Key.Key_B)
    pick(w, "only_a")  # alice's 👍🏽 technique
    qtbot.keyClick(w.disagreements, Qt.Key.Key_R)
    pick(w, "boundaries")  # left undecided
    w.documents.setCurrentIndex(1)  # to document 2, through the combo box as a user does
    assert w.model.document == 1
    pick(w, "label")  # جيدة: stance (alice) vs target (bob)
    qtbot.keyClick(w.disagreements, Qt.Key.Key_O)
    pick(w, "attributes")  # seem: certainty none (alice) vs high (bob)
    qtbot.keyClick(w.disagreements, Qt.Key.Key_A)
    w.documents.setCurrentIndex(0)
    qtbot.keyClick(w.disagreements, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.model.document == 1  # undo went back to where "accept A" was made
    qtbot.keyClick(w.disagreements, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier |
                   Qt.KeyboardModifier.ShiftModifier)  # and redo makes it again
    gold = tmp_path / "gold.annot"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda *a, **k: QMessageBox.StandardButton.Save))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(gold), "")))
    w.save_button.click()
    rows = gold_rows(gold)
    assert rows[T1] == [("Officials", "attribution", "source", "alice+bob", ()),
                        ("said", "attribution", "cue", "alice+bob", ()),
                        ("the plan", "stance", "target", "bob", ())]  # may/may fail undecided
    assert rows[T2] == [("seem", "hedging", "hedge", "alice", ()),
                        ("جيدة", "stance", "stance", "alice", ()),
                        ("جيدة", "stance", "target", "bob", ())]
    with Project.open(gold, readonly=True) as p:
        status = {d.text: d.status for d in p.iter_corpus()}
    assert status == {T1: "in_progress", T2: "done"}


def test_document_labels_both_gave_alike_are_kept(qtbot, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every gold file lost every document label: a SemEval stance study's gold file had no
    stance at all. Those both gave alike are kept; the others are named before saving."""
    text = "The minister said the plan may work."
    paths = []
    for name, stance in (("alice", "favour"), ("bob", "favour")):
        path = tmp_path / f"{name}.annot"
        genre = "news" if name == "alice" else "opinion"
        with Project.create(path, annotator=name) as p:
            p.import_documents([CorpusDocument("d", text, doc_annotations=[
                DocAnnotationRecord("article_stance", stance, {"target": "the plan"}),
                DocAnnotationRecord("genre", genre)],
                spans=[SpanRecord("s1", "hedging", "hedge", at(text, "may"))])])
        paths.append(path)
    w = open_review([str(p) for p in paths])
    qtbot.addWidget(w)
    asked: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Save

    gold = tmp_path / "gold.annot"
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(gold), "")))
    w.save_button.click()
    assert len(asked) == 1 and "2 document label(s)" in asked[0]  # news vs opinion
    with Project.open(gold, readonly=True) as p:
        (doc,) = list(p.iter_corpus())
    assert [(a.layer, a.label, a.attributes, a.annotator) for a in doc.doc_annotations] == \
        [("article_stance", "favour", {"target": "the plan"}, "alice+bob")]
    assert [(s.label, s.annotator) for s in doc.spans] == [("hedge", "alice+bob")]
    assert "2 document label(s) given by one annotator only" in w.statusBar().currentMessage()
    w.close()


def three_annotators(tmp_path: Path) -> Path:
    path = tmp_path / "study.annot"
    with Project.create(path, annotator="lead") as p:
        p.import_documents([CorpusDocument("d1", T1, spans=[
            SpanRecord(f"{who}1", "attribution", "source", at(T1, "Officials"), annotator=who)
            for who in ("alice", "bob", "carol")])])
    return path


def test_three_annotators_in_one_project_are_never_cut_to_two(qtbot, tmp_path,  # type: ignore[no-untyped-def]
                                                             capsys) -> None:
    """`annotator review study.annot` with alice, bob and carol showed alice vs bob: carol's
    spans were in no pane, no count and no gold file. Refused, naming them; --annotators picks
    two."""
    path = three_annotators(tmp_path)
    before = fingerprint(path)
    with pytest.raises(AnnotatorError, match=r"3 annotators \(alice, bob, carol\).*"
                                             r"--annotators"):
        open_review([str(path)])
    capsys.readouterr()
    assert main(["review", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "alice, bob, carol" in err[0] and str(path) in err[0]
    w = open_review([str(path)], annotators=["carol", "alice"])
    qtbot.addWidget(w)
    assert w.windowTitle() == "Review: carol vs alice"
    assert fingerprint(path) == before
    w.close()


def test_saving_over_a_project_open_for_writing_is_refused_and_changes_nothing(  # type: ignore[no-untyped-def]
        review, monkeypatch, messages, tmp_path) -> None:
    """The gold file must not replace a project someone has open (the main window's)."""
    other = tmp_path / "open.annot"
    with Project.create(other, annotator="dora") as p:
        p.import_documents(alice_docs()[:1])
    with Project.open(other) as opened:  # open for writing, as the main window holds it
        before = other.read_bytes()
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, **k: (str(other), "")))
        monkeypatch.setattr(QMessageBox, "question", staticmethod(
            lambda *a, **k: QMessageBox.StandardButton.Save))
        review.save_button.click()
        assert [(k, t) for k, t, _ in messages] == [("critical", "Save gold")]
        assert "open in an Annotator window" in messages[0][2]
        assert other.read_bytes() == before
        assert [d.name for d in opened.iter_corpus()] == ["d1"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_documents_the_other_file_lacks_are_named_and_the_rest_saved(  # type: ignore[no-untyped-def]
        qtbot, monkeypatch, tmp_path) -> None:
    """Each file has a document the other lacks: asked about, by name and count, and the
    documents both have are saved whole."""
    a, b = tmp_path / "a.annot", tmp_path / "b.annot"
    with Project.create(a, annotator="alice") as p:
        p.import_documents(alice_docs())
    with Project.create(b, annotator="bob") as p:
        p.import_documents(bob_docs())
    w = open_review([str(a), str(b)])
    qtbot.addWidget(w)
    w.adjudication.decide_all(Decision.ACCEPT_BOTH, by="tester")
    question = w.model.leaving_out_question()
    assert "1 only in alice, 2 only in bob" in question and "undecided" not in question
    gold = tmp_path / "gold.annot"
    w.save_gold(gold)
    rows = gold_rows(gold)
    assert sorted(rows) == sorted([T1, T2])
    assert rows[T1] == [("Officials", "attribution", "source", "alice+bob", ()),
                        ("may", "hedging", "hedge", "alice", (("certainty", "low"),)),
                        ("may fail", "hedging", "hedge", "bob", (("certainty", "low"),)),
                        ("said", "attribution", "cue", "alice+bob", ()),
                        ("the plan", "stance", "target", "bob", ()),
                        ("👍🏽", "rhetoric", "technique", "alice", ())]
    assert rows[T2] == [("seem", "hedging", "hedge", "alice", ()),
                        ("seem", "hedging", "hedge", "bob", (("certainty", "high"),)),
                        ("جيدة", "stance", "stance", "alice", ()),
                        ("جيدة", "stance", "target", "bob", ())]
    w.close()


@pytest.mark.parametrize("button", [QMessageBox.StandardButton.Cancel,
                                    QMessageBox.StandardButton.Yes])
def test_a_name_without_suffix_never_replaces_the_annot_file_unasked(  # type: ignore[no-untyped-def]
        review, monkeypatch, tmp_path, button) -> None:
    """Typing "gold" in the dialog (which asked nothing: no file "gold") saved over an
    existing gold.annot without a question."""
    old = tmp_path / "gold.annot"
    with Project.create(old, annotator="someone"):
        pass
    before = fingerprint(old)
    review.adjudication.decide_all(Decision.ACCEPT_A, by="tester")
    asked: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return button if "Replace" in text else QMessageBox.StandardButton.Save

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "gold"), "")))
    review.save_button.click()
    assert any("gold.annot already exists" in q for q in asked)
    if button is QMessageBox.StandardButton.Cancel:
        assert fingerprint(old) == before
    else:
        assert T1 in gold_rows(old)
