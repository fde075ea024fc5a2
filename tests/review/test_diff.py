"""The disagreement finder on one document."""

from __future__ import annotations

from annotator.core.model import SpanRecord
from annotator.review.diff import Kind, diff_document


def sp(
    key: str, label: str, *frags: tuple[int, int], layer: str = "hedging", **attrs: str
) -> SpanRecord:
    return SpanRecord(key, layer, label, tuple(frags), dict(attrs))


def test_every_kind_once() -> None:
    a = [
        sp("a_ok", "hedge", (0, 4)),
        sp("a_attr", "hedge", (10, 14), certainty="low"),
        sp("a_label", "hedge", (20, 24)),
        sp("a_bound", "hedge", (30, 38)),
        sp("a_only", "hedge", (50, 55)),
        sp("a_disc", "booster", (60, 62), (70, 72)),
    ]
    b = [
        sp("b_ok", "hedge", (0, 4)),
        sp("b_attr", "hedge", (10, 14), certainty="high"),
        sp("b_label", "booster", (20, 24)),
        sp("b_bound", "hedge", (34, 40)),
        sp("b_only", "hedge", (80, 85)),
        sp("b_disc", "booster", (60, 62)),  # boundaries of a discontinuous span
    ]
    d = diff_document(a, b)
    assert [(x.key, y.key) for x, y in d.agreed] == [("a_ok", "b_ok")]
    got = [(x.kind, x.a.key if x.a else None, x.b.key if x.b else None) for x in d.disagreements]
    assert got == [
        (Kind.ATTRIBUTES, "a_attr", "b_attr"),
        (Kind.LABEL, "a_label", "b_label"),
        (Kind.BOUNDARIES, "a_bound", "b_bound"),
        (Kind.ONLY_A, "a_only", None),
        (Kind.BOUNDARIES, "a_disc", "b_disc"),
        (Kind.ONLY_B, None, "b_only"),
    ]
    assert len(d.of_kind(Kind.BOUNDARIES)) == 2


def test_duplicates_and_best_overlap_pairing() -> None:
    a = [sp("a1", "hedge", (0, 5)), sp("a2", "hedge", (0, 5)), sp("a3", "hedge", (10, 20))]
    b = [sp("b1", "hedge", (0, 5)), sp("b2", "hedge", (8, 11)), sp("b3", "hedge", (12, 19))]
    d = diff_document(a, b)
    assert [(x.key, y.key) for x, y in d.agreed] == [("a1", "b1")]
    kinds = {(x.kind, x.a.key if x.a else None, x.b.key if x.b else None) for x in d.disagreements}
    assert kinds == {
        (Kind.ONLY_A, "a2", None),
        (Kind.BOUNDARIES, "a3", "b3"),  # 7 shared code points beat 1
        (Kind.ONLY_B, None, "b2"),
    }


def test_layers_never_mix_and_filter() -> None:
    a = [sp("a", "hedge", (0, 5), layer="hedging")]
    b = [sp("b", "hedge", (0, 5), layer="stance")]
    d = diff_document(a, b)
    assert d.agreed == []
    assert [x.kind for x in d.disagreements] == [Kind.ONLY_A, Kind.ONLY_B]
    assert diff_document(a, b, layers={"stance"}).disagreements[0].kind == Kind.ONLY_B


def test_different_label_overlapping_is_two_one_sided() -> None:
    d = diff_document([sp("a", "hedge", (0, 5))], [sp("b", "booster", (2, 8))])
    assert [x.kind for x in d.disagreements] == [Kind.ONLY_A, Kind.ONLY_B]


def test_empty() -> None:
    d = diff_document([], [])
    assert d.agreed == [] and d.disagreements == []
