"""Sentences put together from their chunks' remembered tokens give exactly NLTK's spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize import NLTKWordTokenizer

from annotator.nlp import tokens as tk
from annotator.nlp import word_chunks as wc

TESTS = Path(__file__).resolve().parent.parent
# words and pieces that some rule of NLTKWordTokenizer looks at, with spaces to join them
PIECES = ["word", "The", "a", "x", " ", " ", " ", "  ", ".", ",", ";", ":", "?", "!", "(", ")",
          "[", "]", "{", "}", "<", ">", '"', "'", "''", "``", "`", "```", "-", "--", "...", "..",
          "*", "@", "#", "$", "%", "&", "cannot", "gonna", "wanna", "gimme", "'tis", "'twas",
          "more'n", "d'ye", "don't", "it's", "I'm", "we'll", "they're", "I've", "he'd", "DON'T",
          "n't", "'s", "U.S.", "Dr.", "3.5", "3,5", "10:30", "e-mail", "e\u0301", "👍🏽", "قال",
          "“", "”", "‘", "’", "«", "»", "„", "\u2013", "\u2014", "/", "Mr", "'re", "'ve", "'ll",
          "'d", "'m", "\u0130", "\u017f", "\u212a", "\u00b9"]


def nltk_spans(sentence: str) -> list[tuple[int, int]] | None:
    try:
        return list(NLTKWordTokenizer().span_tokenize(sentence))
    except (ValueError, RuntimeError):
        return None


def check(sentence: str) -> bool:
    """The chunked spans, where given, are NLTK's; True when they were given."""
    got = wc.chunked_spans(sentence, tk._simple_spans)
    if got is None:
        return False
    assert got == nltk_spans(sentence), sentence
    assert got == tk._nltk_spans(sentence), sentence
    return True


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_chunks_match_nltk_on_tricky_pieces(sentence: str) -> None:
    check(sentence)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map(" ".join))
def test_chunks_match_nltk_on_words_between_spaces(sentence: str) -> None:
    check(sentence)


@settings(max_examples=800, deadline=None)
@given(st.text(st.characters(codec="utf-8") | st.sampled_from("'\"`.,:;!?()[]”’» "),
               max_size=50))
def test_chunks_match_nltk_on_any_text(sentence: str) -> None:
    check(sentence)


def test_memo_forgets_and_stays_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wc, "MEMO_SIZE", 3)
    sentences = ["He said, “it's fine” and left.", "The U.S. economy grew 3.5% ($20).",
                 "Don't go 'round there -- officials said.", "“Yes,” he said. ”"]
    for _ in range(3):
        for s in sentences:
            assert check(s)
    assert all(len(memo) <= 3 for memo in wc._MEMO)


@pytest.mark.parametrize("sentence", [
    'He said "it\'s fine" and left.',
    "“Quoted,” she said, “we can't.”",
    "It costs $3.88 (roughly 3,36 euros) in New York.",
    "'Tis the season -- gimme a break...",
    "They'll say ''no'' to ``that''.",
    "Officials said . ) ” '",  # the final period followed by closers in later chunks
    "a ```b``` c",  # backtick runs: quote marks nltk cannot hand back in order
    'x "a"b" c',
    "word . .",
    ", starts with a comma ,",
])
def test_chunks_on_examples(sentence: str) -> None:
    check(sentence)


def test_typical_news_sentences_take_the_chunked_way() -> None:
    for s in ["“We don't know,” the U.S. minister said on Tuesday.",
              "Prices rose 3.5% to $20, the report (AP) says."]:
        assert check(s)
    assert wc.chunked_spans("One", tk._simple_spans) is None  # one chunk: not handled here
    assert wc.chunked_spans("a\tb c", tk._simple_spans) is None  # whitespace but " "


def corpus_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace")
             for p in sorted((TESTS / "corpora").rglob("*.txt"))]
    for p in sorted((TESTS / "review" / "data").rglob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in p.read_text(encoding="utf-8").splitlines()
                  if line.strip()]
    return texts


def test_whole_texts_of_the_test_corpora_tokenize_as_without_chunks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    texts = corpus_texts()
    assert len(texts) > 50
    fast = [tk.token_spans(t) for t in texts]
    taken = sum(wc.chunked_spans(t[s:e], tk._simple_spans) is not None
                for t in texts for s, e in tk.sentence_spans(t))
    assert taken > 100  # the chunked way is really tried on these texts
    monkeypatch.setattr(tk, "chunked_spans", lambda *args: None)
    slow = [tk.token_spans(t) for t in texts]
    assert fast == slow
