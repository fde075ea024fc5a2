"""UIMA CAS XMI files made by INCEpTION, DKPro and cassis (tests/corpora/xmi, see SOURCE.md)
imported with the real command line. Annotator reads the text and the ``webanno.custom`` span
layers; everything else in these files (DKPro built-in layers such as NamedEntity, tokens,
sentences, plain annotations, other views, slot features, types the type system lacks) is
named in one warning per file, never dropped silently. Offsets are checked against cassis's
own reading of the same file."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from corpus_import import HERE, covered, import_path

XMI = HERE / "xmi"

JOE = "Joe waited for the train . The train was late ."
EMOJI = ("\U0001f973 This \U0001f473\U0001f3fb\u200d\u2640\ufe0f is \u2706 a "
         "\U0001f9d4\U0001f3fe\u200d\u2642\ufe0f test \U0001f47b")

# folder -> (document name, text, spans as (layer, label, covered text), words of the warning)
EXPECTED = {
    "cassis-small": ("small_cas", JOE, [], ["11 Token", "2 Sentence"]),
    "cassis-lenient": ("lenient_cas", JOE, [],
                       ["11 Token", "2 Sentence", "does not declare (NotInTypesystem)"]),
    "cassis-two-sofas": ("cas_with_two_sofas", JOE, [], ["1 other view(s) (_SecondView)"]),
    "cassis-empty-view": ("empty_cas", JOE, [], ["1 other view(s) (EmptyView)"]),
    "cassis-smileys": ("smileys.txt", "Hello \U0001f60a, my name is John.", [],
                       ["8 Token", "1 Sentence", "NamedEntity", "TagsetDescription"]),
    "cassis-emoji": ("debug", EMOJI, [], ["9 Annotation"]),
    "cassis-chinese": ("debug", "這是一個測試", [], ["4 Annotation"]),
    "inception-slot-feature": ("doc", "This is a test .",
                               [("SimpleLinkHost", "SimpleLinkHost", "This"),
                                ("SimpleSpan", "SimpleSpan", "a"),
                                ("SimpleSpan", "SimpleSpan", "is")],
                               ["5 Token", "1 Sentence", "1 SimpleLinkHost.links"]),
}


def cassis_spans(folder: Path) -> list[tuple[str, str]]:
    """``(type short name, covered text)`` of the webanno.custom annotations, as cassis reads
    the file: the reference for the offsets Annotator converts from UTF-16."""
    from cassis import load_cas_from_xmi, load_typesystem

    with (folder / "TypeSystem.xml").open("rb") as fh:
        ts = load_typesystem(fh)
    [xmi] = folder.glob("*.xmi")
    with xmi.open("rb") as fh, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cassis warns for each type it leaves out
        cas = load_cas_from_xmi(fh, typesystem=ts, lenient=True)
    return sorted((a.type.name.rsplit(".", 1)[-1], a.get_covered_text())
                  for a in cas.select_all_annotations() if a.type.name.startswith("webanno."))


@pytest.mark.parametrize("folder", sorted(EXPECTED))
def test_real_xmi_folder_imports_text_spans_and_reports_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], folder: str) -> None:
    name, text, spans, warned = EXPECTED[folder]
    got = import_path(tmp_path, XMI / folder, capsys)
    assert got.code == 0, got.err
    assert list(got.docs) == [name]
    doc = got.docs[name]
    assert doc.text == text
    assert covered(doc) == spans
    assert sorted((label, t) for _, label, t in spans) == cassis_spans(XMI / folder)
    warnings = [w for w in got.err if "not read" in w]
    assert warnings and all(str(XMI / folder) in w for w in warnings), got.err
    joined = " ".join(warnings)
    for words in warned:
        assert words in joined, joined


def test_emoji_offsets_count_utf16_in_the_file_and_code_points_inside() -> None:
    """The file's DocumentAnnotation ends at 38 (UTF-16 units); the text has 32 code points."""
    raw = (XMI / "cassis-emoji" / "debug.xmi").read_text(encoding="utf-8")
    assert 'begin="0" end="38"' in raw
    assert len(EMOJI) == 32 and len(EMOJI.encode("utf-16-le")) // 2 == 38


def test_xmi_folder_without_type_system_is_refused_in_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from corpus_import import assert_refused

    folder = tmp_path / "no-ts"
    folder.mkdir()
    (folder / "small_cas.xmi").write_bytes((XMI / "cassis-small" / "small_cas.xmi").read_bytes())
    line = assert_refused(tmp_path, folder, capsys)
    assert "no TypeSystem.xml" in line and str(folder) in line  # the folder is the unit
