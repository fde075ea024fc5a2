"""REFI-QDA against the standard's own schemas and example (tests/corpora/refi-qda, SOURCE.md).

Our ``.qdpx`` project and ``.qdc`` codebook exports validate against the published XSDs (with
lxml); the standard's codebook example and an archive in ATLAS.ti's layout import."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from corpus_import import HERE, import_path
from lxml import etree

from annotator.cli import main
from annotator.core.model import (
    CorpusDocument,
    DocAnnotationRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.core.project import Project
from annotator.core.tagset import default_tagset
from annotator.formats._refi_read import read_codebook
from annotator.formats.registry import ReadOptions, WriteOptions, get_format

REFI = HERE / "refi-qda"


def repair(text: str) -> str:
    """The three rules SOURCE.md names, turning QualCoder's copy of Codebook.xsd into XML."""
    text = text.replace("\u2010", "-")
    text = re.sub(r"<xsd:(element|attribute|complexType|simpleType|pattern|restriction)"
                  r"(name|value|base)=", r"<xsd:\1 \2=", text)
    return re.sub(r'(="[^"]*")(?=[A-Za-z])', r"\1 ", text)


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(REFI / name)))


def valid(xsd: etree.XMLSchema, data: bytes) -> None:
    doc = etree.fromstring(data)
    assert xsd.validate(doc), "\n".join(str(e) for e in xsd.error_log)


def test_the_repaired_codebook_schema_is_the_published_one_repaired() -> None:
    published = (REFI / "Codebook.xsd").read_text(encoding="utf-8")
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(published.encode("utf-8"))  # as shipped it is not XML
    assert repair(published) == (REFI / "Codebook-mrt2019.xsd").read_text(encoding="utf-8")
    # the repaired schema accepts the standard's own codebook example
    valid(schema("Codebook-mrt2019.xsd"),
          (REFI / "spec-examples" / "example1-codebook.qdc").read_bytes())


def news_docs() -> list[CorpusDocument]:
    text = ("Officials said the talks were \"not fully confirmed\" 👍🏽.\r\n"
            "Critics claimed the deal may collapse; ünïcode & <markup>.")
    def at(s: str) -> tuple[int, int]:
        i = text.index(s)
        return (i, i + len(s))
    spans = [SpanRecord("s1", "attribution", "source", (at("Officials"),), annotator="alice"),
             SpanRecord("s2", "attribution", "cue", (at("said"),), annotator="alice"),
             SpanRecord("s3", "attribution", "content", (at("the talks were"),),
                        annotator="bob", note="paraphrase <of> a \"quote\"\nline two"),
             SpanRecord("s4", "hedging", "hedge", (at("not fully"), at("confirmed")),
                        {"certainty": "possible"}, annotator="bob"),
             SpanRecord("s5", "my layer", "odd:label/x", (at("👍🏽"),), annotator="alice")]
    rels = [RelationRecord("r1", "attributed_to", "s3", "s1"),
            RelationRecord("r2", "cue_of", "s2", "s3")]
    doc_level = [DocAnnotationRecord("article_stance", "against", annotator="carol"),
                 DocAnnotationRecord("genre", "news", {"confidence": "high"}, annotator="bob")]
    return [CorpusDocument("news-1", text, spans=spans, relations=rels, status="done",
                           doc_annotations=doc_level),
            CorpusDocument("news-2", "A second, empty article.")]


