"""Token labelling and kappa/pi/alpha: hand cases, published examples, krippendorff and NLTK."""

from __future__ import annotations

import math
from collections import Counter

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import SpanRecord
from annotator.review.tokens_agreement import (
    NONE,
    _nltk_token_spans,
    _regex_token_spans,
    binary_table,
    coefficients,
    count_rows,
    label_tokens,
    token_spans,
)


def sp(label: str, *frags: tuple[int, int]) -> SpanRecord:
    return SpanRecord("k", "layer", label, tuple(frags))


# --- tokens -----------------------------------------------------------------------------------

TRICKY = 'He said "it\'s 👍🏽 fine" — قال المتحدث, cafe\u0301 done.'


@pytest.mark.parametrize("tokenize", [token_spans, _nltk_token_spans, _regex_token_spans])
def test_token_offsets_are_code_points_sorted_and_disjoint(tokenize) -> None:
    spans = tokenize(TRICKY)
    texts = [TRICKY[s:e] for s, e in spans]
    assert "قال" in texts and "المتحدث" in texts
    assert "cafe\u0301" in texts  # combining mark stays with its letter
    assert all(s < e for s, e in spans)
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False))
    assert "".join(texts) == "".join(TRICKY.split())  # nothing lost but white space


# --- labelling ----------------------------------------------------------------------------------

TOKENS = [(i, i + 1) for i in range(0, 20, 2)]  # "a b c d e f g h i j": 10 one-letter tokens


def test_label_tokens_none_and_partial_cover() -> None:
    labels = label_tokens([(0, 4), (5, 9), (10, 14)], [sp("hedge", (3, 6))])
    assert labels == ["hedge", "hedge", NONE]  # one shared code point is enough


def test_label_tokens_longest_then_earliest_then_label_name() -> None:
    spans = [
        sp("short", (4, 5)),  # token 2 only
        sp("long", (2, 9)),  # tokens 1..4, 7 code points
        sp("zeta", (10, 13)),  # tokens 5..6, 3 code points, starts at 10
        sp("late", (12, 15)),  # tokens 6..7, 3 code points, starts later -> loses token 6
        sp("beta", (16, 19)),  # tokens 8..9, tie on length and start with "alpha"
        sp("alpha", (16, 19)),
    ]
    labels = label_tokens(TOKENS, spans)
    assert labels == [
        "none",
        "long",
        "long",
        "long",
        "long",
        "zeta",
        "zeta",
        "late",
        "alpha",
        "alpha",
    ]


def test_label_tokens_discontinuous_gap_is_not_covered() -> None:
    labels = label_tokens(TOKENS, [sp("hedge", (0, 3), (8, 9))])
    assert labels == ["hedge", "hedge", NONE, NONE, "hedge"] + [NONE] * 5


def test_label_tokens_length_is_sum_of_fragments() -> None:
    # a discontinuous span of 2+2 code points beats a continuous span of 3 on the shared token
    labels = label_tokens(TOKENS, [sp("cont", (0, 3)), sp("disc", (2, 4), (6, 8))])
    assert labels[1] == "disc" and labels[0] == "cont"


# --- coefficients: hand-computed ----------------------------------------------------------------


def test_cohen_kappa_by_hand() -> None:
    # 10 items: A = x x x x x y y y y y, B = x x x x y y y y y y (one disagreement)
    a = ["x"] * 5 + ["y"] * 5
    b = ["x"] * 4 + ["y"] * 6
    c = coefficients(count_rows(a, b))
    assert c.observed == pytest.approx(0.9)
    # Ae = .5*.4 + .5*.6 = .5  -> kappa = .4/.5
    assert c.kappa == pytest.approx(0.8)
    # pooled: x 9, y 11 of 20 -> Ae = (81+121)/400 = .505
    assert c.pi == pytest.approx((0.9 - 0.505) / 0.495)
    # alpha = 1 - (n-1) * Do_pairs / De_pairs = 1 - 19 * 2 / (2*9*11)
    assert c.alpha == pytest.approx(1 - 19 * 2 / 198)


def test_artstein_poesio_example() -> None:
    """A&P (2008) stat/ireq/chck, 100 utterances: Ao .88, pi .7995, kappa .8013 (NLTK doctest)."""
    table = Counter(
        {
            ("stat", "stat"): 46,
            ("stat", "ireq"): 6,
            ("ireq", "ireq"): 32,
            ("chck", "ireq"): 6,
            ("chck", "chck"): 10,
        }
    )
    c = coefficients(table)
    assert c.observed == pytest.approx(0.88)
    assert round(c.pi, 5) == 0.79953
    assert round(c.kappa, 4) == 0.8013  # Ae = .52*.46 + .32*.44 + .16*.10 = .396
    n = coefficients(table, engine="nltk")
    assert n.observed == pytest.approx(c.observed)
    assert n.kappa == pytest.approx(c.kappa)
    assert n.pi == pytest.approx(c.pi)
    assert n.alpha == pytest.approx(c.alpha)


def _kripp_table(data: list[list[float]], names: dict[float, str]) -> Counter:
    rows = zip(*data, strict=True)
    return Counter(tuple(None if math.isnan(v) else names[v] for v in row) for row in rows)


