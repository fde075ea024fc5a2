"""Markdown: one document per file, stored as readable plain text.

The text is what a reader sees: headings, paragraphs, list items, block quotes, table cells and
code, without markup (no ``#``, ``*``, link targets or HTML tags). Blocks are separated by a blank
line, list items and table rows by a newline; ordered list items keep their number ("3. ").
YAML-style front matter (``---`` … ``---``) with simple ``key: value`` lines goes into ``meta``;
the title is the front matter's ``title``, else the first heading, else the first line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.core.text import first_line_title
from annotator.formats._textfile import read_text
from annotator.formats.registry import Format, ReadOptions, register

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_KEY_VALUE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(.*)")
# linear: a comment or tag that is never closed ends at the end of the text / the next "<"
_TAG = re.compile(r"<!--.*?(?:-->|\Z)|<[^<>]*>", re.S)


@register
class Markdown(Format):
    name = "md"
    label = "Markdown"
    extensions = (".md", ".markdown")
    can_read = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        source = read_text(path, options)
        meta, body = split_front_matter(source)
        text, heading = markdown_to_text(body)
        if not text.strip():
            raise BadInputError("the Markdown file contains no text", path=path)
        title = str(meta.pop("title", "")) or heading or first_line_title(text)
        yield CorpusDocument(name=path.stem, text=text, title=first_line_title(title),
                             meta=meta, source_path=str(path))


def split_front_matter(source: str) -> tuple[dict[str, Any], str]:
    """``(meta, body)``: simple ``key: value`` pairs of leading front matter, and the rest."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return {}, source
    meta: dict[str, Any] = {}
    for line in match.group(1).split("\n"):
        kv = _KEY_VALUE.fullmatch(line)
        value = kv.group(2).strip(" \t") if kv else ""
        if kv and value:
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[kv.group(1).lower()] = value
    return meta, source[match.end():]


def markdown_to_text(source: str) -> tuple[str, str]:
    """``(plain text, first heading)`` of Markdown ``source`` (CommonMark + tables)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    blocks: list[str] = []  # finished blocks, joined by blank lines
    lines: list[str] = []  # lines of the current list / table
    heading = ""
    depth = 0  # nesting of lists and tables: their lines group into one block
    row: list[str] = []
    numbers: list[int | None] = []  # per open list: next item number, None for bullets

    def emit(line: str) -> None:
        if depth:
            lines.append(line)
        elif line.strip():
            blocks.append(line)

    for i, tok in enumerate(tokens):
        kind = tok.type
        previous = tokens[i - 1].type if i else ""
        if kind in ("bullet_list_open", "ordered_list_open"):
            numbers.append(int(tok.attrGet("start") or 1) if kind == "ordered_list_open"
                           else None)
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
            depth -= 1
            if not depth:
                _flush(lines, blocks)
        elif kind == "list_item_open":
            number = numbers[-1] if numbers else None
            if number is not None:
                numbers[-1] = number + 1
                lines.append(f"{number}. ")
            else:
                lines.append("")
        elif kind == "table_open":
            depth += 1
        elif kind == "table_close":
            depth -= 1
            if not depth:
                _flush(lines, blocks)
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            emit("\t".join(row))
        elif kind == "inline":
            content = _inline_text(tok.children or [])
            if previous in ("th_open", "td_open"):
                row.append(content)
            elif lines and depth and _item_prefix_open(lines):
                lines[-1] += content
            else:
                emit(content)
            if not heading and previous == "heading_open":
                heading = content.strip()
        elif kind in ("fence", "code_block"):
            emit(tok.content.rstrip("\n"))
        elif kind == "html_block":
            stripped = _strip_tags(tok.content).strip()
            if stripped:
                emit(stripped)
    _flush(lines, blocks)
    return "\n\n".join(blocks), heading


def _flush(lines: list[str], blocks: list[str]) -> None:
    block = "\n".join(line for line in lines if line.strip())
    if block:
        blocks.append(block)
    lines.clear()


def _item_prefix_open(lines: list[str]) -> bool:
    """True when the last line is a list item's marker still waiting for its first text."""
    last = lines[-1]
    return last == "" or bool(re.fullmatch(r"\d+\. ", last))


def _inline_text(children: Sequence[Any]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
        elif child.type == "html_inline":
            continue
    return "".join(parts)


def _strip_tags(html: str) -> str:
    return _TAG.sub("", html)
