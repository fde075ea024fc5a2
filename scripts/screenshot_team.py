"""Regenerates docs/team.png: a curator's window on a shared project, live.

Starts a throwaway PostgreSQL server (``initdb``/``pg_ctl``, as the tests do), sets up a study
with two coders and a curator, imports the bundled sample, assigns it, opens the curator's
window, and then — from other connections, as the coders' own programs would — adds a coder's
spans and marks a document done. The window shows them without being told (the Team dock and
the spans arrive through the live feed); the screenshot is taken after they did.

Run from the repository root: ``python scripts/screenshot_team.py`` (offscreen).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
tmp = Path(tempfile.mkdtemp(prefix="annot-team-shot-"))
for key in ("DATA", "CONFIG", "BACKUP"):
    os.environ[f"ANNOTATOR_{key}_DIR"] = str(tmp / key.lower())
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "team"))

from pgserver import start_server  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.project import Project  # noqa: E402
from annotator.gui import identity  # noqa: E402
from annotator.gui.app import sample_project  # noqa: E402
from annotator.gui.main_window import MainWindow  # noqa: E402
from annotator.gui.theme import apply_theme  # noqa: E402
from annotator.team import server  # noqa: E402


def wait(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> None:
    pg = start_server()
    try:
        os.environ["PGPASSFILE"] = str(pg.passfile)
        owner = pg.new_database("study")
        server.init(owner)
        urls = {}
        for name, curator in (("alice", False), ("bob", False), ("cleo", True)):
            server.add_user(owner, name, f"pw-{name}", curator=curator)
            pg.remember(name, f"pw-{name}")
            urls[name] = pg.url(name, "study")
        with Project.open(sample_project(), readonly=True) as sample:
            docs = list(sample.iter_corpus())
        for d in docs:
            d.spans, d.relations = [], []
        with Project.open(urls["cleo"]) as cleo:
            cleo.import_documents(docs)
        server.assign(urls["cleo"], ["alice", "bob"], overlap=None, seed=1)
        app = QApplication(sys.argv[:1])
        identity.remember("cleo")
        apply_theme(app, False)
        window = MainWindow()
        window.resize(1440, 900)
        window.show()
        window.open_project(urls["cleo"])
        window.shown_annotators = {"alice", "bob"}
        wait(app, 0.5)
        with Project.open(sample_project(), readonly=True) as sample:
            (source,) = list(sample.iter_corpus())
        with Project.open(urls["alice"]) as alice:
            pk = alice.documents()[0].pk
            for s in source.spans[:18]:
                alice.add_span(pk, s.layer, s.label, s.fragments, attributes=s.attributes)
            alice.set_assignment_status(pk, "alice", "done")
        with Project.open(urls["bob"]) as bob:
            for s in source.spans[3:12]:
                bob.add_span(pk, s.layer, s.label, s.fragments, attributes=s.attributes)
            bob.set_assignment_status(pk, "bob", "in_progress")
        wait(app, 2.0)  # the live feed brings them in
        from annotator.gui import annotator_view

        annotator_view.apply(window)
        window.team_dock.raise_()
        wait(app, 0.3)
        out = ROOT / "docs" / "team.png"
        window.grab().save(str(out))
        print(f"wrote {out}: {len(window.spans)} spans shown live; team rows {window.team.rows}")
        window.close()
    finally:
        pg.discard()


if __name__ == "__main__":
    main()
