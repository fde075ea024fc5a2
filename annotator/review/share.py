"""An agreement report to share: one self-contained HTML page, or a CSV table.

Contract: :func:`write_report` picks the kind from the file extension (``.html``/``.htm`` or
``.csv``; anything else is refused). The HTML has no external resource: styles inline, the
per-label chart as inline SVG (F1 exact and F1 overlap bars per layer/label). The CSV has one row
per layer and per label (``layer, label, spans_a, spans_b, f1_exact, f1_overlap, kappa,
alpha``; the layer's own row has an empty label); numbers at full precision (the shortest text
that reads back as the same float), undefined values empty cells. Cells that
a spreadsheet would take for a formula are prefixed with ``'``. The file is written atomically.
"""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from annotator.core.atomic import export_target
from annotator.core.errors import AnnotatorError
from annotator.review import charts
from annotator.review.agreement import AgreementResult, LabelAgreement, LayerAgreement, kappa_of
from annotator.review.measures import worst_first
from annotator.review.methods import methods_paragraph

COLUMNS = ("layer", "label", "spans_a", "spans_b", "f1_exact", "f1_overlap", "kappa", "alpha")
MEASURES = ("alpha_u", "gamma", "ac1", "f1_boundary")
CI_OF = ("kappa", "alpha", "ac1", "alpha_u", "gamma", "f1_exact", "f1_overlap", "f1_boundary")
EXTRA = (*MEASURES, *(f"{k}_{end}" for k in CI_OF for end in ("low", "high")), "pair")
BAR_EXACT, BAR_OVERLAP = "#2f6fde", "#9bbcf0"


def rows(result: AgreementResult) -> list[tuple[str, str, int, int, float | None, float | None,
                                                float | None, float | None]]:
    """One row per layer (label "") and per label, in the order of :data:`COLUMNS`."""
    out = []
    for name, la in result.layers.items():
        out.append(_row(name, "", la))
        for lname, lab in la.labels.items():
            out.append(_row(name, lname, lab))
    return out


def _row(layer: str, label: str, x: LayerAgreement | LabelAgreement):  # noqa: ANN202
    if isinstance(x, LayerAgreement):
        return (layer, label, x.spans_a, x.spans_b, x.f1_exact, x.f1_overlap, x.kappa, x.alpha)
    return (layer, label, x.exact.n_a, x.exact.n_b, x.f1_exact, x.f1_overlap,
            kappa_of(x.tokens), x.tokens.alpha)


def _safe_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # full precision: the shortest text that reads back the same float
    text = str(value)
    if text and text[0] in "=+-@\t\r\n\0":
        return "'" + text
    return text


def _extra(result: AgreementResult, layer: str, label: str) -> list[object]:
    m = result.measures
    lm = m.layers.get(layer) if m is not None else None
    if lm is None:
        return [None] * (len(EXTRA) - 1)
    if label:
        entry = lm.labels.get(label, {})
        values = [entry.get("alpha_u"), None, entry.get("ac1"), entry.get("f1_boundary")]
        ci = entry.get("ci", {})
    else:
        values = [lm.alpha_u, lm.gamma.gamma, lm.ac1, lm.f1_boundary]
        ci = lm.ci
    for key in CI_OF:
        pair = ci.get(key)
        values += list(pair) if pair else [None, None]
    return values