def test_our_project_export_validates_against_the_standard(tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    summary = get_format("refi-qda").write(news_docs(), out, default_tagset(), WriteOptions())
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        qde = zf.read("project.qde")
        texts = {n: zf.read(n).decode("utf-8") for n in names if n.startswith("sources/")}
    assert names[0] == "project.qde" and len(texts) == 2
    valid(schema("Project-mrt2019.xsd"), qde)
    assert news_docs()[0].text in texts.values()  # exact, \r\n and emoji included
    root = etree.fromstring(qde)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    assert sorted(u.get("name") for u in root.findall("q:Users/q:User", ns)) == [
        "alice", "bob", "carol"]
    # document-level annotations are codings of the whole source
    assert len(root.findall("q:Sources/q:TextSource/q:Coding", ns)) == 2
    layers = [c.get("name") for c in root.findall("q:CodeBook/q:Codes/q:Code", ns)]
    assert layers[:4] == ["attribution", "hedging", "stance", "rhetoric"] and "my layer" in layers
    assert len(root.findall(".//q:PlainTextSelection", ns)) == 6  # the hedge has two fragments
    assert len(root.findall("q:Links/q:Link", ns)) == 2
    assert len(root.findall("q:Notes/q:Note", ns)) == 1
    assert summary.dropped == {"span attributes (REFI-QDA has no place for them)": 1,
                               "document annotation attributes (REFI-QDA has no place for "
                               "them)": 1,
                               "discontinuous span written as one selection per fragment": 1,
                               "document metadata and status": 1}


def test_our_codebook_export_validates_and_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "codes.qdc"
    get_format("refi-qdc").write(news_docs(), out, default_tagset(), WriteOptions())
    valid(schema("Codebook-mrt2019.xsd"), out.read_bytes())
    codes = read_codebook(out)
    tagset = default_tagset()
    expected = [(lay.name, lab.name) for lay in tagset.layers for lab in lay.labels]
    assert codes[:len(expected)] == expected
    assert ("my layer", "odd:label/x") in codes


def test_the_standards_codebook_example_reads(tmp_path: Path) -> None:
    codes = read_codebook(REFI / "spec-examples" / "example1-codebook.qdc")
    # five codes, "Topics" and "Values" are not codable; top-level codes go to the layer of
    # the default tagset that has that label, else "imported"
    assert codes == [("imported", "Economy"), ("imported", "Health care"),
                     ("imported", "Conservatives"), ("imported", "Liberals")]


ATLAS_QDE = """<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 origin="ATLAS.ti 8.4.0" creatingUserGUID="AD68FBE7-E1EE-4A82-A279-23CC698C89EB"
 name="ATLAS.ti standard project">
 <Users>
  <User guid="C32A2BD5-537F-4838-8B17-DF9EFBAFDF4B" name="ATLAS.ti"/>
  <User guid="AD68FBE7-E1EE-4A82-A279-23CC698C89EB" name="Friedrich Markgraf"/>
  <User guid="A5DE7584-8296-418B-A322-136F77ADF87B" name="Sebastian Petrausch"/>
 </Users>
 <CodeBook><Codes>
  <Code color="#966450" isCodable="true" name="Coke" guid="7496BA52-9C8D-4396-8FAB-CC438614E453">
   <Description>the breakfast of champions</Description>
   <Code color="#966450" isCodable="true" name="diet Coke"
    guid="D299EFAE-5779-46DC-9827-A3D1A5D544BC"/>
  </Code>
  <Code color="#F00082" isCodable="true" name="happiness" guid="85D17F60-7BB0-481E-B742-B4861DD669DF"/>
  <Code guid="C3C7D437-6932-4B14-A55D-30B7F811BBF3" name="milk" isCodable="true"/>
 </Codes></CodeBook>
 <Sources>
  <TextSource plainTextPath="internal://230B768E-5A3D-42B7-BE92-2A3721177944.txt"
   richTextPath="internal://9DBE0A35-06E4-4D01-B4F5-93C54FA82957.docx"
   guid="57C6099B-934F-4C86-90F2-CC6C2F2A3CC3" name="1994 Diet Coke-Diet Coke Break.docx"
   creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB">
   <PlainTextSelection startPosition="{s1}" endPosition="{e1}"
    creatingUser="AD68FBE7-E1EE-4A82-A279-23CC698C89EB"
    guid="4191294A-E287-4510-95B0-69BCE4638E56" name="Oh, that was great.">
    <Description>a comment</Description>
    <Coding creatingUser="A5DE7584-8296-418B-A322-136F77ADF87B"
     guid="445A6AEC-1400-4502-919D-0867832FF211">
     <CodeRef targetGUID="{{d299efae-5779-46dc-9827-a3d1a5d544bc}}"/>
    </Coding>
    <Coding guid="445A6AEC-1400-4502-919D-0867832FF212">
     <CodeRef targetGUID="85D17F60-7BB0-481E-B742-B4861DD669DF"/>
     <NoteRef targetGUID="11111111-2222-4333-8444-555555555555"/>
    </Coding>
   </PlainTextSelection>
   <PlainTextSelection startPosition="{s2}" endPosition="{e2}"
    guid="B49D7982-BB8E-4335-80AF-DC869CCC3F45" name="See you tomorrow?"/>
   <Coding guid="445A6AEC-1400-4502-919D-0867832FF213"
    creatingUser="A5DE7584-8296-418B-A322-136F77ADF87B">
    <CodeRef targetGUID="C3C7D437-6932-4B14-A55D-30B7F811BBF3"/>
   </Coding>
  </TextSource>
  <PDFSource guid="3E029F7C-B699-47C2-AE9F-95F481693CAF" name="scan.pdf"
   path="internal://3E029F7C-B699-47C2-AE9F-95F481693CAF.PDF"/>
 </Sources>
 <Notes>
  <Note guid="11111111-2222-4333-8444-555555555555" name="memo">
   <PlainTextContent>happy, but tired</PlainTextContent>
  </Note>
 </Notes>
 <Sets><Set guid="22222222-2222-4333-8444-555555555555" name="s"/></Sets>
</Project>
"""

ATLAS_TEXT = "Ad break.\r\nOh, that was great. See you tomorrow? Eleven thirty. Mm. ☕"


def atlas_archive(tmp_path: Path) -> Path:
    s1 = ATLAS_TEXT.index("Oh")
    s2 = ATLAS_TEXT.index("See")
    qde = ATLAS_QDE.format(s1=s1, e1=s1 + len("Oh, that was great."), s2=s2,
                           e2=s2 + len("See you tomorrow?"))
    path = tmp_path / "atlas.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Project.qde", qde)
        zf.writestr("Sources/230B768E-5A3D-42B7-BE92-2A3721177944.txt",
                    ATLAS_TEXT.encode("utf-8"))
    return path


