"""Edit benchmark: every edit on a 1 MB article with 20,000 spans, with the workspace model and,
in the same run, with the code before it (the merge base with ``main``, or ``--base REV``).

Run: ``python bench/bench_edit.py`` (offscreen); ``--size 5000000 --spans 100000`` for the
5 MB article of the scale issue, ``--documents 20000`` to put it in a 20,000-document project. It builds the project once, then runs the same
script in a child process for each code (the base is unpacked with ``git archive`` into a
temporary folder). Each edit is timed from the call until the window has repainted (edit
committed to the file, model, views): a fragment change and a label change through the
session (both codes have them), tagging by a key, deleting, undo; then, new code only, the span
editing keys (boundary by word and by character, split, join, relabel in place). The
workspace model alone (no Qt) is timed too. Prints medians and maxima in ms and the ratio
new/old where both have the edit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ROUNDS = 10


def build(path: Path, size: int = 1_000_000, count: int = 20_000, others: int = 0) -> None:
    """The project: the article (``size`` code points, ``count`` spans) first, then ``others``
    articles of 2,000 code points and 10 spans each."""
    sys.path.insert(0, str(HERE))
    from bench_text_view import make_spans, make_text

    from annotator.core.model import CorpusDocument, SpanRecord
    from annotator.core.project import Project

    rng = random.Random(3)
    text = make_text(rng, size)
    spans = make_spans(rng, text, count)
    with Project.create(path, annotator="bench") as p:
        p.import_documents([CorpusDocument(
            name="big", text=text, spans=[SpanRecord(f"s{i}", s.layer, s.label, s.fragments)
                                          for i, s in enumerate(spans)])])
        for k in range(0, others, 500):
            batch = []
            for d in range(k, min(others, k + 500)):
                small = make_text(rng, 2_000) + f" ({d})"
                batch.append(CorpusDocument(
                    name=f"other-{d}", text=small,
                    spans=[SpanRecord(f"s{i}", s.layer, s.label, s.fragments[:1])
                           for i, s in enumerate(make_spans(rng, small, 10))]))
            p.import_documents(batch)
    print(f"article: {len(text):,} code points, {len(spans):,} spans; "
          f"{others:,} other articles")


def worker(path: Path) -> dict[str, list[float]]:
    """Runs in the child process, with the code to measure first on ``sys.path``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    import annotator
    from annotator.core.undo import UpdateSpan
    from annotator.gui.main_window import MainWindow
    from annotator.nlp.tokens import text_units

    print(f"code measured: {Path(annotator.__file__).parent}", file=sys.stderr)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.open_project(path)
    app.processEvents()
    text_units(window.text)  # the tokenizer warmed up, as the window does in the background
    view = window.view
    times: dict[str, list[float]] = {}

    def timed(name: str, fn) -> None:  # noqa: ANN001
        t = time.perf_counter()
        fn()
        app.processEvents()
        view.viewport().repaint()
        app.processEvents()
        times.setdefault(name, []).append(time.perf_counter() - t)

    ALT, SHIFT, CTRL = (Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ShiftModifier,
                        Qt.KeyboardModifier.ControlModifier)
    text = window.text
    new_code = hasattr(window.tagger, "move_boundary")
    for i in range(ROUNDS):
        cp = text.index(" ", 2000 + i * 90_000) + 1
        span = next(s for s in window.spans if s.start >= cp and len(s.fragments) == 1
                    and s.end - s.start > 6 and s.end + 1 < len(text))
        window.select_span(span.pk)
        view.setFocus()
        (s, e), = span.fragments
        grow = UpdateSpan(span.pk, fragments=((s, e + 1),))
        timed("fragments (session)", lambda: window.session.do(grow))  # noqa: B023 (called now)
        other = "booster" if span.label != "booster" else "hedge"
        relabel = UpdateSpan(span.pk, layer="hedging", label=other)
        timed("label (session)", lambda: window.session.do(relabel))  # noqa: B023
        timed("undo", lambda: window.act_undo.trigger())
        timed("redo", lambda: window.act_redo.trigger())
        if new_code:
            view.set_selection_cp(span.start, span.start)  # no text selected: keys edit the span
            keys = [("end +word (Alt+Shift+Right)", Qt.Key.Key_Right, ALT | SHIFT),
                    ("start +word (Alt+Right)", Qt.Key.Key_Right, ALT),
                    ("start -char (Ctrl+Alt+Left)", Qt.Key.Key_Left, ALT | CTRL),
                    ("relabel in place (key)", Qt.Key.Key_H, Qt.KeyboardModifier.NoModifier)]
            for name, key, mods in keys:
                timed(name, lambda k=key, m=mods: QTest.keyClick(view, k, m))
            cur = window.session.workspace.span(span.pk)
            gap = next((j for j in range(cur.start + 1, cur.end - 1) if text[j] == " "), None)
            if gap is not None:
                view.set_selection_cp(gap, gap)
                window.select_span(span.pk)
                timed("split (/)", lambda: QTest.keyClick(view, Qt.Key.Key_Slash))
                timed("join (Ctrl+J)", lambda: QTest.keyClick(view, Qt.Key.Key_J, CTRL))
        start = text.index(" ", 40_000 + i * 90_000) + 1
        view.set_selection_cp(start, start + 12)
        timed("tag by key (H)", lambda: QTest.keyClick(view.viewport(), Qt.Key.Key_H))
        timed("delete", window.tagger.delete_selected)
    if new_code:
        from annotator.core.project import Project
        from annotator.workspace import Workspace

        window.close_project()
        ws = Workspace(Project.open(path))
        assert ws.project is not None
        ws.open_document(ws.project.documents()[0].pk)
        for i in range(ROUNDS):
            cp = 5000 + i * 90_000
            span = next(s for s in ws.spans if s.start >= cp and s.end - s.start > 6)
            ws.select(span.pk)
            for name, op in (("model: end +word", lambda: ws.move_boundary("end", 1)),
                             ("model: relabel", lambda: ws.relabel("stance", "stance")),
                             ("model: undo", ws.undo)):
                t = time.perf_counter()
                op()
                times.setdefault(name, []).append(time.perf_counter() - t)
        ws.close()
    else:
        window.close_project()
    return times


