"""Exports cannot escape their folder or carry spreadsheet formulas, and a failed export
(disk full) leaves no partial file behind."""

from __future__ import annotations

import csv
import errno
import sqlite3
from pathlib import Path

import pytest
from safety_helpers import SAMPLE

from annotator.cli import main
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project
from annotator.core.text import safe_filename

HOSTILE_NAMES = ["../../evil", "CON", "a/b", "", "..", "/etc/passwd", "nul.txt", "x\\..\\y"]
DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
           *(f"LPT{i}" for i in range(1, 10))}


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.fixture
def named_project(tmp_path: Path) -> Path:
    proj = tmp_path / "work" / "p.annot"
    proj.parent.mkdir()
    docs = [CorpusDocument(name=f"tmp{i}", title=n or "empty", text=f"{i} {SAMPLE}",
                           spans=[SpanRecord("s1", "hedging", "hedge", ((0, 1),))])
            for i, n in enumerate(HOSTILE_NAMES)]
    with Project.create(proj) as p:
        p.import_documents(docs)
    conn = sqlite3.connect(proj)  # names straight into the file, as a hostile one could hold
    for i, n in enumerate(HOSTILE_NAMES):
        conn.execute("UPDATE document SET name = ? WHERE name = ?", (n, f"tmp{i}"))
    conn.commit()
    conn.close()
    return proj


@pytest.mark.parametrize("fmt", ["brat", "xmi", "webanno-tsv"])
def test_document_names_cannot_escape_the_export_folder(
        named_project: Path, tmp_path: Path, fmt: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "work" / "deep" / "out"
    out.parent.mkdir()
    before = files_under(tmp_path) - files_under(tmp_path / "backups")
    assert main(["export", str(named_project), "--format", fmt, "-o", str(out)]) == 0, \
        capsys.readouterr().err
    after = files_under(tmp_path) - files_under(tmp_path / "backups")
    new = after - before
    assert all(out in p.parents or p == out for p in new), sorted(new - {out})
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all(p.parent == out for p in written)  # flat: "a/b" made no sub-folder
    stems = {p.name.split(".")[0].upper() for p in written}
    assert not stems & DEVICES
    assert all(p.name.strip(". ") and not p.name.startswith("..") for p in written)
    per_doc = [p for p in written if p.suffix in (".ann", ".xmi", ".tsv")]
    assert len(per_doc) == len(HOSTILE_NAMES)  # no two documents overwrote each other


def test_safe_filename_contract() -> None:
    taken: set[str] = set()
    got = [safe_filename(n, taken) for n in HOSTILE_NAMES + ["con", "Con.txt", "a?b*c", "x. "]]
    for name in got:
        assert "/" not in name and "\\" not in name and name not in ("", ".", "..")
        assert name.split(".")[0].upper() not in DEVICES
        assert not name.endswith((".", " "))
    assert len({g.casefold() for g in got}) == len(got)


FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR",
            "=cmd|' /C calc'!A0"]


@pytest.fixture
def formula_project(tmp_path: Path) -> Path:
    proj = tmp_path / "f.annot"
    text = " ".join(FORMULAS) + " end"
    spans = []
    pos = 0
    for i, f in enumerate(FORMULAS):
        spans.append(SpanRecord(f"s{i}", "hedging", "hedge", ((pos, pos + len(f)),),
                                {"certainty": f}, note=f))
        pos += len(f) + 1
    docs = [CorpusDocument(name="=1+2", title="@title", text=text, spans=spans)]
    with Project.create(proj, annotator="=evil()") as p:
        p.import_documents(docs)
    return proj


def is_formula(value: str) -> bool:
    return value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def test_csv_cells_carry_no_formulas(formula_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "spans.csv"
    assert main(["export", str(formula_project), "--format", "csv", "-o", str(out)]) == 0
    with out.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    cells = [c for row in rows[1:] for c in row]
    assert len(rows) == 1 + len(FORMULAS)
    assert [c for c in cells if is_formula(c)] == []
    assert any(c.startswith("'=HYPERLINK") for c in cells)  # neutralised, not dropped


def test_xlsx_cells_carry_no_formulas(formula_project: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "spans.xlsx"
    assert main(["export", str(formula_project), "--format", "xlsx", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not is_formula(cell.value), (cell.coordinate, cell.value)
                    seen += 1
    assert seen > len(FORMULAS)


@pytest.mark.parametrize("fmt, directory", [("jsonl", False), ("brat", True), ("csv", False)])
def test_disk_full_during_export_leaves_no_partial_output(
        formula_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], fmt: str, directory: bool) -> None:
    from annotator.formats.registry import get_format

    cls = type(get_format(fmt))
    real_write = cls.write

    def full(self, docs, out, tagset, options):  # noqa: ANN001, ANN202
        real_write(self, docs, out, tagset, options)  # write everything, then fail
        raise OSError(errno.ENOSPC, "No space left on device", str(out))

    out = tmp_path / "exports" / ("corpus" if directory else f"corpus.{fmt}")
    out.parent.mkdir()
    if not directory:
        out.write_text("previous export\n")
    monkeypatch.setattr(cls, "write", full)
    code = main(["export", str(formula_project), "--format", fmt, "-o", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "No space left on device" in err[0]
    left = sorted(p.name for p in out.parent.iterdir())
    if directory:
        assert left == []  # no folder, no temporary folder
    else:
        assert left == [out.name] and out.read_text() == "previous export\n"


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "conll"])
def test_an_export_never_overwrites_a_project_or_its_sidecars(tmp_path: Path, fmt: str) -> None:
    """`export p.annot -o p.annot` once replaced the project by a text file (exit 0)."""
    import subprocess
    import sys

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "annotator", *args], cwd=tmp_path,
                              capture_output=True, text=True)

    (tmp_path / "t.txt").write_text("Some text of an article.\n", encoding="utf-8")
    for name in ("p.annot", "q.annot"):
        assert cli("new", name).returncode == 0
        assert cli("import", name, "t.txt").returncode == 0
    targets = ["p.annot", "q.annot", "p.annot-wal", "p.annot-journal"]
    before = {n: (tmp_path / n).read_bytes() for n in ("p.annot", "q.annot")}
    listing = sorted(x.name for x in tmp_path.iterdir())
    for target in targets:
        done = cli("export", "p.annot", "--format", fmt, "-o", target)
        assert done.returncode == 1, (target, done.stdout)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and target in lines[0] and "Traceback" not in done.stderr
    assert {n: (tmp_path / n).read_bytes() for n in before} == before
    assert sorted(x.name for x in tmp_path.iterdir()) == listing
