"""What the span measures of one layer keep of each document, fed one document at a time.

Contract: :meth:`LayerStats.add` takes one matched document's length and its spans of the layer
per coder (anything with ``label`` and ``fragments``); it keeps only integers in flat columns
(:mod:`int_columns`: boundary-match counts, alpha_U's units and gaps) and gamma's
per-document sums and statistics (:class:`annotator.review.gamma.GammaStats`): no span, unit
or table object outlives the call. The document's own figures (span counts, token table) are
read later from the documents' figures (:mod:`annotator.review.doc_results`). The arrays the
measures read (:mod:`annotator.review.measures`) are made from both once the corpus has been
read, and hold exactly the values the measures computed when every document was kept: the
same numbers in the same order. So ``agree`` on millions of spans needs a few hundred bytes
per document and layer, not the documents.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from annotator.review import unitizing
from annotator.review.boundary import boundary_counts
from annotator.review.gamma import GammaStats
from annotator.review.int_columns import extend, ints
from annotator.review.metrics import ExactCounts


class LabelUnits:
    """alpha_U's data of one label: per document where some coder has a span of it, the
    observed distance sum, the coders with units, and their units' lengths and gaps."""

    __slots__ = ("coded", "docs", "gap_cuts", "gaps", "len_cuts", "lengths", "obs")

    def __init__(self) -> None:
        self.docs = ints()  # documents with a span of the label (in order)
        self.obs = array("d")  # their observed distance sums (as float64, as numpy made them)
        self.coded = ints()  # how many coders have a unit there
        self.lengths = ints()  # unit lengths, document after document, coder after coder
        self.len_cuts = ints()  # where each listed document's lengths end
        self.gaps = ints()  # the gaps of the coders with units, likewise
        self.gap_cuts = ints()


class LayerStats:
    """One layer's per-document figures (see the module doc)."""

    def __init__(self, coders: int, jaccard: float) -> None:
        self.coders = coders
        self.jaccard = jaccard
        self.docs = 0
        self.labels: dict[str, int] = {}  # every label of a span of the layer -> its id
        self.boundary = ints()  # per document: n_a, n_b, matched
        self.label_boundary = ints()  # per document and label: document, label id, 3 counts
        self.units: dict[int, LabelUnits] = {}
        self.gamma = GammaStats()

    def add(self, length: int, sides: Sequence[Sequence[Any]]) -> None:
        """One document: its text length and its spans of the layer per coder."""
        d = self.docs
        self.docs += 1
        label_id = self.labels
        for side in sides:
            for s in side:
                if s.label not in label_id:
                    label_id[s.label] = len(label_id)
        found = boundary_counts(sides[0], sides[1], self.jaccard)
        total = sum(found.values(), ExactCounts())
        self.boundary = extend(self.boundary, (total.n_a, total.n_b, total.matched))
        lb: list[int] = []
        for label, c in found.items():
            lb += (d, label_id[label], c.n_a, c.n_b, c.matched)
        self.label_boundary = extend(self.label_boundary, lb)
        self._add_units(d, length, sides)
        # integer offsets: gamma's figures are those of the same offsets as floats
        self.gamma.add([[(a, b, s.label) for s in side for a, b in s.fragments]
                        for side in sides])

    def _add_units(self, d: int, length: int, sides: Sequence[Sequence[Any]]) -> None:
        by_label: dict[str, list[list[tuple[int, int]]]] = defaultdict(
            lambda: [[] for _ in range(self.coders)])
        for c, side in enumerate(sides):
            for s in side:
                by_label[s.label][c].extend(s.fragments)
        for label, per_coder in by_label.items():
            merged = [unitizing.merge_units(fr) for fr in per_coder]
            k = self.labels[label]
            u = self.units.get(k)
            if u is None:
                u = self.units[k] = LabelUnits()
            coded = [m for m in merged if m]
            u.docs = extend(u.docs, (d,))
            u.obs.append(float(unitizing.pair_observed(merged, length)))
            u.coded = extend(u.coded, (len(coded),))
            u.lengths = extend(u.lengths, [e - s for m in coded for s, e in m])
            u.len_cuts = extend(u.len_cuts, (len(u.lengths),))
            u.gaps = extend(u.gaps, [g for m in coded for g in unitizing.gaps_of(m, length)])
            u.gap_cuts = extend(u.gap_cuts, (len(u.gaps),))


def sparse(column: Sequence[int], width: int, labels: Sequence[str], ids: Mapping[str, int],
           docs: int) -> Any:
    """``documents x labels x width`` counts from (document, label id, counts...) records;
    labels in the order given (ids of labels not given are left out)."""
    import numpy as np

    out = np.zeros((docs, len(labels), width), dtype=np.float64)
    if not len(column):
        return out
    rec = np.asarray(column, dtype=np.int64).reshape(-1, width + 2)
    top = max(max(ids.values(), default=0), int(rec[:, 1].max())) + 1
    pos = np.full(top, -1, dtype=np.int64)
    for i, label in enumerate(labels):
        if label in ids:
            pos[ids[label]] = i
    keep = pos[rec[:, 1]] >= 0
    out[rec[keep, 0], pos[rec[keep, 1]]] = rec[keep, 2:]
    return out


def per_document(column: Sequence[int], width: int) -> Any:
    """``documents x width`` counts of a column of ``width`` integers per document."""
    import numpy as np

    return np.asarray(column, dtype=np.float64).reshape(-1, width)


def label_total(column: Sequence[int], label: int) -> ExactCounts:
    """The sum over documents of a label's (document, label, n_a, n_b, matched) records."""
    n_a = n_b = matched = 0
    for k in range(0, len(column), 5):
        if column[k + 1] == label:
            n_a += column[k + 2]
            n_b += column[k + 3]
            matched += column[k + 4]
    return ExactCounts(n_a, n_b, matched)


def boundary_f1(column: Sequence[int]) -> list[float | None]:
    """Each document's boundary F1 from its (n_a, n_b, matched) triple."""
    return [ExactCounts(column[k], column[k + 1], column[k + 2]).f1
            for k in range(0, len(column), 3)]
