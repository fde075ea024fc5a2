"""A colleague's project file is data, never code: hostile triggers, views and schemas are read
without running or refused, and opening it for review writes nothing at all."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from safety_helpers import dump, sample_doc, sidecars

from annotator.cli import main
from annotator.core.errors import DamagedProjectError, NotAProjectError, ReadOnlyError
from annotator.core.project import Project
from annotator.core.storage import engine as eng

HOSTILE = """
CREATE TABLE loot(what TEXT);
CREATE TRIGGER grab_insert AFTER INSERT ON span BEGIN
  INSERT INTO loot VALUES ('insert ' || new.label); DELETE FROM document; END;
CREATE TRIGGER grab_update AFTER UPDATE ON span BEGIN INSERT INTO loot VALUES ('update'); END;
CREATE TRIGGER grab_delete AFTER DELETE ON span BEGIN INSERT INTO loot VALUES ('delete'); END;
CREATE VIEW spy AS SELECT text FROM document;
"""


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    proj = tmp_path / "colleague.annot"
    with Project.create(proj, annotator="bob") as p:
        p.import_documents([sample_doc("a"), sample_doc("b")])
    conn = sqlite3.connect(proj)
    conn.executescript(HOSTILE)
    conn.close()
    assert sidecars(proj) == []
    return proj


def test_hostile_file_opened_untrusted_is_read_fully_and_left_byte_identical(
        hostile: Path) -> None:
    before, mtime = sha(hostile), hostile.stat().st_mtime_ns
    with Project.open(hostile, untrusted=True) as p:
        docs = p.documents()
        assert [d.name for d in docs] == ["a", "b"]
        corpus = list(p.iter_corpus())
        assert sum(len(d.spans) for d in corpus) == 6
        assert all(p.text(d.pk).startswith(d.name) for d in docs)
        assert p.stats()["spans"] == 6
        assert any("trigger 'grab_insert'" in x for x in p.check())  # reported, not run
        with pytest.raises(ReadOnlyError):
            p.add_span(docs[0].pk, "hedging", "hedge", ((0, 1),))
    assert sha(hostile) == before and hostile.stat().st_mtime_ns == mtime
    assert sidecars(hostile) == []
    conn = sqlite3.connect(f"file:{hostile}?mode=ro", uri=True)
    assert conn.execute("SELECT count(*) FROM loot").fetchone() == (0,)
    conn.close()


def test_hostile_file_is_refused_for_writing_so_its_triggers_never_run(
        hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = dump(hostile)
    with pytest.raises(NotAProjectError,
                       match="contains a trigger 'grab_insert' that Annotator does not create"):
        Project.open(hostile)
    txt = tmp_path / "new.txt"
    txt.write_text("Some article text that would add a document and spans here.\n")
    assert main(["import", str(hostile), str(txt)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(hostile) in err[0] and "does not create" in err[0]
    assert dump(hostile) == before  # nothing inserted, no trigger fired (loot still empty)
    assert "INSERT INTO \"loot\"" not in before and "INSERT INTO \"loot\"" not in dump(hostile)


def test_a_view_alone_is_also_refused_for_writing(tmp_path: Path) -> None:
    proj = tmp_path / "v.annot"
    with Project.create(proj) as p:
        p.import_documents([sample_doc("a")])
    conn = sqlite3.connect(proj)
    conn.execute("CREATE VIEW spy AS SELECT * FROM span")
    conn.close()
    with pytest.raises(NotAProjectError, match="view 'spy'"):
        Project.open(proj)
    with Project.open(proj, untrusted=True) as p:
        assert p.documents()[0].span_count == 3


def make_ours(path: Path, script: str) -> None:
    """An SQLite file marked as an Annotator project, with whatever schema ``script`` makes."""
    from annotator.core.storage.schema import APPLICATION_ID, SCHEMA_VERSION

    conn = sqlite3.connect(path)
    conn.executescript(script)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("untrusted", [False, True])
def test_a_span_table_with_other_columns_is_refused(tmp_path: Path, untrusted: bool) -> None:
    proj = tmp_path / "fake.annot"
    with Project.create(proj) as p:
        p.import_documents([sample_doc("a")])
    conn = sqlite3.connect(proj)
    conn.executescript("DROP TABLE span;"
                       "CREATE TABLE span(id INTEGER PRIMARY KEY, document_id INT, payload BLOB);")
    conn.close()
    with pytest.raises(NotAProjectError, match="table 'span' lacks the column"):
        Project.open(proj, untrusted=untrusted)


def test_a_rewritten_sqlite_master_is_refused(tmp_path: Path) -> None:
    proj = tmp_path / "forged.annot"
    with Project.create(proj) as p:
        p.import_documents([sample_doc("a")])
    conn = sqlite3.connect(proj)
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE span(id INTEGER PRIMARY KEY, "
                 "evil TEXT)' WHERE name = 'span'")
    conn.commit()
    conn.close()
    before = sha(proj)
    for untrusted in (True, False):
        with pytest.raises((NotAProjectError, DamagedProjectError)):
            Project.open(proj, untrusted=untrusted)
    assert sha(proj) == before


def test_tables_that_are_views_are_refused(tmp_path: Path) -> None:
    proj = tmp_path / "views.annot"
    make_ours(proj, "CREATE TABLE stash(x); CREATE VIEW span AS SELECT * FROM stash;")
    with pytest.raises(NotAProjectError, match="lacks the table"):
        Project.open(proj, untrusted=True)


def test_a_damaged_file_is_refused_by_quick_check(tmp_path: Path) -> None:
    proj = tmp_path / "broken.annot"
    with Project.create(proj) as p:
        p.import_documents([sample_doc(f"d{i}", 20) for i in range(50)])
    data = bytearray(proj.read_bytes())
    page = 4096
    for i in range(2 * page + 8, len(data) - page, page):  # scribble over page contents
        data[i:i + 64] = b"\xff" * 64
    proj.write_bytes(bytes(data))
    before = sha(proj)
    with pytest.raises((DamagedProjectError, NotAProjectError)) as info:
        Project.open(proj, untrusted=True)
    assert str(proj) in str(info.value)
    assert sha(proj) == before and sidecars(proj) == []


def test_read_only_connections_ask_for_defensive_mode_when_python_offers_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, bool]] = []

    class Conn:
        def setconfig(self, op: int, enable: bool) -> None:
            calls.append((op, enable))

    monkeypatch.setattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE", 1010, raising=False)
    eng._defensive(Conn())  # type: ignore[arg-type]
    assert calls == [(1010, True)]
    calls.clear()
    monkeypatch.delattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE")
    eng._defensive(Conn())  # type: ignore[arg-type]  # Python 3.11: not offered, no error
    assert calls == []


def test_untrusted_connections_are_read_only_with_hardening_pragmas(hostile: Path) -> None:
    with Project.open(hostile, untrusted=True) as p, eng.raw_connection(p.engine) as conn:
        assert conn.execute("PRAGMA trusted_schema").fetchone() == (0,)
        assert conn.execute("PRAGMA query_only").fetchone() == (1,)
        assert conn.execute("PRAGMA cell_size_check").fetchone() == (1,)
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("INSERT INTO loot VALUES ('x')")
        if hasattr(conn, "getconfig"):
            assert conn.getconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE)


XMI_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmi:version="2.0">&lol3;</xmi:XMI>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmi:version="2.0">&secret;</xmi:XMI>
"""


