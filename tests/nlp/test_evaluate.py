"""Evaluation as INCEpTION does it: seeded 80/20 document split, P/R/F1 per label."""

from __future__ import annotations

from annotator.nlp.evaluate import evaluate, learning_curve, score, split
from annotator.nlp.recommend import combine, factories
from annotator.nlp.suggest import Suggestion
from annotator.nlp.training import TrainDoc


def test_split_is_by_document_seeded_and_80_20() -> None:
    docs = [TrainDoc(f"d{i:02}", "x") for i in range(10)]
    train, test = split(docs, seed=3)
    assert (len(train), len(test)) == (8, 2)
    assert {d.name for d in train} | {d.name for d in test} == {d.name for d in docs}
    assert split(list(reversed(docs)), seed=3) == (train, test)  # order does not matter
    assert split(docs, seed=4) != (train, test)


def test_scores_per_label_and_micro_f1() -> None:
    gold = {("a", "x"): {("d", 0, 1), ("d", 2, 3)}, ("a", "y"): {("d", 5, 6)}}
    pred = {("a", "x"): {("d", 0, 1)}, ("a", "z"): {("d", 7, 8)}}
    result = score(gold, pred)
    assert result["labels"]["a/x"] == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3,
                                       "support": 2}
    assert result["labels"]["a/y"] == {"precision": None, "recall": 0.0, "f1": 0.0, "support": 1}
    assert result["labels"]["a/z"]["recall"] is None
    assert result["f1"] == 2 / (2 + 1 + 2)


def test_evaluate_shape_threshold_and_curve() -> None:
    text = "Officials said the deal may collapse."
    i, j = text.index("said"), text.index("may")
    docs = [TrainDoc(f"d{k}", text, (("attribution", "cue", i, i + 4),
                                     ("hedging", "hedge", j, j + 3))) for k in range(10)]
    result = evaluate(docs, factories(), threshold=0.9)
    assert result["split"] == {"train": 8, "test": 2, "seed": 13}
    recs = result["recommenders"]
    assert set(recs) == {"lexicon", "string", "learned"}
    assert recs["string"]["f1"] == 1.0 and recs["string"]["active"]
    assert recs["learned"]["labels"]["hedging/hedge"]["support"] == 2
    assert recs["lexicon"]["active"] == (recs["lexicon"]["f1"] >= 0.9)
    curve = learning_curve(docs, factories(names=["string"])["string"], (1, 5, 50))
    assert [n for n, _ in curve] == [1, 5, 8]


def test_combine_keeps_one_suggestion_per_words_and_drops_rejected() -> None:
    a = Suggestion("h", "hedge", 0, 9, "no chance", 1.0, "lexicon")
    b = Suggestion("h", "hedge", 0, 16, "no chance at all", 0.6, "string")
    c = Suggestion("h", "booster", 20, 25, "x", 0.9, "learned")
    d = Suggestion("other", "hedge", 0, 9, "x", 0.2, "learned")
    got = combine([a, b, c, d], rejected=[("h", "booster", 20, 25)],
                  allowed={("h", "hedge"), ("h", "booster")})
    assert got == [a]
