"""Aggregation per layer/label/document, JSON shape and the terminal table."""

from __future__ import annotations

import json

import pytest

from annotator.core.model import RelationRecord, SpanRecord
from annotator.review.agreement import Annotations, MatchedDocument, compute_agreement
from annotator.review.output import format_table, to_json
from annotator.review.tokens_agreement import coefficients, count_rows

TEXT = "a b c d e f g h i j"  # ten one-letter tokens at 0, 2, ..., 18


def sp(key: str, layer: str, label: str, start: int, end: int, **attrs: str) -> SpanRecord:
    return SpanRecord(key, layer, label, ((start, end),), dict(attrs))


def doc1() -> MatchedDocument:
    a = Annotations(
        [
            sp("a1", "hedging", "hedge", 0, 3, certainty="low"),
            sp("a2", "hedging", "hedge", 8, 11),
            sp("a3", "hedging", "booster", 14, 15),
        ],
        [
            RelationRecord("r1", "attributed_to", "a1", "a3"),
            RelationRecord("r2", "supports", "a2", "a3"),
        ],
    )
    b = Annotations(
        [
            sp("b1", "hedging", "hedge", 0, 3, certainty="high"),
            sp("b2", "hedging", "hedge", 8, 9),
            sp("b3", "hedging", "booster", 14, 15, certainty="low"),
            sp("b4", "stance", "pro", 0, 5),
        ],
        [RelationRecord("q1", "attributed_to", "b1", "b3")],
    )
    return MatchedDocument("doc-1", TEXT, [a, b])


def doc2() -> MatchedDocument:
    a = Annotations([sp("a1", "hedging", "hedge", 0, 1)])
    return MatchedDocument("doc-2", "x y z", [a, Annotations([])])


def test_single_document_by_hand() -> None:
    r = compute_agreement([doc1()], layers=["hedging", "stance", "rhetoric"])
    h = r.layers["hedging"]
    assert (h.spans_a, h.spans_b, h.exact.matched) == (3, 3, 2)
    assert h.f1_exact == pytest.approx(2 * 2 / 6)
    assert h.f1_overlap == 1.0
    assert h.labels["hedge"].f1_exact == 0.5
    assert h.labels["booster"].f1_exact == 1.0
    # tokens A: h h n n h h n b n n / B: h h n n h n n b n n
    assert h.tokens.items == 10
    assert h.tokens.observed == pytest.approx(0.9)
    assert h.kappa == pytest.approx((0.9 - 0.43) / (1 - 0.43))
    a_lab = ["hedge", "hedge", "none", "none", "hedge", "hedge", "none", "booster", "none", "none"]
    b_lab = a_lab[:5] + ["none"] + a_lab[6:]
    assert h.alpha == pytest.approx(coefficients(count_rows(a_lab, b_lab)).alpha)
    # attributes: certainty low/high and unset/low -> 0 of 2, kappa -1/3
    cert = h.attributes["certainty"]
    assert (cert.pairs, cert.agreeing, cert.proportion) == (2, 0, 0.0)
    assert cert.kappa == pytest.approx(-1 / 3)
    # a layer only B used, and a layer nobody used
    s = r.layers["stance"]
    assert (s.spans_a, s.spans_b, s.f1_exact, s.f1_overlap) == (0, 1, 0.0, 0.0)
    assert s.kappa == pytest.approx(0.0)
    e = r.layers["rhetoric"]
    assert (e.f1_exact, e.f1_overlap, e.kappa, e.alpha) == (None, None, None, None)
    assert e.labels == {}
    # relations: attributed_to matches through exactly matched ends; supports' source is not
    rel = r.relations
    assert (rel.total.n_a, rel.total.n_b, rel.total.matched) == (2, 1, 1)
    assert rel.total.f1 == pytest.approx(2 / 3)
    assert rel.types["attributed_to"].f1 == 1.0
    assert rel.types["supports"].f1 == 0.0


