"""The margins skip tokens that provably cannot lower a sentence's smallest gap: the result is
exactly the token-by-token one."""

from __future__ import annotations

import random

from annotator.nlp.crf import CrfRecommender
from annotator.nlp.features import document_features
from annotator.nlp.training import TrainDoc
from tests.nlp.test_crf import DOCS
from tests.nlp.test_crf_threads import long_text


def every_token(model: CrfRecommender, text: str) -> list[tuple[int, int, float]]:
    """Margins as computed before: every label of every token of every sentence."""
    feats = list(document_features(text))
    worst = [1.0] * len(feats)
    for _layer, layer_model in sorted(model.models.items()):
        for tagger in layer_model.taggers():
            labels = tagger.labels()
            for k, (tokens, xs) in enumerate(feats):
                tagger.set(xs)
                for t in range(len(tokens)):
                    probs = sorted([tagger.marginal(y, t) for y in labels], reverse=True)
                    gap = probs[0] - (probs[1] if len(probs) > 1 else 0.0)
                    worst[k] = min(worst[k], gap)
    return [(tokens[0][0], tokens[-1][1], worst[k]) for k, (tokens, _) in enumerate(feats)]


def noisy_docs(seed: int) -> list[TrainDoc]:
    """Training data that leaves the model unsure here and there (some cues left untagged)."""
    rng = random.Random(seed)
    out = []
    for k, d in enumerate(DOCS * 3):
        spans = tuple(s for s in d.spans if rng.random() < 0.7)
        out.append(TrainDoc(f"n{k}", d.text, spans))
    return out


def test_margins_equal_the_token_by_token_computation() -> None:
    for seed in (1, 2, 3):
        model = CrfRecommender()
        model.train(noisy_docs(seed))
        for text_seed in (5, 6):
            text = long_text(text_seed, 60)
            got = model.margins(text)
            assert got == every_token(model, text)
            assert min(m for _, _, m in got) < 0.9  # some sentences were uncertain
            assert model.analyse(text)[1] == got
