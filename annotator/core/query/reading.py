"""Reading a project for queries and figures: documents streamed in chunks, as plain rows.

Memory stays bounded by one chunk of documents (their texts, spans and relations). Every value
used is checked as the project's own reads check it (:mod:`annotator.core.storage.rows`); a
damaged one raises :class:`~annotator.core.errors.DamagedProjectError` naming the document.

A document's spans are kept as the tuples the database gives (:data:`Row`), checked and in
order, not as objects: a query tests its conditions on them and makes a hit of the few that
match (:class:`QSpan` is the object view the figures use). A project file is read through the
raw ``sqlite3`` cursor (:mod:`~annotator.core.query.sqlite_source`), a project on a server
through its SQLAlchemy engine (:mod:`~annotator.core.query.server_source`); both give the
same rows, and what is made of them here is the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import compress, count, groupby
from operator import ge, itemgetter, le, lt, ne
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import func, select

from annotator.core.collector import collector_paused
from annotator.core.model import Fragments, span_text
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import SpanRow

if TYPE_CHECKING:
    from annotator.core.project import Project

CHUNK = 200  # documents read at once

# A span as read: (id, document_id, layer, label, start, end, fragments, attributes, note,
# annotator). Once checked (DocData.rows) start and end are its extent's, fragments is None for
# a span of one fragment or its Fragments, and attributes is still the stored JSON.
Row = tuple[Any, ...]
# (layer or None, label or None, an SQL condition on the span row or "", its parameters): the
# SQL narrows what is read, never widens it; the engine still tests every row it gets
SpanFilter = tuple[str | None, str | None, str, tuple[Any, ...]]
ORDER_KEY = itemgetter(4, 5, 2, 3, 0)  # start, end, layer, label, id: the order of the spans
_BY_DOCUMENT = itemgetter(1)
# the columns _common_ties checks: document, layer, label, start, end, fragments, note, annotator
_CHECKED = tuple(itemgetter(i) for i in (1, 2, 3, 4, 5, 6, 8, 9))
_FLAT = (str, int, float, bool, type(None))
_ATTRIBUTES: dict[str, dict[str, Any]] = {}  # stored JSON -> its object, for flat objects
_ATTRIBUTES_KEPT = 20_000


class Source(Protocol):
    """Where the rows come from (a project file or a server): rows as the reader expects."""

    path: str
    codec: str

    def document_ids(self, documents: Iterable[int] | None) -> list[int]: ...
    def span_rows(self, chunk: list[int], lengths: dict[int, object],
                  filters: list[SpanFilter] | None, targets_of: str | None,
                  targets: tuple[str, tuple[Any, ...]]) -> list[Row]:
        """The span rows of the chunk's documents (``lengths``: their recorded lengths, as
        stored), in any order (best: by document, then by start)."""
    def sorted_rows(self, document: int, chunk: list[int], lengths: dict[int, object],
                    filters: list[SpanFilter] | None, targets_of: str | None,
                    targets: tuple[str, tuple[Any, ...]]) -> list[Row]:
        """One document's span rows of :meth:`span_rows`, sorted as the database sorts
        start, end, layer, label, id (asked only when one of them has a stray type)."""
    def stamps(self, span: int) -> tuple[Any, Any]:
        """A span's created and modified."""
    def relation_rows(self, chunk: list[int]) -> list[Row]:
        """(document_id, type, source_id, target_id) of the chunk, by id."""
    def document_rows(self, chunk: list[int]) -> list[Row]:
        """id, name, title, sha256, length, meta, status, the text's type name, its length
        in characters and its bytes."""


class QSpan:
    """A span as the figures see it: attributes decoded on first use."""

    __slots__ = ("_attrs", "_raw", "annotator", "document", "end", "fragments", "label",
                 "layer", "note", "pk", "start")

    def __init__(self, document: DocData, pk: int, layer: str, label: str, fragments: Fragments,
                 raw_attributes: object, note: str, annotator: str) -> None:
        self.document = document
        self.pk, self.layer, self.label, self.fragments = pk, layer, label, fragments
        self.start, self.end = fragments[0][0], fragments[-1][1]
        self._raw = raw_attributes
        self._attrs: dict[str, Any] | None = None if raw_attributes != "{}" else {}
        self.note, self.annotator = note, annotator

    @property
    def attributes(self) -> dict[str, Any]:
        if self._attrs is None:
            try:
                self._attrs = decode.json_object(self._raw, "attributes")
            except decode.DamagedValue as exc:
                raise decode.damaged(self.document.path, f"{self.document.where}, span "
                                     f"{self.pk}", exc) from None
        return self._attrs

    @property
    def text(self) -> str:
        fr = self.fragments
        if len(fr) == 1:
            return self.document.text[fr[0][0]:fr[0][1]]
        return span_text(self.document.text, fr)


