"""The learned recommender: a linear-chain CRF per layer, trained on the project's own spans.

Engine: python-crfsuite (CRFsuite), the library under nltk's ``CRFTagger``. It is used directly
rather than through ``CRFTagger`` because the features need the token offsets and the text
around a token (quotes, cues, paragraph starts), not only the token strings ``CRFTagger`` hands
its feature function; because ``CRFTagger`` reads and writes models only as files under an NLTK
data root; and because suggestions need per-token marginals (scores, uncertainty), which
``CRFTagger`` does not expose. Tokens and sentences are nltk's (:mod:`annotator.nlp.tokens`).

Tags are BIO over those tokens: a token is inside a span when it shares a code point with it; a
suggestion covers its tokens exactly. Labels of one layer whose spans overlap in the training
data are put in separate *label groups*, one model each, so every group is a plain BIO tagging.
Within a group, of two overlapping spans the earlier (then longer) one is kept for training.
Rejected suggestions are negative examples: their tokens are trained as ``O`` and their
sentences are always in the training data.

Storage, without pickle: :meth:`LayerModel.to_bytes` is a header line of JSON (labels and byte
sizes of each group, training size, version) followed by CRFsuite's own model bytes, which
CRFsuite reads as data (:meth:`LayerModel.from_bytes` checks sizes and magic first). Reading a
colleague's model never runs code.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from annotator.nlp.features import Span, document_features
from annotator.nlp.suggest import Suggestion
from annotator.nlp.training import Item, TrainDoc

NAME = "learned"
MAGIC = b"annotator-crf 1\n"
_CRF_MAGIC = b"lCRF"
MAX_HEADER = 1 << 20
LARGE = 150_000  # training tokens from which the faster algorithm is used
_SLACK = 1e-6  # marginals summing to 1 within float error cannot move a skipped token's bound


class ModelError(ValueError):
    """Model bytes that are not a model of ours."""


@dataclass
class LayerModel:
    """The trained models of one layer: ``groups`` of (labels, CRFsuite model bytes)."""

    layer: str
    groups: list[tuple[tuple[str, ...], bytes]]
    training_size: int = 0
    version: str = ""
    # a CRFsuite tagger holds the sequence last set on it: two threads sharing one (two
    # suggestion jobs of the window, one cancelled and still finishing) read each other's
    # sequences ("position out of range"). Each thread opens its own.
    _local: threading.local = field(default_factory=threading.local, repr=False,
                                    compare=False)

    def to_bytes(self) -> bytes:
        header = {"layer": self.layer, "training_size": self.training_size,
                  "version": self.version,
                  "groups": [{"labels": list(labels), "size": len(data)}
                             for labels, data in self.groups]}
        return (MAGIC + json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n"
                + b"".join(data for _, data in self.groups))

    @classmethod
    def from_bytes(cls, data: bytes) -> LayerModel:
        if not data.startswith(MAGIC):
            raise ModelError("not a model written by this program")
        end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER)
        if end < 0:
            raise ModelError("the model's header is missing")
        try:
            header = json.loads(data[len(MAGIC):end].decode("utf-8"))
            layer = str(header["layer"])
            specs = [(tuple(str(x) for x in g["labels"]), int(g["size"]))
                     for g in header["groups"]]
            size, version = int(header["training_size"]), str(header["version"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"the model's header is damaged ({exc})") from None
        pos = end + 1
        groups = []
        for labels, n in specs:
            chunk = data[pos:pos + n]
            if n <= 0 or len(chunk) != n or not chunk.startswith(_CRF_MAGIC):
                raise ModelError("the model's data is cut short or damaged")
            groups.append((labels, chunk))
            pos += n
        if pos != len(data):
            raise ModelError("the model has trailing data")
        return cls(layer, groups, size, version)

    def taggers(self) -> list[Any]:
        """One CRFsuite tagger per label group, of the calling thread's own."""
        taggers: list[Any] | None = getattr(self._local, "taggers", None)
        if taggers is None:
            import pycrfsuite

            taggers = []
            for _, data in self.groups:
                tagger = pycrfsuite.Tagger()
                tagger.open_inmemory(data)
                taggers.append(tagger)
            self._local.taggers = taggers
        return taggers


