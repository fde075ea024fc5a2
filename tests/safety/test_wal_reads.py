"""Reading a file that has a write-ahead log: every committed transaction is seen, and a file
nobody is editing is left byte-identical (same bytes, same st_mtime_ns, no new sidecar)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from safety_helpers import PYTHON, child_env, sample_doc

from annotator.core.project import Project
from annotator.review.sources import load_review


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of ``folder``: its bytes and modification time (ns)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, "-m", "annotator", *args], env=child_env(tmp_path),
                          capture_output=True, text=True, timeout=120)


CRASH = r"""
import os, signal, sys
from annotator.core.project import Project
p = Project.open(sys.argv[1])
doc = p.documents()[0].pk
for i in range(40):
    p.add_span(doc, "stance", "stance", ((i, i + 4),), note=f"wal {i}")
p.set_status(doc, "done")
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture
def crashed(tmp_path: Path) -> Path:
    """A project whose writer was killed: 40 committed spans and a status only in its -wal."""
    folder = tmp_path / "colleague"
    folder.mkdir()
    proj = folder / "bob.annot"
    with Project.create(proj, annotator="bob") as p:
        p.import_documents([sample_doc("doc")])
    proc = subprocess.run([PYTHON, "-c", CRASH, str(proj)], env=child_env(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    wal = proj.with_name(proj.name + "-wal")
    assert wal.stat().st_size > 0
    conn = sqlite3.connect(f"file:{proj}?immutable=1", uri=True)  # the main file alone
    assert conn.execute("SELECT count(*) FROM span").fetchone() == (3,)
    conn.close()
    return proj


def test_a_crashed_writers_log_is_read_and_the_files_stay_byte_identical(
        crashed: Path, tmp_path: Path) -> None:
    before = folder_state(crashed.parent)
    assert set(before) == {"bob.annot", "bob.annot-wal", "bob.annot-shm"}
    for kwargs in ({"untrusted": True}, {"readonly": True}):
        with Project.open(crashed, **kwargs) as p:
            doc = p.documents()[0]
            assert doc.span_count == 43 and doc.status == "done"
            assert p.check() == []
    assert folder_state(crashed.parent) == before
    listing = cli(tmp_path, "list", str(crashed), "--json")
    assert listing.returncode == 0, listing.stderr
    assert json.loads(listing.stdout)[0]["spans"] == 43
    stats = cli(tmp_path, "stats", str(crashed), "--json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["spans"] == 43
    check = cli(tmp_path, "check", str(crashed))
    assert check.returncode == 0 and check.stdout.strip().endswith("ok")
    out = tmp_path / "out.jsonl"
    exported = cli(tmp_path, "export", str(crashed), "--format", "jsonl", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))["spans"]) == 43
    assert folder_state(crashed.parent) == before


def test_agree_and_merge_see_a_colleagues_log(crashed: Path, tmp_path: Path) -> None:
    mine = tmp_path / "alice.annot"
    with Project.create(mine, annotator="alice") as p:
        p.import_documents([sample_doc("doc")])
    before = folder_state(crashed.parent)
    review = load_review([mine, crashed])
    theirs = review.documents(review.matched[0])[1]
    assert len(theirs.spans) == 43
    gold = tmp_path / "gold.annot"
    merged = cli(tmp_path, "merge", str(mine), str(crashed), "-o", str(gold), "--prefer", "b")
    assert merged.returncode == 0, merged.stderr
    with Project.open(gold, readonly=True) as g:
        assert g.documents()[0].span_count == 43
    agree = cli(tmp_path, "agree", str(mine), str(crashed), "--json")
    assert agree.returncode == 0, agree.stderr
    assert folder_state(crashed.parent) == before


def test_a_copy_taken_while_open_is_read_with_its_log_and_gets_no_sidecar(
        crashed: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("bob.annot", "bob.annot-wal"):  # what a colleague sent: no -shm
        shutil.copy2(crashed.parent / name, inbox / name)
    before = folder_state(inbox)
    with Project.open(inbox / "bob.annot", untrusted=True) as p:
        assert p.documents()[0].span_count == 43
    assert folder_state(inbox) == before


HOLD = r"""
import sys
from annotator.core.project import Project
from annotator.core.model import CorpusDocument, SpanRecord
p = Project.create(sys.argv[1], annotator="me")
p.import_documents([CorpusDocument(name=f"d{i}", title="", text=f"Text number {i} here.",
                    spans=[SpanRecord("s", "hedging", "hedge", ((0, 4),))]) for i in range(5)])
print("open", flush=True)
sys.stdin.readline()
p.close()
"""


def test_the_cli_reads_a_project_open_in_the_window(tmp_path: Path) -> None:
    proj = tmp_path / "mine.annot"
    holder = subprocess.Popen([PYTHON, "-c", HOLD, str(proj)], env=child_env(tmp_path),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        assert proj.with_name(proj.name + "-wal").stat().st_size > 0  # work still in the log
        listing = cli(tmp_path, "list", str(proj), "--json")
        assert listing.returncode == 0, listing.stderr
        assert [d["id"] for d in json.loads(listing.stdout)] == [f"d{i}" for i in range(5)]
        stats = cli(tmp_path, "stats", str(proj), "--json")
        assert stats.returncode == 0 and json.loads(stats.stdout)["spans"] == 5
        check = cli(tmp_path, "check", str(proj))
        assert check.returncode == 0, check.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.communicate(timeout=60)
    assert holder.returncode == 0


def test_the_review_window_reads_my_open_project_current(tmp_path: Path) -> None:
    mine, theirs = tmp_path / "alice.annot", tmp_path / "bob.annot"
    with Project.create(theirs, annotator="bob") as p:
        p.import_documents([sample_doc("doc")])
    with Project.create(mine, annotator="alice") as p:
        p.import_documents([sample_doc("doc")])
    with Project.open(mine) as p:  # open in the window, edits only in its log so far
        doc = p.documents()[0].pk
        for i in range(5):
            p.add_span(doc, "stance", "stance", ((i, i + 4),), note=f"new {i}")
        assert mine.with_name(mine.name + "-wal").stat().st_size > 0
        review = load_review([mine, theirs])
        assert len(review.documents(review.matched[0])[0].spans) == 8
        with Project.open(mine, readonly=True) as ro:
            assert ro.documents()[0].span_count == 8
        p.add_span(doc, "stance", "stance", ((9, 13),))  # the window still writes afterwards
    with Project.open(mine, readonly=True) as p:
        assert p.documents()[0].span_count == 9


WRITER = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA wal_autocheckpoint=8")
print("go", flush=True)
i = 0
while True:
    i += 1
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO document(name, title, text, sha256, length, meta, status, position,"
                 " created, modified) VALUES (?, '', ?, ?, 3, '{}', 'new', ?, '', '')",
                 (f"w{i}", "x" * 3000 + str(i), f"{i:064d}", i))
    conn.execute("INSERT OR REPLACE INTO project_meta(key, value) VALUES ('n', ?)", (str(i),))
    conn.execute("COMMIT")
"""


def test_a_copy_made_while_another_program_commits_is_consistent(tmp_path: Path) -> None:
    """A writer that holds no Annotator lock commits and checkpoints all the time: every read
    still sees one committed state (the counter matches the rows), never a torn one."""
    proj = tmp_path / "busy.annot"
    with Project.create(proj) as p:
        p.import_documents([sample_doc("doc")])
    writer = subprocess.Popen([PYTHON, "-c", WRITER, str(proj)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "go\n"
        seen = []
        for _ in range(25):
            with Project.open(proj, readonly=True) as p:
                n = int(p._meta.get("n", "0"))
                assert len(p.documents()) == n + 1
                seen.append(n)
        assert seen[-1] > seen[0]  # it really was writing meanwhile
    finally:
        writer.kill()
        writer.communicate()


def test_new_on_a_dangling_symlink_creates_nothing_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "work"
    folder.mkdir()
    link = folder / "p.annot"
    os.symlink(outside / "target.annot", link)
    result = cli(tmp_path, "new", str(link))
    assert result.returncode == 1
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and str(link) in err[0] and "symbolic link" in err[0]
    assert list(outside.iterdir()) == []
    assert link.is_symlink() and sorted(p.name for p in folder.iterdir()) == ["p.annot"]
    from annotator.core.errors import AnnotatorError

    with pytest.raises(AnnotatorError, match="symbolic link"):
        Project.create(link, overwrite=True)
    assert list(outside.iterdir()) == []
