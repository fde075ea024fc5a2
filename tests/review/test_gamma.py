"""gamma against pygamma-agreement's values (fixtures generated with pygamma 0.5.9 by DKPro)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from annotator.review.gamma import Dissimilarity, corpus_gamma, disorder

FIXTURES = sorted((Path(__file__).parents[1] / "corpora" / "pygamma").glob("fixture_*.json"))


def continuum(units: list[dict]) -> list[list[tuple[float, float, str]]]:
    names = sorted({u["annotator"] for u in units})
    return [[(u["start"], u["end"], u["category"]) for u in units if u["annotator"] == n]
            for n in names]


def load(path: Path) -> tuple[dict, Dissimilarity]:
    data = json.loads(path.read_text(encoding="utf-8"))
    p = data["params"]
    return data, Dissimilarity(p["alpha"], p["beta"], p["deltaEmpty"])


def test_six_fixtures_are_there() -> None:
    assert len(FIXTURES) == 6


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_best_alignment_disorder_equals_pygamma(path: Path) -> None:
    data, diss = load(path)
    # pygamma computes in float32: relative tolerance 1e-5 (as DKPro's own test)
    assert disorder(continuum(data["continuum"]), diss) == pytest.approx(
        data["tier1"]["bestAlignmentDisorder"], rel=1e-5, abs=1e-6)
    # and on the ten continua pygamma's sampler drew: 60 more best alignments
    for sample in data["tier2"]["sampledContinua"]:
        assert disorder(continuum(sample["units"]), diss) == pytest.approx(
            sample["bestAlignmentDisorder"], rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_expected_disorder_within_sampling_spread(path: Path) -> None:
    data, diss = load(path)
    result = corpus_gamma([continuum(data["continuum"])], seed=7, diss=diss)
    assert result.samples == 30 and result.seed == 7
    assert result.expected is not None and result.expected_sd is not None
    # two independent 30-sample means: their difference has sd sqrt(2) * sd / sqrt(30)
    tolerance = 3 * math.sqrt(2) * result.expected_sd / math.sqrt(30)
    assert abs(result.expected - data["tier3"]["expectedDisorder"]) <= tolerance
    assert result.observed == pytest.approx(data["tier1"]["bestAlignmentDisorder"], rel=1e-5,
                                            abs=1e-6)
    assert result.gamma == pytest.approx(1 - result.observed / result.expected)


def test_seed_makes_it_reproducible_and_documents_do_not_align_across() -> None:
    doc = [[(0, 4, "a"), (10, 14, "b")], [(1, 5, "a"), (20, 24, "b")]]
    a = corpus_gamma([doc, doc], seed=3)
    assert a == corpus_gamma([doc, doc], seed=3)
    assert a.expected != corpus_gamma([doc, doc], seed=4).expected
    # two copies of a document: same observed disorder as one
    assert a.observed == pytest.approx(corpus_gamma([doc], seed=3).observed)
    assert corpus_gamma([[[], []]]).gamma is None
