"""File ▸ Import in the window on a shared project: the curator's import reaches the server
(and everyone's document list); a coder, whom the server does not let add documents, gets a
message and the project is as it was."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.core.project import Project  # noqa: E402

pytestmark = pytest.mark.usefixtures("gui_dirs")  # tests/team/conftest.py


def articles(tmp_path: Path) -> Path:
    path = tmp_path / "new.jsonl"
    rows = []
    for i in (1, 2):
        text = f"The minister said the reform may fail, article {i}."
        rows.append({"id": f"new-{i}", "title": f"New {i}", "text": text, "spans": [
            {"id": "s1", "start": 4, "end": 12, "layer": "attribution", "label": "source",
             "text": "minister"},
            {"id": "s2", "start": text.index("may"), "end": text.index("may") + 3,
             "layer": "hedging", "label": "hedge", "text": "may"}]})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def import_in_window(qtbot: Any, url: str, path: Path) -> tuple[Any, list[str], str]:
    from annotator.gui.main_window import MainWindow
    from annotator.gui.views import dialogs

    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_project(url)
    errors: list[str] = []
    real = dialogs.show_error
    dialogs.show_error = lambda _parent, _title, message: errors.append(message)  # type: ignore[assignment]
    try:
        with qtbot.waitSignal(w.jobDone, timeout=30000) as done:
            assert w.import_paths([path]) is not None
    finally:
        dialogs.show_error = real
    return w, errors, done.args[0]


def test_the_curators_import_reaches_the_server(qtbot, team, tmp_path) -> None:  # type: ignore[no-untyped-def]
    w, errors, outcome = import_in_window(qtbot, team["cleo"], articles(tmp_path))
    assert (outcome, errors) == ("finished", [])
    names = [d.name for d in w.doc_model.documents()]
    assert names[-2:] == ["new-1", "new-2"] and len(names) == 5
    with Project.open(team["cleo"]) as p:  # another connection: it is on the server
        doc = p.document_by_name("new-2")
        assert doc is not None
        spans = p.spans(doc.pk)
        assert [(s.layer, s.label, s.start, s.end) for s in spans] == [
            ("attribution", "source", 4, 12), ("hedging", "hedge", 29, 32)]
        assert {s.annotator for s in spans} == {p.annotator}
    w.close()


def test_a_coders_import_is_refused_with_a_message(qtbot, team, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Project.open(team["cleo"]) as p:
        before = [d.name for d in p.documents()]
    w, errors, outcome = import_in_window(qtbot, team["alice"], articles(tmp_path))
    assert outcome == "failed" and len(errors) == 1
    assert "only a curator adds documents" in errors[0], errors[0]
    assert "Traceback" not in errors[0] and "\n" not in errors[0]
    with Project.open(team["cleo"]) as p:
        assert [d.name for d in p.documents()] == before
    assert [d.name for d in w.doc_model.documents()] == before  # the window shows the same
    w.close()
