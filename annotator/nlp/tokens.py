"""Sentences and word tokens of a text, as code point spans.

Contracts:

* Offsets are code points, end exclusive, over the whole text (``text[start:end]``).
* Sentences never cross a line break: each line is split on its own with an *untrained*
  :class:`nltk.tokenize.punkt.PunktSentenceTokenizer` (the pretrained model cannot be downloaded),
  so paragraphs never share a sentence. Sentence spans are trimmed of whitespace.
* Tokens never cross a sentence boundary and never contain whitespace. Every non-whitespace
  character of the text belongs to exactly one token.
* Each sentence is tokenised with :class:`nltk.tokenize.NLTKWordTokenizer` ``span_tokenize``.
  When that raises or returns spans that do not tile the sentence's non-whitespace characters
  (quotes are the known trouble spot), the sentence falls back to the regex ``\\w+|[^\\w\\s]``.
  Either way, combining marks, emoji modifiers, variation selectors and zero-width joiners are
  glued to the token they follow, so ``"e\\u0301"`` and ``"👍🏽"`` stay whole.
* The work is linear-ish in the text length: a 100,000-character token is fine.
* Speed (the same output, only faster): a line with no ``.``, ``?`` or ``!`` is one sentence
  without asking Punkt (Punkt only breaks after those); one Punkt instance is reused; a
  sentence made only of plain words with simple punctuation around them (see
  :func:`_simple_spans`) is tokenised without NLTK, giving exactly what NLTK would give
  (checked against NLTK in the tests); any other sentence goes through NLTKWordTokenizer's own
  rule list, replayed without NLTK's per-call timeout wrapper (:func:`_nltk_spans`; same engine
  and patterns, so the same spans, checked in the tests).
  Before both, a sentence of several space-separated chunks is put together from each
  chunk's tokens, worked out once per distinct chunk (:mod:`annotator.nlp.word_chunks`:
  why a chunk's tokens do not depend on its neighbours; the same spans, tested).
  Sentences come from :mod:`annotator.nlp.punkt_untrained`, the untrained Punkt's decisions
  replayed on its own patterns without its per-token objects (the same spans, tested).

nltk itself is never imported: its patterns are copied in :mod:`annotator.nlp.nltk_rules`
(compared with the installed nltk's in the tests). :func:`text_units`
keeps a small cache so the GUI can call it on every selection.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from annotator.nlp.word_chunks import chunked_spans
from annotator.nlp.word_rules import _RE_FOLD, _word_rules  # noqa: F401  (tests read them)
from annotator.nlp.word_rules import nltk_spans as _nltk_spans

Span = tuple[int, int]

_FALLBACK = re.compile(r"\w+|[^\w\s]")
_LINE = re.compile(r"[^\n]+")


def _is_glue(ch: str) -> bool:
    """A character that belongs to the token before it (part of the same grapheme)."""
    cp = ord(ch)
    return (
        unicodedata.category(ch).startswith("M")
        or cp == 0x200D  # zero-width joiner
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0x1F3FB <= cp <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # tag characters (flag sequences)
    )


def _glue(text: str, spans: list[Span]) -> list[Span]:
    """Merge a token into the previous one when they touch and the join is inside a grapheme."""
    if text.isascii() or not any(_is_glue(ch) for ch in set(text) if not ch.isascii()):
        return spans  # nothing to glue (every glue character is outside ASCII)
    return _glued(text, spans)


def _glued(text: str, spans: list[Span]) -> list[Span]:
    """:func:`_glue` without its look for glue characters (offsets may be into a larger
    text: a token is only ever glued to one before it in ``spans``)."""
    out: list[Span] = []
    for s, e in spans:
        if out and out[-1][1] == s and (_is_glue(text[s]) or text[s - 1] == "\u200d"):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _regex_spans(sentence: str) -> list[Span]:
    return [m.span() for m in _FALLBACK.finditer(sentence)]


_SPACE = re.compile(r"\s+")


def _tiles(sentence: str, spans: Sequence[Span]) -> bool:
    """True when ``spans`` are ordered, disjoint, whitespace-free and cover every other char."""
    prev = 0
    for s, e in spans:
        if s < prev or e <= s or e > len(sentence):
            return False
        prev = e
    # ordered and disjoint: the pieces tile the non-space characters iff they spell them out
    return "".join(sentence[s:e] for s, e in spans) == _SPACE.sub("", sentence)


# --- fast path: sentences NLTKWordTokenizer would split only at spaces and simple punctuation -
# Characters some NLTKWordTokenizer rule looks at (quotes, clitics, periods, dashes, symbols...).
_SPECIAL = frozenset("«“‘„`\"'»”’:,.;@#$%&\u2012\u2013\u2014\u2015?!*[](){}<>")
_OPEN = frozenset('("')  # always split off at a word's start
_TAIL = frozenset(')",;:?!')  # always split off at a word's end (followed by a space or the end)
_CLOSERS = frozenset(')"')
# in a simple sentence these could only sit inside a CORE, which they make not plain
_NEVER_SIMPLE = _SPECIAL - _OPEN - _TAIL - {"."}
_CHUNK = re.compile(r"[^ ]+")


@lru_cache(maxsize=1)
def _contractions() -> tuple[Any, ...]:
    from annotator.nlp.nltk_rules import CONTRACTIONS, compile_rule

    return tuple(compile_rule(p) for p in CONTRACTIONS)


@lru_cache(maxsize=65536)
def _plain_word(core: str) -> bool:
    """True when NLTK keeps ``core`` as one token: no special character, no contraction."""
    if "--" in core or not _SPECIAL.isdisjoint(core):
        return False
    padded = f" {core} "
    return not any(rx.search(padded) for rx in _contractions())


def _simple_spans(sentence: str) -> list[Span] | None:
    """NLTK's spans for a *simple* sentence, or None when it is not simple.

    Simple: only ``" "`` as whitespace; each space-separated chunk is ``OPEN* CORE TAIL*`` with
    OPEN in ``( "``, TAIL in ``) " , ; : ? !``, CORE a plain word (:func:`_plain_word`, may be
    empty); at most one ``.``, in the last chunk, followed by nothing but ``)`` and ``"``. Each
    OPEN/TAIL character and the period are then tokens of their own and CORE is one token,
    which is what NLTKWordTokenizer's rules give for such text.
    """
    if "\t" in sentence or not _NEVER_SIMPLE.isdisjoint(sentence) or not sentence.isprintable():
        return None
    chunks = list(_CHUNK.finditer(sentence))
    out: list[Span] = []
    last = len(chunks) - 1
    for n, m in enumerate(chunks):
        s, e = m.span()
        word = m.group()
        i, j = 0, len(word)
        while i < j and word[i] in _OPEN:
            out.append((s + i, s + i + 1))
            i += 1
        tail: list[Span] = []
        closers_only = True  # only ) and " after this point: a period here is final
        while j > i:
            ch = word[j - 1]
            if ch in _TAIL:
                closers_only = closers_only and ch in _CLOSERS
            elif not (ch == "." and n == last and closers_only):
                break
            else:
                closers_only = False  # a second period is never final
            tail.append((s + j - 1, s + j))
            j -= 1
        if j > i:
            if not _plain_word(word[i:j]):
                return None
            out.append((s + i, s + j))
        out.extend(reversed(tail))
    return out


def _word_spans(sentence: str) -> list[Span]:
    """Token spans of one sentence (offsets relative to it)."""
    chunked = chunked_spans(sentence, _simple_spans)
    if chunked is not None:
        return chunked
    return _unchunked_spans(sentence)


def _unchunked_spans(sentence: str) -> list[Span]:
    """:func:`_word_spans` of a sentence that :func:`chunked_spans` leaves alone."""
    simple = _simple_spans(sentence)
    if simple is not None:
        return simple
    try:
        spans = _nltk_spans(sentence)
    except Exception:  # any failure of nltk's alignment: documented fallback below
        spans = []
    else:
        if _tiles(sentence, spans):
            return spans
    return _regex_spans(sentence)


def _punkt() -> Any:
    """The sentence splitter of a line (:func:`punkt_untrained.span_tokenize`)."""
    from annotator.nlp.punkt_untrained import span_tokenize

    return span_tokenize


_SENT_END = re.compile(r"[.?!]")


def _line_sentences(punkt: Any, line: str) -> list[Span]:
    if _SENT_END.search(line) is None:  # Punkt breaks only after . ? !
        return [(0, len(line))]
    try:
        return list(punkt(line))
    except ValueError:  # punkt refuses some odd lines; the line is then one sentence
        return [(0, len(line))]


def sentence_spans(text: str) -> list[Span]:
    """Sentence spans of ``text``; lines are split separately (see the module contract)."""
    punkt = _punkt()
    out: list[Span] = []
    for m in _LINE.finditer(text):
        base = m.start()
        line = m.group()
        if line.isspace():
            continue
        parts = _line_sentences(punkt, line)
        for s, e in parts:
            while s < e and line[s].isspace():
                s += 1
            while e > s and line[e - 1].isspace():
                e -= 1
            if s < e:
                out.append((base + s, base + e))
    return _cover_gaps(text, out)


def _cover_gaps(text: str, sentences: list[Span]) -> list[Span]:
    """Attach any stray non-whitespace between sentences of one line to a sentence (guard)."""
    out: list[Span] = []
    for s, e in sentences:
        if out:
            ps, pe = out[-1]
            gap = text[pe:s]
            if gap and not gap.isspace() and "\n" not in gap:
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def token_spans(text: str) -> list[Span]:
    """Token spans of ``text`` (see the module contract): a new list each call (the same
    tokens as ``text_units(text).tokens``, without its lookup tables or its cache)."""
    return _tokens(text, sentence_spans(text), None)


def _tokens(text: str, sentences: list[Span], token_sentence: list[int] | None) -> list[Span]:
    """The tokens of ``text`` cut in ``sentences``; each token's sentence index is appended to
    ``token_sentence`` when given."""
    tokens: list[Span] = []
    glue = [] if text.isascii() else [ch for ch in set(text) if not ch.isascii() and _is_glue(ch)]
    for i, (ss, se) in enumerate(sentences):
        sent = text[ss:se]
        words = chunked_spans(sent, _simple_spans, ss)
        if words is None:
            words = _unchunked_spans(sent)
            if ss:
                words = [(ss + s, ss + e) for s, e in words]
        if glue and any(ch in sent for ch in glue):
            words = _glued(text, words)
        tokens += words
        if token_sentence is not None:
            token_sentence += [i] * len(words)
    return tokens


class TextUnits:
    """Sentences and tokens of one text, with O(log n) lookups.

    Instances are immutable; get them from :func:`text_units`, which caches the last few.
    """

    __slots__ = ("_sent_starts", "_tok_ends", "_tok_starts", "sentences", "text", "token_sentence",
                 "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences: list[Span] = sentence_spans(text)
        token_sentence: list[int] = []
        tokens = _tokens(text, self.sentences, token_sentence)
        self.tokens = tokens
        self.token_sentence = token_sentence  # sentence index of each token
        self._tok_starts = [s for s, _ in tokens]
        self._tok_ends = [e for _, e in tokens]
        self._sent_starts = [s for s, _ in self.sentences]

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``i, j`` such that ``tokens[i:j]`` are the tokens overlapping ``[start, end)``.

        An empty range (``start == end``) touches nothing and gives ``i == j``.
        """
        i = bisect_right(self._tok_ends, start)
        j = bisect_left(self._tok_starts, end)
        return i, max(i, j)

    def tokens_in(self, start: int, end: int) -> list[Span]:
        """Tokens sharing at least one code point with ``[start, end)``."""
        i, j = self.token_range(start, end)
        return self.tokens[i:j]

    def token_at(self, pos: int) -> Span | None:
        """The token containing code point ``pos``, or None (whitespace, out of range)."""
        i = bisect_right(self._tok_starts, pos) - 1
        if i >= 0 and self.tokens[i][0] <= pos < self.tokens[i][1]:
            return self.tokens[i]
        return None

    def sentence_index(self, pos: int) -> int | None:
        """Index of the sentence containing ``pos``, or None."""
        i = bisect_right(self._sent_starts, pos) - 1
        if i >= 0 and self.sentences[i][0] <= pos < self.sentences[i][1]:
            return i
        return None

    def tokens_by_sentence(self) -> list[list[int]]:
        """Token indices grouped by sentence, in order."""
        groups: list[list[int]] = [[] for _ in self.sentences]
        for t, s in enumerate(self.token_sentence):
            groups[s].append(t)
        return groups


