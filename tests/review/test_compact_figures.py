"""agree's figures kept as integers: read back equal, the same measures whatever the blocks."""

from __future__ import annotations

import json
import random
from array import array
from dataclasses import replace

import pytest
from review_data import alice_docs, bob_docs

from annotator.core.model import RelationRecord, SpanRecord
from annotator.review import gamma, int_columns, measures
from annotator.review.agreement import Annotations, MatchedDocument, compute_agreement
from annotator.review.doc_results import CompactDocuments
from annotator.review.measures import MeasuredDocuments, MeasureStats, compute_measures
from annotator.review.output import to_json


def _random_docs(seed: int, n: int = 14) -> list[MatchedDocument]:
    rng = random.Random(seed)
    docs = []
    for d in range(n):
        text = " ".join(rng.choice(["Yes.", "no", "maybe,", "it's", "Dr. X", "3.5%"])
                        for _ in range(rng.randint(5, 70)))
        sides = []
        for c in range(2):
            spans, rels = [], []
            for i in range(rng.randint(0, 14)):
                s = rng.randrange(0, max(1, len(text) - 12))
                frags = ((s, s + rng.randint(0, 12)),)  # some empty: no unit
                if rng.random() < 0.2:
                    frags = (*frags, (frags[0][1] + 2, frags[0][1] + 6))
                layer = rng.choice(["hedging", "stance", "attribution"])
                attrs = {"certainty": rng.choice(["low", "high"])} if rng.random() < 0.5 else {}
                spans.append(SpanRecord(f"{c}-{i}", layer, rng.choice(["x", "y", "z"]), frags,
                                        attrs))
            if c == 1:  # B agrees with some of A's spans exactly (attributes are compared)
                for i, a in enumerate(sides[0].spans):
                    if rng.random() < 0.5:
                        spans.append(replace(a, key=f"c{i}", attributes={
                            "certainty": rng.choice(["low", "high"])}))
            for i in range(1, len(spans)):
                if rng.random() < 0.3:
                    rels.append(RelationRecord(f"r{i}", rng.choice(["cue_of", "target_of"]),
                                               spans[i - 1].key, spans[i].key))
            sides.append(Annotations(spans, rels))
        docs.append(MatchedDocument(f"d{d}", text, sides))
    return docs


def _json(result: object) -> str:
    return json.dumps(to_json(result, per_document=True), sort_keys=True)  # type: ignore[arg-type]


def test_integer_columns_widen_and_refuse_without_appending() -> None:
    col = int_columns.ints()
    col = int_columns.extend(col, [1, -2, 2**31 - 1])
    assert col.typecode == "i"
    col = int_columns.extend(col, [5, 2**40, 7])  # does not fit in 32 bits: wider, same values
    assert col.typecode == "q" and list(col) == [1, -2, 2**31 - 1, 5, 2**40, 7]
    with pytest.raises(OverflowError):
        int_columns.extend(col, [8, 2**70])
    with pytest.raises(TypeError):
        int_columns.extend(col, [9, 1.5])  # type: ignore[list-item]
    assert list(col) == [1, -2, 2**31 - 1, 5, 2**40, 7]  # nothing of a refused call stays


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_document_figures_read_back_equal_to_the_objects(seed: int) -> None:
    docs = _random_docs(seed)
    result = compute_agreement(docs, layers=["hedging", "stance", "attribution", "empty"])
    assert isinstance(result.documents, CompactDocuments)
    made = list(result.documents)
    again = CompactDocuments(list(result.layers), 2)
    for doc in made:
        again.append(doc)
    assert list(again) == made and again == made
    assert any(d.layers["hedging"].attributes for d in made)  # attributes are kept too
    assert any(d.relations.types for d in made)
    assert again[-1] == made[-1] and again[1:3] == made[1:3]
    with pytest.raises(IndexError):
        again[len(made)]
    # a count beyond 32 bits is kept as it is
    first = made[0]
    layer = first.layers["hedging"]
    huge = replace(first, layers={**first.layers, "hedging": replace(
        layer, exact=replace(layer.exact, n_a=2**40))})
    again.append(huge)
    assert again[len(made)].layers["hedging"].exact.n_a == 2**40
    assert again[0] == made[0]


