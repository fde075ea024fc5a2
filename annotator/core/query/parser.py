"""The query language: tokens, grammar and the parsed form (no I/O, no Qt).

```
query     := pattern [relation query]               the hits are the first pattern's spans
pattern   := selector ["where" condition {"and" condition}]
           | condition {"and" condition}             (any span: ``text ~ /may/``)
selector  := LAYER ":" LABEL | LAYER | LABEL | "*"   either part of LAYER:LABEL may be "*"
condition := field op value | field ("~" | "!~") /REGEX/[i]
field     := NAME | "source." NAME | "doc." NAME
           NAME: an attribute, or text | annotator | layer | label | note
           source.NAME: the same, on the span the content is ``attributed_to``
           doc.NAME: id | title | status, or a key of the document's metadata
op        := "=" | "!="                              VALUE: a word, a number or "quoted text"
relation  := "inside" | "containing" | "overlapping" | "related" "to"
           | "->"[TYPE] | "<-"[TYPE]                  a relation to / from the other span
```
``A inside B overlapping C`` reads right to left: the hits are A's spans inside a B that overlaps
a C. A value compares with an attribute as text (``true``/``false`` for yes/no attributes); an
unset attribute reads as ``""``; ``!=`` is the negation of ``=`` (it matches unset ones too); on
a several-choices attribute ``=`` means "one of them is". A bad query raises
:class:`QueryError` naming the position (1-based, in characters) and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex as _regex  # type: ignore[import-untyped]  # no stubs

from annotator.core.errors import BadInputError

RELATIONS = ("inside", "containing", "overlapping", "related", "->", "<-")
KEYWORDS = frozenset({"where", "and", "inside", "containing", "overlapping", "related", "to"})
SPAN_FIELDS = frozenset({"text", "annotator", "layer", "label", "note"})


class QueryError(BadInputError):
    """A query that cannot be read; the message names the position."""


MAX_PATTERNS = 100  # patterns chained by relations in one query
SEEN_VALUES, SEEN_LENGTH = 100_000, 1_000  # a regex remembers its answer for short values
REGEX_SECONDS = 2.0  # one search of one value; a catastrophic /(a|aa)+$/ is stopped


class Regex:
    """A compiled /REGEX/ whose every search stops after :data:`REGEX_SECONDS`.

    Python's ``re`` cannot be interrupted, so a pattern that backtracks exponentially would hang
    the query; the ``regex`` engine (same syntax) takes a timeout, turned into a
    :class:`QueryError` naming the position.
    """

    __slots__ = ("_compiled", "position", "seen", "source")

    def __init__(self, source: str, flags: int, position: int) -> None:
        self.source, self.position = source, position
        re.compile(source, flags)  # the syntax (and the messages) of Python's re
        self._compiled = _regex.compile(source, flags)
        self.seen: dict[str, bool] = {}  # the answers remembered (read-only to others)

    def test(self, text: str) -> bool:
        """Whether the regex is found in ``text``; remembered per value (values repeat: the
        same cue, the same source; a search with a timeout costs some microseconds)."""
        found = self.seen.get(text)
        if found is None:
            found = self.search(text) is not None
            if len(self.seen) < SEEN_VALUES and len(text) <= SEEN_LENGTH:
                self.seen[text] = found
        return found

    def search(self, text: str) -> object | None:
        try:
            return self._compiled.search(text, timeout=REGEX_SECONDS)
        except TimeoutError:
            raise _fail(self.position, f"the regular expression /{self.source}/ takes too long "
                                       f"(over {REGEX_SECONDS:g} s on one value); simplify it"
                        ) from None


@dataclass(frozen=True)
class Condition:
    path: str  # "" (the span itself), "source" (through attributed_to) or "doc"
    name: str
    op: str  # "=", "!=", "~", "!~"
    value: str
    regex: Regex | None = None
    position: int = 0


@dataclass(frozen=True)
class Pattern:
    layer: str | None  # None: any
    label: str | None
    conditions: tuple[Condition, ...] = ()
    position: int = 0
    bare: str | None = None  # a selector of one word: a layer, or else a label (see resolve)


@dataclass(frozen=True)
class Query:
    pattern: Pattern
    relation: str | None = None
    relation_type: str | None = None
    other: Query | None = None
    text: str = ""

    def patterns(self) -> list[Pattern]:
        out = [self.pattern]
        if self.other is not None:
            out += self.other.patterns()
        return out

    def uses_relations(self) -> bool:
        return any(q.relation in ("related", "->", "<-") for q in self._chain()) or any(
            c.path == "source" for p in self.patterns() for c in p.conditions)

    def _chain(self) -> list[Query]:
        out: list[Query] = [self]
        while out[-1].other is not None:
            out.append(out[-1].other)
        return out


@dataclass(frozen=True)
class Token:
    kind: str  # word, string, op, star, colon, arrow, regex, end
    value: str
    position: int  # 1-based
    flags: str = ""


_WORD = re.compile(r"[\w](?:[\w.]|-(?!>))*")
_SPACE = re.compile(r"\s+")


def _fail(position: int, message: str) -> QueryError:
    return QueryError(f"query, position {position}: {message}")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        m = _SPACE.match(text, i)
        if m:
            i = m.end()
            continue
        pos, ch = i + 1, text[i]
        if tokens and tokens[-1].kind == "op" and tokens[-1].value in ("~", "!~") and ch == "/":
            j, buf = i + 1, []
            while j < n and text[j] != "/":
                if text[j] == "\\" and j + 1 < n and text[j + 1] == "/":
                    buf.append("/")
                    j += 2
                    continue
                buf.append(text[j])
                j += 1
            if j >= n:
                raise _fail(pos, "the regular expression is not closed with /")
            j += 1
            flags = ""
            while j < n and text[j] in "is":
                flags += text[j]
                j += 1
            tokens.append(Token("regex", "".join(buf), pos, flags))
            i = j
            continue
        if ch in "\"'":
            j, buf = i + 1, []
            while j < n and text[j] != ch:
                if text[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(text[j])
                j += 1
            if j >= n:
                raise _fail(pos, f"the quoted text is not closed with {ch}")
            tokens.append(Token("string", "".join(buf), pos))
            i = j + 1
            continue
        two = text[i:i + 2]
        if two in ("!=", "!~"):
            tokens.append(Token("op", two, pos))
            i += 2
        elif two in ("->", "<-"):
            i += 2
            m = _WORD.match(text, i)
            tokens.append(Token("arrow", two + (m.group() if m else ""), pos))
            if m:
                i = m.end()
        elif ch in "=~":
            tokens.append(Token("op", ch, pos))
            i += 1
        elif ch == "*":
            tokens.append(Token("star", "*", pos))
            i += 1
        elif ch == ":":
            tokens.append(Token("colon", ":", pos))
            i += 1
        else:
            m = _WORD.match(text, i)
            if not m:
                raise _fail(pos, f"unexpected {ch!r}")
            tokens.append(Token("word", m.group(), pos))
            i = m.end()
    tokens.append(Token("end", "", n + 1))
    return tokens


def _shown(t: Token) -> str:
    if t.kind == "end":
        return "the end of the query"
    if t.kind == "string":
        return f'"{t.value}"'
    if t.kind == "regex":
        return f"/{t.value}/"
    return repr(t.value)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def keyword(self, word: str) -> bool:
        t = self.tok
        if t.kind == "word" and t.value.lower() == word:
            self.i += 1
            return True
        return False

    def expect(self, what: str) -> QueryError:
        return _fail(self.tok.position, f"expected {what}, found {_shown(self.tok)}")

    def query(self, depth: int = 1) -> Query:
        if depth > MAX_PATTERNS:
            raise _fail(self.tok.position, f"the query chains more than {MAX_PATTERNS} patterns")
        pattern = self.pattern()
        t = self.tok
        relation: str | None = None
        rtype: str | None = None
        if t.kind == "arrow":
            self.i += 1
            relation, rtype = t.value[:2], (t.value[2:] or None)
        elif t.kind == "word" and t.value.lower() in ("inside", "containing", "overlapping"):
            self.i += 1
            relation = t.value.lower()
        elif t.kind == "word" and t.value.lower() == "related":
            self.i += 1
            if not self.keyword("to"):
                raise self.expect("'to' after 'related'")
            relation = "related"
        elif t.kind != "end":
            raise self.expect("'where', 'and', 'inside', 'containing', 'overlapping', "
                              "'related to', '->' or the end of the query")
        if relation is None:
            return Query(pattern, text=self.text)
        if self.tok.kind == "end":
            raise self.expect(f"a pattern after {relation!r}")
        return Query(pattern, relation, rtype, self.query(depth + 1), self.text)

    def pattern(self) -> Pattern:
        t = self.tok
        start = t.position
        after = self.tokens[self.i + 1]
        if t.kind == "word" and after.kind == "op":  # conditions only: any span
            return Pattern(None, None, self.conditions(), start)
        layer: str | None
        label: str | None
        bare: str | None = None
        if t.kind == "star":
            self.i += 1
            layer = None
        elif t.kind == "word" and t.value.lower() not in KEYWORDS:
            self.i += 1
            layer = t.value
        else:
            raise self.expect("a LAYER:LABEL pattern (either part may be *)")
        if self.tok.kind == "colon":
            self.i += 1
            t = self.tok
            if t.kind == "star":
                label = None
            elif t.kind == "word" and t.value.lower() not in KEYWORDS:
                label = t.value
            else:
                raise self.expect(f"a label (or *) after '{layer or '*'}:'")
            self.i += 1
        else:
            label, bare = None, layer
        conditions: tuple[Condition, ...] = ()
        if self.keyword("where"):
            conditions = self.conditions()
        return Pattern(layer, label, conditions, start, bare)

    def conditions(self) -> tuple[Condition, ...]:
        out = [self.condition()]
        while self.keyword("and"):
            out.append(self.condition())
        return tuple(out)

    def condition(self) -> Condition:
        t = self.tok
        if t.kind != "word" or t.value.lower() in KEYWORDS:
            raise self.expect("a field (an attribute, text, annotator, source.NAME, doc.NAME)")
        self.i += 1
        path, _, name = t.value.rpartition(".")
        if path not in ("", "source", "doc") or not name:
            raise _fail(t.position, f"unknown field {t.value!r} (use NAME, source.NAME or "
                                    "doc.NAME)")
        op = self.tok
        if op.kind != "op":
            raise self.expect(f"=, !=, ~ or !~ after {t.value!r}")
        self.i += 1
        v = self.tok
        if op.value in ("~", "!~"):
            if v.kind != "regex":
                raise self.expect(f"a /regular expression/ after {op.value!r}")
            self.i += 1
            flags = re.IGNORECASE if "i" in v.flags else 0
            if "s" in v.flags:
                flags |= re.DOTALL
            try:
                regex = Regex(v.value, flags, v.position)
            except (re.error, _regex.error) as exc:
                raise _fail(v.position, f"bad regular expression /{v.value}/ ({exc})") from None
            return Condition(path, name, op.value, v.value, regex, t.position)
        if v.kind not in ("word", "string"):
            raise self.expect(f"a value after {op.value!r}")
        self.i += 1
        return Condition(path, name, op.value, v.value, None, t.position)


def parse(text: str) -> Query:
    """The parsed query, or :class:`QueryError` naming the position of the first problem."""
    if not text.strip():
        raise QueryError("query, position 1: the query is empty")
    return _Parser(text).query()
