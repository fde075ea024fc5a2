"""brat names, attribute values and notes, escaped reversibly (see :mod:`annotator.formats.brat`).

Not a format: the registry skips modules whose name starts with ``_``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from annotator.core.model import Fragments
from annotator.formats._common import escape_name, foreign_layer, split_groups, unescape_name

DELIM = "-"
KEEP = "_"
JSON_MARK = "-j-"



def encode_name(name: str) -> str:
    return escape_name(name, DELIM, KEEP, ascii_only=False)


def entity_type(layer: str, label: str) -> str:
    return f"{encode_name(layer)}--{encode_name(label)}"


def decode_entity_type(name: str) -> tuple[str, str]:
    """``(layer, label)`` of a brat entity type."""
    pieces = split_groups(name, DELIM)
    if pieces is not None and len(pieces) == 3 and pieces[1] is None and pieces[0] and pieces[2]:
        return str(pieces[0]), str(pieces[2])
    label = unescape_name(name, DELIM)
    label = name if label is None else label
    return foreign_layer(label), label


def decode_name(name: str) -> str:
    decoded = unescape_name(name, DELIM)
    return name if decoded is None else decoded


def encode_value(value: Any) -> str:
    if isinstance(value, str) and value:
        return encode_name(value)
    return JSON_MARK + encode_name(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def decode_value(raw: str) -> Any:
    """Inverse of :func:`encode_value`; raises ValueError for a malformed ``-j-`` value."""
    if raw.startswith(JSON_MARK):
        decoded = unescape_name(raw[len(JSON_MARK):], DELIM)
        if decoded is None:
            raise ValueError(f"malformed encoded value {raw!r}")
        return json.loads(decoded)
    return decode_name(raw)


def escape_note(note: str) -> str:
    return note.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def unescape_note(raw: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), raw)


def shown_text(text: str, fragments: Fragments) -> str:
    """The T line's text field: fragments joined by a space, newlines and tabs as spaces."""
    joined = " ".join(text[s:e] for s, e in fragments)
    return re.sub(r"[\n\r\t\v\f\x1c-\x1e\x85\u2028\u2029]", " ", joined)


