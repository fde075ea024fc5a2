"""``annotator suggest`` as a user runs it: list, evaluate, accept; bad input refused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project

SENTENCES = [
    "Officials said the deal may collapse before the vote.",
    "The Kremlin said talks could resume, and Officials said little else.",
    "Critics argued that the plan might fail; the Kremlin disagreed.",
    "Analysts said prices may rise, according to a report.",
]


def tagged(text: str) -> list[SpanRecord]:
    out = []
    for word, layer, label in (("Officials", "attribution", "source"),
                               ("Kremlin", "attribution", "source"),
                               ("said", "attribution", "cue"), ("may", "hedging", "hedge"),
                               ("might", "hedging", "hedge")):
        start = 0
        while (i := text.find(word, start)) >= 0:
            out.append(SpanRecord(f"s{len(out)}", layer, label, ((i, i + len(word)),)))
            start = i + len(word)
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "news.annot"
    with Project.create(path, annotator="alice") as p:
        docs = [CorpusDocument(name=f"a{k:02}", text=SENTENCES[k % 4] + f" Item {k}.",
                               spans=tagged(SENTENCES[k % 4])) for k in range(12)]
        docs.append(CorpusDocument(name="new", text="Officials said the Kremlin may agree. "
                                                    "Officials said so."))
        p.import_documents(docs)
    return path


def state(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["suggest", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_lists_suggestions_without_writing(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = state(project)
    code, out, _ = run(capsys, str(project), "--document", "new", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(set(r) >= {"start", "end", "layer", "label", "text", "score",
                                   "recommender"} for r in rows)
    got = {(r["layer"], r["label"], r["text"], r["recommender"]) for r in rows}
    assert ("attribution", "source", "Kremlin", "string") in got or \
        ("attribution", "source", "Kremlin", "learned") in got
    assert all(0.0 <= r["score"] <= 1.0 for r in rows)
    assert state(project) == before


def test_one_recommender_and_plain_output(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, str(project), "--document", "new", "--recommender", "string")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines and all(line.split("\t")[4] == "string" for line in lines)
    assert any("attribution:source" in line and line.endswith("Officials") for line in lines)
    code, out, _ = run(capsys, str(project), "--document", "new", "--recommender", "lexicon",
                       "--json")
    assert {r["recommender"] for r in json.loads(out)} == {"lexicon"}
    texts = {(r["label"], r["text"]) for r in json.loads(out)}
    assert ("cue", "said") in texts and ("hedge", "may") in texts


def test_evaluate_json_shape(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = state(project)
    code, out, _ = run(capsys, str(project), "--evaluate", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["split"]["seed"] == 13
    assert result["split"]["train"] + result["split"]["test"] == 12  # the tagged documents
    recs = result["recommenders"]
    assert set(recs) == {"lexicon", "string", "learned"}
    for rec in recs.values():
        assert set(rec) == {"labels", "f1", "active"}
        for key, m in rec["labels"].items():
            assert "/" in key and set(m) == {"precision", "recall", "f1", "support"}
    assert recs["string"]["labels"]["attribution/source"]["f1"] == 1.0
    assert state(project) == before
    code, out, _ = run(capsys, str(project), "--evaluate", "--recommender", "string")
    assert code == 0 and out.startswith("split: ") and "string: F1 " in out


@pytest.mark.parametrize("args, words", [
    (["--document", "nope"], "no document 'nope'"),
    (["--accept-above", "7"], "between 0 and 1"),
])
def test_bad_input_one_line_file_untouched(project: Path, capsys, args, words) -> None:  # type: ignore[no-untyped-def]
    before = state(project)
    code, out, err = run(capsys, str(project), *args)
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(project) in lines[0] and words in lines[0]
    assert state(project) == before


def test_not_a_project(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "notes.txt"
    bad.write_text("hello", encoding="utf-8")
    code, _, err = run(capsys, str(bad))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "notes.txt" in err
