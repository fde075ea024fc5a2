"""Helpers shared by the safety tests: content snapshots, child processes, sample documents."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from annotator.core.model import CorpusDocument, SpanRecord

ROOT = Path(__file__).resolve().parents[2]


def dump(path: Path) -> str:
    """The database's logical content, read without writing anything."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def sidecars(path: Path) -> list[str]:
    """Journal files SQLite left beside ``path``."""
    return sorted(p.name for p in path.parent.iterdir()
                  if p.name.startswith(path.name) and p.name != path.name)


def child_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a child ``python``: the project importable, backups in tmp."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["ANNOTATOR_BACKUP_DIR"] = str(tmp_path / "backups")
    env["PYTHONUNBUFFERED"] = "1"
    return env


PYTHON = sys.executable

SAMPLE = "Officials said 👍🏽 the plan قال المتحدث was cafe\u0301 “not fully confirmed”."


def sample_doc(name: str, n_spans: int = 3) -> CorpusDocument:
    text = f"{name}: {SAMPLE}"
    spans = [SpanRecord(f"s{i}", "hedging", "hedge", ((i, i + 5),)) for i in range(n_spans)]
    return CorpusDocument(name=name, title=name, text=text, spans=spans)


def kill_after_lines(proc, n: int) -> list[int]:  # noqa: ANN001 - subprocess.Popen[str]
    """Read ``n`` integers the child printed (one per committed edit), SIGKILL it, and return
    every integer it had printed in full (a torn last line was not confirmed)."""
    import signal

    assert proc.stdout is not None
    printed: list[int] = []
    while len(printed) < n:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"the child stopped: {proc.stderr.read() if proc.stderr else ''}")
        printed.append(int(line))
    os.kill(proc.pid, signal.SIGKILL)
    rest, _ = proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    return printed + [int(x) for x in rest.split("\n")[:-1] if x.strip()]


def refused(capsys: pytest.CaptureFixture[str], args: list[str], *words: str) -> str:
    """Run the CLI with ``args``: it must exit 1 with one stderr line (no traceback) holding
    every one of ``words``; returns that line."""
    from annotator.cli import main

    capsys.readouterr()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for w in words:
        assert w in err, err
    return err
