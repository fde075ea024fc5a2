"""Code point ↔ UTF-16 offset conversion: the one place it is done.

The core counts Unicode code points (Python ``str`` indices). Qt and UIMA XMI count UTF-16 code
units, where a character outside the Basic Multilingual Plane (most emoji) takes two. An
:class:`OffsetMap` is built once per text and converts in O(log n) per query.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def _astral_positions(text: str) -> list[int]:
    """Code point indices of characters that take two UTF-16 units."""
    if text.isascii():
        return []
    return [m.start() for m in _ASTRAL.finditer(text)]


class OffsetMap:
    """Converts between code point and UTF-16 offsets of one text."""

    __slots__ = ("_astral", "_astral_u16", "length", "length_u16")

    def __init__(self, text: str) -> None:
        self._astral = _astral_positions(text)
        # UTF-16 index at which each astral character starts
        self._astral_u16 = [cp + n for n, cp in enumerate(self._astral)]
        self.length = len(text)
        self.length_u16 = self.length + len(self._astral)

    def to_utf16(self, cp: int) -> int:
        """UTF-16 offset of code point offset ``cp`` (0 ≤ cp ≤ len(text))."""
        if not 0 <= cp <= self.length:
            raise ValueError(f"code point offset {cp} outside 0..{self.length}")
        return cp + bisect_left(self._astral, cp)

    def to_codepoint(self, u16: int, *, round_up: bool = False) -> int:
        """Code point offset of UTF-16 offset ``u16``.

        An offset in the middle of a surrogate pair is moved to the start of the character, or
        its end with ``round_up``.
        """
        if not 0 <= u16 <= self.length_u16:
            raise ValueError(f"UTF-16 offset {u16} outside 0..{self.length_u16}")
        # number of astral characters that start strictly before u16
        n = bisect_left(self._astral_u16, u16)
        if n and self._astral_u16[n - 1] + 1 == u16:  # inside a surrogate pair
            return self._astral[n - 1] + (1 if round_up else 0)
        return u16 - n

    def is_boundary_u16(self, u16: int) -> bool:
        """True when ``u16`` does not split a surrogate pair."""
        n = bisect_right(self._astral_u16, u16 - 1)
        return not (n and self._astral_u16[n - 1] + 1 == u16)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF) if not text.isascii() else len(text)


def to_utf16(text: str, cp: int) -> int:
    """One-off conversion; build an :class:`OffsetMap` for many."""
    return OffsetMap(text).to_utf16(cp)


def to_codepoint(text: str, u16: int) -> int:
    """One-off conversion; build an :class:`OffsetMap` for many."""
    return OffsetMap(text).to_codepoint(u16)
