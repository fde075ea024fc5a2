"""NLTKWordTokenizer's spans of a sentence put together from its words, each word worked out once.

Contract: :func:`chunked_spans` gives exactly ``NLTKWordTokenizer().span_tokenize(sentence)``
(as :func:`annotator.nlp.word_rules.nltk_spans` replays it) or None when it cannot tell; it is
checked against both on random, hostile and real texts in the tests. A news corpus repeats
its words ("the", "said,", "don't", "U.S."), so the tokens of each space-separated *chunk* are
worked out once and remembered; a sentence is then a handful of dictionary look-ups.

Why a chunk's tokens do not depend on its neighbours (the sentence has no whitespace but
``" "``: ``str.isprintable``). Every rule of the tokenizer is a substitution that only inserts
spaces, turns quote marks into other quote marks, or collapses runs of whitespace (``\\s+``);
none deletes a non-space character or moves one across a space. Reading every pattern of
:mod:`annotator.nlp.nltk_rules`: no match holds non-space characters of two chunks, and what a
match needs outside its chunk is a single neighbouring character, which is a space on both
sides of an inner chunk; a match that takes the separating space (``,`` or ``'`` before a
space, ``'s`` before a space, a quote after one) gives it back, and the only matches it can
block start *at* that space, and such a match only inserts a space next to a space. Hence,
up to the length of space runs (which ``\\s+`` then evens out, and ``split`` ignores), the
rewritten sentence is its chunks rewritten one by one, each between spaces — except where a
pattern is anchored: ``^\\"`` (the first chunk) and the final period / ``[:,]$`` rules (the
last chunk, and the period may be followed by closing brackets and quotes in later chunks,
so the *tail* is the last chunk with every chunk before it made only of closers). So:

* an inner chunk ``c`` is tokenized as ``"x " + c + " x"``, the first as ``c + " x"``, the
  tail as ``"x " + tail`` (``x`` a plain word, one token, dropped again);
* the quote marks nltk hands back to its quote tokens are taken in order over the whole
  sentence; a chunk whose quote tokens and quote marks are not as many would shift them, so
  it is not remembered (the sentence goes the slow way), and a chunk whose tokens do not
  spell it out exactly is refused too (the slow way then decides, and may fall back);
* tokens that tile their chunks are found by nltk's alignment exactly where they are.

A sentence of one chunk, or whose tail is all of it, is not handled here (None).
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.nlp.word_rules import QUOTE_TOKENS, align, nltk_tokens, quote_marks

Span = tuple[int, int]
Rel = tuple[Span, ...]  # token offsets inside one chunk (or tail)

_CLOSING = frozenset(']})>"\'»”’')  # what the final period rule lets follow the period
_FIRST, _INNER, _TAIL = 0, 1, 2
_MEMO: tuple[dict[str, Rel | None], ...] = ({}, {}, {})  # per kind: chunk -> offsets
MEMO_SIZE = 1 << 15  # chunks remembered per kind, then forgotten all at once (~15 MB at most)


def _worked_out(kind: int, chunk: str,
                simple: Callable[[str], list[Span] | None]) -> Rel | None:
    """The offsets of ``chunk``'s tokens inside it, worked out in its neutral context."""
    before = "" if kind == _FIRST else "x "
    after = "" if kind == _TAIL else " x"
    context = before + chunk + after
    spans = simple(context)
    if spans is None:
        try:
            tokens = nltk_tokens(context)
            if sum(tok in QUOTE_TOKENS for tok in tokens) != quote_marks(context):
                return None  # would hand a mark to another chunk's quote
            spans = align(context, tokens)
        except Exception:  # any failure: the sentence goes the slow way
            return None
    lo, hi = len(before), len(before) + len(chunk)
    if before:
        if not spans or spans[0] != (0, 1):
            return None
        spans = spans[1:]
    if after:
        if not spans or spans[-1] != (hi + 1, hi + 2):
            return None
        spans = spans[:-1]
    point = lo  # the tokens must spell the chunk out, one after another (spaces between)
    for s, e in spans:
        if s < point or e <= s or e > hi or (s > point and not context[point:s].isspace()):
            return None
        point = e
    if point != hi and not context[point:hi].isspace():
        return None
    return tuple((s - lo, e - lo) for s, e in spans)


_MISSING: Rel = ()


def _piece(kind: int, chunk: str, simple: Callable[[str], list[Span] | None]) -> Rel | None:
    memo = _MEMO[kind]
    rel = _worked_out(kind, chunk, simple)
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[chunk] = rel
    return rel


def chunked_spans(sentence: str, simple: Callable[[str], list[Span] | None],
                  base: int = 0) -> list[Span] | None:
    """NLTK's spans of ``sentence`` from its chunks' (see the module doc), or None; ``base``
    is added to every offset (the sentence's place in its text).

    ``simple``: a function giving exactly NLTK's spans of a string, or None when it cannot
    (tried before the rule replay on each chunk's context, as it is cheaper).
    """
    if not sentence.isprintable():
        return None
    parts = sentence.split(" ")  # chunks, and "" between two spaces
    t = len(parts) - 1
    closing = _CLOSING
    while t > 0 and closing.issuperset(parts[t]):
        t -= 1
    if t <= 0 or not parts[0]:
        return None
    out: list[Span] = []
    pos = base
    memo = _MEMO[_INNER]
    get = memo.get
    for k in range(t):
        chunk = parts[k]
        if chunk:
            if k == 0:
                rel = _MEMO[_FIRST].get(chunk, _MISSING)
                if rel is _MISSING:
                    rel = _piece(_FIRST, chunk, simple)
            else:
                rel = get(chunk, _MISSING)
                if rel is _MISSING:
                    rel = _piece(_INNER, chunk, simple)
            if rel is None:
                return None
            if len(rel) == 1:
                s, e = rel[0]
                out.append((pos + s, pos + e))
            else:
                out += [(pos + s, pos + e) for s, e in rel]
        pos += len(chunk) + 1
    tail = sentence[pos - base:]
    rel = _MEMO[_TAIL].get(tail, _MISSING)
    if rel is _MISSING:
        rel = _piece(_TAIL, tail, simple)
    if rel is None:
        return None
    out += [(pos + s, pos + e) for s, e in rel]
    return out
