"""Fuzzing every importer with random and mutated bytes: it returns documents or raises an
AnnotatorError (BadInputError…) — never another exception."""

from __future__ import annotations

import json
import os
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


# ------------------------------------------------- structured fuzzing: valid files, one bad field
# Each example is a well-formed file of the format with ONE value replaced (or one key added) by
# a hostile value: a wrong JSON type, a lone surrogate, deep nesting, a huge or non-finite
# number. Everything else being valid, the import gets past the first checks and many examples
# reach the insert into the project. Whatever happens: exit 0 and a project whose export is valid
# JSON, or exit 1 with one stderr line and the project byte-identical.

SUR = "\ud800"


def _nested(depth: int) -> object:
    value: object = []
    for _ in range(depth - 1):
        value = [value]
    return value


_RAW = {"@@HUGE@@": "9" * 5000, "@@DEEP@@": "[" * 5000 + "]" * 5000, "@@NAN@@": "NaN",
        "@@INF@@": "1e999"}
HOSTILE_VALUES: list[object] = [
    5, -1, 0, 2**63, 10**30, 1.5, True, None, "", "x", SUR, f"a{SUR}b", [], [1, 2], [[0, 4]],
    {}, {"a": SUR}, {SUR: 1}, _nested(70), *_RAW]

STRUCTURED_SEEDS: dict[str, tuple[str, tuple[str, ...], object]] = {
    "jsonl": (".jsonl", (), [{
        "id": "d1", "title": "T", "text": TEXT, "meta": {"source_url": "u", "n": 1},
        "status": "done",
        "spans": [{"id": "s1", "start": 31, "end": 50, "layer": "hedging", "label": "hedge",
                   "attributes": {"certainty": "low"}, "text": TEXT[31:50],
                   "annotator": "alice", "note": "n"},
                  {"id": "s2", "start": 10, "end": 63, "fragments": [[10, 14], [60, 63]],
                   "layer": "attribution", "label": "cue", "attributes": {},
                   "text": f"{TEXT[10:14]} {TEXT[60:63]}"}],
        "relations": [{"id": "r1", "type": "cue_of", "from": "s2", "to": "s1",
                       "attributes": {}}]}]),
    "doccano": (".jsonl", ("--format", "doccano"), [
        {"id": 7, "text": TEXT, "label": [[31, 50, "hedge"], "positive"], "meta": {"k": 1}},
        {"text": TEXT, "entities": [{"id": 1, "start_offset": 10, "end_offset": 14,
                                     "label": "cue"},
                                    {"id": 2, "start_offset": 31, "end_offset": 50,
                                     "label": "hedge"}],
         "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "cue_of"}]}]),
    "labelstudio": (".json", ("--format", "labelstudio"), [[{
        "id": 3, "data": {"text": TEXT, "title": "T"}, "annotations": [{
            "completed_by": {"email": "a@b"}, "result": [
                {"id": "a", "type": "labels", "from_name": "l", "value": {
                    "start": 31, "end": 50, "text": TEXT[31:50], "labels": ["hedge"]}},
                {"id": "b", "type": "labels", "value": {
                    "start": 10, "end": 14, "text": TEXT[10:14], "labels": ["cue"]}},
                {"type": "relation", "from_id": "b", "to_id": "a", "labels": ["cue_of"]},
                {"id": "a", "type": "choices", "from_name": "certainty",
                 "value": {"choices": ["low"]}},
                {"id": "a", "type": "textarea", "value": {"text": ["a note"]}},
                {"type": "choices", "from_name": "stance", "value": {"choices": ["neutral"]}}]}]}]]),
}


def _paths(obj: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every place in ``obj`` a value can be put: each dict key and list index."""
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, (*prefix, i))
    return out


def _replaced(obj: object, path: tuple[object, ...], value: object, add: bool) -> object:
    """A deep copy of ``obj`` with the value at ``path`` replaced (or, with ``add`` on a dict,
    a new key ``zz`` holding ``value`` added there)."""
    import copy

    obj = copy.deepcopy(obj)
    if not path:
        return {"zz": value, **obj} if add and isinstance(obj, dict) else value
    parent = obj
    for step in path[:-1]:
        parent = parent[step]  # type: ignore[index]
    last = path[-1]
    if add and isinstance(parent[last], dict):  # type: ignore[index]
        parent[last]["zz"] = value  # type: ignore[index]
    else:
        parent[last] = value  # type: ignore[index]
    return obj


def _serialise(fmt: str, records: object) -> bytes:
    if fmt == "labelstudio":
        text = json.dumps(records[0], indent=1)  # type: ignore[index]
    else:
        text = "".join(json.dumps(r) + "\n" for r in records)  # type: ignore[union-attr]
    for marker, raw in _RAW.items():
        text = text.replace(json.dumps(marker), raw)
    return text.encode()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from annotator.core.project import Project

    path = tmp_path_factory.mktemp("pristine") / "p.annot"
    with Project.create(path, annotator="fuzz") as p:
        p.import_documents([CorpusDocument(name="old", title="old", text="An earlier text.")])
    return path


@pytest.mark.parametrize("fmt", sorted(STRUCTURED_SEEDS))
def test_one_hostile_field_is_read_right_or_refused_cleanly(
        fmt: str, tmp_path: Path, pristine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.cli import main

    suffix, extra, seed = STRUCTURED_SEEDS[fmt]
    paths = _paths(seed)[1:]  # not the list of records itself
    outcomes = {0: 0, 1: 0}
    counter = iter(range(10**6))

    @settings(FUZZ, max_examples=70, derandomize=True)
    @given(path=st.sampled_from(paths), value=st.sampled_from(HOSTILE_VALUES),
           add=st.booleans())
    def run(path: tuple[object, ...], value: object, add: bool) -> None:
        folder = tmp_path / str(next(counter))
        folder.mkdir()
        project = folder / "p.annot"
        shutil.copyfile(pristine, project)
        before = (project.read_bytes(), project.stat().st_mtime_ns, sorted(os.listdir(folder)))
        source = tmp_path / f"in{next(counter)}{suffix}"
        source.write_bytes(_serialise(fmt, _replaced(seed, path, value, add)))
        capsys.readouterr()
        code = main(["import", str(project), str(source), *extra])
        err = capsys.readouterr().err.splitlines()
        assert code in (0, 1), err
        outcomes[code] += 1
        if code == 1:
            assert len(err) == 1 and err[0].startswith(f"annotator: {source}"), err
            assert (project.read_bytes(), project.stat().st_mtime_ns,
                    sorted(os.listdir(folder))) == before
            return
        out = folder / "out.jsonl"
        assert main(["export", str(project), "--format", "jsonl", "-o", str(out)]) == 0
        for line in out.read_text(encoding="utf-8").splitlines():
            json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in the export"))
        assert main(["check", str(project)]) == 0
        capsys.readouterr()

    run()
    assert outcomes[0] and outcomes[1], outcomes  # both paths exercised: insert and refusal
