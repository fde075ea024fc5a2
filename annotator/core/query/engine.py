"""Evaluating a parsed query over a project, one document at a time.

The hits are the first pattern's spans, in document order then by start, end, layer, label.
``A inside B``: every fragment of A lies within a fragment of B; ``A containing B`` the
converse; ``A overlapping B``: they share a code point; ``A related to B``: a relation of any
type links them either way; ``A ->T B`` / ``A <-T B``: a relation (of type T, if given) from A
to B / from B to A. A span is never related to itself by these.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from annotator.core.model import span_text
from annotator.core.query.parser import Condition, Pattern, Query, QueryError, parse
from annotator.core.query.pushdown import pattern_filter, sources_filter
from annotator.core.query.reading import DocData, Row, fragments_of
from annotator.core.query.stream import stream_documents

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.core.tagset import Tagset

CONTEXT = 60  # code points of left and right context in a hit
SOURCE_RELATION = "attributed_to"  # content -> source, as the default tagset declares


@dataclass(frozen=True)
class Hit:
    """One matched span as a concordance row (interfaces.md: ``query --json``)."""

    document: str  # the document's id
    document_pk: int
    span: int
    layer: str
    label: str
    start: int
    end: int
    text: str
    left: str
    right: str
    attributes: dict[str, Any] = field(default_factory=dict)
    annotator: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"document": self.document, "span": self.span, "layer": self.layer,
                "label": self.label, "start": self.start, "end": self.end, "text": self.text,
                "left": self.left, "right": self.right, "attributes": self.attributes,
                "annotator": self.annotator}


# ---------------------------------------------------------------------------- resolving
def resolve(query: Query, tagset: Tagset) -> Query:
    """``query`` with bare one-word selectors made a layer or a label, and names the tagset
    does not know refused (a typo is not a request for nothing)."""
    layers = ", ".join(lay.name for lay in tagset.layers)
    on_documents = {lay.name for lay in tagset.layers
                    if getattr(lay, "scope", "span") == "document"}

    def one(p: Pattern) -> Pattern:
        layer, label = p.layer, p.label
        if (p.bare or layer) in on_documents:
            raise QueryError(f"query, position {p.position}: {p.bare or layer!r} is a "
                             "document-level layer: its labels are on whole documents, not "
                             "on spans")
        if p.bare is not None and tagset.layer(p.bare) is None:
            if any(lay.label(p.bare) for lay in tagset.layers):
                layer, label = None, p.bare
            else:
                raise QueryError(f"query, position {p.position}: no layer or label named "
                                 f"{p.bare!r} (layers: {layers})")
        elif layer is not None and tagset.layer(layer) is None:
            raise QueryError(f"query, position {p.position}: no layer named {layer!r} "
                             f"(layers: {layers})")
        if label is not None:
            found = (tagset.label(layer, label) is not None if layer is not None
                     else any(lay.label(label) for lay in tagset.layers))
            if not found:
                raise QueryError(f"query, position {p.position}: no label {label!r} in "
                                 + (f"layer {layer!r}" if layer else "the tagset"))
        return Pattern(layer, label, p.conditions, p.position)

    def walk(q: Query) -> Query:
        return Query(one(q.pattern), q.relation, q.relation_type,
                     walk(q.other) if q.other is not None else None, q.text)

    return walk(query)


# ---------------------------------------------------------------------------- values
def as_text(value: Any) -> list[str]:
    """A stored value as the texts a query compares with (a list: several choices)."""
    if value is None:
        return [""]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, str):
        return [value]
    if isinstance(value, int | float):
        return [json.dumps(value)]
    if isinstance(value, list):
        return [t for v in value for t in as_text(v)] or [""]
    return [json.dumps(value, ensure_ascii=False, sort_keys=True)]


_COLUMN = {"layer": 2, "label": 3, "note": 8, "annotator": 9}  # fields that are row columns
_KNOWN = 100_000  # answers of a condition on an attribute remembered (per stored JSON)


def _field(doc: DocData, r: Row, name: str) -> Any:
    if name == "text":
        return doc.text_of(r)
    if name in _COLUMN:
        return r[_COLUMN[name]]
    return doc.attributes(r).get(name)


def _doc_field(doc: DocData, name: str) -> Any:
    if name == "id":
        return doc.name
    if name in ("title", "status"):
        return getattr(doc, name)
    return doc.meta.get(name)


def _test(c: Condition, values: list[str]) -> bool:
    if c.regex is not None:
        found = any(c.regex.test(v) for v in values)
        return found if c.op == "~" else not found
    equal = c.value in values
    return equal if c.op == "=" else not equal


class _Doc:
    """One document's rows indexed for the structural and relational tests."""

    def __init__(self, doc: DocData) -> None:
        self.doc = doc
        self._by_pk: dict[int, Row] | None = None
        self.out: dict[int, list[tuple[str, int]]] = {}
        self.inn: dict[int, list[tuple[str, int]]] = {}
        for rtype, a, b in doc.relations:
            self.out.setdefault(a, []).append((rtype, b))
            self.inn.setdefault(b, []).append((rtype, a))

    def sources(self, r: Row) -> list[Row]:
        if self._by_pk is None:
            self._by_pk = {s[0]: s for s in self.doc.rows}
        by_pk = self._by_pk
        return [by_pk[b] for t, b in self.out.get(r[0], ()) if t == SOURCE_RELATION
                and b in by_pk]

    def source_condition(self, c: Condition, positive: Condition, r: Row) -> bool:
        """``c`` (``source.NAME``) of a content: ``positive`` (``c`` with ``=`` for ``!=``)
        true of one of its sources, or, for ``!=``/``!~``, of none of them."""
        found = any(_test(positive, as_text(_field(self.doc, s, c.name)))
                    for s in self.sources(r))
        return found if c.op in ("=", "~") else not found


