"""The format registry: one module per format, each registering one class.

A format module in this package defines a subclass of :class:`Format` decorated with
:func:`register`. Modules are discovered automatically, so adding a format touches one file.
Format modules import heavy libraries (trafilatura, cassis, openpyxl…) inside their methods so
that start-up stays fast.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from annotator.core.errors import BadInputError, UnknownFormatError
from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset

Progress = Callable[[int, int], None]  # (done, total); total 0 when unknown


@dataclass
class ReadOptions:
    """What an importer may need beyond the path."""

    annotator: str = ""
    encoding: str | None = None  # force an encoding instead of detecting
    text_column: str | None = None  # CSV
    warn: Callable[[str], None] = lambda message: None  # non-fatal messages for the user


@dataclass
class WriteOptions:
    """Export filters are applied before the writer; these shape the output."""

    layers: list[str] | None = None  # None = all layers that have spans
    scheme: str = "BIO"  # CoNLL: BIO or BIOES
    progress: Progress | None = None


@dataclass
class ExportSummary:
    documents: int = 0
    spans: int = 0
    relations: int = 0
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> count
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def drop(self, reason: str, n: int = 1) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + n


class Format:
    """Base class of a corpus format. Subclasses set the class attributes and override
    :meth:`read` and/or :meth:`write`."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()  # lower case, with dot: (".txt",)
    can_read: ClassVar[bool] = False
    can_write: ClassVar[bool] = False
    directory: ClassVar[bool] = False  # reads/writes a folder as the unit (brat, xmi, tsv)
    archive: ClassVar[bool] = False  # read as a folder but written as one .zip (inception)

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        """Yield the documents of ``path``; raise BadInputError naming file and line.

        A file is all or nothing: the caller collects every document before writing.
        """
        raise NotImplementedError

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        """Write ``docs`` to ``out`` (a file, or a folder for directory formats)."""
        raise NotImplementedError

    def sniff_directory(self, path: Path) -> bool:
        """True when folder ``path`` looks like a corpus of this directory format."""
        return False


_FORMATS: dict[str, type[Format]] = {}
_loaded = False


def register(cls: type[Format]) -> type[Format]:
    """Class decorator adding a format to the registry."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    _FORMATS[cls.name] = cls
    return cls


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    import annotator.formats as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name not in ("registry", "reading") and not mod.name.startswith("_"):
            importlib.import_module(f"annotator.formats.{mod.name}")
    _loaded = True


def all_formats() -> list[type[Format]]:
    _load_all()
    return sorted(_FORMATS.values(), key=lambda c: c.name)


def get_format(name: str) -> Format:
    _load_all()
    try:
        return _FORMATS[name]()
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise UnknownFormatError(f"unknown format {name!r} (known: {known})") from None


def readers() -> list[str]:
    return [c.name for c in all_formats() if c.can_read]


def writers() -> list[str]:
    return [c.name for c in all_formats() if c.can_write]


def format_for_path(path: Path) -> Format:
    """The reader for a file by its extension, or for a folder by sniffing."""
    _load_all()
    if path.is_dir():
        for cls in all_formats():
            if cls.directory and cls.can_read and cls().sniff_directory(path):
                return cls()
        raise UnknownFormatError("no format recognises this folder", path=path)
    suffix = "".join(path.suffixes[-2:]).lower() if len(path.suffixes) > 1 else ""
    for cls in all_formats():
        if cls.can_read and not cls.directory and suffix and suffix in cls.extensions:
            return cls()
    ext = path.suffix.lower()
    for cls in all_formats():
        if cls.can_read and not cls.directory and ext in cls.extensions:
            return cls()
    raise UnknownFormatError(f"unknown file type {ext or '(no extension)'!r}; "
                             "give --format", path=path)


def iter_input_files(path: Path) -> Iterator[Path]:
    """Files under ``path`` (recursively, sorted), skipping hidden ones and anything that is not
    a regular file (named pipes, sockets, devices).

    Symbolic links are not followed out of the folder: a link whose target lies outside
    ``path`` is refused with :class:`BadInputError` (importing ``doc.txt -> /etc/passwd``
    would put a file the user never chose into the project, and skipping it silently would
    leave the corpus incomplete without a word). A link to a file inside the folder is skipped:
    its target is imported in its own place. Linked folders are never descended into.
    """
    if not path.is_dir():
        yield path
        return
    root = path.resolve()
    found: list[Path] = []
    for folder, dirs, files in os.walk(path, followlinks=False):
        rel_parts = Path(folder).relative_to(path).parts
        if any(part.startswith(".") for part in rel_parts):
            dirs[:] = []
            continue
        dirs.sort()
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]):
            if name.startswith("."):
                continue
            p = Path(folder, name)
            if p.is_symlink():
                try:
                    target = p.resolve()
                except (OSError, RuntimeError):  # a loop: RuntimeError before Python 3.13
                    raise BadInputError("is a symbolic link that loops back on itself; "
                                        "refused", path=p) from None
                if not target.is_relative_to(root):
                    raise BadInputError(f"is a symbolic link to {target}, outside the folder "
                                        "being imported; refused (give that file itself to "
                                        "import it)", path=p)
                continue
            if p.is_file():
                found.append(p)
    yield from sorted(found)
