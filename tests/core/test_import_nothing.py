"""An import that finds nothing to import says so and exits 1 (it used to print "imported 0
document(s)" and exit 0, which reads as success); the project is untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project


@pytest.mark.parametrize("content", [None, "a.bin"])
def test_a_folder_with_nothing_to_import_is_an_error(tmp_path: Path, content: str | None,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p.annot"
    Project.create(proj).close()
    folder = tmp_path / "in"
    folder.mkdir()
    if content:
        (folder / content).write_bytes(b"\x00\x01")
    before = proj.read_bytes(), proj.stat().st_mtime_ns
    assert main(["import", str(proj), str(folder)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"annotator: {folder}: nothing to import")
    assert (proj.read_bytes(), proj.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "p.annot"]
