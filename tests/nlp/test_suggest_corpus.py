"""Learning curves on a public annotated corpus: brat's CoNLL-2002 sample (news, NER).

The corpus comes in through the real ``annotator import`` of the brat folder; its 40 documents
are cut into their lines (one sentence or headline each), which are the "documents" here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project
from annotator.nlp.evaluate import learning_curve
from annotator.nlp.recommend import allowed_labels, factories
from annotator.nlp.training import TrainDoc, passages

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "brat-conll2002"


def corpus_passages(tmp: Path) -> tuple[list[TrainDoc], set[tuple[str, str]]]:
    proj = tmp / "conll.annot"
    assert main(["new", str(proj), "--annotator", "tester"]) == 0
    for part in ("esp", "ned"):
        assert main(["import", str(proj), str(CORPUS / part)]) == 0
    docs: list[TrainDoc] = []
    with Project.open(proj, readonly=True) as p:
        for c in p.iter_corpus():
            docs += passages(c.name, c.text, [(s.layer, s.label, s.fragments[0][0],
                                               s.fragments[0][1])
                                              for s in c.spans if len(s.fragments) == 1])
        return docs, allowed_labels(p.tagset)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[TrainDoc], set]:
    return corpus_passages(tmp_path_factory.mktemp("conll"))


def test_corpus_is_what_the_curves_need(corpus) -> None:  # type: ignore[no-untyped-def]
    docs, _ = corpus
    assert len(docs) >= 250
    assert {lab for d in docs for _, lab, _, _ in d.spans} == {"PER", "LOC", "ORG", "MISC"}


def test_learning_curves_rise_above_the_lexicon_baseline(corpus) -> None:  # type: ignore[no-untyped-def]
    docs, allowed = corpus
    made = factories()
    curves = {name: learning_curve(docs, f, (10, 50, 200), allowed=allowed)
              for name, f in made.items()}
    assert [n for n, _ in curves["learned"]] == [10, 50, 200]
    lexicon_best = max(f or 0.0 for _, f in curves["lexicon"])
    for name in ("string", "learned"):
        f10, f50, f200 = (f or 0.0 for _, f in curves[name])
        assert f10 < f50 < f200, (name, curves[name])
        assert f200 > lexicon_best + 0.3, (name, curves)
    # the model generalises beyond the strings it saw: better than string matching at 200
    assert curves["learned"][2][1] > curves["string"][2][1]
