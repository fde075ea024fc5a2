"""Errors a person can understand.

Every error the core raises for bad input derives from :class:`AnnotatorError`; its ``str()`` is one
line naming the file (and line, where known) and the problem. The CLI prints it, the GUI shows it.
"""

from __future__ import annotations

from pathlib import Path


class AnnotatorError(Exception):
    """Base of every expected, user-facing error."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message}"


class BadInputError(AnnotatorError):
    """A file to import is empty, binary, undecodable or malformed."""


class NotAProjectError(AnnotatorError):
    """The file is not an Annotator project (not SQLite, or not marked as ours)."""


class NewerProjectError(AnnotatorError):
    """The project was written by a newer version of Annotator."""


class DamagedProjectError(AnnotatorError):
    """The project file failed SQLite's or our own integrity check."""


class ReadOnlyError(AnnotatorError):
    """A write was attempted on a project opened read-only (or on a read-only file)."""


class ProjectLockedError(AnnotatorError):
    """Another program holds the project open for writing."""


class StorageError(AnnotatorError):
    """Writing failed (disk full, I/O error); the file is unchanged."""


class IdenticalSpanError(AnnotatorError):
    """An edit would make a span identical to one already in the document (same annotator,
    layer, label and fragments: :mod:`annotator.core.span_identity`); nothing was written.
    ``existing`` is the key of the span already there (0 when it is not known)."""

    def __init__(self, message: str, *, existing: int = 0, path: str | Path | None = None
                 ) -> None:
        self.existing = existing
        super().__init__(message, path=path)


class TagsetError(AnnotatorError):
    """A tagset file is malformed."""


class UnknownFormatError(AnnotatorError):
    """No format of that name or extension is registered."""


class Cancelled(AnnotatorError):
    """The user cancelled a long operation; nothing was written."""

    def __init__(self, message: str = "cancelled; nothing was written") -> None:
        super().__init__(message)
