"""Round-2 hostile attacks on the new commands and formats: each refused with one stderr line
(exit 1, no traceback) or answered, and the project untouched."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from safety_helpers import refused

from annotator.cli import main


def state(path: Path) -> tuple[bytes, int, list[str]]:
    """Bytes, mtime and the sibling files of ``path``: "untouched" means all three equal."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def make_project(tmp_path: Path, *lines: dict[str, object]) -> Path:
    project = tmp_path / "p.annot"
    src = tmp_path / "docs.jsonl"
    src.write_text("".join(json.dumps(obj) + "\n" for obj in lines), encoding="utf-8")
    assert main(["new", str(project)]) == 0
    assert main(["import", str(project), str(src)]) == 0
    src.unlink()
    return project


def hedge(doc: str, text: str) -> dict[str, object]:
    return {"id": doc, "text": text,
            "spans": [{"layer": "hedging", "label": "hedge", "start": 0, "end": len(text)}]}


# --- query -----------------------------------------------------------------------------------

def test_query_catastrophic_regex_is_stopped_not_hung(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """/(a|aa)+$/ on 40 a's and a '!' backtracks for hours with Python's re."""
    project = make_project(tmp_path, hedge("d", "a" * 40 + "!"))
    before = state(project)
    refused(capsys, ["query", str(project), "text ~ /(a|aa)+$/"], "takes too long", "position")
    assert state(project) == before


def test_query_chained_thousands_deep_is_refused(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """3000 chained 'inside' clauses used to end in a RecursionError traceback."""
    project = make_project(tmp_path, hedge("d", "maybe"))
    q = "hedging:hedge inside " * 3000 + "hedging:hedge"
    refused(capsys, ["query", str(project), q], "chains more than")


def test_query_regex_still_searches(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path, hedge("d", "Perhaps"), hedge("e", "surely"))
    capsys.readouterr()
    assert main(["query", "--json", str(project), "text ~ /perhaps/i"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["document"] for r in rows] == ["d"]


# --- refi-qda ------------------------------------------------------------------------------

QDE_EMPTY = ('<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x">'
             '<Sources><PDFSource guid="11111111-1111-1111-1111-111111111111" name="p"/>'
             '</Sources></Project>')


@pytest.mark.parametrize("qde", [QDE_EMPTY, "<Project>" + "<a>" * 5000 + "</a>" * 5000
                                 + "</Project>"], ids=["only a PDF source", "deep, no sources"])
def test_refi_qda_without_text_sources_is_refused(tmp_path: Path, qde: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A .qdpx with no TextSource used to 'import 0 document(s)', exit 0, and write the file."""
    import zipfile

    project = make_project(tmp_path, hedge("d", "maybe"))
    qdpx = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(qdpx, "w") as z:
        z.writestr("project.qde", qde)
    before = state(project)
    refused(capsys, ["import", "--format", "refi-qda", str(project), str(qdpx)],
            "empty.qdpx", "no text source")
    assert state(project) == before


# --- a project path that is a named pipe ---------------------------------------------------

@pytest.mark.timeout(60)
@pytest.mark.parametrize("args", [["list", "P"], ["query", "P", "*:*"], ["suggest", "P"],
                                  ["agree", "P"], ["distribute", "P", "-o", "D", "--annotators",
                                                   "a,b"], ["collect", "-o", "S", "P"]],
                         ids=lambda a: a[0])
def test_a_fifo_as_project_is_refused_not_waited_on(tmp_path: Path, args: list[str],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Every command opening a FIFO named as project used to block forever in open()."""
    fifo = tmp_path / "p.annot"
    os.mkfifo(fifo)
    subs = {"P": str(fifo), "D": str(tmp_path / "dist"), "S": str(tmp_path / "study.annot")}
    refused(capsys, [subs.get(a, a) for a in args], "p.annot", "named pipe")
    assert sorted(os.listdir(tmp_path)) == ["p.annot"]


# --- agree ---------------------------------------------------------------------------------

def coder(tmp_path: Path, name: str, end: int) -> Path:
    project = tmp_path / f"{name}.annot"
    src = tmp_path / f"{name}.jsonl"
    lines = [{"id": d, "text": "maybe so, perhaps not",
              "spans": [{"layer": "hedging", "label": "hedge", "start": 0, "end": end}]}
             for d in ("a", "b", "c")]
    src.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    assert main(["new", "--annotator", name, str(project)]) == 0
    assert main(["import", str(project), str(src)]) == 0
    src.unlink()
    return project


def test_agree_negative_seed_is_one_line(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """--seed -5 used to end in numpy's 'expected non-negative integer' traceback."""
    a, b = coder(tmp_path, "ann", 5), coder(tmp_path, "bob", 8)
    before = state(a), state(b)
    refused(capsys, ["agree", str(a), str(b), "--seed", "-5"], "--seed")
    assert (state(a), state(b)) == before
    capsys.readouterr()
    assert main(["agree", str(a), str(b), "--seed", str(10 ** 30), "--json"]) == 0


# --- collect -------------------------------------------------------------------------------

def test_collect_two_files_of_one_coder_is_refused(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A coder's file and a copy of it used to be reported as '2 of 6 document(s) coded,
    2 span(s)' for one coder while the study held the spans once."""
    a = coder(tmp_path, "ann", 5)
    copy = tmp_path / "ann-copy.annot"
    copy.write_bytes(a.read_bytes())
    study = tmp_path / "study.annot"
    before = sorted(os.listdir(tmp_path))
    refused(capsys, ["collect", "-o", str(study), str(a), str(copy)], "ann", "coder")
    assert sorted(os.listdir(tmp_path)) == before


# --- suggest -------------------------------------------------------------------------------

def test_suggest_document_not_utf8_is_one_line(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """--document given non-UTF-8 bytes (a lone surrogate in argv) used to end in a
    UnicodeEncodeError traceback from the database driver."""
    project = make_project(tmp_path, hedge("d", "maybe"))
    before = state(project)
    refused(capsys, ["suggest", str(project), "--document", "\udcff"], "no document")
    assert state(project) == before


# --- inception -----------------------------------------------------------------------------

@pytest.mark.parametrize("description", ['{"name": ' * 3000 + "1" + "}" * 3000,
                                         '{"name": "x", "n": NaN}'], ids=["deep", "nan"])
def test_inception_project_description_damaged_is_one_line(
        tmp_path: Path, description: str, capsys: pytest.CaptureFixture[str]) -> None:
    """exportedproject.json nested 3000 deep used to end in a RecursionError traceback."""
    import zipfile

    project = make_project(tmp_path, hedge("d", "maybe"))
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("exportedproject.json", description)
    before = state(project)
    refused(capsys, ["import", "--format", "inception", str(project), str(archive)],
            "exportedproject.json")
    assert state(project) == before
