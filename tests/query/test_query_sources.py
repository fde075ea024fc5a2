"""The two readers of a query (core/query/sqlite_source.py, the raw cursor with conditions said
in SQL; core/query/server_source.py, SQLAlchemy Core as on a server) give the same hits, in
the order SQLite sorts the spans (start, end, layer, label, key), and report the same damaged
row; a hit is the frozen dataclass it always was, and changing one changes no other."""

from __future__ import annotations

import sqlite3
from dataclasses import FrozenInstanceError, fields
from pathlib import Path
from typing import Any

import pytest
from query_data import QUERIES, make_project, values_corpus

from annotator.core.errors import DamagedProjectError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.project import Project
from annotator.core.query import Hit, run_query, stream
from annotator.core.query.server_source import ServerSource

STRUCTURE = [
    "hedging:hedge inside attribution:content where source.source_type = organisation",
    "attribution:content containing hedging:*",
    "stance:stance overlapping attribution:source",
    "attribution:content ->attributed_to attribution:source",
    "attribution:cue related to attribution:content",
    "* where text ~ /^[Tt]he/ and doc.outlet = Gazette",
    "*",
]


def rows(path: Path, query: str) -> list[dict[str, Any]]:
    with Project.open(path, readonly=True) as p:
        return [h.as_json() for h in run_query(p, query)]


def through_sqlalchemy(path: Path, query: str, monkeypatch: pytest.MonkeyPatch
                       ) -> list[dict[str, Any]]:
    """The hits read as a server project's are (SQLAlchemy Core, nothing said in SQL but the
    layers and labels)."""
    with monkeypatch.context() as m:
        m.setattr(stream, "SqliteSource",
                  lambda session, path: ServerSource(session.connection(), path))
        return rows(path, query)


@pytest.fixture
def values_path(tmp_path: Path) -> Path:
    return make_project(tmp_path / "values.annot", values_corpus())


@pytest.mark.parametrize("query", QUERIES + STRUCTURE)
def test_both_readers_give_the_same_hits(values_path: Path, query: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert rows(values_path, query) == through_sqlalchemy(values_path, query, monkeypatch)


def tied_corpus() -> list[CorpusDocument]:
    """Spans that share their start (and some their end), of labels that sort apart by code
    point and by a collation ("Zeta" < "alpha" < "Ärger" < "ärger"), made in no order."""
    text = "One two three four five six seven."
    labels = ["alpha", "Zeta", "ärger", "Ärger", "hedge"]
    spans = []
    for k, (start, end) in enumerate([(4, 13), (4, 7), (0, 3), (4, 13), (4, 7), (8, 13),
                                      (4, 13), (0, 7)] * 2):
        spans.append(SpanRecord(f"s{k}", "hedging", labels[k % 5], ((start, end),),
                                {"n": k}))
    spans.append(SpanRecord("m", "hedging", "hedge", ((4, 7), (14, 18))))  # two fragments
    return [CorpusDocument(name="t", title="Ties", text=text, spans=spans,
                           relations=[RelationRecord("r", "attributed_to", "s1", "s2")]),
            *values_corpus()]


def sqlite_order(path: Path) -> list[int]:
    """Every span's key as the project's SQL sorts them (by start, end, layer, label, key)."""
    with sqlite3.connect(path) as conn:
        keys = [r[0] for r in conn.execute(
            'SELECT s.id FROM span s JOIN document d ON d.id = s.document_id ORDER BY '
            'd.position, d.id, s.start, s."end", s.layer, s.label, s.id')]
    conn.close()
    return keys


def test_hits_come_in_the_order_sqlite_sorts_the_spans(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_project(tmp_path / "ties.annot", tied_corpus())
    expected = sqlite_order(path)
    assert [h["span"] for h in rows(path, "*")] == expected
    assert [h["span"] for h in through_sqlalchemy(path, "*", monkeypatch)] == expected
    labels = [h["label"] for h in rows(path, "hedging:*") if (h["start"], h["end"]) == (4, 13)]
    assert labels == ["Zeta", "Zeta", "alpha", "hedge", "Ärger", "Ärger"]  # by code point


@pytest.mark.parametrize("damage", [
    # two damaged rows: the one SQLite sorts first is named (a text start sorts after numbers)
    [("start", "x3", "Officials"), ("attributes", "{oops", "could")],
    [("attributes", "[1]", "reportedly"), ("attributes", "{oops", "may")],
    [("fragments", "[[0, 9], [99, 120]]", "Officials"), ("end", 10_000, "may")],
])
def test_both_readers_name_the_same_damaged_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                damage: list[tuple[str, object, str]]) -> None:
    from query_data import A_TEXT

    path = make_project(tmp_path / "small.annot", values_corpus())
    with sqlite3.connect(path) as conn:
        for column, value, word in damage:
            conn.execute(f'UPDATE span SET "{column}" = ? WHERE start = ? AND document_id = '
                         "(SELECT id FROM document WHERE name = 'a')", (value, A_TEXT.index(word)))
    conn.close()
    messages = []
    for read in (lambda: rows(path, "* where certainty != nothing"),
                 lambda: through_sqlalchemy(path, "* where certainty != nothing", monkeypatch)):
        with pytest.raises(DamagedProjectError) as err:
            read()
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert "document 'a', span" in messages[0]


def test_a_hit_is_the_frozen_dataclass_and_its_own(values_path: Path) -> None:
    with Project.open(values_path, readonly=True) as p:
        found = list(run_query(p, "hedging:hedge where certainty = possible"))
        assert [h.text for h in found] == ["may", "could"]
        for h in found:
            made = Hit(**{f.name: getattr(h, f.name) for f in fields(Hit)})
            assert made == h and repr(made) == repr(h) and vars(made) == vars(h)
            with pytest.raises(FrozenInstanceError):
                h.text = "x"  # type: ignore[misc]
        found[1].attributes["certainty"] = "changed"  # its stored JSON's object is remembered
        again = list(run_query(p, "hedging:hedge where certainty = possible"))
    assert [h.attributes for h in again] == [{"certainty": "possible", "negated": False},
                                            {"certainty": "possible"}]
