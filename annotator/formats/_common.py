"""Helpers shared by the exchange formats (brat, XMI, doccano, Label Studio).

Not a format: the registry skips modules whose name starts with ``_``.

* :func:`escape_name` / :func:`unescape_name`: a reversible encoding of arbitrary names into the
  restricted alphabets of brat type names and UIMA identifiers. A character outside ``keep`` is
  written as ``<delim><hex code point><delim>``; the delimiter itself as an empty group
  (``<delim><delim>``) when ``literal_delim`` is set.
* :class:`NewlineMap`: normalises ``\\r\\n``/``\\r`` like every importer and moves offsets that
  counted the raw text onto the normalised one.
* :func:`foreign_layer`: the layer for a label named by another tool.
* :func:`check_document_size`: the one per-document size limit (:data:`MAX_DOCUMENT_BYTES` of
  ``_textfile``), for every importer.
* :func:`iter_json_values` / :func:`check_json_value`: JSON from an untrusted file, parsed with
  every failure (bad syntax, nesting, huge numbers, lone surrogates, NaN) as one
  :class:`BadInputError` naming the line.
* :func:`shown`: a value quoted for a one-line message, cut to a readable length.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.formats import _textfile
from annotator.formats._textfile import open_regular, read_file_bytes

__all__ = ["IMPORTED_LAYER", "MAX_JSON_DEPTH", "NewlineMap", "check_document_size",
           "check_json_value", "escape_name", "foreign_layer", "iter_json_values", "json_list",
           "json_name", "load_json",
           "open_regular", "read_file_bytes", "shown", "split_groups", "unescape_name"]

IMPORTED_LAYER = "imported"

_HEX = re.compile(r"[0-9a-f]{1,6}")


def escape_name(name: str, delim: str, keep: str = "", *, literal_delim: bool = False,
                ascii_only: bool = True) -> str:
    """``name`` with every character that is not a letter, digit (ASCII ones only with
    ``ascii_only``) or in ``keep`` escaped.

    With ``literal_delim`` the delimiter is written ``delim * 2``; otherwise it is escaped like
    any other character and an empty group stays free for the caller (brat uses it to separate
    layer and label).
    """
    out = []
    for ch in name:
        if ch == delim:
            out.append(delim * 2 if literal_delim else f"{delim}{ord(ch):x}{delim}")
        elif (ch.isalnum() and (ch.isascii() or not ascii_only)) or ch in keep:
            out.append(ch)
        else:
            out.append(f"{delim}{ord(ch):x}{delim}")
    return "".join(out)


def split_groups(encoded: str, delim: str) -> list[str | None] | None:
    """Decode ``encoded`` into pieces: strings, and ``None`` for each empty group.

    Returns None when a group is unbalanced or not hexadecimal (a name we did not write).
    """
    pieces: list[str | None] = []
    buf: list[str] = []
    i = 0
    while i < len(encoded):
        ch = encoded[i]
        if ch != delim:
            buf.append(ch)
            i += 1
            continue
        j = encoded.find(delim, i + 1)
        if j < 0:
            return None
        group = encoded[i + 1:j]
        if not group:
            pieces.append("".join(buf))
            buf = []
            pieces.append(None)
        elif _HEX.fullmatch(group) and int(group, 16) <= 0x10FFFF:
            buf.append(chr(int(group, 16)))
        else:
            return None
        i = j + 1
    pieces.append("".join(buf))
    return pieces


def unescape_name(encoded: str, delim: str, *, literal_delim: bool = False) -> str | None:
    """Inverse of :func:`escape_name`; None when ``encoded`` is not in that form."""
    pieces = split_groups(encoded, delim)
    if pieces is None:
        return None
    if None in pieces and not literal_delim:
        return None
    return "".join(delim if p is None else p for p in pieces)


class NewlineMap:
    """The stored form of a foreign text that carries offsets, and its offsets on it.

    interfaces.md: structured formats (brat, XMI, doccano, Label Studio…) keep the text
    byte-exact, ``\r\n`` included, so that their offsets — and a re-export — stay valid against
    the original. The stored text is therefore the raw text and offsets map to themselves; the
    class stays the one place that says so (and that a future format with a different newline
    rule would change).
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text = raw

    def to_stored(self, raw_offset: int) -> int:
        return raw_offset


