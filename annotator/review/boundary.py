"""Boundary-tolerant span matching: A's and B's spans of one layer paired by Jaccard overlap.

Contract (the ``f1_boundary`` of :mod:`annotator.review.measures`): a span of A and one of B
match when they have the same label and the Jaccard overlap of their code points (all
fragments, a span's overlapping fragments merged) is at least the threshold; one to one, the
pairs with the highest Jaccard first (ties: A's then B's order).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from annotator.core.model import SpanRecord
from annotator.review import unitizing
from annotator.review.metrics import ExactCounts

JACCARD = 0.5


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
