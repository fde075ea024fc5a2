"""Span tables (CSV and XLSX): one row per span, formulas neutralised."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.tagset import default_tagset
from annotator.formats.registry import WriteOptions, get_format
from annotator.formats.table import context, neutralise

TEXT = "Officials said 👍🏽 the plan قال المتحدث may work, e\u0301 maybe.\n=SUM(A1) next line"


def at(sub: str) -> tuple[tuple[int, int], ...]:
    start = TEXT.index(sub)
    return ((start, start + len(sub)),)


def docs() -> list[CorpusDocument]:
    spans = [
        SpanRecord("s1", "hedging", "hedge", at("may work"), {"certainty": "low"}, "a note", "alice"),
        SpanRecord("s2", "attribution", "source", ((0, 9),), {}, "=cmd|' /C calc'!A0", "bob"),
        SpanRecord("s3", "attribution", "cue", ((10, 14), (27, 38)), {"kind": "verb",
                                                                        "weight": 2}),
        SpanRecord("s4", "stance", "claim", ((0, 41),)),  # nests s2, overlaps s3
        SpanRecord("s5", "hedging", "hedge", at("=SUM(A1)")),  # starts with "="
    ]
    return [CorpusDocument("+doc", TEXT, spans=spans), CorpusDocument("empty", "no spans")]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_rows(tmp_path):
    out = tmp_path / "sub" / "spans.csv"
    summary = get_format("csv").write(docs(), out, default_tagset(), WriteOptions())
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(out)
    assert (summary.documents, summary.spans, summary.files) == (2, 5, [out])
    assert [r["span_id"] for r in rows] == ["s4", "s2", "s3", "s1", "s5"]  # by start, longest first
    by_id = {r["span_id"]: r for r in rows}
    assert by_id["s1"]["text"] == "may work"
    assert "may work" in by_id["s1"]["context"]
    assert by_id["s1"]["context"] in TEXT.replace("\n", " ")
    assert len(by_id["s1"]["context"]) <= 40 + len("may work") + 40
    assert by_id["s1"]["attr:certainty"] == "low"
    assert json.loads(by_id["s1"]["attributes"]) == {"certainty": "low"}
    assert by_id["s3"]["text"] == TEXT[10:14] + " " + TEXT[27:38]
    assert json.loads(by_id["s3"]["fragments"]) == [[10, 14], [27, 38]]
    assert (by_id["s3"]["start"], by_id["s3"]["end"]) == ("10", "38")
    assert by_id["s3"]["attr:weight"] == "2"
    assert list(rows[0])[-3:] == ["attr:kind", "attr:weight", "attr:certainty"]  # first seen
    assert by_id["s2"]["annotator"] == "bob" and by_id["s1"]["note"] == "a note"


def test_offsets_are_code_points(tmp_path):
    out = tmp_path / "spans.csv"
    get_format("csv").write(docs(), out, default_tagset(), WriteOptions())
    row = next(r for r in read_csv(out) if r["span_id"] == "s3")
    assert TEXT[int(row["start"]):int(row["end"])].startswith("said 👍🏽 the plan")


def test_formula_injection_neutralised_in_csv(tmp_path):
    out = tmp_path / "spans.csv"
    get_format("csv").write(docs(), out, default_tagset(), WriteOptions())
    rows = read_csv(out)
    assert {r["document"] for r in rows} == {"'+doc"}
    s2 = next(r for r in rows if r["span_id"] == "s2")
    assert s2["note"] == "'=cmd|' /C calc'!A0"
    s5 = next(r for r in rows if r["span_id"] == "s5")
    assert s5["text"] == "'=SUM(A1)"


def test_layer_filter(tmp_path):
    out = tmp_path / "spans.csv"
    summary = get_format("csv").write(docs(), out, default_tagset(),
                                      WriteOptions(layers=["attribution"]))
    assert summary.spans == 2
    assert {r["layer"] for r in read_csv(out)} == {"attribution"}


def test_xlsx(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "spans.xlsx"
    progress: list[tuple[int, int]] = []
    summary = get_format("xlsx").write(docs(), out, default_tagset(),
                                       WriteOptions(progress=lambda d, t: progress.append((d, t))))
    assert summary.spans == 5 and progress[-1] == (2, 2)
    ws = load_workbook(out, read_only=True)["spans"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    assert header[:4] == ["document", "span_id", "start", "end"]
    cell = {(r[1], h): v for r in body for h, v in zip(header, r, strict=True)}
    assert cell[("s1", "start")] == TEXT.index("may work") and cell[("s1", "text")] == "may work"
    assert cell[("s5", "text")] == "'=SUM(A1)"
    assert cell[("s2", "note")] == "'=cmd|' /C calc'!A0"
    assert cell[("s1", "document")] == "'+doc"
    assert cell[("s3", "text")] == "said قال المتحدث"
    assert "👍🏽" in cell[("s3", "context")]


def test_xlsx_replaces_illegal_characters(tmp_path):
    from openpyxl import load_workbook

    doc = CorpusDocument("d", "bell\x07 here", spans=[SpanRecord("s1", "l", "x", ((0, 5),))])
    out = tmp_path / "c.xlsx"
    summary = get_format("xlsx").write([doc], out, default_tagset(), WriteOptions())
    assert summary.warnings
    values = list(load_workbook(out, read_only=True)["spans"].iter_rows(values_only=True))
    assert values[1][7] == "bell\ufffd"


def test_neutralise():
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "\x00x"):
        assert neutralise(bad) == "'" + bad
    for fine in ("hello", "", "1-2", "'quoted", " =x"):
        assert neutralise(fine) == fine


def test_context_keeps_span_and_whole_graphemes():
    text = "a" * 38 + "e\u0301" + "X" * 5 + "👍🏽" + "b" * 50
    ctx = context(text, 40, 45, width=1)
    assert "XXXXX" in ctx
    assert ctx.startswith("e\u0301")  # not a lone combining mark
    assert "👍🏽" in ctx
    assert context("line\none\tx", 5, 8) == "line one x"
