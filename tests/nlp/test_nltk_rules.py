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
