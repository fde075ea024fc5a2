"""The query engine over a small corpus whose every answer is counted by hand (query_data.py),
and over the bundled sample article."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.project import Project
from annotator.core.query import QueryError, run_query


def hits(path: Path, query: str) -> list[tuple[str, str, str]]:
    """(document, label, text) of each hit, in the engine's order."""
    with Project.open(path, readonly=True) as p:
        return [(h.document, h.label, h.text) for h in run_query(p, query)]


@pytest.mark.parametrize("query, expected", [
    ("hedging:hedge", [("a", "hedge", "may"), ("a", "hedge", "reportedly"),
                       ("a", "hedge", "could")]),
    ("hedge", [("a", "hedge", "may"), ("a", "hedge", "reportedly"), ("a", "hedge", "could")]),
    ("hedging:hedge inside attribution:content", [("a", "hedge", "may"),
                                                  ("a", "hedge", "could")]),
    ("hedging:hedge inside attribution:content where source.source_type = organisation",
     [("a", "hedge", "may")]),
    ("hedging:hedge inside attribution:content where source.source_type != organisation",
     [("a", "hedge", "could")]),
    ("hedging:hedge where certainty = possible", [("a", "hedge", "may"), ("a", "hedge", "could")]),
    ("hedging:* where annotator = bob", [("a", "hedge", "reportedly"), ("a", "hedge", "could")]),
    ("hedging:hedge where certainty = possible and annotator != bob", [("a", "hedge", "may")]),
    ("hedging:hedge where negated = false", [("a", "hedge", "may")]),
    ("hedging:hedge where negated != true", [("a", "hedge", "may"), ("a", "hedge", "reportedly"),
                                             ("a", "hedge", "could")]),
    ("text ~ /^c/i", [("a", "source", "Critics"), ("a", "hedge", "could"),
                      ("b", "booster", "clearly")]),
    ("*:* where text ~ /council/ and doc.outlet = Herald", [("b", "source", "The council"),
                                                           ("b", "stance", "The council sound")]),
    ("attribution:source where doc.outlet = Herald", [("b", "source", "The council")]),
    ("attribution:source <-attributed_to attribution:content where doc.outlet = Gazette",
     [("a", "source", "Officials"), ("a", "source", "Critics")]),
    ("attribution:cue -> attribution:content", [("a", "cue", "said")]),
    ("attribution:content related to attribution:cue", [("a", "content", "the plan may fail")]),
    ("attribution:content ->cue_of *", []),  # the relation runs from the cue
    ("stance where holder = \"\"", [("b", "stance", "The council sound")]),
    ("stance:stance where target = 'plan'", [("a", "stance", "the plan may fail")]),
    ("* where doc.id = c", []),
])
def test_queries_find_what_was_counted_by_hand(small_path: Path, query: str,
                                               expected: list[tuple[str, str, str]]) -> None:
    assert hits(small_path, query) == expected


def test_structure_follows_fragments_not_just_extents(small_path: Path) -> None:
    """"clearly" lies in the gap of the discontinuous stance "The council … sound": it is
    neither inside it nor overlapping it; the stance's first fragment contains the source."""
    assert hits(small_path, "hedging:booster inside stance:stance") == []
    assert hits(small_path, "hedging:booster overlapping stance:stance") == []
    assert hits(small_path, "stance:stance containing attribution:source") == [
        ("b", "stance", "The council sound")]
    # same extent counts as inside; a span is never inside itself
    assert hits(small_path, "attribution:content inside stance:stance") == [
        ("a", "content", "the plan may fail")]
    assert hits(small_path, "attribution:content inside attribution:content") == []
    assert hits(small_path, "attribution:content overlapping hedging:hedge") == [
        ("a", "content", "the plan may fail"), ("a", "content", "say it could work")]


def test_chains_read_right_to_left(small_path: Path) -> None:
    # hedges inside a content that is inside a stance
    assert hits(small_path, "hedging:hedge inside attribution:content inside stance:stance") == [
        ("a", "hedge", "may")]


def test_hit_rows_carry_offsets_context_attributes_annotator(small_path: Path) -> None:
    with Project.open(small_path, readonly=True) as p:
        (h,) = list(run_query(p, "hedging:hedge where certainty = unknown", context=8))
        text = p.text(p.document_by_name("a").pk)  # type: ignore[union-attr]
    assert (h.start, h.end) == (42, 52) and text[h.start:h.end] == "reportedly"
    assert h.left == text[34:42] == "Critics " and h.right == text[52:60] == " say it "
    assert h.attributes == {"certainty": "unknown"} and h.annotator == "bob"
    assert list(h.as_json()) == ["document", "span", "layer", "label", "start", "end", "text",
                                 "left", "right", "attributes", "annotator"]


