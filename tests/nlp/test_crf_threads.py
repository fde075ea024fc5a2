"""The learned model used from two threads at once, as the window does when a suggestion job
is replaced by the next one while it still runs (Suggest pressed again, a Train finishing)."""

from __future__ import annotations

import random
import threading

from annotator.nlp import crf
from annotator.nlp.crf import CrfRecommender
from tests.nlp.test_crf import DOCS, SENTS


def long_text(seed: int, sentences: int) -> str:
    """Sentences of different lengths, so that two threads' sequences never have one size."""
    rng = random.Random(seed)
    extra = ["quickly", "again", "in the capital", "on Monday", "before the vote"]
    out = []
    for _ in range(sentences):
        words = rng.choice(SENTS).rstrip(".").split(" ")
        words[1:1] = rng.sample(extra, rng.randint(0, len(extra)))
        out.append(" ".join(words) + ".")
    return " ".join(out)


def test_two_threads_analysing_at_once_get_what_each_gets_alone() -> None:
    model = CrfRecommender()
    model.train(DOCS)
    texts = [long_text(1, 400), long_text(2, 400)]
    alone = [model.analyse(t) for t in texts]
    got: list[object] = [None, None]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def run(k: int) -> None:
        start.wait()
        try:
            for _ in range(3):
                crf._items.cache_clear()  # features again: more switches between the threads
                got[k] = model.analyse(texts[k])
        except BaseException as exc:  # noqa: BLE001  (a failure in the thread is the finding)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(k,)) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert got == alone