def fragments_of(r: Row) -> Fragments:
    """A checked row's fragments."""
    return r[6] or ((r[4], r[5]),)


class DocData:
    """A document as queries see it: its checked span rows in order, its relations, and its
    text, decoded on first use (a document without hits is never decoded), checked then as
    the project's reads check it."""

    __slots__ = ("_codec", "_raw", "_text", "length", "meta", "name", "path", "pk",
                 "relations", "rows", "status", "title")

    def __init__(self, pk: int, name: str, title: str, status: str, meta: dict[str, Any],
                 text: str | None, path: str, raw: object = None, length: int = 0,
                 codec: str = "utf-8") -> None:
        self.pk, self.name, self.title, self.status, self.meta = pk, name, title, status, meta
        self._text, self._raw, self.path, self.length = text, raw, path, length
        self._codec = codec
        self.rows: list[Row] = []
        self.relations: list[tuple[str, int, int]] = []  # type, from, to

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = _decoded(self._raw, self.length, self.path, (self.pk, self.name),
                                  "text", self._codec)
            self._raw = None
        return self._text

    @property
    def where(self) -> str:
        return decode.document_where(self.pk, self.name)

    def text_of(self, r: Row) -> str:
        """The text of one of its checked rows."""
        frags = r[6]
        return self.text[r[4]:r[5]] if frags is None else span_text(self.text, frags)

    @property
    def spans(self) -> list[QSpan]:
        return [QSpan(self, r[0], r[2], r[3], fragments_of(r), r[7], r[8], r[9])
                for r in self.rows]

    def words(self) -> int:
        return len(self.text.split())

    def attributes(self, r: Row) -> dict[str, Any]:
        """The decoded attributes of one of its rows; shared with other rows that store the
        same JSON: not to be changed (copy it)."""
        raw = r[7]
        found = _ATTRIBUTES.get(raw) if type(raw) is str else None
        if found is not None:
            return found
        try:
            value = decode.json_object(raw, "attributes")
        except decode.DamagedValue as exc:
            raise decode.damaged(self.path, f"{self.where}, span {r[0]}", exc) from None
        if type(raw) is str and all(type(v) in _FLAT for v in value.values()):
            if len(_ATTRIBUTES) >= _ATTRIBUTES_KEPT:
                _ATTRIBUTES.clear()
            _ATTRIBUTES[raw] = value
        return value


def _decoded(raw: object, length: int, path: str, where: tuple[object, object],
             type_name: object = "text", codec: str = "utf-8") -> str:
    """The text as :func:`decode.document_with_text` decodes and checks it (its header is
    checked already)."""
    try:
        return decode.text_as_recorded(type_name, raw, codec, length)
    except decode.DamagedValue as exc:
        raise decode.damaged(path, decode.document_where(*where), exc) from None


def read(source: Source, wanted: list[SpanFilter] | None, relations: bool,
         targets_of: str | None, documents: Iterable[int] | None,
         targets: tuple[str, tuple[Any, ...]]) -> Iterator[DocData]:
    """The documents of :func:`~annotator.core.query.stream.stream_documents`, from
    ``source``."""
    ids = source.document_ids(documents)
    for at in range(0, len(ids), CHUNK):
        chunk = ids[at:at + CHUNK]
        with collector_paused():  # a chunk's row tuples (core.collector)
            by_pk = {d[0]: d for d in source.document_rows(chunk)}
            lengths = {pk: d[4] for pk, d in by_pk.items()}
            spans: dict[int, list[Row]] = {}
            span_rows = source.span_rows(chunk, lengths, wanted, targets_of, targets)
            for k, g in groupby(span_rows, _BY_DOCUMENT):
                spans.setdefault(k, []).extend(g)
            rels: dict[int, list[Row]] = {}
            if relations:
                for r in source.relation_rows(chunk):
                    rels.setdefault(r[0], []).append(r)
            chunk_ties = _common_ties(span_rows, lengths)
        for pk in chunk:
            if pk in by_pk:
                rows = spans.get(pk, [])
                # a row not of the common case in the chunk: each document checked apart
                ties = chunk_ties if chunk_ties is not None else _common_ties(rows, lengths)
                # ties in UTF-16 text: the database sorts (it does not sort by code point)
                common = ties is not None and (pk not in ties or source.codec == "utf-8")
                if common and ties and pk in ties:
                    rows.sort(key=ORDER_KEY)
                if not common:
                    rows = _resorted(source, pk, rows,
                                     (chunk, lengths, wanted, targets_of, targets))
                yield _document(source, by_pk[pk], rows, rels.get(pk, []), common)


