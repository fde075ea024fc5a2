"""``annotator export --format jsonl`` of a closed project file reads it through sqlite3 alone
(no SQLAlchemy: start-up stays fast) and writes exactly the bytes the project's own reading
writes; a file it cannot read that way goes through the project, whose message is the one
said."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import DamagedProjectError
from annotator.core.model import CorpusDocument, DocAnnotationRecord, SpanRecord
from annotator.core.project import Project
from annotator.formats.jsonl import JsonLines
from annotator.formats.reading import read_inputs
from annotator.formats.registry import WriteOptions

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "sample.jsonl"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    with Project.create(path, annotator="alice") as p:
        (_, docs), = read_inputs([str(SAMPLE)], "jsonl", "alice", lambda _: None)
        extra = []
        for n, attrs in enumerate([{}, {"k": "v"}, {"k": "v"}, {"deep": [1, {"x": 2}]},
                                   {"a": None, "b": 2.5, "c": True}]):
            text = f"Officials said {n} times that it may work."
            extra.append(CorpusDocument(
                name=f"x{n}", text=text, status=("new", "done")[n % 2], meta={"n": n},
                spans=[SpanRecord(key="k1", layer="hedging", label="hedge",
                                  fragments=((0, 9),), attributes=attrs, note=f"note {n}"),
                       SpanRecord(key="k2", layer="hedging", label="hedge",
                                  fragments=((0, 9),), attributes=dict(attrs)),
                       SpanRecord(key="k3", layer="custom", label="odd",
                                  fragments=((10, 14), (21, 25)), attributes={"z": n})],
                doc_annotations=[DocAnnotationRecord(layer="genre", label="news")]
                if n == 2 else []))
        p.import_documents([*docs, *extra])
    return path


def _through_project(project: Path, out: Path, statuses: list[str] | None = None) -> bytes:
    with Project.open(project, readonly=True) as p:
        JsonLines().write(p.iter_corpus(statuses=statuses), out, p.tagset, WriteOptions())
    return out.read_bytes()


@pytest.mark.parametrize("statuses", [[], ["done"], ["new", "in_progress"]])
def test_quick_export_writes_the_projects_bytes(project: Path, tmp_path: Path,
                                                statuses: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    before = (project.read_bytes(), project.stat().st_mtime_ns)
    out = tmp_path / "quick.jsonl"
    args = [a for s in statuses for a in ("--status", s)]
    assert main(["export", str(project), "--format", "jsonl", "-o", str(out), *args]) == 0
    expected = _through_project(project, tmp_path / "full.jsonl", statuses or None)
    assert out.read_bytes() == expected and expected.count(b"\n") >= 2
    assert (project.read_bytes(), project.stat().st_mtime_ns) == before
    assert sorted(p.name for p in project.parent.iterdir()) == ["full.jsonl", "p.annot",
                                                                 "quick.jsonl"]
    lines = expected.count(b"\n")
    assert capsys.readouterr().out.startswith(f"exported {lines} document(s)")


def test_jsonl_export_does_not_import_sqlalchemy(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    code = ("import sys, runpy; sys.argv = ['annotator', 'export', "
            f"{str(project)!r}, '--format', 'jsonl', '-o', {str(out)!r}]\n"
            "try:\n    runpy.run_module('annotator', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print('sqlalchemy' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stderr.strip().splitlines()[-1] == "False", done.stderr
    assert out.read_bytes() == _through_project(project, tmp_path / "full.jsonl")


def test_a_damaged_value_is_said_as_the_project_says_it(project: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    conn = sqlite3.connect(project)
    conn.execute("UPDATE span SET attributes = '{\"k\": ' WHERE id = (SELECT max(id) FROM span)")
    conn.commit()
    conn.close()
    with pytest.raises(DamagedProjectError) as caught:
        _through_project(project, tmp_path / "full.jsonl")
    out = tmp_path / "quick.jsonl"
    assert main(["export", str(project), "--format", "jsonl", "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"annotator: {caught.value}") and "is not valid JSON" in err, err
    assert not out.exists()
    # nothing of the try is left (full.jsonl: the plain writer's, above)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full.jsonl", "p.annot"]
