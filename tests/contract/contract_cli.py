"""Running the real ``annotator`` command in a subprocess, as a user or a script would."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# emoji (astral + skin tone), Arabic, a combining accent, leading and trailing white space
TEXT = " \tOfficials said 👍🏽 it was “not fully confirmed”. قال المتحدث. Cafe\u0301  \n"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()

    def json(self) -> Any:
        return json.loads(self.out)


def annotator(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """``python -m annotator ARGS`` in ``cwd``; stdout/stderr decoded as UTF-8."""
    environ = dict(os.environ, **(env or {}))
    proc = subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], cwd=cwd,
                          capture_output=True, env=environ, timeout=120)
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"),
               proc.stderr.decode("utf-8", "replace"))


def ok(*args: str | Path, cwd: Path) -> Run:
    run = annotator(*args, cwd=cwd)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return run


def fails(*args: str | Path, cwd: Path, naming: str) -> Run:
    """The command fails cleanly: non-zero, one line on stderr (a hint, if any, in it) naming
    ``naming``, no traceback."""
    run = annotator(*args, cwd=cwd)
    assert run.code != 0
    assert "Traceback" not in run.err
    lines = run.err_lines
    assert len(lines) == 1, run.err
    assert naming in lines[0], run.err
    return run


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def jsonl_line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"


def sample_document(doc_id: str = "d1") -> dict[str, Any]:
    """A JSONL document with a discontinuous span and a relation, over :data:`TEXT`."""
    t = TEXT

    def at(s: str) -> list[int]:
        i = t.index(s)
        return [i, i + len(s)]

    return {"id": doc_id, "title": "قال المتحدث", "text": t, "status": "done",
            "spans": [
                {"id": "a", "start": at("Officials")[0], "end": at("Officials")[1],
                 "layer": "attribution", "label": "source"},
                {"id": "b", "start": at("said")[0], "end": at("said")[1],
                 "layer": "attribution", "label": "cue", "note": "cue"},
                {"id": "c", "fragments": [at("👍🏽"), at("Cafe\u0301")],
                 "layer": "stance", "label": "stance", "text": "👍🏽 Cafe\u0301",
                 "attributes": {"polarity": "favour"}},
                {"id": "d", "start": at("not fully")[0], "end": at("not fully")[1],
                 "layer": "hedging", "label": "hedge"}],
            "relations": [{"id": "r", "type": "attributed_to", "from": "b", "to": "a"}]}
