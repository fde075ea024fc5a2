"""The command line as interfaces.md and the README promise it, run as the real command.

Exit 0 on success; bad input: non-zero, one line on stderr naming the file and the problem (a
hint inside it), never a traceback; ``--json`` is valid JSON on any terminal; a command never
creates a project file it was not asked to create.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from contract_cli import TEXT, annotator, fails, jsonl_line, ok, sample_document, sha

ASCII_TERMINAL = {"LC_ALL": "C", "PYTHONIOENCODING": "ascii"}


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder with ``a.annot`` (alice) and ``b.annot`` (bob) holding the sample document."""
    (tmp_path / "in.jsonl").write_text(jsonl_line(sample_document()), encoding="utf-8")
    for name, who in (("a", "alice"), ("b", "bob")):
        ok("new", f"{name}.annot", "--annotator", who, cwd=tmp_path)
        ok("import", f"{name}.annot", "in.jsonl", cwd=tmp_path)
    return tmp_path


# ---------------------------------------------------------------- non-UTF-8 terminals
@pytest.mark.parametrize("args", [("list", "a.annot"), ("list", "a.annot", "--json"),
                                  ("stats", "a.annot", "--json"),
                                  ("agree", "a.annot", "b.annot", "--json"),
                                  ("agree", "a.annot", "b.annot")])
def test_an_ascii_terminal_gets_output_not_a_traceback(work: Path, args: tuple[str, ...]) -> None:
    run = annotator(*args, cwd=work, env=ASCII_TERMINAL)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    if "--json" in args:
        data = json.loads(run.out)  # valid JSON: non-ASCII as \u escapes
        if args[0] == "list":
            assert data[0]["title"] == "قال المتحدث"


def test_list_on_an_ascii_terminal_shows_the_arabic_title_escaped(work: Path) -> None:
    run = annotator("list", "a.annot", cwd=work, env=ASCII_TERMINAL)
    assert "\\u0642\\u0627\\u0644" in run.out


def test_json_on_a_utf8_terminal_keeps_the_characters(work: Path) -> None:
    run = ok("list", "a.annot", "--json", cwd=work)
    assert "قال المتحدث" in run.out


# ---------------------------------------------------------------- every command succeeds
def test_every_command_succeeds_and_json_is_json(work: Path) -> None:
    for args in (("list", "a.annot", "--json"), ("stats", "a.annot", "--json"),
                 ("check", "a.annot", "--json"), ("agree", "a.annot", "b.annot", "--json")):
        ok(*args, cwd=work).json()
    run = ok("import", "a.annot", "in.jsonl", "--json", cwd=work)
    assert run.json()["skipped"] == 1
    run = ok("export", "a.annot", "--format", "csv", "-o", "x.csv", "--json", cwd=work)
    assert run.json()["spans"] == 4
    ok("check", "a.annot", cwd=work)
    ok("merge", "a.annot", "b.annot", "-o", "gold.annot", cwd=work)
    ok("backup", "a.annot", cwd=work)
    assert ok("backup", "a.annot", "--list", cwd=work).out.strip()


@pytest.mark.parametrize(("fmt", "out", "folder_files"), [
    ("jsonl", "x.jsonl", None), ("conll", "x.conll", None), ("csv", "x.csv", None),
    ("xlsx", "x.xlsx", None), ("spacy", "x.spacy", None),
    ("brat", "deep/er/brat", {"annotation.conf", "d1.txt", "d1.ann"}),
    ("xmi", "deep/er/xmi", {"TypeSystem.xml", "d1.xmi"}),
    ("webanno-tsv", "deep/er/tsv", None)])
def test_export_each_format(work: Path, fmt: str, out: str, folder_files: set[str] | None) -> None:
    ok("export", "a.annot", "--format", fmt, "-o", out, cwd=work)
    target = work / out
    assert target.exists()
    if folder_files is not None:
        assert folder_files <= {p.name for p in target.iterdir()}
    if fmt in ("brat", "xmi", "webanno-tsv"):
        assert target.is_dir()  # "-o … (created if missing)", parents too


