"""Disagreements between annotators A and B on one document, for review and adjudication.

Contract: :func:`diff_document` sorts every span of A and B (layer by layer, never across
layers) into exactly one of

* ``agreed``: exact match (layer, label, fragments) with equal attributes;
* :attr:`Kind.ATTRIBUTES`: exact match, attributes differ;
* :attr:`Kind.LABEL`: same fragments, different label;
* :attr:`Kind.BOUNDARIES`: same label, overlapping by at least one code point, different
  fragments;
* :attr:`Kind.ONLY_A` / :attr:`Kind.ONLY_B`: everything left.

Pairing is one to one and greedy in that order of precedence, so a span appears once. Exact
pairs are the order-free best assignment of :mod:`annotator.review.matching` (duplicates pair so
that most attributes agree). Everything after that works on each side's spans sorted by
(fragments, label, attributes, id), so the input order never changes the outcome: LABEL pairs
take the first such B span with the same fragments; within BOUNDARIES each A span (in text order)
takes the unpaired B span overlapping it most, ties to the earliest. Spans that overlap with different labels are reported as ONLY_A + ONLY_B. The lists are
sorted by position (start, end, layer). Spans are returned as given (same objects).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from annotator.core.model import SpanRecord
from annotator.review.matching import canonical_order, exact_pairs


class Kind(StrEnum):
    ONLY_A = "only_a"
    ONLY_B = "only_b"
    LABEL = "label"
    BOUNDARIES = "boundaries"
    ATTRIBUTES = "attributes"


@dataclass(frozen=True)
class Disagreement:
    """One disagreement; ``a`` is None for ONLY_B, ``b`` is None for ONLY_A."""

    kind: Kind
    layer: str
    a: SpanRecord | None
    b: SpanRecord | None

    @property
    def start(self) -> int:
        return min(s.start for s in (self.a, self.b) if s is not None)

    @property
    def end(self) -> int:
        return max(s.end for s in (self.a, self.b) if s is not None)


@dataclass(frozen=True)
class DocumentDiff:
    agreed: list[tuple[SpanRecord, SpanRecord]]
    disagreements: list[Disagreement]

    def of_kind(self, kind: Kind) -> list[Disagreement]:
        return [d for d in self.disagreements if d.kind == kind]


def _shared(a: SpanRecord, b: SpanRecord) -> int:
    total = 0
    for s1, e1 in a.fragments:
        for s2, e2 in b.fragments:
            total += max(0, min(e1, e2) - max(s1, s2))
    return total


def _diff_layer(
    layer: str, spans_a: list[SpanRecord], spans_b: list[SpanRecord]
) -> tuple[list[tuple[SpanRecord, SpanRecord]], list[Disagreement]]:
    spans_a = canonical_order(spans_a)
    spans_b = canonical_order(spans_b)
    agreed = []
    out = []
    left_a = set(range(len(spans_a)))
    left_b = set(range(len(spans_b)))
    for i, j in exact_pairs(spans_a, spans_b):
        left_a.discard(i)
        left_b.discard(j)
        if spans_a[i].attributes == spans_b[j].attributes:
            agreed.append((spans_a[i], spans_b[j]))
        else:
            out.append(Disagreement(Kind.ATTRIBUTES, layer, spans_a[i], spans_b[j]))

    by_frags: dict[tuple[tuple[int, int], ...], list[int]] = defaultdict(list)
    for j in sorted(left_b):
        by_frags[tuple(spans_b[j].fragments)].append(j)
    for i in sorted(left_a):
        queue = by_frags.get(tuple(spans_a[i].fragments))
        if queue:
            j = queue.pop(0)
            left_a.discard(i)
            left_b.discard(j)
            out.append(Disagreement(Kind.LABEL, layer, spans_a[i], spans_b[j]))

    for i in sorted(left_a, key=lambda k: (spans_a[k].start, spans_a[k].end, k)):
        a = spans_a[i]
        best, best_j = 0, -1
        for j in sorted(left_b, key=lambda k: (spans_b[k].start, k)):
            b = spans_b[j]
            if b.label != a.label or b.start >= a.end or b.end <= a.start:
                continue
            shared = _shared(a, b)
            if shared > best:
                best, best_j = shared, j
        if best_j >= 0:
            left_a.discard(i)
            left_b.discard(best_j)
            out.append(Disagreement(Kind.BOUNDARIES, layer, a, spans_b[best_j]))

    out.extend(Disagreement(Kind.ONLY_A, layer, spans_a[i], None) for i in left_a)
    out.extend(Disagreement(Kind.ONLY_B, layer, None, spans_b[j]) for j in left_b)
    return agreed, out


def diff_document(
    spans_a: Sequence[SpanRecord],
    spans_b: Sequence[SpanRecord],
    *,
    layers: Collection[str] | None = None,
) -> DocumentDiff:
    """Agreed spans and disagreements of one document (see module doc); ``layers`` filters."""
    grouped: dict[str, tuple[list[SpanRecord], list[SpanRecord]]] = defaultdict(lambda: ([], []))
    for s in spans_a:
        if layers is None or s.layer in layers:
            grouped[s.layer][0].append(s)
    for s in spans_b:
        if layers is None or s.layer in layers:
            grouped[s.layer][1].append(s)
    agreed: list[tuple[SpanRecord, SpanRecord]] = []
    disagreements: list[Disagreement] = []
    for layer in sorted(grouped):
        ag, dis = _diff_layer(layer, *grouped[layer])
        agreed.extend(ag)
        disagreements.extend(dis)
    agreed.sort(key=lambda p: (p[0].start, p[0].end, p[0].layer, p[0].label))
    disagreements.sort(key=lambda d: (d.start, d.end, d.layer, d.kind.value))
    return DocumentDiff(agreed, disagreements)
