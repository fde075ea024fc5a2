"""Krippendorff's unitizing alpha (alpha_U) over code points.

Contract
--------
* The definition is Krippendorff's (1995; 2004, pp. 251-256; 2013) as implemented by DKPro
  Statistics' ``KrippendorffAlphaUnitizingAgreement`` (which our tests reproduce: the 2004
  example's 0.8591, the 1995 example, DKPro's own unit tests). Per category ``c``: every coder's
  continuum is cut into the units of ``c`` and the gaps between them; observed disagreement
  ``D_O(c)`` sums the distance of every pair of overlapping segments of two coders (the squared
  differences of their starts and ends when both are units; the unit's squared length when a
  gap contains it) over every pair of coders, ``x 2 / (R (R - 1) L^2)``; expected disagreement
  ``D_E(c)`` is Krippendorff's sum over the units of ``c`` against each other and against every
  gap at least as long. ``alpha_U(c) = 1 - D_O(c) / D_E(c)``. For several categories (a layer)
  ``D_O`` and ``D_E`` are the means over the categories, ``alpha_U = 1 - D_O / D_E``.
* Undefined (``None``): no unit of any category, or ``D_E = 0`` (only zero-length units). When
  ``D_O = D_E`` the value is 0.0 (DKPro's rule; also what the formula gives).
* Exact: integer sums, one division at the end (``fractions.Fraction``), then ``float``.
* Cost: O(U log G) per category (gaps sorted once, suffix sums), never O(U x G).

Our data: the **continuum** of a layer is the matched documents' texts laid end to end, in the
order given (document ``k`` starts where ``k - 1`` ends; ``L`` = total code points). Every
**fragment** of a span is a unit of its label (a discontinuous span is several units of the same
label). A coder's **overlapping units of the same label are merged** into their union first
(alpha_U requires a coder's units of one category not to overlap; units that only touch stay
two units, as in DKPro and Krippendorff's examples); units of
different labels may overlap, as alpha_U looks at one category at a time.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

Unit = tuple[int, int]  # (start, end) code points, end exclusive


@dataclass(frozen=True)
class CategoryTerms:
    """The exact sums of one category: ``D_O = observed / obs_den``, ``D_E = expected / exp_den``."""

    observed: Fraction
    expected: Fraction

    @property
    def alpha(self) -> float | None:
        return alpha_of(self.observed, self.expected)


def alpha_of(d_o: Fraction, d_e: Fraction) -> float | None:
    if d_e == 0:
        return None
    if d_o == d_e:
        return 0.0
    return float(1 - d_o / d_e)


def merge_units(units: Iterable[Unit]) -> list[Unit]:
    """Sorted units with overlapping ones merged (touching ones stay apart); empty ones dropped."""
    out: list[Unit] = []
    for s, e in sorted(units):
        if e <= s:
            continue
        if out and s < out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _segments(units: Sequence[Unit], begin: int, end: int) -> list[tuple[int, int, bool]]:
    """The coder's continuum as (offset, length, is_unit) segments: units and the gaps."""
    out: list[tuple[int, int, bool]] = []
    pos = begin
    for s, e in units:
        if s > pos:
            out.append((pos, s - pos, False))
        out.append((s, e - s, True))
        pos = e
    if pos < end:
        out.append((pos, end - pos, False))
    return out


def distance(o1: int, l1: int, unit1: bool, o2: int, l2: int, unit2: bool) -> int:
    """Krippendorff's distance of two segments (DKPro's ``measureDistance``)."""
    begin_diff = o1 - o2
    length_diff = l1 - l2
    if unit1 and unit2 and -l1 < begin_diff < l2:
        return begin_diff * begin_diff + (begin_diff + length_diff) ** 2
    if unit1 and not unit2 and -length_diff >= begin_diff >= 0:
        return l1 * l1
    if not unit1 and unit2 and -length_diff <= begin_diff <= 0:
        return l2 * l2
    return 0


def _pair_observed(u1: Sequence[Unit], u2: Sequence[Unit], begin: int, end: int) -> int:
    """Sum of distances of two coders' overlapping segments, walked as DKPro walks them."""
    if not u1 and not u2:
        return 0
    seg1 = _segments(u1, begin, end)
    seg2 = _segments(u2, begin, end)
    # DKPro stops once both coders' last unit has been reached: trailing gaps are not compared
    last1 = max((k for k, s in enumerate(seg1) if s[2]), default=-1)
    last2 = max((k for k, s in enumerate(seg2) if s[2]), default=-1)
    i = j = 0
    total = 0
    while i < len(seg1) and j < len(seg2):
        if i > last1 and j > last2:
            break
        a, b = seg1[i], seg2[j]
        total += distance(a[0], a[1], a[2], b[0], b[1], b[2])
        end1, end2 = a[0] + a[1], b[0] + b[1]
        if end1 <= end2:
            i += 1
        if end2 <= end1:
            j += 1
    return total


