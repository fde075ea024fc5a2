"""The fast import/export paths keep what the slower ones guaranteed.

Speed itself is measured by ``bench/bench_import_export.py``, never asserted here. These tests
pin what the shortcuts could break: the stored JSON is exactly ``json.dumps(sort_keys=True)``,
decoded attribute objects are never shared between records, spans come out in (start, end,
layer, label) order whatever the insertion order, discontinuous spans still take the general
path, and a bad span still refuses the whole import.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.core.bulk import _dumps, validate
from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.project import Project
from annotator.formats.jsonl import JsonLines, dumps_document
from annotator.formats.registry import WriteOptions

TEXT = "café résumé 👍 قال المتحدث bridge budget"


@pytest.mark.parametrize("obj", [
    {"k": "v"},
    {"b": 1, "a": [1, 2.5, None, True, False], "é": "👍\n\"\\"},
    {"z": {"y": {"x": [{}]}}, "n": -0.0, "big": 10**30, "f": 1e-7},
    {"2": "a", "10": "b"},
])
def test_stored_json_is_sorted_dumps(obj: dict) -> None:
    assert _dumps(obj) == json.dumps(obj, ensure_ascii=False, sort_keys=True)


def test_stored_json_empty_and_unserialisable() -> None:
    assert _dumps({}) == "{}"
    with pytest.raises(TypeError):
        _dumps({"k": object()})
    with pytest.raises(TypeError):
        _dumps({"k": {1, 2}})


def _doc(name: str, spans: list[SpanRecord], rels: list[RelationRecord] = ()) -> CorpusDocument:
    return CorpusDocument(name=name, text=TEXT, spans=spans, relations=list(rels))


def test_export_order_and_fresh_attribute_objects(tmp_path: Path) -> None:
    # inserted in scrambled order; ties on (start, end) broken by layer then label
    spans = [
        SpanRecord("a", "stance", "target", ((12, 13),), {"k": "v"}),
        SpanRecord("b", "hedging", "scope", ((0, 4),), {"k": "v"}),
        SpanRecord("c", "hedging", "hedge", ((0, 4),), {"k": "v"}),
        SpanRecord("d", "attribution", "source", ((0, 4),), {"n": [1, 2]}),
        SpanRecord("e", "hedging", "hedge", ((5, 11), (14, 17)), {"k": "v"}),
    ]
    p = tmp_path / "p.annot"
    with Project.create(p) as project:
        project.import_documents([_doc("d1", spans, [RelationRecord("r", "attributed_to",
                                                                   "a", "d")])])
    with Project.open(p, readonly=True) as project:
        (doc,) = project.iter_corpus()
        assert [(s.layer, s.label, s.fragments) for s in doc.spans] == [
            ("attribution", "source", ((0, 4),)), ("hedging", "hedge", ((0, 4),)),
            ("hedging", "scope", ((0, 4),)), ("hedging", "hedge", ((5, 11), (14, 17))),
            ("stance", "target", ((12, 13),))]
        assert [s.key for s in doc.spans] == ["s1", "s2", "s3", "s4", "s5"]
        assert [(r.source, r.target) for r in doc.relations] == [("s5", "s1")]
        line = json.loads(dumps_document(doc))
        assert line["spans"][3]["fragments"] == [[5, 11], [14, 17]]
        assert line["spans"][3]["text"] == "résumé قال"
        assert "fragments" not in line["spans"][0]
        assert line["spans"][0]["text"] == "café"
        # a record's attributes are its own: changing one changes no other, nor a later read
        doc.spans[1].attributes["k"] = "changed"
        assert doc.spans[2].attributes == {"k": "v"}
        (again,) = project.iter_corpus()
        assert [s.attributes for s in again.spans] == [{"n": [1, 2]}, {"k": "v"}, {"k": "v"},
                                                       {"k": "v"}, {"k": "v"}]


def test_stored_rows(tmp_path: Path) -> None:
    p = tmp_path / "p.annot"
    with Project.create(p, annotator="ann") as project:
        project.import_documents([_doc("d1", [
            SpanRecord("a", "hedging", "hedge", ((0, 4),), {"z": 1, "a": "é"}),
            SpanRecord("b", "hedging", "hedge", ((5, 11), (14, 17)))],
            [RelationRecord("r", "attributed_to", "a", "b", {"w": True})])])
    conn = sqlite3.connect(p)
    try:
        assert conn.execute("SELECT start, \"end\", fragments, attributes, annotator FROM span "
                            "ORDER BY id").fetchall() == [
            (0, 4, None, '{"a": "é", "z": 1}', "ann"), (5, 17, "[[5, 11], [14, 17]]", "{}", "ann")]
        assert conn.execute("SELECT type, attributes, annotator FROM relation").fetchall() == [
            ("attributed_to", '{"w": true}', "ann")]
        assert conn.execute("SELECT name, length, meta, status FROM document").fetchall() == [
            ("d1", len(TEXT), "{}", "new")]
    finally:
        conn.close()


@pytest.mark.parametrize("fragments, problem", [
    (((3, 3),), "empty or reversed"),
    (((0, len(TEXT) + 1),), "outside the text"),
    (((-1, 2),), "outside the text"),
    (((0, 4), (2, 6)), "overlaps"),
    (((True, 4),), "must be integers"),  # a bool is not an offset
])
def test_validate_one_and_many_fragments(fragments: tuple, problem: str | None) -> None:
    doc = _doc("d1", [SpanRecord("a", "hedging", "hedge", fragments)])
    if problem is None:
        validate(doc)
        return
    with pytest.raises(BadInputError, match=problem):
        validate(doc)


def test_bad_span_refuses_the_whole_import(tmp_path: Path) -> None:
    p = tmp_path / "p.annot"
    good = _doc("good", [SpanRecord("a", "hedging", "hedge", ((0, 4),))])
    bad = CorpusDocument(name="bad", text="other text",
                         spans=[SpanRecord("a", "hedging", "hedge", ((0, 40),))])
    with Project.create(p) as project:
        with pytest.raises(BadInputError, match="outside the text"):
            project.import_documents([good, bad])
        assert project.documents() == []


def test_writer_round_trip_through_file(tmp_path: Path) -> None:
    p = tmp_path / "p.annot"
    with Project.create(p) as project:
        project.import_documents([_doc("d1", [
            SpanRecord("a", "hedging", "hedge", ((0, 4),), {"k": "v"}, "a note", "bob")])])
        out = tmp_path / "o.jsonl"
        summary = JsonLines().write(project.iter_corpus(), out, project.tagset, WriteOptions())
    assert summary.documents == 1 and summary.spans == 1
    assert out.read_bytes() == (json.dumps({
        "id": "d1", "title": "d1", "text": TEXT, "meta": {}, "status": "new",
        "spans": [{"id": "s1", "start": 0, "end": 4, "layer": "hedging", "label": "hedge",
                   "attributes": {"k": "v"}, "text": "café", "annotator": "bob",
                   "note": "a note"}],
        "relations": []}, ensure_ascii=False) + "\n").encode("utf-8")
