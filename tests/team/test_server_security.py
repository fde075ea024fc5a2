"""Permissions enforced by the database: real roles, plain SQL (psycopg), no Annotator client
in between. As coder alice in blind mode: bob's spans cannot be read, changed or deleted; the
tagset, settings and assignments cannot be changed; spans in alice's name only."""

from __future__ import annotations

import json

import psycopg
import pytest
from pgserver import PgServer
from teamkit import cli as _cli
from teamkit import sql as _sql

from annotator.core.project import Project


def _refused(conn: psycopg.Connection, sql: str) -> str:
    with pytest.raises(psycopg.Error) as caught:
        conn.execute(sql)
    return str(caught.value)


def test_alice_cannot_read_change_or_delete_bobs_spans(team: dict[str, str],
                                                       pg_env: PgServer) -> None:
    alice, bob = team["alice_name"], team["bob_name"]
    with _sql(team["alice"], pg_env) as conn:
        who = {r[0] for r in conn.execute("SELECT annotator FROM span")}
        assert who == {alice}
        assert conn.execute(f"SELECT count(*) FROM span WHERE annotator = '{bob}'").fetchone() \
            == (0,)
        # updates and deletes of bob's rows match nothing: the rows stay as they were
        assert conn.execute(f"UPDATE span SET label = 'cue' WHERE annotator = '{bob}'"
                            ).rowcount == 0
        assert conn.execute(f"DELETE FROM span WHERE annotator = '{bob}'").rowcount == 0
        # a span in bob's name, or taking one of alice's over to bob, is refused
        doc = conn.execute("SELECT id FROM document LIMIT 1").fetchone()[0]
        msg = _refused(conn, "INSERT INTO span (document_id, layer, label, start, \"end\", "
                       "attributes, note, annotator, created, modified) VALUES "
                       f"({doc}, 'stance', 'target', 0, 3, '{{}}', '', '{bob}', '', '')")
        assert "row-level security" in msg
        msg = _refused(conn, f"UPDATE span SET annotator = '{bob}' WHERE annotator = '{alice}'")
        assert "row-level security" in msg
        # schema 2's document-level annotations and span provenance: the same rules
        assert conn.execute("SELECT count(*) FROM doc_annotation").fetchone() == (1,)
        msg = _refused(conn, "INSERT INTO doc_annotation (document_id, layer, label, attributes, "
                       f"annotator, created, modified) VALUES ({doc}, 'article_stance', "
                       f"'against', '{{}}', '{bob}', '', '')")
        assert "row-level security" in msg
        assert conn.execute("SELECT count(*) FROM span_origin").fetchone() == (0,)
        bobs_span = team["bob_span"]
        msg = _refused(conn, "INSERT INTO span_origin (span_id, origin) VALUES "
                       f"({bobs_span}, '{{}}')")
        assert "row-level security" in msg
    with _sql(team["owner"], pg_env) as conn:
        labels = conn.execute("SELECT annotator, label, count(*) FROM span GROUP BY 1, 2 "
                              "ORDER BY 1").fetchall()
        assert labels == [(alice, "source", 3), (bob, "source", 3)]


def test_alice_cannot_change_the_tagset_settings_or_assignments(team: dict[str, str],
                                                                pg_env: PgServer) -> None:
    with _sql(team["alice"], pg_env) as conn:
        assert conn.execute("SELECT count(*) FROM tagset_layer").fetchone()[0] > 0
        for sql in ("UPDATE tagset_label SET name = 'x'", "DELETE FROM tagset_layer",
                    "INSERT INTO tagset_relation_type (name, description, position, source, "
                    "target, attributes) VALUES ('x', '', 0, '[]', '[]', '[]')",
                    "UPDATE project_meta SET value = '0' WHERE key = 'team_blind'",
                    "INSERT INTO assignment (document_id, annotator) VALUES (1, current_user)",
                    "UPDATE document SET text = 'changed'",
                    "DELETE FROM document"):
            assert "permission denied" in _refused(conn, sql), sql
    with Project.open(team["alice"]) as p:  # through the client, the same refusal
        ts = p.tagset
        ts.ensure_label("stance", "invented")
        with pytest.raises(Exception, match="permission denied"):
            p.set_tagset(ts)


def test_assignments_limit_what_a_coder_reads(team: dict[str, str], pg_env: PgServer,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(capsys, "server", "assign", team["cleo"], "--annotators",
                          f"{team['alice_name']},{team['bob_name']}", "--overlap", "0",
                          "--seed", "3", "--json")
    assert code == 0, err
    with _sql(team["alice"], pg_env) as conn:
        names = sorted(r[0] for r in conn.execute("SELECT name FROM document"))
    with _sql(team["bob"], pg_env) as conn:
        names_bob = sorted(r[0] for r in conn.execute("SELECT name FROM document"))
    assert sorted(names + names_bob) == ["d1", "d2", "d3"]  # each document to one of them
    with _sql(team["alice"], pg_env) as conn:  # and alice cannot re-assign herself
        assert conn.execute("UPDATE assignment SET status = 'done' WHERE annotator <> "
                            "current_user").rowcount == 0
        assert "permission denied" in _refused(conn, "DELETE FROM assignment")
    with Project.open(team["alice"]) as p:  # her own status of her documents, not bob's
        mine = p.assignments(annotator=team["alice_name"])
        assert mine and not p.assignments(annotator=team["bob_name"])  # blind: not even those
        assert p.set_assignment_status(mine[0].document, team["alice_name"], "done") == "new"
        with pytest.raises(Exception, match="not assigned"):
            p.set_assignment_status(mine[0].document, team["bob_name"], "done")
    code, out, err = _cli(capsys, "server", "progress", team["cleo"], "--json")
    progress = json.loads(out)
    assert progress[team["alice_name"]]["done"] == 1
    assert progress[team["bob_name"]]["done"] == 0
    code, out, err = _cli(capsys, "server", "assign", team["alice"], "--annotators",
                          team["alice_name"])
    assert code == 1 and "permission denied" in err and len(err.strip().splitlines()) == 1


def test_without_blind_mode_coders_read_each_others_spans(team: dict[str, str],
                                                          pg_env: PgServer) -> None:
    with _sql(team["owner"], pg_env) as conn:
        conn.execute("UPDATE project_meta SET value = '0' WHERE key = 'team_blind'")
    with _sql(team["alice"], pg_env) as conn:
        assert {r[0] for r in conn.execute("SELECT annotator FROM span")} == {
            team["alice_name"], team["bob_name"]}
        assert conn.execute(f"DELETE FROM span WHERE annotator = '{team['bob_name']}'"
                            ).rowcount == 0


def test_a_wrong_password_is_refused_and_never_shown(team: dict[str, str], pg_env: PgServer,
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGPASSWORD", "not-her-password")
    monkeypatch.setenv("PGPASSFILE", "/nonexistent")
    code, out, err = _cli(capsys, "list", team["alice"])
    assert code == 1 and "password authentication failed" in err
    assert "not-her-password" not in err and len(err.strip().splitlines()) == 1
    with_password = team["alice"].replace("@", ":typed-in-url@")
    code, out, err = _cli(capsys, "list", with_password)
    assert code == 1 and "password authentication failed" in err
    assert "typed-in-url" not in err  # the address is shown without its password
