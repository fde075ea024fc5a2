"""Lexicon-based span suggestions."""

from __future__ import annotations

from pathlib import Path

from annotator.nlp.suggest import Lexicon, default_lexicons, read_lexicon, suggest_spans


def found(text: str, lexicons=None) -> list[tuple[str, str, str]]:  # noqa: ANN001
    return [(s.layer, s.label, text[s.start:s.end]) for s in suggest_spans(text, lexicons)]


def test_bundled_lexicons_are_substantial() -> None:
    lexs = {lex.label: lex for lex in default_lexicons()}
    assert len(lexs["hedge"].entries) >= 80
    assert len(lexs["cue"].entries) >= 40
    assert len(lexs["booster"].entries) >= 30
    for entry in ("it seems that", "could not be independently verified", "reportedly",
                  "not fully confirmed", "were said to be", "according to"):
        assert entry in lexs["hedge"].entries
    assert all(e == e.lower() and "  " not in e for lex in lexs.values() for e in lex.entries)


def test_multiword_case_insensitive_across_line_break() -> None:
    text = "It Seems That the claims were NOT fully\nconfirmed."
    assert ("hedging", "hedge", "It Seems That") in found(text)
    assert ("hedging", "hedge", "NOT fully\nconfirmed") in found(text)


def test_whole_words_only() -> None:
    text = "Mayhem in dismay, maybe."
    hedges = [t for _, label, t in found(text) if label == "hedge"]
    assert hedges == ["maybe"]


def test_longest_first_and_no_overlap_within_a_layer() -> None:
    text = "The report could not be independently verified."
    hedges = [t for layer, _, t in found(text) if layer == "hedging"]
    assert hedges == ["could not be independently verified"]


def test_layers_may_overlap_each_other() -> None:
    text = "According to officials, troops were said to be near."
    got = found(text)
    assert ("attribution", "cue", "According to") in got
    assert ("hedging", "hedge", "According to") in got
    assert ("hedging", "hedge", "were said to be") in got
    # "said" is a part of the hedge "were said to be": not offered as a cue of its own
    assert ("attribution", "cue", "said") not in got


def test_offsets_are_code_points_with_emoji_and_arabic() -> None:
    text = "👍🏽 قال المتحدث he reportedly left"
    sug = [s for s in suggest_spans(text) if s.cue == "reportedly"][0]
    assert text[sug.start:sug.end] == "reportedly"


def test_curly_apostrophe_and_custom_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "lex.txt"
    path.write_text("# comment\n\nIt's   likely\nit's likely\nodds\n", encoding="utf-8")
    entries = read_lexicon(path)
    assert entries == ("it's likely", "odds")
    lex = (Lexicon("stance", "stance", entries),)
    assert found("It’s likely; the odds…", lex) == [("stance", "stance", "It’s likely"),
                                                    ("stance", "stance", "odds")]


def test_tie_breaks_by_start_then_lexicon_order() -> None:
    lex = (Lexicon("l", "first", ("a b",)), Lexicon("l", "second", ("b c", "a b")))
    # "a b" and "b c" have equal length and overlap: the earlier start wins
    assert found("a b c", lex) == [("l", "first", "a b")]
