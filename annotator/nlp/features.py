"""Token features for the learned recommender (a linear-chain CRF over nltk word tokens).

For each token of each sentence (:mod:`annotator.nlp.tokens`), a list of ``name=value`` strings:

* the word: itself, lower case, shape (``Xxxx``, ``dd``, ``X.X``: runs collapsed), prefixes and
  suffixes of 2 and 3 characters, capitalisation, digits, punctuation;
* the neighbours: lower case and shape one and two tokens either side;
* lexicon membership: B-/I- of a bundled lexicon match (hedge, booster, attribution cue);
* inside or outside quotation marks (straight or typographic quotes, per paragraph);
* distance to the nearest attribution cue of the sentence, bucketed, with its side;
* position: first/last token of its sentence, quarter of the sentence, first sentence of the
  document or of its paragraph.

Pure functions; nothing here touches a project.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from annotator.nlp.suggest import suggest_spans
from annotator.nlp.tokens import text_units

Span = tuple[int, int]
_OPEN = "“«„‘‹"
_CLOSE = "”»’›"
_SHAPE_RUNS = re.compile(r"(.)\1+")


_DIGIT = re.compile(r"\d")
_ALNUM = re.compile(r"[^\W_]")


@lru_cache(maxsize=1 << 17)
def shape(word: str) -> str:
    out = []
    for ch in word[:12]:
        if ch.isupper():
            out.append("X")
        elif ch.islower():
            out.append("x")
        elif ch.isdigit():
            out.append("d")
        else:
            out.append(ch)
    return _SHAPE_RUNS.sub(r"\1", "".join(out))


_QUOTE_CHARS = re.compile("[\n\"" + _OPEN + _CLOSE + "]")


def quote_mask(text: str) -> bytearray:
    """1 at every code point inside quotation marks; a line break closes any open quote."""
    mask = bytearray(len(text))
    depth = 0
    straight = False
    inside_from = -1
    for m in _QUOTE_CHARS.finditer(text):
        i, ch = m.start(), m.group()
        was = depth > 0 or straight
        if ch == "\n":
            depth, straight = 0, False
        elif ch in _OPEN and not (ch == "’" and depth == 0):
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch == '"':
            straight = not straight
        else:
            continue  # an apostrophe, a stray closing mark: text like any other
        now = depth > 0 or straight
        if now and not was:
            inside_from = i + 1
        elif was and not now:
            mask[inside_from:i] = b"\x01" * (i - inside_from)
        elif was and now and ch != "\n":
            mask[inside_from:i] = b"\x01" * (i - inside_from)
            inside_from = i + 1
    if depth or straight:
        mask[inside_from:] = b"\x01" * (len(text) - inside_from)
    return mask


def lexicon_tags(text: str) -> dict[int, str]:
    """Start offset of a word -> ``B-label`` / ``I-label`` of a bundled lexicon match."""
    tags: dict[int, str] = {}
    for sug in suggest_spans(text):
        first = True
        for m in re.finditer(r"\S+", text[sug.start:sug.end]):
            tags.setdefault(sug.start + m.start(), ("B-" if first else "I-") + sug.label)
            first = False
    return tags


def _bucket(n: int) -> str:
    return str(n) if n < 3 else ("3-5" if n < 6 else "6+")


@lru_cache(maxsize=1 << 17)
def word_features(w: str) -> tuple[str, ...]:
    """The features of a word that do not depend on where it is (cached: words repeat)."""
    low = w.lower()
    f = ["b", "w=" + w, "l=" + low, "sh=" + shape(w), "p2=" + low[:2], "p3=" + low[:3],
         "s2=" + low[-2:], "s3=" + low[-3:]]
    if w[:1].isupper():
        f.append("title")
    if w.isupper() and len(w) > 1:
        f.append("upper")
    if _DIGIT.search(w):
        f.append("digit")
    if not _ALNUM.search(w):
        f.append("punct")
    return tuple(f)


def _cue_features(tokens: Sequence[Span], lex: dict[int, str]) -> list[str] | None:
    """``cue=`` feature of each token: distance to the nearest cue of the sentence, bucketed,
    with its side (two linear passes); None when the sentence has no cue."""
    n = len(tokens)
    is_cue = [lex.get(s, "").endswith("cue") for s, _ in tokens]
    if not any(is_cue):
        return None
    left = [n * 2] * n
    last = -n * 2
    for i in range(n):
        if is_cue[i]:
            last = i
        left[i] = i - last
    out = [""] * n
    nxt = n * 4
    for i in range(n - 1, -1, -1):
        if is_cue[i]:
            nxt = i
        dl, dr = left[i], nxt - i
        if dl == 0:
            out[i] = "cue=0"
        elif dl <= dr:
            out[i] = "cue=L" + _bucket(dl)  # the nearest cue is on the left
        else:
            out[i] = "cue=R" + _bucket(dr)
    return out


@lru_cache(maxsize=1 << 17)
def _context(w: str) -> tuple[str, str, str, str, str, str]:
    """What a word gives its neighbours' features: ``-1l=``, ``-2l=``, ``+1l=``, ``+2l=``,
    ``-1sh=``, ``+1sh=`` (cached: every token of a word shares these strings)."""
    low, sh = w.lower(), shape(w)
    return ("-1l=" + low, "-2l=" + low, "+1l=" + low, "+2l=" + low, "-1sh=" + sh, "+1sh=" + sh)


# before the first token (two places), after the last (two): as the model was first trained,
# the second token's ``-2l`` is ``-1pad``
_PAD_LEFT2 = ("", "-2pad", "", "", "", "")
_PAD_LEFT1 = ("-1pad", "-1pad", "", "", "-1shpad", "")
_PAD_RIGHT = ("", "", "+1pad", "+2pad", "", "+1shpad")


def sentence_features(text: str, tokens: Sequence[Span], sent_no: int, para_first: bool,
                      quotes: bytearray, lex: dict[int, str]) -> list[list[str]]:
    """Features of each token of one sentence (``tokens`` are its token spans). The strings
    are shared between tokens of the same word (cached), so many sentences' features take
    little memory."""
    words = [text[s:e] for s, e in tokens]
    n = len(words)
    ctx = [_PAD_LEFT2, _PAD_LEFT1, *map(_context, words), _PAD_RIGHT, _PAD_RIGHT]
    cue = _cue_features(tokens, lex)
    where = []
    if sent_no == 0:
        where.append("doc_first")
    if para_first:
        where.append("para_first")
    nq = len(quotes)
    out: list[list[str]] = []
    for i, w in enumerate(words):
        s = tokens[i][0]
        j = i + 2  # index of this token in ctx
        f = [*word_features(w), _Q[quotes[s] if s < nq else 0], _POS[4 * i // n],
             ctx[j - 1][0], ctx[j - 2][1], ctx[j + 1][2], ctx[j + 2][3], ctx[j - 1][4],
             ctx[j + 1][5], *where]
        if i == 0:
            f.append("first")
        if i == n - 1:
            f.append("last")
        tag = lex.get(s)
        if tag:
            f.append("lex=" + tag)
        if cue is not None:
            f.append(cue[i])
        out.append(f)
    return out


_Q = ("q=0", "q=1")
_POS = ("pos=0", "pos=1", "pos=2", "pos=3")


@lru_cache(maxsize=4)
def document_features(text: str) -> list[tuple[list[Span], list[list[str]]]]:
    """(token spans, features) of every sentence of ``text`` (the last few cached: do not
    change the lists)."""
    units = text_units(text)
    quotes = quote_mask(text)
    lex = lexicon_tags(text)
    out = []
    prev_end = 0
    for k, group in enumerate(units.tokens_by_sentence()):
        if not group:
            continue
        spans = [units.tokens[t] for t in group]
        para_first = k == 0 or "\n" in text[prev_end:spans[0][0]]
        out.append((spans, sentence_features(text, spans, k, para_first, quotes, lex)))
        prev_end = spans[-1][1]
    return out