NAN = float("nan")
KRIPP_4X12 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def test_krippendorff_four_coders_missing_values() -> None:
    """Krippendorff (2011), 4 observers x 12 units with missing data: nominal alpha 0.743."""
    table = _kripp_table(KRIPP_4X12, {v: f"v{int(v)}" for v in range(1, 6)})
    c = coefficients(table, coders=4)
    assert round(c.alpha, 3) == 0.743
    expected = krippendorff.alpha(reliability_data=KRIPP_4X12, level_of_measurement="nominal")
    assert c.alpha == pytest.approx(expected)
    assert coefficients(table, coders=4, engine="nltk").alpha == pytest.approx(expected)


def test_krippendorff_two_coders_nominal() -> None:
    """Krippendorff (2011), nominal, 2 observers, no missing data: alpha 0.692."""
    a = ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d", "d", "a"]
    b = ["b", "a", "b", "b", "b", "c", "c", "c", "e", "d", "d", "d"]
    c = coefficients(count_rows(a, b))
    assert round(c.alpha, 3) == 0.692


def test_undefined_values_are_none() -> None:
    all_none = coefficients(count_rows([NONE] * 5, [NONE] * 5))
    assert all_none.observed == 1.0
    assert all_none.kappa is None and all_none.pi is None and all_none.alpha is None
    empty = coefficients(Counter())
    assert (empty.observed, empty.kappa, empty.alpha) == (None, None, None)
    # one coder constant, the other not: kappa 0 (defined), alpha defined
    c = coefficients(count_rows(["x", "x", "x"], ["x", "y", "x"]))
    assert c.kappa == pytest.approx(0.0)
    assert c.alpha is not None
    with pytest.raises(ValueError):
        coefficients(Counter(), engine="spss")


def test_binary_table_recodes_other_labels() -> None:
    table = count_rows(["x", "y", NONE], ["x", "x", "y"])
    assert binary_table(table, "x") == Counter({("x", "x"): 1, (NONE, "x"): 1, (NONE, NONE): 1})


# --- random data against krippendorff and NLTK --------------------------------------------------

labels_st = st.sampled_from(["none", "none", "hedge", "booster", "source"])


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda c: st.lists(st.lists(labels_st, min_size=c, max_size=c), min_size=2, max_size=40)
    )
)
def test_random_tables_match_krippendorff_and_nltk(rows: list[list[str]]) -> None:
    coders = len(rows[0])
    table = Counter(tuple(r) for r in rows)
    ours = coefficients(table, coders)
    codes = {"none": 0, "hedge": 1, "booster": 2, "source": 3}
    data = np.array([[codes[r[c]] for r in rows] for c in range(coders)], dtype=float)
    if len({v for r in rows for v in r}) < 2:
        assert ours.alpha is None
    else:
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert ours.alpha == pytest.approx(expected)
    ref = coefficients(table, coders, engine="nltk")
    for name in ("observed", "kappa", "multi_kappa", "pi", "alpha"):
        mine, theirs = getattr(ours, name), getattr(ref, name)
        assert (mine is None) == (theirs is None), name
        if mine is not None:
            assert mine == pytest.approx(theirs), name


def test_seeded_random_with_missing_values_against_krippendorff() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        data = rng.integers(0, 4, size=(3, 50)).astype(float)
        data[rng.random(data.shape) < 0.2] = np.nan
        table = _kripp_table(data.tolist(), {float(v): f"l{v}" for v in range(4)})
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert coefficients(table, coders=3).alpha == pytest.approx(expected)


span_st = st.builds(
    lambda label, s, n, gap, m: (
        sp(label, (s, s + n)) if gap == 0 else sp(label, (s, s + n), (s + n + gap, s + n + gap + m))
    ),
    st.sampled_from(["a", "b", "c"]),
    st.integers(0, 30),
    st.integers(1, 8),
    st.integers(0, 4),
    st.integers(1, 5),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(span_st, max_size=8))
def test_label_tokens_matches_brute_force(spans: list[SpanRecord]) -> None:
    tokens = [(i, i + 2) for i in range(0, 50, 3)]

    def brute(tok: tuple[int, int]) -> str:
        covering = [s for s in spans if any(fs < tok[1] and fe > tok[0] for fs, fe in s.fragments)]
        if not covering:
            return NONE
        best = min(covering, key=lambda s: (-sum(e - b for b, e in s.fragments), s.start, s.label))
        return best.label

    assert label_tokens(tokens, spans) == [brute(t) for t in tokens]


# --- the sparse table builder equals the per-token one ----------------------------------------

_frag = st.tuples(st.integers(0, 40), st.integers(1, 12)).map(lambda t: (t[0], t[0] + t[1]))
_span = st.tuples(st.sampled_from(["x", "y", "z"]), st.lists(_frag, min_size=1, max_size=2)).map(
    lambda t: sp(t[0], *sorted(t[1])))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_span, max_size=6), min_size=2, max_size=3),
       st.integers(0, 30))
def test_label_rows_equals_counting_every_token(sides: list[list[SpanRecord]], n: int) -> None:
    from annotator.review.tokens_agreement import TokenIndex, label_rows

    tokens = TokenIndex([(2 * i, 2 * i + 1) for i in range(n)])
    expected = count_rows(*(label_tokens(tokens, side) for side in sides))
    assert label_rows(tokens, sides) == expected
