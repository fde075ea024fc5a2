"""Decoding imported bytes, newline normalisation, hashing and safe file names."""

from __future__ import annotations

import codecs
import hashlib

import pytest

from annotator.core.errors import BadInputError
from annotator.core.text import decode_bytes, normalize_newlines, safe_filename, sha256_text

SAMPLE = "Il a dit « ça ira » 👍🏽 — قال المتحدث — e\u0301te\u0301\nfin"


@pytest.mark.parametrize("encode, expected_codec", [
    (lambda s: s.encode("utf-8"), "utf-8"),
    (lambda s: codecs.BOM_UTF8 + s.encode("utf-8"), "utf-8"),
    (lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"), "utf-16-le"),
    (lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"), "utf-16-be"),
    (lambda s: s.encode("utf-16-le"), "utf-16-le"),
    (lambda s: s.encode("utf-16-be"), "utf-16-be"),
    (lambda s: codecs.BOM_UTF32_LE + s.encode("utf-32-le"), "utf-32-le"),
    (lambda s: codecs.BOM_UTF32_BE + s.encode("utf-32-be"), "utf-32-be"),
])
def test_unicode_encodings_round_trip_exactly(encode, expected_codec):
    text, used = decode_bytes(encode(SAMPLE), "a.txt")
    assert text == SAMPLE
    assert used == expected_codec


def test_cp1252_smart_quotes_and_accents():
    source = "Le ministre a dit : “c’est réglé” — à Paris, l’été dernier. Élan, naïve façade."
    messages: list[str] = []
    text, used = decode_bytes(source.encode("cp1252"), "f.txt", warn=messages.append)
    assert text == source
    assert used == "cp1252"


def test_latin1_file():
    source = "Straße in München: Größe, Übung, déjà vu, señor. " * 3
    text, _ = decode_bytes(source.encode("latin-1"), "f.txt")
    assert text == source


def test_guess_on_few_bytes_is_reported():
    messages: list[str] = []
    text, _ = decode_bytes("Café “quoted”".encode("cp1252"), "short.txt", warn=messages.append)
    assert text == "Café “quoted”"
    assert len(messages) == 1
    assert "short.txt" in messages[0] and "guessed" in messages[0]


def test_utf8_needs_no_guess_and_no_warning():
    messages: list[str] = []
    decode_bytes("é".encode(), "x", warn=messages.append)
    assert messages == []


def test_cyrillic_legacy_encoding():
    source = "Привет, мир! Это короткий тест русского текста в старой кодировке. " * 2
    text, used = decode_bytes(source.encode("cp1251"), "ru.txt")
    assert text == source
    assert used == "cp1251"


def test_forced_encoding():
    text, used = decode_bytes("é".encode("latin-1"), "x", encoding="latin-1")
    assert (text, used) == ("é", "iso8859-1")
    with pytest.raises(BadInputError, match="cannot be decoded as utf-8"):
        decode_bytes(b"ok\n\xff", "x", encoding="utf-8")
    with pytest.raises(BadInputError, match="unknown encoding"):
        decode_bytes(b"ok", "x", encoding="no-such-codec")


def test_empty_file_refused():
    with pytest.raises(BadInputError, match="empty") as info:
        decode_bytes(b"", "empty.txt")
    assert str(info.value).startswith("empty.txt: ")


def test_bom_only_file_refused():
    with pytest.raises(BadInputError, match="no text"):
        decode_bytes(codecs.BOM_UTF8, "bom.txt")


def test_png_header_is_binary():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
    with pytest.raises(BadInputError, match="binary"):
        decode_bytes(png, "picture.txt")


def test_control_characters_without_nul_are_binary():
    with pytest.raises(BadInputError, match="binary"):
        decode_bytes(bytes(range(1, 32)) * 8, "blob.txt")


def test_damaged_utf8_names_the_line():
    data = "première ligne\ndeuxième ligne\n".encode() + b"troisi\xe8me ligne\n"
    with pytest.raises(BadInputError, match="invalid UTF-8") as info:
        decode_bytes(data, "bad.txt")
    assert info.value.line == 3
    assert str(info.value).startswith("bad.txt:3: ")


def test_normalize_newlines_changes_nothing_else():
    assert normalize_newlines("a\r\nb\rc\nd") == "a\nb\nc\nd"
    raw = "  e\u0301 \u00e9 👍🏽 \u2028 \t end  "
    assert normalize_newlines(raw) == raw
    assert normalize_newlines("\r\r\n") == "\n\n"


def test_sha256_text_is_hash_of_utf8():
    assert sha256_text("e\u0301") == hashlib.sha256("e\u0301".encode()).hexdigest()
    assert sha256_text("e\u0301") != sha256_text("\u00e9")  # no normalisation


@pytest.mark.parametrize("name, expected", [
    ("report", "report"),
    ("a/b\\c", "a_b_c"),
    ('x<>:"|?*y', "x_______y"),
    ("..", "unnamed"),
    ("../../etc/passwd", "_._etc_passwd"),
    ("name. . ", "name"),
    ("  ", "unnamed"),
    ("", "unnamed"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("com7", "_com7"),
    ("LPT9.tar.gz", "_LPT9.tar.gz"),
    ("CONSOLE", "CONSOLE"),
    ("tab\there\x00nul\x1b", "tab_here_nul_"),
    ("evil\u202etxt.exe", "evil_txt.exe"),
    (".hidden", "hidden"),
    ("قال المتحدث 👍🏽", "قال المتحدث 👍🏽"),
])
def test_safe_filename(name, expected):
    assert safe_filename(name, set()) == expected


def test_safe_filename_collisions_are_case_insensitive():
    taken: set[str] = {"Report"}
    assert safe_filename("report", taken) == "report-2"
    assert safe_filename("REPORT", taken) == "REPORT-3"
    assert safe_filename("re/port", taken) == "re_port"
    assert {"report-2", "REPORT-3", "re_port"} <= taken


def test_safe_filename_collisions_ignore_unicode_form():
    taken: set[str] = set()
    assert safe_filename("\u00e9t\u00e9", taken) == "été"
    assert safe_filename("e\u0301te\u0301", taken) == "été-2"


def test_safe_filename_caps_length_in_bytes():
    taken: set[str] = set()
    first = safe_filename("é" * 500, taken)
    second = safe_filename("é" * 500, taken)
    assert len(first.encode()) <= 120
    assert second.endswith("-2") and len(second.encode()) <= 120
    assert first != second


def test_safe_filename_does_not_split_combining_marks():
    name = safe_filename("e\u0301" * 200, set())
    assert not name.endswith("e")
    assert len(name.encode()) <= 120


def test_taken_names_give_the_same_names_as_a_plain_set() -> None:
    """Exporters keep the names given so far in TakenNames (keys kept beside the names, so the
    cost per file does not grow with the number of files); the names are exactly those the
    plain-set rule gives, collisions, case, NFC, device names and long names included."""
    from annotator.core.text import TakenNames, safe_filename

    names = ["CON", "a", "A", "a.", "Café", "Cafe\u0301", "x" * 300, "x" * 300, "a-2", "a",
             "", " . ", "TypeSystem", "typesystem"] + [f"doc {i % 7}" for i in range(40)]
    plain: set[str] = {"TypeSystem"}
    kept = TakenNames(["TypeSystem"])
    assert [safe_filename(n, plain) for n in names] == [safe_filename(n, kept) for n in names]
    assert set(kept) == plain and len(kept.keys) == len(plain)
