"""Crafted or value-damaged project files (see ``crafted_projects.py``): ``check`` reports each
class naming the document/span, every reading command works on what is sound or exits 1 with one
line naming the file, the file is never written, and the GUI's core path raises a clean
:class:`AnnotatorError` — never a traceback, KeyError, TypeError or JSONDecodeError."""

from __future__ import annotations

from pathlib import Path

import pytest
from crafted_projects import CRAFTED, build_base, craft
from safety_helpers import dump, sidecars

from annotator.cli import EXPORT_FORMATS, main
from annotator.core.errors import AnnotatorError, DamagedProjectError
from annotator.core.project import Project

# classes that leave every value readable: check reports them, reading goes on
READABLE = {"sha256 wrong", "span label not in tagset", "span layer not in tagset",
            "span label integer", "span of no document", "relation type not in tagset",
            "relation type integer", "relation of no document", "created null"}
NAMES = sorted(CRAFTED)


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A sound project (alice) and a colleague's copy of it (bob) for ``agree``."""
    folder = tmp_path_factory.mktemp("bases")
    return build_base(folder / "alice.annot"), build_base(folder / "bob.annot", "bob")


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    """Bytes, mtime and the folder's other files: "untouched" means all three are equal."""
    return (path.read_bytes(), path.stat().st_mtime_ns,
            sorted(p.name for p in path.parent.iterdir()))


def crafted(bases: tuple[Path, Path], tmp_path: Path, name: str) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    return craft(bases[0], folder / "crafted.annot", name)


def test_the_sound_base_checks_clean(bases: tuple[Path, Path],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(bases[0])]) == 0
    assert capsys.readouterr().out.strip() == f"{bases[0]}: ok"