def category_terms(coders: Sequence[Sequence[Unit]], begin: int, end: int) -> CategoryTerms:
    """``D_O`` and ``D_E`` of one category; ``coders[r]`` = coder r's merged units of it."""
    r_count = len(coders)
    length = end - begin
    if length <= 0 or r_count < 2:
        return CategoryTerms(Fraction(0), Fraction(0))
    obs = 0
    for r1 in range(r_count):
        for r2 in range(r1 + 1, r_count):
            obs += _pair_observed(coders[r1], coders[r2], begin, end)
    d_o = Fraction(2 * obs, r_count * (r_count - 1) * length * length)

    lengths = [e - s for units in coders for s, e in units]
    gaps: list[int] = []
    for units in coders:
        gaps.extend(g for _, g, is_unit in _segments(units, begin, end) if not is_unit)
    return CategoryTerms(d_o, _expected(lengths, gaps, r_count, length))


@dataclass(frozen=True)
class UnitizingResult:
    """alpha_U of a layer and of each of its labels."""

    alpha: float | None
    labels: dict[str, float | None]
    observed: float | None
    expected: float | None


def unitizing_alpha(units: Mapping[str, Sequence[Iterable[Unit]]], length: int,
                    begin: int = 0) -> UnitizingResult:
    """alpha_U over ``[begin, begin + length)``; ``units[label][coder]`` = that coder's units.

    Units are merged per coder and label (see the module doc) before anything is computed.
    """
    terms = {}
    for label in sorted(units):
        coders = [merge_units(u) for u in units[label]]
        terms[label] = category_terms(coders, begin, begin + length)
    if not terms or not any(any(c) for label in units for c in units[label]):
        return UnitizingResult(None, {label: None for label in terms}, None, None)
    d_o = sum((t.observed for t in terms.values()), Fraction(0)) / len(terms)
    d_e = sum((t.expected for t in terms.values()), Fraction(0)) / len(terms)
    return UnitizingResult(alpha_of(d_o, d_e), {k: t.alpha for k, t in terms.items()},
                           float(d_o), float(d_e))


Section = tuple[Sequence[Sequence[Unit]], int]  # (units per coder, merged; length) of a document


def corpus_terms(sections: Sequence[Section]) -> CategoryTerms:
    """``D_O``/``D_E`` of one category over several documents (sections of one continuum).

    Each document is cut into units and gaps on its own (a gap never runs from one document
    into the next); ``L`` is the total length; disagreement and gaps of all documents add up.
    With one document this is :func:`category_terms` over ``[0, length)``.
    """
    if not sections:
        return CategoryTerms(Fraction(0), Fraction(0))
    r_count = len(sections[0][0])
    length = sum(n for _, n in sections)
    if length <= 0 or r_count < 2:
        return CategoryTerms(Fraction(0), Fraction(0))
    obs = 0
    lengths: list[int] = []
    gaps: list[int] = []
    for coders, n in sections:
        for r1 in range(r_count):
            for r2 in range(r1 + 1, r_count):
                obs += _pair_observed(coders[r1], coders[r2], 0, n)
        for units in coders:
            lengths.extend(e - s for s, e in units)
            gaps.extend(g for _, g, is_unit in _segments(units, 0, n) if not is_unit)
    d_o = Fraction(2 * obs, r_count * (r_count - 1) * length * length)
    return CategoryTerms(d_o, _expected(lengths, gaps, r_count, length))


def _expected(lengths: Sequence[int], gaps: list[int], r_count: int, length: int) -> Fraction:
    n_c = len(lengths)
    if n_c == 0:
        return Fraction(0)
    squared = sum(x * (x - 1) for x in lengths)
    gaps = sorted(gaps)
    suffix = [0] * (len(gaps) + 1)
    for k in range(len(gaps) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + gaps[k]
    total = Fraction(0)
    for x in lengths:
        k = bisect_left(gaps, x)
        total += Fraction((n_c - 1) * (2 * x * x * x - 3 * x * x + x), 3)
        total += (suffix[k] - (x - 1) * (len(gaps) - k)) * x * x
    denominator = r_count * length * (r_count * length - 1) - squared
    if denominator <= 0:
        return Fraction(0)
    return total * Fraction(2, length) / denominator


def pair_observed(coders: Sequence[Sequence[Unit]], length: int) -> int:
    """The integer observed-distance sum of one document over every pair of coders."""
    return sum(_pair_observed(coders[a], coders[b], 0, length)
               for a in range(len(coders)) for b in range(a + 1, len(coders)))


def gaps_of(units: Sequence[Unit], length: int) -> list[int]:
    """Lengths of the gaps of one coder's merged units in ``[0, length)``."""
    return [g for _, g, is_unit in _segments(units, 0, length) if not is_unit]
