"""CoNLL export: columns, BIO/BIOES tags, documented loss rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from seqeval.metrics.sequence_labeling import get_entities

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.tagset import default_tagset
from annotator.formats.registry import WriteOptions, get_format
from annotator.nlp.tokens import text_units

TEXT = ("👍🏽 Officials said the talks were not fully confirmed. "
        "قال المتحدث إن e\u0301te\u0301 “was” over.\n\nIt seems that peace may come.")


def span(key: str, layer: str, label: str, *frags: tuple[int, int]) -> SpanRecord:
    return SpanRecord(key, layer, label, tuple(frags))


def at(phrase: str, text: str = TEXT) -> tuple[int, int]:
    s = text.index(phrase)
    return s, s + len(phrase)


def export(tmp_path: Path, docs: list[CorpusDocument], **opts) -> tuple[list[str], object]:  # noqa: ANN003
    out = tmp_path / "out.conll"
    summary = get_format("conll").write(docs, out, default_tagset(), WriteOptions(**opts))
    return out.read_text(encoding="utf-8").split("\n"), summary


def parse(lines: list[str]) -> dict[str, dict]:
    """doc_id -> {"columns": [...], "rows": [[token, start, end, tags...]], "sentences": n}."""
    docs: dict[str, dict] = {}
    cur: dict = {}
    for line in lines:
        if line.startswith("#") and "\t" not in line:
            key, _, value = line[2:].partition(" = ")
            if key == "doc_id":
                cur = docs.setdefault(value, {"rows": [], "sentences": [[]]})
            else:
                cur[key] = value.split(" ")
        elif line:
            cur["sentences"][-1].append(len(cur["rows"]))
            cur["rows"].append(line.split("\t"))
        elif cur and cur["sentences"][-1]:
            cur["sentences"].append([])
    for d in docs.values():
        d["sentences"] = [s for s in d["sentences"] if s]
    return docs


def entities(doc: dict, column: int) -> list[tuple[str, int, int]]:
    """(label, first row, last row) read back with seqeval, sentence by sentence."""
    out = []
    for rows in doc["sentences"]:
        tags = [doc["rows"][r][column] for r in rows]
        out += [(lab, rows[s], rows[e]) for lab, s, e in get_entities(tags)]
    return sorted(out, key=lambda x: x[1])


def covering(text: str, start: int, end: int) -> tuple[int, int]:
    units = text_units(text)
    i, j = units.token_range(start, end)
    return i, j - 1


def test_layout_and_offsets(tmp_path: Path) -> None:
    doc = CorpusDocument("doc\t7", TEXT, spans=[span("s1", "hedging", "hedge", at("not fully confirmed"))])
    lines, summary = export(tmp_path, [doc])
    assert lines[0] == "# doc_id = doc_7"
    assert lines[1] == "# columns = TOKEN START END hedging"
    parsed = parse(lines)["doc_7"]
    units = text_units(TEXT)
    assert [(r[0], int(r[1]), int(r[2])) for r in parsed["rows"]] == [
        (TEXT[s:e], s, e) for s, e in units.tokens]
    assert parsed["rows"][0][0] == "👍🏽"
    assert len(parsed["sentences"]) == len(units.sentences) == 3
    assert all(len(r) == 4 for r in parsed["rows"])
    assert lines[-2:] == ["", ""]  # blank line after the last sentence, then end of file
    assert summary.documents == 1 and summary.spans == 1 and summary.files == [tmp_path / "out.conll"]


def test_seqeval_recovers_kept_spans(tmp_path: Path) -> None:
    spans = [
        span("a", "attribution", "source", at("Officials")),
        span("b", "attribution", "cue", at("said")),
        span("c", "attribution", "content", at("the talks were not fully confirmed")),
        span("d", "attribution", "source", (TEXT.index("المتحدث") + 2, TEXT.index("المتحدث") + 4)),
        span("e", "hedging", "hedge", at("It seems that")),
        span("f", "hedging", "hedge", at("may")),
        span("g", "hedging", "booster", at("e\u0301te\u0301 “was")),
    ]
    doc = CorpusDocument("d", TEXT, spans=spans)
    for scheme in ("BIO", "BIOES"):
        lines, summary = export(tmp_path, [doc], scheme=scheme)
        parsed = parse(lines)["d"]
        assert parsed["columns"] == ["TOKEN", "START", "END", "attribution", "hedging"]
        for column, layer in ((3, "attribution"), (4, "hedging")):
            expected = sorted(((sp.label, *covering(TEXT, sp.start, sp.end)) for sp in spans
                               if sp.layer == layer), key=lambda x: x[1])
            assert entities(parsed, column) == expected
        assert summary.dropped == {}
        assert summary.spans == len(spans)


def valid_bioes(tags: list[str]) -> bool:
    open_label = None
    for tag in tags + ["O"]:
        kind, _, label = tag.partition("-")
        if open_label is not None and not (kind in "IE" and label == open_label):
            return False
        if open_label is None and kind in ("I", "E"):
            return False
        open_label = label if kind in ("B", "I") else None
    return True


def test_bioes_is_valid_and_uses_all_tags(tmp_path: Path) -> None:
    spans = [span("a", "hedging", "hedge", at("not fully confirmed")),
             span("b", "hedging", "hedge", at("may")),
             span("c", "hedging", "booster", at("It seems"))]
    lines, _ = export(tmp_path, [CorpusDocument("d", TEXT, spans=spans)], scheme="bioes")
    parsed = parse(lines)["d"]
    for rows in parsed["sentences"]:
        assert valid_bioes([parsed["rows"][r][3] for r in rows])
    tags = [r[3] for r in parsed["rows"]]
    assert {"B-hedge", "I-hedge", "E-hedge", "S-hedge", "B-booster", "E-booster"} <= set(tags)
    assert valid_bioes(["B-x", "E-x", "S-y"]) and not valid_bioes(["B-x", "S-x"])


def test_overlaps_keep_longest_and_count_drops(tmp_path: Path) -> None:
    long = span("long", "hedging", "hedge", at("were not fully confirmed"))
    nested = span("nested", "hedging", "booster", at("fully"))
    crossing = span("cross", "hedging", "hedge", at("talks were"))
    tie_a = span("tie_a", "hedging", "booster", at("seems that"))  # same length, later label
    tie_b = span("tie_b", "hedging", "hedge", at("seems that"))
    other_layer = span("x", "stance", "stance", at("fully"))
    doc = CorpusDocument("d", TEXT, spans=[nested, crossing, long, tie_a, tie_b, other_layer])
    lines, summary = export(tmp_path, [doc])
    parsed = parse(lines)["d"]
    ents = entities(parsed, 3)
    assert ents == [("hedge", *covering(TEXT, long.start, long.end)),
                    ("hedge", *covering(TEXT, tie_b.start, tie_b.end))]
    assert summary.dropped == {"overlap in layer hedging": 3}
    assert entities(parsed, 4) == [("stance", *covering(TEXT, other_layer.start, other_layer.end))]


def test_discontinuous_and_cross_sentence_spans(tmp_path: Path) -> None:
    disc = span("d1", "hedging", "hedge", at("not"), at("confirmed"))
    cross = span("c1", "attribution", "content", (at("confirmed")[0], at("المتحدث")[1]))
    ws = span("w", "attribution", "content", (TEXT.index("\n\n"), TEXT.index("\n\n") + 2))
    doc = CorpusDocument("d", TEXT, spans=[disc, cross, ws])
    lines, summary = export(tmp_path, [doc], layers=["hedging", "attribution"])
    parsed = parse(lines)["d"]
    assert parsed["columns"][3:] == ["hedging", "attribution"]
    hedges = entities(parsed, 3)
    assert hedges == [("hedge", *covering(TEXT, *at("not"))), ("hedge", *covering(TEXT, *at("confirmed")))]
    contents = entities(parsed, 4)
    assert len(contents) == 2  # one chunk per sentence
    assert summary.dropped == {"discontinuous written as separate chunks": 1,
                               "span crossing sentences written as separate chunks": 1,
                               "span covers no token": 1}


def test_token_cut_by_span_boundary_belongs_to_span(tmp_path: Path) -> None:
    s = TEXT.index("Officials")
    doc = CorpusDocument("d", TEXT, spans=[span("a", "stance", "target", (s + 3, s + 12))])
    parsed = parse(export(tmp_path, [doc])[0])["d"]
    assert entities(parsed, 3) == [("target", *covering(TEXT, s, s + 14))]  # Officials said


def test_several_documents_and_hash_token(tmp_path: Path) -> None:
    d1 = CorpusDocument("one", "#tag rocks.", spans=[span("a", "stance", "stance", (0, 4))])
    d2 = CorpusDocument("two", "", spans=[])
    lines, summary = export(tmp_path, [d1, d2])
    parsed = parse(lines)
    assert list(parsed) == ["one", "two"]
    assert [r[0] for r in parsed["one"]["rows"]][:2] == ["#", "tag"]
    assert entities(parsed["one"], 3) == [("stance", 0, 1)]
    assert parsed["two"]["rows"] == []
    assert summary.documents == 2


def test_unknown_scheme_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="BIOES"):
        export(tmp_path, [CorpusDocument("d", "x")], scheme="IOB1")


def test_registered() -> None:
    fmt = get_format("conll")
    assert fmt.can_write and not fmt.can_read and fmt.extensions == (".conll",)
