"""The dashboard's numbers, without Qt, against the small corpus counted by hand (query_data.py:
doc a 12 words, Gazette, 2021-09; doc b 8 words, Herald, 2021-10; doc c 3 words, Gazette,
2021-10, no spans) and the bundled sample article; every bar's query finds exactly its spans."""

from __future__ import annotations

import csv
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from annotator.core import corpus_figures as cf
from annotator.core.errors import DamagedProjectError
from annotator.core.model import CorpusDocument, SpanRecord, span_text
from annotator.core.project import Project
from annotator.core.query import run_query
from annotator.core.query.engine import as_text
from annotator.core.query.rows import save_csv


def summary_of(path: Path) -> cf.CorpusSummary:
    with Project.open(path, readonly=True) as p:
        return cf.summarise(p)


def values(fig: cf.Figure) -> dict[str, list[float]]:
    return {s.name: s.values for s in fig.series}


def test_label_counts_per_document_busiest_first(small_path: Path) -> None:
    fig = cf.label_counts(summary_of(small_path))
    assert fig.categories == ["a", "b", "c"]
    assert values(fig) == {"attribution": [5, 2, 0], "hedging": [3, 1, 0], "stance": [1, 1, 0]}


def test_label_counts_per_outlet_for_one_layer(small_path: Path) -> None:
    summary = summary_of(small_path)
    assert summary.meta_keys() == ["date", "outlet"]  # most common first, then by name
    fig = cf.label_counts(summary, by="outlet", layer="hedging")
    assert fig.categories == ["Gazette", "Herald"]
    assert values(fig) == {"hedge": [3, 0], "booster": [0, 1]}


def test_dates_group_by_month(small_path: Path) -> None:
    fig = cf.label_counts(summary_of(small_path), by="date")
    assert fig.categories == ["2021-09", "2021-10"]
    assert values(fig) == {"attribution": [5, 2], "hedging": [3, 1], "stance": [1, 1]}


def test_hedging_density_per_1000_words(small_path: Path) -> None:
    summary = summary_of(small_path)
    assert values(cf.hedging_density(summary, "date")) == {
        "hedges per 1,000 words": [250.0, 0.0]}  # 3 / 12 words; 0 / 11 words
    assert values(cf.hedging_density(summary, "outlet")) == {
        "hedges per 1,000 words": [200.0, 0.0]}  # 3 / 15 words; 0 / 8 words
    fig = cf.hedging_density(summary)
    assert fig.categories[0] == "a" and fig.series[0].values[0] == 250.0


def test_source_ranking_and_stance_by_holder_and_target(small_path: Path) -> None:
    summary = summary_of(small_path)
    fig = cf.source_ranking(summary)
    assert fig.categories == ["Critics", "Officials", "The council"]
    assert values(fig) == {"mentions": [1, 1, 1]}
    fig = cf.stance_by_holder_target(summary)
    assert fig.categories == ["(not set) → bridge", "Officials → plan"]
    assert values(fig) == {"against": [0, 1], "favour": [1, 0]}


def test_sample_article_sources_and_stances(sample_path: Path) -> None:
    summary = summary_of(sample_path)
    assert values(cf.source_ranking(summary)) == {"mentions": [1, 1, 1, 1, 1]}
    fig = cf.stance_by_holder_target(summary)
    assert fig.categories[0] == "author → city council"
    assert dict(zip(fig.categories, values(fig)["against"], strict=True)) == {
        "author → city council": 2, "Her neighbour → harbour bridge": 1,
        "Leila Haddad → harbour bridge": 0, "banner → harbour bridge": 1}


def test_every_bar_opens_exactly_its_spans(small_path: Path, sample_path: Path) -> None:
    for path in (small_path, sample_path):
        summary = summary_of(path)
        words = {d.name: d.words for d in summary.documents}
        figures = [cf.label_counts(summary), cf.source_ranking(summary),
                   cf.stance_by_holder_target(summary)]
        figures += [cf.label_counts(summary, key, layer) for key in summary.meta_keys()
                    for layer in (None, "hedging", "attribution")]
        with Project.open(path, readonly=True) as p:
            for fig in figures:
                for s in fig.series:
                    for value, query in zip(s.values, s.queries, strict=True):
                        assert query is not None
                        assert len(list(run_query(p, query))) == value, (fig.key, query)
            density = cf.hedging_density(summary)
            for name, value, query in zip(density.categories, density.series[0].values,
                                          density.series[0].queries, strict=True):
                assert query is not None
                assert len(list(run_query(p, query))) == round(value * words[name] / 1000)


