"""UIMA CAS XMI files made by INCEpTION, DKPro and cassis (tests/corpora/xmi, see SOURCE.md)
imported with the real command line. Every span layer of the initial view comes in (custom and
DKPro built-in), relations, chains (``next``) and slot links as relations; what cannot be
represented (tokens, sentences, zero-width annotations, other views, types or features the type
system lacks) is named in one warning per file, counted by kind — no file is refused.

The reference is dkpro-cassis reading the same file: for every folder the spans (layer, offsets,
covered text) and the number of relations must agree with what cassis finds. Folders without a
TypeSystem.xml (INCEpTION's tsv3-suite, DKPro's HTML test file) are loaded in cassis with the
type system Annotator inferred, so the comparison checks the XML, reference and UTF-16 reading.
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from pathlib import Path

import pytest
from corpus_import import HERE, assert_refused, import_path

from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.tagset import default_tagset
from annotator.formats._xmi_parse import find_typesystem, load_typesystem_file, read_cas_file
from annotator.formats._xmi_schema import DKPRO, built_in, to_cassis
from annotator.formats.registry import ReadOptions, WriteOptions, get_format

XMI = HERE / "xmi"
FOLDERS = sorted([p for p in XMI.iterdir() if p.is_dir() and p.name != "inception-tsv3"]
                 + list((XMI / "inception-tsv3").iterdir()))
NOT_SPANS = {DKPRO + "segmentation.type.Token", DKPRO + "segmentation.type.Sentence",
             DKPRO + "metadata.type.TagsetDescription", "uima.tcas.DocumentAnnotation"}
JOE = "Joe waited for the train . The train was late ."


def _cassis_layer(t: object) -> str:
    """The layer a type's annotations belong to, from cassis's view of the type."""
    names = []
    cur = t
    while cur is not None:
        names.append(cur.name)  # type: ignore[attr-defined]
        cur = cur.supertype  # type: ignore[attr-defined]
    for root in ("lexmorph.type.pos.POS", "ner.type.NamedEntity"):
        if DKPRO + root in names:
            return root.rsplit(".", 1)[-1]
    short = names[0].rsplit(".", 1)[-1]
    has = {f.name for f in t.all_features}  # type: ignore[attr-defined]
    chain = "next" in has and ("referenceType" in has or short.endswith("Link"))
    return short.removesuffix("Link") if chain else short


def cassis_view(folder: Path) -> tuple[str, Counter[tuple[str, int, int]], int]:
    """(text, spans as (layer, begin, end), relations) as dkpro-cassis reads the folder."""
    from cassis import load_cas_from_xmi, load_typesystem

    [xmi] = folder.glob("*.xmi")
    ts_path = find_typesystem(folder)
    if ts_path is not None:
        with ts_path.open("rb") as fh:
            ts = load_typesystem(fh)
        # DKPro Core types the file's type system lacks: as DKPro declares them (INCEpTION's
        # projects always have them, and so does the reader)
        parsed, _ = read_cas_file(xmi, load_typesystem_file(ts_path))
        if parsed.assumed:
            to_cassis({**built_in(), **{fs.type.name: fs.type for fs in parsed.fss.values()
                                        if fs.type.name in parsed.assumed}}, base=ts)
    else:
        cas, _ = read_cas_file(xmi, None)
        types = {**built_in(), **{fs.type.name: fs.type for fs in cas.fss.values()}}
        ts = to_cassis(types)
    with xmi.open("rb") as fh, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cas = load_cas_from_xmi(fh, typesystem=ts, lenient=True)
    spans: Counter[tuple[str, int, int]] = Counter()
    relations = 0
    zero: set[int] = set()
    for a in cas.select_all_annotations():
        t = a.type
        names = {f.name for f in t.all_features}
        if t.name in NOT_SPANS or t.name.startswith("org.dkpro.core.api.xml.") or \
                ts.subsumes("uima.tcas.DocumentAnnotation", t.name):
            continue
        if {"Governor", "Dependent"} <= names:
            continue
        if a.begin == a.end:
            zero.add(a.xmiID)
            continue
        spans[(_cassis_layer(t), a.begin, a.end)] += 1
    token_ends: dict[int, tuple[str, int, int]] = {}
    for a in cas.select_all_annotations():
        names = {f.name for f in a.type.all_features}
        if {"Governor", "Dependent"} <= names:
            ends = (a.get("Governor"), a.get("Dependent"))
            ok = all(e is not None and e.begin < e.end for e in ends)
            relations += ok
            for e in ends if ok else ():
                if a.type.name == DKPRO + "syntax.type.dependency.Dependency" and \
                        e.get("pos") is not None:  # attached through Token.pos: joins POS
                    continue
                if e.type.name == DKPRO + "segmentation.type.Token":  # read as a span then
                    token_ends[e.xmiID] = ("Token", e.begin, e.end)
        elif a.xmiID not in zero and a.begin < a.end and a.type.name not in NOT_SPANS:
            nxt = a.get("next") if "next" in names else None
            relations += nxt is not None and nxt.begin < nxt.end
            for feat in a.type.all_features:
                value = a.get(feat.name)
                if feat.rangeType.name == "uima.cas.FSArray" and value is not None:
                    for link in value.elements:
                        target = link.get("target") if link is not None else None
                        relations += target is not None and target.begin < target.end
    spans.update(token_ends.values())
    return cas.sofa_string, spans, relations


def _span(s: SpanRecord) -> tuple[str, str, str, str]:
    return (s.layer, s.label, str(s.fragments), json.dumps(s.attributes, sort_keys=True))


def _rel(doc: CorpusDocument, r: RelationRecord) -> tuple[str, str, str, str]:
    by = {s.key: s for s in doc.spans}
    return (r.type, str(by[r.source].fragments), str(by[r.target].fragments),
            json.dumps(r.attributes, sort_keys=True))


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_real_xmi_agrees_with_cassis(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     folder: Path) -> None:
    """The reader's spans and relations are cassis's, one for one; written back as XMI and read
    again they are the same; the command line imports
    the folder (exit 0) with the same spans (exact copies stored once, as for every format)."""
    [doc] = get_format("xmi").read(folder, ReadOptions(annotator="t"))
    text, spans, relations = cassis_view(folder)
    assert doc.text == text  # exactly, \r\n and all
    assert Counter((s.layer, s.start, s.end) for s in doc.spans) == spans  # code points both
    assert len(doc.relations) == relations
    again = tmp_path / "again"  # read → write → read is stable
    get_format("xmi").write([doc], again, default_tagset(), WriteOptions())
    [back] = get_format("xmi").read(again, ReadOptions(annotator="t"))
    assert back.text == doc.text
    assert sorted(_span(s) for s in back.spans) == sorted(_span(s) for s in doc.spans)
    assert sorted(_rel(back, r) for r in back.relations) == sorted(_rel(doc, r)
                                                                    for r in doc.relations)
    got = import_path(tmp_path, folder, capsys)
    assert got.code == 0, got.err
    [stored] = got.docs.values()
    assert stored.text == text
    assert {(s.layer, s.start, s.end) for s in stored.spans} == set(spans)


def undeclared_feature(tmp_path: Path) -> Path:
    """INCEpTION's relation test folder with one attribute TypeSystem.xml does not declare."""
    folder = tmp_path / "undeclared"
    folder.mkdir()
    src = XMI / "inception-stringmatch-relation"
    (folder / "TypeSystem.xml").write_bytes((src / "TypeSystem.xml").read_bytes())
    raw = (src / "relation_test.xmi").read_bytes()
    at = raw.index(b"<type4:Token ")
    (folder / "relation_test.xmi").write_bytes(raw[:at + 13] + b'shape="Xx" ' + raw[at + 13:])
    return folder