Predicate = Callable[[DocData], Callable[[Row], bool]]  # a document -> a test of its rows


def _predicate(c: Condition) -> Predicate:
    """A condition on the span's own fields, compiled (the common case; rows are many). The
    text is read when the test is made for a document (only when it has rows to test); an
    attribute's answer is remembered per stored JSON (the same JSON, the same answer)."""
    name = c.name
    check: Callable[[Any], bool]
    regex = c.regex
    if regex is not None:
        search, want = regex.test, c.op == "~"

        def check(v: Any) -> bool:
            if type(v) is str:
                return search(v) is want
            return any(search(t) for t in as_text(v)) is want
    else:
        value, equal = c.value, c.op == "="

        def check(v: Any) -> bool:
            if type(v) is str:
                return (v == value) is equal
            return (value in as_text(v)) is equal
    if name == "text":
        if regex is not None:
            seen = regex.seen

            def on_text(doc: DocData) -> Callable[[Row], bool]:
                text = doc.text

                def test(r: Row) -> bool:
                    frags = r[6]
                    v = text[r[4]:r[5]] if frags is None else span_text(text, frags)
                    found = seen.get(v)
                    return (search(v) if found is None else found) is want
                return test
            return on_text

        def on_text_value(doc: DocData) -> Callable[[Row], bool]:
            text = doc.text

            def test(r: Row) -> bool:
                frags = r[6]
                return check(text[r[4]:r[5]] if frags is None else span_text(text, frags))
            return test
        return on_text_value
    if name in _COLUMN:
        i = _COLUMN[name]
        return lambda doc: lambda r: check(r[i])
    known: dict[object, bool] = {}  # stored JSON -> the answer

    def on_attribute(doc: DocData) -> Callable[[Row], bool]:
        attributes = doc.attributes

        def test(r: Row) -> bool:
            found = known.get(r[7])
            if found is None:
                found = check(attributes(r).get(name))
                if type(r[7]) is str and len(known) < _KNOWN:
                    known[r[7]] = found
            return found
        return test
    return on_attribute


def _selected(p: Pattern, rows: list[Row]) -> list[Row]:
    layer, label = p.layer, p.label
    if layer is None:
        return list(rows) if label is None else [r for r in rows if r[3] == label]
    if label is None:
        return [r for r in rows if r[2] == layer]
    return [r for r in rows if r[3] == label and r[2] == layer]


def _doc_ok(p: Pattern, doc: DocData) -> bool:
    return all(_test(c, as_text(_doc_field(doc, c.name))) for c in p.conditions
               if c.path == "doc")


def _within(inner: Row, outer: Row) -> bool:
    return all(any(os <= s and e <= oe for os, oe in fragments_of(outer))
               for s, e in fragments_of(inner))


def _overlap(a: Row, b: Row) -> bool:
    return any(s < be and bs < e for s, e in fragments_of(a) for bs, be in fragments_of(b))