def run_child(code: Path, project: Path) -> dict[str, list[float]]:
    env = dict(os.environ, PYTHONPATH=str(code), QT_QPA_PLATFORM="offscreen",
               ANNOTATOR_DATA_DIR=str(project.parent / "data"),
               ANNOTATOR_CONFIG_DIR=str(project.parent / "config"),
               ANNOTATOR_BACKUP_DIR=str(project.parent / "backups"))
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker",
                          str(project)], env=env, capture_output=True, text=True, check=True,
                         cwd=str(project.parent))
    print(out.stderr.strip().splitlines()[0] if out.stderr.strip() else "")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", help="git revision of the code before (default: merge base "
                                   "of HEAD and main)")
    ap.add_argument("--size", type=int, default=1_000_000, help="the article's code points")
    ap.add_argument("--spans", type=int, default=20_000, help="the article's spans")
    ap.add_argument("--documents", type=int, default=0,
                    help="other articles in the project (2,000 code points, 10 spans each)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(Path(args.worker))))
        return
    base = args.base or subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT,
                                       capture_output=True, text=True,
                                       check=True).stdout.strip()
    tmp = Path(tempfile.mkdtemp(prefix="annot-edit-"))
    old_code = tmp / "base"
    old_code.mkdir()
    archive = subprocess.run(["git", "archive", base, "annotator"], cwd=ROOT,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(old_code)], input=archive, check=True)
    results = {}
    for name, code in (("before", old_code), ("workspace", ROOT)):
        project = tmp / name / "big.annot"
        project.parent.mkdir()
        build(project, args.size, args.spans, args.documents)
        results[name] = run_child(code, project)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"base: {base[:10]}; {ROUNDS} rounds; ms from the call to the repainted window; "
          f"load average {load} on {os.cpu_count()} cores")
    print(f"{'edit':34} {'before':>16} {'workspace':>16} {'ratio':>7}")
    for edit in results["workspace"]:
        new = results["workspace"][edit]
        old = results["before"].get(edit)
        cell = lambda xs: f"{statistics.median(xs) * 1000:6.1f} (max {max(xs) * 1000:5.1f})"  # noqa: E731
        ratio = f"{statistics.median(new) / statistics.median(old):6.2f}" if old else "    —"
        print(f"{edit:34} {cell(old) if old else '—':>16} {cell(new):>16} {ratio:>7}")


if __name__ == "__main__":
    main()
