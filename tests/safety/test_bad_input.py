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
    assert len(err) == 1, err
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


# ---------------------------------------------------------------- hostile input, every importer
# Each case: exit 1, exactly one stderr line naming the file (and the line where there is one),
# and the project byte-identical (bytes, st_mtime_ns, no file added beside it).

SUR = "\ud800"  # a lone surrogate: json.dumps writes it as the escape \ud800
DEEP = "[" * 10_000 + "]" * 10_000
MID = "[" * 200 + "]" * 200  # parses, but deeper than any record needs
HUGE_INT = "9" * 5000


def good_span(**over: object) -> dict[str, object]:
    return {"id": "s1", "start": 0, "end": 4, "layer": "hedging", "label": "hedge",
            "text": "Fine", **over}


def good_doc(**over: object) -> dict[str, object]:
    return {"id": "d", "title": "T", "text": "Fine words here.", "meta": {"k": "v"},
            "spans": [good_span()], **over}


def ascii_jsonl(*objs: object) -> bytes:
    return b"".join(json.dumps(o).encode() + b"\n" for o in objs)


def raw_jsonl(line: str) -> bytes:
    """A good first line, then ``line`` (raw JSON text) as line 2."""
    return ascii_jsonl(OK_LINE) + line.encode() + b"\n"


DOCCANO_OK = {"id": 1, "text": "Fine words here.", "label": [[0, 4, "hedge"]]}
LS_OK = {"id": 1, "data": {"text": "Fine words here."}, "annotations": [{"result": [
    {"id": "a", "type": "labels", "value": {"start": 0, "end": 4, "text": "Fine",
                                             "labels": ["hedge"]}}]}]}


def ls_file(task: dict[str, object]) -> bytes:
    """Two tasks, one per line, the second being ``task`` (so it is on line 3)."""
    return ("[\n" + json.dumps(LS_OK) + ",\n" + json.dumps(task) + "\n]\n").encode()


def ls_with(**value: object) -> dict[str, object]:
    region = {"id": "a", "type": "labels",
              "value": {"start": 0, "end": 4, "text": "Fine", "labels": ["hedge"], **value}}
    return {"id": 2, "data": {"text": "Fine words here."}, "annotations": [{"result": [region]}]}


