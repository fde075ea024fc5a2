"""A real PostgreSQL server for the whole session (tests/team/pgserver.py); if it cannot start,
every test that needs it FAILS with the reason (never skipped)."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pgserver import PgServer, ServerError, start_server  # noqa: E402
from teamkit import add_user, cli  # noqa: E402

from annotator.core.model import CorpusDocument  # noqa: E402
from annotator.core.project import Project  # noqa: E402

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        server = start_server()
    except ServerError as exc:
        pytest.fail(f"the PostgreSQL server for the team tests could not start: {exc}",
                    pytrace=False)
    try:
        yield server
    finally:
        server.discard()


@pytest.fixture
def pg_env(pg_server: PgServer, monkeypatch: pytest.MonkeyPatch) -> PgServer:
    """Passwords through a passfile libpq reads (PGPASSFILE), as ~/.pgpass would."""
    monkeypatch.setenv("PGPASSFILE", str(pg_server.passfile))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    return pg_server


@pytest.fixture
def owner_url(pg_env: PgServer) -> str:
    """An empty database on the server, and its owner's address."""
    return pg_env.new_database(f"study{next(_counter)}")


@pytest.fixture
def team(owner_url: str, pg_env: PgServer, capsys: pytest.CaptureFixture[str],
         monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    code, out, err = cli(capsys, "server", "init", owner_url)
    assert code == 0, err
    urls = {"owner": owner_url}
    db = owner_url.rsplit("/", 1)[1]  # roles are the server's: one set per database
    for name in ("alice", "bob"):
        urls[name] = add_user(capsys, monkeypatch, pg_env, owner_url, f"{name}_{db}")
        urls[f"{name}_name"] = f"{name}_{db}"
    urls["cleo"] = add_user(capsys, monkeypatch, pg_env, owner_url, f"cleo_{db}", "--curator")
    with Project.open(urls["cleo"]) as p:
        p.import_documents([CorpusDocument(name=f"d{i}", text=f"Officials said plan {i} "
                                           "was not fully confirmed.") for i in (1, 2, 3)])
    for who in ("alice", "bob"):
        with Project.open(urls[who]) as p:
            assert p.annotator == urls[f"{who}_name"]
            for d in p.documents():
                span = p.add_span(d.pk, "attribution", "source", ((0, 9),))
            p.add_doc_annotation(d.pk, "article_stance", "against")
            urls[f"{who}_span"] = str(span.pk)
    return urls


@pytest.fixture
def gui_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The window's settings, data and backups in the test's own folder."""
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(tmp_path / "backups"))
