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
from typing import TYPE_CHECKING, Any, cast

from annotator.core.model import SpanRecord
from annotator.review import resample, unitizing
from annotator.review.gamma import GammaResult, corpus_gamma
from annotator.review.metrics import ExactCounts
from annotator.review.slim_spans import SpanColumns
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
    document_layers: dict[str, dict[str, Any]] = field(default_factory=dict)


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


def _of_layer(spans: Sequence[SpanRecord], name: str) -> list[SpanRecord]:
    if isinstance(spans, SpanColumns):  # the slim copy of a streamed comparison
        return cast(list[SpanRecord], spans.of_layer(name))
    return [s for s in spans if s.layer == name]


class _Layer:
    """Everything per document needed for one layer's measures and their bootstrap."""

    def __init__(self, name: str, docs: Sequence[MatchedDocument], result: AgreementResult,
                 jaccard: float) -> None:
        self.name = name
        coders = len(result.annotators)
        self.coders = coders
        self.lengths = [d.text_length for d in docs]
        self.spans = [[_of_layer(side.spans, name) for side in d.sides] for d in docs]
        self.tables = [d.layers[name].token_table for d in result.documents]
        labels = sorted({s.label for doc in self.spans for side in doc for s in side})
        self.labels = labels
        # per label, per document: merged units per coder
        self.units: dict[str, list[list[list[tuple[int, int]]]]] = {
            label: [[[] for _ in range(coders)] for _ in docs] for label in labels}
        for d, doc in enumerate(self.spans):
            for c, side in enumerate(doc):
                frags: dict[str, list[tuple[int, int]]] = defaultdict(list)
                for s in side:
                    frags[s.label].extend(s.fragments)
                for label, fr in frags.items():
                    self.units[label][d][c] = unitizing.merge_units(fr)
        self.boundary = [boundary_counts(doc[0], doc[1], jaccard) for doc in self.spans]
        self.exact = [d.layers[name].exact for d in result.documents]
        self.overlap = [d.layers[name].overlap for d in result.documents]
        self.label_exact = [{k: v.exact for k, v in d.layers[name].labels.items()}
                            for d in result.documents]
        self.label_overlap = [{k: v.overlap for k, v in d.layers[name].labels.items()}
                              for d in result.documents]

    def continua(self) -> list[list[list[tuple[float, float, str]]]]:
        return [[[(float(a), float(b), s.label) for s in side for a, b in s.fragments]
                 for side in doc] for doc in self.spans]


