"""MPQA 2.0/3.0 through the command line, on the sample written from the corpus README's
examples (tests/corpora/mpqa/SOURCE.md)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import CorpusDocument
from annotator.core.project import Project

DATABASE = Path(__file__).resolve().parents[1] / "corpora" / "mpqa" / "database"
GATEMAN = DATABASE / "man_anns" / "readme" / "tsvangirai" / "gateman.mpqa.lre.2.0"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str], source: Path,
             *extra: str, name: str = "p.annot") -> tuple[dict[str, CorpusDocument], str]:
    proj = tmp_path / name
    assert run(capsys, "new", str(proj), "--annotator", "ann")[0] == 0
    code, _, err = run(capsys, "import", str(proj), str(source), *extra)
    assert code == 0, err
    with Project.open(proj, readonly=True) as p:
        return {d.name: d for d in p.iter_corpus()}, err


def shown(doc: CorpusDocument) -> tuple[Counter[tuple[str, ...]], Counter[tuple[str, ...]]]:
    spans = Counter((s.layer, s.label, doc.text[s.start:s.end], str(s.attributes.get(
        "mpqa_annotation")), str(s.attributes.get("polarity")), str(s.attributes.get("intensity")),
        str(s.attributes.get("holder"))) for s in doc.spans)
    by_key = {s.key: s for s in doc.spans}
    rels = Counter((r.type, doc.text[by_key[r.source].start:by_key[r.source].end],
                    by_key[r.source].label, doc.text[by_key[r.target].start:by_key[r.target].end],
                    by_key[r.target].label) for r in doc.relations)
    return spans, rels


def test_the_database_folder_imports_with_no_format_given(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs, err = imported(tmp_path, capsys, DATABASE)
    assert sorted(docs) == ["readme/ministry", "readme/tsvangirai"]
    doc = docs["readme/tsvangirai"]
    assert doc.text == (DATABASE / "docs" / "readme" / "tsvangirai").read_text(encoding="utf-8")
    spans, rels = shown(doc)
    assert spans[("stance", "stance", "daylight robbery", "expressive-subjectivity", "against",
                  "high", "we")] == 1  # intensity extreme -> high; holder: the last agent
    assert spans[("hedging", "hedge", "foresaw", "attitude", "None", "None", "None")] == 1
    assert spans[("stance", "stance", "are happy because Chavez has fallen", "attitude",
                  "against", "low", "people")] == 1  # the inferred attitude
    assert spans[("attribution", "cue", "said", "direct-subjective", "None", "None",
                  "None")] == 1
    assert spans[("attribution", "source", "Tsvangirai", "agent", "None", "None", "None")] == 1
    assert sum(spans.values()) == 16
    assert rels == Counter({
        ("source_of", "Tsvangirai", "source", "said", "cue"): 1,
        ("source_of", "We", "source", "foresaw", "cue"): 1,
        ("source_of", "People", "source", "are happy", "cue"): 1,
        ("expresses", "foresaw", "cue", "foresaw", "hedge"): 1,
        ("expresses", "foresaw", "cue", "foresaw electoral fraud but not daylight robbery",
         "stance"): 1,
        ("expresses", "are happy", "cue", "are happy", "stance"): 1,
        ("expresses", "are happy", "cue", "are happy because Chavez has fallen", "stance"): 1,
        ("holder_of", "We", "source", "foresaw electoral fraud but not daylight robbery",
         "stance"): 1,
        ("holder_of", "We", "source", "fraud", "stance"): 1,
        ("holder_of", "We", "source", "daylight robbery", "stance"): 1,
        ("holder_of", "People", "source", "are happy", "stance"): 1,
        ("holder_of", "People", "source", "are happy because Chavez has fallen", "stance"): 1,
        ("targets", "foresaw electoral fraud but not daylight robbery", "stance", "electoral",
         "target"): 1,
        ("targets", "are happy", "stance", "Chavez has fallen", "target"): 1,
        ("targets", "are happy because Chavez has fallen", "stance", "Chavez", "target"): 1})
    # every MPQA attribute is kept on the span
    [foresaw] = [s for s in doc.spans if s.attributes.get("mpqa_annotation") ==
                 "direct-subjective" and doc.text[s.start:s.end] == "foresaw"]
    assert foresaw.attributes["mpqa_nested-source"] == "w, tsvangirai, we"
    assert foresaw.attributes["mpqa_expression-intensity"] == "low"
    # what has no place is counted by kind, in one message
    assert "not represented:" in err
    for words in ("4 zero-length agent annotations", "1 inside annotations",
                  "1 split annotations", "1 implicit objective-speech-event annotations",
                  "1 sentence files (gatesentences) not read",
                  "1 target links of hedging:hedge spans", "1 sentence annotations"):
        assert words in err
    assert "added to the tagset" not in err  # the default tagset has every label and relation


def test_a_30_file_byte_offsets_target_frames_and_etargets(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs, err = imported(tmp_path, capsys, DATABASE)
    doc = docs["readme/ministry"]
    assert "\u2019" in doc.text  # 3 bytes in UTF-8: offsets after it are converted
    spans, rels = shown(doc)
    assert spans[("attribution", "source", "The Foreign Ministry\u2019s spokesman", "agent",
                  "None", "None", "None")] == 1
    assert spans[("stance", "target", "rights", "eTarget", "None", "None", "None")] == 1
    assert spans[("stance", "target", "human rights", "sTarget", "None", "None", "None")] == 1
    # the attitude's target frame names an sTarget and an eTarget: both become targets links
    attitude = "claims to care about human rights"
    assert rels[("targets", attitude, "stance", "human rights", "target")] == 1
    assert rels[("targets", attitude, "stance", "rights", "target")] == 1
    assert rels[("targets", "claims", "stance", "the US State Department", "target")] == 1
    assert rels[("holder_of", "the US State Department", "source", attitude, "stance")] == 1
    assert rels[("source_of", "The Foreign Ministry\u2019s spokesman", "source", "said",
                 "cue")] == 1
    assert "1 eTarget links of sTargets" in err
    assert doc.meta == {"mpqa_version": "3.0", "source_encoding": "utf-8"}


def test_one_gateman_file_in_the_corpus_layout_imports_its_document(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs, _ = imported(tmp_path, capsys, GATEMAN, "--format", "mpqa")
    assert list(docs) == ["readme/tsvangirai"] and len(docs["readme/tsvangirai"].spans) == 16


def test_a_document_next_to_its_gateman_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(DATABASE / "docs" / "readme" / "tsvangirai", folder / "article.txt")
    shutil.copy(GATEMAN, folder)
    docs, _ = imported(tmp_path, capsys, folder)
    assert list(docs) == ["article.txt"] and len(docs["article.txt"].spans) == 16


def test_export_then_import_gives_the_same_spans_and_relations(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, _ = imported(tmp_path, capsys, DATABASE)
    out = tmp_path / "out"
    code, said, err = run(capsys, "export", str(tmp_path / "p.annot"), "--format", "mpqa",
                          "-o", str(out))
    assert code == 0, err
    assert "exported 2 document(s), 25 span(s), 23 relation(s)" in said
    assert (out / "docs" / "readme" / "ministry").read_bytes() == \
        (DATABASE / "docs" / "readme" / "ministry").read_bytes()
    written = (out / "man_anns" / "readme" / "ministry" / "gateman.mpqa.lre.2.0").read_text(
        encoding="utf-8")
    # 2.0 form, byte offsets (the agent ends after the 3-byte apostrophe), links from relations
    assert '\t0,34\tstring\tGATE_agent\t id="fm" nested-source="w,fm"' in written
    assert 'GATE_attitude\t attitude-type="sentiment-pos" id="a1" intensity="medium" ' \
        'target-link="t1,e1"' in written
    second, _ = imported(tmp_path, capsys, out, name="q.annot")
    for name, doc in first.items():
        again = second[name]
        assert again.text == doc.text
        assert shown(again) == shown(doc)
        keep = sorted(sorted((k, v) for k, v in s.attributes.items() if not k.endswith("-link"))
                      for s in doc.spans)
        assert sorted(sorted((k, v) for k, v in s.attributes.items() if not k.endswith("-link"))
                      for s in again.spans) == keep


def test_a_polarity_changed_in_the_app_is_written_in_mpqas_terms(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    imported(tmp_path, capsys, DATABASE)
    proj = tmp_path / "p.annot"
    with Project.open(proj) as p:
        doc = next(d for d in p.documents() if d.name == "readme/tsvangirai")
        text = p.text(doc.pk)
        for span in p.spans(doc.pk):
            if text[span.start:span.end] == "fraud":
                p.update_span(span.pk, attributes={**span.attributes, "polarity": "favour"})
            if text[span.start:span.end] == "are happy" and span.label == "stance":
                p.update_span(span.pk, attributes={**span.attributes, "polarity": "against"})
        p.add_span(doc.pk, "stance", "stance", ((36, 44),), attributes={"polarity": "neutral"})
        p.add_span(doc.pk, "hedging", "scope", ((0, 10),))
    out = tmp_path / "out"
    code, said, _ = run(capsys, "export", str(proj), "--format", "mpqa", "-o", str(out))
    assert code == 0 and "dropped 1: spans of labels MPQA has no type for" in said
    rows = (out / "man_anns" / "readme" / "tsvangirai" / "gateman.mpqa.lre.2.0").read_text(
        encoding="utf-8").splitlines()
    assert any("\t22,27\t" in r and 'polarity="positive"' in r for r in rows)
    assert any("\t79,88\tstring\tGATE_attitude" in r and 'attitude-type="sentiment-neg"' in r
               for r in rows)
    new = [r for r in rows if "\t36,44\t" in r]
    assert new == [f'{rows.index(new[0]) - 2}\t36,44\tstring\tGATE_expressive-subjectivity\t'
                   ' polarity="neutral" nested-source="w"']


@pytest.mark.parametrize(("line", "words"), [
    ("5\t4,999\tstring\tGATE_agent\t id=\"x\"", "does not fit tsvangirai"),
    ("5\tfour,11\tstring\tGATE_agent\t", "is not START,END"),
    ("5\t4,11", "expected id<TAB>start,end"),
    ("5\t4,11\tstring\tGATE_agent\t id=x", "cannot read the attributes"),
])
def test_bad_lines_are_refused_naming_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, words: str) -> None:
    db = tmp_path / "db"
    shutil.copytree(DATABASE, db)
    gateman = db / "man_anns" / "readme" / "tsvangirai" / "gateman.mpqa.lre.2.0"
    gateman.write_text(gateman.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    number = gateman.read_text(encoding="utf-8").count("\n")
    proj = tmp_path / "p.annot"
    assert run(capsys, "new", str(proj))[0] == 0
    before = proj.read_bytes()
    code, _, err = run(capsys, "import", str(proj), str(db))
    assert code == 1 and err.count("\n") == 1, err
    assert f"gateman.mpqa.lre.2.0:{number}:" in err and words in err
    assert proj.read_bytes() == before


def test_a_span_cutting_a_character_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "db"
    shutil.copytree(DATABASE, db)
    gateman = db / "man_anns" / "readme" / "ministry" / "gateman.mpqa.lre.3.0"
    gateman.write_text(gateman.read_text(encoding="utf-8") + "99\t0,21\tagent\t\n",
                       encoding="utf-8")
    proj = tmp_path / "p.annot"
    assert run(capsys, "new", str(proj))[0] == 0
    code, _, err = run(capsys, "import", str(proj), str(db))
    assert code == 1 and "cuts a character of ministry (utf-8)" in err