CRLF_TEXT = "First line.\r\nSecond line said so."
HOSTILE: dict[str, tuple[str, bytes, tuple[str, ...], int | None, str]] = {
    # name: (file name, content, extra CLI args, line, words in the message)
    "jsonl surrogate in title": ("a.jsonl", ascii_jsonl(OK_LINE, good_doc(title=f"T{SUR}")),
                                 (), 2, "surrogate"),
    "jsonl surrogate in id": ("a.jsonl", ascii_jsonl(OK_LINE, good_doc(id=f"d{SUR}")), (), 2,
                              "surrogate"),
    "jsonl surrogate in label": ("a.jsonl", ascii_jsonl(
        OK_LINE, good_doc(spans=[good_span(label=f"h{SUR}")])), (), 2, "surrogate"),
    "jsonl surrogate in note": ("a.jsonl", ascii_jsonl(
        OK_LINE, good_doc(spans=[good_span(note=SUR)])), (), 2, "surrogate"),
    "jsonl surrogate in meta": ("a.jsonl", ascii_jsonl(
        OK_LINE, good_doc(meta={"source": {"who": [SUR]}})), (), 2, "surrogate"),
    "jsonl surrogate in a meta key": ("a.jsonl", ascii_jsonl(
        OK_LINE, good_doc(meta={SUR: 1})), (), 2, "surrogate"),
    "jsonl surrogate in text": ("a.jsonl", ascii_jsonl(OK_LINE, good_doc(text=f"Fine{SUR}")),
                                (), 2, "surrogate"),
    "jsonl 10000-deep nesting": ("a.jsonl", raw_jsonl(
        '{"id": "d", "text": "Fine.", "meta": {"x": ' + DEEP + "}}"), (), 2, "nested"),
    "jsonl 200-deep nesting": ("a.jsonl", raw_jsonl(
        '{"id": "d", "text": "Fine.", "meta": {"x": ' + MID + "}}"), (), 2, "nested"),
    "jsonl 5000-digit integer": ("a.jsonl", raw_jsonl(
        '{"id": "d", "text": "Fine.", "spans": [{"start": ' + HUGE_INT + "}]}"), (), 2,
        "digits"),
    "jsonl NaN": ("a.jsonl", raw_jsonl('{"id": "d", "text": "Fine.", "meta": {"x": NaN}}'), (),
                  2, "nan"),
    "jsonl 1e999": ("a.jsonl", raw_jsonl('{"id": "d", "text": "Fine.", "meta": {"x": 1e999}}'),
                    (), 2, "not finite"),
    "jsonl spans is 5": ("a.jsonl", ascii_jsonl(OK_LINE, good_doc(spans=5)), (), 2, "list"),
    "jsonl id is a list": ("a.jsonl", ascii_jsonl(OK_LINE, good_doc(id=[1, 2])), (), 2,
                           "string or an integer"),
    "jsonl id is true": ("a.jsonl", ascii_jsonl(OK_LINE, good_doc(id=True)), (), 2,
                         "string or an integer"),
    "jsonl title is an object": ("a.jsonl", ascii_jsonl(OK_LINE, good_doc(title={"a": 1})), (),
                                 2, "string"),
    "jsonl note is 5": ("a.jsonl", ascii_jsonl(OK_LINE, good_doc(spans=[good_span(note=5)])),
                        (), 2, "string"),
    "jsonl span id is a list": ("a.jsonl", ascii_jsonl(
        OK_LINE, good_doc(spans=[good_span(id=[1])])), (), 2, "string or an integer"),
    "jsonl relation end is a list": ("a.jsonl", ascii_jsonl(OK_LINE, good_doc(relations=[
        {"id": "r1", "type": "cue_of", "from": ["s1"], "to": "s1"}])), (), 2,
        "string or an integer"),
    "jsonl status is a list": ("a.jsonl", ascii_jsonl(OK_LINE, good_doc(status=["done"])), (),
                               2, "status"),
    "jsonl crlf offsets counted without \\r": ("a.jsonl", ascii_jsonl(OK_LINE, {
        "id": "c", "text": CRLF_TEXT, "spans": [good_span(start=19, end=23, text="said")]}),
        (), 2, "'said'"),
    "jsonl crlf span without text": ("a.jsonl", ascii_jsonl(OK_LINE, {
        "id": "c", "text": CRLF_TEXT, "spans": [
            {"start": 20, "end": 24, "layer": "hedging", "label": "hedge"}]}), (), 2, "\\r"),
    "jsonl two values on a line": ("a.jsonl", raw_jsonl('{"id": "x", "text": "y"} {"id": 1}'),
                                   (), 2, "extra data"),
    "doccano surrogate in text": ("d.jsonl", ascii_jsonl(DOCCANO_OK, {
        "text": f"Fine{SUR}", "label": []}), ("--format", "doccano"), 2, "surrogate"),
    "doccano surrogate in label": ("d.jsonl", ascii_jsonl(DOCCANO_OK, {
        "text": "Fine words.", "label": [[0, 4, f"h{SUR}"]]}), ("--format", "doccano"), 2,
        "surrogate"),
    "doccano surrogate in meta": ("d.jsonl", ascii_jsonl(DOCCANO_OK, {
        "text": "Fine words.", "meta": {"k": SUR}}), ("--format", "doccano"), 2, "surrogate"),
    "doccano entities is 5": ("d.jsonl", ascii_jsonl(DOCCANO_OK, {
        "text": "Fine words.", "entities": 5}), ("--format", "doccano"), 2, "list"),
    "doccano labels is 5": ("d.jsonl", ascii_jsonl(DOCCANO_OK, {
        "text": "Fine words.", "labels": 5}), ("--format", "doccano"), 2, "list"),
    "doccano id is a list": ("d.jsonl", ascii_jsonl(DOCCANO_OK, {
        "id": [1], "text": "Fine words.", "label": []}), ("--format", "doccano"), 2,
        "string or an integer"),
    "doccano label name is an object": ("d.jsonl", ascii_jsonl(DOCCANO_OK, {
        "text": "Fine words.", "label": [[0, 4, {"x": 1}]]}), ("--format", "doccano"), 2,
        "string or an integer"),
    "doccano relation end is a list": ("d.jsonl", ascii_jsonl(DOCCANO_OK, {
        "text": "Fine words.", "entities": [
            {"id": 1, "start_offset": 0, "end_offset": 4, "label": "X"}],
        "relations": [{"from_id": [1], "to_id": 1, "type": "R"}]}), ("--format", "doccano"), 2,
        "string or an integer"),
    "doccano 10000-deep nesting": ("d.jsonl", ascii_jsonl(DOCCANO_OK) + (
        '{"text": "Fine.", "x": ' + DEEP + "}\n").encode(), ("--format", "doccano"), 2,
        "nested"),
    "doccano 5000-digit integer": ("d.jsonl", ascii_jsonl(DOCCANO_OK) + (
        '{"text": "Fine.", "label": [[' + HUGE_INT + ', 1, "X"]]}\n').encode(),
        ("--format", "doccano"), 2, "digits"),
    "labelstudio surrogate in text": ("l.json", ls_file({"data": {"text": f"Fine{SUR}"}}),
                                      ("--format", "labelstudio"), 3, "surrogate"),
    "labelstudio surrogate in label": ("l.json", ls_file(ls_with(labels=[f"h{SUR}"])),
                                       ("--format", "labelstudio"), 3, "surrogate"),
    "labelstudio surrogate in id": ("l.json", ls_file({"id": SUR, "data": {"text": "Fine."}}),
                                    ("--format", "labelstudio"), 3, "surrogate"),
    "labelstudio annotations is 5": ("l.json", ls_file({"data": {"text": "Fine."},
                                                         "annotations": 5}),
                                     ("--format", "labelstudio"), 3, "list"),
    "labelstudio labels is a string": ("l.json", ls_file(ls_with(labels="hedge")),
                                       ("--format", "labelstudio"), 3, "list"),
    "labelstudio value is 5": ("l.json", ls_file({"data": {"text": "Fine."}, "annotations": [
        {"result": [{"id": "a", "type": "labels", "value": 5}]}]}),
        ("--format", "labelstudio"), 3, "value"),
    "labelstudio data.text is 5": ("l.json", ls_file({"data": {"text": 5, "title": "T"}}),
                                   ("--format", "labelstudio"), 3, "data.text"),
    "labelstudio id is a list": ("l.json", ls_file({"id": [1], "data": {"text": "Fine."}}),
                                 ("--format", "labelstudio"), 3, "string or an integer"),
    "labelstudio region text is a list": ("l.json", ls_file(ls_with(text=["Fine"])),
                                          ("--format", "labelstudio"), 3, "string"),
    "labelstudio image task": ("l.json", ls_file({"data": {"image": "/data/upload/1/cat.png"}}),
                               ("--format", "labelstudio"), 3, "no text"),
    "labelstudio 10000-deep nesting": ("l.json", b"[\n" + json.dumps(LS_OK).encode() + b",\n"
                                       + ('{"data": {"text": "x", "y": ' + DEEP
                                          + "}}\n]").encode(),
                                       ("--format", "labelstudio"), 3, "nested"),
    "labelstudio 5000-digit integer": ("l.json", b"[\n" + json.dumps(LS_OK).encode() + b",\n"
                                       + ('{"id": ' + HUGE_INT + ', "data": {}}\n]').encode(),
                                       ("--format", "labelstudio"), 3, "digits"),
    "csv unterminated quote": ("t.csv", b'id,text\n1,"Fine words\n2,More words\n3,Last\n', (),
                               2, "unterminated"),
    "csv stray quote": ("t.csv", b'id,text\n1,"Fine" words\n2,More words\n', (), 2, "quote"),
    "unknown --encoding": ("a.txt", b"Fine words.\n", ("--encoding", "klingon-8"), None,
                           "encoding"),
    "bytes-to-bytes --encoding": ("a.txt", b"Fine words.\n", ("--encoding", "rot13"), None,
                                  "encoding"),
}


