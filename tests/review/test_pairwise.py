"""3+ files: each pair over the documents it shares; per-file matching; refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.bulk import sha256_of
from annotator.core.errors import AnnotatorError
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.tagset import Tagset
from annotator.review.output import to_json
from annotator.review.pairwise import check_request, review_agreement
from annotator.review.sources import ReviewSet, ReviewSide

T1, T2, T3 = "one two three four", "five six seven eight", "nine ten eleven twelve"


def doc(text: str, *spans: tuple[str, int, int]) -> CorpusDocument:
    return CorpusDocument(text[:3], text, spans=[SpanRecord(f"s{i}", "hedging", label, ((s, e),))
                                                 for i, (label, s, e) in enumerate(spans)])


def side(name: str, *docs: CorpusDocument) -> ReviewSide:
    return ReviewSide(Path(f"{name}.annot"), name, Tagset(), {sha256_of(d.text): d for d in docs})


def review(*sides: ReviewSide) -> ReviewSet:
    return ReviewSet(list(sides), [], [[] for _ in sides])  # matching is done by pairwise


def test_each_pair_uses_the_documents_it_shares() -> None:
    a = side("a", doc(T1, ("hedge", 0, 3)), doc(T2, ("hedge", 0, 4)))
    b = side("b", doc(T1, ("hedge", 0, 3)), doc(T2, ("hedge", 5, 8)))
    c = side("c", doc(T1, ("hedge", 0, 3)), doc(T3))
    out = to_json(review_agreement(review(a, b, c)), per_document=False)
    assert out["documents"]["matched"] == 1
    assert out["documents"]["files"]["a"] == {"documents": 2, "matched_all": 1,
                                              "matched_with": {"b": 2, "c": 1}}
    assert out["documents"]["files"]["c"] == {"documents": 2, "matched_all": 1,
                                              "matched_with": {"a": 1, "b": 1}}
    ab, ac, bc = out["pairs"]
    # A-B over T1 and T2 (C lacks T2): one of two spans match
    assert (ab["a"], ab["b"], ab["documents"]) == ("a", "b", {"matched": 2, "only_a": 0,
                                                              "only_b": 0})
    assert ab["layers"]["hedging"]["f1_exact"] == 0.5
    # over the one document all three share, A and B agree fully
    assert out["layers"]["hedging"]["f1_exact"] == 1.0
    assert ac["documents"] == {"matched": 1, "only_a": 1, "only_b": 1}
    assert bc["layers"]["hedging"]["f1_exact"] == 1.0


def test_a_pair_without_shared_documents_has_null_figures() -> None:
    a = side("a", doc(T1, ("hedge", 0, 3)))
    b = side("b", doc(T1, ("hedge", 0, 3)))
    c = side("c", doc(T2, ("hedge", 0, 4)))
    result = review_agreement(review(a, b, c))
    out = to_json(result, per_document=False)
    assert out["documents"]["matched"] == 0
    assert out["layers"]["hedging"]["f1_exact"] is None
    ab, ac, _ = out["pairs"]
    assert ab["layers"]["hedging"]["f1_exact"] == 1.0
    assert ac["documents"]["matched"] == 0
    assert ac["layers"]["hedging"]["f1_exact"] is None and ac["layers"]["hedging"]["kappa"] is None
    check_request(review(a, b, c), None)  # A-B share a document: nothing to refuse


def test_refusals() -> None:
    a = side("a", doc(T1, ("hedge", 0, 3)))
    b = side("b", doc(T2))
    c = side("c", doc(T3))
    with pytest.raises(AnnotatorError, match="no document in common"):
        check_request(review(a, b), None)
    with pytest.raises(AnnotatorError, match="no document in common"):
        check_request(review(a, b, c), None)
    with pytest.raises(AnnotatorError, match="unknown layer 'stanse'.*hedging"):
        check_request(review(a, side("d", doc(T1))), ["hedging", "stanse"])
    check_request(review(a, side("d", doc(T1))), ["hedging"])
