"""SemEval-2016 Task 6 stance files through the command line: excerpts of the task's own files
(tests/corpora/semeval2016, Windows-1252 and ASCII, CRLF) come back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "semeval2016"
TRAIN = CORPUS / "trainingdata-excerpt.txt"
TEST = CORPUS / "testdata-excerpt.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    proj = tmp_path / "p.annot"
    assert run(capsys, "new", str(proj), "--annotator", "ann")[0] == 0
    return proj


def test_training_rows_become_documents_with_a_document_level_stance(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = project(tmp_path, capsys)
    code, out, err = run(capsys, "import", str(proj), str(TRAIN), "--format", "semeval-stance")
    assert code == 0, err
    assert "9 document annotation(s)" in out
    assert "not UTF-8 (byte 0x91 on line 6); decoded as windows-1252" in err
    with Project.open(proj, readonly=True) as p:
        docs = {d.name: d for d in p.iter_corpus()}
    assert sorted(docs) == sorted(["101", "102", "103", "104", "110", "1828", "614", "1009",
                                   "2312"])
    hitchens = docs["110"]
    assert hitchens.text == ('RT "...That kind of modesty is too arrogant for me."'
                             "\u00cd\u00a2\u2018\u201e\u2018\u00eeChristopher Hitchens 2/2\" "
                             "#Funny #SemST")
    [ann] = hitchens.doc_annotations
    assert (ann.layer, ann.label, ann.attributes, ann.annotator) == (
        "article_stance", "none", {"target": "Atheism"}, "ann")
    assert [(a.label, a.attributes["target"]) for a in docs["1828"].doc_annotations] == [
        ("favour", "Hillary Clinton")]
    assert docs["101"].doc_annotations[0].label == "against"
    assert docs["101"].spans == []


@pytest.mark.parametrize("sample", [TRAIN, TEST], ids=lambda p: p.name)
def test_import_then_export_gives_the_file_back_byte_for_byte(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], sample: Path) -> None:
    proj = project(tmp_path, capsys)
    assert run(capsys, "import", str(proj), str(sample), "--format", "semeval-stance")[0] == 0
    out = tmp_path / "out.txt"
    code, said, err = run(capsys, "export", str(proj), "--format", "semeval-stance", "-o",
                          str(out))
    assert code == 0, err
    assert "dropped" not in said
    assert out.read_bytes() == sample.read_bytes()


def test_unknown_rows_are_text_only_and_written_back_as_unknown(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = project(tmp_path, capsys)
    code, _, err = run(capsys, "import", str(proj), str(TEST), "--format", "semeval-stance")
    assert code == 0 and "3 row(s) with stance UNKNOWN imported as text only" in err
    with Project.open(proj, readonly=True) as p:
        assert all(d.doc_annotations == [] for d in p.iter_corpus())


def test_a_stance_set_in_the_project_is_exported_in_the_tasks_spelling(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = project(tmp_path, capsys)
    assert run(capsys, "import", str(proj), str(TEST), "--format", "semeval-stance")[0] == 0
    with Project.open(proj) as p:
        doc = p.documents()[0]
        p.add_doc_annotation(doc.pk, "article_stance", "favour",
                             attributes={"target": "Atheism"})
    out = tmp_path / "out.txt"
    assert run(capsys, "export", str(proj), "--format", "semeval-stance", "-o", str(out))[0] == 0
    rows = out.read_bytes().split(b"\r\n")
    assert rows[1].startswith(b"10001\tAtheism\t") and rows[1].endswith(b"\tFAVOR")
    assert rows[2].endswith(b"\tUNKNOWN")


def test_a_utf8_file_with_lf_and_extra_columns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gold.txt"
    path.write_bytes("ID\tTarget\tTweet\tStance\tOpinion towards\tSentiment\n"
                     "7\tCafé owners\tLes cafés ferment — hélas.\tAGAINST\t1. The tweet "
                     "explicitly expresses opinion about the target\tneg\n".encode())
    proj = project(tmp_path, capsys)
    code, _, err = run(capsys, "import", str(proj), str(path), "--format", "semeval-stance")
    assert code == 0 and "decoded as" not in err
    with Project.open(proj, readonly=True) as p:
        [doc] = list(p.iter_corpus())
    assert doc.text == "Les cafés ferment — hélas." and doc.meta["Sentiment"] == "neg"
    out = tmp_path / "out.txt"
    code, said, _ = run(capsys, "export", str(proj), "--format", "semeval-stance", "-o", str(out))
    assert "dropped 2: metadata and columns after Stance" in said
    assert out.read_bytes() == ("ID\tTarget\tTweet\tStance\n7\tCafé owners\tLes cafés ferment "
                                "— hélas.\tAGAINST\n").encode()


def test_spans_and_texts_a_row_cannot_hold_are_counted_as_dropped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = project(tmp_path, capsys)
    (tmp_path / "a.txt").write_text("Two\nlines.\n", encoding="utf-8")
    assert run(capsys, "import", str(proj), str(tmp_path / "a.txt"))[0] == 0
    out = tmp_path / "out.txt"
    code, said, _ = run(capsys, "export", str(proj), "--format", "semeval-stance", "-o", str(out))
    assert code == 0 and "dropped 1: documents whose text, ID or target holds a tab" in said
    assert out.read_bytes() == b"ID\tTarget\tTweet\tStance\r\n"


@pytest.mark.parametrize(("content", "words"), [
    (b"id\ttweet\n1\thello\n", "bad.txt:1: the first line is not the SemEval-2016 Task 6 header"),
    (b"ID\tTarget\tTweet\tStance\n1\tX\thello\tMAYBE\n", "bad.txt:2: stance 'MAYBE' is not"),
    (b"ID\tTarget\tTweet\tStance\n1\tX\thello\tthere\tNONE\n", "bad.txt:2: 5 cell(s)"),
    (b"ID\tTarget\tTweet\tStance\n1\tX\t \tNONE\n", "bad.txt:2: row '1' has an empty Tweet"),
    (b"", "the file is empty"),
])
def test_bad_files_are_refused_in_one_line_and_the_project_is_untouched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, words: str) -> None:
    proj = project(tmp_path, capsys)
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = proj.read_bytes()
    code, _, err = run(capsys, "import", str(proj), str(path), "--format", "semeval-stance")
    assert code == 1 and err.count("\n") == 1 and "bad.txt" in err and words in err, err
    assert proj.read_bytes() == before


def test_a_given_encoding_is_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = project(tmp_path, capsys)
    code, _, err = run(capsys, "import", str(proj), str(TRAIN), "--format", "semeval-stance",
                       "--encoding", "latin-1")
    assert code == 0 and "decoded as" not in err
    with Project.open(proj, readonly=True) as p:
        texts = [d.text for d in p.iter_corpus()]
    assert any("\u00cd\u00a2\x91\x84\x91\u00ee" in t for t in texts)
