"""Span suggestions from cue lexicons: hedges, boosters and attribution cues.

Lexicons live in ``resources/lexicons/`` as plain UTF-8 text, one entry per line; blank lines
and lines starting with ``#`` are ignored. An entry matches case-insensitively as whole words
(no word character immediately before or after); the spaces inside a multiword entry match any
run of spaces/tabs or a single line break, and an apostrophe matches ``'`` or ``’``.

Within one layer suggestions never overlap: all matches are ranked longest first (in code
points), then earliest start, then lexicon order, and a match is kept only when it overlaps
no kept one. Suggestions of different layers may overlap (a word can be both a hedge and an
attribution cue), as spans of different layers may.

The GUI offers the result as suggestions; nothing here touches a project.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Suggestion:
    """A suggested span: ``cue`` is the lexicon entry that matched (lower case)."""

    layer: str
    label: str
    start: int
    end: int
    cue: str


@dataclass(frozen=True)
class Lexicon:
    """Entries of one lexicon file and the layer/label its matches are suggested as."""

    layer: str
    label: str
    entries: tuple[str, ...]


# (file, layer, label), in lexicon order (the last tie-breaker)
LEXICON_FILES: tuple[tuple[str, str, str], ...] = (
    ("attribution_cues.txt", "attribution", "cue"),
    ("hedges.txt", "hedging", "hedge"),
    ("boosters.txt", "hedging", "booster"),
)

_SEP = r"(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)"


def read_lexicon(path: Path) -> tuple[str, ...]:
    """Entries of a lexicon file, lower-cased, de-duplicated, in file order."""
    seen: dict[str, None] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        seen.setdefault(" ".join(line.lower().split()), None)
    return tuple(seen)


@lru_cache(maxsize=1)
def default_lexicons() -> tuple[Lexicon, ...]:
    """The bundled lexicons (read once)."""
    from annotator.core.resources import resource_path

    return tuple(Lexicon(layer, label, read_lexicon(resource_path("lexicons", name)))
                 for name, layer, label in LEXICON_FILES)


def _pattern(entry: str) -> re.Pattern[str]:
    words = [re.escape(w).replace("'", "['’]") for w in entry.split(" ")]
    return re.compile(r"(?<!\w)" + _SEP.join(words) + r"(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _compiled(entry: str) -> re.Pattern[str]:
    return _pattern(entry)


_WORD = re.compile(r"\w+")


def _word_index(text: str) -> dict[str, list[int]]:
    """Start offsets of each (case-folded) word of ``text``."""
    index: dict[str, list[int]] = {}
    for m in _WORD.finditer(text):
        index.setdefault(m.group().lower(), []).append(m.start())
    return index


def _matches(text: str, entry: str, index: dict[str, list[int]]) -> list[tuple[int, int]]:
    """Spans where ``entry`` matches, trying only where its first word occurs."""
    pattern = _compiled(entry)
    first = _WORD.match(entry)
    if first is None:  # entry starting with punctuation: plain scan
        return [m.span() for m in pattern.finditer(text)]
    out = []
    for pos in index.get(first.group(), ()):
        m = pattern.match(text, pos)
        if m:
            out.append(m.span())
    return out


def suggest_spans(text: str, lexicons: tuple[Lexicon, ...] | None = None) -> list[Suggestion]:
    """Lexicon matches in ``text`` as suggestions, sorted by start, then layer.

    Offsets are code points, end exclusive. See the module docstring for the matching rules.
    """
    lexs = default_lexicons() if lexicons is None else lexicons
    # candidates per layer: (-length, start, rank, suggestion)
    by_layer: dict[str, list[tuple[int, int, int, Suggestion]]] = {}
    index = _word_index(text)
    rank = 0
    for lex in lexs:
        cands = by_layer.setdefault(lex.layer, [])
        for entry in lex.entries:
            rank += 1
            for s, e in _matches(text, entry, index):
                cands.append((s - e, s, rank, Suggestion(lex.layer, lex.label, s, e, entry)))
    out: list[Suggestion] = []
    for cands in by_layer.values():
        cands.sort(key=lambda c: c[:3])
        starts: list[int] = []  # kept intervals of this layer: disjoint, sorted
        ends: list[int] = []
        for _, s, _, sug in cands:
            i = bisect_right(starts, s)
            if (i and ends[i - 1] > s) or (i < len(starts) and starts[i] < sug.end):
                continue
            starts.insert(i, s)
            ends.insert(i, sug.end)
            out.append(sug)
    out.sort(key=lambda x: (x.start, x.layer, x.end))
    return out
