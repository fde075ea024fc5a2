"""Shared reading step of the text-like importers: bytes → stored text."""

from __future__ import annotations

from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.core.text import decode_bytes, normalize_newlines
from annotator.formats.registry import ReadOptions

#: Largest single document the text-like importers accept (bytes on disk). A news article is a
#: few kilobytes; a file this large is almost surely not one document, and would not be usable
#: in the editor.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def check_size(path: Path) -> None:
    """Refuse a file larger than :data:`MAX_DOCUMENT_BYTES` before reading it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadInputError(f"cannot read the file: {exc.strerror}", path=path) from None
    if size > MAX_DOCUMENT_BYTES:
        raise BadInputError(
            f"is too large for one document ({size / 2**20:.0f} MB; at most "
            f"{MAX_DOCUMENT_BYTES // 2**20} MB)", path=path,
            hint="split it into several files, one per article")


def read_text(path: Path, options: ReadOptions, *, declared: str | None = None) -> str:
    """The decoded, newline-normalised content of ``path``.

    ``declared`` is an encoding named by the file itself (an HTML ``<meta charset>``); it is used
    when no encoding is forced and the bytes decode with it, otherwise detection decides.
    """
    check_size(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInputError(f"cannot read the file: {exc.strerror}", path=path) from None
    encoding = options.encoding
    if encoding is None and declared is not None and not data.startswith(
            (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and text.strip():
            return normalize_newlines(text)
    text, _ = decode_bytes(data, path, encoding=encoding, warn=options.warn)
    return normalize_newlines(text)
