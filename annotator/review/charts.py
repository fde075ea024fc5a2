"""Inline SVG charts of the agreement report: no script, no external resource.

* :func:`interval_bars`: one row per layer/label, a bar per coefficient (alpha_U, kappa, AC1)
  from 0 to its value with a whisker over its 95% interval; the axis runs from the lowest value
  or interval end (at most 0) to 1.
* :func:`heatmap`: a layer's token confusion matrix, rows A's labels, columns B's; a cell's
  shade is its share of its row, its text the count.
* :func:`histogram`: the per-document scores in ten equal bins from the lowest score to 1.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

COLORS = {"alpha_u": "#2f6fde", "kappa": "#e07b39", "ac1": "#3a9d5d"}
NAMES = {"alpha_u": "alpha_U", "kappa": "kappa", "ac1": "AC1"}


def _svg(width: int, height: int, label: str, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(label)}" '
            f'font-family="sans-serif" font-size="12">' + "".join(parts) + "</svg>")


Row = tuple[str, dict[str, float | None], dict[str, list[float] | None]]


def interval_bars(rows: Sequence[Row], *, width: int = 720) -> str:
    """``rows``: (name, {coef: value}, {coef: [low, high]}) for coefs alpha_u, kappa, ac1."""
    keys = list(COLORS)
    lows = [0.0]
    for _, values, cis in rows:
        lows += [v for v in values.values() if v is not None]
        lows += [c[0] for c in cis.values() if c]
    lo = max(-1.0, min(lows))
    label_w, row_h, top = 220, 14 * len(keys) + 10, 30
    plot_w = width - label_w - 70
    height = top + row_h * max(1, len(rows)) + 24

    def x(v: float) -> float:
        return label_w + plot_w * (max(lo, min(1.0, v)) - lo) / (1.0 - lo)

    parts = []
    for k, key in enumerate(keys):
        parts.append(f'<rect x="{label_w + 110 * k}" y="6" width="12" height="10" '
                     f'fill="{COLORS[key]}"/><text x="{label_w + 110 * k + 16}" y="15">'
                     f'{NAMES[key]}</text>')
    for tick in (lo, 0.0, 0.5, 1.0):
        if tick < lo:
            continue
        parts.append(f'<line x1="{x(tick):.1f}" y1="{top - 4}" x2="{x(tick):.1f}" '
                     f'y2="{height - 20}" stroke="#d0d7de"/><text x="{x(tick):.1f}" '
                     f'y="{height - 6}" text-anchor="middle">{tick:.2f}</text>')
    for i, (name, values, cis) in enumerate(rows):
        y0 = top + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y0 + row_h / 2 + 4:.1f}" '
                     f'text-anchor="end">{html.escape(name)}</text>')
        for k, key in enumerate(keys):
            y = y0 + 4 + k * 14
            value = values.get(key)
            if value is None:
                parts.append(f'<text x="{x(0):.1f}" y="{y + 10}" fill="#8a8f98">n/a</text>')
                continue
            x0, x1 = sorted((x(0.0), x(value)))
            parts.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(1.0, x1 - x0):.1f}" '
                         f'height="10" fill="{COLORS[key]}"><title>{NAMES[key]} '
                         f'{value:.3f}</title></rect>')
            ci = cis.get(key)
            if ci:
                a, b = x(ci[0]), x(ci[1])
                parts.append(f'<path d="M{a:.1f} {y + 5}H{b:.1f}M{a:.1f} {y + 1}V{y + 9}'
                             f'M{b:.1f} {y + 1}V{y + 9}" stroke="#1f2328" fill="none"/>')
            parts.append(f'<text x="{label_w + plot_w + 6}" y="{y + 10}">{value:.3f}</text>')
    if not rows:
        parts.append(f'<text x="10" y="{top + 15}">No spans on either side.</text>')
    return _svg(width, height, "coefficients per label with 95% intervals", parts)


def heatmap(confusion: dict[str, Any], a: str, b: str, *, cell: int = 44) -> str:
    """The confusion matrix ``{"labels", "counts"}`` of one layer (see the module doc)."""
    labels: list[str] = confusion["labels"]
    counts: list[list[int]] = confusion["counts"]
    left, top = 130, 60
    width = left + cell * len(labels) + 10
    height = top + cell * len(labels) + 10
    parts = [f'<text x="{left}" y="14">columns: {html.escape(b)}; rows: {html.escape(a)}'
             '</text>']
    for j, name in enumerate(labels):
        cx = left + j * cell + cell / 2
        parts.append(f'<text x="{cx:.1f}" y="{top - 8}" text-anchor="middle">'
                     f'{html.escape(name[:7])}</text>')
    for i, name in enumerate(labels):
        total = sum(counts[i]) or 1
        y = top + i * cell
        parts.append(f'<text x="{left - 6}" y="{y + cell / 2 + 4:.1f}" text-anchor="end">'
                     f'{html.escape(name[:16])}</text>')
        for j, n in enumerate(counts[i]):
            share = n / total
            shade = int(255 - 200 * share)
            fill = f"rgb({shade},{shade},255)" if i != j else f"rgb({shade},255,{shade})"
            color = "#fff" if share > 0.6 else "#1f2328"
            parts.append(f'<rect x="{left + j * cell}" y="{y}" width="{cell - 2}" '
                         f'height="{cell - 2}" fill="{fill}"/><text x="{left + j * cell + cell / 2 - 1:.1f}" '
                         f'y="{y + cell / 2 + 4:.1f}" text-anchor="middle" fill="{color}">{n}'
                         '</text>')
    return _svg(width, height, "token confusion matrix", parts)


def histogram(scores: Sequence[float], *, width: int = 480, height: int = 170) -> str:
    """Per-document scores in ten bins (see the module doc)."""
    if not scores:
        return _svg(width, 40, "per-document scores",
                    ['<text x="10" y="24">No document with a defined score.</text>'])
    lo = min(min(scores), 0.0)
    bins = [0] * 10
    for s in scores:
        k = min(9, int((s - lo) / (1.0 - lo) * 10)) if s < 1 else 9
        bins[max(0, k)] += 1
    peak = max(bins)
    left, bottom, plot_h = 40, height - 30, height - 50
    bar_w = (width - left - 10) / 10
    parts = []
    for k, n in enumerate(bins):
        h = plot_h * n / peak
        x = left + k * bar_w
        parts.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar_w - 2:.1f}" '
                     f'height="{h:.1f}" fill="#2f6fde"><title>{n} documents</title></rect>')
        if n:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{bottom - h - 3:.1f}" '
                         f'text-anchor="middle">{n}</text>')
    for k in range(0, 11, 5):
        v = lo + (1.0 - lo) * k / 10
        parts.append(f'<text x="{left + k * bar_w:.1f}" y="{height - 12}" '
                     f'text-anchor="middle">{v:.2f}</text>')
    return _svg(width, height, "per-document scores", parts)
