"""Decoding stored rows into model objects, trusting nothing.

A project file may have been edited by hand, crafted, or damaged below the schema: SQLite lets any
column hold any type (TEXT, INTEGER, REAL, BLOB, NULL) whatever its declaration, a JSON column
any text, and a crafted file may have lost its NOT NULL declarations. Every function here takes
values as :mod:`sqlite3` returns them and returns what :mod:`annotator.core.model` promises, or
raises :class:`DamagedValue` saying in words for people what is wrong ("fragments are not valid
JSON (…)"). The project's read methods add where it is (file, document, span) and raise
:class:`~annotator.core.errors.DamagedProjectError`; ``annotator check`` collects them all.

JSON columns must hold finite numbers, at most :data:`MAX_DEPTH` levels of nesting and no lone
surrogates, so that whatever is read here can be written out again (JSON, XML, UTF-8).
"""

from __future__ import annotations

import json
import math
import shlex
import sqlite3
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annotator.core.errors import DamagedProjectError
from annotator.core.model import (
    STATUSES,
    DocAnnotation,
    DocumentInfo,
    Fragments,
    Relation,
    Span,
    check_fragments,
)

MAX_DEPTH = 100  # nesting levels of a stored JSON value

DOCUMENT_COLUMNS = ("id", "name", "title", "sha256", "length", "meta", "status")
SPAN_COLUMNS = ("id", "document_id", "layer", "label", "start", "end", "fragments",
                "attributes", "note", "annotator", "created", "modified")
RELATION_COLUMNS = ("id", "document_id", "type", "source_id", "target_id", "attributes")
DOC_ANNOTATION_COLUMNS = ("id", "document_id", "layer", "label", "attributes", "annotator",
                          "created", "modified")


