"""Exporting a project streams its corpus (planning from ``Corpus.plan()``) and writes exactly
what exporting the same documents held in a list writes, for every exporter that plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core import corpus_read
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project
from annotator.formats.jsonl import JsonLines
from annotator.formats.reading import read_inputs
from annotator.formats.registry import WriteOptions, get_format

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "sample.jsonl"
FORMATS = ["brat", "xmi", "conll", "webanno-tsv", "csv", "jsonl", "spacy"]


def _files(root: Path) -> dict[str, bytes]:
    if root.is_file():
        return {"(the file)": root.read_bytes()}
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setattr(corpus_read, "CHUNK", 2)  # several chunks
    p = Project.create(tmp_path / "p.annot", annotator="alice")
    (_, docs), = read_inputs([str(SAMPLE)], "jsonl", "alice", lambda _: None)
    extra = []
    for n, kind in enumerate(["low", True, 3, None, ["a", "b"]]):
        attrs = {} if kind is None else {f"a{n % 3}": kind, "late": n}
        text = f"Officials said {n} times that it may work."
        extra.append(CorpusDocument(name=f"x{n}", text=text, spans=[
            SpanRecord(key="k1", layer="hedging", label=f"new{n % 2}", fragments=((0, 9),),
                       attributes=attrs),
            SpanRecord(key="k2", layer="custom", label="odd", fragments=((10, 14), (21, 25)),
                       attributes={"z": n})]))
    p.import_documents([*docs, *extra])
    yield p
    p.close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_streamed_export_equals_the_listed_one(project: Project, tmp_path: Path,
                                                  fmt: str) -> None:
    writer = get_format(fmt)
    suffix = "" if writer.directory else ".out"
    streamed, listed = tmp_path / f"streamed{suffix}", tmp_path / f"listed{suffix}"
    corpus = project.iter_corpus()
    assert hasattr(corpus, "plan")  # the streamed path is the one taken
    s1 = writer.write(corpus, streamed, project.tagset, WriteOptions())
    s2 = writer.write(list(project.iter_corpus()), listed, project.tagset, WriteOptions())
    assert (s1.documents, s1.spans, s1.relations, s1.dropped) == \
        (s2.documents, s2.spans, s2.relations, s2.dropped)
    assert s1.documents == len(list(project.iter_corpus())) > 5
    a, b = _files(streamed), _files(listed)
    if fmt == "spacy":  # zlib of the same bytes
        import zlib
        a = {k: zlib.decompress(v) for k, v in a.items()}
        b = {k: zlib.decompress(v) for k, v in b.items()}
    assert a == b


def test_a_filtered_plan_holds_only_what_is_exported(project: Project) -> None:
    corpus = project.iter_corpus(layers=["custom"])
    plan = corpus.plan()  # type: ignore[attr-defined]
    assert {sp.layer for d in plan for sp in d.spans} == {"custom"}
    assert {json.dumps(sp.attributes) for d in plan for sp in d.spans} == \
        {json.dumps({"z": n}) for n in range(5)}
    assert len(corpus) == len(list(corpus))


def test_jsonl_export_of_a_corpus_reads_back(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "c.jsonl"
    JsonLines().write(project.iter_corpus(), out, project.tagset, WriteOptions())
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == [d.name for d in project.iter_corpus()]
