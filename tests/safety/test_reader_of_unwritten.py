"""Another program reading a project that a window has open but has not written yet (still in
rollback mode: the switch to WAL waits for the first write) reads a copy made with SQLite's
backup API, so that its reading never holds up the editor's first write; once the editor has
written (WAL), readers read it live, as before."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from annotator.core.project import Project
from annotator.core.query import run_query

EDITOR = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from annotator.core.project import Project
    path, go, done = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    with Project.open(path) as p:
        doc = p.documents()[0].pk
        print("ready", flush=True)
        while not go.exists():
            time.sleep(0.01)
        t = time.monotonic()
        p.add_span(doc, "hedging", "hedge", ((0, 3),))
        done.write_text(f"{time.monotonic() - t:.3f}")
        time.sleep(0.3)
""")


def test_a_reader_of_an_unwritten_open_project_never_holds_up_its_first_write(
        project_path: Path, tmp_path: Path) -> None:
    go, done = tmp_path / "go", tmp_path / "done"
    editor = subprocess.Popen([sys.executable, "-c", EDITOR, str(project_path), str(go),
                               str(done)], stdout=subprocess.PIPE, text=True)
    try:
        assert editor.stdout is not None and editor.stdout.readline().strip() == "ready"
        with Project.open(project_path, readonly=True) as p:
            hits = run_query(p, "*")
            first = next(hits)  # a query half read: its transaction is open
            go.write_text("")
            deadline = time.monotonic() + 20
            while not done.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert done.exists(), "the editor's first write was held up by the reader"
            assert float(done.read_text()) < 2.0
            rest = list(hits)
            assert first and all(h.start != 0 or h.end != 3 for h in [first, *rest])
        assert editor.wait(timeout=20) == 0
    finally:
        editor.kill()
    with Project.open(project_path, readonly=True) as p:  # the edit is there
        doc = p.documents()[0].pk
        assert any(s.fragments == ((0, 3),) for s in p.spans(doc))
    assert [q.name for q in project_path.parent.iterdir()
            if q.name.startswith(project_path.name)] == [project_path.name]
