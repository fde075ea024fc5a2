"""BioScope / CoNLL-2010 hedge XML through the command line.

The documents follow the structure of BioScope's DTD and of the CoNLL-2010 shared task files
(``Annotation/DocumentSet/Document``, ``DocID``, ``DocumentPart``, ``sentence``, nested
``xcope``/``cue`` with ``ref``; task 1's ``ccue`` and ``certainty``); the sentences are ours."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project

BIOSCOPE = """<?xml version="1.0" encoding="utf-8"?>
<Annotation created="2008">
 <DocumentSet>
  <Document type="Biological_abstract">
   <DocID type="PMID">1001</DocID>
   <DocumentPart type="AbstractTitle">
    <sentence id="S1.1">Officials and the plan</sentence>
   </DocumentPart>
   <DocumentPart type="AbstractText">
    <sentence id="S1.2">The plan <xcope id="X1.2.1"><cue type="speculation" ref="X1.2.1">may</cue> be delayed, <xcope id="X1.2.2">but <cue type="negation" ref="X1.2.2">not</cue> cancelled</xcope></xcope>.</sentence>
    <sentence id="S1.3">It <xcope id="X1.3.1"><cue type="speculation" ref="X1.3.1">seems that</cue> nobody knows</xcope> &amp; nobody asks.</sentence>
   </DocumentPart>
  </Document>
  <Document type="Biological_abstract">
   <DocID type="PMID">1002</DocID>
   <DocumentPart type="AbstractText"><sentence id="S2.1">Nothing uncertain here.</sentence></DocumentPart>
  </Document>
 </DocumentSet>
</Annotation>
"""

CONLL2010_TASK1 = """<?xml version="1.0" encoding="UTF-8"?>
<Annotation><DocumentSet>
<Document type="Biological_abstract"><DocID type="PMID">2001</DocID>
<DocumentPart type="AbstractText">
<sentence id="S1.1" certainty="uncertain">These results <ccue>suggest</ccue> a role.</sentence>
<sentence id="S1.2" certainty="uncertain">A sentence judged uncertain as a whole.</sentence>
<sentence id="S1.3" certainty="certain">A certain sentence.</sentence>
</DocumentPart></Document></DocumentSet></Annotation>
"""


def imported(tmp_path: Path, xml: str, capsys: pytest.CaptureFixture[str]
             ) -> tuple[int, str, dict]:
    src = tmp_path / "in.xml"
    src.write_text(xml, encoding="utf-8")
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    capsys.readouterr()
    code = main(["import", str(proj), str(src), "--format", "bioscope"])
    err = capsys.readouterr().err
    with Project.open(proj, readonly=True) as p:
        docs = {d.name: d for d in p.iter_corpus()}
    return code, err, docs


def test_nested_scopes_and_cues_land_on_the_default_hedging_layer(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err, docs = imported(tmp_path, BIOSCOPE, capsys)
    assert code == 0, err
    assert sorted(docs) == ["1001", "1002"]
    doc = docs["1001"]
    assert doc.text == ("Officials and the plan\n\nThe plan may be delayed, but not cancelled.\n"
                        "It seems that nobody knows & nobody asks.")
    shown = {s.key: (s.label, doc.text[s.start:s.end]) for s in doc.spans}
    assert sorted(shown.values()) == [
        ("hedge", "may"), ("hedge", "not"), ("hedge", "seems that"),
        ("scope", "but not cancelled"), ("scope", "may be delayed, but not cancelled"),
        ("scope", "seems that nobody knows")]
    assert {s.layer for s in doc.spans} == {"hedging"}
    links = sorted((r.type, shown[r.source][1], shown[r.target][1]) for r in doc.relations)
    assert links == [("scope_of", "may", "may be delayed, but not cancelled"),
                     ("scope_of", "not", "but not cancelled"),
                     ("scope_of", "seems that", "seems that nobody knows")]
    negation = next(s for s in doc.spans if doc.text[s.start:s.end] == "not")
    assert negation.attributes == {"bioscope_type": "negation", "negated": True}
    assert "added to the tagset" not in err  # hedging:hedge, scope and scope_of exist


def test_conll2010_cues_and_uncertain_sentences(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err, docs = imported(tmp_path, CONLL2010_TASK1, capsys)
    assert code == 0, err
    doc = docs["2001"]
    [cue] = doc.spans
    assert (cue.label, doc.text[cue.start:cue.end]) == ("hedge", "suggest")
    # a sentence uncertain as a whole has no span to carry it: kept and said
    assert doc.meta == {"uncertain_sentences": ["S1.2"]}
    assert "1 uncertain sentence(s) without a cue" in err


@pytest.mark.parametrize(("xml", "words"), [
    ("<Annotation><DocumentSet><Document>", "not well-formed XML"),
    ('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "refused"),
    ("<Annotation/>", "no <Document> element"),
])
def test_bad_xml_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        xml: str, words: str) -> None:
    src = tmp_path / "bad.xml"
    src.write_text(xml, encoding="utf-8")
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    before = hashlib.sha256(proj.read_bytes()).hexdigest(), proj.stat().st_mtime_ns
    capsys.readouterr()
    assert main(["import", str(proj), str(src), "--format", "bioscope"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.xml" in err[0] and words in err[0], err
    assert (hashlib.sha256(proj.read_bytes()).hexdigest(), proj.stat().st_mtime_ns) == before


def test_deep_nesting_is_refused_not_a_recursion_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = "<xcope>" * 5000 + "x" + "</xcope>" * 5000
    src = tmp_path / "deep.xml"
    src.write_text(f"<Document><DocumentPart><sentence>{deep}</sentence></DocumentPart>"
                   "</Document>", encoding="utf-8")
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    capsys.readouterr()
    code = main(["import", str(proj), str(src), "--format", "bioscope"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "nested more than" in err[0], err
