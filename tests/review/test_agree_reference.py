"""``annotator agree`` gives, to the last bit, the figures the code gave before it was made faster.

The corpus (three coders' JSONL under ``data/agree_reference``) and the expected outputs were
written with the code of main at 8d820ab, before the speed work of issues 9, 14 and 15 (see the
folder's README). Every float is compared exactly (JSON keeps full precision), the table text
character for character.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from annotator.cli import main

DATA = Path(__file__).parent / "data" / "agree_reference"
CODERS = ("alice", "bob", "carol")
RUNS: dict[str, list[str]] = {
    "two.json": ["alice", "bob", "--json", "--per-document"],
    "three.json": ["alice", "bob", "carol", "--json", "--per-document"],
    "layers.json": ["alice", "bob", "--json", "--layer", "hedging", "--layer", "stance",
                    "--seed", "5", "--jaccard", "0.3"],
    "two.txt": ["alice", "bob", "--per-document"],
}


def _projects(folder: Path) -> dict[str, str]:
    paths = {}
    for name in CODERS:
        path = folder / f"{name}.annot"
        assert main(["new", str(path), "--annotator", name]) == 0
        assert main(["import", str(path), str(DATA / f"{name}.jsonl")]) == 0
        paths[name] = str(path)
    return paths


def _run(capsys: pytest.CaptureFixture[str], paths: dict[str, str], args: list[str]) -> str:
    capsys.readouterr()
    argv = ["agree", *(paths.get(a, a) for a in args)]
    assert main(argv) == 0
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("agree-reference")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNOTATOR_BACKUP_DIR", str(folder / "backups"))
        return _projects(folder)


@pytest.mark.parametrize("name", sorted(RUNS))
def test_agree_output_is_identical_to_the_reference(
    name: str, projects: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(capsys, projects, RUNS[name])
    expected = (DATA / name).read_text(encoding="utf-8")
    if name.endswith(".json"):
        got, want = json.loads(out), json.loads(expected)
        assert got == want
        assert json.dumps(got, sort_keys=True) == json.dumps(want, sort_keys=True)
    else:
        assert out == expected


if __name__ == "__main__":  # write the references (only ever with the code they pin down)
    import tempfile

    class _Cap:
        def readouterr(self) -> object:
            return None

    with tempfile.TemporaryDirectory() as tmp:
        import contextlib
        import io
        import os

        os.environ["ANNOTATOR_BACKUP_DIR"] = str(Path(tmp) / "backups")
        with contextlib.redirect_stdout(io.StringIO()):
            paths = _projects(Path(tmp))
        for name, args in RUNS.items():
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                assert main(["agree", *(paths.get(a, a) for a in args)]) == 0
            (DATA / name).write_text(buf.getvalue(), encoding="utf-8")
            print(name, len(buf.getvalue()), file=sys.stderr)
