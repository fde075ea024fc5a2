"""Training in a child process: the same result as in this one, plain JSON both ways, and a
cancelled training ends its child."""

from __future__ import annotations

import pytest

from annotator.core.errors import Cancelled
from annotator.nlp.train_job import train_all, train_in_process
from annotator.nlp.training import TrainDoc

TEXT = "Officials said the deal may collapse."
DOCS = [TrainDoc(f"d{k}", TEXT, (("attribution", "cue", 10, 14), ("hedging", "hedge", 24, 27)))
        for k in range(10)]


def test_child_process_gives_what_this_process_gives() -> None:
    here = train_all(DOCS)
    there = train_in_process(DOCS)
    assert there.evaluation == here.evaluation
    assert there.curves == here.curves
    assert {k: m.to_bytes() for k, m in there.models.items()} == \
        {k: m.to_bytes() for k, m in here.models.items()}


def test_cancelled_training_raises_and_ends_the_child() -> None:
    with pytest.raises(Cancelled):
        train_in_process(DOCS * 20, cancelled=lambda: True)
