"""WebAnno TSV 3.3 export: structure, UTF-16 offsets, IDs, stacking, relations, escaping."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.tagset import default_tagset
from annotator.formats.registry import WriteOptions, get_format
from annotator.formats.webanno_tsv import escape_text, escape_value, format_value

TEXT = "👍🏽 Officials said the talks were not fully confirmed.\nقال المتحدث e\u0301 ok."


def at(phrase: str, text: str = TEXT) -> tuple[int, int]:
    s = text.index(phrase)
    return s, s + len(phrase)


def span(key: str, layer: str, label: str, *frags: tuple[int, int], **attrs) -> SpanRecord:  # noqa: ANN003
    return SpanRecord(key, layer, label, tuple(frags), dict(attrs))


def export(tmp_path: Path, docs: list[CorpusDocument], **opts):  # noqa: ANN003, ANN201
    out = tmp_path / "tsv"
    summary = get_format("webanno-tsv").write(docs, out, default_tagset(), WriteOptions(**opts))
    return out, summary


def rows(path: Path) -> dict[str, list[str]]:
    """Token id -> its fields (the trailing empty field after the last TAB removed)."""
    out = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line and not line.startswith("#"):
            assert line.endswith("\t")
            fields = line[:-1].split("\t")
            out[fields[0]] = fields
    return out


def token_row(path: Path, token: str) -> list[str]:
    return next(r for r in rows(path).values() if r[2] == token)


def test_header_sentences_and_utf16_offsets(tmp_path: Path) -> None:
    doc = CorpusDocument("doc-1", TEXT, spans=[span("s1", "hedging", "hedge", at("not fully confirmed"),
                                                    certainty="possible", negated=True)])
    out, summary = export(tmp_path, [doc])
    path = out / "doc-1.tsv"
    assert summary.files == [path] and summary.documents == 1 and summary.spans == 1
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[:5] == ["#FORMAT=WebAnno TSV 3.3",
                         "#T_SP=webanno.custom.Hedging|label|cue_type|certainty|negated",
                         "", "",
                         "#Text=👍🏽 Officials said the talks were not fully confirmed."]
    assert lines[-1] == "" and lines[-2] != ""
    assert "" in lines[5:-1] and "#Text=قال المتحدث e\u0301 ok." in lines
    r = rows(path)
    assert r["1-1"][:3] == ["1-1", "0-4", "👍🏽"]  # two astral code points, four UTF-16 units
    assert r["1-2"][:3] == ["1-2", "5-14", "Officials"]
    assert r["2-1"][2] == "قال"
    s = TEXT.index("قال")
    assert r["2-1"][1] == f"{s + 2}-{s + 5}"
    assert r["2-3"][2] == "e\u0301"
    # multi-token span with an ID in every feature column
    assert token_row(path, "not")[3:] == ["hedge[1]", "*[1]", "possible[1]", "true[1]"]
    assert token_row(path, "confirmed")[3:] == ["hedge[1]", "*[1]", "possible[1]", "true[1]"]
    assert token_row(path, ".")[3:] == ["_", "_", "_", "_"]
    assert token_row(path, "talks")[3:] == ["_", "_", "_", "_"]


def test_single_token_span_has_no_id_and_stacks_get_ids(tmp_path: Path) -> None:
    doc = CorpusDocument("d", TEXT, spans=[
        span("a", "hedging", "hedge", at("said")),
        span("b", "stance", "stance", at("talks")),
        span("c", "stance", "target", at("talks"), target="the talks"),
    ])
    out, _ = export(tmp_path, [doc])
    path = out / "d.tsv"
    assert token_row(path, "said")[3:7] == ["hedge", "*", "*", "*"]
    stance = token_row(path, "talks")[7:]
    # stance layer columns: label, polarity, target, holder, intensity (stacked in one order)
    assert stance[0] == "stance[1]|target[2]"
    assert stance[2] == "*[1]|the talks[2]"
    assert all(cell.count("|") == 1 for cell in stance)


def test_relations_written_on_target_referencing_source(tmp_path: Path) -> None:
    doc = CorpusDocument("d", TEXT, spans=[
        span("src", "attribution", "source", at("Officials")),
        span("cue", "attribution", "cue", at("said")),
        span("con", "attribution", "content", at("the talks were not fully confirmed")),
        span("st", "stance", "stance", at("confirmed")),
    ], relations=[
        RelationRecord("r1", "attributed_to", "con", "src"),
        RelationRecord("r2", "cue_of", "cue", "con"),
        RelationRecord("r3", "holder_of", "src", "st"),  # across layers: not expressible
        RelationRecord("r4", "cue_of", "cue", "missing"),
    ])
    out, summary = export(tmp_path, [doc], layers=["attribution", "stance"])
    path = out / "d.tsv"
    header = path.read_text(encoding="utf-8").split("\n")[:5]
    assert header[3] == ("#T_RL=webanno.custom.AttributionRelation|label|"
                         "BT_webanno.custom.Attribution")
    assert header[1].startswith("#T_SP=webanno.custom.Attribution|label|")
    assert header[2].startswith("#T_SP=webanno.custom.Stance|label|")
    # content (multi-token, ID 1) -> source (single token, no ID): on "Officials", from 1-4
    officials = token_row(path, "Officials")
    assert officials[-2:] == ["attributed\\_to", "1-4[1_0]"]
    # cue (single token) -> content (ID 1): on the content's first token "the"
    assert token_row(path, "the")[-2:] == ["cue\\_of", "1-3[0_1]"]
    assert token_row(path, "talks")[-2:] == ["_", "_"]
    assert summary.relations == 2
    assert summary.dropped == {
        "relation across layers (WebAnno TSV relations join one layer)": 1,
        "relation endpoint not exported": 1}


def test_discontinuous_span_becomes_linked_fragments(tmp_path: Path) -> None:
    doc = CorpusDocument("d", TEXT, spans=[span("h", "hedging", "hedge", at("not"), at("confirmed"))])
    out, summary = export(tmp_path, [doc])
    path = out / "d.tsv"
    assert token_row(path, "not")[3] == "hedge"
    assert token_row(path, "confirmed")[3] == "hedge"
    assert token_row(path, "fully")[3] == "_"
    not_id = token_row(path, "confirmed")[0]
    assert token_row(path, "not")[-2:] == ["fragment\\_of", not_id]
    assert summary.dropped == {"discontinuous written as fragments linked by fragment_of": 1}


def test_same_header_for_every_file_and_safe_names(tmp_path: Path) -> None:
    docs = [CorpusDocument("a/b:c", "One two.", spans=[span("x", "hedging", "hedge", (0, 3))]),
            CorpusDocument("A_B_C", "Three.", spans=[span("y", "stance", "stance", (0, 5))]),
            CorpusDocument("CON", "Four.")]
    out, _ = export(tmp_path, docs)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["A_B_C-2.tsv", "_CON.tsv", "a_b_c.tsv"]
    headers = {tuple(p.read_text(encoding="utf-8").split("\n")[:4]) for p in out.iterdir()}
    assert len(headers) == 1


def test_escaping() -> None:
    assert escape_value("a_b|c[1]*;x->y\\z\tq\nr") == "a\\_b\\|c\\[1\\]\\*\\;x\\->y\\\\z\\tq\\nr"
    assert escape_text("a\\b\tc_d") == "a\\\\b\\tc_d"
    assert format_value(None) == "*" and format_value("") == "*"
    assert format_value(False) == "false" and format_value(["x", "y_z"]) == "x,y\\_z"
    assert format_value(3) == "3"


def test_escaped_values_in_file(tmp_path: Path) -> None:
    doc = CorpusDocument("d", "Hello world.", spans=[span("a", "stance", "stance", (0, 5),
                                                          target="x|y_[z]")])
    out, _ = export(tmp_path, [doc])
    assert token_row(out / "d.tsv", "Hello")[5] == "x\\|y\\_\\[z\\]"


def test_registered_as_directory_reader_and_writer() -> None:
    fmt = get_format("webanno-tsv")
    assert fmt.directory and fmt.can_write and fmt.can_read
