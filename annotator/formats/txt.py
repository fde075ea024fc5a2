"""Plain text: one document per file.

The stored text is the decoded file with newlines normalised and nothing else changed; the name
is the file's stem and the title its first non-empty line (trimmed, at most 200 characters).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.core.text import first_line_title
from annotator.formats._textfile import read_text
from annotator.formats.registry import Format, ReadOptions, register


@register
class PlainText(Format):
    name = "txt"
    label = "Plain text"
    extensions = (".txt", ".text")
    can_read = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        text = read_text(path, options)
        if not text.strip():
            raise BadInputError("the file contains only white space", path=path)
        yield CorpusDocument(name=path.stem, text=text, title=first_line_title(text),
                             source_path=str(path))