@pytest.mark.parametrize(("flt", "spans"), [
    (("--layer", "attribution"), 2), (("--label", "hedge"), 1),
    (("--label", "attribution:cue"), 1), (("--status", "done"), 4), (("--status", "new"), 0),
    (("--document", "d1"), 4)])
def test_export_filters(work: Path, flt: tuple[str, str], spans: int) -> None:
    run = ok("export", "a.annot", "--format", "jsonl", "-o", "f.jsonl", *flt, "--json", cwd=work)
    assert run.json()["spans"] == spans


@pytest.mark.parametrize("flt", [("--layer", "attributon"), ("--label", "hedging:hege"),
                                 ("--label", "nope"), ("--document", "d9")])
def test_an_unknown_filter_value_is_an_error_not_an_empty_export(work: Path,
                                                                  flt: tuple[str, str]) -> None:
    fails("export", "a.annot", "--format", "jsonl", "-o", "f.jsonl", *flt, cwd=work,
          naming="a.annot")
    assert not (work / "f.jsonl").exists()


# ---------------------------------------------------------------- bad input
def test_errors_name_the_file_and_write_nothing(work: Path) -> None:
    (work / "empty.txt").write_bytes(b"")
    (work / "bin.txt").write_bytes(b"\x00\x01\x02")
    before = sha(work / "a.annot")
    fails("import", "a.annot", "empty.txt", cwd=work, naming="empty.txt")
    fails("import", "a.annot", "bin.txt", cwd=work, naming="bin.txt")
    fails("import", "a.annot", "nothere.txt", cwd=work, naming="nothere.txt")
    fails("import", "a.annot", "in.jsonl", "--format", "csv", cwd=work, naming="in.jsonl")
    assert sha(work / "a.annot") == before


def test_a_csv_without_a_text_column_gets_a_short_message(work: Path) -> None:
    header = ",".join(f"column number {i} with a long name" for i in range(40))
    (work / "wide.csv").write_text(header + "\n" + ",".join("x" * 40) + "\n", encoding="utf-8")
    run = fails("import", "a.annot", "wide.csv", cwd=work, naming="wide.csv")
    assert len(run.err_lines[0]) < 600


def test_an_unwritable_output_names_the_output_not_a_temporary_file(work: Path) -> None:
    run = fails("export", "a.annot", "--format", "jsonl", "-o", "/proc/x.jsonl", cwd=work,
                naming="/proc/x.jsonl")
    assert ".x.jsonl." not in run.err


def test_the_damaged_file_hint_is_a_command_that_works(work: Path) -> None:
    broken = work / "broken.annot"
    data = (work / "a.annot").read_bytes()
    broken.write_bytes(data[:5000])
    run = fails("list", "broken.annot", cwd=work, naming="broken.annot")
    assert run.err_lines[0].endswith(" (hint: see its backups with: annotator backup "
                                     "broken.annot --list)")
    ok("backup", "a.annot", cwd=work)
    listed = annotator("backup", "broken.annot", "--list", cwd=work)
    assert "Traceback" not in listed.err


def test_xmi_import_of_a_plain_file_names_that_file(work: Path) -> None:
    (work / "plain.txt").write_text("hello", encoding="utf-8")
    fails("import", "a.annot", "plain.txt", "--format", "xmi", cwd=work, naming="plain.txt")


# ---------------------------------------------------------------- no project file created
@pytest.mark.parametrize("args", [
    ("list", "missing.annot"), ("stats", "missing.annot"), ("check", "missing.annot"),
    ("export", "missing.annot", "--format", "jsonl", "-o", "x.jsonl"),
    ("import", "missing.annot", "in.jsonl"), ("backup", "missing.annot"),
    ("backup", "missing.annot", "--list"), ("agree", "a.annot", "missing.annot"),
    ("merge", "a.annot", "missing.annot", "-o", "m.annot"),
    ("backup", "missing.annot", "--restore", "a.annot")])
def test_no_command_creates_a_project_it_was_not_asked_for(work: Path,
                                                           args: tuple[str, ...]) -> None:
    fails(*args, cwd=work, naming="missing.annot")
    assert not (work / "missing.annot").exists()
    assert not (work / "m.annot").exists()
    assert not (work / "x.jsonl").exists()


