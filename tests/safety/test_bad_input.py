"""Bad and huge input: each refused with one clear line naming the file (and line), exit 1,
and the project unchanged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from safety_helpers import dump, sample_doc

from annotator.cli import main
from annotator.core.project import Project

UTF8_HTML = (b"<html><head><meta charset=utf-8><title>T</title></head><body><article><p>"
             + "Officials said the plan was not fully confirmed, caf\u00e9 owners said. ".encode()
             * 5 + b"\xff\xfe\xc3(" + b" More words follow here in the article body.</p>"
             b"</article></body></html>")


def span(start: int, end: int, text: str) -> dict[str, object]:
    return {"id": "s1", "start": start, "end": end, "layer": "hedging", "label": "hedge",
            "text": text}


def jsonl(*objs: object) -> bytes:
    return b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in objs)


OK_LINE = {"id": "ok", "text": "A fine first line."}
CASES: dict[str, tuple[str, bytes, str, int | None]] = {
    # name: (file name, content, expected words in the message, line)
    "binary": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
               "binary", None),
    "empty txt": ("empty.txt", b"", "empty", None),
    "white space": ("blank.md", b"  \n\t\n", "no text", None),
    "utf-16 bom but odd bytes": ("odd.txt", b"\xff\xfeA\x00\x00\xd8", "byte-order mark", None),
    "damaged utf-8": ("damaged.txt", "Café crème brûlée ".encode() * 3 + b"\xc3(\xa9 end\n",
                      "invalid UTF-8", 1),
    "html claims utf-8": ("page.html", UTF8_HTML, "UTF-8", None),
    "jsonl invalid bytes": ("bad.jsonl", jsonl(OK_LINE) + b'{"id": "x", "text": "caf\xe9"}\n',
                            "not valid UTF-8", 2),
    "jsonl not json": ("broken.jsonl", jsonl(OK_LINE) + b"{nope\n", "not valid JSON", 2),
    "jsonl span text mismatch": ("mismatch.jsonl", jsonl(
        OK_LINE, {"id": "m", "text": "He said it.", "spans": [span(3, 7, "sail")]}),
        "sail", 2),
    "jsonl span out of range": ("range.jsonl", jsonl(
        {"id": "r", "text": "Short.", "spans": [span(2, 60, "ort.")]}), "span", 1),
    "jsonl negative span": ("neg.jsonl", jsonl(
        {"id": "n", "text": "Short.", "spans": [span(-1, 2, "Sh")]}), "span", 1),
    "jsonl relation to nowhere": ("rel.jsonl", jsonl(
        {"id": "q", "text": "He said it.", "spans": [span(3, 7, "said")],
         "relations": [{"id": "r1", "type": "cue_of", "from": "s1", "to": "s9"}]}), "s9", 1),
    "jsonl empty": ("nothing.jsonl", b"\n\n", "empty", None),
    "unknown format": ("report.docx", b"PK\x03\x04 not really", "unknown", None),
    "csv no text column": ("table.csv", b"id,when\n1,today\n", "column", None),
    "brat offsets out of range": ("corpus", b"", "outside the text", None),
}


def make_input(tmp_path: Path, key: str) -> Path:
    name, content, _, _ = CASES[key]
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    if key == "brat offsets out of range":
        path.mkdir()
        (path / "a.txt").write_text("Officials said so.\n", encoding="utf-8")
        (path / "a.ann").write_text("T1\thedging__hedge 5 500\tsaid\n", encoding="utf-8")
        (path / "annotation.conf").write_text("[entities]\nhedging__hedge\n", encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    proj = tmp_path / "p.annot"
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("doc")])
    return proj


@pytest.mark.parametrize("key", list(CASES))
def test_bad_input_is_refused_in_one_line_and_changes_nothing(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str) -> None:
    path = make_input(tmp_path, key)
    _, _, words, line = CASES[key]
    before = dump(project)
    code = main(["import", str(project), str(path)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1, err
    assert 1 <= len(err) <= 2 and (len(err) == 1 or err[1].lstrip().startswith("hint:")), err
    assert "Traceback" not in "\n".join(err)
    first = err[0]
    assert first.startswith("annotator: ")
    if key != "unknown format":
        assert path.name in first, first
    if line is not None:
        assert f"{path.name}:{line}:" in first, first
    assert words.lower() in first.lower(), first
    assert dump(project) == before


def test_huge_text_is_refused_without_being_read(project: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # 200 MB, sparse: cheap to make
        fh.write(b"Officials said. " * 64)
        fh.truncate(200 * 1024 * 1024)
    before = dump(project)
    assert main(["import", str(project), str(big)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert "huge.txt" in err[0] and "too large" in err[0] and "200 MB" in err[0]
    assert dump(project) == before


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
def test_document_size_limit_is_shared_by_text_importers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    from annotator.core.errors import BadInputError
    from annotator.formats import _textfile
    from annotator.formats.registry import ReadOptions, format_for_path

    monkeypatch.setattr(_textfile, "MAX_DOCUMENT_BYTES", 1000)
    path = tmp_path / f"a{suffix}"
    path.write_text("<p>" + "word " * 300 + "</p>")
    with pytest.raises(BadInputError, match="too large"):
        list(format_for_path(path).read(path, ReadOptions()))


def test_one_bad_file_among_good_ones_imports_nothing(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A good article that would be imported.\n")
    bad = make_input(tmp_path, "jsonl span text mismatch")
    before = dump(project)
    assert main(["import", str(project), str(good), str(bad)]) == 1
    assert "mismatch.jsonl:2:" in capsys.readouterr().err
    assert dump(project) == before


def test_unreadable_input_is_one_line(project: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    fifo_dir = tmp_path / "dir.txt"
    fifo_dir.mkdir()
    os.mkfifo(tmp_path / "dir.txt" / "ignored")  # a folder named like a file, with a pipe
    before = dump(project)
    code = main(["import", str(project), str(fifo_dir), "--format", "txt"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code in (0, 1) and "Traceback" not in "\n".join(err)
    assert dump(project) == before
