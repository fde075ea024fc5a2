"""Regenerates docs/suggestions.png: the Suggestions panel after a Train.

Builds a project of 120 seeded synthetic news articles (the generator of
``bench/bench_suggest.py``: sources, cues, hedges, boosters) plus the bundled sample's article
untagged, opens that article in the window, presses Train, waits for the figures, the learning
curve and the suggestions that follow, and grabs the window.

Run from the repository root: ``python scripts/screenshot_suggestions.py`` (offscreen).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
tmp = Path(tempfile.mkdtemp(prefix="annot-sugg-shot-"))
for key in ("DATA", "CONFIG", "BACKUP"):
    os.environ[f"ANNOTATOR_{key}_DIR"] = str(tmp / key.lower())
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_suggest import corpus  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.model import CorpusDocument, SpanRecord  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.gui import identity  # noqa: E402
from annotator.gui.app import sample_project  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.gui.theme import apply_theme  # noqa: E402


def wait_for(app: QApplication, done: list[bool], seconds: float) -> None:
    end = time.monotonic() + seconds
    while not done and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    if not done:
        raise SystemExit("timed out")


def main() -> None:
    app = QApplication(sys.argv[:1])
    identity.remember("you")
    apply_theme(app, False)
    with Project.open(sample_project(), readonly=True) as p:
        (sample,) = list(p.iter_corpus())
    path = tmp / "news.annot"
    with Project.create(path, annotator="you") as p:
        p.import_documents([CorpusDocument(
            name=d.name, text=d.text, status="done",
            spans=[SpanRecord(f"s{i}", lay, lab, ((s, e),))
                   for i, (lay, lab, s, e) in enumerate(d.spans)]) for d in corpus(120)])
        p.import_documents([CorpusDocument(name="sample", title=sample.title, text=sample.text)])
    window = MainWindow()
    window.resize(1440, 900)
    window.show()
    window.open_project(path)
    window.open_document(next(d.pk for d in window.project.documents() if d.name == "sample"))
    trained: list[bool] = []
    window.suggestions.trained.connect(lambda _r: trained.append(True))
    ready: list[bool] = []
    window.suggestions.ready.connect(lambda _n: ready.append(True))
    window.suggestions.panel.train_button.click()
    wait_for(app, trained, 300)
    window.suggestions.start()  # the recommenders good enough, on the sample's article
    wait_for(app, ready, 120)
    window.suggestions.dock.raise_()
    app.processEvents()
    out = ROOT / "docs" / "suggestions.png"
    window.grab().save(str(out))
    window.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
