"""NLTK's tokenizer patterns, copied here so that tokenizing never imports nltk (~1.5 s).

Contract: the patterns, flags, engines and replacement templates of nltk 3.10's
``NLTKWordTokenizer`` (``STARTING_QUOTES``, ``PUNCTUATION``, ``PARENS_BRACKETS``,
``DOUBLE_DASHES``, ``ENDING_QUOTES``, ``CONTRACTIONS2`` + ``CONTRACTIONS3``) and of the untrained
Punkt sentence splitter (``PunktLanguageVars``' period-context, word and boundary-realignment
patterns; ``PunktToken``'s ellipsis, numeric and initial patterns), as ``(source, flags,
engine)``. :func:`compile_rule` compiles one with the engine nltk uses (``regex`` for nltk's own
patterns, ``re`` for the contractions), so it matches exactly what nltk's does. A test compares
every entry with the installed nltk's (the order inside one character class of Punkt's
patterns is built from a set by nltk and may differ between runs; it means the same).
"""

from __future__ import annotations

import re
from typing import Any

Pattern = tuple[str, int, str]  # source, flags, "regex" | "re"
Rule = tuple[Pattern, str]  # pattern, replacement template

STARTING_QUOTES: tuple[Rule, ...] = (
    (('([«“‘„]|[`]+)', 8224, 'regex'), ' \\1 '),
    (('^\\"', 8224, 'regex'), '``'),
    (('(``)', 8224, 'regex'), ' \\1 '),
    (('([ \\(\\[{<])(\\"|\\\'{2})', 8224, 'regex'), '\\1 `` '),
    (("(?i)(?<!\\w)(\\')(?!(?:re|ve|ll|m|t|s|d|n)\\b)(?=\\w)", 8226, 'regex'), '\\1 '),
)
PUNCTUATION: tuple[Rule, ...] = (
    (('([^\\.])(\\.)([\\]\\)}>"\\\'»”’ ]*+)\\s*$', 8224, 'regex'), '\\1 \\2 \\3 '),
    (('([:,])([^\\d])', 8224, 'regex'), ' \\1 \\2'),
    (('([:,])$', 8224, 'regex'), ' \\1 '),
    (('\\.{2,}', 8224, 'regex'), ' \\g<0> '),
    (('[;@#$%&]', 8224, 'regex'), ' \\g<0> '),
    (('[\\u2012-\\u2015]', 8224, 'regex'), ' \\g<0> '),
    (('([^\\.])(\\.)([\\]\\)}>"\\\']*)\\s*$', 8224, 'regex'), '\\1 \\2\\3 '),
    (('[?!]', 8224, 'regex'), ' \\g<0> '),
    (("([^'])' ", 8224, 'regex'), "\\1 ' "),
    (('[*]', 8224, 'regex'), ' \\g<0> '),
)
PARENS_BRACKETS: tuple[Rule, ...] = (
    (('[\\]\\[\\(\\)\\{\\}\\<\\>]', 8224, 'regex'), ' \\g<0> '),
)
DOUBLE_DASHES: tuple[Rule, ...] = (
    (('--', 8224, 'regex'), ' -- '),
)
ENDING_QUOTES: tuple[Rule, ...] = (
    (('([»”’])', 8224, 'regex'), ' \\1 '),
    (("''", 8224, 'regex'), " '' "),
    (('"', 8224, 'regex'), " '' "),
    (('\\s+', 8224, 'regex'), ' '),
    (("([^' ])('[sS]|'[mM]|'[dD]|') ", 8224, 'regex'), '\\1 \\2 '),
    (("([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ", 8224, 'regex'), '\\1 \\2 '),
)
CONTRACTIONS: tuple[Pattern, ...] = (
    ('(?i)\\b(can)(?#X)(not)\\b', 34, 're'),
    ("(?i)\\b(d)(?#X)('ye)\\b", 34, 're'),
    ('(?i)\\b(gim)(?#X)(me)\\b', 34, 're'),
    ('(?i)\\b(gon)(?#X)(na)\\b', 34, 're'),
    ('(?i)\\b(got)(?#X)(ta)\\b', 34, 're'),
    ('(?i)\\b(lem)(?#X)(me)\\b', 34, 're'),
    ("(?i)\\b(more)(?#X)('n)\\b", 34, 're'),
    ('(?i)\\b(wan)(?#X)(na)(?=\\s)', 34, 're'),
    ("(?i) ('t)(?#X)(is)\\b", 34, 're'),
    ("(?i) ('t)(?#X)(was)\\b", 34, 're'),
)
PUNKT: dict[str, Pattern] = {
    'period': ('\n        [\\.\\?!]             # a potential sentence ending\n        (?=(?P<after_tok>\n            (?:[)\\";}\\]\\*:@\\\'\\({\\[\\u2018\\u2019\\u201c\\u201d\\xab\\xbb\\?!])              # either other punctuation\n            |\n            \\s+(?P<next_tok>\\S+)     # or whitespace and some other token\n        ))', 8288, 'regex'),
    'words': ('(\n        (?:\\-{2,}|\\.{2,}|(?:\\.\\s){2,}\\.)\n        |\n        (?=[^\\(\\"\\`{\\[:;&\\#\\*@\\)}\\]\\-,])\\S+?  # Accept word characters until end is found\n        (?= # Sequences marking a word\'s end\n            \\s|                                 # White-space\n            $|                                  # End-of-string\n            (?:[)\\";}\\]\\*:@\\\'\\({\\[\\u2018\\u2019\\u201c\\u201d\\xab\\xbb\\?!])|(?:\\-{2,}|\\.{2,}|(?:\\.\\s){2,}\\.)|          # Punctuation\n            ,(?=$|\\s|(?:[)\\";}\\]\\*:@\\\'\\({\\[\\u2018\\u2019\\u201c\\u201d\\xab\\xbb\\?!])|(?:\\-{2,}|\\.{2,}|(?:\\.\\s){2,}\\.)) # Comma if at end of word\n        )\n        |\n        \\S\n    )', 8288, 'regex'),
    'realign': ('["\\\')\\]}\\u2018\\u2019\\u201c\\u201d\\xab\\xbb]+?(?:\\s+|(?=--)|$)', 8232, 'regex'),
    'ellipsis': ('\\.\\.+$', 8224, 'regex'),
    'numeric': ('^-?[\\.,]?\\d[\\d,\\.-]*\\.?$', 8224, 'regex'),
    'initial': ('[^\\W\\d]\\.$', 8224, 'regex'),
}


def compile_rule(pattern: Pattern) -> Any:
    """``pattern`` compiled with its engine (``regex`` as nltk's own, else ``re``)."""
    source, flags, engine = pattern
    if engine == "re":
        return re.compile(source, flags)
    import regex  # type: ignore[import-untyped]  # nltk's own engine; no stubs

    return regex.compile(source, flags)
