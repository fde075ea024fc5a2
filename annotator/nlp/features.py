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

from annotator.nlp.suggest import suggest_spans
from annotator.nlp.tokens import text_units

Span = tuple[int, int]
_OPEN = "“«„‘‹"
_CLOSE = "”»’›"
_SHAPE_RUNS = re.compile(r"(.)\1+")


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


def quote_mask(text: str) -> bytearray:
    """1 at every code point inside quotation marks; a line break closes any open quote."""
    mask = bytearray(len(text))
    depth = 0
    straight = False
    for i, ch in enumerate(text):
        if ch == "\n":
            depth, straight = 0, False
        elif ch in _OPEN and not (ch == "’" and depth == 0):
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch == '"':
            straight = not straight
        elif depth or straight:
            mask[i] = 1
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


def sentence_features(text: str, tokens: Sequence[Span], sent_no: int, para_first: bool,
                      quotes: bytearray, lex: dict[int, str]) -> list[list[str]]:
    """Features of each token of one sentence (``tokens`` are its token spans)."""
    words = [text[s:e] for s, e in tokens]
    lowers = [w.lower() for w in words]
    shapes = [shape(w) for w in words]
    n = len(words)
    cues = [i for i, (s, _) in enumerate(tokens) if lex.get(s, "").endswith("cue")]
    out: list[list[str]] = []
    for i, w in enumerate(words):
        low = lowers[i]
        s = tokens[i][0]
        f = ["b", "w=" + w, "l=" + low, "sh=" + shapes[i], "p2=" + low[:2], "p3=" + low[:3],
             "s2=" + low[-2:], "s3=" + low[-3:], "q=" + str(quotes[s] if s < len(quotes) else 0),
             "pos=" + str(4 * i // n)]
        if w[:1].isupper():
            f.append("title")
        if w.isupper() and len(w) > 1:
            f.append("upper")
        if any(c.isdigit() for c in w):
            f.append("digit")
        if not any(c.isalnum() for c in w):
            f.append("punct")
        if i == 0:
            f.append("first")
        if i == n - 1:
            f.append("last")
        if sent_no == 0:
            f.append("doc_first")
        if para_first:
            f.append("para_first")
        tag = lex.get(s)
        if tag:
            f.append("lex=" + tag)
        if cues:
            c = min(cues, key=lambda j: abs(j - i))
            f.append("cue=" + ("0" if c == i else ("L" if c < i else "R") + _bucket(abs(c - i))))
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"{d}l={lowers[j]}")
                f.append(f"{d}sh={shapes[j]}")
            else:
                f.append(f"{d}pad")
        out.append(f)
    return out


def document_features(text: str) -> list[tuple[list[Span], list[list[str]]]]:
    """(token spans, features) of every sentence of ``text``."""
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
