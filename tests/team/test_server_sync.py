"""Offline work on a shared project: ``annotator pull`` and ``annotator push``, against the real
server; and every command taking a URL where it takes a project file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pgserver import PgServer
from teamkit import cli, sql

from annotator.core.project import Project


def _spans_on_server(team: dict[str, str], pg_env: PgServer, who: str) -> list[tuple]:
    with sql(team["owner"], pg_env) as conn:
        return conn.execute(
            "SELECT d.name, s.layer, s.label, s.start, s.\"end\" FROM span s JOIN document d "
            "ON d.id = s.document_id WHERE s.annotator = %s ORDER BY 1, 2, 3, 4",
            (team[f"{who}_name"],)).fetchall()


def test_pull_edit_push_round_trip(tmp_path: Path, team: dict[str, str], pg_env: PgServer,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    bob_before = _spans_on_server(team, pg_env, "bob")
    out = tmp_path / "alice.annot"
    code, text, err = cli(capsys, "pull", team["alice"], "-o", str(out))
    assert code == 0, err
    assert "pulled 3 document(s) and 3 span(s)" in text
    assert "pw-" not in out.read_bytes().decode("utf-8", "replace")  # no password in the file
    with Project.open(out) as p:
        assert p.annotator == team["alice_name"]
        assert p.setting("team_server") == team["alice"]
        docs = p.documents()
        assert {s.annotator for d in docs for s in p.spans(d.pk)} == {team["alice_name"]}
        first = docs[0]
        cue = p.add_span(first.pk, "attribution", "cue", ((10, 14),))
        src = p.spans(first.pk)[0]
        p.add_relation("cue_of", cue.pk, src.pk)
        p.delete_span(p.spans(docs[1].pk)[0].pk)
    code, text, err = cli(capsys, "push", str(out), team["alice"])
    assert code == 0, err
    assert "pushed 2 document(s), 1 unchanged, 0 refused" in text
    mine = _spans_on_server(team, pg_env, "alice")
    assert [(n, label) for n, _, label, *_ in mine] == [("d1", "cue"), ("d1", "source"),
                                                         ("d3", "source")]
    assert _spans_on_server(team, pg_env, "bob") == bob_before  # others' spans untouched
    with sql(team["owner"], pg_env) as conn:
        assert conn.execute("SELECT type, annotator FROM relation").fetchall() == [
            ("cue_of", team["alice_name"])]
    # pushing again: nothing changed
    code, text, _ = cli(capsys, "push", str(out), team["alice"])
    assert code == 0 and "pushed 0 document(s), 3 unchanged" in text


def test_push_is_refused_when_the_server_spans_changed_since_the_pull(
        tmp_path: Path, team: dict[str, str], pg_env: PgServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "alice.annot"
    assert cli(capsys, "pull", team["alice"], "-o", str(out))[0] == 0
    with Project.open(team["alice"]) as live:  # alice edits d1 live meanwhile
        d1 = live.document_by_name("d1")
        assert d1 is not None
        live.add_span(d1.pk, "hedging", "hedge", ((26, 45),))
    with Project.open(out) as p:
        for d in p.documents():
            p.add_span(d.pk, "stance", "target", ((15, 21),))
    code, text, err = cli(capsys, "push", str(out), team["alice"])
    assert code == 1
    assert "document 'd1' not pushed: your spans on the server changed since the pull" in err
    assert "pushed 2 document(s), 0 unchanged, 1 refused" in text
    labels = [(n, label) for n, _, label, *_ in _spans_on_server(team, pg_env, "alice")]
    assert ("d1", "hedge") in labels and ("d1", "target") not in labels  # d1 as it was
    assert ("d2", "target") in labels and ("d3", "target") in labels


def test_push_is_refused_when_the_text_differs(tmp_path: Path, team: dict[str, str],
                                               pg_env: PgServer,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "alice.annot"
    assert cli(capsys, "pull", team["alice"], "-o", str(out))[0] == 0
    with sql(team["owner"], pg_env) as conn:
        conn.execute("UPDATE document SET text = 'Another text entirely, now.', "
                     "sha256 = 'x', length = 27 WHERE name = 'd2'")
    with Project.open(out) as p:
        d2 = p.document_by_name("d2")
        assert d2 is not None
        p.add_span(d2.pk, "stance", "target", ((15, 21),))
    code, text, err = cli(capsys, "push", str(out), team["alice"])
    assert code == 1
    assert "document 'd2' not pushed: its text differs from the server's document" in err


def test_commands_take_a_url_where_they_take_a_file(team: dict[str, str],
                                                    capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    code, out, err = cli(capsys, "list", team["cleo"], "--json")
    assert code == 0, err
    assert [(d["id"], d["spans"]) for d in json.loads(out)] == [("d1", 2), ("d2", 2), ("d3", 2)]
    code, out, err = cli(capsys, "list", team["alice"], "--json")  # blind: her own spans only
    assert [d["spans"] for d in json.loads(out)] == [1, 1, 1]
    code, out, err = cli(capsys, "stats", team["cleo"], "--json")
    assert code == 0 and json.loads(out)["spans"] == 6
    code, out, err = cli(capsys, "check", team["cleo"])
    assert code == 0, err
    code, out, err = cli(capsys, "export", team["alice"], "--format", "jsonl", "-o",
                         str(tmp_path / "a.jsonl"))
    assert code == 0, err
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert {s["annotator"] for x in lines for s in x["spans"]} == {team["alice_name"]}
    (tmp_path / "more.jsonl").write_text(json.dumps({"id": "d9", "text": "A new one."}) + "\n")
    code, out, err = cli(capsys, "import", team["cleo"], str(tmp_path / "more.jsonl"))
    assert code == 0 and "imported 1 document" in out, err
    (tmp_path / "hers.jsonl").write_text(json.dumps({"id": "d10", "text": "Hers."}) + "\n")
    code, out, err = cli(capsys, "import", team["alice"], str(tmp_path / "hers.jsonl"))
    assert code == 1 and "permission denied" in err  # a coder adds no documents
    assert len(err.strip().splitlines()) == 1
    # the query string goes to the driver: sslmode=disable works, require is refused by a
    # server without SSL, and says so
    code, out, err = cli(capsys, "list", team["alice"] + "?sslmode=disable", "--json")
    assert code == 0, err
    code, out, err = cli(capsys, "list", team["alice"] + "?sslmode=require")
    assert code == 1 and "SSL" in err and len(err.strip().splitlines()) == 1
    code, out, err = cli(capsys, "list", "postgresql://nobody@127.0.0.1:1/none")
    assert code == 1 and "cannot connect" in err and len(err.strip().splitlines()) == 1


def test_another_users_change_arrives_as_a_change_event(team: dict[str, str],
                                                        pg_env: PgServer) -> None:
    with Project.open(team["alice"]) as alice, Project.open(team["cleo"]) as cleo:
        sub = alice.subscribe()
        try:
            d2 = cleo.document_by_name("d2")
            assert d2 is not None
            cleo.set_status(d2.pk, "done")
            ts = cleo.tagset
            ts.ensure_label("stance", "brand_new")
            cleo.set_tagset(ts)
            got = list(sub.changes(timeout=2.0))
        finally:
            sub.close()
    assert ("document", "update", d2.pk, team["cleo"].split("//")[1].split("@")[0]) in [
        (c.table, c.op, c.document, c.by) for c in got]
    assert {"tagset_label", "tagset_layer"} <= {c.table for c in got}


def test_a_subscription_says_so_and_goes_on_after_a_server_restart(
        team: dict[str, str], pg_env: PgServer) -> None:
    with Project.open(team["alice"]) as alice, Project.open(team["bob"]) as bob:
        sub = alice.subscribe()
        try:
            pg_env.restart()
            stream = sub.changes(timeout=10.0)
            d1 = bob.document_by_name("d1")  # bob's pool reconnects (pre-ping)
            assert d1 is not None
            first = next(stream)
            assert first.op == "reconnected"
            bob.add_span(d1.pk, "hedging", "hedge", ((26, 45),))
            after = next(stream)
            assert (after.table, after.op, after.document) == ("span", "insert", d1.pk)
        finally:
            sub.close()
