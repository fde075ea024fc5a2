"""Workspace benchmark: the real window on a 1 MB article with 20,000 spans.

Run: ``python bench/bench_workspace.py`` (offscreen). Prints, for the whole window (project file,
item models, panels and text view): opening the document until fully painted; tagging a
selection by its shortcut (edit committed to the file + view repainted); deleting it; undo; and
a scripted scroll. ``bench_text_view.py`` compares the text view with the naïve approach.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

from bench_text_view import make_spans, make_text  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.model import CorpusDocument, SpanRecord  # noqa: E402
from annotator.core.project import Project  # noqa: E402


def settle(app: QApplication, window) -> None:  # noqa: ANN001
    app.processEvents()
    window.view.viewport().repaint()
    app.processEvents()


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="annot-ws-"))
    os.environ["ANNOTATOR_DATA_DIR"] = str(tmp / "data")
    os.environ["ANNOTATOR_CONFIG_DIR"] = str(tmp / "config")
    os.environ["ANNOTATOR_BACKUP_DIR"] = str(tmp / "backups")
    rng = random.Random(3)
    text = make_text(rng, 1_000_000)
    spans = make_spans(rng, text, 20_000)
    proj = tmp / "big.annot"
    with Project.create(proj, annotator="bench") as p:  # else the window asks for a name
        p.import_documents([CorpusDocument(
            name="big", text=text, spans=[SpanRecord(f"s{i}", s.layer, s.label, s.fragments)
                                          for i, s in enumerate(spans)])])
    print(f"article: {len(text):,} code points, {len(spans):,} spans")

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from annotator.gui.main_window import MainWindow

    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    t = time.perf_counter()
    window.open_project(proj)
    settle(app, window)
    print(f"open project + document, fully painted: {(time.perf_counter() - t) * 1000:8.1f} ms")

    from annotator.nlp.tokens import text_units

    text_units(text)  # the window warms the tokenizer up in the background; wait for it here
    add, delete, undo = [], [], []
    view = window.view
    for i in range(10):
        start = text.index(" ", 1000 + i * 5000) + 1
        view.set_selection_cp(start, start + 12)
        view.setFocus()
        t = time.perf_counter()
        QTest.keyClick(view.viewport(), Qt.Key.Key_H)
        settle(app, window)
        add.append(time.perf_counter() - t)
        t = time.perf_counter()
        window.tagger.delete_selected()
        settle(app, window)
        delete.append(time.perf_counter() - t)
        t = time.perf_counter()
        window._undo()
        settle(app, window)
        undo.append(time.perf_counter() - t)
    with Project.open(proj, readonly=True) as p:  # what the file holds, read by a second reader
        n = p.documents()[0].span_count
    print(f"tag by shortcut (file + view): median {statistics.median(add) * 1000:6.1f} ms, "
          f"max {max(add) * 1000:6.1f} ms")
    print(f"delete span (file + view):     median {statistics.median(delete) * 1000:6.1f} ms")
    print(f"undo delete (file + view):     median {statistics.median(undo) * 1000:6.1f} ms")
    print(f"spans in the file afterwards: {n:,} (20,000 + 10 restored by undo)")
    bar = view.verticalScrollBar()
    steps = 60
    t = time.perf_counter()
    for _ in range(steps):
        bar.setValue(bar.value() + bar.pageStep())
        view.viewport().repaint()
        app.processEvents()
    print(f"scroll: {(time.perf_counter() - t) / steps * 1000:6.1f} ms per page step")
    window.close_project()


if __name__ == "__main__":
    main()
