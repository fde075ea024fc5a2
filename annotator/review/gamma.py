"""Mathet, Widlöcher & Métivier's (2015) gamma: agreement from the best alignment of units.

Contract (the choices of ``pygamma-agreement`` 0.5.9, its default ``compute_gamma``, which our
tests reproduce on the fixtures DKPro Statistics generated with it):

* A **unit** is ``(start, end, label)``. Dissimilarity of two units of different coders:
  ``alpha * d_pos + beta * d_cat`` with ``d_pos = ((|s1-s2| + |e1-e2|) / (l1 + l2))^2 * Δ∅``
  and ``d_cat`` = ``Δ∅`` when the labels differ, else 0 (nominal labels); ``alpha = beta =
  Δ∅ = 1`` by default.
* A **unitary alignment** takes at most one unit per coder; its disorder is the mean over the
  ``C(n, 2)`` pairs of coders of their units' dissimilarity, a pair with an empty side costing
  ``Δ∅``. An **alignment** puts every unit in exactly one unitary alignment; its disorder is the
  sum of theirs divided by the mean number of units per coder. The **best alignment** minimises
  it: found exactly here (units split into groups that can interact — no useful unitary
  alignment joins units farther apart than pygamma's own pruning bound — each solved by
  memoised exhaustive search), the value pygamma's integer program finds.
* **Expected disorder** is the mean best-alignment disorder of ``samples`` random continua
  drawn like pygamma's ``StatisticalContinuumSampler``: per coder a unit count from a normal
  fitted to the coders' counts, then per unit a gap, a length and a label drawn from normals
  fitted to the observed gaps (the first start and the gaps between a coder's consecutive
  units, plus pygamma's extra 0) and lengths, and the observed label frequencies. Drawn from a
  ``random.Random(seed)``: the same seed gives the same value. ``gamma = 1 - observed /
  expected``; undefined (``None``) with no unit, or an expected disorder of 0.
* **Several documents** (:func:`corpus_gamma`): alignments never cross documents; the observed
  disorder is the sum over documents of the best alignments' unitary disorders divided by the
  mean number of units per coder over the whole corpus; each random sample is
  ``docs_per_sample`` synthetic documents drawn from the statistics of the corpus (a document's
  unit counts per coder, gaps, lengths, labels).
"""

from __future__ import annotations

import math
import random
import statistics
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from annotator.review.int_columns import extend, ints

GUnit = tuple[float, float, str]
Continuum = Sequence[Sequence[GUnit]]  # [coder][unit]

SAMPLES = 30  # pygamma's default number of samples (precision_level=None)
DOCS_PER_SAMPLE = 10


@dataclass(frozen=True)
class Dissimilarity:
    alpha: float = 1.0
    beta: float = 1.0
    delta_empty: float = 1.0

    def d(self, u: GUnit, v: GUnit) -> float:
        lu, lv = u[1] - u[0], v[1] - v[0]
        pos = ((abs(u[0] - v[0]) + abs(u[1] - v[1])) / (lu + lv)) ** 2 if lu + lv > 0 else 0.0
        cat = 0.0 if u[2] == v[2] else 1.0
        return (self.alpha * pos + self.beta * cat) * self.delta_empty


DEFAULT = Dissimilarity()