def _common_ties(rows: list[Row], lengths: dict[int, object]) -> set[int] | None:
    """Whether every row is the common case (see :func:`_document`), checked column by column
    (spans are many; the tests run in C): ``None`` when one is not, else the documents whose
    rows have a start that is not after the one before (to be sorted by :data:`ORDER_KEY`).
    ``None`` too when a document's rows do not come together (then each document is checked
    apart)."""
    if not rows:
        return set()
    docs, layers, labels, starts, ends, frags, notes, annotators = (
        list(map(column, rows)) for column in _CHECKED)
    if frags.count(None) != len(frags) or "" in layers or "" in labels:
        return None
    try:  # text, each of them (join refuses anything else)
        for column in (layers, labels, notes, annotators):
            "".join(column)
    except TypeError:
        return None
    lens: list[Any] = list(map(lengths.get, docs))
    for column in (starts, ends, lens):
        if set(map(type, column)) != {int}:  # not a bool, float or NULL
            return None
    if min(starts) < 0 or not all(map(lt, starts, ends)) or not all(map(le, ends, lens)):
        return None
    after = docs[1:]
    if 1 + sum(map(ne, docs, after)) != len(set(docs)):
        return None
    # where a start is not after the one before: a document's first row, or a tie
    return {docs[i] for i in compress(count(1), map(ge, starts, starts[1:]))
            if docs[i] == docs[i - 1]}


def _resorted(source: Source, pk: int, rows: list[Row], asked: tuple[Any, ...]) -> list[Row]:
    """Rows of which one is not the common case, in the order the database sorts them."""
    if source.codec == "utf-8" and all(type(r[4]) is int and type(r[5]) is int
                                       and type(r[2]) is str and type(r[3]) is str for r in rows):
        return sorted(rows, key=ORDER_KEY)  # the same order: numbers, and text by code point
    return source.sorted_rows(pk, *asked)


def _document(source: Source, d: Row, span_rows: list[Row], rel_rows: list[Row],
              checked: bool) -> DocData:
    """The document of header ``d``; ``checked``: every span row is the common case (checked
    by :func:`_common_ties`)."""
    path = source.path
    try:
        info = decode.document_info(d[:7])
    except decode.DamagedValue as exc:
        raise decode.damaged(path, decode.document_where(d[0], d[1]), exc) from None
    length = info.length
    if d[7] == "text" and d[8] == length:
        doc = DocData(info.pk, info.name, info.title, info.status, info.meta, None, path,
                      d[9], length, source.codec)  # decoded when it is needed
    else:  # decoded now: what is wrong with it is said as before
        doc = DocData(info.pk, info.name, info.title, info.status, info.meta,
                      _decoded(d[9], length, path, (d[0], d[1]), d[7], source.codec), path)
    if checked:
        doc.rows = span_rows
        span_rows = []
    out = doc.rows
    several = False
    for r in span_rows:
        pk, _, layer, label, start, end, frags, attrs, note, annotator = r
        if (frags is None and type(start) is int and type(end) is int and 0 <= start < end
                <= length and type(layer) is str and layer and type(label) is str and label
                and type(note) is str and type(annotator) is str):
            out.append(r)  # the common case, checked inline: spans are many
            continue
        try:
            fr, _ = decode.checked_span((*r, *source.stamps(pk)), length)
        except decode.DamagedValue as exc:
            raise decode.damaged(path, f"{doc.where}, span {pk}", exc) from None
        several = several or len(fr) > 1
        out.append((pk, r[1], layer, label, fr[0][0], fr[-1][1], fr if len(fr) > 1 else None,
                    attrs, note, annotator))
    if several:  # sorted by the columns; the order is by the fragments' extent
        out.sort(key=ORDER_KEY)
    for _, rtype, src, target in rel_rows:
        if type(rtype) is str and type(src) is int and type(target) is int:
            doc.relations.append((rtype, src, target))
        else:
            raise decode.damaged(path, f"{doc.where}, a relation", decode.DamagedValue(
                "its type or ends are not what the schema promises"))
    return doc


def span_counts(project: Project) -> dict[int, dict[tuple[str, str], int]]:
    """Spans per document and (layer, label), counted by the database."""
    out: dict[int, dict[tuple[str, str], int]] = {}
    q = (select(SpanRow.document_id, SpanRow.layer, SpanRow.label, func.count())
         .group_by(SpanRow.document_id, SpanRow.layer, SpanRow.label))
    with project._read() as session:
        conn = session.connection()
        if conn.dialect.name == "sqlite":  # the raw cursor: no SQLAlchemy row per count
            found = conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
                'SELECT document_id, layer, label, count(*) FROM span GROUP BY document_id, '
                "layer, label").fetchall()
        else:
            found = conn.execute(q).all()
        for doc, layer, label, n in found:
            if not (type(layer) is str and layer and type(label) is str and label):
                raise decode.damaged(project.path, f"document {doc}", decode.DamagedValue(
                    "a span's layer or label is not text"))
            out.setdefault(doc, {})[(layer, label)] = n
    return out


__all__ = ["CHUNK", "ORDER_KEY", "DocData", "QSpan", "Row", "Source", "SpanFilter",
           "fragments_of", "read", "span_counts"]
