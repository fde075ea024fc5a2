"""Sentence spans of an *untrained* NLTK Punkt tokenizer, without its per-token machinery.

Contract: :func:`span_tokenize` gives exactly ``PunktSentenceTokenizer().span_tokenize(text)``
(NLTK's default parameters: no abbreviation, collocation, sentence starter or orthographic
context learnt), checked against NLTK in the tests. It uses NLTK's own patterns of its
``PunktLanguageVars``/``PunktToken`` classes (copied in :mod:`annotator.nlp.nltk_rules`, compared
with nltk's in the tests; nltk is not imported), compiled with the same engine (``regex``),
and replays the same steps: candidate ends from the period-context pattern, the context of
each (previous word, candidate, following token), a decision per context, then the boundary
realignment. With nothing learnt, Punkt's decision for a context reduces to: some token but
the last is a sentence break, where a token is a break when it is ``.``, ``?`` or ``!``, or ends
in one period (not ``..``), unless it ends in a period and is an initial (one letter and a
period) or a number and the next token is one of ``; : , . ! ?`` or starts in lower case, or
it is an initial and the next token starts in upper case. (Ellipses never break.)
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

_WHITESPACE = frozenset(string.whitespace)  # Punkt's own notion (ASCII only)
_SENT_END = (".", "?", "!")
_PUNCTUATION = frozenset(";:,.!?")
# the characters Punkt's realignment pattern starts with (its first class; a test compares)
REALIGN_FIRST = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    from annotator.nlp.nltk_rules import PUNKT, compile_rule

    return {name: compile_rule(pattern) for name, pattern in PUNKT.items()}


def _is_break(tok: str, nxt: str, p: dict[str, Any]) -> bool:
    """Whether Punkt marks ``tok`` (followed by ``nxt``) as a sentence break, untrained."""
    if tok in _SENT_END:
        brk = True
    elif p["ellipsis"].match(tok):
        return False
    else:
        brk = tok.endswith(".") and not tok.endswith("..")
    if not brk or not tok.endswith("."):
        return brk
    initial = p["initial"].match(tok) is not None
    typ = p["numeric"].sub("##number##", tok.lower())
    if len(typ) > 1 and typ[-1] == ".":
        typ = typ[:-1]
    if initial or typ == "##number##":
        if nxt in _PUNCTUATION or nxt[0].islower():
            return False
        if initial and nxt[0].isupper():
            return False
    return True


@lru_cache(maxsize=1 << 16)
def _contains_break(context: str) -> bool:
    """Whether some token of ``context`` but its last is a break (a context's decision
    depends on its text alone, so it is remembered: news text repeats "said. The")."""
    p = _patterns()
    tokens: list[str] = []
    for line in context.split("\n"):
        if line.strip():
            tokens.extend(p["words"].findall(line))
    return any(_is_break(tokens[k], tokens[k + 1], p) for k in range(len(tokens) - 1))


def _last_whitespace(text: str, lo: int, hi: int) -> int:
    """Where the last of Punkt's whitespace characters in ``text[lo:hi]`` is, or -1."""
    for i in range(hi - 1, lo - 1, -1):
        if text[i] in _WHITESPACE:
            return i
    return -1


_NOT_SPACE_WHITESPACE = tuple(_WHITESPACE - {" "})


def _contexts(text: str, p: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    # Punkt takes the word before a candidate from after the last whitespace since the
    # previous candidate, at its index > 0 within that stretch (at 0 or none: the previous
    # word's start is kept). A text whose only whitespace is " " is searched with rfind.
    rfind = None if any(c in text for c in _NOT_SPACE_WHITESPACE) else text.rfind
    prev_start = prev_stop = 0
    prev_match = None
    for match in p["period"].finditer(text):
        here = match.start()
        j = rfind(" ", prev_stop, here) if rfind else _last_whitespace(text, prev_stop, here)
        start = j + 1 if j > prev_stop else prev_start
        if prev_match is not None and prev_stop <= start:
            yield prev_match, (text[prev_start:prev_stop] + prev_match.group()
                               + prev_match.group("after_tok"))
        prev_match = match
        prev_start, prev_stop = start, here
    if prev_match is not None:
        yield prev_match, (text[prev_start:prev_stop] + prev_match.group()
                           + prev_match.group("after_tok"))


def span_tokenize(text: str) -> list[tuple[int, int]]:
    """``PunktSentenceTokenizer().span_tokenize(text)`` (see the module doc)."""
    p = _patterns()
    slices: list[tuple[int, int]] = []
    last = 0
    for match, context in _contexts(text, p):
        if _contains_break(context):
            slices.append((last, match.end()))
            last = match.start("next_tok") if match.group("next_tok") else match.end()
    slices.append((last, len(text.rstrip())))
    out: list[tuple[int, int]] = []
    realign = 0
    pattern = p["realign"]
    for k, (s1, e1) in enumerate(slices):
        s1 += realign  # text[s1:e1] is not empty exactly when s1 < e1 (e1 <= len(text))
        if k + 1 == len(slices):
            if s1 < e1:
                out.append((s1, e1))
            continue
        s2, e2 = slices[k + 1]
        # the realignment starts with one of its closing marks: else it cannot match
        m = pattern.match(text[s2:e2]) if s2 < e2 and text[s2] in REALIGN_FIRST else None
        if m:
            out.append((s1, s2 + len(m.group(0).rstrip())))
            realign = m.end()
        else:
            realign = 0
            if s1 < e1:
                out.append((s1, e1))
    return out