@pytest.mark.parametrize("name", NAMES)
def test_check_reports_it_by_name(name: str, bases: tuple[Path, Path], tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    f = crafted(bases, tmp_path, name)
    before = snapshot(f)
    assert main(["check", str(f)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines and all(line.startswith(f"{f}: ") for line in lines), out + err
    problems = [line.removeprefix(f"{f}: ") for line in lines]
    assert any(all(w in p for w in CRAFTED[name].expect) for p in problems), problems
    assert err == ""
    assert snapshot(f) == before


def _commands(f: Path, other: Path, out: Path) -> list[list[str]]:
    return ([["list", str(f)], ["list", str(f), "--json"], ["stats", str(f)],
             ["stats", str(f), "--json"], ["agree", str(f), str(other)]]
            + [["export", str(f), "--format", fmt, "-o", str(out / fmt)]
               for fmt in EXPORT_FORMATS])


@pytest.mark.parametrize("name", NAMES)
def test_reading_commands_work_or_refuse_in_one_line(
        name: str, bases: tuple[Path, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    f = crafted(bases, tmp_path, name)
    out = tmp_path / "out"
    out.mkdir()
    before, other_before = snapshot(f), snapshot(bases[1])
    refused = []
    for argv in _commands(f, bases[1], out):
        rc = main(argv)
        _, err = capsys.readouterr()
        assert rc in (0, 1), (argv, err)
        assert "Traceback" not in err
        if rc == 1:
            lines = err.splitlines()
            assert lines[0].startswith(f"annotator: {f}: "), (argv, err)
            assert len(lines) == 1, err
            if argv[0] == "export":
                assert not Path(argv[-1]).exists()  # nothing half-written
            refused.append(argv[0])
        assert snapshot(f) == before, argv
    assert snapshot(bases[1]) == other_before
    if name not in READABLE:  # every damaged value is read by one of them at least
        assert refused, "the damage went unnoticed"


def _read_everything(p: Project) -> None:
    """What the main window reads on opening a project and showing each document."""
    assert isinstance(p.annotator, str)
    p.tagset  # noqa: B018 - loading it is the point
    p.stats()
    for d in p.documents():
        p.document(d.pk)
        p.text(d.pk)
        spans = p.spans(d.pk)
        for sp in spans:
            p.span(sp.pk)
        p.relations(d.pk)


@pytest.mark.parametrize("name", NAMES)
def test_the_gui_core_path_raises_a_clean_error(name: str, bases: tuple[Path, Path],
                                                tmp_path: Path) -> None:
    f = crafted(bases, tmp_path, name)
    try:
        with Project.open(f) as p:
            _read_everything(p)
    except DamagedProjectError as exc:
        assert name not in READABLE, exc
        assert str(exc).startswith(f"{f}: ") and "\n" not in str(exc)
        assert exc.hint and "annotator check" in exc.hint
        return
    assert name in READABLE, "the damage went unnoticed"


@pytest.mark.parametrize("name", ["meta not json", "fragments deep", "text blob",
                                  "layer attributes not json", "relation across documents"])
def test_a_colleagues_crafted_file_is_refused_untouched(
        name: str, bases: tuple[Path, Path], tmp_path: Path) -> None:
    f = crafted(bases, tmp_path, name)
    before = snapshot(f)
    with pytest.raises(AnnotatorError), Project.open(f, untrusted=True) as p:
        _read_everything(p)
        list(p.iter_corpus())
    assert snapshot(f) == before


COMBINED = ("meta not json", "fragments out of order", "span label not in tagset",
            "relation type not in tagset", "layer attributes not json", "annotator a blob",
            "label color blob")


def test_check_reports_every_problem_of_one_file(bases: tuple[Path, Path], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    f = crafted(bases, tmp_path, COMBINED[0])
    import sqlite3

    conn = sqlite3.connect(f, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for name in COMBINED[1:]:
        CRAFTED[name].corrupt(conn)
    conn.close()
    before = snapshot(f)
    assert main(["check", str(f), "--json"]) == 1
    import json

    problems = json.loads(capsys.readouterr().out)["problems"]
    for name in COMBINED:
        assert any(all(w in p for w in CRAFTED[name].expect) for p in problems), (name, problems)
    assert snapshot(f) == before


UNREADABLE_LINES = {  # JSONL that json.loads accepts but that could not be read back once stored
    "NaN in meta": ('{"id": "x", "text": "Some text.", "meta": {"a": NaN}}', "NaN"),
    "infinity in attributes": (
        '{"id": "x", "text": "Some text.", "spans": [{"id": "s1", "start": 0, "end": 4, '
        '"layer": "hedging", "label": "hedge", "text": "Some", "attributes": {"n": 1e999}}]}',
        "finite"),
    "lone surrogate in attributes": (
        '{"id": "x", "text": "Some text.", "spans": [{"id": "s1", "start": 0, "end": 4, '
        '"layer": "hedging", "label": "hedge", "text": "Some", '
        '"attributes": {"certainty": "\\ud800"}}]}', "surrogate"),
    "meta nested 150 deep": ('{"id": "x", "text": "Some text.", "meta": {"a": '
                             + "[" * 150 + "]" * 150 + "}}", "nested"),
}


def _deep(levels: int) -> list:
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


UNREADABLE_DOCUMENTS = {  # what another importer (or a script) could hand the core
    "NaN in meta": ({"a": float("nan")}, {}, "meta", "finite"),
    "infinity in attributes": ({}, {"n": float("inf")}, "span 's1': attributes", "finite"),
    "lone surrogate in attributes": ({}, {"certainty": "\ud800"}, "span 's1': attributes",
                                     "surrogate"),
    "meta nested 150 deep": ({"a": _deep(150)}, {}, "meta", "nested"),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE_LINES))
def test_import_refuses_what_could_not_be_read_back(
        case: str, bases: tuple[Path, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    line, word = UNREADABLE_LINES[case]
    f = tmp_path / "project" / "p.annot"
    f.parent.mkdir()
    f.write_bytes(bases[0].read_bytes())
    src = tmp_path / "in.jsonl"
    src.write_text(line + "\n", encoding="utf-8")
    before = dump(f)  # logical: opening for writing and closing rewrites the header
    assert main(["import", str(f), str(src)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith(f"annotator: {src}:1: "), err
    assert word in err[0], err
    assert dump(f) == before and sidecars(f) == []
    assert main(["check", str(f)]) == 0


@pytest.mark.parametrize("case", sorted(UNREADABLE_DOCUMENTS))
def test_the_core_refuses_values_that_could_not_be_read_back(
        case: str, bases: tuple[Path, Path], tmp_path: Path) -> None:
    from annotator.core.errors import BadInputError
    from annotator.core.model import CorpusDocument, SpanRecord

    meta, attributes, *words = UNREADABLE_DOCUMENTS[case]
    f = tmp_path / "p.annot"
    f.write_bytes(bases[0].read_bytes())
    before = dump(f)
    doc = CorpusDocument(name="x", title="x", text="Some text.", meta=meta,
                         spans=[SpanRecord("s1", "hedging", "hedge", ((0, 4),), attributes)])
    with Project.open(f) as project, pytest.raises(BadInputError) as refused:
        project.import_documents([doc])
    assert "document 'x'" in str(refused.value)
    assert all(w in str(refused.value) for w in words), str(refused.value)
    assert dump(f) == before and sidecars(f) == []


def test_a_relation_from_a_span_to_itself_keeps_the_file_readable(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]
                                                                  ) -> None:
    """A relation may link a span to itself (import accepts it, as earlier versions did): it
    is not damage, so reading never refuses the file and `check` finds nothing."""
    from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord

    f = tmp_path / "p.annot"
    with Project.create(f, annotator="a") as p:
        p.import_documents([CorpusDocument(
            name="d", title="d", text="Some text here.",
            spans=[SpanRecord("s1", "hedging", "hedge", ((0, 4),))],
            relations=[RelationRecord("r1", "related", "s1", "s1")])])
    for command in (["list", str(f)], ["stats", str(f)],
                    ["export", str(f), "--format", "jsonl", "-o", str(tmp_path / "o.jsonl")]):
        assert main(command) == 0, capsys.readouterr().err
    exported = (tmp_path / "o.jsonl").read_text(encoding="utf-8")
    assert '"from": "s1", "to": "s1"' in exported.replace('"from":"s1"', '"from": "s1"')
    capsys.readouterr()
    assert main(["check", str(f)]) == 0, capsys.readouterr().out