def test_an_archive_in_atlas_ti_layout_imports(tmp_path: Path) -> None:
    valid(schema("Project-mrt2019.xsd"),
          zipfile.ZipFile(atlas_archive(tmp_path)).read("Project.qde"))
    warnings: list[str] = []
    docs = list(get_format("refi-qda").read(atlas_archive(tmp_path),
                                            ReadOptions(annotator="me", warn=warnings.append)))
    assert len(docs) == 1
    doc = docs[0]
    assert doc.name == "1994 Diet Coke-Diet Coke Break.docx" and doc.text == ATLAS_TEXT
    got = sorted((s.layer, s.label, doc.text[s.start:s.end], s.annotator, s.note)
                 for s in doc.spans)
    assert got == [
        ("Coke", "diet Coke", "Oh, that was great.", "Sebastian Petrausch", "a comment"),
        ("imported", "happiness", "Oh, that was great.", "Friedrich Markgraf",
         "a comment\n\nhappy, but tired")]
    # the whole-source coding: a document annotation; "imported" labels passages here
    assert [(a.layer, a.label, a.annotator) for a in doc.doc_annotations] == [
        ("imported (document)", "milk", "Sebastian Petrausch")]
    assert warnings == [f"{tmp_path / 'atlas.qdpx'}: not represented: 1 PDF source, 1 code "
                        "never used on a text (the tagset takes its labels from spans), "
                        "1 selection without a code, 1 set"]


def test_cli_import_of_a_qdpx_by_its_extension(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    result = import_path(tmp_path, atlas_archive(tmp_path), capsys)
    assert result.code == 0, result.err
    doc = result.docs["1994 Diet Coke-Diet Coke Break.docx"]
    assert {s.annotator for s in doc.spans} == {"Sebastian Petrausch", "Friedrich Markgraf"}
    assert any("not represented: 1 PDF source" in line for line in result.err)


def test_export_import_round_trip_through_the_cli(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A project out as .qdpx (validated) and into a new project: texts exact, spans with their
    layers, labels, annotators and notes, relations; the same export twice is the same XML but
    for the time stamp."""
    src = tmp_path / "src.annot"
    assert main(["new", str(src), "--annotator", "alice"]) == 0
    jsonl = tmp_path / "in.jsonl"
    get_format("jsonl").write(news_docs(), jsonl, default_tagset(), WriteOptions())
    assert main(["import", str(src), str(jsonl)]) == 0
    out = tmp_path / "out.qdpx"
    assert main(["export", str(src), "--format", "refi-qda", "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "dropped 1: span attributes" in said
    first = zipfile.ZipFile(out).read("project.qde")
    assert b'name="out"' in first
    assert main(["export", str(src), "--format", "refi-qda", "-o", str(out)]) == 0
    stamp = re.compile(rb'creationDateTime="[^"]*"')
    assert stamp.sub(b"", zipfile.ZipFile(out).read("project.qde")) == stamp.sub(b"", first)
    valid(schema("Project-mrt2019.xsd"), zipfile.ZipFile(out).read("project.qde"))
    dst = tmp_path / "dst.annot"
    assert main(["new", str(dst), "--annotator", "carol"]) == 0
    assert main(["import", str(dst), str(out)]) == 0
    with Project.open(src) as p:
        before = {d.name: d for d in p.iter_corpus()}
    with Project.open(dst) as p:
        after = {d.name: d for d in p.iter_corpus()}
    assert {n: d.text for n, d in after.items()} == {n: d.text for n, d in before.items()}

    assert sorted((a.layer, a.label, a.annotator) for a in after["news-1"].doc_annotations) == \
        sorted((a.layer, a.label, a.annotator) for a in before["news-1"].doc_annotations)

    def shape(d: CorpusDocument) -> list[tuple]:
        return sorted((s.layer, s.label, s.start, s.end, s.annotator, s.note) for s in d.spans)

    b, a = before["news-1"], after["news-1"]
    # the discontinuous hedge comes back as its two fragments
    hedge = next(s for s in b.spans if s.layer == "hedging")
    expected = [row for row in shape(b) if row[0] != "hedging"] + [
        ("hedging", "hedge", s, e, hedge.annotator, "") for s, e in hedge.fragments]
    assert shape(a) == sorted(expected)
    ends = {s.key: (s.label, s.start) for s in a.spans}
    assert sorted((r.type, ends[r.source], ends[r.target]) for r in a.relations) == sorted(
        (r.type, (bs.label, bs.start), (bt.label, bt.start)) for r in b.relations
        for bs in b.spans if bs.key == r.source for bt in b.spans if bt.key == r.target)
