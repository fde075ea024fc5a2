"""NLTKWordTokenizer's ``span_tokenize`` replayed without nltk: the same rules, same order.

Contract: :func:`nltk_spans` gives exactly ``NLTKWordTokenizer().span_tokenize(sentence)``
(checked against nltk in the tests), raising ValueError where nltk's alignment raises. The
rules are nltk's own patterns (copied in :mod:`annotator.nlp.nltk_rules`, compiled with nltk's
engine); a rule is skipped when the text lacks what it needs to match (same output, fewer
regex calls), and replacement templates are parsed once. :func:`nltk_tokens` and :func:`align`
are its two halves (the rewritten tokens, then their offsets in the sentence).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

Span = tuple[int, int]

_QUOTE_MARKS = re.compile(r"``|'{2}|\"")


_TEMPLATE_REF = re.compile(r"\\(\d)|\\g<(\d+)>")


def _replacer(template: str) -> Any:
    """``template`` (``\\1``, ``\\g<0>`` references) as a function of the match, built once.

    Both regex engines parse a template on every ``sub`` call; the function gives the same
    text (a group that did not take part gives ""). Other escapes stay with the engine.
    """
    if "\\" not in template:
        return template
    literals: list[str] = []
    groups: list[int] = []
    pos = 0
    for m in _TEMPLATE_REF.finditer(template):
        literals.append(template[pos:m.start()])
        groups.append(int(m.group(1) or m.group(2)))
        pos = m.end()
    literals.append(template[pos:])
    if any("\\" in lit for lit in literals):
        return template
    first, rest = literals[0], list(zip(groups, literals[1:], strict=True))

    def replace(match: Any) -> str:
        out = first
        for group, literal in rest:
            out += (match[group] or "") + literal
        return out

    return replace


# What each rule needs in the text to match at all (any of these substrings; None: always
# tried), in the rules' order. A rule whose needles are all absent would change nothing, so it
# is skipped: the same output, ~3x fewer regex calls. Checked rule by rule in the tests.
_NEEDS_BEFORE: tuple[tuple[str, ...] | None, ...] = (
    tuple("«“‘„`"), ('"',), ("``",), ('"', "''"), ("'",),  # STARTING_QUOTES
    (".",), (":", ","), (":", ","), ("..",), tuple(";@#$%&"),  # PUNCTUATION
    tuple("\u2012\u2013\u2014\u2015"), (".",), ("?", "!"), ("' ",), ("*",),
    tuple("[](){}<>"), ("--",),  # PARENS_BRACKETS, DOUBLE_DASHES
)
_NEEDS_AFTER: tuple[tuple[str, ...] | None, ...] = (  # ENDING_QUOTES
    tuple("»”’"), ("''",), ('"',), None, ("'",), ("'",),
)
# CONTRACTIONS (case-insensitive ``re``): looked for in the text case-folded as ``re`` folds it
# (the only non-ASCII characters ``re`` matches to ASCII letters ignoring case, found by trying
# every code point in the tests, are turned into those letters first).
_NEEDS_CONTRACTION: tuple[tuple[str, ...] | None, ...] = (
    ("cannot",), ("d'ye",), ("gimme",), ("gonna",), ("gotta",), ("lemme",), ("more'n",),
    ("wanna",), ("'tis",), ("'twas",),
)
_RE_FOLD = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}

_Rule = tuple[Any, Any, "tuple[str, ...] | None"]


@lru_cache(maxsize=1)
def _word_rules() -> tuple[list[_Rule], list[_Rule], list[_Rule]]:
    """NLTKWordTokenizer's rules, in its order: before the padding, after it, contractions;
    each with what it needs to match (see ``_NEEDS_BEFORE``).

    Taken from :mod:`annotator.nlp.nltk_rules` (nltk's own patterns, compiled with its engine;
    a test compares them with the installed nltk's), so nltk itself is never imported.
    """
    from annotator.nlp import nltk_rules as nr

    def rules(items: Sequence[tuple[nr.Pattern, str]],
              needs: tuple[tuple[str, ...] | None, ...]) -> list[_Rule]:
        if len(items) != len(needs):
            raise RuntimeError("nltk_rules and the needles of tokens.py disagree")
        return [(nr.compile_rule(p), _replacer(sub), need)
                for (p, sub), need in zip(items, needs, strict=True)]

    before = rules((*nr.STARTING_QUOTES, *nr.PUNCTUATION, *nr.PARENS_BRACKETS,
                    *nr.DOUBLE_DASHES), _NEEDS_BEFORE)
    after = rules(nr.ENDING_QUOTES, _NEEDS_AFTER)
    contractions = rules([(p, r" \1 \2 ") for p in nr.CONTRACTIONS], _NEEDS_CONTRACTION)
    return before, after, contractions


def _apply(rules: list[_Rule], text: str, folded: bool = False) -> str:
    """``text`` through ``rules`` in order, skipping a rule that lacks what it needs (looked
    for in the text case-folded as ``re`` folds it when ``folded``)."""
    probe = text.translate(_RE_FOLD).lower() if folded else text
    for rx, sub, need in rules:
        if need is not None:
            for n in need:
                if n in probe:
                    break
            else:
                continue
        changed = rx.sub(sub, text)
        if changed != text:
            text = changed
            probe = text.translate(_RE_FOLD).lower() if folded else text
    return text


QUOTE_TOKENS = ('"', "``", "''")  # tokens nltk puts back as the sentence's own marks


def nltk_tokens(sentence: str) -> list[str]:
    """The tokens NLTKWordTokenizer's ``tokenize`` gives (quotes as it rewrites them):
    the same rules in the same order, a rule skipped when the text lacks what it needs."""
    before, after, contractions = _word_rules()
    text = _apply(before, sentence)
    text = _apply(after, " " + text + " ")
    text = _apply(contractions, text, folded=True)
    return text.split()


def align(sentence: str, tokens: list[str]) -> list[Span]:
    """``span_tokenize``'s second half: the quote tokens given back the sentence's own marks in
    order, then each token found from where the last ended (``align_tokens``). Raises
    ValueError where NLTK's alignment raises."""
    if '"' in sentence or "''" in sentence:
        marks = iter(m.group() for m in _QUOTE_MARKS.finditer(sentence))
        try:
            tokens = [next(marks) if tok in QUOTE_TOKENS else tok for tok in tokens]
        except StopIteration:
            raise ValueError("quote marks do not align") from None
    point = 0
    out: list[Span] = []
    for tok in tokens:
        start = sentence.index(tok, point)  # ValueError when not found, as align_tokens
        point = start + len(tok)
        out.append((start, point))
    return out


def nltk_spans(sentence: str) -> list[Span]:
    """``NLTKWordTokenizer().span_tokenize(sentence)``, replayed without NLTK's wrappers
    (:func:`nltk_tokens`, then :func:`align`). Raises ValueError where NLTK's alignment
    raises."""
    return align(sentence, nltk_tokens(sentence))


def quote_marks(text: str) -> int:
    """How many quote marks of ``text`` :func:`align` hands back to quote tokens."""
    return len(_QUOTE_MARKS.findall(text))
