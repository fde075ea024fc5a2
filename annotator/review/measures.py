"""The span measures beside the token ones: alpha_U, gamma, AC1, boundary F1, confusion, CIs.

Contract (the definitions are in :mod:`unitizing`, :mod:`gamma`, :mod:`resample`):

* Computed per layer over the matched documents of an :class:`AgreementResult` (the same
  documents, in the same order). Units: every **fragment** of a span is a unit of its label.
  alpha_U merges a coder's overlapping units of one label (touching ones stay apart); gamma
  takes the fragments as they are (it aligns overlapping units itself).
* ``f1_boundary``: a span of A and one of B match when they have the same layer and label and
  the Jaccard overlap of their code points (all fragments) is at least ``jaccard`` (default
  0.5); one to one, the pairs with the highest Jaccard first (ties: A's then B's order);
  ``F1 = 2 matched / (|A| + |B|)``, undefined with no span on either side.
* ``confusion``: token counts, rows A's label, columns B's label (labels in name order, then
  ``"none"``), from the token table of the token coefficients.
* Like span F1, ``f1_boundary`` and ``confusion`` compare the first two annotators (A and B);
  alpha_U, gamma and the token coefficients use every annotator.
* ``ci``: 95% percentile bootstrap over documents (:mod:`resample`), ``seed``; gamma's expected
  disorder is held fixed in the replicates (only the observed disorder is resampled), so its
  interval leaves out the sampling spread of the chance model, reported beside it
  (``expected_sd``).
* Per document: alpha_U, gamma (its observed disorder against the layer's expected one), AC1,
  boundary F1 and kappa of that document alone; the document's ``score`` is the mean of its
  layers' defined alpha_U (None when none is defined); :func:`worst_first` orders by it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.core.model import SpanRecord
from annotator.review import resample, unitizing
from annotator.review.gamma import GammaResult, corpus_gamma
from annotator.review.metrics import ExactCounts
from annotator.review.tokens_agreement import NONE

JACCARD = 0.5

if TYPE_CHECKING:
    from annotator.review.agreement import AgreementResult, MatchedDocument


@dataclass(frozen=True)
class LayerMeasures:
    alpha_u: float | None
    gamma: GammaResult
    ac1: float | None
    f1_boundary: float | None
    confusion: dict[str, Any]
    ci: dict[str, list[float] | None]
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentMeasures:
    name: str
    layers: dict[str, dict[str, float | None]]
    score: float | None


@dataclass(frozen=True)
class Measures:
    seed: int
    jaccard: float
    replicates: int
    layers: dict[str, LayerMeasures]
    documents: list[DocumentMeasures]


def _cover(span: SpanRecord) -> list[tuple[int, int]]:
    return unitizing.merge_units(span.fragments)


def _jaccard(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> float:
    inter = 0
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            inter += hi - lo
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    union = sum(e - s for s, e in a) + sum(e - s for s, e in b) - inter
    return inter / union if union else 0.0


def boundary_counts(spans_a: Sequence[SpanRecord], spans_b: Sequence[SpanRecord],
                    threshold: float = JACCARD) -> dict[str, ExactCounts]:
    """Boundary-tolerant matches per label (spans of one layer; see the module doc)."""
    by_label_b: dict[str, list[int]] = defaultdict(list)
    for j, s in enumerate(spans_b):
        by_label_b[s.label].append(j)
    cover_a = [_cover(s) for s in spans_a]
    cover_b = [_cover(s) for s in spans_b]
    candidates: list[tuple[float, int, int]] = []
    for i, s in enumerate(spans_a):
        if not cover_a[i]:
            continue
        for j in by_label_b.get(s.label, ()):
            if not cover_b[j] or cover_b[j][0][0] >= cover_a[i][-1][1] \
                    or cover_b[j][-1][1] <= cover_a[i][0][0]:
                continue
            jac = _jaccard(cover_a[i], cover_b[j])
            if jac >= threshold and jac > 0:
                candidates.append((-jac, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    hits: Counter[str] = Counter()
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            hits[spans_a[i].label] += 1
    n_a = Counter(s.label for s in spans_a)
    n_b = Counter(s.label for s in spans_b)
    return {k: ExactCounts(n_a[k], n_b[k], hits[k]) for k in n_a | n_b}


def confusion(table: dict[tuple[Any, ...], int]) -> dict[str, Any]:
    """A x B token confusion matrix of a layer's token table (see the module doc)."""
    seen = {v for row in table for v in row[:2] if v is not None}
    labels = sorted(seen - {NONE}) + [NONE]
    pos = {k: i for i, k in enumerate(labels)}
    counts = [[0] * len(labels) for _ in labels]
    for row, n in table.items():
        a, b = row[0], row[1]
        if a is not None and b is not None:
            counts[pos[a]][pos[b]] += n
    return {"labels": labels, "counts": counts}


