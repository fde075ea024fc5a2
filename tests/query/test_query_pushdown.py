"""The conditions said in SQL (core/query/pushdown.py) narrow what is read, never the answer:
every query gives the hits it gives with every row read and tested in Python, and a damaged
row is reported (one DamagedProjectError naming the span) whatever the SQL would say of it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from query_data import A_TEXT, QUERIES, make_project, values_corpus

from annotator.core.errors import DamagedProjectError
from annotator.core.project import Project
from annotator.core.query import engine, run_query


def rows(path: Path, query: str) -> list[dict[str, object]]:
    with Project.open(path, readonly=True) as p:
        return [h.as_json() for h in run_query(p, query)]


def unfiltered(path: Path, query: str, monkeypatch: pytest.MonkeyPatch
               ) -> list[dict[str, object]]:
    """The hits with nothing said in SQL: every row of the patterns' layers read and tested."""
    with monkeypatch.context() as m:
        m.setattr(engine, "pattern_filter", lambda p: (p.layer, p.label, "", ()))
        m.setattr(engine, "sources_filter", lambda patterns: ("", ()))
        return rows(path, query)


@pytest.fixture
def values_path(tmp_path: Path) -> Path:
    return make_project(tmp_path / "values.annot", values_corpus())


def raw(path: Path, sql: str, *args: object) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(sql, args)
    conn.close()


def allow_null(path: Path, column: str) -> None:
    """Drop NOT NULL from one column of the span table (as a crafted file may have)."""
    with sqlite3.connect(path) as conn:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND "
                           "name = 'span'").fetchone()[0]
        lines = sql.split("\n")
        for i, line in enumerate(lines):
            if line.strip().strip('"').startswith((column + " ", column + '" ')):
                lines[i] = line.replace(" NOT NULL", "")
        version = conn.execute("PRAGMA schema_version").fetchone()[0]
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'span'",
                     ("\n".join(lines),))
        conn.execute(f"PRAGMA schema_version = {version + 1}")
        conn.execute("PRAGMA writable_schema = OFF")
    conn.close()


def span_pk(path: Path, layer: str, label: str, word: str) -> int:
    """The key of the span of document "a" that starts at ``word``."""
    with sqlite3.connect(path) as conn:
        pk = conn.execute("SELECT span.id FROM span JOIN document d ON d.id = document_id "
                          "WHERE layer = ? AND label = ? AND start = ? AND d.name = ?",
                          (layer, label, A_TEXT.index(word), "a")).fetchone()[0]
    conn.close()
    return int(pk)


@pytest.mark.parametrize("query", QUERIES)
def test_sql_filter_gives_the_hits_of_testing_every_row(values_path: Path, query: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    expected = unfiltered(values_path, query, monkeypatch)
    assert rows(values_path, query) == expected


def test_the_filter_is_not_empty_handed(values_path: Path) -> None:
    """The comparison above compares something: the queries find hits, and not all rows."""
    assert [h["text"] for h in rows(values_path, "rhetoric:technique where score != 3")] == [
        "two", "three", "four", "five"]
    assert [h["text"] for h in rows(values_path, "rhetoric:technique where who = Zoë")] == [
        "One"]
    assert [h["text"] for h in rows(values_path, "rhetoric:technique where empty = \"\"")] == [
        "One", "two", "three", "four", "five"]


@pytest.mark.parametrize("stored, query, texts", [
    # a key written twice: Python's JSON keeps the last, SQLite's json_extract the first
    ('{"certainty": "unknown", "certainty": "possible"}', "hedging:hedge where certainty = "
     "possible", ["may", "could", "reportedly"]),
    # an escape SQLite and Python may read apart
    ('{"certainty": "poss\\u0069ble"}', "hedging:hedge where certainty = possible",
     ["may", "could", "reportedly"]),
    ('{"certainty": "unknown"}', "hedging:hedge where certainty != unknown", ["may", "could"]),
])
def test_rows_sql_may_misread_are_tested_in_python(small_path: Path, stored: str, query: str,
                                                   texts: list[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    pk = span_pk(small_path, "hedging", "hedge", "reportedly")
    raw(small_path, "UPDATE span SET attributes = ? WHERE id = ?", stored, pk)
    found = rows(small_path, query)
    assert found == unfiltered(small_path, query, monkeypatch)
    assert sorted(h["text"] for h in found) == sorted(texts)


@pytest.mark.parametrize("column, value, query, problem", [
    ("attributes", "{not json", "hedging:hedge where certainty = possible", "not valid JSON"),
    ("attributes", "[1, 2]", "hedging:hedge where certainty = possible", "not a JSON object"),
    ("attributes", b"\x00\x01", "hedging:hedge where certainty != possible", "BLOB"),
    ("attributes", '{"certainty": "\\ud800"}', "hedging:hedge where certainty = possible",
     "lone surrogate"),
    ("start", None, "hedging:hedge where certainty = possible", "start is NULL"),
    ("end", None, "hedging:hedge where annotator = alice", "end is NULL"),
    ("start", "x3", "hedging:hedge where certainty = nothing", "start is text"),
    ("start", 60, "hedging:hedge where certainty = nothing", None),
    ("end", 10_000, "hedging:hedge where certainty = nothing", "10000"),
    ("label", None, "hedging:hedge where certainty = nothing", None),
    ("annotator", None, "hedging:* where annotator = alice", "annotator is NULL"),
])
def test_a_damaged_row_is_reported_whatever_the_filter(small_path: Path, column: str,
                                                       value: object, query: str,
                                                       problem: str | None,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A hedge the SQL alone would have passed over (it does not match) is still read, and
    reported as testing every row reports it; never a traceback of SQLite's."""
    pk = span_pk(small_path, "hedging", "hedge", "reportedly")  # certainty unknown
    if value is None:
        allow_null(small_path, column)
    raw(small_path, f'UPDATE span SET "{column}" = ? WHERE id = ?', value, pk)
    if column == "label":  # not a hedge any more: neither path reads it
        assert rows(small_path, query) == unfiltered(small_path, query, monkeypatch) == []
        return
    for read in (lambda: rows(small_path, query),
                 lambda: unfiltered(small_path, query, monkeypatch)):
        with pytest.raises(DamagedProjectError) as err:
            read()
        assert f"span {pk}" in str(err.value) and (problem or "") in str(err.value)


def test_a_damaged_source_is_reported_through_source_conditions(small_path: Path) -> None:
    pk = span_pk(small_path, "attribution", "source", "Critics")  # anonymous
    raw(small_path, "UPDATE span SET attributes = '{oops' WHERE id = ?", pk)
    with pytest.raises(DamagedProjectError, match=f"span {pk}: attributes is not valid JSON"):
        rows(small_path, "attribution:content where source.source_type = organisation")


@pytest.mark.parametrize("query", ["hedging:hedge", "attribution:source"])
def test_a_text_that_is_not_text_is_reported_as_before(small_path: Path, query: str) -> None:
    """Texts are read when used, but one SQLite does not call text (or of another length than
    recorded) is read at once, and reported, as every query did before."""
    raw(small_path, "UPDATE document SET text = CAST(text AS BLOB) WHERE name = 'b'")
    with pytest.raises(DamagedProjectError, match="document 'b': text is a BLOB"):
        rows(small_path, query)
