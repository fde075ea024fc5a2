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
* Memory: every document is read once (:class:`MeasureStats`, fed one document at a time by
  ``agree``'s stream, or by :func:`compute_measures` from documents in memory) and only its
  figures are kept (:mod:`layer_stats`); the per-document results are held in arrays
  (:class:`MeasuredDocuments`, a sequence of :class:`DocumentMeasures` made when read).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.review import resample
from annotator.review.boundary import JACCARD, boundary_counts
from annotator.review.doc_agreement import document_agreement, document_values
from annotator.review.doc_results import CompactDocuments, LayerColumns
from annotator.review.gamma import GammaResult
from annotator.review.layer_stats import LayerStats, boundary_f1, label_total, per_document, sparse
from annotator.review.made_when_read import MadeWhenRead
from annotator.review.metrics import ExactCounts
from annotator.review.tokens_agreement import NONE

__all__ = ["JACCARD", "DocumentMeasures", "LayerMeasures", "MeasureStats", "MeasuredDocuments",
           "Measures", "boundary_counts", "compute_measures", "confusion", "worst_first"]

if TYPE_CHECKING:
    from annotator.review.agreement import AgreementResult, DocumentAgreement, MatchedDocument

FIELDS = ("alpha_u", "gamma", "ac1", "kappa", "f1_boundary")  # of a document, per layer


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


def _defined(x: float) -> float | None:
    return x if math.isfinite(x) else None


class MeasuredDocuments(MadeWhenRead[DocumentMeasures]):
    """Every document's measures held as one float array per layer (``len(FIELDS)`` rows,
    undefined as NaN), each :class:`DocumentMeasures` made when read."""

    def __init__(self, names: Sequence[str], layers: Mapping[str, Any]) -> None:
        self._names = names
        self._layers = dict(layers)  # layer -> len(FIELDS) x documents float64
        rows = [[_defined(float(x)) for x in v[0]] for v in self._layers.values()]
        self._scores = [self._score([r[d] for r in rows]) for d in range(len(names))]

    @staticmethod
    def _score(alphas: list[float | None]) -> float | None:
        defined = [a for a in alphas if a is not None]
        return sum(defined) / len(defined) if defined else None

    def __len__(self) -> int:
        return len(self._names)

    def _one(self, d: int) -> DocumentMeasures:
        rows = {name: {f: _defined(float(v[k, d])) for k, f in enumerate(FIELDS)}
                for name, v in self._layers.items()}
        return DocumentMeasures(self._names[d], rows, self._scores[d])

    def worst_first(self, limit: int | None = None) -> list[DocumentMeasures]:
        """:func:`worst_first` made from the scores: only the documents returned are made."""
        order = sorted(range(len(self)), key=lambda d: (self._scores[d] is None,
                                                        self._scores[d] or 0.0))
        return [self._one(d) for d in order[:limit]]


@dataclass(frozen=True)
class Measures:
    seed: int
    jaccard: float
    replicates: int
    layers: dict[str, LayerMeasures]
    documents: Sequence[DocumentMeasures]
    document_layers: dict[str, dict[str, Any]] = field(default_factory=dict)


def confusion(table: Mapping[tuple[Any, ...], int]) -> dict[str, Any]:
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


def _sizes(cuts: Sequence[int]) -> Any:
    """The lengths of the runs that end at ``cuts``."""
    import numpy as np

    return np.diff(np.asarray(cuts, dtype=np.int64), prepend=0)


def _columns(w: Any, lo: int, hi: int) -> Any:
    return w.columns(lo, hi) if isinstance(w, resample.Weights) else w[:, lo:hi]


class _UnitizingBoot:
    """alpha_U terms of one label for any weighting of the documents, vectorised.

    ``D_O(w)`` and the parts of ``D_E(w)`` linear in ``w`` are dot products; the unit-against-gap
    term is ``sum_v (w C)_v x_v^2 (w H)_v`` over the distinct unit lengths ``x_v``, with ``C[d, v]``
    the units of length ``x_v`` in document ``d`` and ``H[d, v] = sum of (g - x_v + 1)`` over
    the gaps ``g >= x_v`` of document ``d`` (a coder without a unit of the label has one gap,
    the whole text). ``C`` and ``H`` are made ``BLOCK`` documents at a time, never whole
    (integer values: the products are exact whatever the blocks).
    """

    BLOCK = 4096

    def __init__(self, st: LayerStats, lengths: Any, label: str) -> None:
        import numpy as np

        self.r = st.coders
        self.docs = docs = st.docs
        u = st.units.get(st.labels[label])
        self.lengths = lengths
        self.obs = np.zeros(docs, dtype=np.float64)
        listed = np.asarray(u.docs if u else [], dtype=np.int64)
        if u:
            self.obs[listed] = np.asarray(u.obs, dtype=np.float64)
        ul = np.asarray(u.lengths if u else [], dtype=np.float64)
        self._ud = np.repeat(listed, _sizes(u.len_cuts)) if u else np.zeros(0, dtype=np.int64)
        self.x, self._inverse = np.unique(ul, return_inverse=True)
        self._gl = np.asarray(u.gaps if u else [], dtype=np.float64)
        self._gd = np.repeat(listed, _sizes(u.gap_cuts)) if u else np.zeros(0, dtype=np.int64)
        self._empty = np.full(docs, float(self.r))  # coders without a unit of the label
        if u:
            self._empty[listed] -= np.asarray(u.coded, dtype=np.float64)
        self.f = np.bincount(self._ud, weights=(2 * ul ** 3 - 3 * ul ** 2 + ul) / 3,
                             minlength=docs)
        self.sq = np.bincount(self._ud, weights=ul * (ul - 1), minlength=docs)
        self.n = np.bincount(self._ud, minlength=docs).astype(np.float64)

    def _blocks(self) -> Iterator[tuple[int, int, Any, Any]]:
        """``(lo, hi, C[lo:hi], H[lo:hi])`` of each block of documents."""
        import numpy as np

        x, ud, gd, gl = self.x, self._ud, self._gd, self._gl
        for lo in range(0, self.docs, self.BLOCK):
            hi = min(self.docs, lo + self.BLOCK)
            c = np.zeros((hi - lo, len(x)))
            a, b = np.searchsorted(ud, [lo, hi])
            np.add.at(c, (ud[a:b] - lo, self._inverse[a:b]), 1.0)
            h = np.zeros((hi - lo, len(x)))
            a, b = np.searchsorted(gd, [lo, hi])
            for k0 in range(a, b, 4096):  # gaps x lengths in blocks
                k1 = min(b, k0 + 4096)
                g = gl[k0:k1, None]
                np.add.at(h, gd[k0:k1] - lo, np.where(g >= x[None, :], g - x[None, :] + 1, 0.0))
            n = self.lengths[lo:hi, None]
            h += self._empty[lo:hi, None] * np.where((n > 0) & (n >= x[None, :]),
                                                     n - x[None, :] + 1, 0.0)
            yield lo, hi, c, h

    def all_terms(self, weightings: Sequence[Any]) -> tuple[list[tuple[Any, Any]], Any, Any]:
        """D_O and D_E for each row of each of ``weightings`` (replicates x documents), and
        of every document on its own (one pass over the blocks)."""
        import numpy as np

        x, r = self.x, self.r
        wc = [np.zeros((w.shape[0], len(x))) for w in weightings]
        wh = [np.zeros((w.shape[0], len(x))) for w in weightings]
        one_t2 = np.zeros(self.docs)
        for lo, hi, c, h in self._blocks():
            for k, w in enumerate(weightings):
                part = _columns(w, lo, hi)
                wc[k] += part @ c
                wh[k] += part @ h
            one_t2[lo:hi] = (c * x ** 2 * h).sum(axis=1)
        out = []
        for k, w in enumerate(weightings):
            total_len = w @ self.lengths
            with np.errstate(divide="ignore", invalid="ignore"):
                d_o = 2 * (w @ self.obs) / (r * (r - 1) * total_len ** 2)
                t2 = (wc[k] * x ** 2 * wh[k]).sum(axis=1)
                t1 = (w @ self.n - 1) * (w @ self.f)
                den = r * total_len * (r * total_len - 1) - w @ self.sq
                d_e = np.where(den > 0, (t1 + t2) * 2 / total_len / den, 0.0)
            out.append((d_o, d_e))
        with np.errstate(divide="ignore", invalid="ignore"):
            one_o = 2 * self.obs / (r * (r - 1) * self.lengths ** 2)
            t1 = (self.n - 1) * self.f
            den = r * self.lengths * (r * self.lengths - 1) - self.sq
            one_e = np.where(den > 0, (t1 + one_t2) * 2 / self.lengths / den, 0.0)
        return out, one_o, one_e


def _ratio_alpha(d_o: Any, d_e: Any) -> Any:
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        a = 1 - d_o / d_e
    return np.where(d_e > 0, np.where(d_o == d_e, 0.0, a), np.nan)


def _weighted(w: Any, counts: Any) -> Any:
    """``w @ counts`` for ``documents x labels x width`` counts: ``replicates x labels x width``
    (integer counts and weights: exact, whatever the order of the sums)."""
    docs, labels, width = counts.shape
    return (w @ counts.reshape(docs, labels * width)).reshape(w.shape[0], labels, width)


def _layer_measures(st: LayerStats, cols: LayerColumns, lengths: Any, w: Any, seed: int,
                    gamma_samples: int) -> tuple[LayerMeasures, Any]:
    """The layer's measures and its documents' (``len(FIELDS) x documents``, NaN undefined)."""
    import numpy as np

    docs = st.docs
    tables = resample.TokenTables.of_columns(cols.rows, cols.row_ids, cols.row_counts,
                                             cols.row_cuts, st.coders)
    full = np.ones((1, docs))
    point_totals = tables.totals(full)
    boot_totals = resample.chunked(w, tables.totals)  # once for the layer and all its labels
    point = tables.coefficients(point_totals)
    boot = tables.coefficients(boot_totals)
    g = st.gamma.result(seed=seed, samples=gamma_samples)
    sums = np.array(g.per_document or [0.0] * docs)
    units = np.asarray(st.gamma.units, dtype=np.float64)
    boundary = per_document(st.boundary, 3)
    ci: dict[str, list[float] | None] = {
        "kappa": resample.interval(boot["kappa"]),
        "alpha": resample.interval(boot["alpha"]),
        "ac1": resample.interval(boot["ac1"]),
        "f1_exact": resample.interval(resample.f1_exact(w @ per_document(cols.exact, 3))),
        "f1_overlap": resample.interval(resample.f1_overlap(w @ per_document(cols.overlap, 4))),
        "f1_boundary": resample.interval(resample.f1_exact(w @ boundary)),
    }
    d_o_sum: Any = 0.0
    d_e_sum: Any = 0.0
    labels: dict[str, dict[str, Any]] = {}
    doc_o: Any = 0.0
    doc_e: Any = 0.0
    point_o: Any = 0.0
    point_e: Any = 0.0
    names = sorted(st.labels)
    label_exact = _weighted(w, sparse(cols.label_exact, 3, names, cols.words, docs))
    label_overlap = _weighted(w, sparse(cols.label_overlap, 4, names, cols.words, docs))
    label_boundary = _weighted(w, sparse(st.label_boundary, 3, names, st.labels, docs))
    for k, label in enumerate(names):
        [(p_o, p_e), (d_o, d_e)], one_o, one_e = _UnitizingBoot(st, lengths, label).all_terms(
            [full, w])
        point_o, point_e = point_o + p_o, point_e + p_e
        d_o_sum = d_o_sum + d_o
        d_e_sum = d_e_sum + d_e
        doc_o = doc_o + one_o
        doc_e = doc_e + one_e
        lp = tables.coefficients(point_totals, label)
        lb = tables.coefficients(boot_totals, label)
        labels[label] = {
            "alpha_u": resample.value(_ratio_alpha(p_o, p_e)),
            "ac1": resample.value(lp["ac1"]),
            "f1_boundary": label_total(st.label_boundary, st.labels[label]).f1,
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
                1 - ((w @ sums) / ((w @ units) / st.coders)) / g.expected)
    else:
        ci["gamma"] = None
    bsum = ExactCounts(*(sum(st.boundary[k::3]) for k in range(3)))
    whole = LayerMeasures(alpha_u, g, resample.value(point["ac1"]), bsum.f1,
                          confusion(_pooled_table(cols)), ci, labels)
    doc_alpha_u = (_ratio_alpha(np.asarray(doc_o), np.asarray(doc_e)) if names
                   else np.full(docs, np.nan))
    each = tables.coefficients(tables.matrix)
    rows = np.full((len(FIELDS), docs), np.nan)
    rows[0] = np.where(np.isfinite(doc_alpha_u), doc_alpha_u, np.nan)
    for d in range(docs):
        found = g.gamma_of(float(sums[d]), units[d] / st.coders)
        rows[1, d] = np.nan if found is None else found
    rows[2] = each["ac1"]
    rows[3] = each["kappa"]
    rows[4] = [np.nan if f is None else f for f in boundary_f1(st.boundary)]
    return whole, rows


def _pooled_table(cols: LayerColumns) -> dict[tuple[Any, ...], int]:
    """The layer's token table summed over the documents."""
    rows = list(cols.rows)
    out: dict[tuple[Any, ...], int] = {}
    for k, n in zip(cols.row_ids, cols.row_counts, strict=True):
        out[rows[k]] = out.get(rows[k], 0) + n
    return {row: n for row, n in out.items() if n > 0}


class MeasureStats:
    """The measures' figures of a corpus, fed one document at a time (see the module doc)."""

    def __init__(self, layers: Sequence[str], coders: int, *, jaccard: float = JACCARD,
                 document_layers: Sequence[str] = ()) -> None:
        if not 0 < jaccard <= 1:
            raise ValueError("the Jaccard threshold must be in (0, 1]")
        self.jaccard = jaccard
        self.coders = coders
        self.layers: dict[str, LayerStats] | None = {name: LayerStats(coders, jaccard)
                                                     for name in layers}
        self.names: list[str] = []
        self.lengths: list[int] = []
        self.values: dict[str, list[tuple[str, ...]]] = {k: [] for k in document_layers}
        self._rows: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per distinct value

    def add(self, doc: MatchedDocument) -> None:
        """One document (its figures are read at :meth:`finish`)."""
        if self.layers is None:
            raise ValueError("these statistics have been finished already")
        self.names.append(doc.name)
        self.lengths.append(doc.text_length)
        by_layer: dict[str, list[list[Any]]] = {name: [[] for _ in doc.sides]
                                                for name in self.layers}
        for c, side in enumerate(doc.sides):
            for s in side.spans:
                found = by_layer.get(s.layer)
                if found is not None:
                    found[c].append(s)
        for name, st in self.layers.items():
            st.add(doc.text_length, by_layer[name])
        for layer, rows in self.values.items():
            row = document_values(doc, layer)
            rows.append(self._rows.setdefault(row, row))

    def finish(self, figures: Sequence[DocumentAgreement], *, seed: int = 0,
               replicates: int = resample.BOOTSTRAP, gamma_samples: int = 30) -> Measures:
        """The measures of the documents added; ``figures``: their own figures, in order
        (``AgreementResult.documents``). Once: each layer's statistics are dropped as soon as
        its measures are made."""
        import numpy as np

        if self.layers is None:
            raise ValueError("these statistics have been finished already")
        docs = len(self.names)
        if len(figures) != docs:
            raise ValueError(f"{len(figures)} documents' figures for {docs} documents")
        if not docs:
            return Measures(seed, self.jaccard, replicates, {}, [], {})
        compact = CompactDocuments.of(figures, list(self.layers), self.coders)
        w = resample.compact_weights(docs, seed, replicates)
        lengths = np.array(self.lengths, dtype=np.float64)
        layers: dict[str, LayerMeasures] = {}
        per_doc = {}
        stats, self.layers = self.layers, None
        for name in list(stats):
            st = stats.pop(name)  # held only while its measures are made
            layers[name], per_doc[name] = _layer_measures(st, compact.columns(name), lengths, w,
                                                          seed, gamma_samples)
            del st
        doc_level = document_agreement(self.values, self.coders, w)
        return Measures(seed, self.jaccard, replicates, layers,
                        MeasuredDocuments(self.names, per_doc), doc_level)


def compute_measures(result: AgreementResult, docs: Sequence[MatchedDocument], *,
                     seed: int = 0, jaccard: float = JACCARD,
                     replicates: int = resample.BOOTSTRAP,
                     gamma_samples: int = 30,
                     document_layers: Sequence[str] = ()) -> Measures:
    """The measures of every layer of ``result`` (computed over ``docs``, its documents), and
    document-level label agreement for ``document_layers`` (:mod:`doc_agreement`)."""
    stats = MeasureStats(list(result.layers), len(result.annotators), jaccard=jaccard,
                         document_layers=document_layers)
    for doc in docs:
        stats.add(doc)
    return stats.finish(result.documents, seed=seed, replicates=replicates,
                        gamma_samples=gamma_samples)


def worst_first(documents: Sequence[DocumentMeasures], limit: int | None = None,
                ) -> list[DocumentMeasures]:
    """Lowest score first; documents without a defined score last (in their order); the first
    ``limit`` only, if given."""
    if isinstance(documents, MeasuredDocuments):
        return documents.worst_first(limit)
    return sorted(documents, key=lambda d: (d.score is None, d.score or 0.0))[:limit]