@lru_cache(maxsize=16)
def text_units(text: str) -> TextUnits:
    """Cached :class:`TextUnits` of ``text`` (keyed by the string's hash and value)."""
    return TextUnits(text)


def snap_to_words(text: str, start: int, end: int,
                  tokens: Sequence[Span] | None = None) -> tuple[int, int]:
    """Widen a selection to the whole tokens it touches, without surrounding whitespace.

    Whitespace at either end of the selection is trimmed first; then the selection grows to
    the start of the first and the end of the last token it overlaps. A selection of nothing
    but whitespace collapses to ``(s, s)`` at its trimmed position. An empty selection (a caret)
    inside a token selects that token. ``tokens`` (sorted spans) may be given to override the
    cached tokenisation. Offsets are clamped to the text.
    """
    n = len(text)
    start, end = max(0, min(start, n)), max(0, min(end, n))
    if end < start:
        start, end = end, start
    if tokens is None:
        units = text_units(text)
        toks: Sequence[Span] = units.tokens
        starts, ends = units._tok_starts, units._tok_ends
    else:
        toks = tokens
        starts = [s for s, _ in toks]
        ends = [e for _, e in toks]
    if start == end:
        i = bisect_right(starts, start) - 1
        if i >= 0 and toks[i][0] <= start < toks[i][1]:
            return toks[i]
        return start, start
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s == e:
        return s, s
    i = bisect_right(ends, s)
    j = bisect_left(starts, e)
    if i < j:
        s = min(s, toks[i][0])
        e = max(e, toks[j - 1][1])
    return s, e
