"""brat standoff: round trip, line syntax against the standoff spec, foreign files, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from exchange_sample import TEXT, relation_set, sample_doc, span_set

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.tagset import default_tagset
from annotator.formats._brat_names import encode_name
from annotator.formats.registry import ReadOptions, WriteOptions, format_for_path, get_format

# Line forms from https://brat.nlplab.org/standoff.html
T_RE = re.compile(r"T\d+\t\S+ \d+ \d+(;\d+ \d+)*\t[^\n]*")
R_RE = re.compile(r"R\d+\t\S+ Arg1:T\d+ Arg2:T\d+")
A_RE = re.compile(r"A\d+\t\S+ [TER]\d+( \S+)?")
NOTE_RE = re.compile(r"#\d+\tAnnotatorNotes [TER]\d+\t[^\t\n]*")
# configuration names must avoid the separators of annotation.conf
CONF_NAME = re.compile(r"[^\s,:|=<>]+")


def export(tmp_path: Path, docs: list[CorpusDocument]) -> Path:
    out = tmp_path / "brat"
    get_format("brat").write(docs, out, default_tagset(), WriteOptions())
    return out


def read(path: Path, warnings: list[str] | None = None) -> list[CorpusDocument]:
    opts = ReadOptions(annotator="bob",
                       warn=warnings.append if warnings is not None else lambda m: None)
    return list(get_format("brat").read(path, opts))


def test_round_trip_keeps_spans_relations_attributes_notes(tmp_path: Path) -> None:
    doc = sample_doc()
    out = export(tmp_path, [doc])
    [back] = read(out)
    assert back.text == TEXT
    assert span_set(back) == span_set(doc)
    assert relation_set(back) == relation_set(doc)
    assert all(s.annotator == "bob" for s in back.spans)


def test_txt_is_exactly_the_stored_text_and_offsets_are_code_points(tmp_path: Path) -> None:
    out = export(tmp_path, [sample_doc()])
    [txt] = out.glob("*.txt")
    assert txt.read_bytes() == TEXT.encode("utf-8")
    ann = txt.with_suffix(".ann").read_text(encoding="utf-8")
    start = TEXT.index("reportedly")
    assert f"\thedge {start} {start + 10}\treportedly" in ann  # the label alone reads back
    assert "\t" + "may fully confirmed" in ann  # discontinuous: fragments joined by a space


def test_every_ann_line_matches_the_standoff_spec(tmp_path: Path) -> None:
    out = export(tmp_path, [sample_doc()])
    [ann] = out.glob("*.ann")
    lines = ann.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""
    kinds = {"T": T_RE, "R": R_RE, "A": A_RE, "#": NOTE_RE}
    for line in lines[:-1]:
        assert kinds[line[0]].fullmatch(line), line
    assert sum(line.startswith("T") for line in lines) == 11
    assert any(";" in line.split("\t")[1] for line in lines if line.startswith("T"))


def test_annotation_conf_declares_everything_used(tmp_path: Path) -> None:
    out = export(tmp_path, [sample_doc()])
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    sections = re.findall(r"^\[(\w+)\]$", conf, re.M)
    assert sections == ["entities", "relations", "events", "attributes"]
    body = {name: [] for name in sections}
    current = None
    for line in conf.split("\n"):
        if m := re.fullmatch(r"\[(\w+)\]", line):
            current = m.group(1)
        elif current and line and not line.startswith("#"):
            body[current].append(line)
    entities = set(body["entities"])
    for name in entities:
        assert CONF_NAME.fullmatch(name), name
    # a label of the default tagset is written alone (it reads back into its layer); a label
    # of another layer as <layer>--<label>, what brat cannot hold escaped
    assert {"source", "hedge", "my-20-layer--Label-3a-1-7c-x"} <= entities
    relations = {line.split("\t")[0]: line for line in body["relations"]}
    assert relations["attributed_to"] == "attributed_to\tArg1:content, Arg2:source"
    assert "links-20-to-20-ünï" in relations
    attrs = {line.split("\t")[0]: line.split("\t")[1] for line in body["attributes"]}
    assert attrs["negated"] == "Arg:hedge"  # only True values: binary
    for spec in attrs.values():
        for part in spec.split(", "):
            key, _, values = part.partition(":")
            assert key in ("Arg", "Value")
            assert all(CONF_NAME.fullmatch(v) for v in values.split("|")), values
    # every type and attribute value used in the .ann files is declared
    [ann] = out.glob("*.ann")
    for line in ann.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            assert line.split("\t")[1].split(" ")[0] in entities
        elif line.startswith("A"):
            parts = line.split("\t")[1].split(" ")
            if len(parts) == 3:  # the value as the conf can hold it
                declared = attrs[parts[0]].split("Value:")[1].split("|")
                assert encode_name(parts[2]) in declared, (parts, declared)


def test_sniffed_as_brat_and_names_are_safe(tmp_path: Path) -> None:
    docs = [sample_doc("a/b"), sample_doc("a_b"), sample_doc("CON")]
    out = export(tmp_path, docs)
    assert format_for_path(out).name == "brat"
    stems = sorted(p.stem for p in out.glob("*.ann"))
    assert stems == ["_CON", "a_b", "a_b-2"]
    assert sorted(d.name for d in read(out)) == stems


def test_layer_filter_drops_relations_to_missing_spans(tmp_path: Path) -> None:
    summary = get_format("brat").write([sample_doc()], tmp_path / "o", default_tagset(),
                                       WriteOptions(layers=["attribution"]))
    assert summary.spans == 4
    assert summary.relations == 2
    assert summary.dropped["relation with an end not exported"] == 1
    # the sample has a title and metadata, which brat cannot hold: said, not silently lost
    assert summary.dropped["document title/metadata/status (brat has no place for them)"] == 1


def _write_pair(folder: Path, text: str | bytes, ann: str, name: str = "d") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    (folder / f"{name}.txt").write_bytes(raw)
    (folder / f"{name}.ann").write_bytes(ann.encode("utf-8"))
    return folder


def test_foreign_brat_types_crlf_and_an_event_on_a_trigger_of_another_type(
        tmp_path: Path) -> None:
    text = b"Sony said\r\nthat Ericsson may merge.\r\n"
    ann = ("T1\tOrganization 0 4\tSony\n"
           "T2\thedge 25 28\tmay\n"
           "T3\tCause-effect 16 24\tEricsson\n"
           "E1\tMerge:T2 Arg:T3\n"
           "A1\tNegation E1\n"
           "A2\tConfidence T1 High\n"
           "#1\tAnnotatorNotes T1\tchecked\n")
    warnings: list[str] = []
    [doc] = read(_write_pair(tmp_path / "f", text, ann), warnings)
    # brat counts the raw text: it is kept byte-exact, \r\n included (interfaces.md)
    assert doc.text == "Sony said\r\nthat Ericsson may merge.\r\n"
    got = {(s.layer, s.label, doc.text[s.start:s.end], s.note, str(s.attributes))
           for s in doc.spans}
    # the trigger's type differs from the event's (brat itself refuses that): both are kept
    assert got == {("imported", "Organization", "Sony", "checked", "{'Confidence': 'High'}"),
                   ("hedging", "hedge", "may", "", "{}"),
                   ("imported", "Merge", "may", "", "{'brat_id': 'E1', 'Negation': True}"),
                   ("imported", "Cause-effect", "Ericsson", "", "{}")}
    keyed = {s.key: s for s in doc.spans}
    assert [(r.type, keyed[r.source].label, keyed[r.target].label) for r in doc.relations] \
        == [("Arg", "Merge", "Cause-effect")]
    assert warnings == []  # everything has its place


@pytest.mark.parametrize(("ann", "message"), [
    ("T1\tX 0 4 Sony\n", "malformed text-bound line"),
    ("T1\tX 0 40\tSony\n", "outside the text"),
    ("T1\tX 5 9\tSony\n", "does not match"),
    ("T1\tX 4 0\tSony\n", "empty or reversed"),
    ("T1\tX 5 9;0 4\tsaid Sony\n", "precedes"),
    ("T1\tX 0 4\tSony\nT1\tX 0 4\tSony\n", "used twice"),
    ("T1\tX 0 4\tSony\nR1\tRel Arg1:T1 Arg2:T9\n", "T9 is not"),
    ("T1\tX 0 4\tSony\nR1\tRel Arg1:T1\n", "malformed relation line"),
    ("T1\tX 0 4\tSony\nA1\tNeg T7\n", "T7 is not"),
    ("T1\tX 0 4\tSony\nA1\tNeg T1 -j-[\n", "A1"),
    ("Q1\twhat\n", "unknown annotation line"),
    ("#1\tAnnotatorNotes\n", "malformed note line"),
])
def test_malformed_ann_lines_name_file_and_line(tmp_path: Path, ann: str, message: str) -> None:
    folder = _write_pair(tmp_path / "bad", "Sony said so.", ann)
    with pytest.raises(BadInputError) as err:
        read(folder)
    assert message in str(err.value)
    assert err.value.path == str(folder / "d.ann")
    assert err.value.line == ann.count("\n")


def test_ann_without_txt_and_bad_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "orphan.ann").write_text("T1\tX 0 1\ta\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="no .txt file"):
        read(folder)
    folder2 = _write_pair(tmp_path / "y", "abc", "")
    (folder2 / "d.ann").write_bytes(b"T1\tX 0 1\t\xff\n")
    with pytest.raises(BadInputError, match="not valid UTF-8"):
        read(folder2)


def test_txt_without_ann_is_a_document_without_spans(tmp_path: Path) -> None:
    folder = tmp_path / "z"
    _write_pair(folder, "one", "T1\tX 0 3\tone\n", name="a")
    (folder / "b.txt").write_text("two", encoding="utf-8")
    docs = read(folder)
    assert [(d.name, len(d.spans)) for d in docs] == [("a", 1), ("b", 0)]


def test_span_over_whole_text_with_tab(tmp_path: Path) -> None:
    doc = CorpusDocument(name="t", text="a\tb\nc", spans=[
        SpanRecord("s1", "hedging", "hedge", ((0, 5),))])
    [back] = read(export(tmp_path, [doc]))
    assert span_set(back) == span_set(doc)


def test_lines_may_refer_to_annotations_defined_further_down(tmp_path: Path) -> None:
    ann = ("R1\tRel Arg1:T2 Arg2:T1\n"
           "A1\tConfidence T2 High\n"
           "#1\tAnnotatorNotes T1\tchecked\n"
           "T1\tOrganization 0 4\tSony\n"
           "T2\tPerson 10 14\tthat\n")
    [doc] = read(_write_pair(tmp_path / "f", "Sony said that.", ann))
    spans = {s.key: s for s in doc.spans}
    assert spans["T1"].note == "checked" and spans["T2"].attributes == {"Confidence": "High"}
    [rel] = doc.relations
    assert (rel.source, rel.target) == ("T2", "T1")


def test_what_the_model_cannot_hold_is_kept_said_and_written_back(tmp_path: Path) -> None:
    ann = ("T1\tOrganization 0 4\tSony\n"
           "T2\tMerge 5 9\tsaid\n"
           "E1\tMerge:T2 Org:T1\n"
           "R1\tRel Arg1:T1 Arg2:T2\n"
           "A1\tNegation E1\n"
           "A2\tConfidence R1 High\n"
           "#1\tAnnotatorNotes E1\tan event note\n"
           "#2\tAnnotatorNotes R1\ta relation note\n"
           "#3\tComment T1\tnot an AnnotatorNotes\n"
           "N1\tReference T1 Wikipedia:534366\tSony\n"
           "A3\tChecked N1\n"
           "*\tEquiv T1 T2\n")
    warnings: list[str] = []
    [doc] = read(_write_pair(tmp_path / "f", "Sony said that.", ann), warnings)
    keyed = {s.key: s for s in doc.spans}
    assert sorted(keyed) == ["E1", "T1", "T2"]  # T2 is named by R1: a span of its own too
    assert keyed["E1"].attributes == {"brat_id": "E1", "Negation": True}
    assert keyed["E1"].note == "an event note"
    rel = next(r for r in doc.relations if r.type == "Rel")
    assert rel.attributes == {"Confidence": "High", "brat_id": "R1"}  # A2; #2 names R1
    assert doc.meta["brat"]["lines"] == [
        "A3\tChecked N1", "#2\tAnnotatorNotes R1\ta relation note",
        "#3\tComment T1\tnot an AnnotatorNotes", "N1\tReference T1 Wikipedia:534366\tSony",
        "*\tEquiv T1 T2"]
    [warning] = warnings
    assert warning.startswith(str(tmp_path / "f"))
    for words in ("1 attribute line(s)", "2 comment line(s)", "1 equivalence line(s)",
                  "1 normalisation line(s)"):
        assert words in warning, warning
    out = export(tmp_path, [doc])
    lines = (out / "d.ann").read_text(encoding="utf-8").splitlines()
    for kept in doc.meta["brat"]["lines"]:
        assert kept in lines
    assert "E1\tMerge:T2 Org:T1" in lines and "R1\tRel Arg1:T1 Arg2:T2" in lines
    assert {"T1\tOrganization 0 4\tSony", "T2\tMerge 5 9\tsaid"} <= set(lines)


def test_a_kept_line_whose_annotation_is_gone_is_counted_as_dropped(tmp_path: Path) -> None:
    ann = "T1\tOrganization 0 4\tSony\nT2\tPerson 5 9\tsaid\n*\tEquiv T1 T2\n"
    [doc] = read(_write_pair(tmp_path / "f", "Sony said that.", ann))
    doc.spans = [s for s in doc.spans if s.key != "T2"]
    summary = get_format("brat").write([doc], tmp_path / "o", default_tagset(), WriteOptions())
    assert summary.dropped == {"kept brat line naming an annotation no longer exported": 1}
    assert "*" not in (tmp_path / "o" / "d.ann").read_text(encoding="utf-8")


def test_exact_copies_and_shared_triggers_stay_apart(tmp_path: Path) -> None:
    ann = ("T1\tProtein 0 4\tSony\nT2\tProtein 0 4\tSony\nT3\tBind 5 9\tsaid\n"
           "E1\tBind:T3 Theme:T1\nE2\tBind:T3 Theme:T2\n")
    [doc] = read(_write_pair(tmp_path / "f", "Sony said that.", ann))
    assert sorted(str(s.attributes.get("brat_id")) for s in doc.spans) == ["E1", "E2", "T1", "T2"]
    out = export(tmp_path, [doc])
    assert sorted((out / "d.ann").read_text(encoding="utf-8").splitlines()) == sorted(
        ann.splitlines())


@pytest.mark.parametrize("offsets", ["1 5", "0 4"])
def test_txt_with_byte_order_mark_reads_brat_offsets_and_drops_the_mark(
        tmp_path: Path, offsets: str) -> None:
    """brat reads a UTF-8 byte-order mark as a character, so its offsets count it ("1 5");
    offsets that do not count it ("0 4") are accepted too. The .ann may carry a mark too."""
    folder = _write_pair(tmp_path / "f", b"\xef\xbb\xbfSony said so.\n",
                         f"\ufeffT1\tOrganization {offsets}\tSony\nT2\tX 5 9\tsaid\n"
                         if offsets == "0 4" else f"T1\tOrganization {offsets}\tSony\n")
    [doc] = read(folder)
    assert doc.text == "Sony said so.\n"
    assert [doc.text[s.start:s.end] for s in doc.spans][:1] == ["Sony"]
    assert doc.spans[0].fragments == ((0, 4),)


def test_txt_with_byte_order_mark_and_offsets_fitting_neither_way_is_refused(
        tmp_path: Path) -> None:
    folder = _write_pair(tmp_path / "f", b"\xef\xbb\xbfSony said so.\n",
                         "T1\tOrganization 2 6\tSony\n")
    with pytest.raises(BadInputError, match="does not match"):
        read(folder)
