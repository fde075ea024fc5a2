"""Our untrained-Punkt replay gives exactly NLTK's PunktSentenceTokenizer() sentence spans."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize.punkt import PunktSentenceTokenizer

from annotator.nlp import tokens as tk
from annotator.nlp.punkt_untrained import span_tokenize

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_agreement import make_text  # noqa: E402

NLTK = PunktSentenceTokenizer()
PIECES = ["word", "Word", "the", "A", "b", "J.", "U.S.", "Dr.", "3.5", "2024", "10.", "-3",
          " ", " ", " ", "  ", ".", ".", "..", "...", ". . .", "?", "!", "!!", ",", ";", ":",
          "(", ")", '"', "'", "\u201c", "\u201d", "\u2019", "\xab", "\xbb", "]", "}", "--",
          "-", "e\u0301", "\U0001f44d\U0001f3fd", "\u0642\u0627\u0644", "\u00e9t\u00e9",
          "\t", "\xa0", "\u2003", "x.y", "&", "*", "@", "#", "%", "$"]


def nltk_spans(line: str) -> list[tuple[int, int]]:
    return list(NLTK.span_tokenize(line))


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
def test_random_lines_match_nltk(line: str) -> None:
    try:
        expected = nltk_spans(line)
    except ValueError:  # NLTK refuses some lines; so must we (the caller falls back)
        try:
            span_tokenize(line)
        except ValueError:
            return
        raise AssertionError("NLTK raised, we did not") from None
    assert span_tokenize(line) == expected


def test_news_like_lines_match_nltk() -> None:
    rng = random.Random(11)
    lines = [ln for _ in range(150) for ln in make_text(rng, 3000).split("\n") if ln.strip()]
    lines += ["He met J. Smith. Then left.", "It cost 3.5. it did.", "Wait... What? No!",
              "(He left.) She stayed.", '"Go." He went.', "A. b. C.", "End.\u201d Next",
              "U.S. officials said so. They did.", "Numbers 10. 11. and 12.", "x ."]
    assert len(lines) > 300
    for line in lines:
        assert span_tokenize(line) == nltk_spans(line), line


def test_tokens_identical_to_nltk_punkt_sentences() -> None:
    """TextUnits with our replay equal TextUnits with NLTK's Punkt: the same tokens as before."""
    rng = random.Random(5)
    texts = [make_text(rng, 2000) for _ in range(40)]
    texts.append("Dr. Smith arrived.\nHe said \u201cno.\u201d Then...\n\nJ. Bach 3.5. ok")
    for text in texts:
        ours = tk.TextUnits(text)
        original = tk._punkt
        try:
            tk._punkt = lambda: NLTK.span_tokenize  # the tokenizer as it was
            theirs = tk.TextUnits(text)
        finally:
            tk._punkt = original
        assert ours.sentences == theirs.sentences
        assert ours.tokens == theirs.tokens