def to_csv(result: AgreementResult) -> str:
    """The CSV report; pairs of 3+ coders follow, their ``pair`` column saying which."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow((*COLUMNS, *EXTRA))
    for res, pair in ((result, ""), *((p, "/".join(p.annotators)) for p in result.pairs)):
        for r in rows(res):
            w.writerow([_safe_cell(v) for v in (*r, *_extra(res, r[0], r[1]), pair)])
    return buf.getvalue()


def chart_svg(result: AgreementResult, *, width: int = 640) -> str:
    """Horizontal bars of F1 exact and F1 overlap per label, grouped by layer."""
    items = [(f"{layer} / {label}", lab.f1_exact, lab.f1_overlap)
             for layer, la in result.layers.items() for label, lab in la.labels.items()]
    row_h, label_w, top = 26, 210, 28
    height = top + row_h * max(1, len(items)) + 10
    bar_w = width - label_w - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="F1 per label" '
             'font-family="sans-serif" font-size="12">',
             f'<rect x="{label_w}" y="6" width="12" height="10" fill="{BAR_EXACT}"/>'
             f'<text x="{label_w + 16}" y="15">F1 exact</text>'
             f'<rect x="{label_w + 90}" y="6" width="12" height="10" fill="{BAR_OVERLAP}"/>'
             f'<text x="{label_w + 106}" y="15">F1 overlap</text>']
    for i, (name, exact, overlap) in enumerate(items):
        y = top + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
                     f'{html.escape(name)}</text>')
        for k, (value, color) in enumerate(((exact, BAR_EXACT), (overlap, BAR_OVERLAP))):
            w = 0 if value is None else round(bar_w * max(0.0, min(1.0, value)))
            parts.append(f'<rect x="{label_w}" y="{y + 2 + k * 10}" width="{w}" height="9" '
                         f'fill="{color}"/>')
        shown = "n/a" if exact is None else f"{exact:.2f}"
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 15}">{shown}</text>')
    if not items:
        parts.append(f'<text x="10" y="{top + 15}">No spans on either side.</text>')
    parts.append("</svg>")
    return "".join(parts)


def _documents_html(result: AgreementResult) -> str:
    if not result.files:
        a, b = result.annotators[0], result.annotators[1]
        return (f"Documents: {result.matched} matched, {result.only_a} only in "
                f"{html.escape(a)}, {result.only_b} only in {html.escape(b)}.")
    parts = [f"Documents: {result.matched} matched by every file."]
    for f in result.files:
        others = ", ".join(f"{n} by {html.escape(name)}" for name, n in f.matched_with.items())
        parts.append(f"<br>{html.escape(f.annotator)}: {f.documents} documents, "
                     f"{f.matched_all} matched by all; {others}.")
    return "\n".join(parts)


def to_html(result: AgreementResult, *, title: str = "Agreement report") -> str:
    a, b = result.annotators[0], result.annotators[1]

    def cell(v: object) -> str:
        if v is None:
            return "<td class=na>n/a</td>"
        if isinstance(v, float):
            return f"<td>{v:.3f}</td>"
        if isinstance(v, int):
            return f"<td>{v}</td>"
        return f"<td class=name>{html.escape(str(v))}</td>"

    body = []
    for layer, label, *vals in rows(result):
        cls = ' class="layer"' if not label else ""
        body.append(f"<tr{cls}>" + cell(layer if not label else "\u2003" + label)
                    + "".join(cell(v) for v in vals) + "</tr>")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in
                   ("layer / label", f"spans {a}", f"spans {b}", "F1 exact", "F1 overlap",
                    "kappa", "alpha"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #1f2328; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border-bottom: 1px solid #d0d7de; padding: 4px 10px; text-align: right; }}
td.name, th:first-child {{ text-align: left; }}
tr.layer td {{ font-weight: bold; background: #f6f8fa; }}
td.na {{ color: #8a8f98; }}
p.methods {{ max-width: 48em; line-height: 1.45; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>Annotators: {html.escape(", ".join(result.annotators))}.
{_documents_html(result)}</p>
<table><thead><tr>{head}</tr></thead><tbody>
{chr(10).join(body)}
</tbody></table>
<h2>F1 per label</h2>
{chart_svg(result)}
{_measures_html(result)}
<h2>Methods</h2>
<p class=methods>{html.escape(methods_paragraph(result))}</p>
<p><small>Exact: same fragments and label. Overlap: same label, one shared character.
Kappa and alpha over tokens. n/a: undefined.</small></p>
</body></html>
"""


def report_kind(path: str | Path) -> str:
    """"html" or "csv" from the file name; AnnotatorError for anything else."""
    suffix = Path(path).suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    if suffix == ".csv":
        return "csv"
    raise AnnotatorError("a report must end in .html, .htm or .csv", path=path)


