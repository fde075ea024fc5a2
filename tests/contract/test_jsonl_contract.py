"""The JSON Lines format and the importing rules of interfaces.md, through the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from contract_cli import TEXT, fails, jsonl_line, ok, sample_document

from annotator.core.resources import resource_path

SPAN_KEYS = ["id", "start", "end", "layer", "label", "attributes", "text", "annotator", "note"]


def _export(cwd: Path, project: str, out: str) -> bytes:
    ok("export", project, "--format", "jsonl", "-o", out, cwd=cwd)
    return (cwd / out).read_bytes()


def _fresh_import(cwd: Path, name: str, path: str, *extra: str, who: str = "alice") -> None:
    ok("new", name, "--annotator", who, cwd=cwd)
    ok("import", name, path, *extra, cwd=cwd)


@pytest.fixture
def work(tmp_path: Path) -> Path:
    doc = sample_document()
    doc["source_url"] = "https://example.org/a"  # unknown top-level key: kept under meta
    lines = jsonl_line(doc) + jsonl_line({"id": "bare", "text": "Only an article."})
    (tmp_path / "in.jsonl").write_text(lines, encoding="utf-8")
    _fresh_import(tmp_path, "a.annot", "in.jsonl")
    return tmp_path


def test_key_order_defaults_and_meta(work: Path) -> None:
    first, bare = (json.loads(x) for x in _export(work, "a.annot", "o.jsonl").splitlines())
    assert list(first) == ["id", "title", "text", "meta", "status", "spans", "relations"]
    assert first["meta"] == {"source_url": "https://example.org/a"}
    assert first["text"] == TEXT  # white space, emoji and the combining accent kept exactly
    assert bare == {"id": "bare", "title": "bare", "text": "Only an article.", "meta": {},
                    "status": "new", "spans": [], "relations": []}
    for span in first["spans"]:
        keys = [k for k in span if k != "fragments"]
        assert keys == SPAN_KEYS
        assert span["annotator"] == "alice"
        assert TEXT[span["start"]:span["end"]].startswith(span["text"].split(" ")[0])
    disc = next(s for s in first["spans"] if "fragments" in s)
    assert disc["text"] == "👍🏽 Cafe\u0301"
    assert disc["start"] == disc["fragments"][0][0] and disc["end"] == disc["fragments"][-1][1]
    assert list(disc)[:4] == ["id", "start", "end", "fragments"]
    assert first["relations"][0]["attributes"] == {}
    assert list(first["relations"][0]) == ["id", "type", "from", "to", "attributes"]


def test_export_import_export_is_byte_identical(work: Path) -> None:
    once = _export(work, "a.annot", "1.jsonl")
    _fresh_import(work, "b.annot", "1.jsonl", who="bob")  # another annotator: spans keep alice
    assert _export(work, "b.annot", "2.jsonl") == once


def test_the_bundled_sample_round_trips(tmp_path: Path) -> None:
    sample = resource_path("samples", "sample.jsonl")
    _fresh_import(tmp_path, "s.annot", str(sample))
    once = _export(tmp_path, "s.annot", "1.jsonl")
    _fresh_import(tmp_path, "t.annot", "1.jsonl")
    assert _export(tmp_path, "t.annot", "2.jsonl") == once


def test_a_project_that_went_through_brat_and_xmi_round_trips(work: Path) -> None:
    ok("export", "a.annot", "--format", "brat", "-o", "brat", cwd=work)
    _fresh_import(work, "b.annot", "brat", "--format", "brat")
    ok("export", "b.annot", "--format", "xmi", "-o", "xmi", cwd=work)
    _fresh_import(work, "x.annot", "xmi")
    once = _export(work, "x.annot", "1.jsonl")
    _fresh_import(work, "j.annot", "1.jsonl")
    assert _export(work, "j.annot", "2.jsonl") == once
    docs = {d["id"]: d for d in map(json.loads, once.splitlines())}  # brat: file name order
    first = docs["d1"]
    assert first["text"] == TEXT and len(first["spans"]) == 4 and len(first["relations"]) == 1


@pytest.mark.parametrize(("change", "naming"), [
    (lambda d: d["spans"][2].update(text="wrong"), "span 'c'"),
    (lambda d: d["spans"][0].update(end=10_000), "span 'a'"),
    (lambda d: d["relations"][0].update(to="zz"), "relation 'r'"),
    (lambda d: d["relations"][0].update(attributes=[1]), "relation 'r'"),
    (lambda d: d.update(relations=5), "document 'd1'"),
])
def test_bad_lines_are_refused_naming_document_and_span(tmp_path: Path, change, naming: str
                                                        ) -> None:
    doc = sample_document()
    change(doc)
    good = jsonl_line({"id": "fine", "text": "A fine line."})
    (tmp_path / "bad.jsonl").write_text(good + jsonl_line(doc), encoding="utf-8")
    ok("new", "p.annot", cwd=tmp_path)
    run = fails("import", "p.annot", "bad.jsonl", cwd=tmp_path, naming="bad.jsonl:2")
    assert "document 'd1'" in run.err and naming in run.err
    listed = ok("list", "p.annot", "--json", cwd=tmp_path).json()
    assert listed == []  # all or nothing per file: the good line was not imported either


def test_duplicates_are_skipped_with_a_message_and_exit_0(work: Path) -> None:
    run = ok("import", "a.annot", "in.jsonl", cwd=work)
    assert run.err.count("already in the project") == 2
    assert "skipped 2" in run.out


def test_names_are_made_unique(tmp_path: Path) -> None:
    for i, folder in enumerate(("x", "y", "z")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(f"Story number {i}.", encoding="utf-8")
    ok("new", "p.annot", cwd=tmp_path)
    ok("import", "p.annot", "x/story.txt", "y/story.txt", "z", cwd=tmp_path)
    names = [d["id"] for d in ok("list", "p.annot", "--json", cwd=tmp_path).json()]
    assert names == ["story", "story-2", "story-3"]


BODY = "  \tCafe\u0301 said 👍🏽\r\nقال المتحدث\rlast line  \n\n  "
STORED = BODY.replace("\r\n", "\n").replace("\r", "\n")


def _write_inputs(folder: Path) -> dict[str, tuple[str, ...]]:
    import csv

    (folder / "t.txt").write_bytes(BODY.encode("utf-8"))
    with (folder / "c.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["id", "text"], ["c", BODY]])
    (folder / "j.jsonl").write_text(jsonl_line({"id": "j", "text": BODY}), encoding="utf-8")
    (folder / "dc.jsonl").write_text(jsonl_line({"text": BODY, "label": []}), encoding="utf-8")
    (folder / "ls.json").write_text(json.dumps([{"data": {"text": BODY}, "annotations": []}]),
                                    encoding="utf-8")
    return {"t.txt": (), "c.csv": (), "j.jsonl": (), "dc.jsonl": ("--format", "doccano"),
            "ls.json": ("--format", "labelstudio")}


def test_plain_text_imports_only_normalise_newlines_and_offset_formats_keep_them(tmp_path: Path) -> None:
    for i, (name, extra) in enumerate(_write_inputs(tmp_path).items()):
        project = f"p{i}.annot"
        ok("new", project, cwd=tmp_path)
        ok("import", project, name, *extra, cwd=tmp_path)
        out = f"o{i}.jsonl"
        ok("export", project, "--format", "jsonl", "-o", out, cwd=tmp_path)
        stored = json.loads((tmp_path / out).read_text(encoding="utf-8"))["text"]
        # formats that carry offsets keep the text byte-exact, \r\n included (interfaces.md);
        # plain-text imports (txt, csv) normalise newlines only
        exact = name in ("j.jsonl", "dc.jsonl", "ls.json")
        assert stored == (BODY if exact else STORED), name
