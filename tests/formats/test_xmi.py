"""UIMA XMI through cassis: round trip, UTF-16 offsets on disk, INCEpTION-style files, safety."""

from __future__ import annotations

from pathlib import Path

import cassis
import defusedxml.ElementTree as DET
import pytest
from exchange_sample import TEXT, at, relation_set, sample_doc, span_set

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.offsets import OffsetMap
from annotator.core.tagset import default_tagset
from annotator.formats.registry import ReadOptions, WriteOptions, format_for_path, get_format
from annotator.formats.xmi import METADATA_TYPE, RELATION_TYPE, describe, layer_type

XMI_NS = "{http://www.omg.org/XMI}"


def export(tmp_path: Path, docs: list[CorpusDocument], **kw: object) -> Path:
    out = tmp_path / "xmi"
    get_format("xmi").write(docs, out, default_tagset(), WriteOptions(**kw))  # type: ignore[arg-type]
    return out


def read(path: Path) -> list[CorpusDocument]:
    return list(get_format("xmi").read(path, ReadOptions(annotator="bob")))


def rich_doc() -> CorpusDocument:
    doc = sample_doc()
    doc.meta = {"source_url": "https://example.org/a?b=1", "n": [1, 2]}
    doc.relations[2].attributes = {"weight": 2, "why": "ünï"}
    doc.spans[0].annotator = "alice"
    return doc


def test_round_trip_is_identical(tmp_path: Path) -> None:
    doc = rich_doc()
    out = export(tmp_path, [doc])
    assert format_for_path(out).name == "xmi"
    [back] = read(out)
    assert (back.name, back.title, back.text, back.status, back.meta) == (
        doc.name, doc.title, TEXT, "in_progress", doc.meta)
    assert span_set(back) == span_set(doc)
    assert relation_set(back) == relation_set(doc)
    assert {r.type: r.attributes for r in back.relations}["links to ünï"] == {"weight": 2,
                                                                            "why": "ünï"}
    annotators = {s.annotator for s in back.spans}
    assert annotators == {"alice", "bob"}


def _load(out: Path) -> cassis.Cas:
    ts = cassis.load_typesystem(out / "TypeSystem.xml")
    [xmi] = out.glob("*.xmi")
    return cassis.load_cas_from_xmi(xmi, typesystem=ts)


def test_cassis_reads_our_files_and_covered_texts_match(tmp_path: Path) -> None:
    doc = rich_doc()
    cas = _load(export(tmp_path, [doc]))
    assert cas.sofa_string == TEXT
    fragments = {f: s for s in doc.spans for f in s.fragments}
    seen = set()
    for fs in cas.select_all_annotations():
        name = fs.type.name
        if name == METADATA_TYPE:
            assert (fs.documentId, fs.documentTitle) == (doc.name, doc.title)
            assert fs.get_covered_text() == TEXT
            continue
        if name.endswith("Relation"):  # a relation layer (AttributionRelation…)
            assert fs.get_covered_text() == fs.Dependent.get_covered_text()
            continue
        span = fragments[(fs.begin, fs.end)]
        assert fs.get_covered_text() == TEXT[fs.begin:fs.end]
        assert fs.label == span.label
        seen.add((fs.begin, fs.end))
    assert seen == set(fragments)
    [head] = [fs for fs in cas.select_all_annotations() if (fs.begin, fs.end) == at("may")]
    [slot] = head.fragments.elements  # INCEpTION link feature: role "fragment", the tail
    assert (slot.role, slot.target.begin, slot.target.end) == ("fragment", *at("fully confirmed"))


