"""spaCy DocBin export, read back with spaCy itself."""

from __future__ import annotations

from pathlib import Path

import spacy
from conftest import mixed_document
from spacy.tokens import DocBin

from annotator.core.tagset import default_tagset
from annotator.formats.registry import WriteOptions, get_format
from annotator.formats.spacy_docbin import words_and_spaces
from annotator.nlp.tokens import token_spans


def test_tokens_rebuild_the_exact_text() -> None:
    text = "Officials  said 👍🏽\n\nقال المتحدث  — e\u0301 “quoted”.\t end "
    words, spaces = words_and_spaces(text)
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) == text


def test_docbin_holds_text_spans_and_relations(tmp_path: Path) -> None:
    doc_in = mixed_document()
    out = tmp_path / "corpus.spacy"
    summary = get_format("spacy").write([doc_in], out, default_tagset(), WriteOptions())
    assert summary.documents == 1 and summary.spans == len(doc_in.spans)
    assert summary.dropped == {"discontinuous written as one span per fragment": 1}
    (doc,) = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    assert doc.text == doc_in.text
    tokens = token_spans(doc_in.text)
    expected: dict[str, list[tuple[int, int, str]]] = {}
    for sp in doc_in.spans:
        for s, e in sp.fragments:  # widened to the tokens it touches
            cover = [t for t in tokens if t[0] < e and s < t[1]]
            expected.setdefault(sp.layer, []).append((cover[0][0], cover[-1][1], sp.label))
    for layer, spans in expected.items():
        got = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans[layer])
        assert got == sorted(spans)
    data = doc.user_data["annotator"]
    assert data["id"] == "mixed" and len(data["relations"]) == 2
    stance = next(s for s in data["spans"] if s["label"] == "stance")
    assert len(stance["fragments"]) == 2 and stance["attributes"] == {"polarity": "favour"}


def test_layer_filter(tmp_path: Path) -> None:
    out = tmp_path / "c.spacy"
    get_format("spacy").write([mixed_document()], out, default_tagset(),
                              WriteOptions(layers=["hedging"]))
    (doc,) = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    assert set(doc.spans) == {"hedging"}
