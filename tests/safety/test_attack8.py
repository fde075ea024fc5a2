"""Attacks on this session's changes: the switch to WAL at the first write, archive entries
whose names clash, the bound on names. Each test says what happened before its fix."""

from __future__ import annotations

import copy
import sqlite3
import zipfile
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import StorageError, TagsetError
from annotator.core.project import Project
from annotator.core.storage import engine as eng
from annotator.core.tagset import NAME_MAX, AttributeDef, LabelDef, RelationTypeDef


def journal_mode(p: Project) -> tuple[str, int]:
    with p._read() as s:
        raw = s.connection().connection.driver_connection
        return (raw.execute("PRAGMA journal_mode").fetchone()[0],
                raw.execute("PRAGMA synchronous").fetchone()[0])


# ----------------------------------------------------------------- lazy WAL
def test_a_switch_held_up_by_a_reader_is_tried_again_at_the_next_write(
        project_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: a reader's transaction open at the first write (an export in another process or
    thread) kept the switch from happening, and it was never tried again: the whole session
    stayed in rollback mode, where every later reader blocks every write ("database is
    locked" after the busy wait), which WAL mode exists to avoid; the refusal said only
    "database is locked", not what holds it up."""
    monkeypatch.setattr(eng, "BUSY_MS", 200, raising=False)  # the waits of this test, not 5 s each
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        before = len(p.spans(doc))
        reader = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM span").fetchone()
        with pytest.raises(StorageError, match="another program or window is reading it"):
            p.add_span(doc, "hedging", "hedge", ((0, 3),))
        assert journal_mode(p) == ("delete", 2)  # FULL while in rollback mode
        reader.execute("COMMIT")
        assert len(p.spans(doc)) == before  # the refused write stored nothing
        p.add_span(doc, "hedging", "hedge", ((0, 3),))
        assert journal_mode(p) == ("wal", 1)  # switched at this write
        reader.execute("BEGIN")  # a reader again: in WAL mode it holds up no write
        reader.execute("SELECT count(*) FROM span").fetchone()
        p.add_span(doc, "hedging", "hedge", ((1, 3),))
        reader.execute("COMMIT")
        reader.close()
        assert len(p.spans(doc)) == before + 2
    assert [q.name for q in project_path.parent.iterdir()
            if q.name.startswith(project_path.name)] == [project_path.name]


# ----------------------------------------------------------------- archive entries
def _zip(path: Path, names: list[str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for i, name in enumerate(names):
            zf.writestr(name, f"Article number {i} says something.")
    return path


@pytest.mark.parametrize("names", [
    ["A.txt", "a.txt"],
    ["Docs/a.txt", "docs/a.txt"],
    ["caf\u00e9.txt", "cafe\u0301.txt"],  # NFC and NFD
    ["a.txt", "a.txt."],
    ["a.txt", "a.txt "],
], ids=["case", "folder-case", "nfc-nfd", "trailing-dot", "trailing-space"])
def test_archive_entries_one_file_on_macos_or_windows_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], names: list[str]) -> None:
    """Before: both imported here, while on macOS or Windows the second overwrote the first
    when extracted (one article silently lost, which one depending on the entries' order)."""
    from tests.safety.safety_helpers import refused

    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    before = proj.read_bytes()
    line = refused(capsys, ["import", str(proj), str(_zip(tmp_path / "in.zip", names))],
                   "in.zip", "two entries of one name", "macOS or Windows")
    assert "Traceback" not in line
    assert proj.read_bytes() == before


def test_archive_names_that_differ_by_more_than_case_are_both_imported(
        tmp_path: Path) -> None:
    """'Straße' and 'Strasse' are two files on macOS and Windows too (full Unicode case
    folding, which calls them one, is not what those file systems do). A guard on the fix
    above: it passed before that fix too."""
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    archive = _zip(tmp_path / "in.zip", ["Straße.txt", "Strasse.txt"])
    assert main(["import", str(proj), str(archive)]) == 0
    with Project.open(proj, readonly=True) as p:
        assert len(p.documents()) == 2


def test_archive_file_and_folder_alike_but_for_case_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before: 'docs' (a file) and 'Docs/a.txt' both extracted here; on macOS or Windows the
    folder cannot be made beside the file (an OS error for the one, or the file lost)."""
    from tests.safety.safety_helpers import refused

    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    refused(capsys, ["import", str(proj), str(_zip(tmp_path / "in.zip", ["docs", "Docs/a.txt"]))],
            "'docs' is a file", "'Docs/a.txt' makes it a folder")


def test_deep_archive_names_are_checked_in_time_linear_in_their_length() -> None:
    """Before: each file entry built every one of its parent folders anew (quadratic in its
    depth): 100 entries 4,000 folders deep took about 8 s here (a 1 MB archive could hang an
    import for minutes); now a fraction of a second."""
    import time

    from annotator.formats._archive import _members

    infos = [zipfile.ZipInfo("/".join(["a"] * 4000) + f"/x{i}.txt") for i in range(100)]
    started = time.perf_counter()
    assert len(_members(infos, Path("deep.zip"))) == 100
    assert time.perf_counter() - started < 3.0


# ----------------------------------------------------------------- name length
LONG = "n" * (NAME_MAX + 1)


def _doc_labels(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT label FROM doc_annotation")]
    finally:
        conn.close()


def test_a_document_label_too_long_is_refused_before_it_is_stored(project_path: Path) -> None:
    """Before: the document annotation was committed, and only then did the tagset refuse its
    label: the call raised, yet the file held a label the tagset does not have."""
    before = project_path.read_bytes()
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        with pytest.raises(TagsetError, match="characters long"):
            p.add_doc_annotation(doc, "genre", LONG)
    assert project_path.read_bytes() == before
    with Project.open(project_path) as p:
        made = p.add_doc_annotation(doc, "genre", "news")
        with pytest.raises(TagsetError, match="characters long"):
            p.update_doc_annotation(made.pk, label=LONG)
        assert p.doc_annotation(made.pk).label == "news"
        p.add_doc_annotation(doc, "genre", "g" * NAME_MAX)  # the longest is taken
    assert sorted(_doc_labels(project_path), key=len) == ["news", "g" * NAME_MAX]


def _longest(path: Path) -> int:
    with Project.open(path, readonly=True) as p:
        return max(len(name) for name, _ in p.tagset.named())


def test_renaming_a_label_to_a_name_too_long_is_refused(project_path: Path) -> None:
    """Before: rename_label renamed the label in the tagset (no check on that path) and
    stored it with the spans: a 501-character label in the file."""
    before = project_path.read_bytes()
    with Project.open(project_path) as p, pytest.raises(TagsetError, match="characters long"):
        p.rename_label("hedging", "hedge", LONG)
    assert project_path.read_bytes() == before
    with Project.open(project_path) as p:
        p.rename_label("hedging", "hedge", "h" * NAME_MAX)
    assert _longest(project_path) == NAME_MAX


def test_a_tagset_built_in_code_with_a_name_too_long_is_refused(project_path: Path) -> None:
    """Before: set_tagset (the tagset editor's path) and rename_labels(tagset=...) stored any
    name: only a tagset file and a label added on the fly were checked."""
    before = project_path.read_bytes()
    with Project.open(project_path) as p:
        for make in (lambda lay: lay.labels.append(LabelDef(name=LONG)),
                     lambda lay: lay.attributes.append(AttributeDef(name=LONG, type="text")),
                     lambda lay: setattr(lay, "name", LONG)):
            ts = copy.deepcopy(p.tagset)
            make(ts.layer("hedging"))
            with pytest.raises(TagsetError, match="characters long"):
                p.set_tagset(ts)
            with pytest.raises(TagsetError, match="characters long"):
                p.rename_labels({("hedging", "hedge"): ("hedging", "hedged")}, tagset=ts)
        ts = copy.deepcopy(p.tagset)
        ts.relation_types.append(RelationTypeDef(name=LONG))
        with pytest.raises(TagsetError, match="characters long"):
            p.set_tagset(ts)
    assert project_path.read_bytes() == before


def _store_long_label(project_path: Path) -> None:
    """Rename the tagset's ``booster`` to a name over the bound, as a file stored before the
    bound could hold it (written with plain SQL, past every check)."""
    conn = sqlite3.connect(project_path)
    conn.execute("UPDATE tagset_label SET name = ? WHERE name = 'booster'", (LONG,))
    conn.commit()
    conn.close()
    with Project.open(project_path, readonly=True) as p:
        if p.tagset.label("hedging", LONG) is None:
            pytest.fail("the tagset table is not laid out as this test thinks")


def test_a_name_stored_before_the_bound_does_not_stop_later_tagset_changes(
        project_path: Path) -> None:
    """A project whose tagset already holds a long name (stored before the bound) keeps
    working: only names new to the tagset are checked. (A guard on the fix above, which
    checks whole tagsets: it passed before that fix too.)"""
    _store_long_label(project_path)
    with Project.open(project_path) as p:
        ts = copy.deepcopy(p.tagset)
        ts.layer("hedging").labels.append(LabelDef(name="new"))
        p.set_tagset(ts)
        assert p.tagset.label("hedging", "new") is not None


def test_a_codebook_code_too_long_is_refused_in_a_line_naming_the_codebook(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before: 'annotator: the name of a label … is 501 characters long' without the file."""
    from tests.safety.safety_helpers import refused

    source, target = tmp_path / "a.annot", tmp_path / "b.annot"
    assert main(["new", str(source)]) == 0 and main(["new", str(target)]) == 0
    book = tmp_path / "book.qdc"
    assert main(["export", str(source), "--format", "refi-qdc", "-o", str(book)]) == 0
    text = book.read_text(encoding="utf-8")
    long_book = tmp_path / "long.qdc"
    long_book.write_text(text.replace('name="hedge"', f'name="{LONG}"', 1), encoding="utf-8")
    before = target.read_bytes()
    refused(capsys, ["import", str(target), str(long_book)], str(long_book), "characters long")
    assert target.read_bytes() == before


def test_a_label_stored_before_the_bound_can_still_be_tagged(
        project_path: Path) -> None:
    """Spans of a long label the tagset already holds can still be made (the check before the
    write lets names the tagset knows pass, as the tagset's own check does); a new long one is
    still refused."""
    _store_long_label(project_path)
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        span = p.add_span(doc, "hedging", LONG, ((0, 3),))
        assert span.label == LONG
        p.add_spans(doc, [("hedging", LONG, ((4, 6),), None)])
        with pytest.raises(TagsetError, match="characters long"):
            p.add_span(doc, "hedging", LONG + "x", ((0, 3),))
        assert sum(s.label == LONG for s in p.spans(doc)) == 2