def test_pooled_over_documents_and_per_document() -> None:
    r = compute_agreement([doc1(), doc2()], only_a=1, only_b=2)
    assert list(r.layers) == ["hedging", "stance"]
    hedge = r.layers["hedging"].labels["hedge"]
    assert (hedge.exact.n_a, hedge.exact.n_b, hedge.exact.matched) == (3, 2, 1)
    assert hedge.f1_exact == pytest.approx(2 / 5)
    assert r.layers["hedging"].tokens.items == 13
    assert [d.name for d in r.documents] == ["doc-1", "doc-2"]
    assert r.documents[1].layers["hedging"].f1_exact == 0.0
    assert r.documents[0].layers["hedging"].f1_exact == pytest.approx(2 / 3)


def test_layer_filter_drops_other_layers_and_their_relations() -> None:
    r = compute_agreement([doc1()], layers=["stance"])
    assert list(r.layers) == ["stance"]
    assert r.relations.total.n_a == 0 and r.relations.total.f1 is None


def test_json_shape_and_values() -> None:
    r = compute_agreement([doc1(), doc2()], only_a=1, only_b=2)
    out = to_json(r, digits=3)
    json.dumps(out, allow_nan=False)
    assert out["documents"] == {"matched": 2, "only_a": 1, "only_b": 2}
    layer = out["layers"]["hedging"]
    for key in ("f1_exact", "f1_overlap", "kappa", "alpha", "spans_a", "spans_b", "labels"):
        assert key in layer
    assert layer["spans_a"] == 4 and layer["spans_b"] == 3
    assert set(layer["labels"]) == {"hedge", "booster"}
    assert layer["labels"]["hedge"]["f1_exact"] == 0.4
    assert "f1_overlap" in layer["labels"]["hedge"]
    assert out["per_document"]["doc-2"]["layers"]["hedging"]["spans_b"] == 0
    assert out["relations"]["matched"] == 1
    assert layer["attributes"]["certainty"]["pairs"] == 2
    assert "per_document" not in to_json(r, per_document=False)


def test_more_than_two_annotators_use_multi_kappa() -> None:
    sides = [
        Annotations([sp("x", "hedging", "hedge", 0, 3)]),
        Annotations([sp("y", "hedging", "hedge", 0, 1)]),
        Annotations([sp("z", "hedging", "hedge", 2, 5)]),
    ]
    r = compute_agreement([MatchedDocument("d", TEXT, sides)], annotators=("a", "b", "c"))
    h = r.layers["hedging"]
    table = count_rows(
        ["hedge", "hedge"] + ["none"] * 8,
        ["hedge"] + ["none"] * 9,
        ["none", "hedge", "hedge"] + ["none"] * 7,
    )
    expected = coefficients(table, 3)
    assert h.kappa == pytest.approx(expected.multi_kappa)
    assert h.alpha == pytest.approx(expected.alpha)
    assert h.spans_a == 1 and h.spans_b == 1  # F1 compares the first two


def test_bad_side_count_is_refused() -> None:
    with pytest.raises(ValueError, match="expected 2"):
        compute_agreement([MatchedDocument("d", TEXT, [Annotations([])])])


def test_unicode_text_emoji_arabic_combining() -> None:
    text = "👍🏽 قال المتحدث إن cafe\u0301 مؤكد"
    start = text.index("قال")
    end = text.index("المتحدث") + len("المتحدث")
    a = Annotations([sp("a", "attribution", "source", start, end)])
    b = Annotations([sp("b", "attribution", "source", start, end)])
    r = compute_agreement([MatchedDocument("d", text, [a, b])])
    la = r.layers["attribution"]
    assert la.f1_exact == 1.0 and la.kappa == 1.0 and la.alpha == 1.0


def test_format_table_lists_layers_labels_and_na() -> None:
    r = compute_agreement([doc1()], layers=["hedging", "rhetoric"])
    table = format_table(r)
    assert "Documents: 1 matched" in table
    assert "hedging" in table and "  hedge" in table and "  booster" in table
    assert "rhetoric" in table and "n/a" in table
    assert "certainty: 0/2 agree" in table
    assert "Relations: 2 in A, 1 in B, 1 matched" in table


def test_worker_processes_and_custom_tokenizer_give_the_same_result() -> None:
    from annotator.review.tokens_agreement import _regex_token_spans

    docs = [doc1() for _ in range(110)]
    one = compute_agreement(docs, tokenize=_regex_token_spans)
    two = compute_agreement(docs, tokenize=_regex_token_spans, workers=2)
    assert to_json(one) == to_json(two)
    assert one.layers["hedging"].tokens.items == 1100
