"""Saved web pages: the main article text, without navigation, ads, scripts or footers.

Extraction is trafilatura's (offline: the file's content only, nothing is fetched). The stored
text is trafilatura's plain-text output (one paragraph per line), newline-normalised. ``meta``
receives ``source_url``, ``author``, ``date``, ``sitename``, ``hostname``, ``description`` and
``language`` where the page states them. The encoding is the one declared by ``<meta charset>``
when the bytes decode with it (``iso-8859-1``/``ascii`` read as Windows-1252, as browsers do),
else detected. A page without extractable article text (fewer than :data:`MIN_WORDS`
words) is bad input.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.core.text import first_line_title, normalize_newlines
from annotator.formats._textfile import open_regular, read_text
from annotator.formats.registry import Format, ReadOptions, register

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
_AS_CP1252 = {"iso8859-1", "latin-1", "ascii", "cp1252"}
#: Extractions shorter than this (a lone menu entry, a cookie notice) are not an article.
MIN_WORDS = 10
_META_KEYS = {"url": "source_url", "author": "author", "date": "date", "sitename": "sitename",
              "hostname": "hostname", "description": "description", "language": "language"}


@register
class Html(Format):
    name = "html"
    label = "Web page (article text)"
    extensions = (".html", ".htm", ".xhtml")
    can_read = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        with open_regular(path) as fh:
            try:
                head = fh.read(4096)
            except OSError as exc:
                raise BadInputError(f"cannot read the file: {exc.strerror}",
                                    path=path) from None
        page = read_text(path, options, declared=declared_charset(head))
        doc = extract_article(page, path)
        doc.name = path.stem
        yield doc


def declared_charset(head: bytes) -> str | None:
    """The ASCII-compatible encoding a page declares in its first bytes, as a codec name."""
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # a page readable as ASCII cannot really be UTF-16: ignore (as browsers do)
    return "cp1252" if name in _AS_CP1252 else name


def extract_article(page: str, path: Path | None = None) -> CorpusDocument:
    """The article of HTML ``page`` as a document (name left empty for the caller)."""
    import trafilatura

    page = re.sub(r"\A\s*<\?xml[^>]*\?>", "", page)  # lxml refuses str with an XML declaration
    result = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, include_images=False,
        include_links=False, include_tables=True, deduplicate=False)
    data: dict[str, Any] = {}
    if result is not None:
        data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = normalize_newlines(data.get("text") or "")
    if len(text.split()) < MIN_WORDS:
        raise BadInputError("no article text found in this web page", path=path,
                            hint="save the page's text as .txt and import that instead")
    meta = {key: str(data[src]) for src, key in _META_KEYS.items() if data.get(src)}
    title = first_line_title(str(data.get("title") or "")) or first_line_title(text)
    return CorpusDocument(name="", text=text, title=title, meta=meta,
                          source_path=str(path) if path is not None else None)
