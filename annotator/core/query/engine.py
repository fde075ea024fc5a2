"""Evaluating a parsed query over a project, one document at a time.

The hits are the first pattern's spans, in document order then by start, end, layer, label.
``A inside B``: every fragment of A lies within a fragment of B; ``A containing B`` the
converse; ``A overlapping B``: they share a code point; ``A related to B``: a relation of any
type links them either way; ``A ->T B`` / ``A <-T B``: a relation (of type T, if given) from A
to B / from B to A. A span is never related to itself by these.
"""

from __future__ import annotations

import json
import operator
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from annotator.core.query.parser import SPAN_FIELDS, Condition, Pattern, Query, QueryError, parse
from annotator.core.query.pushdown import pattern_filter, sources_filter
from annotator.core.query.reading import DocData, QSpan, stream_documents

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


def _field(span: QSpan, name: str) -> Any:
    if name in SPAN_FIELDS:
        return span.text if name == "text" else getattr(span, name)
    return span.attributes.get(name)


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
    """One document's spans indexed for the structural and relational tests."""

    def __init__(self, doc: DocData) -> None:
        self.doc = doc
        self.by_pk = {s.pk: s for s in doc.spans}
        self.out: dict[int, list[tuple[str, int]]] = {}
        self.inn: dict[int, list[tuple[str, int]]] = {}
        for rtype, a, b in doc.relations:
            self.out.setdefault(a, []).append((rtype, b))
            self.inn.setdefault(b, []).append((rtype, a))

    def sources(self, span: QSpan) -> list[QSpan]:
        return [self.by_pk[b] for t, b in self.out.get(span.pk, ()) if t == SOURCE_RELATION
                and b in self.by_pk]

    def condition(self, c: Condition, span: QSpan) -> bool:
        if c.path == "source":
            found = any(_test(Condition("", c.name, "=" if c.op == "!=" else
                                        "~" if c.op == "!~" else c.op, c.value, c.regex),
                              as_text(_field(s, c.name))) for s in self.sources(span))
            return found if c.op in ("=", "~") else not found
        return _test(c, as_text(_field(span, c.name)))


def _predicate(c: Condition) -> Callable[[QSpan], bool]:
    """A condition on the span's own fields, compiled (the common case; spans are many)."""
    name = c.name
    get: Callable[[QSpan], Any]
    if name == "text":
        get = operator.attrgetter("text")
    elif name in SPAN_FIELDS:
        get = operator.attrgetter(name)
    else:
        def get(s: QSpan) -> Any:
            return s.attributes.get(name)
    if c.regex is not None:
        search, want = c.regex.test, c.op == "~"

        def matches(s: QSpan) -> bool:
            v = get(s)
            if type(v) is str:
                return search(v) is want
            return any(search(t) for t in as_text(v)) is want
        return matches
    value, equal = c.value, c.op == "="

    def compare(s: QSpan) -> bool:
        v = get(s)
        if type(v) is str:
            return (v == value) is equal
        return (value in as_text(v)) is equal
    return compare


def _selected(p: Pattern, s: QSpan) -> bool:
    return (p.layer is None or s.layer == p.layer) and (p.label is None or s.label == p.label)


def _doc_ok(p: Pattern, doc: DocData) -> bool:
    return all(_test(c, as_text(_doc_field(doc, c.name))) for c in p.conditions
               if c.path == "doc")


def _within(inner: QSpan, outer: QSpan) -> bool:
    return all(any(os <= s and e <= oe for os, oe in outer.fragments) for s, e in inner.fragments)


def _overlap(a: QSpan, b: QSpan) -> bool:
    return any(s < be and bs < e for s, e in a.fragments for bs, be in b.fragments)


class _Extents:
    """Spans sorted by start, with the running maximum of their ends, for interval tests."""

    def __init__(self, spans: list[QSpan]) -> None:
        self.spans = sorted(spans, key=lambda s: s.start)
        self.starts = [s.start for s in self.spans]
        self.max_end = list(accumulate((s.end for s in self.spans), max))

    def _back(self, hi: int, min_end: int) -> Iterator[QSpan]:
        """Spans before ``hi`` whose end may reach ``min_end``, latest start first."""
        j = hi - 1
        while j >= 0 and self.max_end[j] >= min_end:
            yield self.spans[j]
            j -= 1

    def inside(self, a: QSpan) -> bool:
        return any(b is not a and b.end >= a.end and _within(a, b)
                   for b in self._back(bisect_right(self.starts, a.start), a.end))

    def overlapping(self, a: QSpan) -> bool:
        return any(b is not a and b.end > a.start and _overlap(a, b)
                   for b in self._back(bisect_left(self.starts, a.end), a.start + 1))

    def containing(self, a: QSpan) -> bool:
        j = bisect_left(self.starts, a.start)
        while j < len(self.spans) and self.spans[j].start < a.end:
            b = self.spans[j]
            if b is not a and b.end <= a.end and _within(b, a):
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
            for span in self.matches(doc):
                yield hit_of(span, context)

    def matches(self, doc: DocData) -> list[QSpan]:
        index = _Doc(doc)
        return self._eval(self.query, index)

    def _eval(self, q: Query, index: _Doc) -> list[QSpan]:
        p = q.pattern
        if not _doc_ok(p, index.doc):
            return []
        heads = [s for s in index.doc.spans if _selected(p, s)]
        for c in p.conditions:
            if c.path == "source":
                heads = [s for s in heads if index.condition(c, s)]
            elif c.path == "":
                pred = self._predicates[c]
                heads = [s for s in heads if pred(s)]
        if q.other is None or not heads:
            return heads
        others = self._eval(q.other, index)
        if not others:
            return []
        if q.relation in ("inside", "overlapping", "containing"):
            ext = _Extents(others)
            test = getattr(ext, q.relation)
            return [h for h in heads if test(h)]
        keys = {o.pk for o in others}
        out = []
        for h in heads:
            links: list[tuple[str, int]] = []
            if q.relation in ("->", "related"):
                links += index.out.get(h.pk, [])
            if q.relation in ("<-", "related"):
                links += index.inn.get(h.pk, [])
            if any(b in keys and b != h.pk and (q.relation_type is None or t == q.relation_type)
                   for t, b in links):
                out.append(h)
        return out


def hit_of(span: QSpan, context: int = CONTEXT) -> Hit:
    doc = span.document
    text = doc.text
    return Hit(doc.name, doc.pk, span.pk, span.layer, span.label, span.start, span.end,
               span.text, text[max(0, span.start - context):span.start],
               text[span.end:span.end + context], dict(span.attributes), span.annotator)


def compile_query(text: str, tagset: Tagset) -> Engine:
    """Parse and resolve ``text`` against ``tagset``; :class:`QueryError` when it is bad."""
    return Engine(resolve(parse(text), tagset))


def run_query(project: Project, text: str, *, context: int = CONTEXT,
              documents: Iterable[int] | None = None) -> Iterator[Hit]:
    """The hits of query ``text`` over ``project``, streamed (the query is checked before the
    first document is read, so a bad one raises at once)."""
    engine = compile_query(text, project.tagset)
    return engine.hits(project, context=context, documents=documents)