def snapshot(project: Path) -> tuple[bytes, int, list[str]]:
    """What "unchanged" means: the bytes, the modification time and the files beside it."""
    return (project.read_bytes(), project.stat().st_mtime_ns,
            sorted(p.name for p in project.parent.iterdir()))


@pytest.fixture
def lone_project(tmp_path: Path) -> Path:
    """A project alone in its folder, so that any file added beside it shows."""
    folder = tmp_path / "proj"
    folder.mkdir()
    proj = folder / "p.annot"
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("doc")])
    return proj


def refused(project: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``annotator import``; assert exit 1, one stderr line, the project untouched."""
    before = snapshot(project)
    code = main(["import", str(project), *args])
    err = capsys.readouterr().err.splitlines()
    assert code == 1, err
    assert len(err) == 1, err
    assert err[0].startswith("annotator: ") and "Traceback" not in err[0]
    assert snapshot(project) == before
    return err[0]


@pytest.mark.parametrize("key", list(HOSTILE))
def test_hostile_input_is_refused_in_one_line(lone_project: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str],
                                              key: str) -> None:
    name, content, extra, line, words = HOSTILE[key]
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(content)
    first = refused(lone_project, [str(path), *extra], capsys)
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert where in first, first
    assert words.lower() in first.lower(), first


@pytest.mark.parametrize(("name", "extra", "content"), [
    ("big.jsonl", (), lambda n: json.dumps({"id": "b", "text": "w" * n}) + "\n"),
    ("big.csv", (), lambda n: "id,text\n1," + "w" * n + "\n"),
    ("big.jsonl", ("--format", "doccano"), lambda n: json.dumps({"text": "w" * n}) + "\n"),
    ("big.json", ("--format", "labelstudio"),
     lambda n: json.dumps([{"data": {"text": "w" * n}}])),
    ("big.txt", (), lambda n: "w" * n),
    ("big.md", (), lambda n: "w" * n),
])
def test_document_size_limit_holds_in_every_importer(
        lone_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, name: str, extra: tuple[str, ...], content) -> None:  # noqa: ANN001
    """One limit for every importer, checked on each document's text (the limit is lowered
    here: the same code refuses a 60 MB text against the real 50 MB)."""
    from annotator.formats import _textfile

    monkeypatch.setattr(_textfile, "MAX_DOCUMENT_BYTES", 10_000)
    path = tmp_path / name
    path.write_text(content(12_000), encoding="utf-8")
    first = refused(lone_project, [str(path), *extra], capsys)
    assert name in first and "too large" in first, first
    line = {".csv": ":2:", ".txt": ": ", ".md": ": "}.get(path.suffix, ":1:")
    assert f"{path}{line}" in first, first


def test_overlong_jsonl_line_is_refused_without_reading_it_whole(
        lone_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.formats import _textfile

    monkeypatch.setattr(_textfile, "MAX_DOCUMENT_BYTES", 10_000)
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps(OK_LINE) + "\n" + '{"id": "x", "text": "' + "w" * 30_000
                    + '"}\n', encoding="utf-8")
    first = refused(lone_project, [str(path)], capsys)
    assert "long.jsonl:2:" in first and "longer than" in first, first


def test_fifo_is_refused_not_waited_on(lone_project: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Opening a named pipe for reading blocks until a writer comes: it is never opened."""
    for name in ("pipe.txt", "pipe.jsonl", "pipe.csv", "pipe.html"):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        first = refused(lone_project, [str(fifo)], capsys)
        assert f"{fifo}: " in first and "named pipe" in first, first