def test_sample_article_which_sources_are_attributed_with_hedges(sample_path: Path) -> None:
    """The issue's question on the bundled article: the one hedge inside attributed content is
    "at least", in the leaked memo's claim (a document source)."""
    assert hits(sample_path, "hedging:hedge inside attribution:content where "
                             "source.source_type = document") == [
        ("harbour-bridge", "hedge", "at least")]
    assert hits(sample_path, "hedging:hedge inside attribution:content where "
                             "source.source_type = person") == []
    stances = hits(sample_path, "stance:stance where holder = author and target = 'city council'")
    assert [t for _, _, t in stances] == ["would not trust any timetable the council publishes",
                                          "the city deserves honest numbers first"]


@pytest.mark.parametrize("query, message", [
    ("", "query, position 1: the query is empty"),
    ("hedging:hedge where", "query, position 20: expected a field (an attribute, text, "
                            "annotator, source.NAME, doc.NAME), found the end of the query"),
    ("hedging:hedge where certainty possible", "query, position 31: expected =, !=, ~ or !~ "
                                               "after 'certainty', found 'possible'"),
    ("hedging:hedge insde attribution", "query, position 15: expected 'where', 'and', "
                                        "'inside', 'containing', 'overlapping', 'related to', "
                                        "'->' or the end of the query, found 'insde'"),
    ("hedging:hedge inside", "query, position 21: expected a pattern after 'inside', found the "
                             "end of the query"),
    ("text ~ /(/", "query, position 8: bad regular expression /(/ (missing ), unterminated "
                   "subpattern at position 0)"),
    ("text = \"open", "query, position 8: the quoted text is not closed with \""),
    ("hedgin:hedge", "query, position 1: no layer named 'hedgin' (layers: attribution, "
                     "hedging, stance, rhetoric"),  # and the document-level ones of schema 2
    ("hedging:hedge inside attribution:contnt", "query, position 22: no label 'contnt' in layer "
                                                "'attribution'"),
    ("hedging:hedge where up.x = 1", "query, position 21: unknown field 'up.x' (use NAME, "
                                     "source.NAME or doc.NAME)"),
    ("hedging:hedge related attribution", "query, position 23: expected 'to' after 'related', "
                                          "found 'attribution'"),
])
def test_a_bad_query_is_one_message_naming_the_position(small_path: Path, query: str,
                                                        message: str) -> None:
    with Project.open(small_path, readonly=True) as p, pytest.raises(QueryError) as err:
        run_query(p, query)
    assert str(err.value).startswith(message)
    assert str(err.value) == message or message.endswith("rhetoric")


def test_values_compare_as_text_lists_numbers_and_regex_negation(tmp_path: Path) -> None:
    from query_data import make_project

    from annotator.core.model import CorpusDocument, SpanRecord

    text = "One two three four."
    path = make_project(tmp_path / "values.annot", [CorpusDocument(
        name="v", title="Values", text=text, status="done", spans=[
            SpanRecord("s1", "rhetoric", "technique", ((0, 3),),
                       {"technique": ["doubt", "slogans"], "score": 3}),
            SpanRecord("s2", "rhetoric", "technique", ((4, 7),), {"score": 2.5}),
            SpanRecord("s3", "rhetoric", "technique", ((8, 13),))])])
    assert hits(path, "rhetoric:technique where technique = slogans") == [
        ("v", "technique", "One")]
    assert hits(path, "rhetoric:technique where technique != slogans") == [
        ("v", "technique", "two"), ("v", "technique", "three")]
    assert hits(path, "rhetoric:technique where score = 3") == [("v", "technique", "One")]
    assert hits(path, "rhetoric:technique where score = 2.5") == [("v", "technique", "two")]
    assert hits(path, "rhetoric:technique where score ~ /^2/") == [("v", "technique", "two")]
    assert hits(path, "rhetoric:technique where text !~ /o/i") == [("v", "technique", "three")]
    assert hits(path, "rhetoric:* where doc.status = done and doc.title = Values") == [
        ("v", "technique", "One"), ("v", "technique", "two"), ("v", "technique", "three")]