def test_figure_data_as_csv(small_path: Path, tmp_path: Path) -> None:
    fig = cf.label_counts(summary_of(small_path), by="outlet", layer="hedging")
    out = tmp_path / "figure.csv"
    save_csv(out, *fig.table())
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["category", "series", "value", "query"]
    assert rows[1] == ["Gazette", "hedge", "3", 'hedging:hedge where doc.outlet = "Gazette"']
    assert len(rows) == 1 + 2 * 2


def _by_the_api(path: Path) -> tuple[Counter[str], dict[str, Counter[str]], Counter[tuple]]:
    """Sources and stances counted from Project.spans, span by span (the oracle of the
    summary, which reads rows and remembers texts and attributes that repeat)."""
    sources: Counter[str] = Counter()
    shown: dict[str, Counter[str]] = {}
    stances: Counter[tuple] = Counter()

    def value(v: object) -> str:
        return as_text(v)[0] or cf.NOT_SET

    with Project.open(path, readonly=True) as p:
        for d in p.documents():
            text = p.text(d.pk)
            for s in p.spans(d.pk):
                if (s.layer, s.label) == cf.SOURCE:
                    t = span_text(text, s.fragments)
                    spelled = " ".join(t.split())
                    sources[spelled.lower()] += 1
                    shown.setdefault(spelled.lower(), Counter())[spelled] += 1
                elif (s.layer, s.label) == cf.STANCE:
                    a = s.attributes
                    stances[(value(a.get("holder")), value(a.get("target")),
                              value(a.get("polarity")))] += 1
    return sources, shown, stances


def test_sources_and_stances_are_those_the_spans_give(tmp_path: Path) -> None:
    """Repeated texts and attributes, spellings that differ in case and white space, a stance
    with attributes unset: the summary counts what the spans say, one by one."""
    text = "Officials said it.  OFFICIALS  said it. The mayor said no. the  Mayor said so."
    spans = []
    for n, (word, at) in enumerate([("Officials", 0), ("OFFICIALS", text.index("OFFICIALS")),
                                    ("The mayor", text.index("The mayor")),
                                    ("the  Mayor", text.index("the  Mayor"))]):
        spans.append(SpanRecord(f"s{n}", "attribution", "source", ((at, at + len(word)),)))
    for n, attrs in enumerate([{"holder": "author", "target": "plan", "polarity": "against"},
                               {"holder": "author", "target": "plan", "polarity": "against"},
                               {"target": "plan"}, {}]):
        spans.append(SpanRecord(f"t{n}", "stance", "stance", ((n, n + 1),), attrs))
    path = tmp_path / "p.annot"
    with Project.create(path, annotator="me") as p:
        p.import_documents([CorpusDocument(name=f"d{i}", text=f"{text} {i}", spans=spans)
                            for i in range(3)])
    s = summary_of(path)
    sources, shown, stances = _by_the_api(path)
    assert s.sources == sources and s.source_shown == shown and s.stances == stances
    assert s.sources == Counter({"officials": 6, "the mayor": 6})
    assert s.stances[("author", "plan", "against")] == 6
    assert s.stances[(cf.NOT_SET, "plan", cf.NOT_SET)] == 3


def test_a_damaged_stance_is_reported_naming_its_span(small_path: Path) -> None:
    with sqlite3.connect(small_path) as conn:
        pk = conn.execute("SELECT id FROM span WHERE layer = 'stance' AND label = 'stance'"
                          ).fetchone()[0]
        conn.execute("UPDATE span SET attributes = '{oops' WHERE id = ?", (pk,))
    conn.close()
    with pytest.raises(DamagedProjectError, match=f"span {pk}: attributes is not valid JSON"):
        summary_of(small_path)
