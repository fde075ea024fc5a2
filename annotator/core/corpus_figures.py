"""The corpus at a glance: the numbers behind the dashboard's charts (no Qt, no plotting).

:func:`summarise` reads a project once (documents streamed in chunks) into a
:class:`CorpusSummary`; the figure functions turn it into :class:`Figure` objects: categories,
one or more series of values, and for every bar the query whose hits are exactly the spans it
counts (the dashboard opens it in the concordance), so a bar and its concordance always agree.

* :func:`label_counts`: spans per layer (or per label of one layer) per document, or per value
  of a document metadata key (``outlet``, ``source``…; a date-like key is grouped by month);
* :func:`hedging_density`: hedge cues per 1,000 words (words: whitespace-separated) per group;
* :func:`source_ranking`: attributed sources (``attribution:source`` spans) by their text,
  compared without case and with runs of white space as one;
* :func:`stance_by_holder_target`: ``stance:stance`` spans per holder → target, by polarity; an
  unset holder or target is its own group "(not set)".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.core.query.engine import as_text
from annotator.core.query.reading import span_counts
from annotator.core.query.stream import stream_documents

if TYPE_CHECKING:
    from annotator.core.project import Project

NOT_SET = "(not set)"
HEDGE = ("hedging", "hedge")
SOURCE = ("attribution", "source")
STANCE = ("stance", "stance")
_MONTH = re.compile(r"^\d{4}-\d{2}")
_KEY = re.compile(r"^[A-Za-z_]\w*$")
_KEPT = 100_000  # stored attributes remembered per summary (their answers repeat)


@dataclass
class DocSummary:
    name: str
    meta: dict[str, Any]
    words: int
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)


@dataclass
class CorpusSummary:
    documents: list[DocSummary] = field(default_factory=list)
    layers: dict[str, list[str]] = field(default_factory=dict)  # layer -> labels seen, in order
    sources: Counter[str] = field(default_factory=Counter)  # normalised text -> spans
    source_shown: dict[str, Counter[str]] = field(default_factory=dict)  # its spellings
    stances: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # holder, target, pol

    def meta_keys(self) -> list[str]:
        """Metadata keys a chart can group by (those a query can name), most common first
        (ties: in the order met, which is by name as metadata is stored)."""
        seen: Counter[str] = Counter(k for d in self.documents for k in d.meta
                                     if _KEY.match(k) and k not in ("id", "title", "status"))
        return [k for k, _ in seen.most_common()]


@dataclass
class Series:
    name: str
    values: list[float]
    queries: list[str | None]


@dataclass
class Figure:
    key: str
    title: str
    x_label: str
    y_label: str
    categories: list[str]
    series: list[Series]
    stacked: bool = True
    shown: int = 30  # the chart draws the first ``shown`` categories; the table has them all

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """One row per category and series: ``category, series, value, query``."""
        rows: list[list[Any]] = []
        for i, category in enumerate(self.categories):
            for s in self.series:
                rows.append([category, s.name, s.values[i], s.queries[i] or ""])
        return ["category", "series", "value", "query"], rows


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def summarise(project: Project) -> CorpusSummary:
    """Every number the figures need, in one streamed pass over the project."""
    out = CorpusSummary()
    for lay in project.tagset.layers:
        if getattr(lay, "scope", "span") != "document":  # those label documents, not spans
            out.layers[lay.name] = [lab.name for lab in lay.labels]
    counts = span_counts(project)
    spelled: dict[str, str] = {}  # a source's text -> its spelling (white space runs as one)
    stances: dict[str, tuple[str, str, str]] = {}  # stored attributes -> holder, target, pol
    for doc in stream_documents(project, selectors=[SOURCE, STANCE]):
        d = DocSummary(doc.name, doc.meta, doc.words(), Counter(counts.get(doc.pk, {})))
        for layer, label in sorted(d.counts):
            labels = out.layers.setdefault(layer, [])
            if label not in labels:
                labels.append(label)
        for r in doc.rows:  # rows, not span objects: sources are many, their texts repeat
            if (r[2], r[3]) == SOURCE:
                text = doc.text_of(r)
                shown = spelled.get(text)
                if shown is None:
                    shown = spelled[text] = " ".join(text.split())
                key = shown.lower()  # compared without case
                out.sources[key] += 1
                out.source_shown.setdefault(key, Counter())[shown] += 1
            elif (r[2], r[3]) == STANCE:
                stance = stances.get(r[7]) if type(r[7]) is str else None
                if stance is None:
                    a = doc.attributes(r)
                    stance = (_attr(a.get("holder")), _attr(a.get("target")),
                              _attr(a.get("polarity")))
                    if type(r[7]) is str and len(stances) < _KEPT:
                        stances[r[7]] = stance
                out.stances[stance] += 1
        out.documents.append(d)
    return out


def _attr(value: Any) -> str:
    text = as_text(value)[0]
    return text if text else NOT_SET


def _cond(name: str, value: str) -> str:
    return f"{name} = {quote('' if value == NOT_SET else value)}"


# ---------------------------------------------------------------------------- grouping
def groups(summary: CorpusSummary, by: str) -> tuple[list[str], list[list[DocSummary]], list[str]]:
    """Categories, their documents and the query condition selecting each, grouping by
    ``"document"`` or by a metadata key (by month when every value of it looks like a date)."""
    if by == "document":
        return ([d.name for d in summary.documents], [[d] for d in summary.documents],
                [f"doc.id = {quote(d.name)}" for d in summary.documents])
    values = {d.name: as_text(d.meta.get(by)) for d in summary.documents}
    monthly = all(_MONTH.match(v) for vs in values.values() for v in vs if v)
    members: dict[str, list[DocSummary]] = {}
    for d in summary.documents:
        for v in values[d.name]:
            members.setdefault(v[:7] if monthly and v else v, []).append(d)
    names = sorted(members, key=lambda v: (v == "", v))
    conds = [f"doc.{by} ~ /^{re.escape(v)}/" if monthly and v else f"doc.{by} = {quote(v)}"
             for v in names]
    return [v or NOT_SET for v in names], [members[v] for v in names], conds


def label_counts(summary: CorpusSummary, by: str = "document", layer: str | None = None
                 ) -> Figure:
    """Spans per layer (``layer`` None) or per label of ``layer``, per group."""
    categories, members, conds = groups(summary, by)
    keys = ([(lay, None) for lay in summary.layers] if layer is None
            else [(layer, lab) for lab in summary.layers.get(layer, [])])
    series = []
    for lay, lab in keys:
        values: list[float] = []
        for docs in members:
            values.append(sum(n for d in docs for (a, b), n in d.counts.items()
                              if a == lay and (lab is None or b == lab)))
        pattern = f"{lay}:{lab or '*'}"
        series.append(Series(lab or lay, values, [f"{pattern} where {c}" for c in conds]))
    series = [s for s in series if any(s.values)]
    order = list(range(len(categories)))
    if by == "document":  # the busiest documents first: a chart shows the first ones
        totals = [sum(s.values[i] for s in series) for i in order]
        order.sort(key=lambda i: -totals[i])
    what = "layer" if layer is None else f"label of {layer}"
    return _reordered(Figure(
        f"labels-{by}", f"Spans per {what}, per {by}", by, "spans",
        categories, series), order)


def _reordered(fig: Figure, order: list[int]) -> Figure:
    fig.categories = [fig.categories[i] for i in order]
    for s in fig.series:
        s.values = [s.values[i] for i in order]
        s.queries = [s.queries[i] for i in order]
    return fig


def hedging_density(summary: CorpusSummary, by: str = "document") -> Figure:
    """Hedge cues per 1,000 words in each group (0 for a group without words)."""
    categories, members, conds = groups(summary, by)
    values: list[float] = []
    for docs in members:
        words = sum(d.words for d in docs)
        hedges = sum(d.counts[HEDGE] for d in docs)
        values.append(1000 * hedges / words if words else 0.0)
    fig = Figure(f"hedging-{by}", f"Hedge cues per 1,000 words, per {by}", by,
                 "hedges per 1,000 words", categories,
                 [Series("hedges per 1,000 words", values,
                         [f"hedging:hedge where {c}" for c in conds])], stacked=False)
    if by == "document":
        fig = _reordered(fig, sorted(range(len(categories)), key=lambda i: -values[i]))
    return fig


def source_ranking(summary: CorpusSummary, top: int = 20) -> Figure:
    """The most often attributed sources, by their text."""
    ranked = sorted(summary.sources.items(), key=lambda kv: (-kv[1], kv[0]))
    names, values, queries = [], [], []
    for key, n in ranked:
        names.append(summary.source_shown[key].most_common(1)[0][0])
        regex = r"\s+".join(re.escape(w) for w in key.split()).replace("/", r"\/")
        queries.append(f"attribution:source where text ~ /^\\s*{regex}\\s*$/i")
        values.append(float(n))
    return Figure("sources", "Attributed sources", "source", "mentions", names,
                  [Series("mentions", values, list(queries))], stacked=False, shown=top)


def stance_by_holder_target(summary: CorpusSummary, top: int = 15) -> Figure:
    """Stance expressions per "holder → target", one series per polarity."""
    pairs: Counter[tuple[str, str]] = Counter()
    polarities: list[str] = []
    for (holder, target, polarity), n in summary.stances.items():
        pairs[(holder, target)] += n
        if polarity not in polarities:
            polarities.append(polarity)
    order = sorted(pairs, key=lambda p: (-pairs[p], p))
    polarities.sort(key=lambda p: (p == NOT_SET, p))
    series = []
    for pol in polarities:
        values: list[float] = [float(summary.stances[(h, t, pol)]) for h, t in order]
        queries: list[str | None] = [
            f"stance:stance where {_cond('holder', h)} and {_cond('target', t)} and "
            f"{_cond('polarity', pol)}" for h, t in order]
        series.append(Series(pol, values, queries))
    return Figure("stance", "Stance by holder and target", "holder → target", "stances",
                  [f"{h} → {t}" for h, t in order], series, shown=top)
