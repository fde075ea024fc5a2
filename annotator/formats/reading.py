"""Reading import inputs (files and folders, any registered format) completely, before any
write: the basis of "an import is all or nothing per file". Used by the CLI and the GUI."""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from annotator.core.errors import AnnotatorError, BadInputError, Cancelled, UnknownFormatError
from annotator.core.model import CorpusDocument
from annotator.formats._archive import safe_extract
from annotator.formats._textfile import open_regular
from annotator.formats.registry import (
    Format,
    ReadOptions,
    format_for_path,
    get_format,
    iter_input_files,
)


def read_inputs(paths: Sequence[str], fmt: str, annotator: str,
                warn: Callable[[str], None], *, encoding: str | None = None,
                text_column: str | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None
                ) -> list[tuple[Path, list[CorpusDocument]]]:
    """Read every input completely before anything is written: (file, documents) pairs.

    ``progress(done, total)`` is told after each file (total counts the files found under the
    inputs); ``cancelled()`` is asked before each file and stops with :class:`Cancelled`."""
    if encoding is not None:
        check_encoding(encoding, paths[0] if paths else None)
    options = ReadOptions(annotator=annotator, warn=warn, encoding=encoding,
                          text_column=text_column)
    batches: list[tuple[Path, list[CorpusDocument]]] = []
    total = sum(1 if Path(p).is_file() else sum(1 for _ in iter_input_files(Path(p)))
                for p in paths if Path(p).exists())
    done = 0

    def add(path: Path, docs: list[CorpusDocument]) -> None:
        """Record one file's documents; report progress; stop if the user cancelled."""
        nonlocal done
        batches.append((path, docs))
        done += 1
        if progress is not None:
            progress(min(done, total), total)
        if cancelled is not None and cancelled():
            raise Cancelled("import cancelled; nothing was imported")

    if cancelled is not None and cancelled():
        raise Cancelled("import cancelled; nothing was imported")
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise BadInputError("no such file or folder", path=path)
        if not path.is_dir():
            open_regular(path).close()  # a FIFO, socket or device is refused, never opened
        if path.is_file() and path.suffix.lower() == ".zip":
            for inner, docs in _read_archive(path, fmt, annotator, warn, encoding, text_column):
                add(inner, docs)
            continue
        if fmt != "auto":
            reader = get_format(fmt)
            if not reader.can_read:
                raise UnknownFormatError(f"format {fmt!r} cannot be imported")
            if path.is_dir() and not reader.directory:
                for f in iter_input_files(path):
                    add(f, list(reader.read(f, options)))
            else:
                add(path, list(reader.read(path, options)))
            continue
        if path.is_dir():
            try:
                reader = format_for_path(path)
                add(path, list(reader.read(path, options)))
                continue
            except UnknownFormatError:
                pass
            for f in iter_input_files(path):
                try:
                    reader = _reader_for(f)
                except UnknownFormatError:
                    warn(f"{f}: skipped (unknown file type)")
                    continue
                add(f, list(reader.read(f, options)))
        else:
            add(path, list(_reader_for(path).read(path, options)))
    return batches


def _reader_for(path: Path) -> Format:
    """The reader for one file: by its extension, but a ``.tsv`` that starts with the WebAnno
    TSV format line is WebAnno TSV, not a CSV table."""
    if path.suffix.lower() == ".tsv":
        from annotator.formats.webanno_tsv import is_webanno_tsv

        if is_webanno_tsv(path):
            return get_format("webanno-tsv")
    return format_for_path(path)


def check_encoding(name: str, path: str | Path | None) -> None:
    """Refuse an ``--encoding`` that Python does not know as a text encoding (``rot13`` and
    ``base64`` are codecs too, but not ones that decode bytes to text)."""
    try:
        text_codec = getattr(codecs.lookup(name), "_is_text_encoding", True)
    except (LookupError, ValueError, TypeError):
        text_codec = False
    if not text_codec:
        raise BadInputError(f"unknown text encoding {name[:40]!r} given with --encoding",
                            path=path)


def _read_archive(archive: Path, fmt: str, annotator: str, warn: Callable[[str], None],
                  encoding: str | None, text_column: str | None
                  ) -> list[tuple[Path, list[CorpusDocument]]]:
    """A ZIP archive is imported like the folder it holds; messages name ``archive!entry``."""
    with tempfile.TemporaryDirectory(prefix="annotator-zip-") as tmp:
        root = safe_extract(archive, Path(tmp))

        def rename(p: str | Path | None) -> str | None:
            if p is None:
                return None
            text = str(p)
            return text.replace(tmp, f"{archive}!", 1) if text.startswith(tmp) else text

        try:
            batches = read_inputs([str(root)], fmt, annotator,
                                  lambda msg: warn(msg.replace(tmp, f"{archive}!")),
                                  encoding=encoding, text_column=text_column)
        except AnnotatorError as exc:
            exc.path = rename(exc.path)
            raise
        out: list[tuple[Path, list[CorpusDocument]]] = []
        for path, docs in batches:
            for d in docs:
                d.source_path = rename(d.source_path)
            out.append((Path(rename(path) or str(archive)), docs))
        return out