class _Extents:
    """Rows sorted by start, with the running maximum of their ends, for interval tests."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = sorted(rows, key=itemgetter(4))
        self.starts = [r[4] for r in self.rows]
        self.max_end = list(accumulate((r[5] for r in self.rows), max))

    def inside(self, a: Row) -> bool:
        pk, start, end, one = a[0], a[4], a[5], a[6] is None
        rows, max_end = self.rows, self.max_end
        j = bisect_right(self.starts, start) - 1
        while j >= 0 and max_end[j] >= end:  # b starts at or before a
            b = rows[j]
            if b[0] != pk and b[5] >= end and (one and b[6] is None or _within(a, b)):
                return True
            j -= 1
        return False

    def overlapping(self, a: Row) -> bool:
        pk, start, one = a[0], a[4], a[6] is None
        rows, max_end = self.rows, self.max_end
        j = bisect_left(self.starts, a[5]) - 1
        while j >= 0 and max_end[j] > start:  # b starts before a ends
            b = rows[j]
            if b[0] != pk and b[5] > start and (one and b[6] is None or _overlap(a, b)):
                return True
            j -= 1
        return False

    def containing(self, a: Row) -> bool:
        pk, end, one = a[0], a[5], a[6] is None
        rows = self.rows
        j = bisect_left(self.starts, a[4])
        while j < len(rows) and rows[j][4] < end:  # b starts within a
            b = rows[j]
            if b[0] != pk and b[5] <= end and (one and b[6] is None or _within(b, a)):
                return True
            j += 1
        return False


class Engine:
    """A resolved query, evaluated document by document."""

    def __init__(self, query: Query) -> None:
        self.query = query
        self.relations = query.uses_relations()
        patterns = query.patterns()
        self.selectors = [(p.layer, p.label) for p in patterns]
        self.filters = [pattern_filter(p) for p in patterns]
        self._predicates = {c: _predicate(c) for p in patterns for c in p.conditions
                            if c.path == ""}
        self._on_documents = {p: any(c.path == "doc" for c in p.conditions) for p in patterns}
        self._positive = {c: Condition("", c.name, "=" if c.op == "!=" else "~" if c.op == "!~"
                                       else c.op, c.value, c.regex)
                          for p in patterns for c in p.conditions if c.path == "source"}
        # ``source.`` conditions look at the spans the contents are attributed to, whatever
        # their layer and label
        self.targets_of = SOURCE_RELATION if any(
            c.path == "source" for p in patterns for c in p.conditions) else None
        self.targets = sources_filter(patterns)

    def hits(self, project: Project, *, context: int = CONTEXT,
             documents: Iterable[int] | None = None) -> Iterator[Hit]:
        """The hits over ``project`` (or over its ``documents``), streamed."""
        for doc in stream_documents(project, filters=self.filters,
                                    relations=self.relations, targets_of=self.targets_of,
                                    documents=documents, targets=self.targets):
            for r in self.matches(doc):
                yield hit_of(doc, r, context)

    def matches(self, doc: DocData) -> list[Row]:
        """The rows of ``doc`` that are hits, in order."""
        if not doc.rows:
            return []
        return self._eval(self.query, _Doc(doc))

    def _eval(self, q: Query, index: _Doc) -> list[Row]:
        p = q.pattern
        doc = index.doc
        if self._on_documents[p] and not _doc_ok(p, doc):
            return []
        heads = _selected(p, doc.rows)
        for c in p.conditions:
            if not heads:
                break
            if c.path == "source":
                positive = self._positive[c]
                heads = [r for r in heads if index.source_condition(c, positive, r)]
            elif c.path == "":
                test = self._predicates[c](doc)
                heads = [r for r in heads if test(r)]
        if q.other is None or not heads:
            return heads
        others = self._eval(q.other, index)
        if not others:
            return []
        if q.relation in ("inside", "overlapping", "containing"):
            ext = _Extents(others)
            within = getattr(ext, q.relation)
            return [h for h in heads if within(h)]
        keys = {o[0] for o in others}
        out = []
        for h in heads:
            links: list[tuple[str, int]] = []
            if q.relation in ("->", "related"):
                links += index.out.get(h[0], [])
            if q.relation in ("<-", "related"):
                links += index.inn.get(h[0], [])
            if any(b in keys and b != h[0] and (q.relation_type is None or t == q.relation_type)
                   for t, b in links):
                out.append(h)
        return out


_new = object.__new__


def hit_of(doc: DocData, r: Row, context: int = CONTEXT) -> Hit:
    """The hit of row ``r``; made as ``Hit(...)`` makes it, without the frozen dataclass's
    field-by-field ``__init__`` (hits may be tens of thousands)."""
    text = doc.text
    start, end = r[4], r[5]
    hit = _new(Hit)
    hit.__dict__.update(
        document=doc.name, document_pk=doc.pk, span=r[0], layer=r[2], label=r[3], start=start,
        end=end, text=text[start:end] if r[6] is None else span_text(text, r[6]),
        left=text[max(0, start - context):start], right=text[end:end + context],
        attributes=dict(doc.attributes(r)), annotator=r[9])
    return hit


def compile_query(text: str, tagset: Tagset) -> Engine:
    """Parse and resolve ``text`` against ``tagset``; :class:`QueryError` when it is bad."""
    return Engine(resolve(parse(text), tagset))


def run_query(project: Project, text: str, *, context: int = CONTEXT,
              documents: Iterable[int] | None = None) -> Iterator[Hit]:
    """The hits of query ``text`` over ``project``, streamed (the query is checked before the
    first document is read, so a bad one raises at once)."""
    engine = compile_query(text, project.tagset)
    return engine.hits(project, context=context, documents=documents)
