"""The learned recommender: BIO over nltk tokens, label groups, model bytes without pickle."""

from __future__ import annotations

import pytest

from annotator.nlp.crf import CrfRecommender, LayerModel, ModelError, bio, decode, label_groups
from annotator.nlp.features import document_features, quote_mask, shape
from annotator.nlp.training import TrainDoc

SENTS = ["Officials said the plan may fail.", "The minister said it could work.",
         "Critics argued that the rules might change.", "“It may rain,” the mayor said."]


def doc(k: int, text: str) -> TrainDoc:
    spans = []
    for word, layer, label in (("said", "attribution", "cue"), ("argued", "attribution", "cue"),
                               ("may", "hedging", "hedge"), ("might", "hedging", "hedge"),
                               ("could", "hedging", "hedge")):
        if f" {word} " in f" {text.rstrip('.')} ":
            i = text.index(word)
            spans.append((layer, label, i, i + len(word)))
    return TrainDoc(f"d{k}", text, tuple(spans))


DOCS = [doc(k, s) for k in range(6) for s in SENTS]


def test_features_know_quotes_shapes_and_cues() -> None:
    text = "“It may rain,” the mayor said."
    mask = quote_mask(text)
    assert mask[text.index("may")] == 1 and mask[text.index("mayor")] == 0
    assert shape("McDonald's") == "XxXx'x" and shape("2024") == "d"
    (tokens, feats), = document_features(text)
    may = feats[[text[s:e] for s, e in tokens].index("may")]
    assert "q=1" in may and "lex=B-hedge" in may and any(f.startswith("cue=R") for f in may)


def test_bio_and_decode_round_trip() -> None:
    tokens = [(0, 3), (4, 8), (9, 12), (13, 17)]
    tags = bio(tokens, [(4, 12, "src"), (5, 7, "src"), (13, 17, "cue")])
    assert tags == ["O", "B-src", "I-src", "B-cue"]  # the overlapping second span is left out
    assert decode(tokens, tags) == [(4, 12, "src", 1, 3), (13, 17, "cue", 3, 4)]


def test_overlapping_labels_get_their_own_group() -> None:
    docs = [TrainDoc("a", "x y z", (("l", "A", 0, 3), ("l", "B", 2, 5), ("l", "C", 0, 1)))]
    assert label_groups(docs, "l") == [("A",), ("B", "C")]  # C overlaps A, not B


def test_learns_and_scores_unseen_sentences() -> None:
    model = CrfRecommender()
    model.train(DOCS)
    text = "The governor said taxes may rise."
    got = {(s.layer, s.label, text[s.start:s.end]) for s in model.predict(text)}
    assert ("attribution", "cue", "said") in got and ("hedging", "hedge", "may") in got
    for s in model.predict(text):
        assert 0.0 < s.score <= 1.0 and s.recommender == "learned" and s.training_size == 24
    # an existing span of the layer is not crossed
    i = text.index("said")
    assert all(s.layer != "attribution" for s in
               model.predict(text, [("attribution", "cue", i - 2, i + 4)]))
    margins = model.margins(text + " Nobody knows.")
    assert len(margins) == 2 and all(0.0 <= m <= 1.0 for _, _, m in margins)


def test_model_bytes_round_trip_and_refuse_damage() -> None:
    model = CrfRecommender()
    model.train(DOCS)
    data = model.models["hedging"].to_bytes()
    assert b"pickle" not in data and data.startswith(b"annotator-crf 1\n")
    again = LayerModel.from_bytes(data)
    fresh = CrfRecommender()
    fresh.models = {"hedging": again}
    text = "Prices could fall."
    assert [text[s.start:s.end] for s in fresh.predict(text)] == ["could"]
    for bad in (b"", data[:-10], data + b"x", b"\x80\x04\x95" + data[3:],
                data.replace(b"lCRF", b"xCRF", 1)):
        with pytest.raises(ModelError):
            LayerModel.from_bytes(bad)


def test_one_pass_gives_the_suggestions_and_the_margins() -> None:
    """analyse() hands each sentence to each model once; its margins are the smallest gap
    between the two likeliest tags of any token, as computed token by token here."""
    model = CrfRecommender()
    model.train(DOCS)
    text = "Officials said the plan could fail. The minister said it may work, perhaps."
    found, margins = model.analyse(text)
    assert found == model.predict(text) and found
    assert [(s, e) for s, e, _ in margins] == [(0, 35), (36, 75)]
    feats = [(tokens, xs) for tokens, xs in document_features(text)]
    for k, (tokens, xs) in enumerate(feats):
        gaps = []
        for layer in model.models.values():
            for tagger in layer.taggers():
                tagger.set(xs)
                for t in range(len(tokens)):
                    p = sorted((tagger.marginal(y, t) for y in tagger.labels()), reverse=True)
                    gaps.append(p[0] - p[1])
        assert margins[k][2] == pytest.approx(min(gaps))
    assert model.margins(text) == margins
