"""doccano JSONL import: both export shapes, code point offsets, layers, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exchange_sample import TEXT, relation_set, sample_doc

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.formats.registry import ReadOptions, get_format


def read(path: Path) -> list[CorpusDocument]:
    return list(get_format("doccano").read(path, ReadOptions(annotator="bob")))


def continuous(doc: CorpusDocument) -> list:
    return [s for s in doc.spans if len(s.fragments) == 1]


def expected_spans(doc: CorpusDocument) -> set:
    layers = {"Label:1|x": "imported"}
    return {(layers.get(s.label, s.layer), s.label, s.fragments) for s in continuous(doc)}


def got_spans(doc: CorpusDocument) -> set:
    return {(s.layer, s.label, s.fragments) for s in doc.spans}


def write_lines(path: Path, records: list) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")
    return path


def test_entities_and_relations_shape(tmp_path: Path) -> None:
    doc = sample_doc()
    spans = continuous(doc)
    ids = {s.key: i + 1 for i, s in enumerate(spans)}
    record = {"id": 7, "text": TEXT, "Comments": ["ok"],
              "entities": [{"id": ids[s.key], "start_offset": s.start, "end_offset": s.end,
                            "label": s.label} for s in spans],
              "relations": [{"id": n, "from_id": ids[r.source], "to_id": ids[r.target],
                             "type": r.type} for n, r in enumerate(doc.relations)]}
    [back] = read(write_lines(tmp_path / "d.jsonl", [record]))
    assert (back.name, back.text, back.meta) == ("7", TEXT, {"Comments": ["ok"]})
    assert got_spans(back) == expected_spans(doc)
    assert all(s.annotator == "bob" for s in back.spans)
    ends = {s.key: (s.label, s.fragments) for s in back.spans}
    want = {(t, (a[1], a[2]), (b[1], b[2])) for t, a, b in relation_set(doc)}
    assert {(r.type, ends[r.source], ends[r.target]) for r in back.relations} == want
    for s in back.spans:  # code points: the emoji span covers exactly the emoji
        if s.label == "technique":
            assert back.text[s.start:s.end] == "👍🏽"


def test_label_shape_with_classification_labels_and_crlf(tmp_path: Path) -> None:
    text = "Sources say\r\nit may rain 😀 قال المتحدث"
    records = [{"text": text, "label": [[16, 19, "hedge"], [27, 38, "source"], [0, 7, "ORG"]]},
               {"text": "plain", "label": ["positive"]}]
    first, second = read(write_lines(tmp_path / "x.jsonl", records))
    assert first.name == "x-1" and second.name == "x-2"
    assert first.text == text  # kept byte-exact, \r\n included (interfaces.md)
    assert {(s.layer, s.label, first.text[s.start:s.end]) for s in first.spans} == {
        ("hedging", "hedge", "may"), ("attribution", "source", "قال المتحدث"),
        ("imported", "ORG", "Sources")}
    assert second.meta == {"labels": ["positive"]} and second.spans == []


@pytest.mark.parametrize(("line", "message"), [
    ('{"text": "abc", "label": [[0, 9, "X"]]}', "outside the text"),
    ('{"text": "abc", "label": [[2, 1, "X"]]}', "empty or reversed"),
    ('{"text": "abc", "label": [["0", 1, "X"]]}', "not an integer"),
    ('{"text": "abc", "label": [[0, 1]]}', "neither"),
    ('{"label": []}', 'no "text"'),
    ('[1, 2]', "JSON object"),
    ('{"text": "abc", "entities": [{"id": 1, "start_offset": 0, "end_offset": 1, "label": "X"}],'
     ' "relations": [{"id": 1, "from_id": 1, "to_id": 5, "type": "R"}]}', "not in this record"),
    ('{"text": "abc", "entities": [{"id": 1, "start_offset": 0}]}', "needs start_offset"),
    ('{"text": "abc", ', "not valid JSON"),
])
def test_bad_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(BadInputError) as err:
        read(path)
    assert message in str(err.value)
    assert (err.value.path, err.value.line) == (str(path), 2)


def test_empty_file_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="no documents"):
        read(path)
    path.write_bytes(b"")
    with pytest.raises(BadInputError, match="empty"):
        read(path)
