"""Label Studio JSON import: regions, relations, per-region choices and notes, offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exchange_sample import TEXT, relation_set, sample_doc

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.core.offsets import OffsetMap
from annotator.formats.registry import ReadOptions, get_format


def read(path: Path) -> list[CorpusDocument]:
    return list(get_format("labelstudio").read(path, ReadOptions(annotator="bob")))


def ls_export(doc: CorpusDocument, *, utf16: bool = False, with_text: bool = True) -> list:
    omap = OffsetMap(doc.text)
    result: list[dict] = []
    for s in doc.spans:
        if len(s.fragments) > 1:
            continue
        start, end = s.start, s.end
        if utf16:
            start, end = omap.to_utf16(start), omap.to_utf16(end)
        value = {"start": start, "end": end, "labels": [s.label]}
        if with_text:
            value["text"] = doc.text[s.start:s.end]
        result.append({"id": s.key, "from_name": "label", "to_name": "text",
                       "type": "labels", "value": value})
        for name, v in s.attributes.items():
            if isinstance(v, str) and v:
                result.append({"id": s.key, "from_name": name, "to_name": "text",
                               "type": "choices", "value": {"choices": [v]}})
        if s.note:
            result.append({"id": s.key, "from_name": "note", "to_name": "text",
                           "type": "textarea", "value": {"text": [s.note]}})
    for r in doc.relations:
        result.append({"from_id": r.source, "to_id": r.target, "type": "relation",
                       "direction": "right", "labels": [r.type]})
    result.append({"id": "doc", "from_name": "sentiment", "to_name": "text", "type": "choices",
                   "value": {"choices": ["negative"]}})
    return [{"id": 42, "data": {"text": doc.text},
             "annotations": [{"id": 1, "completed_by": {"email": "ann@example.org"},
                              "result": result},
                             {"id": 2, "was_cancelled": True, "result": []}]}]


def expected(doc: CorpusDocument) -> set:
    layers = {"Label:1|x": "imported"}
    return {(layers.get(s.label, s.layer), s.label, s.fragments,
             json.dumps({k: v for k, v in s.attributes.items() if isinstance(v, str) and v},
                        sort_keys=True, ensure_ascii=False), s.note)
            for s in doc.spans if len(s.fragments) == 1}


def got(doc: CorpusDocument) -> set:
    return {(s.layer, s.label, s.fragments, json.dumps(s.attributes, sort_keys=True,
                                                       ensure_ascii=False), s.note)
            for s in doc.spans}


@pytest.mark.parametrize("utf16", [False, True], ids=["code points", "old utf-16"])
def test_round_trip_of_regions_relations_choices_notes(tmp_path: Path, utf16: bool) -> None:
    doc = sample_doc()
    path = tmp_path / "export.json"
    path.write_text(json.dumps(ls_export(doc, utf16=utf16), ensure_ascii=False),
                    encoding="utf-8")
    [back] = read(path)
    assert (back.name, back.text, back.meta) == ("42", TEXT, {"sentiment": "negative"})
    assert got(back) == expected(doc)
    assert {s.annotator for s in back.spans} == {"ann@example.org"}
    ends = {s.key: (s.label, s.fragments) for s in back.spans}
    want = {(t, (a[1], a[2]), (b[1], b[2])) for t, a, b in relation_set(doc)
            if len(a[2]) == 1 and len(b[2]) == 1}
    assert {(r.type, ends[r.source], ends[r.target]) for r in back.relations} == want


def test_left_direction_empty_labels_and_crlf(tmp_path: Path) -> None:
    task = {"data": {"text": "A said\r\nB 😀 may"},
            "annotations": [{"result": [
                {"id": "a", "type": "labels", "value": {"start": 0, "end": 1, "labels": ["source"],
                                                         "text": "A"}},
                {"id": "b", "type": "labels", "value": {"start": 12, "end": 15,
                                                         "labels": ["hedge", "booster"]}},
                {"from_id": "a", "to_id": "b", "type": "relation", "direction": "left",
                 "labels": []}]}]}
    path = tmp_path / "one.json"
    path.write_text(json.dumps(task), encoding="utf-8")
    [doc] = read(path)
    assert doc.name == "one-1" and doc.text == "A said\r\nB 😀 may"  # byte-exact
    spans = {s.key: (s.layer, s.label, doc.text[s.start:s.end]) for s in doc.spans}
    assert sorted(spans.values()) == [("attribution", "source", "A"),
                                      ("hedging", "booster", "may"), ("hedging", "hedge", "may")]
    [rel] = doc.relations
    assert rel.type == "related"
    assert spans[rel.source][2] == "may" and spans[rel.target][2] == "A"
    assert {s.annotator for s in doc.spans} == {"bob"}


@pytest.mark.parametrize(("content", "message"), [
    ('[{"data": {"text": "abc"}, "annotations": [{"result": [{"id": "x", "type": "labels",'
     ' "value": {"start": 0, "end": 2, "labels": ["L"], "text": "bc"}}]}]}]', "does not match"),
    ('[{"data": {"text": "abc"}, "annotations": [{"result": [{"id": "x", "type": "labels",'
     ' "value": {"start": 0, "end": 7, "labels": ["L"]}}]}]}]', "outside the text"),
    ('[{"data": {"text": "abc"}, "annotations": [{"result": [{"type": "relation",'
     ' "from_id": "x", "to_id": "y"}]}]}]', "not a span"),
    ('[{"data": {}}]', "no text"),
    ('[{"nodata": 1}]', 'no "data"'),
    ('[3]', "JSON object"),
    ('{"a": ', "not valid JSON"),
    ('[]', "expected a list"),
])
def test_bad_input(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BadInputError) as err:
        read(path)
    assert message in str(err.value)
    assert err.value.path == str(path)
