"""Two files compared one chunk of documents at a time give what reading them whole gives."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from review_data import alice_docs, bob_docs

from annotator.core.model import CorpusDocument
from annotator.core.project import Project
from annotator.review import resample, stream
from annotator.review.output import to_json
from annotator.review.pairwise import review_agreement
from annotator.review.sources import load_review
from annotator.review.stream import stream_agreement

MEASURES = {"seed": 3, "jaccard": 0.5}


def _whole(paths: list[Path], layers: list[str] | None = None) -> dict[str, object]:
    review = load_review(paths, layers=layers)
    return to_json(review_agreement(review, layers=layers, measures=MEASURES))


def _streamed(paths: list[Path], layers: list[str] | None = None) -> dict[str, object]:
    return to_json(stream_agreement(paths, layers=layers, measures=MEASURES))


def _same(a: object, b: object) -> None:
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@pytest.mark.parametrize("chunk", [1, 2, 200])
def test_streamed_equals_whole_at_any_chunk_size(
    pair: tuple[Path, Path], chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stream, "CHUNK", chunk)
    paths = list(pair)
    got = _streamed(paths)
    _same(got, _whole(paths))
    assert got["documents"] == {"matched": 2, "only_a": 1, "only_b": 2}
    _same(_streamed(paths, ["hedging"]), _whole(paths, ["hedging"]))


def test_documents_in_another_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B holds the shared documents in reverse order: each is still paired by its text."""
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setattr(stream, "CHUNK", 1)
    a, b = tmp_path / "a.annot", tmp_path / "b.annot"
    with Project.create(a, annotator="alice") as p:
        p.import_documents(alice_docs())
    with Project.create(b, annotator="bob") as p:
        p.import_documents(list(reversed(bob_docs())))
    got = _streamed([a, b])
    _same(got, _whole([a, b]))
    assert got["documents"]["matched"] == 2
    assert got["layers"]["hedging"]["spans_b"] == 2


def test_reference_corpus_in_chunks_of_seven(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """The 40-document reference corpus read 7 documents at a time prints the reference."""
    from test_agree_reference import DATA, RUNS, _projects, _run

    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setattr(stream, "CHUNK", 7)
    paths = _projects(tmp_path)
    out = _run(capsys, paths, RUNS["two.json"])
    assert json.loads(out) == json.loads((DATA / "two.json").read_text(encoding="utf-8"))


def test_refusals_are_those_of_the_whole_reading(pair: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    from annotator.core.errors import AnnotatorError

    with pytest.raises(AnnotatorError, match="unknown layer 'nope'"):
        stream_agreement(list(pair), layers=["nope"])
    lone = tmp_path / "lone.annot"
    with Project.create(lone, annotator="carl") as p:
        p.import_documents([CorpusDocument("x", "Nothing shared here.")])
    with pytest.raises(AnnotatorError, match="no document in common"):
        stream_agreement([pair[0], lone])


def test_bootstrap_weights_are_the_multiplicities_of_the_draws() -> None:
    """Row r of the weights counts how often each document was drawn in replicate r of the
    seeded stream (the way the first version built them, with one index array)."""
    for documents, seed, replicates in [(1, 0, 200), (7, 3, 200), (300, 0, 200), (40, 5, 200),
                                        (1001, 0, 1000)]:
        rng = np.random.default_rng(seed)
        draws = rng.integers(0, documents, size=(replicates, documents))
        expected = np.zeros((replicates, documents))
        rows = np.repeat(np.arange(replicates), documents)
        np.add.at(expected, (rows, draws.ravel()), 1.0)
        assert np.array_equal(resample.weights(documents, seed, replicates), expected)


@pytest.mark.parametrize("documents", [1, 7, 300, 2001])
def test_compact_weights_multiply_as_the_whole_matrix(documents: int) -> None:
    """The one-byte weights give bit for bit the products of the float64 matrix on what the
    measures multiply them with: integer-valued tables (token, span and alpha_U counts) and
    a float vector (gamma's disorder sums), at the default replicates."""
    whole = resample.weights(documents, 5)
    compact = resample.compact_weights(documents, 5)
    assert compact.counts.dtype == np.uint8
    assert np.array_equal(np.asarray(compact), whole)
    rng = np.random.default_rng(documents)
    floats = rng.random(documents) * 37.0
    table = rng.integers(0, 500, size=(documents, 9)).astype(np.float64)
    for x in (floats, table, table[:, 3]):
        assert np.array_equal(compact @ x, whole @ x)
    assert np.array_equal(resample.chunked(compact, lambda w: w @ table), whole @ table)
    assert compact.shape == whole.shape and len(compact) == len(whole)


def test_compact_weights_widen_for_a_document_drawn_256_times(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A replicate drawing one document more often than a byte holds widens the counts."""
    real = np.random.default_rng

    class OneDocument:
        def __init__(self, seed: int) -> None:
            self.rng = real(seed)

        def integers(self, low: int, high: int, size: int) -> np.ndarray:
            return np.zeros(size, dtype=np.int64)  # every draw is document 0

    monkeypatch.setattr(np.random, "default_rng", OneDocument)
    w = resample.compact_weights(300, 0, replicates=3)
    assert w.counts.dtype == np.uint32
    assert np.asarray(w)[:, 0].tolist() == [300.0, 300.0, 300.0]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_streamed_documents_give_the_all_in_memory_figures(seed: int) -> None:
    """Random documents: the streamed accumulation (each document's figures kept as integers,
    the measures' statistics fed one document at a time) gives every figure of the documents
    held whole."""
    import random

    from annotator.core.model import SpanRecord
    from annotator.review.agreement import (
        Annotations,
        MatchedDocument,
        compute_agreement,
        compute_agreement_stream,
    )
    from annotator.review.measures import MeasureStats, compute_measures

    rng = random.Random(seed)
    docs = []
    for d in range(12):
        text = " ".join(rng.choice(["Yes.", "no", "maybe,", "it's", "Dr. X", "3.5%"])
                        for _ in range(60))
        sides = []
        for c in range(2):
            spans = []
            for i in range(rng.randint(0, 15)):
                s = rng.randrange(0, len(text) - 12)
                frags = ((s, s + rng.randint(1, 12)),)
                if rng.random() < 0.2:
                    frags = (*frags, (frags[0][1] + 2, frags[0][1] + 6))
                layer = rng.choice(["hedging", "stance"])
                spans.append(SpanRecord(f"{c}-{i}", layer, rng.choice(["x", "y", "z"]), frags,
                                        {"certainty": rng.choice(["low", "high"])}))
            sides.append(Annotations(spans))
        docs.append(MatchedDocument(f"d{d}", text, sides))
    layers = ["hedging", "stance"]
    whole = compute_agreement(docs, layers=layers)
    whole = replace(whole, measures=compute_measures(whole, docs, seed=seed))
    stats = MeasureStats(layers, 2)
    streamed = compute_agreement_stream(iter(docs), annotators=("A", "B"), layers=layers,
                                        measures=stats)
    streamed = replace(streamed, measures=stats.finish(streamed.documents, seed=seed))
    _same(to_json(streamed, per_document=True), to_json(whole, per_document=True))
