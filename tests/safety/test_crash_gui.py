"""SIGKILL during a burst of edits made through the real workspace window (offscreen).

The child opens the project in :class:`MainWindow`, then tags, deletes and undoes by the same
keyboard paths a person uses, printing each span it has seen committed; it is killed mid-burst.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from safety_helpers import PYTHON, child_env, kill_after_lines, sample_doc

from annotator.core.project import Project

CHILD_GUI = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from annotator.gui.main_window import MainWindow

app = QApplication([])
w = MainWindow()
w.show()
assert w.open_project(sys.argv[1])
view = w.view
text = w.text
i = 0
while True:
    start = (i * 7) % (len(text) - 10)
    view.set_selection_cp(start, start + 5)
    view.setFocus()
    QTest.keyClick(view.viewport(), Qt.Key.Key_H, Qt.KeyboardModifier.ShiftModifier)  # exact
    pk = w.tagger.selected()
    if i % 5 == 4:  # now and then delete and undo the delete: the span must come back
        w.tagger.delete_selected()
        w._undo()
    print(pk, flush=True)
    app.processEvents()
    i += 1
"""


def test_gui_edit_burst_killed_keeps_every_committed_edit(tmp_path: Path) -> None:
    proj = tmp_path / "p.annot"
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("doc", n_spans=0)])
    env = child_env(tmp_path)
    env["ANNOTATOR_CONFIG_DIR"] = str(tmp_path / "config")
    env["ANNOTATOR_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.Popen([PYTHON, "-c", CHILD_GUI, str(proj)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    printed = kill_after_lines(proc, 60)

    with Project.open(proj) as p:
        assert p.check() == []
        doc = p.documents()[0].pk
        stored = {s.pk: s for s in p.spans(doc)}
        missing = [pk for pk in printed if pk not in stored]
        assert missing == [], f"committed GUI edits lost: {missing[:5]}"
        assert all(stored[pk].label == "hedge" for pk in printed)
        assert len(stored) - len(printed) in (0, 1)  # at most the edit in flight
