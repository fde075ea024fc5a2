"""Span matching and F1 counts between two annotators A and B of the same document.

Contracts
---------
* Exact match: two spans match when layer, label and all fragments ``(start, end)`` are equal.
  Multiset semantics: duplicates are matched one to one (which duplicate pairs with which is
  decided by :mod:`annotator.review.matching`; the counts never depend on it).
  ``F1 = 2·|A∩B| / (|A|+|B|)``; precision ``|A∩B|/|B|``, recall ``|A∩B|/|A|``.
* Overlap match: a span of A is *found* when B has a span of the same layer and label sharing at
  least one code point with it (any fragment with any fragment), and symmetrically for B.
  Precision = found B spans / |B|, recall = found A spans / |A|, F1 their harmonic mean.
* Counts add up over documents (micro-average); ratios are derived from the counts.
  Undefined ratios are ``None``: precision with |B| = 0, recall with |A| = 0, F1 with
  |A| + |B| = 0. With exactly one side empty F1 is 0.0 (nothing of the other side is found),
  which is also what the exact formula gives.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from annotator.core.model import SpanRecord
from annotator.review.matching import exact_key, exact_pairs, indices_by

__all__ = [
    "ExactCounts",
    "OverlapCounts",
    "exact_counts",
    "exact_counts_by_label",
    "exact_key",
    "exact_pairs",
    "found_flags",
    "overlap_counts",
    "overlap_counts_by_label",
]

PAIRWISE = 64
"""A label whose spans make at most this many (A, B) pairs is compared pair by pair; a larger
one through sorted fragments, O((|A|+|B|) log n) (same flags either way: tested)."""


def _groups(spans: Sequence[SpanRecord]) -> dict[tuple[str, str], list[int]]:
    """Indices of ``spans`` by (layer, label)."""
    return indices_by((span.layer, span.label) for span in spans)


def _flag_found(spans: Sequence[SpanRecord], ids: list[int], others: Sequence[SpanRecord],
                other_ids: list[int], flags: list[bool]) -> None:
    """Flag each span of ``ids`` that shares a code point with a fragment of ``other_ids``."""
    frags = [f for j in other_ids for f in others[j].fragments]
    frags.sort()
    starts = [s for s, _ in frags]
    # the largest end among the fragments up to each one (from -1)
    prefix_max_end = list(accumulate([e for _, e in frags], max, initial=-1))[1:]
    for i in ids:
        for fs, fe in spans[i].fragments:
            k = bisect_left(starts, fe)  # fragments of others starting before fe
            if k and prefix_max_end[k - 1] > fs:
                flags[i] = True
                break


def _touch(fragments: Sequence[tuple[int, int]], others: Sequence[tuple[int, int]]) -> bool:
    """Whether a fragment of one shares a code point with a fragment of the other."""
    if len(fragments) == 1 and len(others) == 1:
        s, e = fragments[0]
        os, oe = others[0]
        return os < e and s < oe
    return any(os < e and s < oe for s, e in fragments for os, oe in others)


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True)
class ExactCounts:
    """Exact-match counts: ``matched`` = |A∩B| (multiset)."""

    n_a: int = 0
    n_b: int = 0
    matched: int = 0

    def __add__(self, other: ExactCounts) -> ExactCounts:
        return ExactCounts(self.n_a + other.n_a, self.n_b + other.n_b, self.matched + other.matched)

    @property
    def precision(self) -> float | None:
        return _ratio(self.matched, self.n_b)

    @property
    def recall(self) -> float | None:
        return _ratio(self.matched, self.n_a)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.matched, self.n_a + self.n_b)


@dataclass(frozen=True)
class OverlapCounts:
    """Overlap-match counts: ``found_a`` of A's spans are found in B, ``found_b`` of B's in A."""

    n_a: int = 0
    n_b: int = 0
    found_a: int = 0
    found_b: int = 0

    def __add__(self, other: OverlapCounts) -> OverlapCounts:
        return OverlapCounts(
            self.n_a + other.n_a,
            self.n_b + other.n_b,
            self.found_a + other.found_a,
            self.found_b + other.found_b,
        )

    @property
    def precision(self) -> float | None:
        return _ratio(self.found_b, self.n_b)

    @property
    def recall(self) -> float | None:
        return _ratio(self.found_a, self.n_a)

    @property
    def f1(self) -> float | None:
        if self.n_a + self.n_b == 0:
            return None
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return 0.0
        return 2 * p * r / (p + r)


def exact_counts(spans_a: Sequence[SpanRecord], spans_b: Sequence[SpanRecord]) -> ExactCounts:
    """Exact-match counts of two span lists (already restricted to what is being compared)."""
    return ExactCounts(len(spans_a), len(spans_b), len(exact_pairs(spans_a, spans_b)))


def exact_counts_by_label(
    spans_a: Sequence[SpanRecord],
    spans_b: Sequence[SpanRecord],
    pairs: Sequence[tuple[int, int]] | None = None,
) -> dict[str, ExactCounts]:
    """Exact-match counts per label (spans of one layer); ``pairs`` from :func:`exact_pairs`.
    Labels in the order they come: A's, then B's others."""
    if pairs is None:
        pairs = exact_pairs(spans_a, spans_b)
    counts = _label_counts(spans_a, spans_b)
    for i, _ in pairs:
        counts[spans_a[i].label][2] += 1
    return {label: ExactCounts(c[0], c[1], c[2]) for label, c in counts.items()}


def _label_counts(spans_a: Sequence[SpanRecord], spans_b: Sequence[SpanRecord],
                  flags_a: Sequence[bool] = (), flags_b: Sequence[bool] = ()
                  ) -> dict[str, list[int]]:
    """Per label, in the order labels come (A's, then B's others): ``[spans of A, spans of B,
    0, flagged spans of A, flagged spans of B]`` (no flags given: none flagged)."""
    counts: dict[str, list[int]] = {}
    for side, flags in ((spans_a, flags_a), (spans_b, flags_b)):
        n, f = (0, 3) if side is spans_a else (1, 4)
        for k, span in enumerate(side):
            c = counts.get(span.label)
            if c is None:
                c = counts[span.label] = [0, 0, 0, 0, 0]
            c[n] += 1
            if flags and flags[k]:
                c[f] += 1
    return counts


def overlap_counts(spans_a: Sequence[SpanRecord], spans_b: Sequence[SpanRecord]) -> OverlapCounts:
    """Overlap-match counts; O((|A|+|B|) log |B|) per label via sorted fragments."""
    flags_a, flags_b = found_flags(spans_a, spans_b)
    return OverlapCounts(len(spans_a), len(spans_b), sum(flags_a), sum(flags_b))


def found_flags(
    spans_a: Sequence[SpanRecord], spans_b: Sequence[SpanRecord]
) -> tuple[list[bool], list[bool]]:
    """Per-span overlap flags for A (found in B) and B (found in A), for per-label breakdowns."""
    flags_a, flags_b = [False] * len(spans_a), [False] * len(spans_b)
    groups_b = _groups(spans_b)
    for key, ia in _groups(spans_a).items():
        ib = groups_b.get(key)
        if ib is None:
            continue
        if len(ia) * len(ib) <= PAIRWISE:  # overlapping is symmetric: each pair once
            for i in ia:
                fragments = spans_a[i].fragments
                for j in ib:
                    if _touch(fragments, spans_b[j].fragments):
                        flags_a[i] = flags_b[j] = True
        else:
            _flag_found(spans_a, ia, spans_b, ib, flags_a)
            _flag_found(spans_b, ib, spans_a, ia, flags_b)
    return flags_a, flags_b


def overlap_counts_by_label(
    spans_a: Sequence[SpanRecord], spans_b: Sequence[SpanRecord]
) -> dict[str, OverlapCounts]:
    """Overlap-match counts per label (spans of one layer), labels in the order they come."""
    flags_a, flags_b = found_flags(spans_a, spans_b)
    counts = _label_counts(spans_a, spans_b, flags_a, flags_b)
    return {label: OverlapCounts(c[0], c[1], c[3], c[4]) for label, c in counts.items()}
