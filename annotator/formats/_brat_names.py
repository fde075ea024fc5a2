"""brat names, attribute values and notes (see :mod:`annotator.formats.brat`).

Not a format: the registry skips modules whose name starts with ``_``.

A name is written as it is unless brat's grammar cannot hold one of its characters: white space
(it separates the fields of a line), and ``, | = : ; < > ! #`` (separators of ``.ann`` argument
lists and of ``annotation.conf``). Such a character ``c`` is written ``-<hex of c>-``. Reading
undoes an escape only when the decoded name holds such a character, or when the name is in the
fully escaped form earlier versions wrote (every character but letters, digits and ``_``
escaped): a foreign ``Cause-effect`` or ``phase-2-drug`` is read as it is.
An entity type of one of our layers is the label alone when reading it back gives that layer
(``ORG`` → layer ``imported``, ``hedge`` → ``hedging``), else ``<layer>--<label>`` in the full
form (the empty group ``--`` separates).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from annotator.core.model import Fragments
from annotator.formats._common import escape_name, foreign_layer, split_groups, unescape_name

DELIM = "-"
KEEP = "_"
JSON_MARK = "-j-"
_UNSAFE = frozenset(",|=:;<>!#")


def _unsafe(ch: str) -> bool:
    return ch.isspace() or ch in _UNSAFE


def _minimal(name: str, unsafe: Callable[[str], bool] = _unsafe) -> str:
    if name.isalnum():
        return name
    return "".join(f"{DELIM}{ord(c):x}{DELIM}" if unsafe(c) else c for c in name)


def _full(name: str) -> str:
    return escape_name(name, DELIM, KEEP, ascii_only=False)


def decode_name(raw: str, unsafe: Callable[[str], bool] = _unsafe) -> str:
    """The name a brat type, role or attribute name stands for (see the module docstring)."""
    if DELIM not in raw:
        return raw
    decoded = unescape_name(raw, DELIM)
    if decoded is None or decoded == raw:
        return raw
    if any(unsafe(c) for c in decoded) and _minimal(decoded, unsafe) == raw:
        return decoded
    if _full(decoded) == raw and (DELIM in decoded or any(unsafe(c) for c in decoded)):
        return decoded
    return raw


@lru_cache(maxsize=4096)  # the same few names for every span and attribute
def encode_name(name: str, unsafe: Callable[[str], bool] = _unsafe) -> str:
    """The brat form of ``name``: as it is where brat can hold it; ``decode_name`` inverts it."""
    minimal = _minimal(name, unsafe)
    return minimal if decode_name(minimal, unsafe) == name else _full(name)


@lru_cache(maxsize=4096)
def entity_type(layer: str, label: str) -> str:
    bare = encode_name(label)
    if decode_entity_type(bare) == (layer, label):
        return bare
    return f"{_full(layer)}--{_full(label)}"


def decode_entity_type(name: str) -> tuple[str, str]:
    """``(layer, label)`` of a brat entity or event type."""
    if "--" in name:
        pieces = split_groups(name, DELIM)
        if (pieces is not None and len(pieces) == 3 and pieces[1] is None and pieces[0]
                and pieces[2]):
            return str(pieces[0]), str(pieces[2])
    label = decode_name(name)
    return foreign_layer(label), label


def _unsafe_value(ch: str) -> bool:
    return ch.isspace()  # brat reads the rest of the line's field as the value


def encode_value(value: Any) -> str:
    """An attribute value: a non-empty string as it is (white space escaped), anything else
    as ``-j-`` + its escaped JSON."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # (not float: -0.0 == 0.0)
        return _encode_scalar(value)
    return _encode_value(value)


@lru_cache(maxsize=4096, typed=True)  # typed: True and 1 are two values
def _encode_scalar(value: str | int | None) -> str:
    return _encode_value(value)


def _encode_value(value: Any) -> str:
    if isinstance(value, str) and value and not value.startswith(JSON_MARK):
        return encode_name(value, _unsafe_value)
    return JSON_MARK + _full(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def decode_value(raw: str) -> Any:
    """Inverse of :func:`encode_value`; raises ValueError for a malformed ``-j-`` value."""
    if raw.startswith(JSON_MARK):
        decoded = unescape_name(raw[len(JSON_MARK):], DELIM)
        if decoded is None:
            raise ValueError(f"malformed encoded value {raw!r}")
        return json.loads(decoded)
    return decode_name(raw, _unsafe_value)


def escape_note(note: str) -> str:
    """A note on one line: newline and tab as ``\\n`` and ``\\t``, a backslash before one of
    those (or at the end) doubled; any other backslash is written as it is."""
    return re.sub(r"\\(?=[nt\\]|$)", r"\\\\", note).replace("\n", "\\n").replace("\t", "\\t")


def unescape_note(raw: str) -> str:
    """Inverse of :func:`escape_note`; a foreign note's other backslashes stay as they are."""
    if "\\" not in raw:
        return raw
    return re.sub(r"\\([nt\\])|\\$",
                  lambda m: {"n": "\n", "t": "\t", "\\": "\\"}.get(m.group(1) or "", "\\"), raw)


_LINE_BREAKS = re.compile(r"[\n\r\t\v\f\x1c-\x1e\x85\u2028\u2029]")


def shown_text(text: str, fragments: Fragments) -> str:
    """The T line's text field: fragments joined by a space, newlines and tabs as spaces."""
    if len(fragments) == 1:
        ((start, end),) = fragments
        joined = text[start:end]
    else:
        joined = " ".join(text[s:e] for s, e in fragments)
    return _LINE_BREAKS.sub(" ", joined)
