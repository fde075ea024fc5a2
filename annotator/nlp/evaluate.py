"""Evaluation as INCEpTION does it: a seeded 80/20 split by document, P/R/F1 per label.

A recommender is trained on the training documents and asked for suggestions on the test
documents' bare texts; a suggestion is right when a span of the test document has the same
layer, label, start and end. Per ``LAYER/LABEL``: precision over the suggestions, recall over
the spans, F1 = 2TP / (2TP + FP + FN); ``None`` where undefined (nothing to divide by). The
recommender's ``f1`` is the micro F1 over its labels; it is ``active`` (shown to the user) when
that reaches the threshold. Labels outside ``allowed`` (the tagset's) are not scored.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from annotator.nlp.suggest import Suggestion
from annotator.nlp.training import Item, TrainDoc

SEED = 13
TRAIN_SHARE = 0.8
THRESHOLD = 0.5
CURVE_SIZES = (10, 50, 200)


class Recommender(Protocol):
    name: str

    def train(self, docs: Sequence[TrainDoc]) -> None: ...

    def predict(self, text: str, existing: Iterable[Item] = ()) -> list[Suggestion]: ...


Factory = Callable[[], Recommender]


def split(docs: Sequence[TrainDoc], seed: int = SEED,
          share: float = TRAIN_SHARE) -> tuple[list[TrainDoc], list[TrainDoc]]:
    """Training and test documents: shuffled by name with ``seed``, ``share`` for training
    (at least one document on each side when there are two or more)."""
    order = sorted(docs, key=lambda d: d.name)
    random.Random(seed).shuffle(order)
    if len(order) < 2:
        return order, []
    cut = min(max(1, round(share * len(order))), len(order) - 1)
    return order[:cut], order[cut:]


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def score(gold: dict[tuple[str, str], set[tuple[str, int, int]]],
          pred: dict[tuple[str, str], set[tuple[str, int, int]]]) -> dict[str, Any]:
    """P/R/F1 per label and micro F1 from (doc, start, end) sets per (layer, label)."""
    labels: dict[str, Any] = {}
    tp_all = fp_all = fn_all = 0
    for key in sorted(set(gold) | set(pred)):
        g, p = gold.get(key, set()), pred.get(key, set())
        tp = len(g & p)
        fp, fn = len(p) - tp, len(g) - tp
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        labels[f"{key[0]}/{key[1]}"] = {"precision": _ratio(tp, tp + fp),
                                        "recall": _ratio(tp, tp + fn),
                                        "f1": _ratio(2 * tp, 2 * tp + fp + fn),
                                        "support": len(g)}
    return {"labels": labels, "f1": _ratio(2 * tp_all, 2 * tp_all + fp_all + fn_all)}


def run(recommender: Recommender, train: Sequence[TrainDoc], test: Sequence[TrainDoc],
        allowed: set[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Train on ``train``, score on ``test`` (see the module docstring)."""
    recommender.train(train)
    gold: dict[tuple[str, str], set[tuple[str, int, int]]] = {}
    pred: dict[tuple[str, str], set[tuple[str, int, int]]] = {}
    for doc in test:
        for lay, lab, s, e in doc.spans:
            if allowed is None or (lay, lab) in allowed:
                gold.setdefault((lay, lab), set()).add((doc.name, s, e))
        for sug in recommender.predict(doc.text):
            if allowed is None or (sug.layer, sug.label) in allowed:
                pred.setdefault((sug.layer, sug.label), set()).add((doc.name, sug.start, sug.end))
    return score(gold, pred)


def evaluate(docs: Sequence[TrainDoc], factories: dict[str, Factory], *,
             allowed: set[tuple[str, str]] | None = None, seed: int = SEED,
             threshold: float = THRESHOLD) -> dict[str, Any]:
    """The ``suggest --evaluate --json`` document (see docs/interfaces)."""
    train, test = split(docs, seed)
    out: dict[str, Any] = {}
    for name, factory in factories.items():
        result = run(factory(), train, test, allowed)
        f1 = result["f1"]
        out[name] = {"labels": result["labels"], "f1": f1,
                     "active": f1 is not None and f1 >= threshold}
    return {"split": {"train": len(train), "test": len(test), "seed": seed},
            "recommenders": out}


def learning_curve(docs: Sequence[TrainDoc], factory: Factory, sizes: Iterable[int] = CURVE_SIZES,
                   *, allowed: set[tuple[str, str]] | None = None, seed: int = SEED,
                   test: Sequence[TrainDoc] | None = None) -> list[tuple[int, float | None]]:
    """Micro F1 on the test split after training on the first n training documents, for each n
    of ``sizes`` that the training split can give (a smaller last point when it falls short)."""
    train, held = split(docs, seed)
    if test is not None:
        held = list(test)
    points: list[tuple[int, float | None]] = []
    for n in sorted(set(sizes)):
        k = min(n, len(train))
        if points and points[-1][0] == k:
            break
        points.append((k, run(factory(), train[:k], held, allowed)["f1"]))
    return points
