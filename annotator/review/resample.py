"""Coefficients over many weightings of the documents at once: bootstrap intervals, Gwet's AC1.

Contract
--------
* A **bootstrap replicate** draws as many documents as there are, with replacement, uniformly
  (``numpy.random.default_rng(seed)``); it is represented by the multiplicity of each document
  (a row of :func:`weights`). Replicate 0 is never the data itself.
* Every coefficient is a function of per-document counts that add up (token count tables,
  span-match counts, alpha_U sums, gamma disorder sums); a replicate's value is the coefficient
  of the weighted sums. The interval is the 2.5th and 97.5th percentile of the replicates'
  values (percentile bootstrap, ``BOOTSTRAP`` replicates); replicates where the coefficient is
  undefined are left out; no defined replicate gives ``None``.
* Token coefficients from a table with rows of labels (one per coder, every token labelled by
  every coder, as :func:`annotator.review.tokens_agreement.label_rows` makes them):
  ``kappa`` = Cohen's (2 coders) or Davies & Fleiss's multi-kappa (3+), ``alpha`` =
  Krippendorff's nominal alpha, ``ac1`` = Gwet's (2008) AC1 with ``Q`` = the number of labels
  in the table (``"none"`` included; 2 per label in the label-versus-rest tables):
  ``p_a`` = mean over tokens of the share of agreeing coder pairs, ``pi_k`` = share of all
  values that are ``k``, ``p_e = sum pi_k (1 - pi_k) / (Q - 1)``, ``AC1 = (p_a - p_e) /
  (1 - p_e)``. They equal :func:`annotator.review.tokens_agreement.coefficients` on the data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np

BOOTSTRAP = 1000
_CHUNK = 256  # a multiple of _ROWS

Row = tuple[Any, ...]
Array = Any  # numpy arrays (numpy's stubs are not precise enough to help here)


def weights(documents: int, seed: int, replicates: int = BOOTSTRAP) -> Array:
    """``replicates x documents`` multiplicities of a document bootstrap."""
    rng = np.random.default_rng(seed)
    out = np.empty((replicates, documents), dtype=np.float64)
    # drawn and counted one replicate at a time: the generator's stream (its state carries
    # any half-used 32-bit draw) is the same as one (replicates, documents) draw, and no
    # array of all the draws is held
    for r in range(replicates):
        out[r] = np.bincount(rng.integers(0, documents, size=documents), minlength=documents)
    return out


_ROWS = 64  # replicates per block of a product (a multiple of 8: see Weights)


class Weights:
    """The :func:`weights` of a bootstrap held as small integers (one byte a document, not
    eight; wider only if a document is drawn 256 times or more) and multiplied block by
    block: ``w @ x`` equals ``weights(...) @ x``, computed ``_ROWS`` replicates at a time as
    float64, so the memory is ``replicates x documents`` bytes plus one block. Integer counts
    give exactly the same sums whatever the blocks; float vectors (gamma's disorder sums) go
    through numpy's kernels on the same sums for blocks of a multiple of 8 rows (compared with
    the whole product in the tests).
    """

    def __init__(self, counts: Array) -> None:
        self.counts = counts

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.counts.shape)

    def __len__(self) -> int:
        return int(self.counts.shape[0])

    def __getitem__(self, rows: slice) -> Weights:
        return Weights(self.counts[rows])

    def columns(self, lo: int, hi: int) -> Weights:
        """The weights of documents ``lo`` to ``hi`` (a view, not a copy)."""
        return Weights(self.counts[:, lo:hi])

    def __array__(self, dtype: Any = None, copy: Any = None) -> Array:
        return self.counts.astype(dtype or np.float64)

    def __matmul__(self, other: Array) -> Array:
        x = np.asarray(other)
        n = self.counts.shape[0]
        if n == 0:
            return np.zeros((0, *x.shape[1:]), dtype=np.float64)
        return np.concatenate([self.counts[k:k + _ROWS].astype(np.float64) @ x
                               for k in range(0, n, _ROWS)])


def compact_weights(documents: int, seed: int, replicates: int = BOOTSTRAP) -> Weights:
    """:func:`weights` as :class:`Weights` (the same draws, never the whole float matrix)."""
    rng = np.random.default_rng(seed)
    out = np.empty((replicates, documents), dtype=np.uint8)
    for r in range(replicates):
        row = np.bincount(rng.integers(0, documents, size=documents), minlength=documents)
        if row.size and int(row.max()) > np.iinfo(out.dtype).max:  # a document drawn 256+
            out = out.astype(np.uint32)                            # times: wider counts
        out[r] = row
    return Weights(out)


def interval(values: Array) -> list[float] | None:
    """95% percentile interval of the defined replicate values."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return None
    low, high = np.percentile(v, [2.5, 97.5])
    return [float(low), float(high)]


