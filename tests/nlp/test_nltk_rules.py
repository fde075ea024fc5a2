"""The copy of nltk's tokenizer patterns in ``annotator.nlp.nltk_rules`` is nltk's, entry by entry,
and tokenizing no longer imports nltk."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktLanguageVars, PunktToken

from annotator.nlp import nltk_rules as nr

_CLASS = re.compile(r"\[((?:\\.|[^\]\\])*)\]")
_ITEM = re.compile(r"\\.|.", re.S)


def _canonical(source: str) -> str:
    """The source with each character class's items sorted (nltk builds one from a set)."""
    return _CLASS.sub(lambda m: "[" + "".join(sorted(_ITEM.findall(m.group(1)))) + "]", source)


def _entry(rx: Any) -> nr.Pattern:
    engine = "re" if isinstance(rx, re.Pattern) else "regex"
    return (rx.pattern, rx.flags, engine)


def test_word_rules_are_nltks() -> None:
    cls = NLTKWordTokenizer
    pairs = [
        (nr.STARTING_QUOTES, cls.STARTING_QUOTES),
        (nr.PUNCTUATION, cls.PUNCTUATION),
        (nr.PARENS_BRACKETS, [cls.PARENS_BRACKETS]),
        (nr.DOUBLE_DASHES, [cls.DOUBLE_DASHES]),
        (nr.ENDING_QUOTES, cls.ENDING_QUOTES),
    ]
    for ours, theirs in pairs:
        assert [(p, sub) for p, sub in ours] == [(_entry(rx), sub) for rx, sub in theirs]
    assert list(nr.CONTRACTIONS) == [_entry(rx) for rx in (*cls.CONTRACTIONS2,
                                                           *cls.CONTRACTIONS3)]


def test_punkt_patterns_are_nltks() -> None:
    lang = PunktLanguageVars()
    theirs = {"period": lang.period_context_re(), "words": lang._word_tokenizer_re(),
              "realign": lang.re_boundary_realignment, "ellipsis": PunktToken._RE_ELLIPSIS,
              "numeric": PunktToken._RE_NUMERIC, "initial": PunktToken._RE_INITIAL}
    assert set(nr.PUNKT) == set(theirs)
    for name, rx in theirs.items():
        source, flags, engine = nr.PUNKT[name]
        assert (_canonical(source), flags, engine) == (_canonical(rx.pattern), rx.flags,
                                                       _entry(rx)[2]), name


def test_the_canonical_form_only_reorders_a_class() -> None:
    assert _canonical(r"[!\?]x") == _canonical(r"[\?!]x")
    assert _canonical(r"[!\?]x") != _canonical(r"[!\.]x")


def test_tokenizing_does_not_import_nltk() -> None:
    code = ("import sys; from annotator.nlp.tokens import token_spans; "
            "token_spans('Dr. Smith said \"it\\'s 3.5% -- (maybe)\". U.S. e-mail! Ok?'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('nltk', 'scipy')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_re_folds_to_ascii_letters_only_the_characters_tokens_knows() -> None:
    """Every non-ASCII character ``re`` matches to an ASCII letter ignoring case is in
    ``_RE_FOLD`` (so a contraction is never skipped for want of folding)."""
    from annotator.nlp.tokens import _RE_FOLD

    rx = re.compile(r"[a-z']", re.I | re.U)
    found = {cp for cp in range(128, sys.maxunicode + 1)
             if not 0xD800 <= cp <= 0xDFFF and rx.match(chr(cp))}
    assert found == set(_RE_FOLD)
    assert all(chr(cp).translate(_RE_FOLD).lower().isascii() for cp in found)


_ALPHABET = list("aAbcdegilmnorstvwyIKSTN'\"`.,:;?!*@#$%&()[]{}<>-_ 0123456789\t«»“”‘’„"
                 "\u2012\u2013\u2014\u2015\u0301éıſİK") + ["``", "''", "..", "--", "n't",
                                                          "cannot", "gonna", "'tis"]


def test_a_rule_skipped_for_want_of_its_needles_would_change_nothing() -> None:
    """For each rule, random texts without any of its needles are left as they are by it."""
    import random

    from annotator.nlp import tokens as tk

    rng = random.Random(5)
    before, after, contractions = tk._word_rules()
    checked = 0
    for rules, folded in ((before, False), (after, False), (contractions, True)):
        for rx, sub, need in rules:
            if need is None:
                continue
            tried = 0
            while tried < 400:
                text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 30)))
                if rng.random() < 0.5:
                    text = f" {text} "
                probe = text.translate(tk._RE_FOLD).lower() if folded else text
                if any(n in probe for n in need):
                    continue
                tried += 1
                assert rx.sub(sub, text) == text, (rx.pattern, text)
            checked += 1
    assert checked == 32  # every rule but the whitespace one has needles