def test_streamed_statistics_give_the_measures_of_the_documents_whole() -> None:
    """The measures from statistics fed one document at a time equal those of
    :func:`compute_measures` on the same documents (and both equal the reference file tests
    of test_agree_reference, made before the statistics existed)."""
    docs = _random_docs(5)
    layers = ["hedging", "stance", "attribution"]
    whole = compute_agreement(docs, layers=layers)
    direct = replace(whole, measures=compute_measures(whole, docs, seed=4))
    stats = MeasureStats(layers, 2)
    for doc in docs:
        stats.add(doc)
    fed = replace(whole, measures=stats.finish(whole.documents, seed=4))
    assert _json(fed) == _json(direct)
    with pytest.raises(ValueError, match="finished already"):  # its statistics are dropped
        stats.finish(whole.documents, seed=4)
    with pytest.raises(ValueError, match="finished already"):
        stats.add(docs[0])
    with pytest.raises(ValueError, match="figures for"):
        MeasureStats(layers, 2).finish(whole.documents)  # figures of documents not added


@pytest.mark.parametrize("block", [1, 3, 5])
def test_alpha_u_blocks_do_not_change_a_figure(block: int, monkeypatch: pytest.MonkeyPatch
                                               ) -> None:
    docs = _random_docs(7, n=17)
    whole = compute_agreement(docs)
    expected = _json(replace(whole, measures=compute_measures(whole, docs, seed=2)))
    monkeypatch.setattr(measures._UnitizingBoot, "BLOCK", block)
    assert _json(replace(whole, measures=compute_measures(whole, docs, seed=2))) == expected


def test_gamma_of_integer_offsets_equals_gamma_of_their_floats() -> None:
    rng = random.Random(3)
    docs_int = []
    for _ in range(6):
        doc = []
        for _c in range(2):
            side = []
            for _u in range(rng.randint(0, 9)):
                s = rng.randrange(0, 300)
                side.append((s, s + rng.randint(1, 30), rng.choice("ab")))
            doc.append(side)
        docs_int.append(doc)
    docs_float = [[[(float(s), float(e), k) for s, e, k in side] for side in doc]
                  for doc in docs_int]
    got = gamma.corpus_gamma(docs_int, seed=1)  # type: ignore[arg-type]
    assert got == gamma.corpus_gamma(docs_float, seed=1)
    assert got.gamma is not None
    half = [[[(s + 0.5, e + 0.5, k) for s, e, k in side] for side in doc] for doc in docs_float]
    stats = gamma.GammaStats()
    stats.add(docs_int[0])  # integers first, then floats: the column holds floats from then
    for doc in half[1:]:
        stats.add(doc)
    mixed = [docs_float[0], *half[1:]]
    assert stats.result(seed=1) == gamma.corpus_gamma(mixed, seed=1)


def test_measured_documents_made_when_read() -> None:
    import numpy as np

    nan = float("nan")
    rows = {"a": np.array([[0.5, nan, 0.1, -0.0], [1, 2, 3, 4], [nan] * 4, [0] * 4, [1] * 4],
                          dtype=np.float64),
            "b": np.array([[0.25, 0.75, nan, 0.3]] + [[nan] * 4] * 4, dtype=np.float64)}
    docs = MeasuredDocuments(["w", "x", "y", "z"], rows)
    assert len(docs) == 4
    first = docs[0]
    assert first.name == "w" and first.layers["a"]["gamma"] == 1.0
    assert first.layers["a"]["ac1"] is None and first.score == (0.5 + 0.25) / 2
    assert docs[1].score == 0.75 and docs[2].score == 0.1 and docs[-1].score == (-0.0 + 0.3) / 2
    assert str(docs[3].layers["a"]["alpha_u"]) == "-0.0"
    listed = list(docs)
    assert docs == listed and docs[1:3] == listed[1:3]
    by_hand = sorted(listed, key=lambda d: (d.score is None, d.score or 0.0))
    assert measures.worst_first(docs) == by_hand
    assert measures.worst_first(docs, 2) == by_hand[:2]
    assert measures.worst_first(listed, 2) == by_hand[:2]


def test_reference_pair_measures_stay_those_of_the_whole_documents(tmp_path) -> None:  # noqa: ANN001
    """The hand-checkable pair: per-document figures through the compact store equal the
    objects computed for one document at a time."""
    from annotator.review.agreement import compute_agreement as agree

    a, b = alice_docs(), bob_docs()
    docs = [MatchedDocument(x.name, x.text, [Annotations(x.spans, x.relations),
                                            Annotations(y.spans, y.relations)])
            for x, y in ((a[0], b[0]), (a[1], b[1]))]
    result = agree(docs)
    for k, doc in enumerate(docs):
        alone = agree([doc], layers=list(result.layers))
        assert result.documents[k] == alone.documents[0]
    assert isinstance(result.documents._column, array)  # held as integers
