"""An import whose files are read but hold no document to import (every one skipped by its
reader, or none there) is refused: exit 1, one line on stderr naming the file, the project file
byte-identical. Before, the command said "imported 0 document(s)", exited 0 and rewrote the
project file."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.cli import main


def bioscope_without_text(tmp: Path) -> tuple[Path, str]:
    path = tmp / "b.xml"
    path.write_text("<Annotation><DocumentSet><Document><DocID>1</DocID></Document>"
                    "</DocumentSet></Annotation>", encoding="utf-8")
    return path, "bioscope"


def empty_brat_folder(tmp: Path) -> tuple[Path, str]:
    (tmp / "brat").mkdir()
    (tmp / "brat" / "annotation.conf").write_text("[entities]\nX\n", encoding="utf-8")
    return tmp / "brat", "brat"


def inception_without_documents(tmp: Path) -> tuple[Path, str]:
    path = tmp / "inc.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("exportedproject.json", json.dumps(
            {"name": "x", "source_documents": [], "annotation_documents": []}))
    return path, "inception"


def semeval_header_only(tmp: Path) -> tuple[Path, str]:
    path = tmp / "trial.txt"
    path.write_bytes(b"ID\tTarget\tTweet\tStance\r\n")
    return path, "semeval-stance"


def mpqa_without_documents(tmp: Path) -> tuple[Path, str]:
    (tmp / "mpqa" / "docs").mkdir(parents=True)
    (tmp / "mpqa" / "man_anns").mkdir()
    return tmp / "mpqa", "mpqa"


CASES: list[Callable[[Path], tuple[Path, str]]] = [
    bioscope_without_text, empty_brat_folder, inception_without_documents,
    semeval_header_only, mpqa_without_documents]


@pytest.mark.parametrize("make", CASES, ids=lambda f: f.__name__)
def test_nothing_left_to_import_is_refused_and_the_project_is_untouched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        make: Callable[[Path], tuple[Path, str]]) -> None:
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    source, fmt = make(tmp_path)
    capsys.readouterr()
    before = proj.read_bytes()
    code = main(["import", str(proj), str(source), "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1, err
    assert source.name in err and "nothing to import" in err
    assert proj.read_bytes() == before


def test_the_readers_note_is_in_the_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    source, fmt = bioscope_without_text(tmp_path)
    capsys.readouterr()
    assert main(["import", str(proj), str(source), "--format", fmt]) == 1
    err = capsys.readouterr().err
    assert err.strip().endswith("b.xml: nothing to import: every document was skipped "
                                "(1 document(s) without text (skipped))")


def test_notes_still_come_before_a_successful_import(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    path = tmp_path / "b.xml"
    path.write_text("<Annotation><DocumentSet><Document><DocID>1</DocID></Document>"
                    "<Document><DocID>2</DocID><DocumentPart type=\"Text\" id=\"p1\">"
                    "<sentence id=\"s1\">It may work.</sentence></DocumentPart></Document>"
                    "</DocumentSet></Annotation>", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(proj), str(path), "--format", "bioscope"]) == 0
    out, err = capsys.readouterr()
    assert "1 document(s) without text (skipped)" in err and "imported 1 document" in out
