"""Agreement, merge and the review window on a shared project, exactly as on files: the
curator's view of one project with several annotators, two coders' own addresses (each sees
only their own spans in blind mode), and the same figures as on a file of the same spans."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from teamkit import cli

from annotator.core.project import Project


def agree_json(capsys: pytest.CaptureFixture[str], *refs: str) -> dict:  # type: ignore[type-arg]
    code, out, err = cli(capsys, "agree", *refs, "--json")
    assert code == 0, err
    return json.loads(out)


def copy_to_file(url: str, path: Path) -> Path:
    with Project.open(url, readonly=True) as src:
        docs = list(src.iter_corpus())
    with Project.create(path, annotator="copy") as dst:
        dst.import_documents(docs)
    return path


def test_agree_on_a_shared_project_equals_agree_on_its_copy(team, capsys, tmp_path):  # type: ignore[no-untyped-def]
    on_server = agree_json(capsys, team["cleo"])
    assert set(on_server["annotators"]) == {team["alice_name"], team["bob_name"]}
    on_file = agree_json(capsys, str(copy_to_file(team["cleo"], tmp_path / "copy.annot")))
    assert on_server["layers"] == on_file["layers"]
    assert on_server["documents"] == on_file["documents"]


def test_agree_on_two_coders_addresses(team, capsys):  # type: ignore[no-untyped-def]
    two = agree_json(capsys, team["alice"], team["bob"])
    one = agree_json(capsys, team["cleo"])
    assert two["layers"]["attribution"] == one["layers"]["attribution"]
    code, _out, err = cli(capsys, "agree", team["alice"], team["alice"])
    assert code == 1 and "the same project file is given twice" in err


def test_merge_a_shared_project_into_gold(team, capsys, tmp_path):  # type: ignore[no-untyped-def]
    gold = tmp_path / "gold.annot"
    code, out, err = cli(capsys, "merge", team["cleo"], "-o", str(gold))
    assert code == 0, err
    assert "merged 3 document(s)" in out
    with Project.open(gold, readonly=True) as p:
        spans = [s for d in p.documents() for s in p.spans(d.pk)]
    assert len(spans) == 3  # alice and bob marked the same source in each document
    assert all((s.layer, s.label) == ("attribution", "source") for s in spans)


def test_merge_needs_two_annotators_named_when_there_are_more(team, capsys, tmp_path):  # type: ignore[no-untyped-def]
    with Project.open(team["cleo"]) as cleo:
        doc = cleo.documents()[0].pk
        cleo.add_span(doc, "hedging", "hedge", ((20, 35),))
    gold = tmp_path / "gold.annot"
    code, _out, err = cli(capsys, "merge", team["cleo"], "-o", str(gold))
    assert code == 1 and "name the two to merge with --annotators" in err
    assert not gold.exists()
    code, _out, err = cli(capsys, "merge", team["cleo"], "-o", str(gold), "--annotators",
                          f"{team['alice_name']},{team['bob_name']}")
    assert code == 0, err


def test_the_review_window_reads_a_shared_project(team, qtbot, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for key in ("CONFIG", "DATA", "BACKUP"):
        monkeypatch.setenv(f"ANNOTATOR_{key}_DIR", str(tmp_path / key.lower()))
    from annotator.gui import identity
    from annotator.gui.review_window import open_review

    identity.remember("cleo")
    w = open_review([team["cleo"]])
    qtbot.addWidget(w)
    assert w.review.annotators == (team["alice_name"], team["bob_name"])
    assert w.documents.count() == 3
    assert w.accept_agreed() == 3
    gold = tmp_path / "gold.annot"
    assert w.save_gold(gold) == 3
