"""Identical duplicate spans: the pairing (attributes, relations, diff) never depends on order."""

from __future__ import annotations

import random
from itertools import permutations

import pytest

from annotator.core.model import RelationRecord, SpanRecord
from annotator.review.agreement import Annotations, MatchedDocument, compute_agreement
from annotator.review.diff import diff_document
from annotator.review.matching import EXACT_LIMIT, assign, exact_pairs
from annotator.review.output import to_json

TEXT = "a b c d e f g h i j"


def sp(key: str, start: int, end: int, label: str = "hedge", layer: str = "hedging",
       **attrs: str) -> SpanRecord:
    return SpanRecord(key, layer, label, ((start, end),), dict(attrs))


def agreement(a: Annotations, b: Annotations) -> dict:
    return to_json(compute_agreement([MatchedDocument("d", TEXT, [a, b])]), per_document=False)


def test_attribute_kappa_of_duplicates_is_right_in_every_order() -> None:
    # the case: two identical spans per side, certainty low/high on both sides.
    # Pairing low-low and high-high gives kappa 1; pairing them crosswise gives -1.
    a = [sp("a1", 0, 3, certainty="low"), sp("a2", 0, 3, certainty="high")]
    b = [sp("b1", 0, 3, certainty="low"), sp("b2", 0, 3, certainty="high")]
    for order_a in permutations(a):
        for order_b in permutations(b):
            out = agreement(Annotations(list(order_a)), Annotations(list(order_b)))
            cert = out["layers"]["hedging"]["attributes"]["certainty"]
            assert cert == {"pairs": 2, "agreeing": 2, "proportion": 1.0, "kappa": 1.0}


def test_relation_f1_of_duplicates_is_right_in_every_order() -> None:
    # two identical "hedge" spans per side; one of them is attributed to a source. Which of the
    # duplicates carries the relation differs between the files: the relation still matches.
    src_a, src_b = sp("sa", 8, 9, "source", "attribution"), sp("sb", 8, 9, "source", "attribution")
    a = [sp("a1", 0, 3), sp("a2", 0, 3), src_a]
    b = [sp("b1", 0, 3), sp("b2", 0, 3), src_b]
    rel_a = [RelationRecord("r", "attributed_to", "a1", "sa")]
    rel_b = [RelationRecord("q", "attributed_to", "b2", "sb")]
    for order_a in permutations(a):
        for order_b in permutations(b):
            out = agreement(Annotations(list(order_a), rel_a), Annotations(list(order_b), rel_b))
            assert out["relations"]["f1"] == 1.0
            assert out["relations"]["matched"] == 1


def test_relations_between_two_duplicate_groups() -> None:
    # x1 -> y1, x2 -> y2 in A; x1 -> y2, x2 -> y1 in B: structurally the same, both match
    a = [sp("x1", 0, 1), sp("x2", 0, 1), sp("y1", 4, 5, "source", "attribution"),
         sp("y2", 4, 5, "source", "attribution")]
    b = [sp("X1", 0, 1), sp("X2", 0, 1), sp("Y1", 4, 5, "source", "attribution"),
         sp("Y2", 4, 5, "source", "attribution")]
    rel_a = [RelationRecord("r1", "attributed_to", "x1", "y1"),
             RelationRecord("r2", "attributed_to", "x2", "y2")]
    rel_b = [RelationRecord("q1", "attributed_to", "X1", "Y2"),
             RelationRecord("q2", "attributed_to", "X2", "Y1")]
    rng = random.Random(3)
    for _ in range(20):
        sa, sb = a[:], b[:]
        rng.shuffle(sa)
        rng.shuffle(sb)
        out = agreement(Annotations(sa, rel_a[::rng.choice((1, -1))]),
                        Annotations(sb, rel_b[::rng.choice((1, -1))]))
        assert out["relations"]["matched"] == 2


def test_shuffled_duplicates_give_identical_json() -> None:
    rng = random.Random(7)
    values = ["low", "high", "mid"]
    a = [sp(f"a{i}", 0, 3, certainty=rng.choice(values)) for i in range(6)]
    a += [sp(f"a{i}", 4, 7, certainty=rng.choice(values)) for i in range(6, 9)]
    b = [sp(f"b{i}", 0, 3, certainty=rng.choice(values)) for i in range(5)]
    b += [sp(f"b{i}", 4, 7, certainty=rng.choice(values)) for i in range(5, 9)]
    rel_a = [RelationRecord(f"r{i}", "supports", f"a{i}", f"a{i + 6}") for i in range(3)]
    rel_b = [RelationRecord(f"q{i}", "supports", f"b{i}", f"b{i + 5}") for i in range(3)]
    first = agreement(Annotations(a, rel_a), Annotations(b, rel_b))
    for _ in range(30):
        sa, sb, ra, rb = a[:], b[:], rel_a[:], rel_b[:]
        for x in (sa, sb, ra, rb):
            rng.shuffle(x)
        assert agreement(Annotations(sa, ra), Annotations(sb, rb)) == first
    # the best assignment: per group, as many equal values as the multisets allow
    cert = first["layers"]["hedging"]["attributes"]["certainty"]
    assert cert["pairs"] == 5 + 3


def test_diff_of_duplicates_does_not_depend_on_order() -> None:
    a = [sp("a1", 0, 3, certainty="low"), sp("a2", 0, 3, certainty="high")]
    b = [sp("b1", 0, 3, certainty="high"), sp("b2", 0, 3, certainty="low"),
         sp("b3", 0, 3, "booster")]
    for order_a in permutations(a):
        for order_b in permutations(b):
            d = diff_document(list(order_a), list(order_b))
            assert sorted((x.key, y.key) for x, y in d.agreed) == [("a1", "b2"), ("a2", "b1")]
            assert [(x.kind.value, x.b.key if x.b else None) for x in d.disagreements] == [
                ("only_b", "b3")]


def test_assign_is_a_maximum_weight_assignment() -> None:
    # greedy would take the 5 and then be left with 0 + 0; the best is 4 + 4
    assert assign([[5, 4], [4, 0]]) == [(0, 1), (1, 0)]
    assert assign([[1, 0, 3]]) == [(0, 2)]
    assert assign([[0], [2], [1]]) == [(1, 0)]
    w = [[(x * 7 + y * 3) % 5 for y in range(5)] for x in range(4)]
    best = max(sum(w[x][p[x]] for x in range(4)) for p in permutations(range(5), 4))
    got = assign(w)
    assert len(got) == 4 and sum(w[x][y] for x, y in got) == best


def test_large_duplicate_groups_stay_one_to_one() -> None:
    n = int(EXACT_LIMIT**0.5) + 5
    a = [sp(f"a{i}", 0, 3, certainty=str(i % 3)) for i in range(n)]
    b = [sp(f"b{i}", 0, 3, certainty=str(i % 3)) for i in range(n - 2)]
    pairs = exact_pairs(a, b)
    assert len(pairs) == n - 2
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == n - 2
    agree = sum(a[i].attributes == b[j].attributes for i, j in pairs)
    assert agree == n - 2


@pytest.mark.parametrize("reverse", [False, True])
def test_counts_never_depend_on_the_pairing(reverse: bool) -> None:
    a = [sp("a1", 0, 3), sp("a2", 0, 3), sp("a3", 0, 3)]
    b = [sp("b1", 0, 3)]
    out = agreement(Annotations(a[::-1] if reverse else a), Annotations(b))
    assert out["layers"]["hedging"]["exact_matches"] == 1
    assert out["layers"]["hedging"]["f1_exact"] == 2 * 1 / 4