def _f1(c: ExactCounts) -> float | None:
    return c.f1


class _Layer:
    """Everything per document needed for one layer's measures and their bootstrap."""

    def __init__(self, name: str, docs: Sequence[MatchedDocument], result: AgreementResult,
                 jaccard: float) -> None:
        self.name = name
        coders = len(result.annotators)
        self.coders = coders
        self.lengths = [len(d.text) for d in docs]
        self.spans = [[[s for s in side.spans if s.layer == name] for side in d.sides]
                      for d in docs]
        self.tables = [d.layers[name].token_table for d in result.documents]
        labels = sorted({s.label for doc in self.spans for side in doc for s in side})
        self.labels = labels
        # per label, per document: merged units per coder
        self.units = {label: [[unitizing.merge_units(f for s in side if s.label == label
                                                      for f in s.fragments)
                                for side in doc] for doc in self.spans] for label in labels}
        self.boundary = [boundary_counts(doc[0], doc[1], jaccard) for doc in self.spans]
        self.exact = [d.layers[name].exact for d in result.documents]
        self.overlap = [d.layers[name].overlap for d in result.documents]
        self.label_exact = [{k: v.exact for k, v in d.layers[name].labels.items()}
                            for d in result.documents]
        self.label_overlap = [{k: v.overlap for k, v in d.layers[name].labels.items()}
                              for d in result.documents]

    def alpha_u(self, docs: Sequence[int] | None = None) -> tuple[float | None,
                                                                 dict[str, float | None]]:
        idx = range(len(self.lengths)) if docs is None else docs
        terms = {label: unitizing.corpus_terms([(self.units[label][d], self.lengths[d])
                                                for d in idx]) for label in self.labels}
        if not terms:
            return None, {}
        n = len(terms)
        d_o = sum(t.observed for t in terms.values()) / n
        d_e = sum(t.expected for t in terms.values()) / n
        return unitizing.alpha_of(d_o, d_e), {k: t.alpha for k, t in terms.items()}

    def continua(self) -> list[list[list[tuple[float, float, str]]]]:
        return [[[(float(a), float(b), s.label) for s in side for a, b in s.fragments]
                 for side in doc] for doc in self.spans]


