"""REFI-QDA: bad archives refused in one line naming the file, the project untouched; GUIDs
stable; names that XML cannot hold."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.tagset import default_tagset
from annotator.formats.refi_qda import guid
from annotator.formats.registry import ReadOptions, WriteOptions, get_format

HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'
NS = 'xmlns="urn:QDA-XML:project:1.0"'
CODES = ('<CodeBook><Codes><Code guid="11111111-1111-4111-8111-111111111111" name="c" '
         'isCodable="true"/></Codes></CodeBook>')


def qdpx(tmp_path: Path, qde: str | None, files: dict[str, str] | None = None,
         name: str = "p.qdpx") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        if qde is not None:
            zf.writestr("project.qde", qde)
        for n, text in (files or {}).items():
            zf.writestr(n, text)
    return path


def source(sel: str = "", path: str = "internal://a.txt") -> str:
    return (f'{HEAD}<Project {NS} name="x">{CODES}<Sources><TextSource guid='
            f'"22222222-2222-4222-8222-222222222222" name="doc" plainTextPath="{path}">{sel}'
            '</TextSource></Sources></Project>')


SEL = ('<PlainTextSelection guid="33333333-3333-4333-8333-333333333333" startPosition="{s}" '
       'endPosition="{e}"><Coding guid="44444444-4444-4444-8444-444444444444"><CodeRef '
       'targetGUID="{c}"/></Coding></PlainTextSelection>')
CODE = "11111111-1111-4111-8111-111111111111"


@pytest.mark.parametrize(("build", "words"), [
    (lambda t: t / "p.qdpx", "no such file"),
    (lambda t: (t / "p.qdpx").write_bytes(b"not a zip") and t / "p.qdpx", "not a readable ZIP"),
    (lambda t: qdpx(t, None, {"x.txt": "a"}), "has no project.qde"),
    (lambda t: qdpx(t, "<Project"), "not well-formed XML"),
    (lambda t: qdpx(t, f'{HEAD}<!DOCTYPE p [<!ENTITY e "x">]><Project {NS}>&e;</Project>'),
     "DTD or entities"),
    (lambda t: qdpx(t, f"{HEAD}<CodeBook/>"), "root element of project.qde is not Project"),
    (lambda t: qdpx(t, source()), "sources/a.txt is not in the .qdpx"),
    (lambda t: qdpx(t, source(path="internal://../../etc/passwd"), {"sources/a.txt": "x"}),
     "not at a file inside the .qdpx"),
    (lambda t: qdpx(t, source(path="absolute:///etc/passwd")), "not at a file inside"),
    (lambda t: qdpx(t, source(SEL.format(s=0, e=99, c=CODE)), {"sources/a.txt": "hello"}),
     "[0, 99) lies outside the text"),
    (lambda t: qdpx(t, source(SEL.format(s="x", e=2, c=CODE)), {"sources/a.txt": "hello"}),
     "are not numbers"),
    (lambda t: qdpx(t, source(SEL.format(s=0, e=2, c="99999999-1111-4111-8111-111111111111")),
                    {"sources/a.txt": "hello"}), "names a code the code book does not have"),
    (lambda t: qdpx(t, source(), {"sources/a.txt": "\udcff"}), "not UTF-8"),
])
def test_bad_archives_are_refused_in_one_line(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              build, words: str) -> None:  # noqa: ANN001
    try:
        path = build(tmp_path)
    except UnicodeEncodeError:  # a lone surrogate cannot be written as text: write bytes
        path = tmp_path / "p.qdpx"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("project.qde", source())
            zf.writestr("sources/a.txt", b"\xff\xfe bad")
    proj = tmp_path / "x.annot"
    assert main(["new", str(proj)]) == 0
    before = (hashlib.sha256(proj.read_bytes()).hexdigest(), proj.stat().st_mtime_ns)
    capsys.readouterr()
    assert main(["import", str(proj), str(path), "--format", "refi-qda"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0] and str(path) in err[0], err
    assert "Traceback" not in err[0]
    assert (hashlib.sha256(proj.read_bytes()).hexdigest(), proj.stat().st_mtime_ns) == before


def test_selection_codes_and_text_read_exactly(tmp_path: Path) -> None:
    text = "a\r\nb 😀 c"
    path = qdpx(tmp_path, source(SEL.format(s=5, e=6, c="{" + CODE.lower() + "}")),
                {"sources/a.txt": text})
    doc = next(get_format("refi-qda").read(path, ReadOptions(annotator="me")))
    assert doc.text == text
    assert [(s.layer, s.label, doc.text[s.start:s.end], s.annotator) for s in doc.spans] == [
        ("imported", "c", "😀", "me")]


def test_guids_are_stable_and_valid_and_xml_safe_names(tmp_path: Path) -> None:
    assert guid("document", "d") == guid("document", "d") != guid("document", "e")
    doc = CorpusDocument("d\x0c1", "Form\x0cfeed text.",
                         spans=[SpanRecord("s", "hedging", "hedge", ((0, 4),),
                                           note="bad \x01 char", annotator="a\x02b")])
    out = tmp_path / "o.qdpx"
    get_format("refi-qda").write([doc], out, default_tagset(), WriteOptions())
    qde = zipfile.ZipFile(out).read("project.qde").decode("utf-8")
    assert "\x0c" not in qde and "\x01" not in qde and "\ufffd" in qde
    assert zipfile.ZipFile(out).read(
        f"sources/{guid('document', doc.name)}.txt").decode("utf-8") == doc.text  # exact
    back = next(get_format("refi-qda").read(out, ReadOptions(annotator="me")))
    assert back.text == doc.text and back.spans[0].note == "bad \ufffd char"
