"""The chunked ``.spacy`` writer writes what spaCy's own DocBin writes for the same documents."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc, DocBin

from annotator.formats import _docbin_stream
from annotator.formats._docbin_stream import DocBinWriter


def _docs(n: int) -> list[Doc]:
    vocab = spacy.blank("xx").vocab
    out = []
    for i in range(n):
        words = [f"w{i % 7}", "said", "that", f"x{i}", "."]
        doc = Doc(vocab, words=words, spaces=[True, True, True, False, False])
        doc.spans["hedging"] = [doc[1:3]] if i % 2 else []
        doc.user_data["annotator"] = {"id": f"d{i}", "spans": [{"id": "s1"}] * (i % 3)}
        out.append(doc)
    return out


@pytest.mark.parametrize("n", [0, 1, 7, 23])
def test_the_chunked_file_is_spacys_docbin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           n: int) -> None:
    monkeypatch.setattr(_docbin_stream, "CHUNK", 5)  # several chunks, one partly filled
    docs = _docs(n)
    whole = DocBin(store_user_data=True)
    for d in docs:
        whole.add(d)
    out = tmp_path / "c.spacy"
    with DocBinWriter() as writer:
        for d in docs:
            writer.add(d)
        writer.write(out)
    assert zlib.decompress(out.read_bytes()) == zlib.decompress(whole.to_bytes())
    vocab = spacy.blank("xx").vocab
    back = list(DocBin().from_disk(out).get_docs(vocab))
    direct = list(DocBin().from_bytes(whole.to_bytes()).get_docs(vocab))
    assert [d.text for d in back] == [d.text for d in docs]
    assert [d.user_data for d in back] == [d.user_data for d in direct]
    assert [[(s.start, s.end) for s in d.spans.get("hedging", [])] for d in back] == \
        [[(s.start, s.end) for s in d.spans.get("hedging", [])] for d in docs]