def test_raw_xmi_counts_utf16_units(tmp_path: Path) -> None:
    out = export(tmp_path, [rich_doc()])
    [xmi] = out.glob("*.xmi")
    root = DET.parse(xmi).getroot()
    omap = OffsetMap(TEXT)
    start, end = at("reportedly")  # after 👍🏽 (2 astral) and 😀 (1 astral)
    hits = [el for el in root if el.get("label") == "hedge" and el.get("end")
            and int(el.get("end")) == end + 3]
    assert len(hits) == 1
    assert int(hits[0].get("begin")) == omap.to_utf16(start) == start + 3
    emoji = [el for el in root if el.get("label") == "technique"][0]
    assert (int(emoji.get("begin")), int(emoji.get("end"))) == (12, 16)  # 2 code points


def test_typesystem_has_inception_style_types(tmp_path: Path) -> None:
    """Names as INCEpTION gives layers made in its UI; a relation layer per span layer whose
    spans a relation joins; relations between layers in the source layer's link feature."""
    out = export(tmp_path, [rich_doc()])
    ts = cassis.load_typesystem(out / "TypeSystem.xml")
    stance = ts.get_type("webanno.custom.Stance")
    assert {"label", "note", "annotator", "polarity"} <= {f.name for f in stance.all_features}
    hedging = ts.get_type("webanno.custom.Hedging")
    assert hedging.get_feature("fragments").elementType.name == \
        "webanno.custom.HedgingFragmentsLink"
    rel = ts.get_type("webanno.custom.AttributionRelation")
    assert rel.get_feature("Governor").rangeType.name == "webanno.custom.Attribution"
    assert rel.get_feature("Dependent").rangeType.name == "webanno.custom.Attribution"
    assert not ts.contains_type(RELATION_TYPE)
    rhet = ts.get_type("webanno.custom.Rhetoric")
    assert rhet.get_feature("score").rangeType.name == "uima.cas.Integer"
    assert rhet.get_feature("ratio").rangeType.name == "uima.cas.Double"
    assert rhet.get_feature("flag").rangeType.name == "uima.cas.Boolean"


def test_our_old_lowercase_export_still_reads(tmp_path: Path) -> None:
    """Files of the earlier export (``webanno.custom.stance``, one ``AnnotatorRelation`` type
    joining any spans) keep reading: same spans, same relations."""
    doc = rich_doc()
    folder = tmp_path / "old"
    folder.mkdir()
    ts = cassis.TypeSystem()
    rel = ts.create_type(RELATION_TYPE, supertypeName="uima.tcas.Annotation")
    ts.create_feature(rel, "Governor", "uima.tcas.Annotation")
    ts.create_feature(rel, "Dependent", "uima.tcas.Annotation")
    ts.create_feature(rel, "label", "uima.cas.String")
    ts.create_feature(rel, "attributes", "uima.cas.String", description="JSON")
    types = {}
    for layer in sorted({s.layer for s in doc.spans}):
        t = ts.create_type(layer_type(layer), supertypeName="uima.tcas.Annotation",
                           description=describe(layer))
        for feat in ("label", "note", "annotator"):
            ts.create_feature(t, feat, "uima.cas.String")
        types[layer] = t
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = TEXT
    made = {}
    for span in doc.spans:
        (b, e), *_ = span.fragments
        made[span.key] = types[span.layer](begin=b, end=e, label=span.label)
        cas.add(made[span.key])
    for r in doc.relations:
        dep = made[r.target]
        cas.add(rel(begin=dep.begin, end=dep.end, Governor=made[r.source], Dependent=dep,
                    label=r.type))
    ts.to_xml(folder / "TypeSystem.xml")
    cas.to_xmi(folder / "old.xmi")
    [back] = read(folder)
    assert sorted((s.layer, s.label, s.fragments[0]) for s in back.spans) == sorted(
        (s.layer, s.label, s.fragments[0]) for s in doc.spans)
    assert sorted(r.type for r in back.relations) == sorted(r.type for r in doc.relations)


