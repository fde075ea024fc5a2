"""interfaces.md, "Importing onto documents already there": a JSONL line whose text is in the
project already adds its spans (and relations) to that document; a line without spans is still
skipped. Through the real command (``annotator.cli.main``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project

TEXT = "Officials said the plan was not fully confirmed. 👍🏽 Café."


def _line(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False) + "\n"


def _span(key: str, word: str, layer: str, label: str, who: str | None = None) -> dict:
    start = TEXT.index(word)
    out = {"id": key, "start": start, "end": start + len(word), "layer": layer,
           "label": label, "text": word}
    if who:
        out["annotator"] = who
    return out


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_spans_on_a_document_already_there_are_added(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p.annot"
    assert _run(capsys, "new", str(proj), "--annotator", "carol")[0] == 0
    (tmp_path / "bare.jsonl").write_text(_line({"id": "d1", "text": TEXT}), encoding="utf-8")
    assert _run(capsys, "import", str(proj), str(tmp_path / "bare.jsonl"))[0] == 0

    coded = {"id": "renamed-elsewhere", "text": TEXT,
             "spans": [_span("a", "Officials", "attribution", "source", "bob"),
                       _span("b", "not fully confirmed", "hedging", "hedge", "bob"),
                       _span("c", "Café", "stance", "target")],
             "relations": [{"id": "r", "type": "attributed_to", "from": "b", "to": "a"}]}
    (tmp_path / "bob.jsonl").write_text(_line(coded), encoding="utf-8")
    code, out, err = _run(capsys, "import", str(proj), str(tmp_path / "bob.jsonl"))
    assert code == 0, err
    assert "already in the project (as 'd1'); 3 span(s) added" in err
    with Project.open(proj, readonly=True) as p:
        docs = p.documents()
        assert [d.name for d in docs] == ["d1"]  # no second document, the text untouched
        assert p.text(docs[0].pk) == TEXT
        spans = p.spans(docs[0].pk)
        assert sorted((s.annotator, s.label) for s in spans) == [
            ("bob", "hedge"), ("bob", "source"), ("carol", "target")]
        (rel,) = p.relations(docs[0].pk)
        by_pk = {s.pk: s for s in spans}
        assert (by_pk[rel.source].label, by_pk[rel.target].label) == ("hedge", "source")

    # the same spans again: nothing new, so the line is skipped with a message
    code, out, err = _run(capsys, "import", str(proj), str(tmp_path / "bob.jsonl"))
    assert code == 0 and "with these annotations; skipped" in err
    # a line without spans on a stored text: skipped as before
    code, out, err = _run(capsys, "import", str(proj), str(tmp_path / "bare.jsonl"))
    assert code == 0 and "already in the project (same text); skipped" in err
    with Project.open(proj, readonly=True) as p:
        assert len(p.spans(p.documents()[0].pk)) == 3
        assert len(p.relations(p.documents()[0].pk)) == 1


def test_a_bad_span_onto_a_stored_document_refuses_the_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p.annot"
    _run(capsys, "new", str(proj))
    (tmp_path / "bare.jsonl").write_text(_line({"id": "d1", "text": TEXT}), encoding="utf-8")
    _run(capsys, "import", str(proj), str(tmp_path / "bare.jsonl"))
    bad = _span("a", "Officials", "attribution", "source")
    bad["end"] = 10_000
    (tmp_path / "bad.jsonl").write_text(_line({"id": "d1", "text": TEXT, "spans": [bad]}),
                                        encoding="utf-8")
    before = proj.read_bytes()
    code, _, err = _run(capsys, "import", str(proj), str(tmp_path / "bad.jsonl"))
    assert code == 1 and "bad.jsonl" in err and len(err.strip().splitlines()) == 1
    assert proj.read_bytes() == before
