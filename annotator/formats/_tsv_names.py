"""Names, escaping and value formatting shared by WebAnno TSV reading and writing.

Not a format: the registry skips modules whose name starts with ``_``. See
:mod:`annotator.formats.webanno_tsv`.
"""

from __future__ import annotations

import re
from typing import Any

FORMAT_LINE = "#FORMAT=WebAnno TSV 3.3"
PREFIX = "webanno.custom."
FRAGMENT_OF = "fragment_of"

_VALUE_ESC = re.compile(r"\\|\[|\]|\||_|->|;|\*|\t|\n|\r")
_TEXT_ESC = re.compile(r"[\\\t\r]")
_CTRL = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def escape_value(value: str) -> str:
    """A feature value with the reserved characters escaped."""
    return _VALUE_ESC.sub(lambda m: _CTRL.get(m.group(), "\\" + m.group()), value)


def escape_text(text: str) -> str:
    """Sentence or token text for ``#Text=`` lines and the token column."""
    return _TEXT_ESC.sub(lambda m: _CTRL.get(m.group(), "\\" + m.group()), text)


def format_value(value: Any) -> str:
    """A feature cell: ``*`` for unset/empty, booleans as ``true``/``false``, lists joined by
    commas, everything escaped."""
    if value is None or value == "" or value == []:
        return "*"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return escape_value(",".join(str(v) for v in value))
    return escape_value(str(value))


def _camel(name: str) -> str:
    parts = re.split(r"[^0-9A-Za-z]+", name)
    out = "".join(p[:1].upper() + p[1:] for p in parts if p)
    if not out or out[0].isdigit():
        out = "L" + out
    return out


def feature_name(name: str) -> str:
    """An attribute name as a UIMA feature name that the TSV header cannot misread."""
    out = re.sub(r"[^0-9A-Za-z_]", "_", name) or "f"
    if out[0].isdigit() or out.startswith(("ROLE_", "BT_")):
        out = "f_" + out
    return out


_TEXT_UNESC = re.compile(r"\\([\\tnfrb]|[\x00-\x07\x0e-\x1f])")
_TEXT_CTRL = {"t": "\t", "n": "\n", "f": "\f", "r": "\r", "b": "\b", "\\": "\\"}
_VALUE_UNESC = re.compile(r"\\(->|[\\\[\]|_;*tnr])")
_VALUE_CTRL = {"t": "\t", "n": "\n", "r": "\r"}


def unescape_text(text: str) -> str:
    return _TEXT_UNESC.sub(lambda m: _TEXT_CTRL.get(m.group(1), m.group(1)), text)


def unescape_value(value: str) -> str:
    return _VALUE_UNESC.sub(lambda m: _VALUE_CTRL.get(m.group(1), m.group(1)), value)


def split_unescaped(value: str, sep: str) -> list[str]:
    """``value`` split at each ``sep`` not preceded by an odd number of backslashes."""
    out, start, i = [], 0, 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            i += 2
            continue
        if ch == sep:
            out.append(value[start:i])
            start = i + 1
        i += 1
    out.append(value[start:])
    return out


def suffix_id(value: str) -> tuple[str, str | None]:
    """``(value, "N")`` for ``value[N]``; the bracket must not be escaped."""
    if value.endswith("]") and not value.endswith("\\]"):
        at = value.rfind("[")
        while at > 0 and value[at - 1] == "\\":
            at = value.rfind("[", 0, at - 1)
        if at >= 0:
            return value[:at], value[at + 1:-1]
    return value, None