def test_layer_filter(tmp_path: Path) -> None:
    summary = get_format("xmi").write([sample_doc()], tmp_path / "o", default_tagset(),
                                      WriteOptions(layers=["hedging"]))
    assert (summary.spans, summary.relations) == (3, 0)
    assert summary.dropped == {"relation with an end not exported": 3}
    [back] = read(tmp_path / "o")
    assert {s.layer for s in back.spans} == {"hedging"}


def test_foreign_inception_style_xmi(tmp_path: Path) -> None:
    ts = cassis.TypeSystem()
    sent = ts.create_type("webanno.custom.Sentiment")
    ts.create_feature(sent, "value", "uima.cas.String")
    ts.create_feature(sent, "strength", "uima.cas.Integer")
    rel = ts.create_type("webanno.custom.SentimentLink")
    ts.create_feature(rel, "Governor", "uima.tcas.Annotation")
    ts.create_feature(rel, "Dependent", "uima.tcas.Annotation")
    token = ts.create_type("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token")
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = "😀 good\r\nbad"
    a = sent(begin=2, end=6, value="positive", strength=2)
    b = sent(begin=8, end=11, value="negative")
    cas.add_all([a, b, token(begin=2, end=6), rel(begin=8, end=11, Governor=a, Dependent=b)])
    folder = tmp_path / "foreign"
    folder.mkdir()
    ts.to_xml(folder / "TypeSystem.xml")
    cas.to_xmi(folder / "doc.xmi")
    [doc] = read(folder)
    assert doc.text == "😀 good\r\nbad"  # the sofa byte-exact: offsets stay UIMA's
    got = {(s.layer, s.label, doc.text[s.start:s.end], str(s.attributes)) for s in doc.spans}
    assert got == {("Sentiment", "positive", "good", "{'strength': 2}"),
                   ("Sentiment", "negative", "bad", "{}")}
    [r] = doc.relations
    assert r.type == "SentimentLink"


DK = "de.tudarmstadt.ukp.dkpro.core.api."


def test_inception_names_dkpro_types_the_typesystem_lacks_and_dependency_over_pos(
        tmp_path: Path) -> None:
    """As INCEpTION reads (its projects always have DKPro Core's types): NamedEntity, POS,
    Token and Dependency annotations whose types TypeSystem.xml leaves out are read as DKPro
    declares them (said in a warning), a Dependency joins the POS annotations of its tokens
    (INCEpTION attaches it through ``Token.pos``), and ``webanno.custom.Hedging`` without our
    description is the default tagset's ``hedging`` layer, as the TSV reader names it."""
    full, small = cassis.TypeSystem(), cassis.TypeSystem()
    for ts in (full, small):
        hedge = ts.create_type("webanno.custom.Hedging")
        ts.create_feature(hedge, "label", "uima.cas.String")
    hedge = full.get_type("webanno.custom.Hedging")
    ne = full.create_type(DK + "ner.type.NamedEntity")
    full.create_feature(ne, "value", "uima.cas.String")
    pos = full.create_type(DK + "lexmorph.type.pos.POS")
    full.create_feature(pos, "PosValue", "uima.cas.String")
    token = full.create_type(DK + "segmentation.type.Token")
    full.create_feature(token, "pos", pos.name)
    dep = full.create_type(DK + "syntax.type.dependency.Dependency")
    full.create_feature(dep, "Governor", token.name)
    full.create_feature(dep, "Dependent", token.name)
    full.create_feature(dep, "DependencyType", "uima.cas.String")
    cas = cassis.Cas(typesystem=full)
    cas.sofa_string = "Ann may go"
    p1, p2 = pos(begin=0, end=3, PosValue="NNP"), pos(begin=8, end=10, PosValue="VB")
    t1, t2 = token(begin=0, end=3, pos=p1), token(begin=8, end=10, pos=p2)
    cas.add_all([hedge(begin=4, end=7, label="hedge"), ne(begin=0, end=3, value="PER"),
                 p1, p2, t1, t2, dep(begin=8, end=10, Governor=t2, Dependent=t1,
                                     DependencyType="nsubj")])
    folder = tmp_path / "inception"
    folder.mkdir()
    small.to_xml(folder / "TypeSystem.xml")
    cas.to_xmi(folder / "doc.xmi")
    warnings: list[str] = []
    [doc] = get_format("xmi").read(folder, ReadOptions(annotator="b", warn=warnings.append))
    by_key = {s.key: (s.layer, s.label, doc.text[s.start:s.end]) for s in doc.spans}
    assert sorted(by_key.values()) == [("NamedEntity", "PER", "Ann"), ("POS", "NNP", "Ann"),
                                       ("POS", "VB", "go"), ("hedging", "hedge", "may")]
    assert [(r.type, by_key[r.source], by_key[r.target]) for r in doc.relations] == [
        ("nsubj", ("POS", "VB", "go"), ("POS", "NNP", "Ann"))]
    assert any("of DKPro Core types TypeSystem.xml does not declare (Dependency, NamedEntity, "
               "POS, Token) read as DKPro Core declares them" in w for w in warnings), warnings


