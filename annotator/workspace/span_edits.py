"""Span editing as pure functions of the text and a span's fragments.

Each function returns the new fragments (code points, end exclusive) or raises
:class:`Refused` with a sentence for the status bar. Words are found in a window of the text
around the boundary only, so that moving a boundary in a 1 MB article costs microseconds.

* :func:`move_boundary` — the start or the end by one word (or one character: a letter
  with its accents, an emoji sequence);
* :func:`set_boundary` — the start or the end to a given position (dragging with the mouse);
* :func:`split_fragment` — leave out the selected text (or the spaces at a position) from the
  fragment holding it, which becomes two;
* :func:`join_fragments` — one fragment from the first start to the last end.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from annotator.core.model import Fragments

Side = Literal["start", "end"]
Unit = Literal["word", "char"]

WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
WINDOW = 300  # code points looked at either side of a boundary


class Refused(Exception):
    """An edit that cannot be made as asked; the message says why, for people."""


def _tokens(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Word/punctuation tokens inside [a, b), in text offsets; a token cut by the window's
    edge (it may go on outside) is left out."""
    a, b = max(0, a), min(len(text), b)
    return [(m.start(), m.end()) for m in WORD.finditer(text, a, b)
            if not (m.start() == a > 0 and not text[a - 1].isspace())
            and not (m.end() == b < len(text) and not text[b].isspace())]


def _word_step(text: str, pos: int, step: int, side: Side) -> int:
    """The next (``step`` > 0) or previous word boundary from ``pos``: for an end, the end of
    a word; for a start, the start of a word."""
    lo, hi = pos - WINDOW, pos + WINDOW
    while True:
        tokens = _tokens(text, lo, hi)
        edges = [t[1] if side == "end" else t[0] for t in tokens]
        if step > 0:
            after = [e for e in edges if e > pos]
            if after or hi >= len(text):
                return after[0] if after else pos
            hi += WINDOW * 4
        else:
            before = [e for e in edges if e < pos]
            if before or lo <= 0:
                return before[-1] if before else pos
            lo -= WINDOW * 4


ZWJ = "\u200d"


def _extends(ch: str) -> bool:
    """A code point that belongs to the character before it: a combining mark, a variation
    selector, a skin-tone modifier, an emoji tag, a joiner."""
    cp = ord(ch)
    return (unicodedata.category(ch) in ("Mn", "Me", "Mc") or 0xFE00 <= cp <= 0xFE0F
            or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F or ch == ZWJ)


def _char_step(text: str, pos: int, step: int) -> int:
    """The next (``step`` > 0) or previous character boundary from ``pos``, as a reader
    counts characters: a letter with its accents, an emoji sequence joined by U+200D and
    ``\r\n`` are one each."""
    n = len(text)
    if step > 0:
        if pos >= n:
            return pos
        if text.startswith("\r\n", pos):
            return pos + 2
        new = pos + 1
        while new < n and _extends(text[new]):
            new += 1
            if text[new - 1] == ZWJ and new < n:  # the joined emoji, with its own marks
                new += 1
        return new
    if pos <= 0:
        return pos
    if pos >= 2 and text[pos - 2:pos] == "\r\n":
        return pos - 2
    new = pos - 1
    while new > 0 and (_extends(text[new]) or text[new - 1] == ZWJ):
        new -= 1
    return new


def move_boundary(text: str, fragments: Fragments, side: Side, step: int,
                  unit: Unit = "word") -> Fragments:
    """Move the span's first start or last end by one word (or character) to the right
    (``step`` +1) or the left (-1). The span keeps at least one character in that fragment."""
    frags = [list(f) for f in fragments]
    if side == "start":
        first = frags[0]
        new = (_char_step(text, first[0], step) if unit == "char"
               else _word_step(text, first[0], step, "start"))
        if new == first[0] or new < 0:
            raise Refused("The start cannot move further that way.")
        if new >= first[1]:
            raise Refused("The span cannot lose its last character; delete it instead.")
        first[0] = new
    else:
        last = frags[-1]
        new = (_char_step(text, last[1], step) if unit == "char"
               else _word_step(text, last[1], step, "end"))
        if new == last[1] or new > len(text):
            raise Refused("The end cannot move further that way.")
        if new <= last[0]:
            raise Refused("The span cannot lose its last character; delete it instead.")
        last[1] = new
    return tuple((s, e) for s, e in frags)


def set_boundary(text: str, fragments: Fragments, side: Side, pos: int) -> Fragments:
    """Put the span's first start (or last end) at ``pos``; dragging past the other end of
    that fragment is refused."""
    frags = [list(f) for f in fragments]
    pos = max(0, min(pos, len(text)))
    if side == "start":
        if pos >= frags[0][1]:
            raise Refused("The start must stay before the end.")
        frags[0][0] = pos
    else:
        if pos <= frags[-1][0]:
            raise Refused("The end must stay after the start.")
        frags[-1][1] = pos
    return tuple((s, e) for s, e in frags)


def split_fragment(text: str, fragments: Fragments, start: int, end: int | None = None
                   ) -> Fragments:
    """Leave [start, end) out of the fragment that holds it; with ``end`` None the run of
    spaces around ``start`` is left out. Both parts keep at least one character."""
    if end is None or end <= start:
        a = b = start
        while a > 0 and text[a - 1].isspace():
            a -= 1
        while b < len(text) and text[b].isspace():
            b += 1
        if a == b:
            raise Refused("Put the cursor on a space between words, or select the text to "
                          "leave out, then split.")
        start, end = a, b
    for i, (s, e) in enumerate(fragments):
        if s < start and end < e:
            return (*fragments[:i], (s, start), (end, e), *fragments[i + 1:])
    raise Refused("Splitting needs text of the span on both sides of the cut.")


def join_fragments(fragments: Fragments) -> Fragments:
    """One fragment from the first start to the last end."""
    if len(fragments) < 2:
        raise Refused("The span has one fragment; nothing to join.")
    return ((fragments[0][0], fragments[-1][1]),)
