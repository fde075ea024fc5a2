"""Saved web pages: article text in, boilerplate out, metadata found."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import BadInputError
from annotator.formats.html import declared_charset
from annotator.formats.registry import ReadOptions, format_for_path, get_format

FIXTURE = Path(__file__).parent.parent / "data" / "formats" / "saved_article.html"

BOILERPLATE = [
    "We use cookies", "Accept all cookies",  # cookie banner
    "Subscribe today", "Weather",  # navigation
    "BUY CHEAP FERRY", "QuickMarine", "Sponsored",  # ads
    "trackAdImpression", "dataLayer", "analytics", "cookie-banner",  # script, style
    "Share on Facebook", "Copy link", "Email this story",  # share buttons
    "All rights reserved", "Privacy policy", "Contact us",  # footer
    "Most read", "Local bakery",  # related links
    "https://ads.example",
]


def read(path: Path, **kw):
    [doc] = get_format("html").read(path, ReadOptions(**kw))
    return doc


def test_article_text_without_boilerplate():
    doc = read(FIXTURE)
    assert "Officials in three fishing towns along the northern coast" in doc.text
    assert "“We are not saying the harbour will be lost next year,” said Tomas Ferreira" in doc.text
    assert "The council will hold a public consultation in January" in doc.text
    assert "cafés and guesthouses" in doc.text
    for junk in BOILERPLATE:
        assert junk not in doc.text, junk


def test_metadata():
    doc = read(FIXTURE)
    assert doc.name == "saved_article"
    assert doc.title == "Harbour towns weigh the cost of rising tides"
    assert doc.meta["author"] == "Maren Holloway"
    assert doc.meta["date"] == "2023-11-14"
    assert doc.meta["source_url"].startswith("https://www.coastal-ledger.example/news/2023/")
    assert doc.meta["sitename"] == "The Coastal Ledger"
    assert "\r" not in doc.text


def test_declared_windows_1252_is_respected(tmp_path):
    page = FIXTURE.read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; '
        'charset=iso-8859-1">')
    path = tmp_path / "legacy.htm"
    path.write_bytes(page.encode("cp1252"))
    doc = read(path)
    assert "“We are not saying" in doc.text  # iso-8859-1 read as windows-1252, as browsers do
    assert "cafés" in doc.text


def test_utf16_page_with_bom(tmp_path):
    path = tmp_path / "wide.html"
    path.write_bytes(FIXTURE.read_text(encoding="utf-8").encode("utf-16"))
    assert "cafés and guesthouses" in read(path).text


def test_unicode_survives(tmp_path):
    body = "".join(f"<p>{p}</p>" for p in [
        "قال المتحدث باسم الوزارة إن المفاوضات ستستمر الأسبوع المقبل في العاصمة. " * 3,
        "Une re\u0301union est pre\u0301vue, selon des sources proches du dossier. " * 3,
        "Readers reacted with 👍🏽 and 🎉 on social media, the newspaper reported. " * 3,
    ])
    path = tmp_path / "intl.xhtml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<html><head><title>Intl</title>'
                    f"</head><body><article>{body}</article></body></html>", encoding="utf-8")
    doc = read(path)
    assert "قال المتحدث باسم الوزارة" in doc.text
    assert "re\u0301union est pre\u0301vue" in doc.text  # combining marks kept, not composed
    assert "👍🏽 and 🎉" in doc.text


def test_page_without_article_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body><nav><a href='/'>"
                    "Home</a></nav></body></html>", encoding="utf-8")
    with pytest.raises(BadInputError, match="no article text") as info:
        read(path)
    assert str(path) in str(info.value)


def test_binary_with_html_extension(tmp_path):
    path = tmp_path / "pic.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(BadInputError, match="binary"):
        read(path)


def test_declared_charset_parsing():
    assert declared_charset(b'<meta charset="UTF-8">') == "utf-8"
    assert declared_charset(b"<meta charset=windows-1252>") == "cp1252"
    assert declared_charset(b'<meta content="text/html; charset=ISO-8859-1" '
                            b'http-equiv="Content-Type">') == "cp1252"
    assert declared_charset(b'<meta charset="utf-16">') is None
    assert declared_charset(b'<meta charset="bogus">') is None
    assert declared_charset(b"<html>") is None


def test_registered_for_extensions(tmp_path):
    for ext in (".html", ".htm", ".xhtml"):
        assert format_for_path(tmp_path / f"a{ext}").name == "html"
