"""Importing the files other tools made (tests/corpora/<tool>/) through the real command line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import CorpusDocument
from annotator.core.project import Project

HERE = Path(__file__).resolve().parent


@dataclass
class Imported:
    code: int
    err: list[str]  # stderr lines
    docs: dict[str, CorpusDocument]  # by document name


def import_path(tmp_path: Path, path: Path, capsys: pytest.CaptureFixture[str],
                *extra: str) -> Imported:
    """``annotator new`` + ``annotator import`` of ``path``; what came in, read back."""
    proj = tmp_path / "p.annot"
    if not proj.exists():
        assert main(["new", str(proj), "--annotator", "tester"]) == 0
    capsys.readouterr()
    code = main(["import", str(proj), str(path), *extra])
    err = capsys.readouterr().err.strip().splitlines()
    with Project.open(proj) as p:
        docs = {d.name: d for d in p.iter_corpus()}
    return Imported(code, err, docs)


def state(path: Path) -> tuple[str, int, list[str]]:
    """Bytes (hashed), mtime and the folder's other files."""
    return (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns,
            sorted(p.name for p in path.parent.iterdir()))


def assert_refused(tmp_path: Path, path: Path, capsys: pytest.CaptureFixture[str],
                   *extra: str) -> str:
    """Import ``path`` into a new project: exit 1, one line naming the file (a hint inside it),
    the project byte-identical. Returns the line."""
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    capsys.readouterr()
    before = state(proj)
    code = main(["import", str(proj), str(path), *extra])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1, err
    assert len(err) == 1, err
    assert "Traceback" not in "\n".join(err)
    assert state(proj) == before
    return err[0]


def covered(doc: CorpusDocument) -> list[tuple[str, str, str]]:
    """``(layer, label, covered text)`` of every span, fragments joined by a space."""
    return sorted((s.layer, s.label, " ".join(doc.text[a:b] for a, b in s.fragments))
                  for s in doc.spans)