class TokenTables:
    """Per-document token count tables of one layer as a ``documents x rows`` matrix."""

    def __init__(self, tables: Sequence[Mapping[Row, int]], coders: int) -> None:
        index: dict[Row, int] = {}
        for t in tables:
            for row in t:
                index.setdefault(row, len(index))
        self.rows = list(index)
        self.coders = coders
        self.matrix = np.zeros((len(tables), len(self.rows)), dtype=np.float64)
        for d, t in enumerate(tables):
            for row, n in t.items():
                self.matrix[d, index[row]] += n
        self.labels = sorted({v for row in self.rows for v in row if v is not None})

    @classmethod
    def of_columns(cls, rows: Mapping[Row, int], ids: Sequence[int], counts: Sequence[int],
                   cuts: Sequence[int], coders: int) -> TokenTables:
        """The same tables given as columns: document ``d`` has the rows ``ids[cuts[d - 1]:
        cuts[d]]`` (indices into ``rows``, numbered in the order they first came) with
        ``counts``."""
        self = cls.__new__(cls)
        self.rows = list(rows)
        self.coders = coders
        self.matrix = np.zeros((len(cuts), len(self.rows)), dtype=np.float64)
        per_doc: Array = np.diff(np.asarray(cuts, dtype=np.int64), prepend=0)
        np.add.at(self.matrix, (np.repeat(np.arange(len(cuts)), per_doc),
                                np.asarray(ids, dtype=np.int64)),
                  np.asarray(counts, dtype=np.float64))
        self.labels = sorted({v for row in self.rows for v in row if v is not None})
        return self

    def totals(self, w: Array) -> Array:
        """Weighted tables: ``replicates x rows``."""
        return w @ self.matrix

    def coefficients(self, totals: Array, label: str | None = None) -> dict[str, Array]:
        """kappa, alpha, ac1 of each weighted table; ``label``: that label versus the rest."""
        if label is None:
            cats = self.labels
            code = {k: i for i, k in enumerate(cats)}
            rows = [[code[v] for v in row] for row in self.rows]
        else:
            cats = [label, "other"]
            rows = [[0 if v == label else 1 for v in row] for row in self.rows]
        return _coefficients(np.atleast_2d(totals), rows, len(cats), self.coders)


def _safe_div(num: Array, den: Array) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    return np.where(np.abs(den) > 1e-12, out, np.nan)


def _coefficients(t: Array, rows: list[list[int]], q: int, n: int) -> dict[str, Array]:
    r = len(rows)
    if r == 0:
        nan = np.full(t.shape[0], np.nan)
        return {"kappa": nan, "alpha": nan, "ac1": nan}
    total = t.sum(axis=1)
    onehot = np.zeros((n, r, q))
    counts = np.zeros((r, q))
    for i, row in enumerate(rows):
        for c, k in enumerate(row):
            onehot[c, i, k] = 1.0
            counts[i, k] += 1.0
    margins = [t @ onehot[c] for c in range(n)]  # replicates x q
    pairs = list(combinations(range(n), 2))
    agree_rows = np.array([[float(row[x] == row[y]) for row in rows] for x, y in pairs])
    observed = (t @ agree_rows.T).mean(axis=1)
    observed = _safe_div(observed, total)
    expected = sum((margins[x] * margins[y]).sum(axis=1) for x, y in pairs) / len(pairs)
    expected = _safe_div(expected, total * total)
    kappa = np.where(expected < 1 - 1e-12, _safe_div(observed - expected, 1 - expected), np.nan)
    # Krippendorff's nominal alpha (every token has all n values)
    pooled = t @ counts  # replicates x q
    agree_pairs = (counts * (counts - 1)).sum(axis=1)  # per row
    # integer sums first, one division after: the result does not depend on how the
    # BLAS orders a float sum (it differed between numpy builds in the last bit)
    d_o = (t @ (n * (n - 1) - agree_pairs)) / (n - 1)
    n_total = pooled.sum(axis=1)
    d_e = _safe_div(n_total * n_total - (pooled * pooled).sum(axis=1), n_total - 1)
    alpha = np.where(d_e > 0, 1 - _safe_div(d_o, d_e), np.nan)
    # Gwet's AC1
    p_a = _safe_div((t @ agree_pairs) / (n * (n - 1)), total)
    pi = _safe_div(pooled, n_total[:, None])
    p_e = (pi * (1 - pi)).sum(axis=1) / (q - 1) if q > 1 else np.full(t.shape[0], np.nan)
    ac1 = np.where(p_e < 1 - 1e-12, _safe_div(p_a - p_e, 1 - p_e), np.nan)
    return {"kappa": kappa, "alpha": alpha, "ac1": ac1}


def f1_exact(counts: Array) -> Array:
    """``counts``: replicates x 3 (n_a, n_b, matched) -> F1."""
    return _safe_div(2 * counts[:, 2], counts[:, 0] + counts[:, 1])


def f1_overlap(counts: Array) -> Array:
    """``counts``: replicates x 4 (n_a, n_b, found_a, found_b) -> overlap F1."""
    p = _safe_div(counts[:, 3], counts[:, 1])
    r = _safe_div(counts[:, 2], counts[:, 0])
    f = _safe_div(2 * p * r, p + r)
    f = np.where(np.isfinite(p) & np.isfinite(r) & (p + r == 0), 0.0, f)
    defined = counts[:, 0] + counts[:, 1] > 0
    one_side = defined & ((counts[:, 0] == 0) | (counts[:, 1] == 0))
    return np.where(one_side, 0.0, np.where(defined, f, np.nan))


def chunked(w: Array, fn: Callable[[Array], Array]) -> Array:
    """``fn`` over row blocks of ``w`` (bounded memory), concatenated."""
    return np.concatenate([fn(w[k:k + _CHUNK]) for k in range(0, w.shape[0], _CHUNK)])


def value(x: Array) -> float | None:
    """The first entry as a float, or None when undefined."""
    v = float(np.asarray(x).ravel()[0])
    return v if np.isfinite(v) else None