class _UnitizingBoot:
    """alpha_U terms of one label for any weighting of the documents, vectorised.

    ``D_O(w)`` and the parts of ``D_E(w)`` linear in ``w`` are dot products; the unit-against-gap
    term is ``sum_v (w C)_v x_v^2 (w H)_v`` over the distinct unit lengths ``x_v``, with ``C[d, v]``
    the units of length ``x_v`` in document ``d`` and ``H[d, v] = sum of (g - x_v + 1)`` over
    the gaps ``g >= x_v`` of document ``d`` (so the cost is documents x distinct lengths).
    """

    def __init__(self, layer: _Layer, label: str) -> None:
        import numpy as np

        r = layer.coders
        self.r = r
        docs = len(layer.lengths)
        self.obs = np.array([unitizing.pair_observed(layer.units[label][d], n)
                             for d, n in enumerate(layer.lengths)], dtype=np.float64)
        self.lengths = np.array(layer.lengths, dtype=np.float64)
        unit_len: list[int] = []
        unit_doc: list[int] = []
        gap_len: list[int] = []
        gap_doc: list[int] = []
        for d, n in enumerate(layer.lengths):
            for units in layer.units[label][d]:
                for s, e in units:
                    unit_len.append(e - s)
                    unit_doc.append(d)
                gaps = unitizing.gaps_of(units, n)
                gap_len.extend(gaps)
                gap_doc.extend([d] * len(gaps))
        ul = np.array(unit_len, dtype=np.float64)
        ud = np.array(unit_doc, dtype=np.int64)
        x, inverse = np.unique(ul, return_inverse=True)
        self.x = x
        self.c = np.zeros((docs, len(x)))
        np.add.at(self.c, (ud, inverse), 1.0)
        self.h = np.zeros((docs, len(x)))
        gl = np.array(gap_len, dtype=np.float64)
        gd = np.array(gap_doc, dtype=np.int64)
        for k0 in range(0, len(gl), 4096):  # gaps x lengths in blocks
            g = gl[k0:k0 + 4096, None]
            contrib = np.where(g >= x[None, :], g - x[None, :] + 1, 0.0)
            np.add.at(self.h, gd[k0:k0 + 4096], contrib)
        self.f = np.bincount(ud, weights=(2 * ul ** 3 - 3 * ul ** 2 + ul) / 3, minlength=docs)
        self.sq = np.bincount(ud, weights=ul * (ul - 1), minlength=docs)
        self.n = np.bincount(ud, minlength=docs).astype(np.float64)

    def terms(self, w: Any) -> tuple[Any, Any]:
        """D_O and D_E for each row of ``w`` (replicates x documents)."""
        import numpy as np

        r = self.r
        total_len = w @ self.lengths
        with np.errstate(divide="ignore", invalid="ignore"):
            d_o = 2 * (w @ self.obs) / (r * (r - 1) * total_len ** 2)
            t2 = ((w @ self.c) * self.x ** 2 * (w @ self.h)).sum(axis=1)
            t1 = (w @ self.n - 1) * (w @ self.f)
            den = r * total_len * (r * total_len - 1) - w @ self.sq
            d_e = np.where(den > 0, (t1 + t2) * 2 / total_len / den, 0.0)
        return d_o, d_e

    def per_document(self) -> tuple[Any, Any]:
        """D_O and D_E of every document on its own."""
        import numpy as np

        r = self.r
        with np.errstate(divide="ignore", invalid="ignore"):
            d_o = 2 * self.obs / (r * (r - 1) * self.lengths ** 2)
            t2 = (self.c * self.x ** 2 * self.h).sum(axis=1)
            t1 = (self.n - 1) * self.f
            den = r * self.lengths * (r * self.lengths - 1) - self.sq
            d_e = np.where(den > 0, (t1 + t2) * 2 / self.lengths / den, 0.0)
        return d_o, d_e


def _ratio_alpha(d_o: Any, d_e: Any) -> Any:
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        a = 1 - d_o / d_e
    return np.where(d_e > 0, np.where(d_o == d_e, 0.0, a), np.nan)


def _counts(rows: Sequence[ExactCounts | None]) -> Any:
    import numpy as np

    return np.array([[c.n_a, c.n_b, c.matched] if c else [0, 0, 0] for c in rows],
                    dtype=np.float64)


def _label_counts(rows: Sequence[dict[str, Any]], labels: Sequence[str], width: int) -> Any:
    """``documents x labels x width`` counts (n_a, n_b, matched[, found_b]) of each label."""
    import numpy as np

    out = np.zeros((len(rows), len(labels), width), dtype=np.float64)
    pos = {k: i for i, k in enumerate(labels)}
    for d, row in enumerate(rows):
        for label, c in row.items():
            k = pos.get(label)
            if k is not None and c:
                out[d, k] = ((c.n_a, c.n_b, c.matched) if width == 3
                             else (c.n_a, c.n_b, c.found_a, c.found_b))
    return out


def _weighted(w: Any, counts: Any) -> Any:
    """``w @ counts`` for ``documents x labels x width`` counts: ``replicates x labels x width``
    (integer counts and weights: exact, whatever the order of the sums)."""
    docs, labels, width = counts.shape
    return (w @ counts.reshape(docs, labels * width)).reshape(w.shape[0], labels, width)


def _ocounts(rows: Sequence[Any]) -> Any:
    import numpy as np

    return np.array([[c.n_a, c.n_b, c.found_a, c.found_b] if c else [0, 0, 0, 0]
                     for c in rows], dtype=np.float64)


