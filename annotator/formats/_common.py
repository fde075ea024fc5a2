"""Helpers shared by the exchange formats (brat, XMI, doccano, Label Studio).

Not a format: the registry skips modules whose name starts with ``_``.

* :func:`escape_name` / :func:`unescape_name`: a reversible encoding of arbitrary names into the
  restricted alphabets of brat type names and UIMA identifiers. A character outside ``keep`` is
  written as ``<delim><hex code point><delim>``; the delimiter itself as an empty group
  (``<delim><delim>``) when ``literal_delim`` is set.
* :class:`NewlineMap`: normalises ``\\r\\n``/``\\r`` like every importer and moves offsets that
  counted the raw text onto the normalised one.
* :func:`foreign_layer`: the layer for a label named by another tool.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from annotator.core.text import normalize_newlines

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
    """The stored form of a foreign text and the mapping of its raw offsets onto it.

    Only ``\\r\\n`` shortens the text (by one per pair); a raw offset that falls between ``\\r``
    and ``\\n`` maps to the position of the ``\\n``.
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text = normalize_newlines(raw) if "\r" in raw else raw
        # raw indices of the "\r" of each "\r\n" pair
        self._dropped = [m.start() for m in re.finditer("\r\n", raw)] if "\r" in raw else []

    def to_stored(self, raw_offset: int) -> int:
        return raw_offset - bisect_left(self._dropped, raw_offset)


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
