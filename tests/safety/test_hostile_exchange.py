"""Hostile brat and XMI files: refused in one line naming file (and line), the project left
byte-identical; and an export whose texts hold characters XML 1.0 cannot carry still writes
every document, with the offsets right."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from safety_helpers import sample_doc

from annotator.cli import main
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project
from annotator.formats._textfile import MAX_DOCUMENT_BYTES

XMI_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?>\n<xmi:XMI xmlns:tcas="http:///uima/tcas.ecore" '
            b'xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" '
            b'xmi:version="2.0"><cas:NULL xmi:id="0"/>')
TYPESYSTEM = (b'<?xml version="1.0" encoding="UTF-8"?>\n<typeSystemDescription '
              b'xmlns="http://uima.apache.org/resourceSpecifier"><types/></typeSystemDescription>')


def state(path: Path) -> tuple[str, int, list[str]]:
    """Bytes (hashed), mtime and the folder's other files: "untouched" means all three equal."""
    return (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns,
            sorted(p.name for p in path.parent.iterdir()))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj" / "p.annot"
    proj.parent.mkdir()
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("doc")])
    return proj


def refused(project: Path, path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Import ``path``; assert exit 1, one stderr line, project untouched; return the line."""
    before = state(project)
    code = main(["import", str(project), str(path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1, err
    assert len(err) == 1, err
    assert "Traceback" not in err[0] and len(err[0]) < 400, err[0][:500]
    assert state(project) == before
    return err[0]


def sparse(path: Path, head: bytes, size: int) -> None:
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)


@pytest.mark.parametrize("which", ["txt", "ann"])
def test_brat_file_over_the_document_limit_is_refused(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], which: str) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("Officials said so.\n")
    (folder / "a.ann").write_text("T1\tX 0 9\tOfficials\n")
    sparse(folder / f"a.{which}", b"Officials said so. ", 60 * 1024 * 1024)  # 60 MB
    line = refused(project, folder, capsys)
    assert f"a.{which}" in line and "too large" in line and "60 MB" in line


@pytest.mark.parametrize("which", ["a.xmi", "TypeSystem.xml"])
def test_xmi_file_over_the_document_limit_is_refused(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], which: str) -> None:
    folder = tmp_path / "xmi"
    folder.mkdir()
    (folder / "TypeSystem.xml").write_bytes(TYPESYSTEM)
    (folder / "a.xmi").write_bytes(XMI_HEAD + b'<cas:Sofa xmi:id="1" sofaNum="1" '
                                   b'sofaID="_InitialView" sofaString="Hi."/></xmi:XMI>')
    sparse(folder / which, b"<?xml version='1.0'?><x>", MAX_DOCUMENT_BYTES + 1)
    line = refused(project, folder, capsys)
    assert which in line and "too large" in line


@pytest.mark.parametrize(("sofa", "words"), [
    (b'<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text/plain"/>',
     "no text"),
    (b'<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text/plain" '
     b'sofaURI="file:/srv/texts/a.txt"/>', "not in the file"),
    (b'<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text/plain" '
     b'sofaString=""/>', "empty"),
])
def test_xmi_sofa_without_text_is_refused(project: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str], sofa: bytes,
                                          words: str) -> None:
    folder = tmp_path / "xmi"
    folder.mkdir()
    (folder / "TypeSystem.xml").write_bytes(TYPESYSTEM)
    (folder / "a.xmi").write_bytes(
        XMI_HEAD + b'<tcas:DocumentAnnotation xmi:id="2" sofa="1" begin="0" end="5"/>' + sofa
        + b'<cas:View sofa="1" members="2"/></xmi:XMI>')
    line = refused(project, folder, capsys)
    assert "a.xmi" in line and words in line


@pytest.mark.parametrize("kind", ["T", "R", "A", "#", "M"])
def test_brat_line_of_30000_colons_is_one_short_message(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    """The message names file and line and does not echo the 30,000 characters back (the
    parsing time is measured by bench/bench_brat_hostile.py)."""
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("Officials said so.\n")
    (folder / "a.ann").write_text("T1\tX 0 9\tOfficials\n" + f"{kind}1\tx " + ":" * 30000 + "\n")
    line = refused(project, folder, capsys)
    assert "a.ann:2:" in line


def test_brat_line_naming_a_30000_character_annotation_is_cut_in_the_message(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text("Officials said so.\n")
    (folder / "a.ann").write_text("T1\tX 0 9\tOfficials\nA1\tNeg T" + "9" * 30000 + "\n")
    line = refused(project, folder, capsys)
    assert "a.ann:2:" in line and "is not an annotation" in line and "…" in line


CONTROL_TEXT = "Page one\x0cpage two: NUL\x00 here, escape \x1b, and \ufffe; said “maybe”."


def test_xmi_export_with_control_characters_writes_every_document(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cassis import load_cas_from_xmi, load_typesystem

    proj = tmp_path / "p.annot"
    start = CONTROL_TEXT.index("maybe")
    odd = CorpusDocument(name="odd", title="odd", text=CONTROL_TEXT, spans=[
        SpanRecord("s1", "hedging", "hedge", ((start, start + 5),), note="see\x0bthis"),
        SpanRecord("s2", "hedging", "hedge", ((0, 13),))])
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("fine"), odd])
    out = tmp_path / "out"
    assert main(["export", str(proj), "--format", "xmi", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "odd: 5 character(s) that XML 1.0 cannot hold" in err and "U+FFFD" in err
    assert "fine:" not in err
    assert sorted(p.name for p in out.iterdir()) == ["TypeSystem.xml", "fine.xmi", "odd.xmi"]
    with (out / "TypeSystem.xml").open("rb") as fh:
        ts = load_typesystem(fh)
    with (out / "odd.xmi").open("rb") as fh:
        cas = load_cas_from_xmi(fh, typesystem=ts)
    written = cas.sofa_string
    assert len(written) == len(CONTROL_TEXT)  # one for one: no offset moved
    assert [i for i, (a, b) in enumerate(zip(written, CONTROL_TEXT, strict=True)) if a != b] \
        == [i for i, c in enumerate(CONTROL_TEXT) if c in "\x0c\x00\x1b\ufffe"]
    assert {written[0]} <= set(CONTROL_TEXT) and "\ufffd" in written
    got = sorted((a.begin, a.end, a.get_covered_text(), a.get("note"))
                 for a in cas.select_all_annotations() if a.type.name.startswith("webanno.custom"))
    assert got == [(0, 13, "Page one\ufffdpage", None), (start, start + 5, "maybe", "see\ufffdthis")]
    # and the folder reads back in: same offsets, the replaced characters as U+FFFD
    back = tmp_path / "back.annot"
    assert main(["new", str(back)]) == 0
    assert main(["import", str(back), str(out)]) == 0
    with Project.open(back) as p:
        docs = {d.name: d for d in p.iter_corpus()}
    assert docs["odd"].text == written
    assert sorted(s.fragments for s in docs["odd"].spans) == [((0, 13),),
                                                             ((start, start + 5),)]


def test_xmi_export_cleans_labels_attributes_metadata_and_relations(tmp_path: Path) -> None:
    """Not only the text: every string a CAS carries is made writable, and counted."""
    from annotator.core.model import RelationRecord
    from annotator.core.tagset import default_tagset
    from annotator.formats.registry import WriteOptions, get_format

    doc = CorpusDocument(
        name="d\x01", title="T\ufffeitle", text="Officials said so.", meta={"src": "a\x07b"},
        spans=[SpanRecord("s1", "hedging", "he\x0bdge", ((0, 9),),
                          {"certainty": "lo\x00w", "list": ["x\ufffe"]}),
               SpanRecord("s2", "hedging", "hedge", ((10, 14),))],
        relations=[RelationRecord("r1", "at\x1ftributed", "s1", "s2", {"why": "\x0c"})])
    summary = get_format("xmi").write([doc], tmp_path / "out", default_tagset(), WriteOptions())
    assert summary.documents == 1 and summary.spans == 2 and summary.relations == 1
    [warning] = summary.warnings
    # name, title, label, two attribute values, relation type; JSON escapes \x07 and \x0c itself
    assert warning.startswith("d\ufffd: 6 character(s)")
    assert len(list((tmp_path / "out").glob("*.xmi"))) == 1


@pytest.mark.parametrize("fifo", ["b.txt", "b.ann"])
def test_a_fifo_inside_a_brat_folder_is_refused_not_waited_on(tmp_path: Path, fifo: str) -> None:
    """A named pipe in a brat folder hung the import for ever (nothing writes to it)."""
    import os
    import subprocess
    import sys

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Sony said.\n", encoding="utf-8")
    (folder / "a.ann").write_text("T1\tOrg 0 4\tSony\n", encoding="utf-8")
    for name in ("b.txt", "b.ann"):
        if name == fifo:
            os.mkfifo(folder / name)
        else:
            (folder / name).write_text("" if name.endswith(".ann") else "Hi.\n",
                                       encoding="utf-8")
    project = tmp_path / "p.annot"
    subprocess.run([sys.executable, "-m", "annotator", "new", str(project)], check=True,
                   capture_output=True)
    before = (project.read_bytes(), project.stat().st_mtime_ns)
    done = subprocess.run([sys.executable, "-m", "annotator", "import", str(project), str(folder),
                           "--format", "brat"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and fifo in lines[0] and "FIFO" in lines[0], done.stderr
    assert (project.read_bytes(), project.stat().st_mtime_ns) == before
