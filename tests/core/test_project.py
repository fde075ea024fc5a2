"""The project file: create, open, refuse, lock, upgrade, integrity."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from annotator.core.errors import (
    AnnotatorError,
    DamagedProjectError,
    NewerProjectError,
    NotAProjectError,
    ProjectLockedError,
    ReadOnlyError,
)
from annotator.core.model import CorpusDocument, span_text
from annotator.core.project import Project
from annotator.core.storage import migrations, schema


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_created_project_is_marked_and_self_contained(project_path: Path) -> None:
    conn = sqlite3.connect(project_path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    siblings = sorted(p.name for p in project_path.parent.iterdir() if p.is_file())
    assert siblings == ["alice.annot"]


def test_spans_keep_code_point_offsets(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0]
        text = p.text(doc.pk)
        spans = p.spans(doc.pk)
        assert doc.span_count == 8
        stance = next(s for s in spans if s.label == "stance")
        assert stance.discontinuous
        assert span_text(text, stance.fragments) == "قال المتحدث جيدة"
        emoji = next(s for s in spans if s.label == "technique")
        assert text[emoji.start:emoji.end] == "👍🏽 the plan"


def test_every_edit_is_committed_at_once(project_path: Path) -> None:
    p = Project.open(project_path)
    doc = p.documents()[0].pk
    span = p.add_span(doc, "hedging", "booster", ((0, 9),))
    # a second, independent reader sees it before close
    conn = sqlite3.connect(f"file:{project_path}?mode=ro", uri=True)
    assert conn.execute("SELECT label FROM span WHERE id=?", (span.pk,)).fetchone() == ("booster",)
    conn.close()
    p.close()


def test_not_a_project_is_refused_and_untouched(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.annot"
    text_file.write_text("hello", encoding="utf-8")
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    before = sha(other)
    with pytest.raises(NotAProjectError, match="not an SQLite database"):
        Project.open(text_file)
    with pytest.raises(NotAProjectError, match="not an Annotator project"):
        Project.open(other)
    assert sha(other) == before
    with pytest.raises(NotAProjectError, match="no such project file"):
        Project.open(tmp_path / "missing.annot")
    assert not (tmp_path / "missing.annot").exists()


def test_newer_project_is_refused(project_path: Path) -> None:
    conn = sqlite3.connect(project_path)
    conn.execute(f"PRAGMA user_version={schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = sha(project_path)
    with pytest.raises(NewerProjectError, match="newer version"):
        Project.open(project_path)
    assert sha(project_path) == before


def test_damaged_file_is_refused(project_path: Path) -> None:
    data = bytearray(project_path.read_bytes())
    page = 4096
    for i in range(page + 100, min(len(data), 3 * page)):  # scribble over b-tree pages
        data[i] = 0xA5
    project_path.write_bytes(bytes(data))
    with pytest.raises((DamagedProjectError, NotAProjectError)):
        Project.open(project_path)


def test_second_writer_gets_read_only(project_path: Path) -> None:
    first = Project.open(project_path)
    with pytest.raises(ProjectLockedError, match="already open"):
        Project.open(project_path)
    second = Project.open(project_path, fallback_readonly=True)
    assert second.readonly and "another" in second.readonly_reason
    with pytest.raises(ReadOnlyError):
        second.add_span(second.documents()[0].pk, "hedging", "hedge", ((0, 4),))
    first.add_span(first.documents()[0].pk, "hedging", "hedge", ((0, 4),))
    second.close()
    first.close()
    # the lock went with the first program: a new writer gets in
    with Project.open(project_path) as again:
        assert not again.readonly


def test_read_only_file_opens_read_only(project_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # tests may run as root, for whom chmod 444 changes nothing: simulate the permission check
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK
                        else real_access(p, mode))
    before = sha(project_path)
    with pytest.raises(ReadOnlyError, match="read-only"):
        Project.open(project_path)
    with Project.open(project_path, fallback_readonly=True) as p:
        assert p.readonly and "read-only" in p.readonly_reason
        with pytest.raises(ReadOnlyError):
            p.set_status(p.documents()[0].pk, "done")
    assert sha(project_path) == before


def test_full_disk_is_a_clear_error_and_loses_nothing(project_path: Path) -> None:
    from annotator.core.errors import StorageError

    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        with p.engine.connect() as conn:  # cap the file at its current size: "disk full"
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        big = CorpusDocument(name="big", text="x" * 2_000_000)
        with pytest.raises(StorageError, match="disk is full"):
            p.engine.pool.dispose()
            from sqlalchemy import event

            @event.listens_for(p.engine, "connect")
            def _cap(dbapi_conn, _rec):  # noqa: ANN001
                dbapi_conn.execute(f"PRAGMA max_page_count={pages + 2}")

            p.import_documents([big])
        assert [d.name for d in p.documents()] == ["mixed"]
        assert len(p.spans(doc)) == 8
    with Project.open(project_path) as p:
        assert p.check() == []


def test_untrusted_open_writes_nothing(project_path: Path) -> None:
    before = sha(project_path)
    mtime = project_path.stat().st_mtime_ns
    with Project.open(project_path, untrusted=True) as p:
        assert p.documents()[0].span_count == 8
        with pytest.raises(ReadOnlyError):
            p.set_status(p.documents()[0].pk, "done")
    assert sha(project_path) == before
    assert project_path.stat().st_mtime_ns == mtime
    assert sorted(x.name for x in project_path.parent.iterdir() if x.is_file()) == ["alice.annot"]


def test_older_project_is_upgraded_after_a_backup(project_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # simulate a release whose schema 3 adds a column; the file on disk is schema 2
    def step(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE document ADD COLUMN source_url TEXT DEFAULT ''")

    monkeypatch.setitem(migrations.STEPS, 2, step)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 3)
    from annotator.core.storage import engine as eng

    monkeypatch.setattr(eng, "SCHEMA_VERSION", 3)
    import annotator.core.project as project_mod

    monkeypatch.setattr(project_mod, "SCHEMA_VERSION", 3)
    with Project.open(project_path) as p:
        assert p.upgraded_from == 2
        backup = p.upgrade_backup
    assert backup is not None and backup.exists()
    conn = sqlite3.connect(project_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    assert "source_url" in {r[1] for r in conn.execute("PRAGMA table_info(document)")}
    conn.close()
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 2
    assert old.execute("SELECT count(*) FROM span").fetchone()[0] == 8
    old.close()


def test_failed_upgrade_leaves_file_unchanged(project_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def bad_step(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE document ADD COLUMN x TEXT")
        conn.execute("ALTER TABLE no_such_table ADD COLUMN y TEXT")

    monkeypatch.setitem(migrations.STEPS, 2, bad_step)
    for mod in ("annotator.core.storage.migrations", "annotator.core.storage.engine",
                "annotator.core.project"):
        monkeypatch.setattr(f"{mod}.SCHEMA_VERSION", 3)
    with pytest.raises(DamagedProjectError, match="unchanged"):
        Project.open(project_path)
    conn = sqlite3.connect(project_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert "x" not in {r[1] for r in conn.execute("PRAGMA table_info(document)")}
    conn.close()


def test_check_finds_damage(project_path: Path) -> None:
    with Project.open(project_path) as p:
        assert p.check() == []
    conn = sqlite3.connect(project_path)
    conn.execute("UPDATE span SET end = 100000 WHERE label = 'cue'")
    conn.execute("UPDATE document SET text = text || 'x'")
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("DELETE FROM span WHERE label = 'source'")
    conn.commit()
    conn.close()
    with Project.open(project_path) as p:
        problems = "\n".join(p.check())
    assert "SHA-256" in problems
    assert "outside the text" in problems
    assert "relation" in problems


def test_duplicate_documents_are_skipped_and_names_made_unique(project_path: Path) -> None:
    with Project.open(project_path) as p:
        result = p.import_documents([CorpusDocument(name="mixed", text=p.text(1)),
                                     CorpusDocument(name="mixed", text="Another text.")])
        assert len(result.skipped) == 1 and "already in the project" in result.skipped[0]
        assert result.added == ["mixed-2"]


def test_import_is_all_or_nothing(project_path: Path) -> None:
    from annotator.core.errors import BadInputError
    from annotator.core.model import SpanRecord

    bad = CorpusDocument(name="bad", text="short",
                         spans=[SpanRecord("s1", "hedging", "hedge", ((2, 50),))])
    with Project.open(project_path) as p:
        with pytest.raises(BadInputError, match="outside the text"):
            p.import_documents([CorpusDocument(name="good", text="fine text"), bad])
        assert [d.name for d in p.documents()] == ["mixed"]


def test_unknown_labels_are_added_to_the_tagset(project_path: Path) -> None:
    from annotator.core.model import SpanRecord

    doc = CorpusDocument(name="f", text="framing text",
                         spans=[SpanRecord("s1", "framing", "conflict", ((0, 7),))])
    with Project.open(project_path) as p:
        result = p.import_documents([doc])
        assert result.labels_added == ["framing:conflict"]
        assert p.tagset.label("framing", "conflict") is not None
    with Project.open(project_path) as p:  # persisted
        assert p.tagset.label("framing", "conflict") is not None
        assert p.check() == []


def test_bad_span_edits_are_refused(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0]
        with pytest.raises(AnnotatorError, match="outside"):
            p.add_span(doc.pk, "hedging", "hedge", ((0, doc.length + 1),))
        with pytest.raises(AnnotatorError, match="overlaps"):
            p.add_span(doc.pk, "hedging", "hedge", ((5, 10), (8, 12)))
        assert len(p.spans(doc.pk)) == 8


def test_create_refuses_to_overwrite(project_path: Path) -> None:
    before = sha(project_path)
    with pytest.raises(AnnotatorError, match="already exists"):
        Project.create(project_path)
    assert sha(project_path) == before