def _components(units: list[tuple[int, GUnit]], diss: Dissimilarity, bound: float,
                ) -> tuple[list[list[int]], dict[tuple[int, int], float]]:
    """Groups of units (indices into ``units``) linked by a dissimilarity below ``bound``."""
    order = sorted(range(len(units)), key=lambda k: units[k][1][0])
    starts = [units[k][1][0] for k in order]
    max_len = max((u[1] - u[0] for _, u in units), default=0.0)
    reach = math.sqrt(bound / (diss.alpha * diss.delta_empty)) if diss.alpha > 0 else math.inf
    parent = list(range(len(units)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links: dict[tuple[int, int], float] = {}
    a_w, b_w, empty = diss.alpha, diss.beta, diss.delta_empty
    for pos, k in enumerate(order):
        ck, u = units[k]
        us, ue, ul = u[0], u[1], u[2]
        lu = ue - us
        window = reach * (lu + max_len)
        hi = bisect_right(starts, us + window) if window != math.inf else len(order)
        for q in range(pos + 1, hi):
            m = order[q]
            cm, v = units[m]
            if cm == ck:
                continue
            vs, ve = v[0], v[1]
            span = lu + ve - vs
            shift = abs(us - vs) + abs(ue - ve)
            if span > 0:
                if shift >= reach * span:
                    continue
                pos_d = (shift / span) ** 2
            else:
                pos_d = 0.0
            dist = (a_w * pos_d + (0.0 if ul == v[2] else b_w)) * empty
            if dist < bound:
                links[(k, m) if k < m else (m, k)] = dist
                parent[find(k)] = find(m)
    groups: dict[int, list[int]] = {}
    for k in order:
        groups.setdefault(find(k), []).append(k)
    return list(groups.values()), links


def best_disorder_sum(continuum: Continuum, diss: Dissimilarity = DEFAULT) -> float:
    """Sum of the unitary disorders of the best alignment (not yet divided by units/coder)."""
    n = len(continuum)
    pairs = n * (n - 1) // 2
    empty = diss.delta_empty
    units = [(c, u) for c, side in enumerate(continuum) for u in side]
    if not units:
        return 0.0
    if n < 2:
        return empty * len(units)
    groups, links = _components(units, diss, n * pairs * empty)
    total = 0.0
    for group in groups:
        total += _solve_group(group, units, links, n, pairs, empty)
    return total


def _solve_group(group: list[int], units: list[tuple[int, GUnit]],
                 links: dict[tuple[int, int], float], n: int, pairs: int, empty: float) -> float:
    if len(group) == 1:
        return empty
    if len(group) == 2:  # two coders' units: together, or each alone
        a, b = group
        together = (links[(min(a, b), max(a, b))] + (pairs - 1) * empty) / pairs
        return min(2 * empty, together)
    local = {k: i for i, k in enumerate(group)}
    coder = [units[k][0] for k in group]
    size = len(group)
    neigh: list[list[int]] = [[] for _ in range(size)]
    dist: dict[tuple[int, int], float] = {}
    for (a, b), value in links.items():
        if a in local and b in local:
            i, j = local[a], local[b]
            neigh[i].append(j)
            neigh[j].append(i)
            dist[(i, j)] = dist[(j, i)] = value
    memo: dict[int, float] = {}

    def solve(mask: int) -> float:
        if mask == 0:
            return 0.0
        got = memo.get(mask)
        if got is not None:
            return got
        u = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << u)
        best = empty + solve(rest)  # noqa: F821 (u alone; solve is deleted only after use)
        cands = sorted({v for v in neigh[u] if rest >> v & 1}, key=lambda v: coder[v])

        def extend(start: int, chosen: list[int], used: set[int], raw: float) -> None:
            nonlocal best
            for idx in range(start, len(cands)):
                v = cands[idx]
                if coder[v] in used:
                    continue
                add = 0.0
                ok = True
                for w in chosen:
                    value = dist.get((v, w))
                    if value is None:
                        ok = False
                        break
                    add += value
                if not ok:
                    continue
                new = [*chosen, v]
                k = len(new)
                new_raw = raw + add
                disorder = (new_raw + (pairs - k * (k - 1) // 2) * empty) / pairs
                if disorder < k * empty:  # otherwise the units alone are no worse
                    m = rest
                    for w in new[1:]:
                        m &= ~(1 << w)
                    best = min(best, disorder + solve(m))  # noqa: F821 (see the del below)
                    extend(idx + 1, new, used | {coder[v]}, new_raw)  # noqa: F821 (del below)

        extend(0, [u], {coder[u]}, 0.0)
        del extend  # it calls itself: a cycle (function, cell) the collector would have to find
        memo[mask] = best
        return best

    found = solve((1 << size) - 1)
    del solve  # the same for solve
    return found


def disorder(continuum: Continuum, diss: Dissimilarity = DEFAULT) -> float | None:
    """Best-alignment disorder of one continuum; None without units."""
    count = sum(len(side) for side in continuum)
    if count == 0:
        return None
    return best_disorder_sum(continuum, diss) / (count / len(continuum))


@dataclass(frozen=True)
class _Stats:
    coders: int
    count_mean: float
    count_sd: float
    gap_mean: float
    gap_sd: float
    len_mean: float
    len_sd: float
    labels: list[str]
    weights: list[float]


def _pstdev(values: Sequence[float], mean: float) -> float:
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) if values else 0.0


def _sample(st: _Stats, rng: random.Random) -> list[list[GUnit]]:
    out: list[list[GUnit]] = []
    empty_so_far = True
    for _ in range(st.coders):
        count = abs(int(rng.gauss(st.count_mean, st.count_sd) if st.count_sd else st.count_mean))
        if empty_so_far:
            count = max(1, count)
        side: list[GUnit] = []
        last = 0.0
        for _ in range(count):
            gap = rng.gauss(st.gap_mean, st.gap_sd) if st.gap_sd else st.gap_mean
            start = last + gap
            length = 0.0
            for _ in range(100):
                length = abs(rng.gauss(st.len_mean, st.len_sd) if st.len_sd else st.len_mean)
                if length > 1e-6:
                    break
            length = max(length, 1e-6)
            label = rng.choices(st.labels, st.weights)[0]
            side.append((start, start + length, label))
            last = start + length
        empty_so_far = empty_so_far and not side
        out.append(side)
    return out


@dataclass(frozen=True)
class GammaResult:
    gamma: float | None
    observed: float | None  # best-alignment disorder of the data
    expected: float | None  # mean disorder of the samples
    expected_sd: float | None  # their standard deviation (spread of the chance model)
    samples: int
    seed: int
    per_document: tuple[float | None, ...] = ()  # observed disorder sum per document

    def gamma_of(self, disorder_sum: float, units_per_coder: float) -> float | None:
        """gamma of a part of the corpus (its disorder sum and mean units per coder)."""
        if not self.expected or units_per_coder <= 0:
            return None
        return 1.0 - (disorder_sum / units_per_coder) / self.expected


def _numbers(column: array[Any], values: list[float]) -> array[Any]:
    """``column`` with ``values`` appended: integers in an integer column until a float comes,
    then every value as a float (the same values)."""
    if column.typecode != "d":
        try:
            return extend(column, values)  # type: ignore[arg-type]
        except TypeError:  # a float: the column holds floats from now on
            column = array("d", column)
    column.extend(values)
    return column


class GammaStats:
    """What gamma keeps of a corpus, fed one document at a time (:meth:`add`): each document's
    best-alignment disorder sum and unit count, and the statistics its chance model is fitted
    to (unit counts, gaps, lengths as flat float arrays, label frequencies), in the order
    :func:`corpus_gamma` reads them: so :meth:`result` gives exactly its value without holding
    any document."""

    def __init__(self) -> None:
        self.sums = array("d")  # per document: the best alignment's disorder sum
        self.units = array("q")  # per document: units of every coder
        self.coders = 0
        self._counts = ints()
        self._gaps = ints()
        self._gaps.append(0)  # pygamma's gap list always holds one 0
        self._lengths = ints()
        self._labels: Counter[str] = Counter()

    def add(self, doc: Continuum, diss: Dissimilarity = DEFAULT) -> None:
        """One document's continuum (its units per coder). Integer offsets are kept as such
        (four bytes a value: the statistics are the same as of their float values)."""
        self.sums.append(best_disorder_sum(doc, diss) if any(doc) else 0.0)
        self.units.append(sum(len(side) for side in doc))
        self.coders = max(self.coders, len(doc))
        counts: list[float] = []
        gaps: list[float] = []
        lengths: list[float] = []
        labels = self._labels
        for side in doc:
            ordered = sorted(side)
            counts.append(len(ordered))
            for k, (s, e, label) in enumerate(ordered):
                lengths.append(e - s)
                labels[label] += 1
                if k:
                    gaps.append(s - ordered[k - 1][1])
            if ordered and ordered[0][0] > 0:
                gaps.append(ordered[0][0])
        self._counts = _numbers(self._counts, counts)
        self._gaps = _numbers(self._gaps, gaps)
        self._lengths = _numbers(self._lengths, lengths)

    def stats(self) -> _Stats | None:
        counts, gaps, lengths, labels = self._counts, self._gaps, self._lengths, self._labels
        if not lengths:
            return None
        cm, gm, lm = statistics.fmean(counts), statistics.fmean(gaps), statistics.fmean(lengths)
        names = sorted(labels)
        total = sum(labels.values())
        return _Stats(self.coders, cm, _pstdev(counts, cm), gm, _pstdev(gaps, gm), lm,
                      _pstdev(lengths, lm), names, [labels[k] / total for k in names])

    def result(self, *, seed: int = 0, samples: int = SAMPLES,
               docs_per_sample: int = DOCS_PER_SAMPLE,
               diss: Dissimilarity = DEFAULT) -> GammaResult:
        """gamma of the documents added (see the module doc)."""
        sums, coders, count = self.sums, self.coders, sum(self.units)
        st = self.stats()
        if count == 0 or coders < 2 or st is None:
            return GammaResult(None, None, None, None, 0, seed, tuple(sums))
        observed = sum(sums) / (count / coders)
        rng = random.Random(seed)
        per_sample = max(1, min(docs_per_sample, len(sums)))
        values = []
        for _ in range(samples):
            total = 0.0
            units = 0
            for _ in range(per_sample):
                doc = _sample(st, rng)
                total += best_disorder_sum(doc, diss)
                units += sum(len(side) for side in doc)
            values.append(total / (units / coders))
        expected = statistics.fmean(values)
        sd = statistics.pstdev(values) if len(values) > 1 else 0.0
        gamma = None if expected <= 0 else 1.0 - observed / expected
        return GammaResult(gamma, observed, expected, sd, samples, seed, tuple(sums))


def corpus_gamma(documents: Sequence[Continuum], *, seed: int = 0, samples: int = SAMPLES,
                 docs_per_sample: int = DOCS_PER_SAMPLE,
                 diss: Dissimilarity = DEFAULT) -> GammaResult:
    """gamma over several documents (see the module doc); one document is pygamma's case."""
    found = GammaStats()
    for doc in documents:
        found.add(doc, diss)
    return found.result(seed=seed, samples=samples, docs_per_sample=docs_per_sample, diss=diss)
