"""What the rest of the program sees: plain dataclasses, never live ORM rows.

Two families:

* project objects with database keys (``pk``): :class:`DocumentInfo`, :class:`Span`,
  :class:`Relation`, returned by :class:`annotator.core.project.Project`;
* corpus records with string keys: :class:`CorpusDocument`, :class:`SpanRecord`,
  :class:`RelationRecord`, the interchange between importers, exporters and the project.

Offsets are code points, end exclusive. ``fragments`` is a tuple of ``(start, end)`` pairs in
order and not overlapping; a continuous span has exactly one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Fragments = tuple[tuple[int, int], ...]
Attributes = dict[str, Any]

STATUSES: tuple[str, ...] = ("new", "in_progress", "done")


def span_text(text: str, fragments: Fragments) -> str:
    """Covered text; fragments joined by one space (as brat does)."""
    if len(fragments) == 1:  # the common case, without the join: spans are many
        s, e = fragments[0]
        return text[s:e]
    return " ".join(text[s:e] for s, e in fragments)


def check_fragments(fragments: Fragments, length: int) -> str | None:
    """Why ``fragments`` are invalid over a text of ``length`` code points, or None."""
    if len(fragments) == 1:  # the common case, answered inline: spans are many
        s, e = fragments[0]
        if type(s) is int and type(e) is int and 0 <= s < e <= length:
            return None
    if not fragments:
        return "a span needs at least one fragment"
    prev_end = -1
    for s, e in fragments:
        if not (isinstance(s, int) and isinstance(e, int)) or isinstance(s, bool) \
                or isinstance(e, bool):
            return f"offsets must be integers, got [{s!r}, {e!r}]"
        if s < 0 or e > length:
            return f"fragment [{s}, {e}) lies outside the text (0..{length})"
        if s >= e:
            return f"fragment [{s}, {e}) is empty or reversed"
        if s < prev_end:
            return f"fragment [{s}, {e}) overlaps or precedes the previous one"
        prev_end = e
    return None


@dataclass(frozen=True)
class DocumentInfo:
    """A document's header, without its text or annotations."""

    pk: int
    name: str
    title: str
    status: str
    sha256: str
    length: int
    span_count: int = 0
    meta: Attributes = field(default_factory=dict)


@dataclass(frozen=True)
class Span:
    """An annotation of one or more fragments of a document's text."""

    pk: int
    document: int
    layer: str
    label: str
    fragments: Fragments
    attributes: Attributes = field(default_factory=dict)
    note: str = ""
    annotator: str = ""
    created: str = ""
    modified: str = ""

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    @property
    def discontinuous(self) -> bool:
        return len(self.fragments) > 1


@dataclass(frozen=True)
class Relation:
    """A typed, directed link between two spans of one document."""

    pk: int
    document: int
    type: str
    source: int
    target: int
    attributes: Attributes = field(default_factory=dict)


@dataclass(frozen=True)
class DocAnnotation:
    """A label (with attributes) of a document as a whole, in a document-level layer."""

    pk: int
    document: int
    layer: str
    label: str
    attributes: Attributes = field(default_factory=dict)
    annotator: str = ""
    created: str = ""
    modified: str = ""


@dataclass
class SpanRecord:
    """A span in a corpus file; ``key`` is unique within its document."""

    key: str
    layer: str
    label: str
    fragments: Fragments
    attributes: Attributes = field(default_factory=dict)
    note: str = ""
    annotator: str = ""

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass
class RelationRecord:
    """A relation in a corpus file; ``source``/``target`` are span keys of the same document."""

    key: str
    type: str
    source: str
    target: str
    attributes: Attributes = field(default_factory=dict)


@dataclass
class DocAnnotationRecord:
    """A document-level annotation in a corpus file (JSONL ``doc_annotations``)."""

    layer: str
    label: str
    attributes: Attributes = field(default_factory=dict)
    annotator: str = ""


@dataclass
class CorpusDocument:
    """One document with its annotations, as importers produce and exporters consume it."""

    name: str
    text: str
    title: str = ""
    meta: Attributes = field(default_factory=dict)
    status: str = "new"
    spans: list[SpanRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    doc_annotations: list[DocAnnotationRecord] = field(default_factory=list)
    source_path: str | None = None  # where it was read from, for messages