def _alpha_u_boot(layer: _Layer, label: str, w: Any) -> tuple[Any, Any]:
    """Replicate D_O and D_E of one label (floats; see :func:`unitizing.corpus_terms`)."""
    import numpy as np

    r = layer.coders
    obs = np.array([unitizing.pair_observed(layer.units[label][d], n)
                    for d, n in enumerate(layer.lengths)], dtype=np.float64)
    lengths = np.array(layer.lengths, dtype=np.float64)
    unit_len, unit_doc, gap_len, gap_doc = [], [], [], []
    for d, n in enumerate(layer.lengths):
        for units in layer.units[label][d]:
            for s, e in units:
                unit_len.append(e - s)
                unit_doc.append(d)
            for g in unitizing.gaps_of(units, n):
                gap_len.append(g)
                gap_doc.append(d)
    ul = np.array(unit_len, dtype=np.float64)
    ud = np.array(unit_doc, dtype=np.int64)
    order = np.argsort(np.array(gap_len, dtype=np.float64), kind="stable")
    gl = np.array(gap_len, dtype=np.float64)[order]
    gd = np.array(gap_doc, dtype=np.int64)[order]
    k = np.searchsorted(gl, ul, side="left")
    f = (2 * ul ** 3 - 3 * ul ** 2 + ul) / 3
    sq = ul * (ul - 1)

    def block(wb: Any) -> Any:
        total_len = wb @ lengths
        d_o = 2 * (wb @ obs) / (r * (r - 1) * total_len ** 2)
        wu = wb[:, ud]
        n_c = wu.sum(axis=1)
        wg = wb[:, gd]
        s0 = np.concatenate([np.cumsum(wg[:, ::-1], axis=1)[:, ::-1],
                             np.zeros((wb.shape[0], 1))], axis=1)
        s1 = np.concatenate([np.cumsum((wg * gl)[:, ::-1], axis=1)[:, ::-1],
                             np.zeros((wb.shape[0], 1))], axis=1)
        t2 = (wu * ul ** 2 * (s1[:, k] - (ul - 1) * s0[:, k])).sum(axis=1)
        t1 = (n_c - 1) * (wu * f).sum(axis=1)
        den = r * total_len * (r * total_len - 1) - (wu * sq).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            d_e = np.where(den > 0, (t1 + t2) * 2 / total_len / den, 0.0)
        return np.stack([d_o, d_e], axis=1)

    both = resample.chunked(w, block)
    return both[:, 0], both[:, 1]


def _ratio_alpha(d_o: Any, d_e: Any) -> Any:
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        a = 1 - d_o / d_e
    return np.where(d_e > 0, np.where(d_o == d_e, 0.0, a), np.nan)


def _counts(rows: Sequence[ExactCounts | None]) -> Any:
    import numpy as np

    return np.array([[c.n_a, c.n_b, c.matched] if c else [0, 0, 0] for c in rows],
                    dtype=np.float64)


def _ocounts(rows: Sequence[Any]) -> Any:
    import numpy as np

    return np.array([[c.n_a, c.n_b, c.found_a, c.found_b] if c else [0, 0, 0, 0]
                     for c in rows], dtype=np.float64)


