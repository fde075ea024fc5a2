"""Span suggestions from cue lexicons: hedges, boosters and attribution cues.

Lexicons live in ``resources/lexicons/`` as plain UTF-8 text, one entry per line; blank lines
and lines starting with ``#`` are ignored. An entry matches case-insensitively as whole words
(no word character immediately before or after); the spaces inside a multiword entry match any
run of spaces/tabs or a single line break, and an apostrophe matches ``'`` or ``’``.

Within one layer suggestions never overlap: all matches are ranked longest first (in code
points), then earliest start, then lexicon order, and a match is kept only when it overlaps
no kept one and no existing span of that layer (``existing``: a suggestion never sits inside or
across what the user already tagged in its layer, so "no chance" tagged is not offered again
as "no chance at all"). Suggestions of different layers may overlap (a word can be both a hedge
and an attribution cue), as spans of different layers may, except where one cannot be inside
the other (:data:`NOT_INSIDE`: an attribution cue inside or across a hedge, e.g. "confirmed"
in "not fully confirmed", is part of the hedge, not a cue; the very same words, "according to",
may be both). An attribution cue right after the author's
own "I" ("I explained", "as I said") is the writer speaking, not an attribution: not offered.

The GUI offers the result as suggestions; nothing here touches a project.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class Suggestion:
    """A suggested span with its provenance.

    ``cue`` says why: the lexicon entry that matched (lower case), or the tagged text a string
    match repeats, or the model's name. ``score`` is in [0, 1] (1 for a lexicon match);
    ``model_version`` and ``training_size`` (documents) say which training made it.
    """

    layer: str
    label: str
    start: int
    end: int
    cue: str
    score: float = 1.0
    recommender: str = "lexicon"
    model_version: str = ""
    training_size: int = 0

    def origin(self) -> dict[str, object]:
        """What an accepted suggestion records as the span's provenance (``Span.origin``)."""
        return {"recommender": self.recommender, "model_version": self.model_version,
                "training_size": self.training_size, "score": round(self.score, 4)}


# (layer, label) of a suggestion -> (layer, label) of spans it can never be inside or across
NOT_INSIDE: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("attribution", "cue"): (("hedging", "hedge"),),
}

# the author's own voice before a cue: "I explained", "I have said", "as I noted"
_FIRST_PERSON = re.compile(r"(?<!\w)I(?:['’](?:ve|d)|\s+(?:have|had|also|then|already|"
                           r"just|once|often))?\s+$")


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


Existing = tuple[str, str, int, int]  # layer, label, start, end of a span already there


def suggest_spans(text: str, lexicons: tuple[Lexicon, ...] | None = None,
                  existing: Iterable[Existing] = ()) -> list[Suggestion]:
    """Lexicon matches in ``text`` as suggestions, sorted by start, then layer.

    Offsets are code points, end exclusive. ``existing`` are the document's spans. See the
    module docstring for the matching rules.
    """
    lexs = default_lexicons() if lexicons is None else lexicons
    there = list(existing)
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
    for layer, cands in by_layer.items():
        cands.sort(key=lambda c: c[:3])
        taken = bytearray(len(text) + 1)  # 1 = code point covered in this layer
        for lay, _, s, e in there:  # the existing spans of the layer are taken first
            if lay == layer:
                taken[s:e] = b"\x01" * (e - s)
        for _, s, _, sug in cands:
            if taken.find(1, s, sug.end) < 0:
                taken[s:sug.end] = b"\x01" * (sug.end - s)
                out.append(sug)
    blockers: dict[tuple[str, str], tuple[bytearray, set[tuple[int, int]]]] = {}
    wanted = {key for keys in NOT_INSIDE.values() for key in keys}
    for layer, label, s, e in [*there, *((x.layer, x.label, x.start, x.end) for x in out)]:
        if (layer, label) in wanted:
            cover, exact = blockers.setdefault((layer, label), (bytearray(len(text) + 1), set()))
            cover[s:e] = b"\x01" * (e - s)
            exact.add((s, e))
    out = [x for x in out if not _blocked(text, x, blockers)]
    out.sort(key=lambda x: (x.start, x.layer, x.end))
    return out


def _blocked(text: str, sug: Suggestion,
             blockers: dict[tuple[str, str], tuple[bytearray, set[tuple[int, int]]]]) -> bool:
    """Whether ``sug`` sits where it cannot be (see :data:`NOT_INSIDE`, the author's "I")."""
    for key in NOT_INSIDE.get((sug.layer, sug.label), ()):
        cover, exact = blockers.get(key, (None, set()))
        if cover is not None and cover.find(1, sug.start, sug.end) >= 0 \
                and (sug.start, sug.end) not in exact:
            return True  # the same words may be both; a part of a hedge is not a cue
    if sug.layer == "attribution":
        return _FIRST_PERSON.search(text, max(0, sug.start - 20), sug.start) is not None
    return False