def label_groups(docs: Sequence[TrainDoc], layer: str) -> list[tuple[str, ...]]:
    """Labels of ``layer`` split so that no two labels of a group overlap anywhere."""
    freq: dict[str, int] = {}
    clash: set[tuple[str, str]] = set()
    for doc in docs:
        spans = sorted((s, e, lab) for lay, lab, s, e in doc.spans if lay == layer)
        for i, (_s, e, lab) in enumerate(spans):
            freq[lab] = freq.get(lab, 0) + 1
            for s2, _e2, lab2 in spans[i + 1:]:
                if s2 >= e:
                    break
                if lab2 != lab:
                    clash.update({(lab, lab2), (lab2, lab)})
    groups: list[list[str]] = []
    for lab in sorted(freq, key=lambda x: (-freq[x], x)):
        for g in groups:
            if not any((lab, other) in clash for other in g):
                g.append(lab)
                break
        else:
            groups.append([lab])
    return [tuple(sorted(g)) for g in groups]


def bio(tokens: Sequence[Span], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """BIO tags of ``tokens`` for non-overlapping-kept ``spans`` (start, end, label)."""
    tags = ["O"] * len(tokens)
    if not tokens:
        return tags
    lo, hi = tokens[0][0], tokens[-1][1]
    starts = [ts for ts, _ in tokens]
    for s, e, lab in sorted(spans, key=lambda x: (x[0], x[0] - x[1])):
        if e <= lo or s >= hi:
            continue
        first = max(0, bisect_right(starts, s) - 1)
        if tokens[first][1] <= s:
            first += 1
        idx = []
        for i in range(first, len(tokens)):
            if tokens[i][0] >= e:
                break
            idx.append(i)
        if not idx or any(tags[i] != "O" for i in idx):
            continue
        tags[idx[0]] = "B-" + lab
        for i in idx[1:]:
            tags[i] = "I-" + lab
    return tags


def decode(tokens: Sequence[Span], tags: Sequence[str]) -> list[tuple[int, int, str, int, int]]:
    """Spans (start, end, label, first token, end token) of a BIO tag sequence."""
    out = []
    i, n = 0, len(tags)
    while i < n:
        tag = tags[i]
        if tag == "O":
            i += 1
            continue
        lab = tag[2:]
        j = i + 1
        while j < n and tags[j] == "I-" + lab:
            j += 1
        out.append((tokens[i][0], tokens[j - 1][1], lab, i, j))
        i = j
    return out


@lru_cache(maxsize=2)
def _items(text: str) -> list[tuple[list[Span], Any]]:
    """Token spans and CRFsuite item sequences of each sentence, made once for every model."""
    import pycrfsuite

    return [(tokens, pycrfsuite.ItemSequence(xseq)) for tokens, xseq in document_features(text)]


class CrfRecommender:
    """One :class:`LayerModel` per layer; :meth:`train` then :meth:`predict` or :meth:`margins`."""

    name = NAME

    def __init__(self, *, layers: Iterable[str] | None = None, algorithm: str = "auto",
                 max_iterations: int | None = None,
                 cache: dict[str, Any] | None = None) -> None:
        self.layers = set(layers) if layers is not None else None
        # text -> features, shared by the trainings and evaluations of one run (each text's
        # features are computed once; their strings are shared, so a corpus fits in memory)
        self.cache = cache
        self.algorithm = algorithm
        self.max_iterations = max_iterations
        self.models: dict[str, LayerModel] = {}

    def _params(self, tokens: int) -> tuple[str, dict[str, Any]]:
        """L-BFGS (50 iterations, L2 0.01) up to :data:`LARGE` training tokens; beyond, the
        averaged perceptron (10 epochs), several times faster at a small cost in F1."""
        algo = self.algorithm
        if algo == "auto":
            algo = "lbfgs" if tokens <= LARGE else "ap"
        params: dict[str, Any] = {"feature.possible_transitions": True}
        if algo == "lbfgs":
            params.update({"c2": 0.01, "max_iterations": self.max_iterations or 50})
        else:
            params["max_iterations"] = self.max_iterations or 10
        return algo, params

    def _features(self, text: str) -> list[tuple[list[Span], Any]]:
        """The features of ``text``: from the run's shared cache when there is one."""
        if self.cache is None:
            return document_features(text)
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = document_features(text)
        return found

    def _items(self, text: str) -> list[tuple[list[Span], Any]]:
        if self.cache is None:
            return _items(text)
        import pycrfsuite

        return [(tokens, pycrfsuite.ItemSequence(x)) for tokens, x in self._features(text)]

    @property
    def training_size(self) -> int:
        return max((m.training_size for m in self.models.values()), default=0)

    def train(self, docs: Sequence[TrainDoc]) -> None:
        """Train every layer that has spans in ``docs`` (features computed once per document)."""
        import pycrfsuite

        layers = sorted({lay for d in docs for lay, _, _, _ in d.spans
                         if self.layers is None or lay in self.layers})
        trainers: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        used: dict[str, int] = {}
        algo, params = self._params(sum(len(d.text) for d in docs) // 6)  # ~6 code points a token
        for layer in layers:
            trainers[layer] = []
            for labels in label_groups(docs, layer):
                trainer = pycrfsuite.Trainer(algo, verbose=False)
                trainer.set_params(params)
                trainers[layer].append((labels, trainer))
        for doc in docs:
            mine = [lay for lay in layers
                    if any(x[0] == lay for x in (*doc.spans, *doc.rejected))]
            if not mine:
                continue
            feats = self._features(doc.text)
            if sum(len(trainers[lay]) for lay in mine) > 1:  # converted once for all trainers
                feats = [(tokens, pycrfsuite.ItemSequence(x)) for tokens, x in feats]
            for layer in mine:
                used[layer] = used.get(layer, 0) + 1
                for labels, trainer in trainers[layer]:
                    spans = [(s, e, lab) for lay, lab, s, e in doc.spans
                             if lay == layer and lab in labels]
                    for tokens, xseq in feats:
                        trainer.append(xseq, bio(tokens, spans))
        self.models = {}
        with tempfile.TemporaryDirectory(prefix="annotator-crf-") as tmp:
            for layer, groups in trainers.items():
                trained = []
                for k, (labels, trainer) in enumerate(groups):
                    path = os.path.join(tmp, f"{k}.crfsuite")
                    trainer.train(path)
                    with open(path, "rb") as fh:
                        trained.append((labels, fh.read()))
                size = used.get(layer, 0)
                self.models[layer] = LayerModel(layer, trained, size, f"{NAME}-{layer}-{size}")

    def predict(self, text: str, existing: Iterable[Item] = ()) -> list[Suggestion]:
        """Suggestions for ``text`` with a score each: the mean marginal of its tags."""
        return self.analyse(text, existing, margins=False)[0]

    def margins(self, text: str) -> list[tuple[int, int, float]]:
        """(start, end, margin) of each sentence: the smallest gap, over its tokens and every
        model, between the most and the second most likely tag (low = the model is unsure)."""
        return self.analyse(text, margins=True, suggest=False)[1]

    def analyse(self, text: str, existing: Iterable[Item] = (), *, margins: bool = True,
                suggest: bool = True
                ) -> tuple[list[Suggestion], list[tuple[int, int, float]]]:
        """:meth:`predict` and :meth:`margins` in one pass: each sentence is handed to each
        model once (what the window asks for: suggestions and where the model is unsure)."""
        if not self.models:
            return [], []
        feats = self._items(text)
        there = list(existing)
        out: list[Suggestion] = []
        worst = [1.0] * len(feats)
        for layer, model in sorted(self.models.items()):
            found = []
            for tagger in model.taggers():
                labels = tagger.labels()
                marginal = tagger.marginal
                for k, (tokens, xseq) in enumerate(feats):
                    tagger.set(xseq)
                    tags = tagger.tag()
                    if suggest:
                        for s, e, lab, i, j in decode(tokens, tags):
                            score = sum(marginal(tags[t], t) for t in range(i, j)) / (j - i)
                            found.append((s, e, lab, score))
                    if margins:
                        low = worst[k]
                        for t in range(len(tokens)):
                            # a tag of marginal p > 1/2 is the likeliest, the others share
                            # 1 - p: the gap is at least 2p - 1. A token whose bound is above
                            # the smallest gap so far cannot lower it and is not looked at
                            if 2.0 * marginal(tags[t], t) - 1.0 > low + _SLACK:
                                continue
                            probs = sorted([marginal(y, t) for y in labels], reverse=True)
                            gap = probs[0] - (probs[1] if len(probs) > 1 else 0.0)
                            if gap < low:
                                low = gap
                        worst[k] = low
            if not found:
                continue
            cover = bytearray(len(text) + 1)
            for lay, _, s, e in there:
                if lay == layer:
                    cover[s:e] = b"\x01" * (e - s)
            found.sort(key=lambda x: (-x[3], x[0]))
            for s, e, lab, score in found:
                if cover.find(1, s, e) < 0:
                    cover[s:e] = b"\x01" * (e - s)
                    out.append(Suggestion(layer, lab, s, e, NAME, score=score, recommender=NAME,
                                          model_version=model.version,
                                          training_size=model.training_size))
        out.sort(key=lambda x: (x.start, x.layer, x.end))
        spans = [(tokens[0][0], tokens[-1][1], worst[k]) for k, (tokens, _) in enumerate(feats)]
        return out, spans if margins else []
