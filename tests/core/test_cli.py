"""The ``annotator`` command: exit codes, one-line errors, nothing created unasked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main


def content(path: Path) -> str | None:
    """The database's logical content (a header counter changes when a file is opened)."""
    if not path.exists():
        return None
    import sqlite3

    if not path.read_bytes().startswith(b"SQLite format 3"):
        return path.read_text(encoding="utf-8")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_new_import_list_stats_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p.annot"
    art = tmp_path / "article.txt"
    art.write_text("A title\n\nIt seems that the 👍 plan قال works.\n", encoding="utf-8")
    assert run(capsys, "new", str(proj), "--annotator", "bob")[0] == 0
    code, out, err = run(capsys, "import", str(proj), str(art))
    assert code == 0 and "imported 1 document" in out
    code, out, err = run(capsys, "import", str(proj), str(art))
    assert code == 0 and "already in the project" in err
    code, out, _ = run(capsys, "list", str(proj), "--json")
    docs = json.loads(out)
    assert docs[0]["id"] == "article" and docs[0]["title"] == "A title"
    code, out, _ = run(capsys, "stats", str(proj), "--json")
    assert json.loads(out)["documents"] == 1
    out_file = tmp_path / "out.jsonl"
    code, out, _ = run(capsys, "export", str(proj), "--format", "jsonl", "-o", str(out_file))
    assert code == 0
    line = json.loads(out_file.read_text(encoding="utf-8"))
    assert line["text"] == "A title\n\nIt seems that the 👍 plan قال works.\n"
    assert run(capsys, "check", str(proj))[0] == 0


@pytest.mark.parametrize("setup, args, message", [
    ("none", ["import", "{p}", "{a}"], "no such project file"),
    ("project", ["import", "{p}", "{d}/missing.txt"], "no such file"),
    ("project", ["import", "{p}", "{d}/empty.txt"], "empty"),
    ("project", ["import", "{p}", "{d}/image.png"], "unknown file type"),
    ("project", ["import", "{p}", "{d}/bad.jsonl"], "bad.jsonl:2"),
    ("text", ["list", "{p}"], "not an Annotator project"),
    ("project", ["new", "{p}"], "already exists"),
])
def test_bad_input_is_one_line_and_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: str, args: list[str],
        message: str) -> None:
    proj = tmp_path / "p.annot"
    (tmp_path / "a.txt").write_text("Some article.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "bad.jsonl").write_text('{"id": "a", "text": "fine"}\n{"id": "b", "text": \n',
                                        encoding="utf-8")
    if setup == "project":
        assert main(["new", str(proj)]) == 0
    elif setup == "text":
        proj.write_text("not a project", encoding="utf-8")
    capsys.readouterr()
    before = content(proj)
    argv = [a.format(p=proj, a=tmp_path / "a.txt", d=tmp_path) for a in args]
    code, _, err = run(capsys, *argv)
    assert code != 0
    first = err.strip().splitlines()[0]
    assert message in first and "Traceback" not in err
    assert content(proj) == before


def test_all_or_nothing_per_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p.annot"
    main(["new", str(proj)])
    (tmp_path / "good.txt").write_text("Good article.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary\x00")
    code, _, err = run(capsys, "import", str(proj), str(tmp_path / "good.txt"),
                       str(tmp_path / "bad.txt"))
    assert code == 1 and "bad.txt" in err
    code, out, _ = run(capsys, "list", str(proj), "--json")
    assert json.loads(out) == []


def test_import_a_folder_recursively(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p.annot"
    main(["new", str(proj)])
    folder = tmp_path / "in" / "sub"
    folder.mkdir(parents=True)
    (tmp_path / "in" / "one.txt").write_text("First article.", encoding="utf-8")
    (folder / "two.md").write_text("# Second\n\nSecond *article*.", encoding="utf-8")
    (folder / "two.txt").write_text("Second article, plain.", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(proj), str(tmp_path / "in"))
    assert code == 0
    names = [d["id"] for d in json.loads(run(capsys, "list", str(proj), "--json")[1])]
    assert names == ["one", "two", "two-2"]


def test_check_exits_1_on_damage(project_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    conn = sqlite3.connect(project_path)
    conn.execute("UPDATE span SET start = -5 WHERE label = 'cue'")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "check", str(project_path))
    assert code == 1 and "outside the text" in out


def test_start_up_imports_neither_qt_nor_nltk() -> None:
    code = ("import sys, annotator.cli as c; c.build_parser(); "
            "print(any(m.startswith(('PySide6', 'nltk', 'sqlalchemy')) for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_python_dash_m_works(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "annotator", "new", str(tmp_path / "x.annot")],
                         capture_output=True, text=True)
    assert out.returncode == 0 and (tmp_path / "x.annot").exists()


def test_reading_commands_upgrade_an_older_project(project_path: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from annotator.core.storage import migrations

    monkeypatch.setitem(migrations.STEPS, 2, lambda conn: conn.execute(
        "ALTER TABLE document ADD COLUMN source_url TEXT DEFAULT ''"))
    for mod in ("annotator.core.storage.migrations", "annotator.core.storage.engine",
                "annotator.core.storage.schema", "annotator.core.project",
                "annotator.core.quick_read"):
        monkeypatch.setattr(f"{mod}.SCHEMA_VERSION", 3)
    code, out, err = run(capsys, "list", str(project_path), "--json")
    assert code == 0 and json.loads(out)[0]["spans"] == 8
    assert "upgraded to schema 3" in err
    conn = sqlite3.connect(project_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    conn.close()
    assert list(project_path.parent.glob("alice.schema2-backup*.annot"))


def test_reading_reports_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    from annotator.core.errors import Cancelled
    from annotator.formats.reading import read_inputs

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"a{i}.txt").write_text(f"Article number {i}.", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    batches = read_inputs([str(folder)], "auto", "me", lambda m: None,
                          progress=lambda d, t: seen.append((d, t)))
    assert len(batches) == 5 and seen == [(i, 5) for i in range(1, 6)]
    calls = 0

    def cancel_after_two() -> bool:
        nonlocal calls
        calls += 1
        return calls > 2

    with pytest.raises(Cancelled, match="nothing was imported"):
        read_inputs([str(folder)], "auto", "me", lambda m: None, cancelled=cancel_after_two)
