"""INCEpTION project archives (format ``inception``) and the INCEpTION-style XMI export, through
the command line: what INCEpTION's own type-system rules make of our layers keeps every span and
relation; an archive of several annotators comes back as one project whose spans keep their
annotator; INCEpTION's own archives import, with what cannot be read counted."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import cassis
import pytest
from exchange_sample import sample_doc

from annotator.cli import main
from annotator.core.model import CorpusDocument
from annotator.core.project import Project
from annotator.formats._inception_json import typesystem_from_layers
from annotator.formats.registry import ReadOptions, get_format

CORPORA = Path(__file__).resolve().parents[1] / "corpora" / "inception"
SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "sample.jsonl"


def project_with(tmp_path: Path, docs: list[CorpusDocument], name: str = "p.annot") -> Path:
    proj = tmp_path / name
    with Project.create(proj, annotator="alice") as p:
        p.import_documents(docs)
    return proj


def sample_project(tmp_path: Path) -> Path:
    proj = tmp_path / "sample.annot"
    assert main(["new", str(proj), "--annotator", "alice"]) == 0
    assert main(["import", str(proj), str(SAMPLE)]) == 0
    return proj


def corpus(proj: Path) -> list[CorpusDocument]:
    with Project.open(proj) as p:
        return list(p.iter_corpus())


def spans_of(docs: list[CorpusDocument]) -> Counter[tuple[str, str, str, tuple[tuple[int, int],
                                                                               ...]]]:
    return Counter((d.text[:20], s.layer, s.label, s.fragments) for d in docs for s in d.spans)


def relations_of(docs: list[CorpusDocument]) -> Counter[tuple[str, str, str, str]]:
    out: Counter[tuple[str, str, str, str]] = Counter()
    for d in docs:
        by = {s.key: s for s in d.spans}
        for r in d.relations:
            out[(r.type, by[r.source].label, by[r.target].label, json.dumps(r.attributes))] += 1
    return out


def test_xmi_export_keeps_every_span_and_relation_under_inception_types(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The proof: our XMI, loaded by cassis against a type system made from the exported
    project's layers the way INCEpTION makes layers created in its UI, keeps every span and
    relation (spans as their layer's type; relations as relation-layer or link-feature FS)."""
    proj = sample_project(tmp_path)
    [doc] = corpus(proj)
    assert main(["export", str(proj), "--format", "inception", "-o", str(tmp_path / "x.zip")]) \
        == 0
    with zipfile.ZipFile(tmp_path / "x.zip") as zf:
        meta = json.loads(zf.read("exportedproject.json"))
    names = {lay["name"] for lay in meta["layers"]}
    assert {"webanno.custom.Attribution", "webanno.custom.Hedging", "webanno.custom.Stance",
            "webanno.custom.Rhetoric"} <= names
    for lay in meta["layers"]:
        if lay["type"] == "relation":  # INCEpTION: a relation layer joins spans of ONE layer
            attach = lay["attach_type"]["name"]
            assert {f["type"] for f in lay["features"] if f["name"] in ("Governor",
                                                                        "Dependent")} == {
                f"rel-source:{attach}", f"rel-target:{attach}"}
    ts = typesystem_from_layers(meta["layers"])
    assert main(["export", str(proj), "--format", "xmi", "-o", str(tmp_path / "xmi")]) == 0
    [xmi] = (tmp_path / "xmi").glob("*.xmi")
    with xmi.open("rb") as fh, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cas = cassis.load_cas_from_xmi(fh, typesystem=ts, lenient=True)
    layer_of = {lay["name"]: lay["uiName"] for lay in meta["layers"] if lay["type"] == "span"}
    got_spans = Counter((layer_of[a.type.name], a.begin, a.end) for a in
                        cas.select_all_annotations() if a.type.name in layer_of and
                        a.type.name.startswith("webanno.custom."))
    frags = Counter((s.layer, b, e) for s in doc.spans for b, e in s.fragments)
    assert got_spans == frags
    rels: list[tuple[str, int, int]] = []
    for a in cas.select_all_annotations():
        if a.type.name.endswith("Relation") and a.type.get_feature("Governor") is not None:
            rels.append((a.label, a.Governor.begin, a.Dependent.begin))
        links = a.get("relations") if a.type.get_feature("relations") else None
        for link in (links.elements if links is not None else []):
            rels.append((link.role, a.begin, link.target.begin))
    by = {s.key: s for s in doc.spans}
    assert Counter(rels) == Counter((r.type, by[r.source].start, by[r.target].start)
                                    for r in doc.relations)
    assert len(rels) == 15


def test_archive_round_trip_through_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = sample_project(tmp_path)
    out = tmp_path / "x.zip"
    assert main(["export", str(proj), "--format", "inception", "-o", str(out)]) == 0
    back = tmp_path / "back.annot"
    assert main(["new", str(back)]) == 0
    capsys.readouterr()
    assert main(["import", str(back), str(out)]) == 0
    assert "imported 1 document(s), 35 span(s), 15 relation(s)" in capsys.readouterr().out
    a, b = corpus(proj), corpus(back)
    assert [d.text for d in b] == [d.text for d in a]
    assert spans_of(b) == spans_of(a)
    assert relations_of(b) == relations_of(a)
    assert {s.annotator for d in b for s in d.spans} == {s.annotator for d in a for s in d.spans}


