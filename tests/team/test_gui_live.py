"""The window on a shared project: it opens a server address, and other people's changes reach
it live (PostgreSQL's LISTEN/NOTIFY → the workspace's change events → the same signals as a
local edit), within a second, on a real server the tests start."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.core.model import CorpusDocument  # noqa: E402
from annotator.core.project import Project  # noqa: E402

pytestmark = pytest.mark.usefixtures("gui_dirs")  # tests/team/conftest.py


def window(qtbot: Any, url: str) -> Any:
    from annotator.gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_project(url)
    assert w.session is not None and w.session.live is not None
    return w


def palette_labels(w: Any) -> set[str]:
    from PySide6.QtWidgets import QPushButton

    return {b.text().split(" ")[0] for b in w.palette_bar.findChildren(QPushButton)}


def test_window_opens_a_server_project_and_listens(qtbot, team):  # type: ignore[no-untyped-def]
    w = window(qtbot, team["alice"])
    assert w.project.on_server
    assert len(w.doc_model.documents()) == 3
    assert w.windowTitle().startswith(team["alice"].rsplit("/", 1)[1])
    assert w.session.live.running
    w.close()
    assert not w.session or not w.session.live.running


def test_a_colleagues_span_reaches_the_curators_window(qtbot, team):  # type: ignore[no-untyped-def]
    w = window(qtbot, team["cleo"])
    doc = w.document
    before = {s.pk for s in w.spans}
    with Project.open(team["alice"]) as alice:
        new = alice.add_span(doc, "hedging", "hedge", ((20, 35),))
    started = time.monotonic()
    qtbot.waitUntil(lambda: new.pk in {s.pk for s in w.spans}, timeout=3000)
    assert time.monotonic() - started < 1.5
    assert {s.pk for s in w.spans} == before | {new.pk}
    assert new.pk in {w.span_model.span_at(r).pk for r in range(w.span_model.rowCount())}
    with Project.open(team["alice"]) as alice:
        alice.delete_span(new.pk)
    qtbot.waitUntil(lambda: new.pk not in {s.pk for s in w.spans}, timeout=3000)


def test_a_tagset_change_by_the_curator_reaches_a_coder(qtbot, team):  # type: ignore[no-untyped-def]
    w = window(qtbot, team["alice"])
    assert "rumour" not in palette_labels(w)
    with Project.open(team["cleo"]) as cleo:
        tagset = cleo.tagset
        tagset.ensure_label("hedging", "rumour")
        cleo.set_tagset(tagset)
    qtbot.waitUntil(lambda: "rumour" in palette_labels(w), timeout=3000)


def test_new_documents_and_status_reach_the_window(qtbot, team):  # type: ignore[no-untyped-def]
    w = window(qtbot, team["alice"])
    with Project.open(team["cleo"]) as cleo:
        cleo.import_documents([CorpusDocument(name="d4", text="The mayor said so.")])
    qtbot.waitUntil(lambda: len(w.doc_model.documents()) == 4, timeout=3000)
    assert "d4" in {d.name for d in w.doc_model.documents()}


def test_own_edits_are_not_read_twice(qtbot, team):  # type: ignore[no-untyped-def]
    w = window(qtbot, team["alice"])
    batches = w.session.live.batches
    w.set_status("done")  # the window's own edit: already shown, not read again
    assert w.doc_model.documents()[0].status == "done"
    qtbot.wait(800)
    assert w.session.live.batches == batches


def test_a_server_restart_is_survived(qtbot, team, pg_server):  # type: ignore[no-untyped-def]
    w = window(qtbot, team["cleo"])
    said: list[str] = []
    w.session.message.connect(said.append)
    pg_server.restart()
    qtbot.waitUntil(lambda: any("Reconnected" in m for m in said), timeout=15000)
    doc = w.document
    with Project.open(team["alice"]) as alice:
        new = alice.add_span(doc, "hedging", "hedge", ((20, 35),))
    qtbot.waitUntil(lambda: new.pk in {s.pk for s in w.spans}, timeout=3000)


def test_the_curator_sees_everyones_progress_live(qtbot, team):  # type: ignore[no-untyped-def]
    w = window(qtbot, team["cleo"])
    assert w.team_dock.isVisibleTo(w)  # team work: the dock shows itself
    alice, bob = team["alice_name"], team["bob_name"]
    docs = [d.pk for d in w.doc_model.documents()]
    with Project.open(team["cleo"]) as cleo:
        cleo.assign(docs, alice)
        cleo.assign(docs[:2], bob)
    qtbot.waitUntil(lambda: w.team.rows.get(alice, {}).get("assigned") == 3, timeout=3000)
    assert w.team.rows[bob]["assigned"] == 2
    with Project.open(team["alice"]) as p:
        p.set_assignment_status(docs[0], alice, "done")
    qtbot.waitUntil(lambda: w.team.rows[alice]["done"] == 1, timeout=3000)
    assert w.team.rows[alice]["new"] == 2 and w.team.rows[bob]["done"] == 0
    shown = {w.team.table.item(r, 0).text(): w.team.table.item(r, 4).text()
             for r in range(w.team.table.rowCount())}
    assert shown[alice] == "1"


def test_a_blind_coder_sees_only_their_own_progress(qtbot, team):  # type: ignore[no-untyped-def]
    with Project.open(team["cleo"]) as cleo:
        docs = [d.pk for d in cleo.documents()]
        cleo.assign(docs, team["alice_name"])
        cleo.assign(docs, team["bob_name"])
    w = window(qtbot, team["alice"])
    assert set(w.team.rows) == {team["alice_name"]}
    assert "own progress only" in w.team.note.text()


def test_a_coders_window_lists_their_queue(qtbot, team):  # type: ignore[no-untyped-def]
    """Once documents are assigned, a coder's document list is the documents assigned to them
    (the server hides the others), each with its status."""
    with Project.open(team["cleo"]) as cleo:
        docs = {d.name: d.pk for d in cleo.documents()}
        cleo.assign([docs["d1"], docs["d2"]], team["alice_name"])
        cleo.assign([docs["d3"]], team["bob_name"])
    alice = window(qtbot, team["alice"])
    assert [d.name for d in alice.doc_model.documents()] == ["d1", "d2"]
    bob = window(qtbot, team["bob"])
    assert [d.name for d in bob.doc_model.documents()] == ["d3"]
    assert {d.status for d in bob.doc_model.documents()} == {"in_progress"}  # his spans there
    alice.close()
    bob.close()
