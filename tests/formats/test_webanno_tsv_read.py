"""WebAnno TSV 3.3 import: our own export read back, the format's features one by one, and bad
files refused in one line with the project untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from exchange_sample import TEXT, at, sample_doc

from annotator.cli import main
from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.core.project import Project
from annotator.core.tagset import default_tagset
from annotator.formats.registry import ReadOptions, WriteOptions, get_format

HEAD = "#FORMAT=WebAnno TSV 3.3\n"


def export(docs: list[CorpusDocument], out: Path) -> dict[str, bytes]:
    get_format("webanno-tsv").write(docs, out, default_tagset(), WriteOptions())
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def read(path: Path, warnings: list[str] | None = None) -> list[CorpusDocument]:
    opts = ReadOptions(annotator="me", warn=(warnings if warnings is not None else []).append)
    return list(get_format("webanno-tsv").read(path, opts))


def write(tmp_path: Path, body: str, name: str = "d.tsv") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_our_export_reads_back_with_the_text_exact(tmp_path: Path) -> None:
    doc = sample_doc()
    export([doc], tmp_path / "a")
    back = read(tmp_path / "a")
    assert len(back) == 1
    got = back[0]
    # the text between sentences survives (the writer puts it in the sentence before)
    assert got.text == TEXT
    spans = {(s.layer, s.label, s.fragments): s for s in got.spans}
    # layers come back under our names, attributes with their tagset types
    hedge = spans[("hedging", "hedge", (at("may"), at("fully confirmed")))]
    assert hedge.attributes == {"certainty": "possible", "negated": True, "cue_type": "modal"}
    assert spans[("hedging", "hedge", (at("reportedly"),))].attributes == {"negated": True}
    assert spans[("attribution", "source", (at("Le ministre"),))].attributes == {
        "source_type": "person"}
    stance = next(s for s in got.spans if s.layer == "stance" and s.label == "stance")
    assert stance.attributes["target"] == "the situation | a:b, c=d"
    assert stance.attributes["polarity"] == "against"
    assert "holder" not in stance.attributes  # empty is written as *, read as unset
    assert all(s.annotator == "me" for s in got.spans)
    # relations within one layer come back (the cross-layer one is not written)
    ends = {s.key: (s.layer, s.label) for s in got.spans}
    assert sorted((r.type, ends[r.source], ends[r.target]) for r in got.relations) == [
        ("attributed_to", ("attribution", "content"), ("attribution", "source")),
        ("cue_of", ("attribution", "cue"), ("attribution", "content"))]


def test_export_import_export_is_byte_identical(tmp_path: Path) -> None:
    first = export([sample_doc()], tmp_path / "a")
    again = read(tmp_path / "a")
    second = export(again, tmp_path / "b")
    assert second == first
    third = read(tmp_path / "b")
    key = [(s.layer, s.label, s.fragments, s.attributes) for s in again[0].spans]
    assert [(s.layer, s.label, s.fragments, s.attributes) for s in third[0].spans] == key
    assert third[0].text == again[0].text


def test_stacked_multi_token_sub_token_and_escaped_values(tmp_path: Path) -> None:
    body = (HEAD + "#T_SP=webanno.custom.Span|value|note\n\n\n"
            "#Text=A b\\\\c [x]\n"
            "1-1\t0-1\tA\tp\\|q[1]|r\\_s\t*[1]|a\\->b\\;c\\*\t\n"
            "1-2\t2-5\tb\\\\c\tp\\|q[1]\t*[1]\t\n"
            "1-2.1\t3-5\t\\\\c\tz\\[1\\]\t\\t\\n\t\n"
            "1-3\t6-9\t[x]\t_\t_\t\n")
    doc = read(write(tmp_path, body))[0]
    assert doc.text == "A b\\c [x]"
    got = sorted((s.start, s.end, s.label, s.attributes) for s in doc.spans)
    assert got == [(0, 1, "r_s", {"note": "a->b;c*"}), (0, 5, "p|q", {}),
                   (3, 5, "z[1]", {"note": "\t\n"})]


def test_utf16_offsets_multiline_sentences_and_gaps(tmp_path: Path) -> None:
    body = (HEAD + "#T_SP=webanno.custom.Span|value\n\n\n"
            "#Text=😀 one\n#Text=two\n"
            "1-1\t2-4\t😀\tE\t\n1-2\t5-8\tone\t_\t\n1-3\t9-12\ttwo\tT\t\n\n"
            "#Text=Next .\n"
            "2-1\t14-18\tNext\tN\t\n2-2\t19-20\t.\t_\t\n")
    doc = read(write(tmp_path, body))[0]
    # two spaces before the first sentence; one line feed, then a space, between the sentences
    assert doc.text == "  😀 one\ntwo\n Next ."
    assert [(doc.text[s.start:s.end], s.label) for s in doc.spans] == [
        ("😀", "E"), ("two", "T"), ("Next", "N")]


def test_chains_relations_and_slots(tmp_path: Path) -> None:
    body = (HEAD + "#T_SP=webanno.custom.Span|value\n"
            "#T_SP=webanno.custom.Host|ROLE_webanno.custom.Host:args_webanno.custom.HostLink|"
            "webanno.custom.Span\n"
            "#T_CH=webanno.custom.CorefLink|referenceType|referenceRelation\n"
            "#T_RL=webanno.custom.Rel|value|BT_webanno.custom.Span\n\n\n"
            "#Text=Ann saw Bob .\n"
            "1-1\t0-3\tAnn\tPER\t_\t_\tNAM[1]\tcoref->1-1\t_\t_\t\n"
            "1-2\t4-7\tsaw\t_\tagent;theme\t1-1;1-3\t_\t_\t_\t_\t\n"
            "1-3\t8-11\tBob\tPER\t_\t_\tPRO[1]\t*->1-2\tsees\t1-1\t\n"
            "1-4\t12-13\t.\t_\t_\t_\t_\t_\t_\t_\t\n")
    doc = read(write(tmp_path, body))[0]
    # the chain layer is named as INCEpTION names it (and as the XMI reader reads the
    # webanno.custom.CorefChain / CorefLink types): Coref, not its link type CorefLink
    word = {s.key: (s.layer, doc.text[s.start:s.end]) for s in doc.spans}
    assert sorted(word.values()) == [("Coref", "Ann"), ("Coref", "Bob"),
                                     ("Host", "saw"), ("Span", "Ann"), ("Span", "Bob")]
    assert sorted((r.type, word[r.source], word[r.target]) for r in doc.relations) == [
        ("agent", ("Host", "saw"), ("Span", "Ann")),
        ("coref", ("Coref", "Ann"), ("Coref", "Bob")),
        ("sees", ("Span", "Ann"), ("Span", "Bob")),
        ("theme", ("Host", "saw"), ("Span", "Bob"))]
    labels = {(s.layer, s.label) for s in doc.spans}
    assert ("Coref", "NAM") in labels and ("Coref", "PRO") in labels


def test_what_cannot_be_represented_is_counted(tmp_path: Path) -> None:
    body = (HEAD + "#T_SP=webanno.custom.Span|value\n"
            "#T_RL=webanno.custom.Dep|value|BT_de.tudarmstadt.ukp.dkpro.core.api."
            "segmentation.type.Token\n\n\n"
            "#Sentence.id=s1\n#Text=a b\n"
            "1-1\t0-1\ta\t_\t_\t_\t\n1-1.1\t1-1\t\tZ\t_\t_\t\n1-2\t2-3\tb\t_\tdep\t1-1\t\n")
    warnings: list[str] = []
    doc = read(write(tmp_path, body), warnings)[0]
    # a relation layer over tokens: its ends come in as spans of layer Token (as the XMI reader
    # reads the DKPro Tokens such a relation joins), the relation between them
    assert [(s.layer, s.label, s.fragments) for s in doc.spans] == [
        ("Token", "Token", ((0, 1),)), ("Token", "Token", ((2, 3),))]
    assert [(r.type, r.source, r.target) for r in doc.relations] == [("dep", "tok1-1",
                                                                      "tok1-2")]
    assert warnings == [f"{tmp_path / 'd.tsv'}: not represented: 1 sentence id, "
                        "1 zero-width annotation"]


@pytest.mark.parametrize(("body", "line", "words"), [
    ("#FORMAT=WebAnno TSV 2\n", 1, "not a WebAnno TSV file"),
    ("#FORMAT=WebAnno TSV 3.1\n", 1, "3.1 is not read"),
    (HEAD + "#T_SP=webanno.custom.Span|value\n\n\n#Text=a\n1-1\t0-1\ta\n", 6, "needs 4"),
    (HEAD + "\n\n#Text=a\n1-1\t0-x\ta\t\n", 5, "not a token line"),
    (HEAD + "\n\n#Text=ab\n1-1\t0-1\tb\t\n", 5, "token 1-1 is 'b'"),
    (HEAD + "\n\n#Text=ab\n1-1\t0-9\tab\t\n", 5, "do not fit"),
    (HEAD + "#T_RL=webanno.custom.R|value|BT_webanno.custom.S\n#T_SP=webanno.custom.S|x\n\n\n"
     "#Text=a\n1-1\t0-1\ta\tv\t7-7\t*\t\n", 7, "7-7"),
    (HEAD + "#T_SP=webanno.custom.S|x\n\n\n#Text=a b\n1-1\t0-1\ta\tv[x]\t\n", 6,
     "disambiguation id"),
    (HEAD + "\n\n1-1\t0-1\ta\t\n", 4, "without a #Text="),
])
def test_bad_files_are_refused_in_one_line_naming_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, line: int,
        words: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(BadInputError) as exc:
        read(path)
    assert words in str(exc.value) and exc.value.line == line
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    before = (hashlib.sha256(proj.read_bytes()).hexdigest(), proj.stat().st_mtime_ns)
    capsys.readouterr()
    assert main(["import", str(proj), str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{path}:{line}:" in err[0] and "Traceback" not in err[0]
    assert (hashlib.sha256(proj.read_bytes()).hexdigest(), proj.stat().st_mtime_ns) == before


def test_cli_auto_detects_a_webanno_tsv_file_and_format_option(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    export([sample_doc("d1")], out)
    for n, extra in enumerate(([], ["--format", "webanno-tsv"])):
        proj = tmp_path / f"p{n}.annot"
        assert main(["new", str(proj), "--annotator", "ann"]) == 0
        capsys.readouterr()
        assert main(["import", str(proj), str(out / "d1.tsv"), *extra]) == 0
        said = capsys.readouterr()
        assert "imported 1 document(s)" in said.out
        with Project.open(proj) as p:
            docs = list(p.iter_corpus())
        assert [d.text for d in docs] == [TEXT]
        assert {(s.layer, s.label) for s in docs[0].spans} >= {("hedging", "hedge"),
                                                              ("attribution", "source")}


def test_a_webanno_tsv_file_imported_as_csv_points_to_the_tsv_format(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--format csv`` on a WebAnno TSV file: one line naming the file, pointing to
    ``--format webanno-tsv`` (which reads it), not the old 'cannot read yet'; project
    untouched."""
    out = tmp_path / "out"
    export([sample_doc("d1")], out)
    path = out / "d1.tsv"
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    before = (hashlib.sha256(proj.read_bytes()).hexdigest(), proj.stat().st_mtime_ns)
    capsys.readouterr()
    assert main(["import", str(proj), str(path), "--format", "csv"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"{path}:1:" in err[0] and "Traceback" not in err[0]
    assert "--format webanno-tsv" in err[0] and "cannot read" not in err[0]
    assert (hashlib.sha256(proj.read_bytes()).hexdigest(), proj.stat().st_mtime_ns) == before
    assert main(["import", str(proj), str(path), "--format", "webanno-tsv"]) == 0


def test_a_folder_of_tsv_files_is_one_import(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    docs = [sample_doc("one"), CorpusDocument("two", "Second text here.")]
    out = tmp_path / "out"
    export(docs, out)
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    assert main(["import", str(proj), str(out)]) == 0
    with Project.open(proj) as p:
        assert sorted(d.name for d in p.iter_corpus()) == ["one", "two"]


def test_document_level_annotations_are_reported_as_not_written(tmp_path: Path) -> None:
    from annotator.core.model import DocAnnotationRecord

    doc = CorpusDocument("d", "Some text.", doc_annotations=[
        DocAnnotationRecord("genre", "news"), DocAnnotationRecord("article_stance", "against")])
    summary = get_format("webanno-tsv").write([doc], tmp_path / "o", default_tagset(),
                                              WriteOptions())
    assert summary.dropped == {
        "document-level annotation (WebAnno TSV has no place for them)": 2}
