"""Markdown import: readable text without markup, title and front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import BadInputError
from annotator.formats.registry import ReadOptions, get_format

SOURCE = """---
title: "Tides and harbours"
author: Jane Doe
date: 2024-03-01
---
# The *first* heading

Officials **said** the [report](https://example.org/report) was `final`.
It may be revised 👍🏽.

## Second heading

- item one
- item **two**
  - nested item

1. first step
2. second step

> قال المتحدث e\u0301

| place | cost |
|-------|------|
| quay  | 12m  |

```
code stays
```

![a harbour photo](pic.png)
"""


def read(tmp_path: Path, source: str, name: str = "post.md"):
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    [doc] = get_format("md").read(path, ReadOptions())
    return doc


def test_markdown_becomes_plain_text(tmp_path):
    doc = read(tmp_path, SOURCE)
    assert doc.text == (
        "The first heading\n\n"
        "Officials said the report was final.\nIt may be revised 👍🏽.\n\n"
        "Second heading\n\n"
        "item one\nitem two\nnested item\n\n"
        "1. first step\n2. second step\n\n"
        "قال المتحدث e\u0301\n\n"
        "place\tcost\nquay\t12m\n\n"
        "code stays\n\n"
        "a harbour photo")
    for markup in ("#", "**", "https://", "](", "```", "---", "|"):
        assert markup not in doc.text


def test_front_matter_goes_to_meta_and_title(tmp_path):
    doc = read(tmp_path, SOURCE)
    assert doc.title == "Tides and harbours"
    assert doc.meta == {"author": "Jane Doe", "date": "2024-03-01"}
    assert doc.name == "post"


def test_title_from_first_heading_without_front_matter(tmp_path):
    doc = read(tmp_path, "Intro line\n\n## Real *title*\n\nBody.\n", "n.markdown")
    assert doc.title == "Real title"
    assert doc.meta == {}


def test_title_from_first_line_without_heading(tmp_path):
    doc = read(tmp_path, "Just a paragraph\nof text.\n")
    assert doc.title == "Just a paragraph"
    assert doc.text == "Just a paragraph\nof text."


def test_windows_newlines(tmp_path):
    path = tmp_path / "w.md"
    path.write_bytes(b"# T\r\n\r\nline one\r\nline two\r\n")
    [doc] = get_format("md").read(path, ReadOptions())
    assert doc.text == "T\n\nline one\nline two"


def test_markup_only_file_is_bad_input(tmp_path):
    with pytest.raises(BadInputError, match="no text"):
        read(tmp_path, "---\ntitle: x\n---\n\n---\n")


def test_unclosed_comments_and_tags_are_stripped_in_linear_time(tmp_path):
    """An HTML block of many unclosed ``<!--`` took seconds (the tag pattern rescanned the rest
    of the block from each one); it is now one pass. See bench/bench_hostile_markdown.py."""
    from annotator.formats.markdown import _strip_tags

    assert _strip_tags("a <b>bold</b> <!-- note --> c") == "a bold  c"
    assert _strip_tags("keep <!-- never closed <i>x</i>") == "keep "
    assert _strip_tags("x < y <b>z") == "x < y z"
    path = tmp_path / "c.md"
    path.write_text("Intro words of the article here.\n\n<div>\n" + "<!--" * 5_000
                    + "\n</div>\n", encoding="utf-8")
    (doc,) = get_format("md").read(path, ReadOptions())
    assert doc.text == "Intro words of the article here."


def test_front_matter_values_are_trimmed(tmp_path):
    path = tmp_path / "f.md"
    path.write_text("---\ntitle: \t Spaced title " + " \t" * 5000 + "\nauthor:\n---\n# H\n\nBody.\n",
                    encoding="utf-8")
    (doc,) = get_format("md").read(path, ReadOptions())
    assert doc.title == "Spaced title" and doc.meta == {}
