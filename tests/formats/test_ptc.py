"""SemEval-2020 Task 11 / PTC and SemEval-2023 Task 3 label files, through the command line.

The articles here are our own text (the shared tasks' articles may not be redistributed); the
file layouts, row forms and technique spellings are those of the tasks' READMEs (PTC version 2
``datasets/README.md``: ``C1 article ID, C2 technique, C3 start (inclusive), C4 end
(exclusive)``, SI files without C2; SemEval-2023 Task 3 README: ``article{ID}.txt``, paragraph
rows ``article_id<TAB>paragraph_id<TAB>technique_1,…``, and its ``article1234`` example)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project
from annotator.core.tagset import default_tagset

TITLE = "Officials claim the plan is a total disaster\n\n"
BODY = ("The so-called experts, a gang of frauds, said it again and again.\n"
        "Either we act now or we lose everything, they warned.\n"
        "Make our town great, the crowd chanted.\n")
TEXT = TITLE + BODY


def at(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


ROWS = [("Loaded_Language", at("total disaster")),
        ("Name_Calling,Labeling", at("a gang of frauds")),
        ("Repetition", at("again and again")),
        ("Black-and-White_Fallacy", at("Either we act now or we lose everything")),
        ("Slogans", at("Make our town great")),
        ("Bandwagon,Reductio_ad_hitlerum", at("the crowd chanted"))]


def semeval2020(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "article111111111.txt").write_text(TEXT, encoding="utf-8")
    (folder / "article111111111.task-flc-tc.labels").write_text(
        "".join(f"111111111\t{t}\t{s}\t{e}\n" for t, (s, e) in ROWS), encoding="utf-8")
    # SI: the same spans without technique, plus one more
    (folder / "article111111111.task-si.labels").write_text(
        "".join(f"111111111\t{s}\t{e}\n" for _, (s, e) in ROWS)
        + "111111111\t{}\t{}\n".format(*at("they warned")), encoding="utf-8")
    return folder


def run(*args: str) -> int:
    return main(list(args))


def imported(tmp_path: Path, source: Path, capsys: pytest.CaptureFixture[str]
             ) -> tuple[int, str, dict]:
    proj = tmp_path / "p.annot"
    if not proj.exists():
        assert run("new", str(proj)) == 0
    capsys.readouterr()
    code = run("import", str(proj), str(source), "--format", "ptc")
    err = capsys.readouterr().err
    with Project.open(proj, readonly=True) as p:
        docs = {d.name: d for d in p.iter_corpus()}
    return code, err, docs


def test_semeval2020_folder_imports_onto_the_default_tagset_with_no_manual_step(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err, docs = imported(tmp_path, semeval2020(tmp_path / "in"), capsys)
    assert code == 0, err
    doc = docs["article111111111"]
    assert doc.text == TEXT
    got = sorted((doc.text[s.start:s.end], s.layer, s.label, s.attributes.get("technique"))
                 for s in doc.spans)
    assert got == sorted([
        ("total disaster", "rhetoric", "technique", "loaded_language"),
        ("a gang of frauds", "rhetoric", "technique", "name_calling"),
        ("again and again", "rhetoric", "technique", "repetition"),
        ("Either we act now or we lose everything", "rhetoric", "technique", "black_and_white"),
        ("Make our town great", "rhetoric", "technique", "slogans"),
        ("the crowd chanted", "rhetoric", "technique", "bandwagon_reductio_ad_hitlerum"),
        ("they warned", "rhetoric", "technique", None)])  # SI only: no technique
    listed = next(a for a in default_tagset().attributes_for("rhetoric", "technique")
                  if a.name == "technique").values
    assert {s.attributes["technique"] for s in doc.spans if "technique" in s.attributes} - \
        set(listed) == {"bandwagon_reductio_ad_hitlerum"}
    # what the tagset lacks is said, and the SI spans already given are imported once
    assert "techniques the default tagset does not list" in err
    assert "1 Bandwagon,Reductio_ad_hitlerum" in err
    assert "6 span(s) without a technique (SemEval-2020 SI) are also given" in err
    assert "added to the tagset" not in err  # rhetoric:technique is the default tagset's


def test_export_writes_the_rows_back_as_they_came(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = semeval2020(tmp_path / "in")
    imported(tmp_path, source, capsys)
    out = tmp_path / "out"
    assert run("export", str(tmp_path / "p.annot"), "--format", "ptc", "-o", str(out)) == 0
    assert (out / "article111111111.txt").read_bytes() == TEXT.encode("utf-8")
    rows = (out / "article111111111.task-flc-tc.labels").read_text(encoding="utf-8")
    assert sorted(rows.splitlines()) == sorted(
        (source / "article111111111.task-flc-tc.labels").read_text(encoding="utf-8")
        .splitlines())
    said = capsys.readouterr().out
    assert "dropped 1: technique spans without a technique" in said  # the SI-only span


def test_one_labels_file_for_several_articles_and_2023_spellings(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "article111111112.txt").write_text(TEXT, encoding="utf-8")
    (folder / "article111111113.txt").write_text(BODY, encoding="utf-8")
    s, e = at("a gang of frauds")
    (folder / "train-labels-subtask-3-spans.txt").write_text(
        f"111111112\tName_Calling-Labeling\t{s}\t{e}\n"
        f"111111113\tAppeal_to_Hypocrisy\t0\t10\n"
        f"111111113\tFalse_Dilemma-No_Choice\t66\t105\n", encoding="utf-8")
    code, err, docs = imported(tmp_path, folder, capsys)
    assert code == 0, err
    [calling] = docs["article111111112"].spans
    # the value is the tagset's; the 2023 spelling is kept for the export
    assert calling.attributes == {"technique": "name_calling",
                                  "ptc_technique": "Name_Calling-Labeling"}
    other = docs["article111111113"]
    assert sorted((s.attributes["technique"], other.text[s.start:s.end]) for s in other.spans) \
        == [("appeal_to_hypocrisy", "The so-cal"),
            ("black_and_white", "Either we act now or we lose everything")]
    out = tmp_path / "out"
    assert run("export", str(tmp_path / "p.annot"), "--format", "ptc", "-o", str(out)) == 0
    assert (out / "article111111112.task-flc-tc.labels").read_text(encoding="utf-8") == \
        f"111111112\tName_Calling-Labeling\t{s}\t{e}\n"


def test_semeval2023_paragraph_rows_the_readme_example(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The README's article1234.txt: paragraphs are the file's lines, counted from 1."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "article1234.txt").write_text(
        "The book is on the table\n\nThe table is under the book\n", encoding="utf-8")
    (folder / "article1234-labels-subtask-3.txt").write_text(
        "1234\t1\tSlogans\n1234\t3\tLoaded_Language,Doubt\n", encoding="utf-8")
    (folder / "article1234.template").write_text(
        "1234\t1\tThe book is on the table\n1234\t3\tThe table is under the book\n",
        encoding="utf-8")
    code, err, docs = imported(tmp_path, folder, capsys)
    assert code == 0, err
    doc = docs["article1234"]
    assert sorted((doc.text[s.start:s.end], s.attributes["technique"]) for s in doc.spans) == [
        ("The book is on the table", "slogans"),
        ("The table is under the book", "doubt"),
        ("The table is under the book", "loaded_language")]


def state(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.mark.parametrize(("rows", "words"), [
    ("111111111\tDoubt\t10\t99999\n", "does not fit article 111111111"),
    ("111111111\tDoubt\tten\t20\n", "are not numbers"),
    ("222\tDoubt\t1\t2\n", "no article222.txt"),
    ("111111111\tDoubt\n", "expected ID<TAB>technique<TAB>start<TAB>end"),
    ("111111111\t9\tDoubt\n", "has no paragraph 9"),
])
def test_bad_rows_are_refused_naming_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: str, words: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "article111111111.txt").write_text(TEXT, encoding="utf-8")
    (folder / "article111111111.labels.tsv").write_text("111111111\tDoubt\t0\t8\n" + rows,
                                                        encoding="utf-8")
    proj = tmp_path / "p.annot"
    assert run("new", str(proj)) == 0
    before = state(proj)
    capsys.readouterr()
    assert run("import", str(proj), str(folder), "--format", "ptc") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0], err
    assert "article111111111.labels.tsv:2" in err[0] and words in err[0], err
    assert state(proj) == before


def test_a_ptc_folder_is_recognised_without_format(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p.annot"
    assert run("new", str(proj)) == 0
    assert run("import", str(proj), str(semeval2020(tmp_path / "in"))) == 0
    with Project.open(proj, readonly=True) as p:
        [doc] = list(p.iter_corpus())
    assert len(doc.spans) == 7
