"""The string matching recommender: what the user tagged, suggested where it occurs again.

Every text the user tagged (normalised: words as the word tokens below, joined by one space;
lower case unless ``case_sensitive``) is suggested at its other occurrences across the project,
whole words only, with the label the user gave that text most often in that layer. Its score is
that label's share of the text's taggings, with each rejected suggestion of that text and label
counted as a tagging with another label (so a rejected match scores lower everywhere).

Within a layer, suggestions never overlap each other or an existing span of that layer; longer
matches win, then earlier ones. Matching is a dictionary walk over the word tokens: linear in
the text, whatever the number of entries.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from annotator.nlp.suggest import Suggestion
from annotator.nlp.training import Item, TrainDoc

_TOKEN = re.compile(r"\w+|[^\w\s]")
NAME = "string"


def _words(text: str, case_sensitive: bool) -> list[tuple[str, int, int]]:
    f = (lambda w: w) if case_sensitive else str.lower
    return [(f(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


class StringMatcher:
    """Learns tagged strings from :class:`TrainDoc` records; suggests them in other texts."""

    name = NAME

    def __init__(self, *, case_sensitive: bool = False, min_score: float = 0.0) -> None:
        self.case_sensitive = case_sensitive
        self.min_score = min_score
        # first word -> entries starting with it: (words, layer, label, score)
        self._index: dict[str, list[tuple[tuple[str, ...], str, str, float]]] = {}
        self.training_size = 0
        self.version = ""

    def _key(self, text: str) -> tuple[str, ...]:
        return tuple(w for w, _, _ in _words(text, self.case_sensitive))

    def train(self, docs: Sequence[TrainDoc]) -> None:
        votes: dict[tuple[str, tuple[str, ...]], Counter[str]] = {}
        rejects: Counter[tuple[str, tuple[str, ...], str]] = Counter()
        for doc in docs:
            for layer, label, s, e in doc.spans:
                key = self._key(doc.text[s:e])
                if key:
                    votes.setdefault((layer, key), Counter())[label] += 1
            for layer, label, s, e in doc.rejected:
                key = self._key(doc.text[s:e])
                if key:
                    rejects[(layer, key, label)] += 1
        index: dict[str, list[tuple[tuple[str, ...], str, str, float]]] = {}
        for (layer, key), counter in votes.items():
            label, n = min(counter.items(), key=lambda kv: (-kv[1], kv[0]))  # ties: by name
            score = n / (sum(counter.values()) + rejects[(layer, key, label)])
            if score >= self.min_score:
                index.setdefault(key[0], []).append((key, layer, label, score))
        for entries in index.values():
            entries.sort(key=lambda x: -len(x[0]))
        self._index = index
        self.training_size = len(docs)
        self.version = f"{NAME}-{self.training_size}-{sum(map(len, index.values()))}"

    def entries(self) -> int:
        return sum(map(len, self._index.values()))

    def predict(self, text: str, existing: Iterable[Item] = ()) -> list[Suggestion]:
        """Suggestions for ``text``; ``existing`` are the document's spans (never crossed)."""
        words = _words(text, self.case_sensitive)
        cands: list[tuple[int, int, str, str, float]] = []  # start, end, layer, label, score
        n = len(words)
        for i, (w, start, _) in enumerate(words):
            for key, layer, label, score in self._index.get(w, ()):
                k = len(key)
                if i + k <= n and all(words[i + j][0] == key[j] for j in range(1, k)):
                    cands.append((start, words[i + k - 1][2], layer, label, score))
        cands.sort(key=lambda c: (c[0] - c[1], c[0]))  # longest first, then earliest
        taken: dict[str, bytearray] = {}
        there = list(existing)
        out: list[Suggestion] = []
        for s, e, layer, label, score in cands:
            cover = taken.get(layer)
            if cover is None:
                cover = taken[layer] = bytearray(len(text) + 1)
                for lay, _, xs, xe in there:
                    if lay == layer:
                        cover[xs:xe] = b"\x01" * (xe - xs)
            if cover.find(1, s, e) >= 0:
                continue
            cover[s:e] = b"\x01" * (e - s)
            out.append(Suggestion(layer, label, s, e, " ".join(self._key(text[s:e])),
                                  score=score, recommender=NAME, model_version=self.version,
                                  training_size=self.training_size))
        out.sort(key=lambda x: (x.start, x.layer, x.end))
        return out
