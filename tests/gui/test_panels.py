"""Panels and the worker on their own: attribute widgets by type, job cancellation."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from annotator.core.model import Span
from annotator.core.tagset import AttributeDef, LabelDef, LayerDef, Tagset
from annotator.gui.views.attribute_editor import AttributeEditor
from annotator.gui.worker import Job

TEXT = "قال المتحدث 👍🏽 إن الخطة جيدة"


def every_type_tagset() -> Tagset:
    attrs = [AttributeDef("kind", "choice", ["a", "b"]),
             AttributeDef("tags", "multi", ["x", "y", "z"]),
             AttributeDef("who", "text", default=""),
             AttributeDef("score", "number", default=1),
             AttributeDef("sure", "bool", default=False)]
    return Tagset(layers=[LayerDef("l", labels=[LabelDef("lab", "#123456", "q", "", attrs),
                                                LabelDef("other", "#abcdef")])])


def editor_with_span(qtbot, attributes: dict) -> tuple[AttributeEditor, list]:  # type: ignore[no-untyped-def, type-arg]
    editor = AttributeEditor()
    qtbot.addWidget(editor)
    editor.set_tagset(every_type_tagset())
    editor.values = {"who": {"the council", "the ministry"}}
    editor.set_span(Span(1, 1, "l", "lab", ((0, 3), (12, 14)), attributes), TEXT)
    emitted: list = []  # type: ignore[type-arg]
    editor.attributesChanged.connect(emitted.append)
    editor.labelChanged.connect(lambda a, b: emitted.append((a, b)))
    return editor, emitted


def test_widgets_by_attribute_type(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor, emitted = editor_with_span(qtbot, {"kind": "b", "tags": ["y"], "extra": 7})
    assert set(editor.widgets) == {"kind", "tags", "who", "score", "sure"}
    assert editor.widgets["kind"].currentData() == "b"
    assert "(discontinuous)" in editor.header.text() and "قال" in editor.header.text()
    tags = editor.widgets["tags"]
    tags.item(2).setCheckState(Qt.CheckState.Checked)
    assert emitted[-1] == {"kind": "b", "tags": ["y", "z"], "extra": 7}
    editor.widgets["score"].setText("2.5")
    editor.widgets["score"].editingFinished.emit()
    assert emitted[-1]["score"] == 2.5
    editor.widgets["score"].setText("3")
    editor.widgets["score"].editingFinished.emit()
    assert emitted[-1]["score"] == 3 and isinstance(emitted[-1]["score"], int)
    sure = editor.widgets["sure"]
    sure.setCurrentIndex(sure.findData(True))
    sure.activated.emit(sure.currentIndex())
    assert emitted[-1]["sure"] is True
    completions = editor.widgets["who"].completer().model().stringList()
    assert completions == ["the council", "the ministry"]


def test_unchanged_value_emits_nothing_and_choice_can_be_cleared(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor, emitted = editor_with_span(qtbot, {"kind": "a"})
    who = editor.widgets["who"]
    who.editingFinished.emit()  # empty stays empty
    assert emitted == []
    kind = editor.widgets["kind"]
    kind.setCurrentIndex(0)  # "(not set)"
    kind.activated.emit(0)
    assert emitted == [{}]


def test_label_change_and_read_only(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor, emitted = editor_with_span(qtbot, {})
    i = editor.label_combo.findData("l:other")
    editor.label_combo.setCurrentIndex(i)
    editor.label_combo.activated.emit(i)
    assert emitted == [("l", "other")]
    editor.set_editable(False)
    assert not editor.label_combo.isEnabled() and not editor.widgets["kind"].isEnabled()
    editor.set_span(None, TEXT)
    assert editor.widgets == {} and not editor.delete_button.isEnabled()


def test_job_reports_progress_then_finishes(qtbot) -> None:  # type: ignore[no-untyped-def]
    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        for i in range(3):
            progress(i + 1, 3)
        return "done"

    job = Job(work)
    seen: list[tuple[int, int]] = []
    job.progress.connect(lambda n, t: seen.append((n, t)), Qt.ConnectionType.QueuedConnection)
    with qtbot.waitSignal(job.finished, timeout=10000) as blocker:
        job.start()
    assert blocker.args == ["done"]
    qtbot.waitUntil(lambda: len(seen) == 3)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    job.wait()


def test_job_cancel_stops_at_next_progress(qtbot) -> None:  # type: ignore[no-untyped-def]
    started = threading.Event()

    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        progress(1, 2)  # raises Cancelled
        return "not reached"

    job = Job(work)
    with qtbot.waitSignal(job.cancelled, timeout=10000):
        job.start()
        assert started.wait(10)
        job.cancel()
    job.wait()


def test_window_job_cancel_from_progress_dialog(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QProgressDialog

    def work(progress, cancelled):  # type: ignore[no-untyped-def]
        while not cancelled():
            threading.Event().wait(0.01)
        progress(0, 1)

    with qtbot.waitSignal(window.jobDone, timeout=10000) as blocker:
        window.run_job(work, "Working…", lambda result: None)
        assert not window.session.editable
        window.findChild(QProgressDialog).canceled.emit()  # the Cancel button
    assert blocker.args == ["cancelled"]
    assert window.session.editable and window.job is None


def test_undo_in_another_document_goes_back_to_it(window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "b.txt"
    extra.write_text("Second article, plainly written.\n", encoding="utf-8")
    with qtbot.waitSignal(window.jobDone, timeout=20000):
        window.import_paths([extra])
    first = window.document
    window.view.set_selection_cp(0, 3)
    window.tagger.tag("hedging", "hedge")
    window.act_next_doc.trigger()
    assert window.document != first
    window.act_undo.trigger()
    assert window.document == first
    assert all(s.label != "hedge" or s.start != 0 for s in window.spans)
