"""Regenerates the README screenshots (docs/screenshot.png, docs/review.png), offscreen.

Run from the repository root: ``python scripts/screenshots.py``. The workspace is shown on the
bundled sample; the review window compares the sample with a colleague's version of it (fewer
spans, one label changed, one boundary moved), built here.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
tmp = Path(tempfile.mkdtemp(prefix="annot-shots-"))
for key in ("DATA", "CONFIG", "BACKUP"):
    os.environ[f"ANNOTATOR_{key}_DIR"] = str(tmp / key.lower())

from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.project import Project  # noqa: E402
from annotator.gui import identity  # noqa: E402
from annotator.gui.app import sample_project  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.gui.review_window import open_review  # noqa: E402
from annotator.gui.theme import apply_theme  # noqa: E402

DOCS = Path(__file__).resolve().parents[1] / "docs"


def colleague_copy(source: Path, dest: Path) -> Path:
    with Project.open(source, readonly=True) as p:
        (doc,) = list(p.iter_corpus())
    keep = [s for i, s in enumerate(doc.spans) if i % 6 != 3]  # bob skipped a few
    for s in keep:
        if s.label == "booster":
            s.label = "hedge"  # and disagreed on a label
        if s.label == "scope":
            a, b = s.fragments[0]
            s.fragments = ((a, b - 8),)  # and on a boundary
    doc.spans = keep
    keys = {s.key for s in keep}
    doc.relations = [r for r in doc.relations if r.source in keys and r.target in keys]
    with Project.create(dest, annotator="bob") as p:
        p.import_documents([doc])
    return dest


def main() -> None:
    app = QApplication(sys.argv[:1])
    identity.remember("you")  # the name was given once (else the window asks for it)
    apply_theme(app, False)
    DOCS.mkdir(exist_ok=True)
    sample = sample_project()
    window = MainWindow()
    window.resize(1440, 900)
    window.show()
    window.open_project(sample)
    spans = window.project.spans(window.document)
    told = next(s for s in spans if s.label == "cue")
    window.select_span(told.pk)
    app.processEvents()
    window.grab().save(str(DOCS / "screenshot.png"))
    bob = colleague_copy(sample, tmp / "bob.annot")
    review = open_review([str(sample), str(bob)])
    review.resize(1440, 900)
    review.select_disagreement(0)
    app.processEvents()
    review.grab().save(str(DOCS / "review.png"))
    review.close()
    window.close_project()
    print(f"wrote {DOCS / 'screenshot.png'} and {DOCS / 'review.png'}")


if __name__ == "__main__":
    main()
