"""Suggestions that learn, in the window: training off the GUI thread, figures and curve,
recommender choice, provenance of accepted spans, rejection, next uncertain passage, lexicons."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project

SENTENCES = [
    "Officials said the deal may collapse before the vote.",
    "The Kremlin said talks could resume, and Officials said little else.",
    "Critics argued that the plan might fail; the Kremlin disagreed.",
    "Analysts said prices may rise, according to a report.",
]
NEW = "Officials said the Kremlin may agree. Nobody knows what the Kremlin wants."


def tagged(text: str) -> list[SpanRecord]:
    out = []
    for word, layer, label in (("Officials", "attribution", "source"),
                               ("Kremlin", "attribution", "source"),
                               ("said", "attribution", "cue"), ("may", "hedging", "hedge"),
                               ("might", "hedging", "hedge")):
        start = 0
        while (i := text.find(word, start)) >= 0:
            out.append(SpanRecord(f"s{len(out)}", layer, label, ((i, i + len(word)),)))
            start = i + len(word)
    return out


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "news.annot"
    with Project.create(path, annotator="alice") as p:
        docs = [CorpusDocument(name="new", text=NEW)]
        docs += [CorpusDocument(name=f"a{k:02}", text=SENTENCES[k % 4] + f" Item {k}.",
                                spans=tagged(SENTENCES[k % 4])) for k in range(12)]
        p.import_documents(docs)
    return path


def open_new(window) -> None:  # type: ignore[no-untyped-def]
    pk = next(d.pk for d in window.project.documents() if d.name == "new")
    window.open_document(pk)
    assert window.text == NEW


def train(window, qtbot) -> float:  # type: ignore[no-untyped-def]
    """Train from the panel's button; the longest event-loop gap meanwhile, in ms."""
    clock = QElapsedTimer()
    worst = [0.0]

    def tick() -> None:
        worst[0] = max(worst[0], clock.nsecsElapsed() / 1e6)
        clock.restart()

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    with qtbot.waitSignal(window.suggestions.trained, timeout=120000) as blocker:
        window.suggestions.panel.train_button.click()
        assert window.suggestions.train_job is not None  # the click returned at once
    timer.stop()
    assert blocker.args[0] is not None
    return worst[0]


def suggest(window, qtbot) -> list:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.suggestions.ready, timeout=60000):
        window.act_suggest.trigger()
    return window.suggestions.shown


