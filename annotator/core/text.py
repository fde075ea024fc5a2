"""Turning imported bytes into stored text, and names into safe file names.

Contracts (see docs/interfaces.md, "Offsets"):

* :func:`decode_bytes` returns the decoded text and the encoding used, or raises
  :class:`BadInputError` for empty, binary or undecodable data. Order: byte-order mark; strict
  UTF-8; BOM-less UTF-16 when the NUL pattern is unmistakable; Windows-1252 when it reads as
  plausible Latin-script text; else the encoding charset-normalizer guesses. A guess
  made on little evidence is reported through ``warn``, never silently.
* :func:`normalize_newlines` maps ``\\r\\n`` and ``\\r`` to ``\\n`` and changes nothing else.
* :func:`sha256_text` is the document hash: hex SHA-256 of the stored text's UTF-8 bytes.
* :func:`safe_filename` makes a name usable on Windows, macOS and Linux and unique among ``taken``.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from annotator.core.errors import BadInputError

Warn = Callable[[str], None]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Guesses from fewer non-ASCII bytes than this are reported to the user as uncertain.
FEW_BYTES = 32
#: Control characters (other than tab, newline, carriage return, form feed) above this share
#: of the text mark it as binary.
MAX_CONTROL_RATIO = 0.01

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")  # \x1a: DOS end-of-file marker
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _ignore(message: str) -> None:
    """Default ``warn``: drop the message."""


def decode_bytes(data: bytes, path: str | Path | None = None, *, encoding: str | None = None,
                 warn: Warn | None = None) -> tuple[str, str]:
    """Decode ``data`` read from ``path``; return ``(text, encoding)``.

    ``encoding`` forces a codec (a BOM of that codec is still dropped). ``warn`` receives a
    one-line message when the encoding had to be guessed from little evidence. Newlines are left
    as they are (see :func:`normalize_newlines`). Raises :class:`BadInputError` when the data is
    empty, binary, or not decodable.
    """
    warn = warn or _ignore
    if not data:
        raise BadInputError("the file is empty", path=path)
    if encoding is not None:
        text, used = _decode_forced(data, encoding, path)
    else:
        text, used = _detect(data, path, warn)
    if not text:
        raise BadInputError("the file contains no text (only a byte-order mark)", path=path)
    _refuse_binary_text(text, path)
    return text, used


def _decode_forced(data: bytes, encoding: str, path: str | Path | None) -> tuple[str, str]:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise BadInputError(f"unknown encoding {encoding!r}", path=path) from None
    for bom, bom_codec in _BOMS:
        if data.startswith(bom) and codecs.lookup(bom_codec).name.startswith(name.split("-")[0]):
            data = data[len(bom):]
            break
    try:
        return data.decode(name), name
    except UnicodeDecodeError as exc:
        raise BadInputError(f"cannot be decoded as {name}: {exc.reason} at byte {exc.start}",
                            path=path, line=data.count(b"\n", 0, exc.start) + 1) from None


def _detect(data: bytes, path: str | Path | None, warn: Warn) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), codec
            except UnicodeDecodeError as exc:
                raise BadInputError(f"starts with a {codec} byte-order mark but is not valid "
                                    f"{codec} ({exc.reason} at byte {exc.start + len(bom)})",
                                    path=path) from None
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data:
        raise BadInputError("looks like a binary file (contains NUL bytes), not text", path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if valid and valid >= _count_invalid_utf8(data):
        line = data.count(b"\n", 0, utf8_error.start) + 1
        raise BadInputError(f"invalid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}); the "
                            "file looks like damaged UTF-8", path=path, line=line,
                            hint="repair the file, or give the encoding explicitly")
    return _guess_legacy(data, path, warn)


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without BOM when NULs sit almost only at odd (LE) or even (BE) positions."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    for codec, nuls, other in (("utf-16-le", odd_nuls, even_nuls),
                               ("utf-16-be", even_nuls, odd_nuls)):
        if nuls >= 0.3 * half and other <= 0.02 * half:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None
    return None


def _count_invalid_utf8(data: bytes) -> int:
    return data.decode("utf-8", errors="replace").count("\ufffd") - data.count(
        "\ufffd".encode())


def _guess_legacy(data: bytes, path: str | Path | None, warn: Warn) -> tuple[str, str]:
    """Windows-1252 when it reads as plausible Latin-script text, else charset-normalizer."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and _plausible_latin(text):
        chosen = "cp1252"
    else:
        text, chosen = _charset_normalizer(data, path)
    non_ascii = sum(1 for b in data if b > 0x7F)
    if non_ascii < FEW_BYTES:
        where = f"{path}: " if path is not None else ""
        warn(f"{where}not UTF-8; guessed {chosen} from only {non_ascii} non-ASCII bytes — "
             "check accented letters and quotes, or give the encoding explicitly")
    return text, chosen