def test_several_annotators_come_back_as_one_project_keeping_who_did_what(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = sample_doc()
    for i, span in enumerate(doc.spans):
        span.annotator = "alice" if i % 2 else "bob"
    proj = project_with(tmp_path, [doc])
    out = tmp_path / "study.zip"
    assert main(["export", str(proj), "--format", "inception", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "several annotators" in err
    with zipfile.ZipFile(out) as zf:
        names = sorted(zf.namelist())
        meta = json.loads(zf.read("exportedproject.json"))
    docname = meta["source_documents"][0]["name"]
    assert f"annotation/{docname}/alice.zip" in names and f"annotation/{docname}/bob.zip" in names
    assert sorted(e["user"] for e in meta["annotation_documents"]) == ["alice", "bob"]
    with zipfile.ZipFile(out) as zf, zipfile.ZipFile(io.BytesIO(zf.read(
            f"annotation/{docname}/alice.zip"))) as inner:
        assert sorted(inner.namelist()) == sorted([f"{docname}.xmi", "typesystem.xml"])
    back = tmp_path / "back.annot"
    assert main(["new", str(back)]) == 0
    assert main(["import", str(back), str(out)]) == 0
    [got] = corpus(back)
    want = Counter((s.annotator, s.layer, s.label, s.fragments) for s in doc.spans)
    assert Counter((s.annotator, s.layer, s.label, s.fragments) for s in got.spans) == want
    kept = [r for r in doc.relations if {doc.spans[int(r.source[1:]) - 1].annotator,
                                         doc.spans[int(r.target[1:]) - 1].annotator} == {"alice"}
            or {doc.spans[int(r.source[1:]) - 1].annotator,
                doc.spans[int(r.target[1:]) - 1].annotator} == {"bob"}]
    assert len(got.relations) == len(kept)
    assert {s.annotator for s in got.spans} == {"alice", "bob"}  # one project, both coders


def test_inception_own_archive_imports_text_and_counts_the_binary_annotations(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """INCEpTION 33's test archive: a plain-text source and annotations only in its
    Java-serialised form; the text comes in, the .ser files are named and counted."""
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    capsys.readouterr()
    archive = CORPORA / "test-project-with-recommenders.zip"
    assert main(["import", str(proj), str(archive)]) == 0
    err = capsys.readouterr().err
    assert "2 annotation sets in INCEpTION's Java-serialised form" in err and str(archive) in err
    [doc] = corpus(proj)
    with zipfile.ZipFile(archive) as zf:
        assert doc.text == zf.read("source/Obama.txt").decode("utf-8")
    assert doc.name == "Obama" and doc.status == "in_progress"


def test_inception_3_archive_with_other_formats_is_read_and_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    capsys.readouterr()
    assert main(["import", str(proj), str(CORPORA / "curated-project-3.6.1.zip"),
                 "--format", "inception"]) == 0
    err = capsys.readouterr().err
    assert "per-user files in other formats (.txt)" in err
    assert "per-user files in other formats (.tsv)" in err
    [doc] = corpus(proj)
    assert doc.text == "This is an example sentence.\n"[:len(doc.text)]
    assert doc.status == "done"


def test_a_nested_archive_that_escapes_is_refused_and_the_project_untouched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpora"))
    from corpus_import import assert_refused

    proj = project_with(tmp_path, [sample_doc()])
    out = tmp_path / "x.zip"
    assert main(["export", str(proj), "--format", "inception", "-o", str(out)]) == 0
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../../escaped.xmi", b"<x/>")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("annotation/"):
                data = evil.getvalue()
            dst.writestr(info.filename, data)
    (tmp_path / "refuse").mkdir()
    line = assert_refused(tmp_path / "refuse", bad, capsys)
    assert "outside the import folder" in line
    assert not (tmp_path / "escaped.xmi").exists()


def test_document_level_annotations_travel_as_inception_document_metadata_layers(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A document-level layer (scope "document") is written as INCEpTION writes a document
    metadata layer (an AnnotationBase type, no offsets) and read back, per annotator."""
    from annotator.core.model import DocAnnotationRecord

    doc = sample_doc()
    doc.doc_annotations = [DocAnnotationRecord("article_stance", "against",
                                               {"target": "the plan"}, "alice")]
    proj = project_with(tmp_path, [doc])
    out = tmp_path / "x.zip"
    assert main(["export", str(proj), "--format", "inception", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        meta = json.loads(zf.read("exportedproject.json"))
    [lay] = [lay for lay in meta["layers"] if lay["uiName"] == "article_stance"]
    assert (lay["type"], lay["name"]) == ("document-metadata", "webanno.custom.Article_stance")
    ts = typesystem_from_layers(meta["layers"])
    assert ts.get_type("webanno.custom.Article_stance").supertype.name == "uima.cas.AnnotationBase"
    back = tmp_path / "back.annot"
    assert main(["new", str(back)]) == 0
    assert main(["import", str(back), str(out)]) == 0
    [got] = corpus(back)
    assert [(a.layer, a.label, a.attributes, a.annotator) for a in got.doc_annotations] == [
        ("article_stance", "against", {"target": "the plan"}, "alice")]
    xmi = tmp_path / "xmi"
    assert main(["export", str(proj), "--format", "xmi", "-o", str(xmi)]) == 0
    [again] = list(get_format("xmi").read(xmi, ReadOptions()))
    assert [(a.layer, a.label) for a in again.doc_annotations] == [("article_stance", "against")]


def test_an_annotator_name_with_a_path_stays_one_archive_entry(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = sample_doc()
    for span in doc.spans:
        span.annotator = "../../etc/x"
    proj = project_with(tmp_path, [doc])
    out = tmp_path / "x.zip"
    assert main(["export", str(proj), "--format", "inception", "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert all(".." not in n.split("/") for n in names)
    assert sum(n.startswith("annotation/") for n in names) == 1