def _fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def _ci(v: list[float] | None) -> str:
    return "" if v is None else f" [{v[0]:.3f}, {v[1]:.3f}]"


def _measures_html(result: AgreementResult) -> str:
    m = result.measures
    if m is None or not (m.layers or m.document_layers):
        return ""
    a, b = result.annotators[0], result.annotators[1]
    out = ["<h2>Span measures with 95% intervals</h2><table><thead><tr><th>layer</th>"
           "<th>alpha_U</th><th>gamma</th><th>kappa</th><th>AC1</th><th>F1 boundary</th>"
           "<th>gamma samples (seed; sd of expected disorder)</th></tr></thead><tbody>"]
    bars: list[charts.Row] = []
    for name, lm in m.layers.items():
        la = result.layers[name]
        g = lm.gamma
        out.append(f"<tr><td class=name>{html.escape(name)}</td>"
                   f"<td>{_fmt(lm.alpha_u)}{_ci(lm.ci.get('alpha_u'))}</td>"
                   f"<td>{_fmt(g.gamma)}{_ci(lm.ci.get('gamma'))}</td>"
                   f"<td>{_fmt(la.kappa)}{_ci(lm.ci.get('kappa'))}</td>"
                   f"<td>{_fmt(lm.ac1)}{_ci(lm.ci.get('ac1'))}</td>"
                   f"<td>{_fmt(lm.f1_boundary)}{_ci(lm.ci.get('f1_boundary'))}</td>"
                   f"<td>{g.samples} ({g.seed}; {_fmt(g.expected_sd)})</td></tr>")
        for label, entry in lm.labels.items():
            lab = la.labels.get(label)
            kappa = kappa_of(lab.tokens) if lab is not None else None
            bars.append((f"{name} / {label}", {"alpha_u": entry["alpha_u"], "kappa": kappa,
                                               "ac1": entry["ac1"]}, entry["ci"]))
    out.append("</tbody></table><h2>Per label, with 95% intervals</h2>")
    out.append(charts.interval_bars(bars))
    out.append("<h2>Where A and B differ: tokens per label</h2>")
    for name, lm in m.layers.items():
        out.append(f"<h3>{html.escape(name)}</h3>" + charts.heatmap(lm.confusion, a, b))
    if m.document_layers:
        out.append("<h2>Labels of whole documents</h2><table><thead><tr><th>layer</th>"
                   "<th>documents (labelled)</th><th>kappa</th><th>alpha</th><th>AC1</th>"
                   "</tr></thead><tbody>")
        for name, e in m.document_layers.items():
            out.append(f"<tr><td class=name>{html.escape(name)}</td><td>{e['documents']} "
                       f"({e['labelled']})</td><td>{_fmt(e['kappa'])}{_ci(e['ci']['kappa'])}"
                       f"</td><td>{_fmt(e['alpha'])}{_ci(e['ci']['alpha'])}</td>"
                       f"<td>{_fmt(e['ac1'])}{_ci(e['ci']['ac1'])}</td></tr>")
        out.append("</tbody></table>")
    scores = [d.score for d in m.documents if d.score is not None]
    out.append("<h2>Per document: mean alpha_U of its layers</h2>" + charts.histogram(scores))
    worst = worst_first(m.documents, 10)
    out.append("<table><thead><tr><th>document (worst first)</th><th>score</th></tr></thead>"
               "<tbody>" + "".join(f"<tr><td class=name>{html.escape(d.name)}</td>"
                                   f"<td>{_fmt(d.score)}</td></tr>" for d in worst)
               + "</tbody></table>")
    return "\n".join(out)


def write_report(path: str | Path, result: AgreementResult) -> None:
    out = Path(path)
    content = to_html(result) if report_kind(out) == "html" else to_csv(result)
    with export_target(out, directory=False) as tmp:
        tmp.write_text(content, encoding="utf-8", newline="")
