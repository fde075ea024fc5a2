"""Refusing control characters that no name or text of an exchange format means.

A label, technique, attribute value, user or ID read from a file is a *name*: any control
character in it (NUL, BEL, escape, C1 controls…; a tab only where the format's fields cannot
hold one anyway) is refused, with the file and line, instead of being stored and shown as an
invisible difference ("Loaded\\x00Language" is not "Loaded_Language" and matches nothing). A
document's *text* may hold tabs, line ends and form feeds, but a NUL means the bytes are not the
text they claim to be (UTF-16 read as Latin-1, a binary file): refused too.
"""

from __future__ import annotations

import re
from pathlib import Path

from annotator.core.errors import BadInputError

_NAME_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_SHOWN = 40


def _shown(value: str) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN - 1] + "…"


def check_name(value: str, what: str, path: Path, line: int | None = None) -> str:
    """``value`` unchanged, or :class:`BadInputError` when it holds a control character (a
    tab is allowed: the caller's format has already split on it where it separates fields)."""
    m = _NAME_CONTROL.search(value)
    if m is not None:
        raise BadInputError(f"{what} {_shown(value)} holds the control character "
                            f"U+{ord(m.group()):04X}; refused", path=path, line=line)
    return value


def check_text(text: str, what: str, path: Path, line: int | None = None) -> str:
    """``text`` unchanged, or :class:`BadInputError` when it holds a NUL character."""
    at = text.find("\x00")
    if at >= 0:
        raise BadInputError(f"{what} holds a NUL character (at character {at}): not text "
                            "(UTF-16 or a binary file?); refused", path=path, line=line)
    return text
