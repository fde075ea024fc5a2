"""Blind coding on files: ``annotator distribute`` and ``annotator collect`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project

TEXTS = [f"Article {i}: officials said the plan was not fully confirmed, sources claim."
         for i in range(1, 11)]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def master(tmp_path: Path) -> Path:
    path = tmp_path / "master.annot"
    with Project.create(path, annotator="lead") as p:
        p.set_guidelines("Mark every hedge; a source is who speaks.")
        docs = [CorpusDocument(name=f"a{i}", title=f"Article {i}", text=t, meta={"n": i},
                               spans=[SpanRecord("s", "hedging", "hedge", ((40, 59),))])
                for i, t in enumerate(TEXTS, 1)]
        p.import_documents(docs)
    return path


def _plan(out: str) -> dict[str, list[str]]:
    return json.loads(out)["documents"]


def test_every_document_to_everyone_without_anyones_annotations(
        tmp_path: Path, master: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "distribute", str(master), "-o", str(tmp_path / "d"),
                          "--annotators", "alice,bob,carol")
    assert code == 0, err
    with Project.open(master, readonly=True) as m:
        tagset, hashes = m.tagset, [d.sha256 for d in m.documents()]
    for coder in ("alice", "bob", "carol"):
        with Project.open(tmp_path / "d" / f"{coder}.annot", readonly=True) as p:
            assert p.annotator == coder
            assert p.tagset.to_dict() == tagset.to_dict()
            docs = p.documents()
            assert [d.sha256 for d in docs] == hashes
            assert [d.meta for d in docs] == [{"n": i} for i in range(1, 11)]
            assert sum(d.span_count for d in docs) == 0  # the lead's spans are not handed out
            assert p.guidelines == "Mark every hedge; a source is who speaks."
            assert {(a.annotator, a.status) for a in p.assignments()} == {(coder, "new")}
            assert len(p.assignments()) == 10
    manifest = json.loads((tmp_path / "d" / "distribution.json").read_text(encoding="utf-8"))
    assert [d["sha256"] for d in manifest["annotators"]["bob"]] == hashes


def test_overlap_is_a_share_double_coded_and_reproducible_with_the_seed(
        tmp_path: Path, master: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--annotators", "alice,bob,carol", "--overlap", "0.3", "--json"]
    plans = []
    for run, seed in (("one", "5"), ("two", "5"), ("three", "6")):
        code, out, err = _run(capsys, "distribute", str(master), "-o", str(tmp_path / run),
                              *args, "--seed", seed)
        assert code == 0, err
        plans.append(_plan(out))
    assert plans[0] == plans[1]
    assert plans[0] != plans[2]
    for plan in plans:
        per_doc: dict[str, int] = {}
        for docs in plan.values():
            for d in docs:
                per_doc[d] = per_doc.get(d, 0) + 1
        assert sorted(per_doc) == sorted(f"a{i}" for i in range(1, 11))  # none forgotten
        assert sorted(per_doc.values()) == [1] * 7 + [2] * 3  # 30 % coded twice
        assert max(map(len, plan.values())) - min(map(len, plan.values())) <= 2
    with Project.open(tmp_path / "one" / "alice.annot", readonly=True) as p:
        assert [d.name for d in p.documents()] == plans[0]["alice"]


def test_distribute_refuses_a_folder_with_coders_files(
        tmp_path: Path, master: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "d"
    out.mkdir()
    (out / "bob.annot").write_bytes(b"mine")
    code, _, err = _run(capsys, "distribute", str(master), "-o", str(out),
                        "--annotators", "alice,bob")
    assert code == 1 and "bob.annot" in err and "already exists" in err
    assert sorted(x.name for x in out.iterdir()) == ["bob.annot"]
    assert (out / "bob.annot").read_bytes() == b"mine"
    code, _, err = _run(capsys, "distribute", str(master), "-o", str(out),
                        "--annotators", "alice,alice")
    assert code == 1 and "given twice" in err


def test_collect_keeps_every_coders_spans_and_reports_what_is_missing(
        tmp_path: Path, master: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "d"
    assert _run(capsys, "distribute", str(master), "-o", str(d), "--annotators",
                "alice,bob,carol")[0] == 0
    for coder, docs in (("alice", 10), ("bob", 10), ("carol", 4)):
        with Project.open(d / f"{coder}.annot") as p:
            for info in p.documents()[:docs]:
                a = p.add_span(info.pk, "attribution", "source", ((15, 24),))
                b = p.add_span(info.pk, "attribution", "cue", ((25, 29),))
                p.add_relation("cue_of", b.pk, a.pk)
                if coder == "bob":
                    p.add_span(info.pk, "hedging", "hedge", ((40, 59),))
    study = tmp_path / "study.annot"
    code, out, err = _run(capsys, "collect", str(d), "-o", str(study), "--json")
    assert code == 0, err
    report = json.loads(out)["annotators"]
    assert report["carol"]["coded"] == 4
    assert report["carol"]["missing"] == [f"a{i}" for i in range(5, 11)]
    assert report["alice"]["missing"] == [] and report["bob"]["spans"] == 30
    with Project.open(study, readonly=True) as p:
        docs = p.documents()
        assert len(docs) == 10  # matched by hash: one document each, not three
        first = p.spans(docs[0].pk)
        assert sorted({s.annotator for s in first}) == ["alice", "bob", "carol"]
        assert len(first) == 7
        rels = p.relations(docs[0].pk)
        by_pk = {s.pk: s for s in first}
        assert sorted(by_pk[r.source].annotator for r in rels) == ["alice", "bob", "carol"]
        assert all(by_pk[r.source].annotator == by_pk[r.target].annotator for r in rels)
        assert len(p.spans(docs[9].pk)) == 5
        # each coder's documents are assigned to them in the study, with their status
        assert len(p.assignments(annotator="carol")) == 10
        assert {a.status for a in p.assignments(annotator="alice")} == {"in_progress"}


def test_collect_refuses_a_file_whose_text_differs_for_the_same_id(
        tmp_path: Path, master: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "d"
    _run(capsys, "distribute", str(master), "-o", str(d), "--annotators", "alice,bob")
    stray = tmp_path / "stray.annot"
    with Project.create(stray, annotator="zed") as p:
        p.import_documents([CorpusDocument(name="a3", text="A different article altogether.")])
    study = tmp_path / "study.annot"
    code, out, err = _run(capsys, "collect", str(d), str(stray), "-o", str(study))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "stray.annot" in err and "'a3'" in err and "different text" in err
    assert not study.exists() and not list(tmp_path.glob(".study*"))
