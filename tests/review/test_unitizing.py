"""alpha_U reproduces DKPro Statistics' KrippendorffAlphaUnitizingAgreement tests.

Values and studies from dkpro/dkpro-statistics (Apache-2.0), files
dkpro-statistics-agreement/src/test/java/org/dkpro/statistics/agreement/unitizing/
Krippendorff2004Test.java, Krippendorff1995Test.java, UnitizingAgreementTest.java
(commit f7f4f89); tolerances as there.
"""

from __future__ import annotations

import pytest

from annotator.review.unitizing import (
    category_terms,
    distance,
    merge_units,
    unitizing_alpha,
)


def study(items: list[tuple[int, int, int, str]], coders: int) -> dict[str, list[list[tuple[int, int]]]]:
    """DKPro's ``addUnit(offset, length, rater, category)`` calls as our input."""
    units: dict[str, list[list[tuple[int, int]]]] = {}
    for offset, length, rater, cat in items:
        units.setdefault(cat, [[] for _ in range(coders)])[rater].append((offset, offset + length))
    return units


KRIPPENDORFF_2004 = [(225, 70, 0, "c"), (370, 30, 0, "c"), (220, 80, 1, "c"), (355, 20, 1, "c"),
                     (400, 20, 1, "c"), (180, 60, 0, "k"), (300, 50, 0, "k"), (180, 60, 1, "k"),
                     (300, 50, 1, "k")]


def terms(items: list[tuple[int, int, int, str]], cat: str, begin: int, end: int,
          coders: int = 2) -> tuple[float, float, float | None]:
    t = category_terms([merge_units(u) for u in study(items, coders)[cat]], begin, end)
    return float(t.observed), float(t.expected), t.alpha


def test_krippendorff_2004_example() -> None:
    result = unitizing_alpha(study(KRIPPENDORFF_2004, 2), 300, 150)
    assert result.alpha == pytest.approx(0.8591, abs=0.0005)
    d_o, d_e, a = terms(KRIPPENDORFF_2004, "c", 150, 450)
    assert (d_o, d_e, a) == (pytest.approx(0.0144, abs=1e-4), pytest.approx(0.0532, abs=1e-4),
                             pytest.approx(0.7286, abs=1e-4))
    d_o, d_e, a = terms(KRIPPENDORFF_2004, "k", 150, 450)
    assert (d_o, d_e, a) == (0.0, pytest.approx(0.0490, abs=1e-4), 1.0)
    assert result.labels == {"c": pytest.approx(0.7286, abs=1e-4), "k": 1.0}


def test_krippendorff_2004_distances() -> None:
    d = distance
    assert d(2, 3, False, 2, 2, True) + d(5, 6, True, 4, 7, False) == 40
    assert d(3, 2, False, 3, 2, True) + d(5, 6, True, 5, 6, False) == 40
    assert [d(5, 6, True, o, n, True) for o, n in [(4, 2), (5, 2), (6, 2), (7, 2), (6, 4), (5, 6)]] \
        == [26, 16, 10, 8, 2, 0]
    assert d(225, 70, True, 220, 80, True) == 50
    assert d(370, 30, True, 355, 20, True) == 850
    assert d(400, 50, False, 400, 20, True) == 400


def krippendorff_1995(stretch: float) -> list[tuple[int, int, int, str]]:
    raw = [(2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
           (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"),
           (5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B"),
           (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"), (0, 2, 1, "C"),
           (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
           (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
           (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D")]
    return [(int(o * stretch), int(n * stretch), r, c) for o, n, r, c in raw]


def test_krippendorff_1995_observed() -> None:
    items = krippendorff_1995(1)
    observed = {c: float(category_terms(study(items, 2)[c], 0, 24).observed) for c in "ABCD"}
    assert observed["A"] == pytest.approx(0.03125, abs=1e-5)
    assert observed["C"] == pytest.approx(0.02777, abs=1e-5)
    assert observed["B"] == pytest.approx(2.26736, abs=1e-5)
    assert observed["D"] == pytest.approx(0.38715, abs=1e-5)


def test_krippendorff_1995_stretched() -> None:
    items = krippendorff_1995(1200000 / 24)
    length = int(24 * 1200000 / 24)
    got = {c: category_terms(study(items, 2)[c], 0, length) for c in "ABCD"}
    expected_de = {"A": 0.06990, "B": 1.17731, "C": 0.08642, "D": 0.41445}
    expected_alpha = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for c in "ABCD":
        assert float(got[c].expected) == pytest.approx(expected_de[c], abs=0.005)
        assert got[c].alpha == pytest.approx(expected_alpha[c], abs=0.02)
    for stretch, de, a in [(12 / 24, 0.05494, 0.494), (120 / 24, 0.08234, 0.663),
                           (12000 / 24, 0.08638, 0.678)]:
        length = int(24 * stretch)
        t = category_terms(study(krippendorff_1995(stretch), 2)["C"], 0, length)
        assert float(t.observed) == pytest.approx(0.02777, abs=1e-5)
        assert float(t.expected) == pytest.approx(de, abs=0.005 if stretch > 1 else 1e-5)
        assert t.alpha == pytest.approx(a, abs=0.02)


def test_dkpro_unitizing_agreement_test() -> None:
    result = unitizing_alpha(study([(1, 8, 0, "A"), (2, 1, 1, "A"), (4, 1, 1, "A"),
                                    (6, 1, 1, "A")], 2), 10)
    assert result.observed == pytest.approx(0.9100, abs=1e-4)
    assert result.expected == pytest.approx(0.5351, abs=1e-4)
    assert result.alpha == pytest.approx(-0.7003, abs=1e-4)
    assert unitizing_alpha(study([(0, 1, 0, "X")], 3), 20).alpha == 0.0
    assert unitizing_alpha({}, 20).alpha is None  # DKPro: NaN
    d = distance
    assert [d(0, 1, False, 0, 2, False), d(1, 8, True, 0, 2, False), d(1, 8, True, 2, 1, True),
            d(1, 8, True, 3, 1, False), d(1, 8, True, 4, 1, True), d(1, 8, True, 5, 1, False),
            d(1, 8, True, 6, 1, True), d(1, 8, True, 7, 4, False), d(9, 2, False, 7, 4, False)] \
        == [0, 0, 37, 0, 25, 0, 29, 0, 0]


def test_same_label_overlaps_are_merged_and_fragments_are_units() -> None:
    assert merge_units([(5, 9), (0, 3), (2, 4), (9, 10), (7, 7)]) == [(0, 4), (5, 9), (9, 10)]
    items = krippendorff_1995(1)
    merged = unitizing_alpha(study(items, 2), 24).labels
    raw = {c: category_terms(study(items, 2)[c], 0, 24).alpha for c in "ABCD"}
    assert merged == raw  # touching units of one label are not merged
    # a discontinuous span given as two fragments equals the two units given separately
    one = unitizing_alpha({"x": [[(0, 3), (6, 9)], [(0, 3)]]}, 12)
    two = unitizing_alpha({"x": [[(0, 3), (6, 9), (1, 2)], [(0, 3)]]}, 12)
    assert one == two
    assert one.alpha is not None and one.alpha < 1
