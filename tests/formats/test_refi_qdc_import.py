"""``annotator import PROJECT codebook.qdc``: a REFI-QDA codebook's codes become labels of the
project's tagset, through the command line. The spec example is the REFI-QDA standard's own
(tests/corpora/refi-qda/spec-examples)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project

SPEC = Path(__file__).resolve().parents[1] / "corpora" / "refi-qda" / "spec-examples"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def new_project(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str = "p.annot",
                *extra: str) -> Path:
    proj = tmp_path / name
    assert run(capsys, "new", str(proj), *extra)[0] == 0
    return proj


def test_the_standards_example_codebook_becomes_labels_with_colours_and_descriptions(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = new_project(tmp_path, capsys)
    code, out, err = run(capsys, "import", str(proj), str(SPEC / "example1-codebook.qdc"))
    assert code == 0, err
    assert "imported 4 code(s) into the tagset" in out
    assert "added to the tagset: imported:Economy, imported:Health care" in err
    with Project.open(proj, readonly=True) as p:
        economy = p.tagset.label("imported", "Economy")
        assert economy is not None and economy.color == "#ffff00"
        assert economy.description == "Anything about jobs or taxes or business"
        assert p.tagset.label("imported", "Liberals") is not None
        assert p.tagset.label("stance", "stance") is not None  # the default layers stay
        assert p.documents() == []


def test_a_codebook_exported_from_one_project_adds_its_labels_to_another(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tagset = tmp_path / "mine.toml"
    tagset.write_text('name = "mine"\n[[layers]]\nname = "frames"\n  [[layers.labels]]\n'
                      '  name = "conflict"\n  color = "#123456"\n  description = "Two sides"\n'
                      '[[layers]]\nname = "hedging"\n  [[layers.labels]]\n  name = "hedge"\n'
                      '  [[layers.labels]]\n  name = "approximator"\n', encoding="utf-8")
    source = new_project(tmp_path, capsys, "a.annot", "--tagset", str(tagset))
    assert run(capsys, "export", str(source), "--format", "refi-qdc", "-o",
               str(tmp_path / "book.qdc"))[0] == 0
    target = new_project(tmp_path, capsys, "b.annot")
    code, out, err = run(capsys, "import", str(target), str(tmp_path / "book.qdc"), "--json")
    assert code == 0, err
    # hedging:hedge is the default tagset's already: only what is new is added
    assert json.loads(out) == {"labels_added": ["frames:conflict", "hedging:approximator"]}
    with Project.open(target, readonly=True) as p:
        conflict = p.tagset.label("frames", "conflict")
        assert conflict is not None and conflict.color == "#123456"
        assert conflict.description == "Two sides"
        assert [lab.name for lab in p.tagset.layer("hedging").labels] == [
            "hedge", "scope", "booster", "approximator"]


def test_a_codebook_whose_codes_are_all_labels_already_is_refused_and_nothing_changes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = new_project(tmp_path, capsys)
    book = tmp_path / "same.qdc"
    assert run(capsys, "export", str(proj), "--format", "refi-qdc", "-o", str(book))[0] == 0
    before = proj.read_bytes()
    code, out, err = run(capsys, "import", str(proj), str(book))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "same.qdc" in err and "already a label" in err
    assert proj.read_bytes() == before


@pytest.mark.parametrize(("content", "words"), [
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', "no codable code"),
    ('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="a" name="" '
     'isCodable="true"/></Codes></CodeBook>', "has no name"),
    ('<Project xmlns="urn:QDA-XML:project:1.0"/>', "not a REFI-QDA codebook"),
    ("<CodeBook><Codes>", "book.qdc"),
])
def test_bad_codebooks_are_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: str) -> None:
    proj = new_project(tmp_path, capsys)
    book = tmp_path / "book.qdc"
    book.write_text(content, encoding="utf-8")
    before = proj.read_bytes()
    code, _, err = run(capsys, "import", str(proj), str(book))
    assert code == 1 and err.count("\n") == 1 and words in err and "book.qdc" in err
    assert proj.read_bytes() == before


def test_a_codebook_mixed_with_documents_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = new_project(tmp_path, capsys)
    (tmp_path / "a.txt").write_text("Some text.\n", encoding="utf-8")
    before = proj.read_bytes()
    code, _, err = run(capsys, "import", str(proj), str(SPEC / "example1-codebook.qdc"),
                       str(tmp_path / "a.txt"))
    assert code == 1 and err.count("\n") == 1 and "on its own" in err
    assert proj.read_bytes() == before