def test_device_is_refused(lone_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = refused(lone_project, ["/dev/zero", "--format", "txt"], capsys)
    assert "/dev/zero: " in first and "device" in first, first


def test_folder_import_does_not_follow_a_link_out_of_the_folder(
        lone_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("A private file outside the corpus folder.\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A real article in the corpus.\n")
    (corpus / "doc.txt").symlink_to(secret)
    first = refused(lone_project, [str(corpus)], capsys)
    assert f"{corpus / 'doc.txt'}: " in first and "symbolic link" in first, first
    assert "outside the folder" in first


def test_folder_import_skips_a_link_inside_the_folder(
        lone_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text("A real article in the corpus.\n")
    (corpus / "same.txt").symlink_to(corpus / "a.txt")
    (corpus / "loop").symlink_to(corpus)
    assert main(["import", str(lone_project), str(corpus)]) == 0
    out = capsys.readouterr()
    assert "imported 1 document(s)" in out.out, out
    with Project.open(lone_project, readonly=True) as p:
        assert sorted(d.name for d in p.documents()) == ["a", "doc"]


@pytest.mark.parametrize(("toml", "words"), [
    ("layers = 5\n", "list of tables"),
    ("[[layers]]\nname = \"x\"\nlabels = 5\n", "list of tables"),
    ("[[layers]]\nname = 5\n", "string"),
    ("[[layers]]\nname = \"x\"\n[[layers.labels]]\nname = \"y\"\ncolor = [1]\n", "string"),
    ("[[layers]]\nname = \"x\"\nenabled = \"no\"\n", "true or false"),
    ("[[layers]]\nname = \"x\"\n[[layers.attributes]]\nname = \"a\"\nvalues = [1, 2]\n",
     "list of strings"),
    ("[[relation_types]]\nname = \"r\"\nsource = \"x\"\n", "list of strings"),
    ("x = " + "9" * 5000 + "\n", "digits"),
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "nested"),
])
def test_tagset_of_wrong_types_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          toml: str, words: str) -> None:
    tagset = tmp_path / "bad.toml"
    tagset.write_text(toml, encoding="utf-8")
    code = main(["new", str(tmp_path / "p.annot"), "--tagset", str(tagset)])
    err = capsys.readouterr().err.splitlines()
    assert code == 1 and len(err) == 1, err
    assert f"{tagset}: " in err[0] and words in err[0], err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "bad.toml"] or \
        sorted(p.name for p in tmp_path.iterdir()) == ["bad.toml"]
