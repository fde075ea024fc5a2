from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import OffsetMap, utf16_len


def test_astral_characters_take_two_units() -> None:
    text = "a👍🏽b"
    m = OffsetMap(text)
    assert [m.to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 5, 6]
    assert m.length_u16 == len(text.encode("utf-16-le")) // 2 == utf16_len(text)
    assert m.to_codepoint(5) == 3


def test_offset_inside_surrogate_pair_rounds() -> None:
    m = OffsetMap("x😀y")
    assert not m.is_boundary_u16(2)
    assert m.to_codepoint(2) == 1
    assert m.to_codepoint(2, round_up=True) == 2


def test_arabic_and_combining_are_one_unit_each() -> None:
    text = "قال e\u0301"
    m = OffsetMap(text)
    assert all(m.to_utf16(i) == i for i in range(len(text) + 1))


def test_out_of_range_raises() -> None:
    import pytest

    m = OffsetMap("abc")
    with pytest.raises(ValueError):
        m.to_utf16(4)
    with pytest.raises(ValueError):
        m.to_codepoint(-1)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_conversion_is_a_bijection_on_boundaries(text: str) -> None:
    m = OffsetMap(text)
    units = [m.to_utf16(i) for i in range(len(text) + 1)]
    assert units == sorted(set(units))  # strictly increasing
    for cp, u in enumerate(units):
        assert m.to_codepoint(u) == cp
        assert m.is_boundary_u16(u)
        # the UTF-16 prefix decodes to the code point prefix
        assert text.encode("utf-16-le")[: 2 * u].decode("utf-16-le") == text[:cp]
