"""Edited lexicons kept in the project as plain bytes; the learned model's negatives."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.model import CorpusDocument
from annotator.core.project import Project
from annotator.nlp.crf import CrfRecommender
from annotator.nlp.lexicon_store import (
    LexiconError,
    from_bytes,
    project_lexicons,
    save_project_lexicons,
    to_bytes,
)
from annotator.nlp.suggest import Lexicon, default_lexicons, suggest_spans
from annotator.nlp.training import TrainDoc


def test_round_trip_and_damage() -> None:
    lexs = [Lexicon("hedging", "hedge", ("may", "it seems")), Lexicon("hedging", "booster", ())]
    assert from_bytes("hedging", to_bytes(lexs)) == lexs
    for bad in (b"", b"\xff\xfe", b"# annotator lexicon 1\nno tab here\n",
                b"\x80\x04\x95pickle"):
        with pytest.raises(LexiconError):
            from_bytes("hedging", bad)


def test_project_lexicons_replace_the_bundled_ones_of_their_layer(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    with Project.create(path, annotator="a") as p:
        p.import_documents([CorpusDocument(name="d", text="x")])
        assert project_lexicons(p) == default_lexicons()
        mine = (Lexicon("hedging", "hedge", ("nobody knows",)),
                Lexicon("hedging", "booster", ("for sure",)))
        save_project_lexicons(p, mine)
    with Project.open(path, readonly=True) as p:
        used = project_lexicons(p)
    assert [x for x in used if x.layer == "hedging"] == list(mine)
    assert any(x.layer == "attribution" and "said" in x.entries for x in used)
    text = "Nobody knows, for sure, it seems."
    got = {(s.label, text[s.start:s.end]) for s in suggest_spans(text, used)}
    assert got == {("hedge", "Nobody knows"), ("booster", "for sure")}


def test_rejected_suggestions_teach_the_model_what_is_not_a_span() -> None:
    text = "Officials said the plan may fail. The May festival opens."
    i, j = text.index("may"), text.index("May")
    pos = TrainDoc("p", text, (("hedging", "hedge", i, i + 3),))
    neg = TrainDoc("n", "The May festival opens.", (), (("hedging", "hedge", 4, 7),))
    model = CrfRecommender()
    model.train([pos] * 5 + [neg] * 5)
    assert model.models["hedging"].training_size == 10  # the rejection-only documents count
    got = [text[s.start:s.end] for s in model.predict(text)]
    assert got == ["may"] and j not in [s.start for s in model.predict(text)]
