"""Span F1 (exact and overlap) on hand-computed cases."""

from __future__ import annotations

from annotator.core.model import SpanRecord
from annotator.review.metrics import (
    ExactCounts,
    OverlapCounts,
    exact_counts,
    exact_pairs,
    overlap_counts,
)


def sp(key: str, label: str, *frags: tuple[int, int], layer: str = "hedging") -> SpanRecord:
    return SpanRecord(key, layer, label, tuple(frags))


def test_exact_f1_multiset_duplicates_matched_one_to_one() -> None:
    a = [sp("a1", "hedge", (0, 5)), sp("a2", "hedge", (0, 5)), sp("a3", "hedge", (10, 12))]
    b = [sp("b1", "hedge", (0, 5)), sp("b2", "hedge", (10, 13))]
    c = exact_counts(a, b)
    assert c == ExactCounts(3, 2, 1)
    assert c.f1 == 2 * 1 / 5
    assert c.precision == 0.5
    assert c.recall == 1 / 3
    assert exact_pairs(a, b) == [(0, 0)]


def test_exact_needs_label_layer_and_all_fragments() -> None:
    a = [
        sp("a1", "hedge", (0, 5), (8, 10)),
        sp("a2", "booster", (20, 25)),
        sp("a3", "hedge", (30, 35), layer="stance"),
    ]
    b = [
        sp("b1", "hedge", (0, 5)),  # first fragment only: no match
        sp("b2", "hedge", (20, 25)),  # other label
        sp("b3", "hedge", (30, 35)),  # other layer
        sp("b4", "hedge", (0, 5), (8, 10)),
    ]
    assert exact_pairs(a, b) == [(0, 3)]
    assert exact_counts(a, b).f1 == 2 / 7


def test_overlap_one_code_point_is_enough_and_label_must_agree() -> None:
    a = [sp("a1", "hedge", (0, 5)), sp("a2", "hedge", (10, 20)), sp("a3", "booster", (30, 40))]
    b = [
        sp("b1", "hedge", (4, 8)),  # shares code point 4 with a1
        sp("b2", "hedge", (20, 25)),  # touches a2 at 20 but shares nothing
        sp("b3", "hedge", (30, 40)),  # same place as a3, other label
    ]
    c = overlap_counts(a, b)
    assert c == OverlapCounts(3, 3, 1, 1)
    assert c.precision == 1 / 3 and c.recall == 1 / 3
    assert c.f1 == 1 / 3


def test_overlap_precision_over_b_recall_over_a() -> None:
    # one long A span, three short B spans inside it: every span is found
    a = [sp("a", "hedge", (0, 30))]
    b = [sp("b1", "hedge", (1, 2)), sp("b2", "hedge", (10, 12)), sp("b3", "hedge", (40, 42))]
    c = overlap_counts(a, b)
    assert (c.found_a, c.found_b) == (1, 2)
    assert c.recall == 1.0
    assert c.precision == 2 / 3
    assert abs(c.f1 - 2 * (2 / 3) / (1 + 2 / 3)) < 1e-12  # 0.8


def test_overlap_discontinuous_gap_does_not_overlap() -> None:
    a = [sp("a", "hedge", (0, 5), (20, 25))]
    assert overlap_counts(a, [sp("b", "hedge", (6, 19))]).found_a == 0
    assert overlap_counts(a, [sp("b", "hedge", (24, 30))]).found_a == 1
    # B's discontinuous span straddling A's fragment
    assert (
        overlap_counts([sp("a", "hedge", (10, 12))], [sp("b", "hedge", (0, 3), (11, 15))]).f1 == 1.0
    )


def test_overlap_with_long_earlier_fragment() -> None:
    # prefix-max bookkeeping: an early long B span must still be seen behind short ones
    a = [sp("a", "hedge", (50, 52))]
    b = [sp("b1", "hedge", (0, 100)), sp("b2", "hedge", (10, 11)), sp("b3", "hedge", (20, 21))]
    assert overlap_counts(a, b).found_a == 1


def test_undefined_and_one_sided() -> None:
    empty = exact_counts([], [])
    assert empty.f1 is None and empty.precision is None and empty.recall is None
    assert overlap_counts([], []).f1 is None
    only_a = [sp("a", "hedge", (0, 3))]
    assert exact_counts(only_a, []).f1 == 0.0
    assert exact_counts(only_a, []).precision is None
    assert overlap_counts(only_a, []).f1 == 0.0
    assert overlap_counts([], only_a).f1 == 0.0
    assert overlap_counts([], only_a).recall is None


def test_counts_add_up_micro_average() -> None:
    total = ExactCounts(2, 2, 2) + ExactCounts(8, 0, 0)
    assert total == ExactCounts(10, 2, 2)
    assert total.f1 == 4 / 12
    o = OverlapCounts(1, 1, 1, 1) + OverlapCounts(1, 3, 0, 1)
    assert o == OverlapCounts(2, 4, 1, 2)
    assert o.f1 == 0.5