@lru_cache(maxsize=1)
def _default_label_layers() -> dict[str, tuple[str, ...]]:
    from annotator.core.tagset import default_tagset

    found: dict[str, list[str]] = {}
    for layer in default_tagset().layers:
        for label in layer.labels:
            found.setdefault(label.name, []).append(layer.name)
    return {k: tuple(v) for k, v in found.items()}


def foreign_layer(label: str) -> str:
    """The default tagset's layer holding ``label`` when exactly one does, else "imported"."""
    layers = _default_label_layers().get(label, ())
    return layers[0] if len(layers) == 1 else IMPORTED_LAYER


# ------------------------------------------------------------------ untrusted input

#: Deepest nesting of arrays/objects accepted in a JSON record (ours need 5).
MAX_JSON_DEPTH = 64
_SHOWN = 60


def shown(value: object) -> str:
    """``repr(value)`` for a one-line message, at most about 60 characters."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"


def check_document_size(text: str | bytes, path: str | Path | None, line: int | None = None
                        ) -> None:
    """Refuse a document whose text is over the per-document limit (UTF-8 bytes).

    Every importer calls this on each document's text (a JSONL line's ``text``, a CSV cell, a
    brat ``.txt``…), so that the limit is the same whichever way a document comes in.
    """
    limit = _textfile.MAX_DOCUMENT_BYTES
    if isinstance(text, bytes):
        size = len(text)
    elif len(text) * 4 <= limit:  # cannot be over: skip encoding
        return
    else:
        size = len(text.encode("utf-8", "surrogatepass"))
    if size > limit:
        raise _textfile.too_large(size, limit, Path(path) if path is not None else Path("?"),
                                  line)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def check_json_value(obj: Any, path: str | Path | None, line: int | None) -> None:
    """Refuse JSON content that the rest of the program cannot store or show: nesting deeper
    than :data:`MAX_JSON_DEPTH`, strings or keys with unpaired surrogates (``"\\ud800"``), and
    non-finite numbers. Iterative: any depth is safe to check."""
    stack: list[tuple[Any, int]] = [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if not value.isascii() and _has_surrogate(value):
                raise BadInputError(f"the string {shown(value)} contains an unpaired surrogate "
                                    "(not valid Unicode)", path=path, line=line)
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise BadInputError(f"the number {value} is not finite", path=path, line=line)
        elif isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise BadInputError(f"JSON nested too deeply (at most {MAX_JSON_DEPTH} levels)",
                                    path=path, line=line)
            if isinstance(value, dict):
                stack.extend((k, depth) for k in value)
                stack.extend((v, depth + 1) for v in value.values())
            else:
                stack.extend((v, depth + 1) for v in value)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):  # 1e999 and the like overflow to infinity
        raise ValueError(f"the number {literal[:40]} is not finite")
    return value


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)
# what only these can make: a lone surrogate (a \uD800-\uDFFF escape), deep nesting (brackets)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def _check_decoded(value: Any, raw: str, path: str | Path | None, line: int | None) -> None:
    """:func:`check_json_value` for ``value`` just decoded from ``raw`` by :data:`_DECODER`
    (which refuses non-finite numbers itself): the full walk is skipped when ``raw`` cannot hold
    a lone surrogate and the value nests no deeper than the limit (few brackets, or a walk over
    its containers only) — the common case; the full walk visits every string."""
    if ("\\u" not in raw or not _SURROGATE_ESCAPE.search(raw)) and (  # no lone surrogate
            raw.count("[") + raw.count("{") <= MAX_JSON_DEPTH or not _too_deep(value)):
        return
    check_json_value(value, path, line)  # says what is wrong (or finds all is well)


def _too_deep(value: Any) -> bool:
    """True when ``value`` (as the JSON decoder makes it: plain dicts and lists) nests deeper
    than :data:`MAX_JSON_DEPTH`. Visits containers only (no strings): a cheap walk."""
    if type(value) is not dict and type(value) is not list:
        return False
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return True
        for child in (v.values() if type(v) is dict else v):
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return False


_WS = re.compile(r"[ \t\r\n]*")


def _json_error(exc: Exception, text: str, pos: int, path: Path, first_line: int
                ) -> BadInputError:
    """The one-line error for a failure of the JSON decoder on ``text`` at ``pos``."""
    line = first_line + text.count("\n", 0, pos)
    if isinstance(exc, json.JSONDecodeError):
        # named by the line where the value starts; the decoder's own place if elsewhere
        at = first_line + exc.lineno - 1
        where = f"column {exc.colno}" if at == line else f"line {at} column {exc.colno}"
        return BadInputError(f"is not valid JSON ({exc.msg}, {where})", path=path, line=line)
    if isinstance(exc, RecursionError):
        return BadInputError(f"JSON nested too deeply (at most {MAX_JSON_DEPTH} levels)",
                             path=path, line=line)
    # an integer over 4,300 digits, NaN / Infinity
    return BadInputError(f"a number cannot be read ({str(exc).split(';')[0]})", path=path,
                         line=line)


def _decode_at(text: str, pos: int, path: Path) -> tuple[Any, int]:
    """The JSON value starting at ``pos`` and where it ends; every failure a BadInputError."""
    try:
        return _DECODER.raw_decode(text, pos)
    except (ValueError, RecursionError) as exc:
        raise _json_error(exc, text, pos, path, 1) from None


def load_json(text: str, path: Path, line: int) -> Any:
    """The one JSON value of ``text`` (line ``line`` of ``path``), checked with
    :func:`check_json_value`; every failure a BadInputError naming the line."""
    try:
        value = _DECODER.decode(text)
    except (ValueError, RecursionError) as exc:
        raise _json_error(exc, text, 0, path, line) from None
    _check_decoded(value, text, path, line)
    return value


def iter_json_values(text: str, path: Path) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` for each JSON value of ``text``: JSON Lines, values one after another
    (pretty-printed), or the elements of one top-level array. Each value is checked with
    :func:`check_json_value`; ``line`` is where it starts."""
    pos = _WS.match(text).end()  # type: ignore[union-attr]
    line, counted = 1, 0

    def line_at(p: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, p)
        counted = p
        return line

    in_array = text.startswith("[", pos)
    if in_array:
        pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        if text.startswith("]", pos):
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            in_array = False
    while pos < len(text):
        start_line = line_at(pos)
        value, end = _decode_at(text, pos, path)
        _check_decoded(value, text[pos:end], path, start_line)
        yield start_line, value
        pos = _WS.match(text, end).end()  # type: ignore[union-attr]
        if in_array:
            if text.startswith(",", pos):
                pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
                continue
            if not text.startswith("]", pos):
                raise BadInputError("is not valid JSON (expected ',' or ']' after an array "
                                    "element)", path=path, line=line_at(pos))
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            in_array = False
    if in_array:
        raise BadInputError("is not valid JSON (the top-level array is not closed)", path=path,
                            line=line_at(len(text)))


def json_name(value: Any, what: str) -> str:
    """An id, label or type from a foreign JSON file: a non-empty string or an integer (as a
    string); anything else raises ValueError naming ``what``."""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{what} must be a string or an integer, not {shown(value)}")


def json_list(obj: dict[str, Any], key: str, what: str = "") -> list[Any]:
    """``obj[key]`` when it is a list, [] when absent or null; anything else raises ValueError
    (prefixed by ``what`` when given)."""
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        prefix = f"{what}: " if what else ""
        raise ValueError(f'{prefix}"{key}" must be a list, not {shown(value)}')
    return value


def parse_safe_xml(data: bytes, path: Path) -> Any:
    """The root element of an XML file from another tool (BioScope, REFI-QDA); a DTD, entity
    or external reference is refused before parsing, a file that is not XML in one line."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BadInputError(f"refused: the XML declares a DTD or entities ({type(exc).__name__})",
                            path=path) from None
    except DET.ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        raise BadInputError(f"not well-formed XML: {exc}", path=path, line=line) from None
    except (LookupError, ValueError) as exc:
        raise BadInputError(f"not readable XML: {exc}", path=path) from None
