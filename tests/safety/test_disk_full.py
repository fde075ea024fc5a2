"""A full disk or a file that became read-only ends a write with a clear message and an intact
project: the whole transaction is rolled back."""

from __future__ import annotations

from pathlib import Path

import pytest
from safety_helpers import dump, sample_doc
from sqlalchemy import Engine, event

from annotator.cli import main
from annotator.core.errors import ReadOnlyError, StorageError
from annotator.core.project import Project
from annotator.core.storage import engine as eng


@pytest.fixture
def project(tmp_path: Path) -> Path:
    proj = tmp_path / "p.annot"
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("doc")])
    return proj


def cap_pages(monkeypatch: pytest.MonkeyPatch, extra: int) -> None:
    """Every engine made from now on sees a disk with room for ``extra`` more pages."""
    real = eng.make_engine

    def capped(*args, **kwargs) -> Engine:  # noqa: ANN002, ANN003
        engine = real(*args, **kwargs)

        @event.listens_for(engine, "connect")
        def _cap(dbapi_conn, _rec) -> None:  # noqa: ANN001
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count={pages + extra}")

        return engine

    monkeypatch.setattr(eng, "make_engine", capped)


def test_disk_full_during_a_cli_import(project: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus.jsonl"
    from annotator.formats.jsonl import dumps_document

    corpus.write_text("".join(dumps_document(sample_doc(f"n{i}", 10)) + "\n"
                              for i in range(300)), encoding="utf-8")
    before = dump(project)
    cap_pages(monkeypatch, 3)
    assert main(["import", str(project), str(corpus)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(project) in err[0] and "disk is full" in err[0]
    assert "nothing was changed" in err[0]
    monkeypatch.undo()
    assert dump(project) == before
    with Project.open(project) as p:
        assert p.check() == []


def test_disk_full_during_a_burst_of_edits(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cap_pages(monkeypatch, 2)
    with Project.open(project) as p:
        doc = p.documents()[0].pk
        done: list[int] = []
        with pytest.raises(StorageError, match="disk is full; nothing was changed"):
            for i in range(100_000):
                done.append(p.add_span(doc, "hedging", "hedge",
                                       ((i % 40 + 10, i % 40 + 11 + i // 40),),
                                       note="n" * 500 + str(i)).pk)
        assert len(done) > 0
        stored = {s.pk for s in p.spans(doc)}
        assert set(done) <= stored and len(stored) == 3 + len(done)  # the failed one is absent
    monkeypatch.undo()
    with Project.open(project) as p:
        assert p.check() == []
        assert p.documents()[0].span_count == 3 + len(done)


def test_file_turned_read_only_under_a_session(project: Path) -> None:
    with Project.open(project) as p:
        doc = p.documents()[0].pk

        @event.listens_for(p.engine, "connect")
        def _ro(dbapi_conn, _rec) -> None:  # noqa: ANN001
            dbapi_conn.execute("PRAGMA query_only=ON")

        p.engine.pool.dispose()
        before = dump(project)
        with pytest.raises(ReadOnlyError, match="cannot be written.*nothing was changed"):
            p.import_documents([sample_doc("new", 5)])
        with pytest.raises(ReadOnlyError):
            p.add_span(doc, "hedging", "hedge", ((0, 2),))
        assert dump(project) == before


def test_read_only_file_at_the_cli(project: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    import os

    real_access = os.access

    def access(path, mode, *a, **k) -> bool:  # noqa: ANN001, ANN002, ANN003
        if Path(path) == project and mode & os.W_OK:
            return False  # as for a non-root user on a chmod 444 file
        return real_access(path, mode, *a, **k)

    monkeypatch.setattr(os, "access", access)
    txt = tmp_path / "a.txt"
    txt.write_text("An article that cannot be imported into a read-only file.\n")
    before = dump(project)
    assert main(["import", str(project), str(txt)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot be written (read-only file or folder)" in err[0]
    with Project.open(project, fallback_readonly=True) as p:
        assert p.readonly and "read-only" in p.readonly_reason
    assert dump(project) == before