def test_merge_never_overwrites_and_agree_merge_never_write_inputs(work: Path) -> None:
    (work / "taken.annot").write_bytes(b"mine")
    before = {n: sha(work / n) for n in ("a.annot", "b.annot", "taken.annot")}
    fails("merge", "a.annot", "b.annot", "-o", "taken.annot", cwd=work, naming="taken.annot")
    ok("agree", "a.annot", "b.annot", "--json", cwd=work)
    ok("merge", "a.annot", "b.annot", "-o", "gold.annot", cwd=work)
    assert {n: sha(work / n) for n in before} == before
    assert not list(work.glob("*-wal")) and not list(work.glob("*-journal"))


def test_a_file_not_ours_is_never_modified(work: Path) -> None:
    foreign = work / "foreign.db"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t(x)")
    con.commit()
    con.close()
    before = sha(foreign)
    for args in (("import", "foreign.db", "in.jsonl"), ("list", "foreign.db"),
                 ("check", "foreign.db"), ("backup", "foreign.db"),
                 ("agree", "foreign.db", "a.annot"),
                 ("backup", "foreign.db", "--restore", "a.annot")):
        fails(*args, cwd=work, naming="foreign.db")
    assert sha(foreign) == before


def test_project_file_marks(work: Path) -> None:
    con = sqlite3.connect(f"file:{work / 'a.annot'}?mode=ro", uri=True)
    try:
        app_id = con.execute("PRAGMA application_id").fetchone()[0]
        version = con.execute("PRAGMA user_version").fetchone()[0]
    finally:
        con.close()
    assert app_id != 0 and version >= 1


# ---------------------------------------------------------------- agree --json shape
def test_agree_json_has_the_documented_keys_with_null_for_undefined(work: Path) -> None:
    run = ok("agree", "a.annot", "b.annot", "--json", "--layer", "attribution",
             "--layer", "rhetoric", cwd=work)
    data = run.json()
    assert data["documents"] == {"matched": 1, "only_a": 0, "only_b": 0}
    keys = ["f1_exact", "f1_overlap", "kappa", "alpha", "spans_a", "spans_b", "labels"]
    for layer in ("attribution", "rhetoric"):
        assert list(data["layers"][layer])[:len(keys)] == keys
    att = data["layers"]["attribution"]
    assert att["f1_exact"] == 1.0 and att["spans_a"] == att["spans_b"] == 2
    assert {"f1_exact", "f1_overlap"} <= set(att["labels"]["cue"])
    rhet = data["layers"]["rhetoric"]  # no spans on either side: undefined, not 0 or 1
    assert rhet["f1_exact"] is None and rhet["f1_overlap"] is None
    assert rhet["kappa"] is None and rhet["alpha"] is None


def test_conll_layout(work: Path) -> None:
    ok("export", "a.annot", "--format", "conll", "-o", "x.conll", cwd=work)
    lines = (work / "x.conll").read_text(encoding="utf-8").split("\n")
    assert lines[0] == "# doc_id = d1"
    assert lines[1].startswith("# columns = TOKEN START END ")
    layers = lines[1].split()[6:]
    rows = [ln for ln in lines[2:] if ln and not ln.startswith("#")]
    for row in rows:
        token, start, end, *tags = row.split("\t")
        assert TEXT[int(start):int(end)] == token
        assert len(tags) == len(layers)
    assert "" in lines[2:-1]  # a blank line between sentences


def test_a_damaged_page_is_one_line_and_the_hint(work: Path) -> None:
    """SQLite's quick_check report spans several lines; the message stays one."""
    data = bytearray((work / "a.annot").read_bytes())
    data[2 * 4096:3 * 4096] = b"\x07" * 4096  # page 3 unreadable: a report of two lines
    (work / "paged.annot").write_bytes(bytes(data))
    for command in ("list", "check"):
        run = fails(command, "paged.annot", cwd=work, naming="paged.annot")
        assert len(run.err_lines) == 1 and "is damaged:" in run.err_lines[0]
        assert "(hint: see its backups" in run.err_lines[0]