@pytest.mark.parametrize("payload, where", [(XMI_BOMB, "doc.xmi"), (XXE, "doc.xmi"),
                                            (XXE, "TypeSystem.xml")])
def test_xml_with_dtd_or_entities_is_refused_at_the_cli(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], payload: bytes, where: str) -> None:
    proj = tmp_path / "p.annot"
    with Project.create(proj) as p:
        p.import_documents([sample_doc("a")])
    folder = tmp_path / "corpus"
    folder.mkdir()
    out = tmp_path / "good"
    assert main(["export", str(proj), "--format", "xmi", "-o", str(out)]) == 0
    for f in out.iterdir():
        (folder / ("doc.xmi" if f.suffix == ".xmi" else f.name)).write_bytes(f.read_bytes())
    (folder / where).write_bytes(payload)
    capsys.readouterr()
    before = dump(proj)
    assert main(["import", str(proj), str(folder), "--format", "xmi"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert where in err[0] and ("DTD" in err[0] or "entit" in err[0])
    assert "root:" not in err[0]
    assert dump(proj) == before


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of ``folder``: its bytes and modification time (ns)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_refused_writable_open_leaves_the_file_byte_identical(
        hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every check comes before the first write: no WAL switch, no -wal/-shm left."""
    before = folder_state(hostile.parent)
    with pytest.raises(NotAProjectError, match="trigger 'grab_insert'"):
        Project.open(hostile)
    assert folder_state(hostile.parent) == before
    txt = hostile.parent / "new.txt"
    txt.write_text("Some article text that would add a document and spans here.\n")
    before = folder_state(hostile.parent)
    assert main(["import", str(hostile), str(txt)]) == 1
    capsys.readouterr()
    assert folder_state(hostile.parent) == before


def older_schema(monkeypatch: pytest.MonkeyPatch, *, with_step: bool) -> None:
    """This release's schema is 3; the files on disk are schema 2."""
    from annotator.core.storage import migrations

    if with_step:
        monkeypatch.setitem(migrations.STEPS, 2, lambda conn: conn.execute(
            "ALTER TABLE document ADD COLUMN source_url TEXT DEFAULT ''"))
    else:
        monkeypatch.delitem(migrations.STEPS, 2, raising=False)
    for mod in ("annotator.core.storage.migrations", "annotator.core.storage.engine",
                "annotator.core.storage.schema", "annotator.core.project",
                "annotator.core.quick_read"):
        monkeypatch.setattr(f"{mod}.SCHEMA_VERSION", 3)


def test_an_older_file_that_cannot_be_upgraded_is_refused_untouched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    proj = tmp_path / "old.annot"
    with Project.create(proj) as p:
        p.import_documents([sample_doc("a")])
    older_schema(monkeypatch, with_step=False)
    before = folder_state(tmp_path)
    with pytest.raises(DamagedProjectError, match="cannot upgrade"):
        Project.open(proj)
    assert folder_state(tmp_path) == before


def test_agree_and_merge_read_an_upgraded_copy_of_an_older_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from annotator.review.sources import load_review

    a, b = tmp_path / "a.annot", tmp_path / "b.annot"
    for path, name in ((a, "ann"), (b, "bob")):
        with Project.create(path, annotator=name) as p:
            p.import_documents([sample_doc("doc")])
    older_schema(monkeypatch, with_step=True)
    before = folder_state(tmp_path)
    review = load_review([a, b])
    assert [len(d.spans) for d in review.documents(review.matched[0])] == [3, 3]
    with Project.open(b, untrusted=True) as p:
        assert p.upgraded_from == 2 and p.upgrade_backup is None
        with eng.raw_connection(p.engine) as conn:  # what is read is the upgraded copy
            cols = {r[1] for r in conn.execute("PRAGMA table_info(document)")}
        assert "source_url" in cols
    assert main(["agree", str(a), str(b), "--json"]) == 0
    assert folder_state(tmp_path) == before  # neither file upgraded, no backup beside them
    gold = tmp_path / "gold.annot"
    assert main(["merge", str(a), str(b), "-o", str(gold)]) == 0
    capsys.readouterr()
    assert {k: v for k, v in folder_state(tmp_path).items() if k != "gold.annot"} == before
