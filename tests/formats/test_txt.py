"""Plain-text import: exact text, stem as name, first line as title."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import BadInputError
from annotator.formats.registry import ReadOptions, format_for_path, get_format

TEXT = "\n  Headline with 👍🏽 and e\u0301  \n\nقال المتحدث إن الاتفاق «قريب».\r\nSecond\rthird  \n"


def read(path: Path, **kw) -> list:
    return list(get_format("txt").read(path, ReadOptions(**kw)))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_survives_exactly_apart_from_newlines(tmp_path, encoding):
    path = tmp_path / "story.txt"
    path.write_bytes(TEXT.encode(encoding))
    [doc] = read(path)
    assert doc.text == TEXT.replace("\r\n", "\n").replace("\r", "\n")
    assert doc.name == "story"
    assert doc.title == "Headline with 👍🏽 and e\u0301"
    assert doc.source_path == str(path)


def test_cp1252_file(tmp_path):
    source = "“Je pense que c’est réglé”, a-t-il déclaré à l’AFP.\n"
    path = tmp_path / "afp.text"
    path.write_bytes(source.encode("cp1252"))
    warnings: list[str] = []
    [doc] = read(path, warn=warnings.append)
    assert doc.text == source
    assert warnings and "cp1252" in warnings[0]


def test_forced_encoding(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes("naïve".encode("latin-1"))
    [doc] = read(path, encoding="latin-1")
    assert doc.text == "naïve"


def test_long_first_line_is_cut(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("word " * 100 + "\nbody", encoding="utf-8")
    [doc] = read(path)
    assert len(doc.title) <= 200
    assert doc.title.endswith("…")


def test_registered_for_extensions(tmp_path):
    assert format_for_path(tmp_path / "a.TXT").name == "txt"
    assert format_for_path(tmp_path / "a.text").name == "txt"


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"\xef\xbb\xbf", "no text"),
    (b"  \n\r\n\t ", "white space"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
])
def test_bad_files(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(BadInputError, match=message) as info:
        read(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(BadInputError, match="cannot read"):
        read(tmp_path / "nope.txt")
