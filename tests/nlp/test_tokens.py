"""Sentences, tokens and selection snapping."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.nlp import tokens as tk
from annotator.nlp.tokens import sentence_spans, snap_to_words, text_units, token_spans


def words(text: str) -> list[str]:
    return [text[s:e] for s, e in token_spans(text)]


def assert_tiles(text: str) -> None:
    """Tokens are ordered, whitespace-free, and cover every non-space character once."""
    spans = token_spans(text)
    prev = 0
    for s, e in spans:
        assert prev <= s < e
        assert not any(ch.isspace() for ch in text[s:e])
        prev = e
    covered = sum(e - s for s, e in spans)
    assert covered == sum(1 for ch in text if not ch.isspace())


def test_emoji_arabic_and_combining_marks_stay_whole() -> None:
    text = "The minister 👍🏽 said: قال المتحدث. Cafe\u0301 e\u0301te\u0301 👨\u200d👩\u200d👧!"
    toks = words(text)
    assert "👍🏽" in toks
    assert "قال" in toks and "المتحدث" in toks
    assert "Cafe\u0301" in toks and "e\u0301te\u0301" in toks
    assert "👨\u200d👩\u200d👧" in toks
    assert_tiles(text)


def test_curly_and_straight_quotes() -> None:
    text = 'He said "it\'s fine" and “they’re” ‘here’. Don\'t.'
    toks = words(text)
    assert toks[:7] == ["He", "said", '"', "it", "'s", "fine", '"']
    assert "“" in toks and "”" in toks
    assert_tiles(text)


def test_fallback_when_nltk_fails(monkeypatch) -> None:
    def boom(text):  # noqa: ANN001
        raise ValueError("misaligned")

    monkeypatch.setattr(tk, "_nltk_spans", boom)  # NLTKWordTokenizer's rules, replayed
    monkeypatch.setattr(tk, "chunked_spans", lambda *args: None)  # its word-by-word memo
    text = "“Quoted,” she said e\u0301 👍🏽."
    assert tk._word_spans(text) == tk._regex_spans(text)
    units = tk.TextUnits(text)
    assert [text[s:e] for s, e in units.tokens] == ["“", "Quoted", ",", "”", "she", "said",
                                                     "e\u0301", "👍🏽", "."]


def test_misaligned_output_is_rejected() -> None:
    assert not tk._tiles("ab cd", [(0, 2)])  # "cd" uncovered
    assert not tk._tiles("ab cd", [(0, 3), (3, 5)])  # whitespace inside a token
    assert tk._tiles("ab cd", [(0, 2), (3, 5)])


def test_paragraphs_never_share_a_sentence() -> None:
    text = "First line without stop\nSecond line. Third one!\n\n  Last paragraph  "
    sents = [text[s:e] for s, e in sentence_spans(text)]
    assert sents == ["First line without stop", "Second line.", "Third one!", "Last paragraph"]


def test_tokens_never_cross_sentences() -> None:
    text = "One.\nTwo three. Four"
    units = text_units(text)
    for t, (s, e) in enumerate(units.tokens):
        ss, se = units.sentences[units.token_sentence[t]]
        assert ss <= s < e <= se


def test_very_long_token_completes() -> None:
    text = "x" * 100_000 + " end. " + '"' * 20_000
    spans = token_spans(text)
    assert spans[0] == (0, 100_000)
    assert_tiles(text)


def test_empty_and_blank_text() -> None:
    assert token_spans("") == []
    assert sentence_spans(" \n\n\t ") == []


def test_text_units_lookups_and_cache() -> None:
    text = "Officials said the talks may fail."
    units = text_units(text)
    assert text_units(text) is units
    assert units.token_at(0) == (0, 9)
    assert units.token_at(9) is None  # the space
    assert units.tokens_in(5, 12) == [(0, 9), (10, 14)]
    assert units.tokens_in(9, 10) == []
    assert units.token_range(9, 10)[0] == units.token_range(9, 10)[1]
    assert units.sentence_index(3) == 0
    assert units.tokens_by_sentence() == [list(range(len(units.tokens)))]


def test_snap_to_words() -> None:
    text = "The talks were  not fully confirmed ."
    assert snap_to_words(text, 5, 8) == (4, 9)  # inside "talks"
    assert snap_to_words(text, 3, 12) == (4, 14)  # leading space trimmed, "were" completed
    assert snap_to_words(text, 14, 16) == (16, 16)  # whitespace only collapses
    assert snap_to_words(text, 22, 22) == (20, 25)  # caret inside "fully"
    assert snap_to_words(text, 9, 9) == (9, 9)  # caret on a space
    assert snap_to_words(text, 30, 3) == (4, 35)  # reversed, clamped
    assert snap_to_words(text, 0, 999) == (0, len(text))
    assert snap_to_words(text, 5, 8, tokens=[(0, 9)]) == (0, 9)


def test_snap_with_emoji() -> None:
    text = "Great 👍🏽 news"
    assert snap_to_words(text, 6, 7) == (6, 8)  # half a grapheme -> the whole token


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,'\"“”’\n\t👍🏽\u0301قال-")), max_size=60))
def test_tokens_tile_any_text(text: str) -> None:
    assert_tiles(text)
