"""The replay of NLTKWordTokenizer's rules with the standard ``re`` gives exactly NLTK's spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize import NLTKWordTokenizer

from annotator.nlp import tokens as tk

PIECES = ["word", "The", "a", " ", " ", "  ", "\t", "\n", ".", ",", ";", ":", "?", "!", "(", ")",
          "[", "]", "{", "}", "<", ">", '"', "'", "''", "``", "`", "-", "--", "...", "..", "*",
          "@", "#", "$", "%", "&", "cannot", "gonna", "wanna", "gimme", "'tis", "'twas",
          "don't", "it's", "I'm", "we'll", "they're", "I've", "he'd", "DON'T", "n't", "'s",
          "U.S.", "Dr.", "3.5", "3,5", "10:30", "e-mail", "e\u0301", "👍🏽", "قال", "“", "”", "‘",
          "’", "«", "»", "„", "\u2013", "\u2014", "/", "Mr", "'re", "'ve", "'ll", "'d", "'m"]


def nltk_spans(sentence: str) -> list[tuple[int, int]] | type[Exception]:
    try:
        return list(NLTKWordTokenizer().span_tokenize(sentence))
    except Exception as exc:  # noqa: BLE001 - the kind of failure is compared
        return ValueError if isinstance(exc, (ValueError, RuntimeError)) else type(exc)


def replay_spans(sentence: str) -> list[tuple[int, int]] | type[Exception]:
    try:
        return tk._nltk_spans(sentence)
    except ValueError:
        return ValueError


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
def test_replay_matches_nltk_on_tricky_pieces(sentence: str) -> None:
    assert replay_spans(sentence) == nltk_spans(sentence)


@settings(max_examples=600, deadline=None)
@given(st.text(st.characters(codec="utf-8") | st.sampled_from("'\"`.,\u0301\u00b9\u00b2 "),
               max_size=60))
def test_replay_matches_nltk_on_any_text(sentence: str) -> None:
    assert replay_spans(sentence) == nltk_spans(sentence)


@pytest.mark.parametrize("sentence", [
    'He said "it\'s fine" and left.',
    "“Quoted,” she said, “we can't.”",
    "It costs $3.88 (roughly 3,36 euros) in New York.",
    "'Tis the season -- gimme a break...",
    "They'll say ''no'' to ``that''.",
    "e\u0301'tis",  # a combining mark before the quote: regex's \\w, not re's
    "'\u00b9",  # a superscript digit after it: likewise
])
def test_replay_matches_nltk_on_examples(sentence: str) -> None:
    assert replay_spans(sentence) == nltk_spans(sentence)
