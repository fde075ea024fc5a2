"""The spaCy baseline for ``bench_scale.py``: the same DocBin built directly from a JSONL file.

Run: ``python bench/bare_spacy_docbin.py CORPUS.jsonl OUT.spacy``. Each line becomes a ``Doc``
over the same tokens the export uses (``words_and_spaces``), its spans in ``doc.spans[layer]``
and the same ``user_data``; every Doc goes into one ``DocBin(store_user_data=True)``, written
with ``to_disk``: spaCy's own way, everything held in memory until the end.
"""

from __future__ import annotations

import json
import sys

import spacy
from spacy.tokens import Doc, DocBin

from annotator.formats.spacy_docbin import words_and_spaces


def main(src: str, out: str) -> None:
    vocab = spacy.blank("xx").vocab
    docbin = DocBin(store_user_data=True)
    with open(src, encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            words, spaces = words_and_spaces(obj["text"])
            doc = Doc(vocab, words=words, spaces=spaces)
            groups: dict[str, list] = {}
            for sp in obj["spans"]:
                span = doc.char_span(sp["start"], sp["end"], label=sp["label"],
                                     alignment_mode="expand")
                if span is not None and len(span):
                    groups.setdefault(sp["layer"], []).append(span)
            for layer, spans in groups.items():
                doc.spans[layer] = spans
            doc.user_data["annotator"] = {
                "id": obj["id"], "title": obj.get("title", ""), "status": obj.get("status"),
                "meta": obj.get("meta", {}),
                "spans": [{"id": sp["id"], "layer": sp["layer"], "label": sp["label"],
                           "fragments": [[sp["start"], sp["end"]]],
                           "attributes": sp.get("attributes", {}), "note": sp.get("note", "")}
                          for sp in obj["spans"]],
                "relations": obj.get("relations", [])}
            docbin.add(doc)
    docbin.to_disk(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