def _layer_measures(layer: _Layer, w: Any, seed: int, gamma_samples: int,
                    ) -> tuple[LayerMeasures, list[dict[str, float | None]]]:
    import numpy as np

    tables = resample.TokenTables(layer.tables, layer.coders)
    full = np.ones((1, len(layer.lengths)))
    point = tables.coefficients(tables.totals(full))
    boot = tables.coefficients(resample.chunked(w, tables.totals))
    alpha_u, label_alpha_u = layer.alpha_u()
    g = corpus_gamma(layer.continua(), seed=seed, samples=gamma_samples)
    sums = np.array(g.per_document or [0.0] * len(layer.lengths))
    units = np.array([sum(len(f.fragments) for side in doc for f in side)
                      for doc in layer.spans], dtype=np.float64)
    boundary_total = [sum(c.values(), ExactCounts()) for c in layer.boundary]
    ci: dict[str, list[float] | None] = {
        "kappa": resample.interval(boot["kappa"]),
        "alpha": resample.interval(boot["alpha"]),
        "ac1": resample.interval(boot["ac1"]),
        "f1_exact": resample.interval(resample.f1_exact(w @ _counts(layer.exact))),
        "f1_overlap": resample.interval(resample.f1_overlap(w @ _ocounts(layer.overlap))),
        "f1_boundary": resample.interval(resample.f1_exact(w @ _counts(boundary_total))),
    }
    d_o_sum: Any = 0.0
    d_e_sum: Any = 0.0
    labels: dict[str, dict[str, Any]] = {}
    for label in layer.labels:
        d_o, d_e = _alpha_u_boot(layer, label, w)
        d_o_sum = d_o_sum + d_o
        d_e_sum = d_e_sum + d_e
        lp = tables.coefficients(tables.totals(full), label)
        lb = tables.coefficients(resample.chunked(w, tables.totals), label)
        bcounts = [c.get(label) for c in layer.boundary]
        bc = sum((c for c in bcounts if c), ExactCounts())
        labels[label] = {
            "alpha_u": label_alpha_u.get(label),
            "ac1": resample.value(lp["ac1"]),
            "f1_boundary": bc.f1,
            "ci": {
                "kappa": resample.interval(lb["kappa"]),
                "alpha": resample.interval(lb["alpha"]),
                "ac1": resample.interval(lb["ac1"]),
                "alpha_u": resample.interval(_ratio_alpha(d_o, d_e)),
                "f1_exact": resample.interval(resample.f1_exact(
                    w @ _counts([c.get(label) for c in layer.label_exact]))),
                "f1_overlap": resample.interval(resample.f1_overlap(
                    w @ _ocounts([c.get(label) for c in layer.label_overlap]))),
                "f1_boundary": resample.interval(resample.f1_exact(w @ _counts(bcounts))),
            },
        }
    ci["alpha_u"] = resample.interval(_ratio_alpha(d_o_sum, d_e_sum)) if labels else None
    if g.expected:
        with np.errstate(divide="ignore", invalid="ignore"):
            ci["gamma"] = resample.interval(
                1 - ((w @ sums) / ((w @ units) / layer.coders)) / g.expected)
    else:
        ci["gamma"] = None
    bsum = sum(boundary_total, ExactCounts())
    whole = LayerMeasures(alpha_u, g, resample.value(point["ac1"]), bsum.f1,
                          confusion(dict(sum((Counter(t) for t in layer.tables), Counter()))),
                          ci, labels)
    per_doc = []
    for d in range(len(layer.lengths)):
        one = tables.coefficients(tables.matrix[d:d + 1])
        au, _ = layer.alpha_u([d])
        per_doc.append({
            "alpha_u": au,
            "gamma": g.gamma_of(float(sums[d]), units[d] / layer.coders),
            "ac1": resample.value(one["ac1"]),
            "kappa": resample.value(one["kappa"]),
            "f1_boundary": boundary_total[d].f1,
        })
    return whole, per_doc


def compute_measures(result: AgreementResult, docs: Sequence[MatchedDocument], *,
                     seed: int = 0, jaccard: float = JACCARD,
                     replicates: int = resample.BOOTSTRAP,
                     gamma_samples: int = 30) -> Measures:
    """The measures of every layer of ``result`` (computed over ``docs``, its documents)."""
    if not 0 < jaccard <= 1:
        raise ValueError("the Jaccard threshold must be in (0, 1]")
    w = resample.weights(len(docs), seed, replicates) if docs else None
    layers: dict[str, LayerMeasures] = {}
    per_doc: list[dict[str, dict[str, float | None]]] = [{} for _ in docs]
    for name in result.layers:
        if w is None:
            break
        lm, rows = _layer_measures(_Layer(name, docs, result, jaccard), w, seed, gamma_samples)
        layers[name] = lm
        for d, row in enumerate(rows):
            per_doc[d][name] = row
    documents = []
    for doc, rows in zip(docs, per_doc, strict=True):
        defined = [r["alpha_u"] for r in rows.values() if r["alpha_u"] is not None]
        documents.append(DocumentMeasures(doc.name, rows,
                                          sum(defined) / len(defined) if defined else None))
    return Measures(seed, jaccard, replicates, layers, documents)


def worst_first(documents: Sequence[DocumentMeasures]) -> list[DocumentMeasures]:
    """Lowest score first; documents without a defined score last (in their order)."""
    return sorted(documents, key=lambda d: (d.score is None, d.score or 0.0))
