"""The tokenizer's fast paths give exactly what NLTK (and Punkt) give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktSentenceTokenizer

from annotator.nlp import tokens as tk

PIECES = ["word", "the", "a", "b", " ", " ", " ", ".", ",", ";", ":", "?", "!", "(", ")", '"',
          "'", "-", "--", "..", "cannot", "gonna", "wanna", "e\u0301", "👍🏽", "قال", "3", "10",
          "“", "’", "$", "/", "Mr", "\t"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16).map("".join))
def test_simple_sentences_match_nltk(sentence: str) -> None:
    fast = tk._simple_spans(sentence)
    if fast is not None:
        assert fast == list(NLTKWordTokenizer().span_tokenize(sentence))


def test_fast_path_is_taken_and_right() -> None:
    s = 'He said (twice) "we will act now", then left.'
    assert tk._simple_spans(s) == list(NLTKWordTokenizer().span_tokenize(s))
    assert tk._simple_spans("It's late.") is None  # clitic: NLTK decides
    assert tk._simple_spans("Mr. Smith left.") is None  # inner period: NLTK decides
    assert tk._simple_spans("We cannot go") is None  # contraction


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["ab", " ", "c", "\t", "."]), max_size=12).map("".join))
def test_lines_without_stops_are_one_sentence_as_punkt_says(line: str) -> None:
    def trimmed(spans: list[tuple[int, int]]) -> list[str]:
        return [line[s:e].strip() for s, e in spans if line[s:e].strip()]

    if line.strip():
        assert trimmed(tk._line_sentences(tk._punkt(), line)) == trimmed(
            list(PunktSentenceTokenizer().span_tokenize(line)))
