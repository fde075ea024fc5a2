"""The data of the query tests: the bundled sample article, a small corpus counted by hand
and the same with values of every kind, with queries over them (shared with tests/gui and
tests/team as ``query.query_data``)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "sample.jsonl"

# doc "a": outlet Gazette, 2021-09; 12 words
A_TEXT = "Officials said the plan may fail. Critics reportedly say it could work."
# doc "b": outlet Herald, 2021-10; 8 words
B_TEXT = "The council clearly said the bridge is sound."
# doc "c": outlet Gazette, 2021-10; no spans; 3 words
C_TEXT = "Nothing here annotated."


def at(text: str, s: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(s, i + 1)
    return (i, i + len(s))


def small_corpus() -> list[CorpusDocument]:
    a = CorpusDocument(
        name="a", title="Plan", text=A_TEXT,
        meta={"outlet": "Gazette", "date": "2021-09-14"},
        spans=[SpanRecord("s1", "attribution", "source", (at(A_TEXT, "Officials"),),
                          {"source_type": "organisation"}, annotator="alice"),
               SpanRecord("s2", "attribution", "cue", (at(A_TEXT, "said"),), annotator="alice"),
               SpanRecord("s3", "attribution", "content", (at(A_TEXT, "the plan may fail"),),
                          {"quote_type": "indirect"}, annotator="alice"),
               SpanRecord("s4", "hedging", "hedge", (at(A_TEXT, "may"),),
                          {"certainty": "possible", "negated": False}, annotator="alice"),
               SpanRecord("s5", "attribution", "source", (at(A_TEXT, "Critics"),),
                          {"source_type": "anonymous"}, annotator="bob"),
               SpanRecord("s6", "attribution", "content",
                          (at(A_TEXT, "say it could work"),), annotator="bob"),
               SpanRecord("s7", "hedging", "hedge", (at(A_TEXT, "reportedly"),),
                          {"certainty": "unknown"}, annotator="bob"),
               SpanRecord("s8", "hedging", "hedge", (at(A_TEXT, "could"),),
                          {"certainty": "possible"}, annotator="bob"),
               SpanRecord("s9", "stance", "stance", (at(A_TEXT, "the plan may fail"),),
                          {"polarity": "against", "target": "plan", "holder": "Officials"},
                          annotator="alice")],
        relations=[RelationRecord("r1", "attributed_to", "s3", "s1"),
                   RelationRecord("r2", "cue_of", "s2", "s3"),
                   RelationRecord("r3", "attributed_to", "s6", "s5")])
    b = CorpusDocument(
        name="b", title="Bridge", text=B_TEXT,
        meta={"outlet": "Herald", "date": "2021-10-02"},
        spans=[SpanRecord("s1", "attribution", "source", (at(B_TEXT, "The council"),),
                          {"source_type": "organisation"}, annotator="alice"),
               SpanRecord("s2", "hedging", "booster", (at(B_TEXT, "clearly"),), annotator="alice"),
               SpanRecord("s3", "attribution", "content", (at(B_TEXT, "the bridge is sound"),),
                          annotator="alice"),
               # a discontinuous stance: "The council" + "sound", with "clearly" in its gap
               SpanRecord("s4", "stance", "stance",
                          (at(B_TEXT, "The council"), at(B_TEXT, "sound")),
                          {"polarity": "favour", "target": "bridge"}, annotator="alice")],
        relations=[RelationRecord("r1", "attributed_to", "s3", "s1")])
    c = CorpusDocument(name="c", title="Empty", text=C_TEXT,
                       meta={"outlet": "Gazette", "date": "2021-10-20"})
    return [a, b, c]


QUERIES = [
    "hedging:hedge where certainty = possible",
    "hedging:hedge where certainty != possible",
    "hedging:hedge where certainty = \"\"",
    "hedging:hedge where certainty != \"\"",
    "hedging:hedge where negated = false",
    "hedging:hedge where negated != false",
    "hedging:hedge where negated = true",
    "hedging:hedge where annotator = bob and certainty = possible",
    "*:* where annotator != alice",
    "* where label = hedge and layer = hedging",
    "* where note = \"\"",
    "hedging:hedge inside attribution:content where source.source_type = organisation",
    "hedging:hedge inside attribution:content where source.source_type != organisation",
    "attribution:content where source.source_type = anonymous and quote_type != indirect",
    "rhetoric:technique where technique = slogans",
    "rhetoric:technique where technique != slogans",
    "rhetoric:technique where score = 3",
    "rhetoric:technique where score = 2.5",
    "rhetoric:technique where score != 3",
    "rhetoric:technique where deep = \"{\\\"a\\\": 1}\"",
    "rhetoric:technique where who = Zoë",
    "rhetoric:technique where who != Zoë",
    "rhetoric:technique where empty = \"\"",
    "rhetoric:technique where kind-of = x",
    "rhetoric:technique where text ~ /e/ and score != 2.5",
]


def values_corpus() -> list[CorpusDocument]:
    text = "One two three four five six."
    return [*small_corpus(), CorpusDocument(
        name="v", title="Values", text=text, spans=[
            SpanRecord("s1", "rhetoric", "technique", ((0, 3),),
                       {"technique": ["doubt", "slogans"], "score": 3, "who": "Zoë"}),
            SpanRecord("s2", "rhetoric", "technique", ((4, 7),),
                       {"score": 2.5, "deep": {"a": 1}, "empty": None}),
            SpanRecord("s3", "rhetoric", "technique", ((8, 13),), {"kind-of": "x"}),
            SpanRecord("s4", "rhetoric", "technique", ((14, 18),), {"empty": ""}),
            SpanRecord("s5", "rhetoric", "technique", ((19, 23),), {"technique": "slogans"}),
            SpanRecord("s6", "attribution", "source", ((24, 27),), {"source_type": 7}),
            SpanRecord("s7", "attribution", "content", ((19, 27),))],
        relations=[RelationRecord("r1", "attributed_to", "s7", "s6")])]


def make_project(path: Path, docs: list[CorpusDocument]) -> Path:
    from annotator.core.project import Project

    with Project.create(path, annotator="alice") as p:
        p.import_documents(docs)
    return path