class DamagedValue(DamagedProjectError):
    """A stored value is not what the schema promises; the message says which and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


def damaged(path: str | Path, where: str, exc: DamagedValue) -> DamagedProjectError:
    """``exc`` as the error of the project at ``path``, placed (``where``: "document 'a', span
    3"), with a hint to run the full check."""
    return DamagedProjectError(f"{where}: {exc.message}" if where else exc.message, path=path,
                               hint=f"list every problem with: annotator check "
                                    f"{shlex.quote(str(path))}")


# ---------------------------------------------------------------------------- TEXT values
class NotUtf8:
    """A TEXT value whose bytes are not UTF-8 (lone surrogates included), as a tolerant
    connection returns it."""

    __slots__ = ("raw",)

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def reason(self) -> str:
        return _utf8_reason(self.raw)


def _utf8_reason(raw: bytes) -> str:
    """Why ``raw`` is not UTF-8, for messages."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        after = raw[exc.start + 1] if len(raw) > exc.start + 1 else 0
        if raw[exc.start] == 0xED and 0xA0 <= after <= 0xBF:  # U+D800..U+DFFF encoded
            return f"is not valid UTF-8 (a lone surrogate at byte {exc.start})"
        return f"is not valid UTF-8 (byte {exc.start}: {exc.reason})"
    return "is not valid UTF-8"  # pragma: no cover - only called on undecodable bytes


def _tolerant_text(raw: bytes) -> str | NotUtf8:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return NotUtf8(raw)


@contextmanager
def tolerant(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``conn`` returning undecodable TEXT as :class:`NotUtf8` instead of failing the query."""
    old = conn.text_factory
    conn.text_factory = _tolerant_text
    try:
        yield conn
    finally:
        conn.text_factory = old


def kind(raw: object) -> str:
    """What a stored value is, for messages."""
    if raw is None:
        return "NULL"
    if isinstance(raw, NotUtf8):
        return "text that is not valid UTF-8"
    if isinstance(raw, bytes):
        return "a BLOB"
    if isinstance(raw, bool):
        return "true/false"
    if isinstance(raw, int):
        return "an integer"
    if isinstance(raw, float):
        return "a real number"
    if isinstance(raw, str):
        return "text"
    if isinstance(raw, dict):
        return "a JSON object"
    if isinstance(raw, list):
        return "a JSON list"
    return type(raw).__name__  # pragma: no cover - sqlite3 returns nothing else


def text(raw: object, what: str, *, required: bool = False) -> str:
    """A TEXT column; ``required``: not empty either."""
    if type(raw) is str:
        if required and not raw:
            raise DamagedValue(f"{what} is empty")
        return raw
    if isinstance(raw, NotUtf8):
        raise DamagedValue(f"{what} {raw.reason()}")
    if raw is None:
        raise DamagedValue(f"{what} is NULL")
    raise DamagedValue(f"{what} is {kind(raw)}, not text")


def integer(raw: object, what: str) -> int:
    if type(raw) is int:
        return raw
    if raw is None:
        raise DamagedValue(f"{what} is NULL")
    raise DamagedValue(f"{what} is {kind(raw)}, not an integer")


def stored_text(type_name: object, raw: object, codec: str) -> str:
    """A document's text read as ``typeof(text), CAST(text AS BLOB)`` and decoded here, so that
    bytes that are not text are reported rather than failing the whole query."""
    if type_name == "text" and isinstance(raw, bytes):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            raise DamagedValue(f"text {_utf8_reason(raw)}" if codec == "utf-8" else
                               f"text is not valid {codec}") from None
    if type_name == "null":
        raise DamagedValue("text is NULL")
    article = {"blob": "a BLOB", "integer": "an integer", "real": "a real number"}
    raise DamagedValue(f"text is {article.get(str(type_name), str(type_name))}, not text")


def codec_of(encoding: object) -> str:
    """Python's codec for ``PRAGMA encoding`` (our files are UTF-8; a crafted one may not be)."""
    return {"UTF-16le": "utf-16-le", "UTF-16be": "utf-16-be"}.get(str(encoding), "utf-8")


# ---------------------------------------------------------------------------- JSON values
def _finite(s: str) -> float:
    value = float(s)
    if not math.isfinite(value):
        raise ValueError(f"holds the number {s[:20]}, which is not finite")
    return value


def _constant(name: str) -> Any:
    raise ValueError(f"holds {name}, which is not a finite number")


_DECODER = json.JSONDecoder(parse_float=_finite, parse_constant=_constant)


def _check_tree(value: Any, what: str) -> None:
    """No deeper than MAX_DEPTH, no lone surrogate in a string or key (iteratively)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                raise DamagedValue(f"{what} holds a lone surrogate (\\u{ord(v[_bad(v)]):04x}), "
                                   "which is not text") from None
            continue
        if isinstance(v, float) and not math.isfinite(v):
            raise DamagedValue(f"{what} holds the number {v}, which is not finite")
        if not isinstance(v, dict | list | tuple):
            continue
        if depth >= MAX_DEPTH:
            raise DamagedValue(f"{what} is nested more than {MAX_DEPTH} levels deep")
        items = list(v.items()) if isinstance(v, dict) else [(None, x) for x in v]
        # keys: JSON writes them as strings; a non-string key is checked as a value
        for key, x in items:
            if key is not None:
                stack.append((key, depth))
            stack.append((x, depth + 1))


def _bad(s: str) -> int:
    return next(i for i, ch in enumerate(s) if 0xD800 <= ord(ch) <= 0xDFFF)


def check_storable(value: Any, what: str) -> None:
    """Refuse, before it is stored, a value that could not be read back (:func:`json_value`):
    nested deeper than MAX_DEPTH, a number that is not finite, a lone surrogate."""
    if value:
        _check_tree(value, what)


def json_value(raw: object, what: str) -> Any:
    """A JSON column, decoded and checked (finite numbers, depth, surrogates)."""
    s = text(raw, what)
    try:
        value = _DECODER.decode(s)
    except RecursionError:
        raise DamagedValue(f"{what} is nested more than {MAX_DEPTH} levels deep") from None
    except json.JSONDecodeError as exc:
        raise DamagedValue(f"{what} is not valid JSON ({exc.msg} at character {exc.pos})"
                           ) from None
    except ValueError as exc:
        msg = str(exc)
        if "digits" in msg:  # int() refused a huge number
            msg = f"holds a number of more than {sys.get_int_max_str_digits()} digits"
        raise DamagedValue(f"{what} {msg}") from None
    if "\\u" in s or s.count("[") + s.count("{") > MAX_DEPTH:
        _check_tree(value, what)
    return value


def json_object(raw: object, what: str) -> dict[str, Any]:
    """A JSON column that must hold an object (``meta``, ``attributes``)."""
    if raw == "{}" and type(raw) is str:
        return {}
    value = json_value(raw, what)
    if not isinstance(value, dict):
        raise DamagedValue(f"{what} is {kind(value)}, not a JSON object")
    return value


def json_list(raw: object, what: str) -> list[Any]:
    if raw == "[]" and type(raw) is str:
        return []
    value = json_value(raw, what)
    if not isinstance(value, list):
        raise DamagedValue(f"{what} is {kind(value)}, not a JSON list")
    return value


def _short(value: Any) -> str:
    r = json.dumps(value, ensure_ascii=False)
    return r if len(r) <= 40 else r[:37] + "..."


# ---------------------------------------------------------------------------- rows
def fragments(start: object, end: object, raw: object) -> Fragments:
    """A span's fragments from its ``start``, ``end`` and ``fragments`` columns (structure
    only: the range over the text is :func:`annotator.core.model.check_fragments`)."""
    s, e = integer(start, "start"), integer(end, "end")
    if raw is None:
        return ((s, e),)
    value = json_value(raw, "fragments")
    if not isinstance(value, list):
        raise DamagedValue(f"fragments are {kind(value)}, not a list of [start, end] pairs")
    if not value:
        raise DamagedValue("fragments are an empty list: a span needs at least one fragment")
    out = []
    for item in value:
        if not (type(item) is list and len(item) == 2
                and type(item[0]) is int and type(item[1]) is int):
            raise DamagedValue(f"fragments hold {_short(item)}, "
                               "not a [start, end] pair of integers")
        out.append((item[0], item[1]))
    if out[0][0] != s or out[-1][1] != e:
        raise DamagedValue(f"start/end ({s}, {e}) disagree with its fragments")
    return tuple(out)


def span(row: Sequence[Any], length: int | None) -> Span:
    """A span from the :data:`SPAN_COLUMNS` of its row; ``length`` (of the document's text)
    also checks the fragments' range."""
    fr, attributes = checked_span(row, length)
    return Span(pk=row[0], document=row[1], layer=row[2], label=row[3], fragments=fr,
                attributes=attributes, note=row[8], annotator=row[9], created=row[10],
                modified=row[11])


def checked_span(row: Sequence[Any], length: int | None) -> tuple[Fragments, dict[str, Any]]:
    """Check every value of a span's row (see :func:`span`); returns its fragments and
    attributes, the values that need decoding (the others are then sound as stored)."""
    _, _, layer, label, start, end, frags, attrs, note, annotator, created, modified = row
    if (frags is None and type(start) is int and type(end) is int
            and (length is None or 0 <= start < end <= length)):
        fr: Fragments = ((start, end),)  # the common case, checked inline: spans are many
    else:
        fr = fragments(start, end, frags)
        if length is not None:
            problem = check_fragments(fr, length)
            if problem:
                raise DamagedValue(problem)
    if not (type(layer) is str and layer and type(label) is str and label
            and type(note) is str and type(annotator) is str and type(created) is str
            and type(modified) is str):
        text(layer, "layer", required=True)
        text(label, "label", required=True)
        text(note, "note")
        text(annotator, "annotator")
        text(created, "created")
        text(modified, "modified")
    return fr, {} if attrs == "{}" else json_object(attrs, "attributes")


def relation(row: Sequence[Any]) -> Relation:
    """A relation from the :data:`RELATION_COLUMNS` of its row (its ends' existence is
    :func:`relation_ends`)."""
    pk, document, type_, source, target, attrs = row
    return Relation(pk=pk, document=document, type=text(type_, "type", required=True),
                    source=integer(source, "source span"), target=integer(target, "target span"),
                    attributes=json_object(attrs, "attributes"))


def relation_ends(source: object, target: object, document: object,
                  document_of: Mapping[Any, Any], *, only_this_document: bool = False,
                  self_links: bool = False) -> str | None:
    """Why a relation's ends are wrong (``document_of``: span key -> its document), or None.
    ``only_this_document``: ``document_of`` holds the spans of ``document`` only.
    ``self_links=True`` also calls a relation from a span to itself a problem; by default it is
    not one: import accepts it (as earlier versions did), so a file holding one stays readable
    and sound."""
    for end, what in ((source, "source"), (target, "target")):
        if end not in document_of:
            if only_this_document:
                return f"its {what} span {end!r} is not a span of this document"
            return f"its {what} span {end!r} is missing"
        if document_of[end] != document:
            return f"its {what} span {end} is in another document"
    if self_links and source == target:
        return "it links a span to itself"
    return None


def document_where(pk: object, name: object) -> str:
    """How messages name a document: by name when that is sound, else by key."""
    return f"document {name!r}" if type(name) is str and name else f"document {pk}"


def document_info(row: Sequence[Any], span_count: int = 0) -> DocumentInfo:
    """A document header from the :data:`DOCUMENT_COLUMNS` of its row."""
    pk, name, title, sha, length, meta, status = row
    status = text(status, "status")
    if status not in STATUSES:
        raise DamagedValue(f"status {status!r} is not one of {', '.join(STATUSES)}")
    n = integer(length, "length")
    if n < 0:
        raise DamagedValue(f"length {n} is negative")
    # an empty name is allowed: exporters make every name safe (tests/safety/test_export_safety)
    return DocumentInfo(pk=pk, name=text(name, "name"), title=text(title, "title"),
                        status=status, sha256=text(sha, "sha256"), length=n,
                        meta=json_object(meta, "meta"), span_count=span_count)


def document_with_text(row: Sequence[Any], codec: str) -> tuple[DocumentInfo, str]:
    """A document's header and text from its :data:`DOCUMENT_COLUMNS` followed by
    ``typeof(text)`` and the text as bytes; the text must be as long as recorded."""
    info = document_info(row[:7])
    return info, text_as_recorded(row[7], row[8], codec, info.length)


def text_as_recorded(type_name: object, raw: object, codec: str, length: object) -> str:
    """:func:`stored_text`, which must be as long as its document's recorded ``length``."""
    text = stored_text(type_name, raw, codec)
    if length != len(text):
        raise DamagedValue(f"stored length {length!r} != {len(text)}, the length of its text")
    return text


def doc_annotation(row: Sequence[Any]) -> DocAnnotation:
    """A document-level annotation from the :data:`DOC_ANNOTATION_COLUMNS` of its row."""
    pk, document, layer, label, attrs, annotator, created, modified = row
    return DocAnnotation(pk=integer(pk, "id"), document=integer(document, "document"),
                         layer=text(layer, "layer", required=True),
                         label=text(label, "label", required=True),
                         attributes=json_object(attrs, "attributes"),
                         annotator=text(annotator, "annotator"), created=text(created, "created"),
                         modified=text(modified, "modified"))