def test_training_shows_figures_and_curve_and_keeps_the_window_alive(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_new(window)
    suggest(window, qtbot)
    train(window, qtbot)  # the ticks kept coming: the loop was never blocked for the whole run
    panel = window.suggestions.panel
    figures = panel.figures.text()
    for part in ("training", "test documents", "lexicon", "string", "learned",
                 "attribution/source", "hedging/hedge"):
        assert part in figures
    assert set(panel.curve.curves) == {"lexicon", "string", "learned"}
    assert all(n <= 12 for pts in panel.curve.curves.values() for n, _ in pts)
    assert "docs" in panel.curve.toolTip()
    with Project.open(window.project.path, readonly=True) as p:  # the model is in the project
        assert p.model("learned", "attribution") is not None


def test_training_process_reads_the_project_not_the_window(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The window's process builds no training documents (their objects would make its
    collector pause the event loop): the training process reads the project file itself."""
    from annotator.nlp import training

    built: list[int] = []
    real = training.project_docs

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        return real(*args, **kwargs)

    from annotator.gui import suggestions

    monkeypatch.setattr(training, "project_docs", counted)
    monkeypatch.setattr(suggestions, "project_docs", counted)
    open_new(window)
    train(window, qtbot)
    assert built == []
    assert window.suggestions.result is not None
    assert window.suggestions.result.training_size == 12


def test_good_recommenders_suggest_with_scores_after_training(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_new(window)
    train(window, qtbot)
    shown = suggest(window, qtbot)
    by = {(s.recommender, s.layer, s.label, NEW[s.start:s.end]) for s in shown}
    assert any(r in ("string", "learned") and t == "Kremlin" for r, _, _, t in by)
    model = window.suggestions.panel.model
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Score"
    row = next(i for i, s in enumerate(shown) if NEW[s.start:s.end] == "Kremlin")
    assert float(model.index(row, 3).data()) == pytest.approx(shown[row].score, abs=0.01)
    assert shown[row].recommender in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_recommender_choice(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_new(window)
    combo = window.suggestions.panel.recommender
    with qtbot.waitSignal(window.suggestions.ready, timeout=60000):
        combo.setCurrentIndex(combo.findData("string"))
    assert window.suggestions.shown
    assert {s.recommender for s in window.suggestions.shown} == {"string"}
    with qtbot.waitSignal(window.suggestions.ready, timeout=60000):
        combo.setCurrentIndex(combo.findData("lexicon"))
    assert {s.recommender for s in window.suggestions.shown} == {"lexicon"}


def test_accepted_span_records_its_origin_and_counts_as_suggested(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_new(window)
    combo = window.suggestions.panel.recommender
    with qtbot.waitSignal(window.suggestions.ready, timeout=60000):
        combo.setCurrentIndex(combo.findData("string"))
    row = next(i for i, s in enumerate(window.suggestions.shown)
               if NEW[s.start:s.end] == "Kremlin")
    sug = window.suggestions.shown[row]
    assert window.suggestions.accept_rows([row])
    with Project.open(window.project.path, readonly=True) as p:
        doc = p.document_by_name("new")
        assert doc is not None
        span = next(s for s in p.spans(doc.pk) if s.start == sug.start)
        origin = p.span_origins(doc.pk)[span.pk]
        assert origin["recommender"] == "string"
        assert origin["training_size"] == 12
        assert origin["score"] == pytest.approx(sug.score, abs=1e-3)
        assert p.stats()["suggested"] == 1
    window.act_undo.trigger()
    assert any(NEW[s.start:s.end] == "Kremlin" for s in window.suggestions.shown)
    with Project.open(window.project.path, readonly=True) as p:
        assert p.stats()["suggested"] == 0
    window.act_redo.trigger()  # the same span again, under its key, with its origin
    with Project.open(window.project.path, readonly=True) as p:
        doc = p.document_by_name("new")
        assert doc is not None
        assert p.span_origins(doc.pk)[span.pk]["recommender"] == "string"


def test_rejected_suggestion_is_not_offered_again(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_new(window)
    shown = suggest(window, qtbot)
    row = next(i for i, s in enumerate(shown) if NEW[s.start:s.end] == "may")
    window.suggestions.panel.table.selectRow(row)
    window.suggestions.panel.dismiss_button.click()
    assert all(NEW[s.start:s.end] != "may" for s in window.suggestions.shown)
    with Project.open(window.project.path, readonly=True) as p:
        doc = p.document_by_name("new")
        assert doc is not None
        assert [(r.layer, r.label) for r in p.rejected_suggestions(doc.pk)] == [
            ("hedging", "hedge")]
    window.open_document(None)
    open_new(window)
    again = suggest(window, qtbot)  # a new computation, from the project
    assert again and all(NEW[s.start:s.end] != "may" for s in again)


def test_next_uncertain_passage(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_new(window)
    assert window.suggestions.next_uncertain() is None  # nothing trained yet
    train(window, qtbot)
    suggest(window, qtbot)
    margins = window.suggestions.margins
    assert len(margins) == 2 and margins[0][2] <= margins[1][2]
    window.suggestions.panel.uncertain_button.click()
    first = window.view.selection_cp()
    assert first == margins[0][:2]
    window.suggestions.panel.uncertain_button.click()
    assert window.view.selection_cp() == margins[1][:2]


def test_lexicon_editor_changes_suggestions_and_is_kept(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from annotator.gui.views import lexicon_editor

    open_new(window)

    def edit(self) -> int:  # type: ignore[no-untyped-def]
        box = self.findChild(object, "lexicon-hedging-hedge")
        box.setPlainText(box.toPlainText() + "\nnobody knows\n")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(lexicon_editor.LexiconEditor, "exec", edit)
    with qtbot.waitSignal(window.suggestions.ready, timeout=60000):
        assert window.suggestions.edit_lexicons()
    assert any(NEW[s.start:s.end] == "Nobody knows" for s in window.suggestions.shown)
    with Project.open(window.project.path, readonly=True) as p:
        assert p.model("lexicon", "hedging") is not None


def test_retrains_by_itself_after_enough_edits(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from annotator.gui import suggestions

    monkeypatch.setattr(suggestions, "TRAIN_EVERY", 2)
    open_new(window)
    window.suggestions.spans_changed()
    window.suggestions.spans_changed()
    assert window.suggestions.train_job is None  # never trained: no training by itself
    train(window, qtbot)
    first = window.suggestions.result
    with qtbot.waitSignal(window.suggestions.trained, timeout=120000):
        combo = window.suggestions.panel.recommender
        with qtbot.waitSignal(window.suggestions.ready, timeout=60000):
            combo.setCurrentIndex(combo.findData("lexicon"))
        window.suggestions.accept_rows([0])  # an edit
        window.act_undo.trigger()  # another
        assert window.suggestions.train_job is not None
    assert window.suggestions.result is not first


def test_window_objects_set_aside_from_the_collector_while_training(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """While the training process works, the window's objects are frozen out of the cyclic
    collector (a full collection rescanning them stalled the loop for 100-300 ms); they are
    handed back when the training and the suggestions it triggers are done."""
    import gc

    open_new(window)
    suggest(window, qtbot)
    assert gc.get_freeze_count() == 0  # the suggestions are done: nothing held
    with qtbot.waitSignal(window.suggestions.trained, timeout=120000):
        window.suggestions.train()
        assert gc.get_freeze_count() > 0
    with qtbot.waitSignal(window.suggestions.ready, timeout=60000):
        pass  # the suggestions of the new model follow by themselves
    qtbot.waitUntil(lambda: gc.get_freeze_count() == 0, timeout=10000)
    assert window.suggestions.learned is not None


def test_string_matching_is_trained_once_until_the_spans_change(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Suggest again reads no project (the matcher is kept); a new span anywhere is learned
    from at the next Suggest: its text is then offered at its other occurrence."""
    from annotator.gui import suggestions

    reads: list[int] = []
    real = suggestions._read_docs

    def counted(path):  # type: ignore[no-untyped-def]
        reads.append(1)
        return real(path)

    monkeypatch.setattr(suggestions, "_read_docs", counted)
    open_new(window)
    combo = window.suggestions.panel.recommender
    with qtbot.waitSignal(window.suggestions.ready, timeout=60000):
        combo.setCurrentIndex(combo.findData("string"))
    first = [(s.start, s.end, s.label) for s in window.suggestions.shown]
    assert first and reads == [1]
    assert suggest(window, qtbot) and reads == [1]  # kept
    assert [(s.start, s.end, s.label) for s in window.suggestions.shown] == first
    phrase = "the Kremlin"
    one = NEW.index(phrase)
    two = NEW.index(phrase, one + 1)
    assert not any((s.start, s.end) == (two, two + len(phrase)) for s in window.suggestions.shown)
    window.view.set_selection_cp(one, one + len(phrase))
    assert window.tagger.tag("attribution", "source", exact=True) is not None
    shown = suggest(window, qtbot)
    assert reads == [1, 1]  # trained again, on the new span too
    assert any((s.start, s.end, s.label) == (two, two + len(phrase), "source") for s in shown)


def test_lexicons_are_edited_from_the_tagset_editor_too(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from annotator.gui import tagset_menu
    from annotator.gui.views import lexicon_editor

    open_new(window)

    def edit(self) -> int:  # type: ignore[no-untyped-def]
        box = self.findChild(object, "lexicon-attribution-cue")
        box.setPlainText(box.toPlainText() + "\nwants\n")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(lexicon_editor.LexiconEditor, "exec", edit)
    editor = tagset_menu.editor_for(window)
    assert editor is not None and editor.lexicons_button.isEnabled()
    with qtbot.waitSignal(window.suggestions.ready, timeout=60000):
        qtbot.mouseClick(editor.lexicons_button, Qt.MouseButton.LeftButton)
    assert any(NEW[s.start:s.end] == "wants" and s.label == "cue"
               for s in window.suggestions.shown)
    editor.reject()
    with Project.open(window.project.path, readonly=True) as p:
        assert p.model("lexicon", "attribution") is not None


def test_a_stored_model_is_used_and_said_so_after_reopening(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    open_new(window)
    train(window, qtbot)
    path = window.project.path
    window.close_project()
    assert window.open_project(path)
    open_new(window)
    shown = suggest(window, qtbot)
    assert any(s.recommender == "learned" for s in shown)
    note = window.suggestions.panel.figures.text()
    assert "stored in the project is used (trained on 12 documents)" in note
