"""XMI and brat output fixed byte for byte, and what reading it gives, against files written by
the exporters before their speed-ups (``tests/formats/golden``, made from
:func:`tests.formats.golden_docs.golden_docs`); XMI's quick XML parse against defusedxml's."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import BadInputError
from annotator.core.tagset import default_tagset
from annotator.formats._xmi_parse import _checked_slowly, _plain, checked_xml
from annotator.formats.registry import WriteOptions, get_format
from tests.formats.golden_docs import golden_docs, read_back

GOLDEN = Path(__file__).parent / "golden"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["xmi", "brat"])
def test_export_is_byte_identical_to_the_golden_files(fmt: str, tmp_path: Path) -> None:
    summary = get_format(fmt).write(golden_docs(), tmp_path / fmt, default_tagset(),
                                    WriteOptions())
    got, want = _files(tmp_path / fmt), _files(GOLDEN / fmt)
    assert sorted(got) == sorted(want)
    for name, data in want.items():
        assert got[name] == data, name
    assert (summary.documents, summary.spans, summary.relations) == (3, 26, 8)
    assert summary.dropped["relation with an end not exported"] == 1


@pytest.mark.parametrize("fmt", ["xmi", "brat"])
def test_reading_the_golden_files_gives_the_known_documents(fmt: str) -> None:
    want = (GOLDEN / f"{fmt}-read.txt").read_text(encoding="utf-8")
    assert read_back(fmt, GOLDEN / fmt) == want


PLAIN = [
    b'<?xml version="1.0" encoding="UTF-8"?>\n<a xmlns:x="http://x" x:id="1" b="&amp;&#10;'
    b'&#13;&#9; &lt;c&gt; \xc3\xa9"><x:b c="1"/>text<c>more</c>tail\r\n</a>',
    b"<a b='\xf0\x9f\x98\x80'>\xe2\x82\xac</a>",
    b'\xef\xbb\xbf<?xml version="1.0"?><a/>',
    b"<?xml version='1.0' encoding='latin-1'?><a b='\xe9'/>",
    b"<?xml version='1.0' encoding='us-ascii'?><a b='\xe9'/>",
    b"<a><b></a>",
    b"<a>&undefined;</a>",
    b"<a>&#0;</a>",
    b"<a b='1' b='2'/>",
    b"<a/><b/>",
    b"<a>",
    b"",
    b"   ",
    b"<x:a/>",
    b"<a>\xff</a>",
    b"<?xml version='1.0' encoding='utf-8'?>\n  <?pi data?><a/>",
    b" <?xml version='1.0'?><a/>",
    b"<?xml version='1.0' encoding='utf-8' standalone='yes'?><a/>",
]
NOT_PLAIN = [
    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
    b'<!DOCTYPE a SYSTEM "http://example.com/a.dtd"><a/>',
    b"<a><!-- a comment --><![CDATA[<b>]]></a>",
    "<a b='é'/>".encode("utf-16"),
    b"<?xml version='1.0' encoding='cp037'?><a/>",
    b"<?xml version='1.0' encoding='no-such-codec'?><a/>",
    b"<?xml version='1.0' encoding='windows-1252'?><a b='\x80'/>",
    b"<?xml version='1.0' encoding='utf-8'",  # no end to the declaration
]


def _dump(el) -> object:  # noqa: ANN001 - an Element
    return (el.tag, dict(el.attrib), el.text, el.tail, [_dump(c) for c in el])


def _outcome(parse, data: bytes) -> object:  # noqa: ANN001 - checked_xml or the slow one
    try:
        return _dump(parse(data, Path("f.xmi")))
    except BadInputError as exc:
        return ("refused", str(exc), exc.line)


@pytest.mark.parametrize("data", PLAIN + NOT_PLAIN)
def test_quick_parse_gives_the_tree_or_refusal_the_checked_parse_gives(data: bytes) -> None:
    assert _plain(data) == (data in PLAIN)
    assert _outcome(checked_xml, data) == _outcome(_checked_slowly, data)


def test_declarations_are_still_refused() -> None:
    for data in NOT_PLAIN[:2]:
        with pytest.raises(BadInputError, match="declares a DTD or entities"):
            checked_xml(data, Path("f.xmi"))


def test_brat_values_equal_in_python_keep_their_own_encoding() -> None:
    from annotator.formats._brat_names import _encode_scalar, encode_value

    pairs = [(1, True), (0, False), (0.0, -0.0), (1, 1.0), ("1", 1), (None, "None")]
    for a, b in pairs + [(y, x) for x, y in pairs]:  # either one met first
        _encode_scalar.cache_clear()
        first, second = encode_value(a), encode_value(b)
        assert first != second, (a, b)
        assert (first, second) == (encode_value(a), encode_value(b))


def test_xmi_text_escaping_of_letters_and_digits_is_none() -> None:
    """Every letter or digit (str.isalnum, which XMI text escaping passes through as it is) is
    an XML 1.0 character and none that needs escaping."""
    import sys

    from annotator.formats._xmi_emit import NOT_XML, SPECIAL, _Out

    alnum = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isalnum())
    assert not NOT_XML.search(alnum) and not SPECIAL.search(alnum)
    out = _Out()
    assert out.text("a\x0cb") == "a\ufffdb" and out.replaced == 1
    assert out.text("Ünï٣") == "Ünï٣" and out.text('a"&') == "a&quot;&amp;"
