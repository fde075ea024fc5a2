"""Reading import inputs (files and folders, any registered format). Used by the CLI and the GUI.

:func:`iter_documents` yields documents as the files are read, for an import that inserts them
as it goes inside its one transaction (a bad line anywhere still refuses the whole import: the
transaction is rolled back). :func:`read_inputs` reads everything first, file by file."""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Callable, Iterator, Sequence
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

Warn = Callable[[str], None]
NOTHING = ("nothing to import: no file of a format Annotator reads was found "
           "(see: annotator import --help)")


def read_inputs(paths: Sequence[str], fmt: str, annotator: str,
                warn: Warn, *, encoding: str | None = None,
                text_column: str | None = None,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None
                ) -> list[tuple[Path, list[CorpusDocument]]]:
    """Read every input completely before anything is written: (file, documents) pairs.

    ``progress(done, total)`` is told after each file (total counts the files found under the
    inputs); ``cancelled()`` is asked before each file and stops with :class:`Cancelled`."""
    batches: list[tuple[Path, list[CorpusDocument]]] = []
    for path, docs in _files(paths, fmt, annotator, warn, encoding, text_column, progress,
                             cancelled):
        batches.append((path, list(docs)))
    return batches


def iter_documents(paths: Sequence[str], fmt: str, annotator: str, warn: Warn, *,
                   encoding: str | None = None, text_column: str | None = None,
                   progress: Callable[[int, int], None] | None = None
                   ) -> Iterator[CorpusDocument]:
    """Every input's documents, one at a time as they are read (memory: one file's reader, not
    the corpus). Raises :class:`BadInputError` at the end when no file of a known format was
    found, so that a consumer inside a transaction rolls it back."""
    files = 0
    for _, docs in _files(paths, fmt, annotator, warn, encoding, text_column, progress, None):
        files += 1
        yield from docs
    if files == 0:  # an empty folder, or only files of no known type
        raise BadInputError(NOTHING, path=paths[0] if len(paths) == 1 else None)


def _files(paths: Sequence[str], fmt: str, annotator: str, warn: Warn,
           encoding: str | None, text_column: str | None,
           progress: Callable[[int, int], None] | None,
           cancelled: Callable[[], bool] | None
           ) -> Iterator[tuple[Path, Iterator[CorpusDocument]]]:
    """(file, its documents) for every input file; a file is read as its documents are taken,
    which must be before the next pair is asked for. Progress is told after each file."""
    if encoding is not None:
        check_encoding(encoding, paths[0] if paths else None)
    if cancelled is not None and cancelled():
        raise Cancelled("import cancelled; nothing was imported")
    total = sum(1 if Path(p).is_file() else sum(1 for _ in iter_input_files(Path(p)))
                for p in paths if Path(p).exists())
    inputs = _inputs(paths, fmt, annotator, warn, encoding, text_column)
    for done, (path, docs) in enumerate(inputs, 1):
        yield path, docs
        if progress is not None:
            progress(min(done, total), total)
        if cancelled is not None and cancelled():
            raise Cancelled("import cancelled; nothing was imported")


def _inputs(paths: Sequence[str], fmt: str, annotator: str, warn: Warn,
            encoding: str | None, text_column: str | None
            ) -> Iterator[tuple[Path, Iterator[CorpusDocument]]]:
    options = ReadOptions(annotator=annotator, warn=warn, encoding=encoding,
                          text_column=text_column)
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise BadInputError("no such file or folder", path=path)
        if not path.is_dir():
            open_regular(path).close()  # a FIFO, socket or device is refused, never opened
        if path.is_file() and path.suffix.lower() == ".zip":
            yield from _read_archive(path, fmt, annotator, warn, encoding, text_column)
            continue
        if fmt != "auto":
            reader = get_format(fmt)
            if not reader.can_read:
                raise UnknownFormatError(f"format {fmt!r} cannot be imported")
            if path.is_dir() and not reader.directory:
                for f in iter_input_files(path):
                    yield f, iter(reader.read(f, options))
            else:
                yield path, iter(reader.read(path, options))
            continue
        if path.is_dir():
            try:
                reader = format_for_path(path)
            except UnknownFormatError:
                pass
            else:
                yield path, iter(reader.read(path, options))
                continue
            for f in iter_input_files(path):
                try:
                    reader = _reader_for(f)
                except UnknownFormatError:
                    warn(f"{f}: skipped (unknown file type)")
                    continue
                yield f, iter(reader.read(f, options))
        else:
            yield path, iter(_reader_for(path).read(path, options))


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


def _read_archive(archive: Path, fmt: str, annotator: str, warn: Warn,
                  encoding: str | None, text_column: str | None
                  ) -> Iterator[tuple[Path, Iterator[CorpusDocument]]]:
    """A ZIP archive is imported like the folder it holds; messages name ``archive!entry``."""
    with tempfile.TemporaryDirectory(prefix="annotator-zip-") as tmp:
        root = safe_extract(archive, Path(tmp))

        def rename(p: str | Path | None) -> str | None:
            if p is None:
                return None
            text = str(p)
            return text.replace(tmp, f"{archive}!", 1) if text.startswith(tmp) else text

        def renamed(docs: Iterator[CorpusDocument]) -> Iterator[CorpusDocument]:
            try:
                for d in docs:
                    d.source_path = rename(d.source_path)
                    yield d
            except AnnotatorError as exc:
                exc.path = rename(exc.path)
                raise

        inner = _inputs([str(root)], fmt, annotator,
                        lambda msg: warn(msg.replace(tmp, f"{archive}!")), encoding, text_column)
        while True:
            try:
                path, docs = next(inner)
            except StopIteration:
                break
            except AnnotatorError as exc:
                exc.path = rename(exc.path)
                raise
            yield Path(rename(path) or str(archive)), renamed(docs)
