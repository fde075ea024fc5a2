"""Fuzzing every importer with random and mutated bytes: it returns documents or raises an
AnnotatorError (BadInputError…) — never another exception."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.bulk import validate
from annotator.core.errors import AnnotatorError
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.tagset import default_tagset
from annotator.formats.registry import ReadOptions, WriteOptions, get_format

TEXT = "Officials said 👍🏽 the plan was “not fully confirmed”.\nقال المتحدث cafe\u0301 ok."
DOC = CorpusDocument(name="d", title="d", text=TEXT,
                     spans=[SpanRecord("s1", "hedging", "hedge", ((31, 50),)),
                            SpanRecord("s2", "attribution", "cue", ((10, 14), (60, 63)))])

SEEDS: dict[str, tuple[str, bytes]] = {
    "txt": (".txt", TEXT.encode()),
    "md": (".md", ("---\ntitle: T\n---\n# Head\n\n*" + TEXT + "*\n\n- a\n- [b](c)\n").encode()),
    "html": (".html", ("<html><head><meta charset=utf-8><title>T</title></head><body><article>"
                       + f"<p>{TEXT} {TEXT}</p><p>{TEXT}</p></article></body></html>").encode()),
    "csv": (".csv", ('id,title,text\n1,"A, b","' + TEXT.replace('"', '""') + '"\n').encode()),
    "doccano": (".jsonl", (json.dumps({"id": 1, "text": TEXT, "label": [[31, 50, "hedge"]]},
                                      ensure_ascii=False) + "\n").encode()),
    "labelstudio": (".json", json.dumps([{"id": 1, "data": {"text": TEXT}, "annotations": [
        {"result": [{"id": "a", "type": "labels", "value": {
            "start": 31, "end": 50, "text": TEXT[31:50], "labels": ["hedge"]}}]}]}],
        ensure_ascii=False).encode()),
}


def exported(fmt: str) -> dict[str, bytes]:
    """The files our own writer makes for DOC: a realistic seed for the directory formats."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        f = get_format(fmt)
        f.write([DOC], out if f.directory else out.with_suffix(".jsonl"), default_tagset(),
                WriteOptions())
        if f.directory:
            return {p.name: p.read_bytes() for p in out.iterdir()}
        return {"d.jsonl": out.with_suffix(".jsonl").read_bytes()}


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with a few random edits (flip, insert, delete, truncate), or random bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "digit"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from([b"\x00", b"\xff", b'"', b"{", b"]", b"\n",
                                                  b"\r", b"<", b"-1", b"99999", b"\t", b"&",
                                                  b"\xed\xa0\x80", b"\xf0\x9f"]))
        elif op == "delete" and data:
            del data[pos:pos + draw(st.integers(1, 8))]
        elif op == "truncate":
            del data[pos:]
        elif op == "digit" and data:
            digits = [i for i, b in enumerate(data) if 48 <= b <= 57]
            if digits:
                data[draw(st.sampled_from(digits))] = draw(st.integers(48, 57))
    return bytes(data)


def check_read(fmt: str, path: Path) -> None:
    try:
        docs = list(get_format(fmt).read(path, ReadOptions(warn=lambda m: None)))
    except AnnotatorError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return
    for d in docs:
        assert isinstance(d, CorpusDocument) and isinstance(d.text, str)
        try:
            validate(d)  # what the import does next: a clear error or nothing
        except AnnotatorError as exc:
            assert str(exc).strip() and "\n" not in str(exc)


FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("fmt", sorted(SEEDS) + ["jsonl"])
def test_single_file_importer_never_crashes(fmt: str, tmp_path: Path) -> None:
    suffix, seed = SEEDS[fmt] if fmt in SEEDS else (".jsonl", exported("jsonl")["d.jsonl"])
    path = tmp_path / f"fuzz{suffix}"

    @FUZZ
    @given(data=mutated(seed))
    def run(data: bytes) -> None:
        path.write_bytes(data)
        check_read(fmt, path)

    run()


@pytest.mark.parametrize("fmt, target", [("brat", ".ann"), ("brat", ".txt"), ("xmi", ".xmi"),
                                         ("xmi", "TypeSystem.xml")])
def test_folder_importer_never_crashes(fmt: str, target: str, tmp_path: Path) -> None:
    files = exported(fmt)
    name = next(n for n in files if n.endswith(target))
    folder = tmp_path / "corpus"

    @settings(FUZZ, max_examples=60 if fmt == "xmi" else 120)
    @given(data=mutated(files[name]))
    def run(data: bytes) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for n, content in files.items():
            (folder / n).write_bytes(data if n == name else content)
        check_read(fmt, folder)

    run()
