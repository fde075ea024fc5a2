"""Benchmark of the span text view against the naive ExtraSelection approach.

Run: ``QT_QPA_PLATFORM=offscreen python bench/bench_text_view.py [--mb 1.0] [--spans 20000]``

Builds a ~1 MB article (paragraphs of sentences, some emoji and Arabic) with 20,000 spans
(random lengths, overlapping and nested, 4 layers) and prints milliseconds for: opening and the
first full paint, adding a span and repainting, deleting a span and repainting, and a scripted
scroll (one page per step, repaint each). The same data is then shown with one
``QTextEdit.ExtraSelection`` per span, the approach this view replaces.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QTextEdit  # noqa: E402

from annotator.core.model import Span  # noqa: E402
from annotator.core.offsets import OffsetMap  # noqa: E402
from annotator.gui.views.text_view import SpanTextView  # noqa: E402

_SENTENCE = (
    "the minister said officials would probably consider new measures against inflation while "
    "critics argue that perhaps nothing will change unless parliament acts quickly according "
    "to sources familiar with the talks"
)
WORDS = _SENTENCE.split()
EXTRAS = ["👍🏽", "قال المتحدث", "e\u0301", "🙂"]
LAYERS = {
    "hedging": ["hedge", "booster"],
    "stance": ["positive", "negative"],
    "attribution": ["source", "cue", "content"],
    "rhetoric": ["irony", "claim"],
}
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22"]


def make_text(rng: random.Random, size: int) -> str:
    paragraphs: list[str] = []
    total = 0
    while total < size:
        sentences = []
        for _ in range(rng.randint(3, 8)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 25))]
            if rng.random() < 0.15:
                words.insert(rng.randrange(len(words)), rng.choice(EXTRAS))
            sentences.append(" ".join(words).capitalize() + ".")
        para = " ".join(sentences)
        paragraphs.append(para)
        total += len(para) + 1
    return "\n".join(paragraphs)


def make_spans(rng: random.Random, text: str, count: int) -> list[Span]:
    labels = [(layer, label) for layer, ls in LAYERS.items() for label in ls]
    spans = []
    n = len(text)
    for pk in range(1, count + 1):
        layer, label = rng.choice(labels)
        start = rng.randrange(n - 1)
        length = min(n - start, int(rng.expovariate(1 / 25)) + 1)
        if rng.random() < 0.03:  # discontinuous
            mid = start + length
            frags: tuple[tuple[int, int], ...] = (
                (start, mid), (min(n - 1, mid + 5), min(n, mid + 5 + rng.randint(1, 10)))
            )
            if frags[1][0] >= frags[1][1]:
                frags = frags[:1]
        else:
            frags = ((start, start + length),)
        spans.append(Span(pk, 1, layer, label, frags))
    return spans


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def repaint(app: QApplication, widget: QPlainTextEdit) -> None:
    widget.viewport().repaint()
    app.processEvents()


def scroll_steps(app: QApplication, widget: QPlainTextEdit, steps: int) -> float:
    bar = widget.verticalScrollBar()
    bar.setValue(0)
    repaint(app, widget)
    t = time.perf_counter()
    for _ in range(steps):
        bar.setValue(bar.value() + bar.pageStep())
        repaint(app, widget)
    return (time.perf_counter() - t) / steps


def bench_view(app, text, spans, colors, steps) -> dict[str, float]:
    view = SpanTextView()
    view.resize(1000, 800)
    view.show()
    app.processEvents()
    r: dict[str, float] = {}
    t = time.perf_counter()
    view.set_document(text, spans, colors)
    repaint(app, view)
    r["open + first paint"] = time.perf_counter() - t
    new = Span(10**6, 1, "hedging", "hedge", ((40, 60),))
    t = time.perf_counter()
    view.add_span(new)
    repaint(app, view)
    r["add span + repaint"] = time.perf_counter() - t
    t = time.perf_counter()
    view.remove_span(new.pk)
    repaint(app, view)
    r["delete span + repaint"] = time.perf_counter() - t
    r["scroll, per page step"] = scroll_steps(app, view, steps)
    view.close()
    return r


def bench_naive(app, text, spans, colors, steps) -> dict[str, float]:
    """One ExtraSelection per span (background in the label colour)."""
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.resize(1000, 800)
    view.show()
    app.processEvents()
    omap = OffsetMap(text)
    r: dict[str, float] = {}

    def selection(span: Span) -> list[QTextEdit.ExtraSelection]:
        out = []
        for s, e in span.fragments:
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(view.document())
            cursor.setPosition(omap.to_utf16(s))
            cursor.setPosition(omap.to_utf16(e), QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            color = QColor(colors[(span.layer, span.label)])
            color.setAlpha(60)
            fmt.setBackground(color)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(QColor(colors[(span.layer, span.label)]))
            sel.cursor, sel.format = cursor, fmt
            out.append(sel)
        return out

    t = time.perf_counter()
    view.setPlainText(text)
    sels = [x for span in spans for x in selection(span)]
    view.setExtraSelections(sels)
    repaint(app, view)
    r["open + first paint"] = time.perf_counter() - t
    new = Span(10**6, 1, "hedging", "hedge", ((40, 60),))
    t = time.perf_counter()
    extra = selection(new)
    view.setExtraSelections(sels + extra)
    repaint(app, view)
    r["add span + repaint"] = time.perf_counter() - t
    t = time.perf_counter()
    view.setExtraSelections(sels)
    repaint(app, view)
    r["delete span + repaint"] = time.perf_counter() - t
    r["scroll, per page step"] = scroll_steps(app, view, steps)
    view.close()
    return r


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0, help="article size in MB of text")
    parser.add_argument("--spans", type=int, default=20000)
    parser.add_argument("--steps", type=int, default=40, help="page steps to scroll")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    rng = random.Random(args.seed)
    text = make_text(rng, int(args.mb * 1_000_000))
    spans = make_spans(rng, text, args.spans)
    labels = sorted({(s.layer, s.label) for s in spans})
    colors = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(labels)}
    print(f"text: {len(text):,} code points, {len(text.encode('utf-8')):,} bytes UTF-8, "
          f"{text.count(chr(10)) + 1:,} paragraphs; spans: {len(spans):,}")
    results = {
        "SpanTextView (index + paintEvent)": bench_view(app, text, spans, colors, args.steps),
        "naive (one ExtraSelection per span)": bench_naive(app, text, spans, colors, args.steps),
    }
    for name, figures in results.items():
        print(name)
        for key, value in figures.items():
            print(f"  {key:<24}{ms(value)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