def test_a_file_of_every_kind_reports_what_it_leaves_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One folder with tokens, sentences, zero-width spans; another with an undeclared type;
    a third with a second view: each leaves one warning, counted by kind, naming the file."""
    cases = {
        XMI / "inception-tsv3" / "testZeroLengthSpansWithFeatureValues":
            ["5 Token (segmentation)", "1 Sentence (segmentation)",
             "2 zero-width NamedEntity annotations (skipped)", "no TypeSystem.xml"],
        XMI / "cassis-lenient": ["1 feature structure(s) of types TypeSystem.xml does not "
                                 "declare (NotInTypesystem)"],
        XMI / "cassis-two-sofas": ["1 other view(s) (_SecondView)"],
        undeclared_feature(tmp_path):
            ["1 value(s) of features TypeSystem.xml does not declare (Token.shape)"],
    }
    for i, (folder, words) in enumerate(cases.items()):
        (tmp_path / str(i)).mkdir()
        got = import_path(tmp_path / str(i), folder, capsys)
        assert got.code == 0, got.err
        joined = " ".join(got.err)
        assert str(folder) in joined
        for w in words:
            assert w in joined, joined


def test_builtin_layers_chains_slots_and_relations_come_in(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = XMI / "inception-tsv3"
    seen = {}
    for i, case in enumerate(["testTokenBoundedSpanWithFeatureValue", "testSimpleChain",
                              "testSimpleSlotFeature", "testSingleTokenRelationWithFeatureValue",
                              "testTokenAttachedAnnotationsWithValues"]):
        (tmp_path / str(i)).mkdir()
        got = import_path(tmp_path / str(i), base / case, capsys)
        [seen[case]] = got.docs.values()
    ne = seen["testTokenBoundedSpanWithFeatureValue"]
    assert {s.layer for s in ne.spans} == {"NamedEntity"}
    assert {s.label for s in ne.spans} == {"NE 0", "NE 1", "NE 2", "NE 3", "NE 4"}
    chain = seen["testSimpleChain"]
    assert {s.layer for s in chain.spans} == {"Simple"} and len(chain.spans) == 3
    assert [r.type for r in chain.relations] == ["next", "next"]
    slot = seen["testSimpleSlotFeature"]
    by_key = {s.key: s for s in slot.spans}
    assert sorted((r.type, by_key[r.source].layer, slot.text[by_key[r.target].start:
                                                             by_key[r.target].end])
                  for r in slot.relations) == [("p1", "SimpleLinkHost", "is"),
                                               ("p2", "SimpleLinkHost", "a")]
    dep = seen["testSingleTokenRelationWithFeatureValue"]
    assert [r.type for r in dep.relations] == ["nsubj"]
    assert {s.layer for s in dep.spans} == {"Token"}
    lemma = seen["testTokenAttachedAnnotationsWithValues"]
    assert {s.layer for s in lemma.spans} == {"Lemma", "POS", "Stem", "MorphologicalFeatures"}


def test_small_cas_reads_its_own_token_types_as_layers(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got = import_path(tmp_path, XMI / "cassis-small", capsys)
    [doc] = got.docs.values()
    assert doc.text == JOE
    assert Counter(s.layer for s in doc.spans) == {"Token": 11, "Sentence": 2}  # cassis.Token


def test_emoji_offsets_count_utf16_in_the_file_and_code_points_inside(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The file's annotations count UTF-16 units; ours count code points."""
    raw = (XMI / "cassis-emoji" / "debug.xmi").read_text(encoding="utf-8")
    assert 'begin="0" end="38"' in raw
    got = import_path(tmp_path, XMI / "cassis-emoji", capsys)
    [doc] = got.docs.values()
    assert len(doc.text) == 32 and len(doc.text.encode("utf-16-le")) // 2 == 38
    assert max(s.end for s in doc.spans) <= 32
    assert {doc.text[s.start:s.end] for s in doc.spans} >= {"\U0001f473\U0001f3fb\u200d\u2640"
                                                            "\ufe0f"}


def test_xmi_folder_without_type_system_is_read_with_dkpro_types(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "no-ts"
    folder.mkdir()
    (folder / "small_cas.xmi").write_bytes((XMI / "cassis-small" / "small_cas.xmi").read_bytes())
    got = import_path(tmp_path, folder, capsys)
    assert got.code == 0
    assert any("no TypeSystem.xml" in line and str(folder) in line for line in got.err)


def test_a_file_without_text_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "no-text"
    folder.mkdir()
    (folder / "a.xmi").write_text('<?xml version="1.0"?><xmi:XMI xmlns:xmi="http://www.omg.org/'
                                  'XMI" xmlns:cas="http:///uima/cas.ecore" xmi:version="2.0">'
                                  '<cas:NULL xmi:id="0"/></xmi:XMI>')
    line = assert_refused(tmp_path, folder, capsys)
    assert "no Sofa" in line and "a.xmi" in line
