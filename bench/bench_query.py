"""Speed of the query engine, the dashboard and the concordance (issue 12, items 4 and 5).

Builds a corpus of ``--docs`` articles (about 500 words each) with ``--spans`` spans each
(attribution source/cue/content linked by ``attributed_to``, hedges inside and outside the
contents, stances with holder/target/polarity; outlet and date in the metadata), then times, in
the same run, the median of ``--repeat`` rounds of:

* baseline: a bare ``sqlite3`` SELECT of every span row (key, document, layer, label, offsets,
  fragments, attributes) — the rows a query reads — and, for the dashboard, of the documents'
  texts and metadata too;
* queries (``run_query`` to the last hit, documents streamed): the issue's example, an attribute
  filter, and a regex over every span's text (the worst case: every span read and decoded);
* dashboard: ``corpus_figures.summarise`` + all four figures, then the window's refresh and
  drawing all four charts (matplotlib QtAgg, offscreen), the import of matplotlib apart;
* concordance: a 10,000-hit query in the panel, then scrolling to the end one page at a time,
  each page painted; against a plain QTableView over a filled QStandardItemModel of the same
  rows (the baseline for a frame).

    python bench/bench_query.py [--docs 2000] [--spans 40] [--repeat 5]
                                [--only queries|dashboard|scrolling ...]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.core import corpus_figures as cf  # noqa: E402
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.core.query import run_query  # noqa: E402

SENTENCE = ("The minister said that the plan may be delayed, officials reportedly claimed, "
            "and critics argued it could fail. ")  # 19 words
OUTLETS = ("Gazette", "Herald", "Tribune", "Courier", "Post")
SOURCE_TYPES = ("person", "organisation", "anonymous", "document")


def article(i: int, spans: int) -> CorpusDocument:
    """An article of ~26 sentences; each group of 10 spans sits in one sentence."""
    text = SENTENCE * 26
    records: list[SpanRecord] = []
    relations: list[RelationRecord] = []
    n = 0
    for k in range(spans // 10):
        base = k * len(SENTENCE)

        def at(word: str, base: int = base) -> tuple[tuple[int, int], ...]:
            s = base + SENTENCE.index(word)
            return ((s, s + len(word)),)

        def add(layer: str, label: str, frags: tuple[tuple[int, int], ...],
                attrs: dict[str, object] | None = None) -> str:
            nonlocal n
            n += 1
            records.append(SpanRecord(f"s{n}", layer, label, frags, attrs or {}))
            return f"s{n}"

        src = add("attribution", "source", at("The minister"),
                  {"source_type": SOURCE_TYPES[(i + k) % 4]})
        add("attribution", "cue", at("said"), {"author_position": "neutral"})
        content = add("attribution", "content", at("the plan may be delayed"),
                      {"quote_type": "indirect"})
        relations.append(RelationRecord(f"r{len(relations) + 1}", "attributed_to", content, src))
        add("hedging", "hedge", at("may"), {"certainty": "possible", "cue_type": "modal"})
        add("hedging", "hedge", at("reportedly"), {"certainty": "unknown", "cue_type": "hearsay"})
        add("hedging", "hedge", at("could"), {"certainty": "possible"})
        add("attribution", "source", at("officials"), {"source_type": "organisation"})
        add("stance", "stance", at("it could fail"),
            {"polarity": ("against", "favour")[k % 2], "target": "the plan",
             "holder": ("author", "critics")[(i + k) % 2]})
        add("rhetoric", "engagement", at("argued"), {"move": "acknowledge"})
        add("stance", "target", at("the plan"))
    return CorpusDocument(name=f"d{i:05}", title=f"Article {i}", text=f"{text}{i}.",
                          meta={"outlet": OUTLETS[i % 5], "date": f"2021-{i % 12 + 1:02}-15"},
                          spans=records, relations=relations)


def build(path: Path, docs: int, spans: int) -> None:
    with Project.create(path, annotator="bench") as p:
        for at in range(0, docs, 500):
            p.import_documents([article(i, spans) for i in range(at, min(docs, at + 500))])


def median(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def bare_spans(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return len(conn.execute('SELECT id, document_id, layer, label, start, "end", fragments, '
                                "attributes FROM span").fetchall())
    finally:
        conn.close()


def bare_dashboard(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        n = len(conn.execute("SELECT id, name, meta, text FROM document").fetchall())
        return n + len(conn.execute('SELECT id, document_id, layer, label, start, "end", '
                                    "fragments, attributes FROM span").fetchall())
    finally:
        conn.close()


def line(what: str, seconds: float, base: float, extra: str = "") -> None:
    print(f"  {what:<58} {seconds * 1000:8.1f} ms  {seconds / base:6.1f}x baseline{extra}")


def paired(base: Callable[[], object], fn: Callable[[], object], repeat: int
           ) -> tuple[float, float, float, float, object]:
    """``base`` and ``fn`` in turns, ``repeat`` rounds: the median seconds of each, and the
    medians of the rounds' ratios fn/base in wall-clock and in CPU time (turns and CPU time
    keep the ratio steady on a machine whose load comes and goes)."""
    walls: list[list[float]] = [[], []]
    cpus: list[list[float]] = [[], []]
    result: object = None
    for _ in range(repeat):
        for i, f in enumerate((base, fn)):
            w, c = time.perf_counter(), time.process_time()
            result = f()
            walls[i].append(time.perf_counter() - w)
            cpus[i].append(time.process_time() - c)
    return (statistics.median(walls[0]), statistics.median(walls[1]),
            statistics.median(b / a for a, b in zip(*walls, strict=True)),
            statistics.median(b / a for a, b in zip(*cpus, strict=True)), result)


def bench_queries(path: Path, repeat: int) -> None:
    rows = bare_spans(path)
    print(f"queries over {rows} spans; baseline: a bare SELECT of the span rows, timed in turns "
          "with each query")
    with Project.open(path, readonly=True) as p:
        for q in ("hedging:hedge inside attribution:content where source.source_type = person",
                  "hedging:hedge where certainty = possible",
                  "* where text ~ /^zz/"):
            def query(q: str = q) -> int:
                return sum(1 for _ in run_query(p, q))

            base, t, ratio, cpu, hits = paired(lambda: bare_spans(path), query, repeat)
            what = f"{q[:50]}… ({hits} hits)" if len(q) > 50 else f"{q} ({hits} hits)"
            print(f"  {what:<58} {t * 1000:8.1f} ms  {ratio:4.2f}x baseline ({base * 1000:.1f}"
                  f" ms), CPU {cpu:4.2f}x" + ("" if t < 0.2 else "  (goal < 200 ms)"))


def bench_dashboard(path: Path, repeat: int) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    base, _ = median(lambda: bare_dashboard(path), repeat)
    print(f"dashboard; baseline (bare SELECT of documents and spans): {base * 1000:.1f} ms")
    t0 = time.perf_counter()
    import matplotlib.backends.backend_qtagg  # noqa: F401

    print(f"  import matplotlib + QtAgg (once per session): "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    from annotator.gui.dashboard import DashboardWindow

    with Project.open(path, readonly=True) as p:
        def numbers() -> int:
            s = cf.summarise(p)
            figs = [cf.label_counts(s), cf.hedging_density(s, "outlet"), cf.source_ranking(s),
                    cf.stance_by_holder_target(s)]
            return sum(len(f.categories) for f in figs)

        t, _ = median(numbers, repeat)
        line("summarise + 4 figures (core, no Qt)", t, base)
        window = DashboardWindow(lambda: p, lambda d, s: None)
        window.resize(1000, 760)
        window.show()
        app.processEvents()

        def draw() -> None:
            window.refresh()
            window.draw_all()
            app.processEvents()

        def open_() -> None:
            window.refresh()  # summarise + draw the shown tab, as opening does
            app.processEvents()

        t, _ = median(open_, repeat)
        line("open: summarise + draw the shown chart", t, base, "" if t < 1 else
             "  (goal < 1 s)")
        t_all, _ = median(draw, repeat)
        line("summarise + draw all 4 charts", t_all, base)
        fig = window.charts["labels"].figure
        assert fig is not None
        window.close()
    from matplotlib.figure import Figure

    def bare_plot() -> None:  # the same bars, no layout, no picking, no labels
        mpl = Figure(figsize=(7, 4))
        ax = mpl.add_subplot()
        n = min(len(fig.categories), fig.shown)
        for s in fig.series:
            ax.barh(range(n), s.values[:n])
        mpl.canvas.draw()

    t_bare, _ = median(bare_plot, repeat)
    print(f"  bare matplotlib barh of the same bars (Agg): {t_bare * 1000:.1f} ms; one chart of "
          f"ours is {(t_all - t) / 3 / t_bare:.1f}x that")


def bench_scrolling(path: Path, repeat: int) -> None:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from annotator.gui.concordance import ConcordancePanel

    app = QApplication.instance() or QApplication([])
    query = "hedging:hedge where certainty = possible"
    with Project.open(path, readonly=True) as p:
        hits = list(run_query(p, query))
        panel = ConcordancePanel(lambda: p, lambda d, s: None)
        panel.resize(1000, 600)
        panel.show()
        app.processEvents()
        panel.query_edit.setText(query)
        t_run, _ = median(panel.run, repeat)

        def scroll(view: QTableView) -> list[float]:
            bar = view.verticalScrollBar()
            bar.setValue(0)
            frames = []
            while True:
                t = time.perf_counter()
                bar.setValue(bar.value() + bar.pageStep())
                view.viewport().repaint()
                app.processEvents()
                frames.append(time.perf_counter() - t)
                if bar.value() >= bar.maximum() and not view.model().canFetchMore(
                        view.rootIndex()):
                    return frames

        panel.run()
        frames = scroll(panel.table)
        plain = QStandardItemModel(len(hits), 7)
        for r, h in enumerate(hits):
            for c, v in enumerate((h.document, h.left, h.text, h.right, f"{h.layer}:{h.label}",
                                   h.annotator, str(h.start))):
                plain.setItem(r, c, QStandardItem(v))
        table = QTableView()
        table.setModel(plain)
        table.resize(1000, 600)
        table.show()
        app.processEvents()
        base = scroll(table)
        b = statistics.median(base)
        print(f"concordance of {len(hits)} hits; baseline frame (plain filled table): "
              f"{b * 1000:.2f} ms")
        line("run the query, first rows shown", t_run, b)
        f = statistics.median(frames)
        line(f"scroll one page, painted (median of {len(frames)} pages)", f, b)
        line("slowest page (a page that fetches more rows)", max(frames), b)
        panel.close()
        table.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--spans", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", action="append", choices=("queries", "dashboard", "scrolling"),
                    help="run only these parts (repeatable; default: all)")
    args = ap.parse_args()
    parts = args.only or ["queries", "dashboard", "scrolling"]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("ANNOTATOR_BACKUP_DIR", str(Path(tmp) / "backups"))
        path = Path(tmp) / "bench.annot"
        t = time.perf_counter()
        build(path, args.docs, args.spans)
        print(f"built {args.docs} articles x {args.spans} spans in "
              f"{time.perf_counter() - t:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")
        print(f"load: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")
        for part, run in (("queries", bench_queries), ("dashboard", bench_dashboard),
                          ("scrolling", bench_scrolling)):
            if part in parts:
                run(path, args.repeat)


if __name__ == "__main__":
    sys.exit(main())
