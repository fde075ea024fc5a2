"""The native JSON Lines format: byte-identical round trip and every bad-input path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotator.core.errors import BadInputError
from annotator.core.project import Project
from annotator.formats.jsonl import JsonLines
from annotator.formats.registry import ReadOptions, WriteOptions


def export(project: Path, out: Path) -> bytes:
    with Project.open(project, readonly=True) as p:
        JsonLines().write(p.iter_corpus(), out, p.tagset, WriteOptions())
    return out.read_bytes()


def test_export_import_export_is_byte_identical(project_path: Path, tmp_path: Path) -> None:
    first = export(project_path, tmp_path / "1.jsonl")
    line = json.loads(first)
    assert list(line) == ["id", "title", "text", "meta", "status", "spans", "relations"]
    stance = next(s for s in line["spans"] if s["label"] == "stance")
    assert stance["fragments"] == [[s, e] for s, e in stance["fragments"]]
    assert stance["text"] == "قال المتحدث جيدة"
    assert list(stance)[:4] == ["id", "start", "end", "fragments"]
    other = tmp_path / "bob.annot"
    with Project.create(other, annotator="bob") as p:
        p.import_documents(JsonLines().read(tmp_path / "1.jsonl", ReadOptions(annotator="bob")))
    assert export(other, tmp_path / "2.jsonl") == first


def test_offsets_are_code_points(project_path: Path, tmp_path: Path) -> None:
    line = json.loads(export(project_path, tmp_path / "1.jsonl"))
    for sp in line["spans"]:
        parts = sp.get("fragments", [[sp["start"], sp["end"]]])
        assert sp["text"] == " ".join(line["text"][s:e] for s, e in parts)


def read(tmp_path: Path, *lines: str) -> list:
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return list(JsonLines().read(f, ReadOptions(annotator="me")))


def test_defaults_and_unknown_keys(tmp_path: Path) -> None:
    (doc,) = read(tmp_path, json.dumps({"id": "d", "text": "Hello world", "source": "x",
                                        "spans": [{"start": 0, "end": 5, "layer": "hedging",
                                                   "label": "hedge"}]}))
    assert doc.title == "d" and doc.status == "new" and doc.meta == {"source": "x"}
    assert doc.spans[0].annotator == "me" and doc.spans[0].attributes == {}


@pytest.mark.parametrize("obj, message", [
    ({"id": "d", "text": "Hello world", "spans": [
        {"id": "s1", "start": 0, "end": 5, "layer": "l", "label": "x", "text": "Hellx"}]},
     "offsets cover 'Hello'"),
    ({"id": "d", "text": "Hello", "spans": [{"start": 2, "end": 9, "layer": "l", "label": "x"}]},
     "outside the text"),
    ({"id": "d", "text": "Hello", "spans": [{"start": 3, "end": 2, "layer": "l", "label": "x"}]},
     "empty or reversed"),
    ({"id": "d", "text": "Hello", "relations": [{"type": "t", "from": "s1", "to": "s2"}]},
     "not in this line"),
    ({"id": "d", "text": ""}, "empty \"text\""),
    ({"text": "Hello"}, "missing \"id\""),
    ({"id": "d", "text": "Hello", "status": "finished"}, "unknown status"),
])
def test_bad_lines_name_document_span_and_line(tmp_path: Path, obj: dict, message: str) -> None:
    good = json.dumps({"id": "ok", "text": "fine"})
    with pytest.raises(BadInputError, match="in.jsonl:2") as err:
        read(tmp_path, good, json.dumps(obj, ensure_ascii=False))
    assert message in str(err.value)


def test_invalid_json_and_utf8(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="not valid JSON"):
        read(tmp_path, "{not json")
    f = tmp_path / "latin.jsonl"
    f.write_bytes(b'{"id": "a", "text": "caf\xe9"}\n')
    with pytest.raises(BadInputError, match="not valid UTF-8"):
        list(JsonLines().read(f, ReadOptions()))
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="empty"):
        list(JsonLines().read(empty, ReadOptions()))


CRLF_TEXT = "First line.\r\nSecond line said so.\r\n"


def test_crlf_text_is_kept_exactly_with_its_offsets(tmp_path: Path) -> None:
    """Offsets made against the exact text (``\\r\\n`` counted) import exactly; the text is not
    normalised (interfaces.md: structured formats keep the text byte-exact)."""
    start = CRLF_TEXT.index("said")
    path = tmp_path / "crlf.jsonl"
    path.write_text(json.dumps({"id": "c", "text": CRLF_TEXT, "spans": [
        {"id": "s1", "start": start, "end": start + 4, "layer": "hedging", "label": "hedge",
         "text": "said"}]}) + "\n", encoding="utf-8")
    (doc,) = JsonLines().read(path, ReadOptions(annotator="a"))
    assert doc.text == CRLF_TEXT
    assert doc.spans[0].fragments == ((start, start + 4),)
    assert doc.text[start:start + 4] == "said"
    project = tmp_path / "p.annot"
    with Project.create(project, annotator="a") as p:
        p.import_documents([doc])
    again = json.loads(export(project, tmp_path / "out.jsonl"))
    assert again["text"] == CRLF_TEXT and again["spans"][0]["start"] == start


def test_crlf_offsets_counted_against_normalised_text_are_an_error(tmp_path: Path) -> None:
    normalised = CRLF_TEXT.replace("\r\n", "\n")
    start = normalised.index("said")  # one less than in the exact text
    path = tmp_path / "crlf.jsonl"
    path.write_text(json.dumps({"id": "ok", "text": "Fine."}) + "\n" + json.dumps(
        {"id": "c", "text": CRLF_TEXT, "spans": [
            {"id": "s1", "start": start, "end": start + 4, "layer": "hedging",
             "label": "hedge", "text": "said"}]}) + "\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="'said' but the offsets cover ' sai'") as err:
        list(JsonLines().read(path, ReadOptions()))
    assert err.value.line == 2


def test_doc_annotations_are_read_as_document_level_annotations(tmp_path: Path) -> None:
    """interfaces.md: ``doc_annotations`` hold labels of the document as a whole."""
    from annotator.formats.registry import ReadOptions, get_format

    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "b", "text": "hello again", "doc_annotations": '
                    '[{"layer": "article_stance", "label": "against", '
                    '"attributes": {"target": "the council"}}]}\n', encoding="utf-8")
    warnings: list[str] = []
    [doc] = list(get_format("jsonl").read(path, ReadOptions(warn=warnings.append,
                                                            annotator="ann")))
    assert "doc_annotations" not in doc.meta and warnings == []
    [ann] = doc.doc_annotations
    assert (ann.layer, ann.label, ann.attributes, ann.annotator) == (
        "article_stance", "against", {"target": "the council"}, "ann")


@pytest.mark.parametrize(("value", "message"), [
    ('{"layer": "x"}', 'document annotation 1: missing "label"'),
    ('"x"', "document annotation 1 is not an object"),
    ('{"layer": 3, "label": "a"}', 'document annotation 1: missing "layer"'),
    ('{"layer": "x", "label": "a", "attributes": []}', '"attributes" must be an object'),
])
def test_bad_doc_annotations_name_the_line(tmp_path: Path, value: str, message: str) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "ok", "text": "fine"}\n{"id": "b", "text": "hello", '
                    f'"doc_annotations": [{value}]}}\n', encoding="utf-8")
    with pytest.raises(BadInputError, match=re.escape(message)) as err:
        list(JsonLines().read(path, ReadOptions()))
    assert err.value.line == 2



def _lists(n: int) -> object:
    value: object = "x"
    for _ in range(n):
        value = [value]
    return value


@pytest.mark.parametrize("depth, refused", [(64, False), (65, True)])
def test_nesting_limit_holds_on_a_line_with_many_brackets(tmp_path: Path, depth: int,
                                                          refused: bool) -> None:
    """Many shallow brackets (80 spans' objects) and one deep value: the depth is what counts,
    not the number of brackets (the walk is skipped only when the value is shallow)."""
    spans = [{"id": f"s{i}", "start": 0, "end": 5, "layer": "hedging", "label": "hedge",
              "attributes": {"k": [i]}} for i in range(80)]
    line = json.dumps({"id": "d", "text": "Hello world", "spans": spans,
                       "meta": {"deep": _lists(depth - 2)}})  # the line 1, meta 2
    if refused:
        with pytest.raises(BadInputError,
                           match=r"in\.jsonl:1: JSON nested too deeply \(at most 64 levels\)$"):
            read(tmp_path, line)
    else:
        (doc,) = read(tmp_path, line)
        assert len(doc.spans) == 80
