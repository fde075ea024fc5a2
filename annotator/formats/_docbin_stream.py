"""One ``.spacy`` file written chunk by chunk, with memory bounded by a chunk.

spaCy's ``DocBin`` keeps every added document's arrays until ``to_bytes``, which then copies them
all again (a corpus of 50,000 articles needs gigabytes). This writer fills a ``DocBin`` with
:data:`CHUNK` documents, moves its parts to temporary files, and at the end writes exactly what
``DocBin.to_bytes`` writes for all the documents at once: ``zlib(msgpack({version, attrs,
tokens, spaces, lengths, strings, cats, flags, span_groups, user_data}))``, the arrays
concatenated row by row and the lists element by element (msgpack is concatenative), streamed
through one compressor. ``DocBin().from_disk`` reads it as the one DocBin it is
(tests/formats/test_docbin_stream.py compares the decompressed bytes with spaCy's own).
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from pathlib import Path
from typing import IO, Any

CHUNK = 500  # documents held at a time
_PARTS = ("tokens", "spaces", "cats", "flags", "span_groups", "user_data")
_BINARY = ("tokens", "spaces")  # one msgpack bin each; the others are arrays of elements


class DocBinWriter:
    """Add ``Doc`` objects, then :meth:`write` the ``.spacy`` file. Use as a context manager
    (the temporary files go with it)."""

    def __init__(self) -> None:
        from spacy.tokens import DocBin

        self._new = lambda: DocBin(store_user_data=True)
        self._bin = self._new()
        self._tmp = tempfile.TemporaryDirectory(prefix="annotator-docbin-")
        self._files: dict[str, IO[bytes]] = {
            name: (Path(self._tmp.name) / name).open("w+b") for name in _PARTS}
        self._sizes = dict.fromkeys(_PARTS, 0)
        self._counts = dict.fromkeys(_PARTS, 0)
        self._lengths: list[int] = []
        self._strings: set[str] = set()
        self._meta: tuple[str, list[Any]] | None = None

    def __enter__(self) -> DocBinWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        for fh in self._files.values():
            fh.close()
        self._tmp.cleanup()

    def add(self, doc: Any) -> None:
        self._bin.add(doc)
        if len(self._bin.tokens) >= CHUNK:
            self._spill()

    def _spill(self) -> None:
        import numpy
        import srsly  # type: ignore[import-untyped]

        b = self._bin
        self._meta = (b.version, list(b.attrs))
        if b.tokens:
            self._put("tokens", numpy.vstack(b.tokens).tobytes("C"))
            self._put("spaces", numpy.vstack(b.spaces).tobytes("C"))
        self._lengths += [len(t) for t in b.tokens]
        self._strings |= b.strings
        for name, items in (("cats", b.cats), ("flags", b.flags), ("span_groups", b.span_groups),
                            ("user_data", b.user_data)):
            for item in items:
                self._put(name, srsly.msgpack_dumps(item))
            self._counts[name] += len(items)
        self._bin = self._new()

    def _put(self, name: str, data: bytes) -> None:
        self._files[name].write(data)
        self._sizes[name] += len(data)

    def write(self, out: Path) -> None:
        import numpy
        import srsly

        self._spill()
        assert self._meta is not None
        version, attrs = self._meta
        comp = zlib.compressobj()
        with out.open("wb") as fh:
            def emit(data: bytes) -> None:
                fh.write(comp.compress(data))

            def key(name: str) -> None:
                emit(srsly.msgpack_dumps(name))

            def part(name: str) -> None:
                src = self._files[name]
                src.flush()
                src.seek(0)
                while block := src.read(1 << 20):
                    emit(block)

            emit(b"\x8a")  # a map of 10 entries, in DocBin.to_bytes's order
            key("version")
            emit(srsly.msgpack_dumps(version))
            key("attrs")
            emit(srsly.msgpack_dumps(attrs))
            for name in _BINARY:
                key(name)
                emit(_bin_header(self._sizes[name]))
                part(name)
            key("lengths")
            emit(srsly.msgpack_dumps(numpy.asarray(self._lengths, dtype="int32").tobytes("C")))
            key("strings")
            emit(srsly.msgpack_dumps(sorted(self._strings)))
            for name in ("cats", "flags", "span_groups", "user_data"):
                key(name)
                emit(_array_header(self._counts[name]))
                part(name)
            fh.write(comp.flush())


def _bin_header(n: int) -> bytes:
    if n < 1 << 8:
        return struct.pack(">BB", 0xC4, n)
    if n < 1 << 16:
        return struct.pack(">BH", 0xC5, n)
    return struct.pack(">BI", 0xC6, n)


def _array_header(n: int) -> bytes:
    if n < 16:
        return bytes([0x90 | n])
    if n < 1 << 16:
        return struct.pack(">BH", 0xDC, n)
    return struct.pack(">BI", 0xDD, n)
