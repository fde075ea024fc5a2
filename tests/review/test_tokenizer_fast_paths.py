"""The sentence splitter's shortcuts give exactly what its plain steps give."""

from __future__ import annotations

import random

import pytest

from annotator.nlp import punkt_untrained as pu


def test_realignment_starts_only_with_its_closing_marks() -> None:
    pattern = pu._patterns()["realign"]
    starts = {chr(cp) for cp in range(0x30000) if not 0xD800 <= cp < 0xE000
              and pattern.match(chr(cp)) is not None}
    assert starts == pu.REALIGN_FIRST


def _plain_contexts(text: str) -> list[tuple[int, str]]:
    """NLTK's steps for the candidates' contexts, with the whitespace looked for char by char."""
    p = pu._patterns()
    out: list[tuple[int, str]] = []
    prev_start = prev_stop = 0
    prev = None
    for match in p["period"].finditer(text):
        before = text[prev_stop:match.start()]
        idx = next((i for i in range(len(before) - 1, -1, -1) if before[i] in pu._WHITESPACE),
                   0)
        start = idx + prev_stop + 1 if idx else prev_start
        if prev is not None and prev_stop <= start:
            out.append((prev.start(), text[prev_start:prev_stop] + prev.group()
                        + prev.group("after_tok")))
        prev, prev_start, prev_stop = match, start, match.start()
    if prev is not None:
        out.append((prev.start(), text[prev_start:prev_stop] + prev.group()
                    + prev.group("after_tok")))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_contexts_found_with_rfind_are_the_plain_ones(seed: int) -> None:
    rng = random.Random(seed)
    pieces = ["a", "Bc", "J.", "3.5", ".", "..", "?", "!", " ", " ", "  ", "\t", "\u00a0",
              "\u201d", ")", '"', "'", "x.y", "--", "\u2003", "\r", "\x0c"]
    for _ in range(400):
        spaces_only = rng.random() < 0.5
        usable = [x for x in pieces if not spaces_only or x.isspace() is False or x == " "]
        text = "".join(rng.choice(usable) for _ in range(rng.randint(0, 40)))
        got = [(m.start(), c) for m, c in pu._contexts(text, pu._patterns())]
        assert got == _plain_contexts(text), repr(text)