def _layer_measures(layer: _Layer, w: Any, seed: int, gamma_samples: int,
                    ) -> tuple[LayerMeasures, list[dict[str, float | None]]]:
    import numpy as np

    tables = resample.TokenTables(layer.tables, layer.coders)
    full = np.ones((1, len(layer.lengths)))
    point_totals = tables.totals(full)
    boot_totals = resample.chunked(w, tables.totals)  # once for the layer and all its labels
    point = tables.coefficients(point_totals)
    boot = tables.coefficients(boot_totals)
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
    doc_o: Any = 0.0
    doc_e: Any = 0.0
    point_o: Any = 0.0
    point_e: Any = 0.0
    label_exact = _weighted(w, _label_counts(layer.label_exact, layer.labels, 3))
    label_overlap = _weighted(w, _label_counts(layer.label_overlap, layer.labels, 4))
    label_boundary = _weighted(w, _label_counts(layer.boundary, layer.labels, 3))
    for k, label in enumerate(layer.labels):
        ub = _UnitizingBoot(layer, label)
        p_o, p_e = ub.terms(full)
        point_o, point_e = point_o + p_o, point_e + p_e
        d_o, d_e = ub.terms(w)
        d_o_sum = d_o_sum + d_o
        d_e_sum = d_e_sum + d_e
        one_o, one_e = ub.per_document()
        doc_o = doc_o + one_o
        doc_e = doc_e + one_e
        lp = tables.coefficients(point_totals, label)
        lb = tables.coefficients(boot_totals, label)
        bcounts = [c.get(label) for c in layer.boundary]
        bc = sum((c for c in bcounts if c), ExactCounts())
        labels[label] = {
            "alpha_u": resample.value(_ratio_alpha(p_o, p_e)),
            "ac1": resample.value(lp["ac1"]),
            "f1_boundary": bc.f1,
            "ci": {
                "kappa": resample.interval(lb["kappa"]),
                "alpha": resample.interval(lb["alpha"]),
                "ac1": resample.interval(lb["ac1"]),
                "alpha_u": resample.interval(_ratio_alpha(d_o, d_e)),
                "f1_exact": resample.interval(resample.f1_exact(label_exact[:, k])),
                "f1_overlap": resample.interval(resample.f1_overlap(label_overlap[:, k])),
                "f1_boundary": resample.interval(resample.f1_exact(label_boundary[:, k])),
            },
        }
    ci["alpha_u"] = resample.interval(_ratio_alpha(d_o_sum, d_e_sum)) if labels else None
    alpha_u = resample.value(_ratio_alpha(point_o, point_e)) if labels else None
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
    doc_alpha_u = (_ratio_alpha(np.asarray(doc_o), np.asarray(doc_e)) if layer.labels
                   else np.full(len(layer.lengths), np.nan))
    each = tables.coefficients(tables.matrix)
    for d in range(len(layer.lengths)):
        one = {k: v[d:d + 1] for k, v in each.items()}
        au = resample.value(doc_alpha_u[d:d + 1])
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
                     gamma_samples: int = 30,
                     document_layers: Sequence[str] = ()) -> Measures:
    """The measures of every layer of ``result`` (computed over ``docs``, its documents), and
    document-level label agreement for ``document_layers`` (:mod:`doc_agreement`)."""
    if not 0 < jaccard <= 1:
        raise ValueError("the Jaccard threshold must be in (0, 1]")
    w = resample.compact_weights(len(docs), seed, replicates) if docs else None
    layers: dict[str, LayerMeasures] = {}
    per_doc: list[dict[str, dict[str, float | None]]] = [{} for _ in docs]
    for name in result.layers:
        if w is None:
            break
        lm, doc_rows = _layer_measures(_Layer(name, docs, result, jaccard), w, seed,
                                       gamma_samples)
        layers[name] = lm
        for d, row in enumerate(doc_rows):
            per_doc[d][name] = row
    documents = []
    for doc, rows in zip(docs, per_doc, strict=True):
        defined = [r["alpha_u"] for r in rows.values() if r["alpha_u"] is not None]
        documents.append(DocumentMeasures(doc.name, rows,
                                          sum(defined) / len(defined) if defined else None))
    from annotator.review.doc_agreement import document_agreement

    doc_level = document_agreement(docs, document_layers, w) if docs else {}
    return Measures(seed, jaccard, replicates, layers, documents, doc_level)


def worst_first(documents: Sequence[DocumentMeasures]) -> list[DocumentMeasures]:
    """Lowest score first; documents without a defined score last (in their order)."""
    return sorted(documents, key=lambda d: (d.score is None, d.score or 0.0))
