"""Helpers of the team tests: the CLI in-process, adding a user, a plain SQL connection."""

from __future__ import annotations

import psycopg
import pytest
from pgserver import PgServer

from annotator.cli import main


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def add_user(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
             server: PgServer, url: str, name: str, *extra: str) -> str:
    password = f"pw-{name}-secret"
    monkeypatch.setenv("ANNOTATOR_NEW_PASSWORD", password)
    code, out, err = cli(capsys, "server", "add-user", url, name, *extra)
    assert code == 0, err
    assert password not in out + err
    server.remember(name, password)
    return url.replace(url.split("//")[1].split("@")[0], name)


def sql(url: str, server: PgServer) -> psycopg.Connection:
    """A plain psycopg connection as the URL's user (no Annotator code in between)."""
    user = url.split("//")[1].split("@")[0]
    return psycopg.connect(host="127.0.0.1", port=server.port, user=user,
                           password=server.passwords[user], dbname=url.rsplit("/", 1)[1],
                           autocommit=True)


