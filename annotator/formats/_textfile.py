"""Shared reading step of the importers: opening a path safely, bytes → stored text.

Every file an importer opens goes through :func:`open_regular`: a named pipe, socket or device is
refused before anything is read (opening a FIFO would otherwise wait forever, and a device such as
``/dev/zero`` never ends), and reads are bounded by a size limit checked on the open file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from annotator.core.errors import BadInputError
from annotator.core.text import decode_bytes, normalize_newlines
from annotator.formats.registry import ReadOptions

#: Largest single document any importer accepts (bytes of its text, UTF-8). A news article is a
#: few kilobytes; a text this large is almost surely not one document, and would not be usable
#: in the editor. Read at call time (tests lower it).
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024

#: A file that holds many documents (CSV, doccano, Label Studio) may be this many times larger.
MANY_DOCUMENTS_FACTOR = 4

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a folder"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for binary reading; refuses anything but a regular file.

    The file is opened without blocking (a FIFO with no writer would hang ``open``) and its type
    is checked on the open descriptor, so a path swapped between check and open is caught too.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise BadInputError("is a folder, not a file", path=path) from None
    except OSError as exc:
        raise BadInputError(f"cannot read the file: {exc.strerror}", path=path) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise BadInputError(f"is {_kind(mode)}, not a regular file; refused", path=path)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def too_large(size: int, limit: int, path: Path, line: int | None = None,
              what: str = "one document") -> BadInputError:
    """The error for ``size`` bytes over ``limit``."""
    shown = f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size:,} bytes"
    cap = f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit:,} bytes"
    return BadInputError(f"is too large for {what} ({shown}; at most {cap}): split it into "
                         "several files", path=path, line=line)


def read_file_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of regular file ``path``; refuses more than ``limit`` (default
    :data:`MAX_DOCUMENT_BYTES`) without reading them."""
    what = "one document" if limit is None else "one import file"
    limit = MAX_DOCUMENT_BYTES if limit is None else limit
    with open_regular(path) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            if size > limit:
                raise too_large(size, limit, path, what=what)
            data = fh.read(limit + 1)
        except OSError as exc:
            raise BadInputError(f"cannot read the file: {exc.strerror}", path=path) from None
    if len(data) > limit:  # grew while reading
        raise too_large(len(data), limit, path, what=what)
    return data


def check_size(path: Path) -> None:
    """Refuse a file larger than :data:`MAX_DOCUMENT_BYTES` before reading it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadInputError(f"cannot read the file: {exc.strerror}", path=path) from None
    if size > MAX_DOCUMENT_BYTES:
        raise too_large(size, MAX_DOCUMENT_BYTES, path)


def read_text(path: Path, options: ReadOptions, *, declared: str | None = None,
              many: bool = False) -> str:
    """The decoded, newline-normalised content of ``path``.

    ``declared`` is an encoding named by the file itself (an HTML ``<meta charset>``); it is used
    when no encoding is forced and the bytes decode with it, otherwise detection decides.
    ``many``: the file holds many documents (CSV) and may be :data:`MANY_DOCUMENTS_FACTOR` times
    larger than one; each document is then checked by the caller.
    """
    data = read_file_bytes(path, MAX_DOCUMENT_BYTES * MANY_DOCUMENTS_FACTOR if many else None)
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