EVIL_XMI = {
    "external entity": b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" xmi:version="2.0">
<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" sofaString="&ext;"/></xmi:XMI>""",
    "billion laughs": b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" xmi:version="2.0">
<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" sofaString="&lol3;"/></xmi:XMI>""",
    "bare DTD": b"""<?xml version="1.0"?><!DOCTYPE xmi:XMI SYSTEM "http://example.org/x.dtd">
<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmi:version="2.0"/>""",
}


@pytest.mark.parametrize("kind", sorted(EVIL_XMI))
def test_dtd_and_entities_are_refused(tmp_path: Path, kind: str) -> None:
    out = export(tmp_path, [sample_doc()])
    [good] = out.glob("*.xmi")
    good.unlink()
    (out / "evil.xmi").write_bytes(EVIL_XMI[kind])
    with pytest.raises(BadInputError, match="refused: the XML declares a DTD") as err:
        read(out)
    assert err.value.path == str(out / "evil.xmi")


def test_typesystem_with_entities_is_refused(tmp_path: Path) -> None:
    out = export(tmp_path, [sample_doc()])
    ts = out / "TypeSystem.xml"
    ts.write_bytes(EVIL_XMI["billion laughs"])
    with pytest.raises(BadInputError, match="refused") as err:
        read(out)
    assert err.value.path == str(ts)


def test_malformed_inputs(tmp_path: Path) -> None:
    out = export(tmp_path, [sample_doc()])
    [xmi] = out.glob("*.xmi")
    raw = xmi.read_bytes()
    xmi.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(BadInputError, match="not well-formed XML"):
        read(out)
    xmi.write_bytes(raw.replace(b'begin="0" end="11"', b'begin="0" end="9999"', 1))
    with pytest.raises(BadInputError, match="offsets do not fit|outside the text"):
        read(out)
    xmi.write_bytes(raw)
    (out / "TypeSystem.xml").unlink()  # read with the types the file shows, and said so
    warned: list[str] = []
    [doc] = get_format("xmi").read(out, ReadOptions(warn=warned.append))
    assert len(doc.spans) == len(sample_doc().spans)
    assert any("no TypeSystem.xml" in w for w in warned)


def test_unusual_layer_and_attribute_names_round_trip(tmp_path: Path) -> None:
    doc = CorpusDocument(name="n", text="abc def", spans=[
        SpanRecord("a", "9 lives", "label", ((0, 3),), {"label": "x", "_u": 1, "type": "t"}),
        SpanRecord("b", "AnnotatorRelation", "begin", ((4, 7),), {"sofa": [1, "2"]}),
    ], relations=[RelationRecord("r", "type", "a", "b")])
    [back] = read(export(tmp_path, [doc]))
    assert span_set(back) == span_set(doc)
    assert relation_set(back) == relation_set(doc)