def _plausible_latin(text: str) -> bool:
    """Accented letters and typographic punctuation only, accented letters a minority (mojibake
    of Cyrillic or Greek in Windows-1252 is almost all accented letters)."""
    letters = accented = odd = 0
    for ch in text:
        if ch < "\x80":
            letters += ch.isalpha()
        elif ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN"):
            letters += 1
            accented += 1
        elif ch not in _LATIN_PUNCTUATION:
            odd += 1
    return odd == 0 and accented <= 0.4 * max(letters, 1)


_LATIN_PUNCTUATION = frozenset("\u00a0“”‘’„‚–—…«»‹›•°€£¥¢©®™§¶·×÷¡¿½¼¾†‡")


def _charset_normalizer(data: bytes, path: str | Path | None) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BadInputError("cannot be decoded: not UTF-8 and no known encoding fits",
                            path=path, hint="give the encoding explicitly")
    return str(best), best.encoding


def _refuse_binary_text(text: str, path: str | Path | None) -> None:
    sample = text[:100_000]
    controls = sum(1 for ch in sample
                   if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)
    if "\x00" in sample or controls > MAX_CONTROL_RATIO * len(sample):
        raise BadInputError("looks like a binary file (too many control characters), not text",
                            path=path)


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha256_of(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of a stored document's text: what matches documents
    across files (a lone surrogate, which no stored text holds, raises)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_text(text: str) -> str:
    """Hex SHA-256 of the UTF-8 bytes of ``text`` (the stored, normalised text)."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def first_line_title(text: str, limit: int = 200) -> str:
    """The first non-empty line of ``text``, trimmed and cut to ``limit`` characters."""
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"
    return ""


# --- file names -------------------------------------------------------------------------------

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]')
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                      *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10)),
                      *(f"COM{c}" for c in "¹²³"), *(f"LPT{c}" for c in "¹²³")})
#: Names are cut to this many UTF-8 bytes, leaving room for a suffix and an extension within
#: the usual 255-byte limit.
MAX_NAME_BYTES = 120


class TakenNames(set[str]):
    """The names given so far, with their comparison keys kept beside them, so that each new
    :func:`safe_filename` costs the same however many names were given before (a plain set is
    accepted too, at a cost growing with its size)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        super().__init__()
        self.keys: set[str] = set()
        for n in names:
            self.add(n)

    def add(self, name: str) -> None:
        super().add(name)
        self.keys.add(_key(name))


def safe_filename(name: str, taken: set[str]) -> str:
    """A file-system-safe version of ``name`` not in ``taken`` (compared case-insensitively and
    after Unicode NFC, as Windows and macOS do); the result is added to ``taken``.

    Path separators, ``<>:"|?*``, control and bidi-override characters become ``_``; ``..`` runs,
    leading dots and spaces, trailing dots and spaces are removed; Windows device names (CON,
    NUL, COM1…) get a ``_`` prefix; an empty result becomes ``unnamed``; long names are cut to
    :data:`MAX_NAME_BYTES` UTF-8 bytes. Collisions get ``-2``, ``-3``… appended.
    """
    base = _FORBIDDEN.sub("_", unicodedata.normalize("NFC", name))
    base = re.sub(r"\.{2,}", ".", base)
    base = re.sub(r"\s+", " ", base).strip(" .")
    base = _cut(base, MAX_NAME_BYTES).rstrip(" .")
    if not base:
        base = "unnamed"
    if base.split(".")[0].rstrip(" ").upper() in _DEVICES:
        base = "_" + base
    keys = taken.keys if isinstance(taken, TakenNames) else {_key(t) for t in taken}
    candidate, n = base, 1
    while _key(candidate) in keys:
        n += 1
        suffix = f"-{n}"
        candidate = _cut(base, MAX_NAME_BYTES - len(suffix)).rstrip(" .") + suffix
    taken.add(candidate)
    return candidate


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _cut(name: str, max_bytes: int) -> str:
    """``name`` cut to at most ``max_bytes`` UTF-8 bytes, not inside a combining sequence."""
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    out = name.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")
    while out and (unicodedata.combining(out[-1]) or out[-1] in "\u200d\ufe0f"):
        out = out[:-1]
    # drop a base character whose combining marks were cut off
    if len(out) < len(name) and unicodedata.combining(name[len(out)]):
        out = out[:-1]
    return out
