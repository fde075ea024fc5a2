"""A file name that is not valid UTF-8 (Linux allows any bytes) works in every command that
touches the project file: SQLite's URI and the backup folder's key are made from its bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "sample.jsonl"


def test_a_non_utf8_project_name_works_everywhere(tmp_path: Path) -> None:
    name = os.fsdecode(b"bad\xff.annot")  # as a shell hands it over (surrogate escape)
    env = {**os.environ, "ANNOTATOR_BACKUP_DIR": str(tmp_path / "backups")}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "annotator", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, errors="surrogateescape")

    for args in (["new", name], ["import", name, str(SAMPLE)], ["list", name],
                 ["check", name], ["backup", name], ["backup", name, "--list"],
                 ["export", name, "--format", "jsonl", "-o", os.fsdecode(b"o\xfe.jsonl")]):
        done = cli(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
    assert (tmp_path / os.fsdecode(b"o\xfe.jsonl")).stat().st_size > 0
