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


def content(path: Path) -> bytes:
    """The file's bytes but SQLite's change counter (header bytes 24-27 and 92-95), which any
    writable open bumps when it closes, even one that changed nothing."""
    return content_of(path.read_bytes())


def content_of(data: bytes) -> bytes:
    out = bytearray(data)
    out[24:28] = out[92:96] = b"\0\0\0\0"
    return bytes(out)


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


def test_accept_above_writes_spans_with_origin(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, str(project), "--document", "new", "--recommender", "string",
                         "--accept-above", "0.99", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(r["score"] >= 0.99 for r in rows)
    assert "accepted" in err
    with Project.open(project, readonly=True) as p:
        doc = p.document_by_name("new")
        assert doc is not None
        spans = {(s.layer, s.label, s.start, s.end): s for s in p.spans(doc.pk)}
        origins = p.span_origins(doc.pk)
        assert len(origins) == len(rows)
        for r in rows:
            span = spans[(r["layer"], r["label"], r["start"], r["end"])]
            assert span.annotator == "alice"
            assert origins[span.pk]["recommender"] == "string"
            assert origins[span.pk]["training_size"] == 12
    assert main(["stats", str(project), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["suggested"] == len(rows)
    # accepted once: listing again offers none of them
    code, out, _ = run(capsys, str(project), "--document", "new", "--recommender", "string",
                       "--json")
    again = {(r["layer"], r["label"], r["start"], r["end"]) for r in json.loads(out)}
    assert not again & {(r["layer"], r["label"], r["start"], r["end"]) for r in rows}


def test_rejected_suggestion_is_a_negative_example(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with Project.open(project) as p:
        doc = p.document_by_name("new")
        assert doc is not None
        text = p.text(doc.pk)
        i = text.index("Officials")
        p.reject_suggestion(doc.pk, "attribution", "source", i, i + 9)
    code, out, _ = run(capsys, str(project), "--document", "new", "--recommender", "string",
                       "--json")
    rows = json.loads(out)
    assert not any(r["start"] == i and r["label"] == "source" for r in rows)  # not again
    # and elsewhere "Officials" scores lower: the rejection counts against its taggings
    others = [r for r in rows if r["text"] == "Officials" and r["label"] == "source"]
    assert others and all(0.5 < r["score"] < 1.0 for r in others)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-0.1", "1.5"])
def test_threshold_out_of_range_refused(project: Path, capsys, value: str) -> None:  # type: ignore[no-untyped-def]
    before = state(project)
    code, out, err = run(capsys, str(project), f"--threshold={value}")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(project) in lines[0] and "--threshold" in lines[0]
    assert "between 0 and 1" in lines[0]
    assert state(project) == before


@pytest.mark.parametrize("value", ["nan", "-1"])
def test_accept_above_out_of_range_refused(project: Path, capsys, value: str) -> None:  # type: ignore[no-untyped-def]
    before = state(project)
    code, out, err = run(capsys, str(project), f"--accept-above={value}")
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert state(project) == before


def test_accept_above_is_one_transaction_for_all_documents(project: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """A failure once spans are written (here: storing their provenance, as a full disk would
    fail it) leaves the project byte-identical: no document's spans are kept."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    code, out, _ = run(capsys, str(project), "--recommender", "lexicon", "--json")
    assert code == 0
    assert len({r["document"] for r in json.loads(out)}) >= 2  # several documents to accept
    before = project.read_bytes()
    with Project.open(project):  # opened for writing and closed, nothing changed:
        pass
    assert content(project) == content_of(before)  # only the change counter moves
    before = project.read_bytes()
    seen: list[str] = []

    def fail_on_provenance(conn, cursor, statement, params, context, many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement.lstrip().upper())
        if seen[-1].startswith("INSERT INTO SPAN_ORIGIN"):
            assert any(x.startswith("INSERT INTO SPAN ") for x in seen)  # spans went first
            raise OSError("disk I/O error (injected)")

    event.listen(Engine, "before_cursor_execute", fail_on_provenance)
    try:
        code, out, err = run(capsys, str(project), "--recommender", "lexicon",
                             "--accept-above", "0")
    finally:
        event.remove(Engine, "before_cursor_execute", fail_on_provenance)
    assert code != 0 and out == ""
    assert err.strip().splitlines() == ["annotator: disk I/O error (injected)"]
    assert content(project) == content_of(before)
    with Project.open(project, readonly=True) as p:
        assert p.span_origins() == {}
    # without the failure, every document's suggestions are accepted in that one transaction
    code, out, err = run(capsys, str(project), "--recommender", "lexicon", "--accept-above", "0",
                         "--json")
    rows = json.loads(out)
    assert code == 0 and f"accepted {len(rows)} suggestions" in err
    with Project.open(project, readonly=True) as p:
        assert len(p.span_origins()) == len(rows)
