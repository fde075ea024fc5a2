"""CSV/TSV batch import of articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import BadInputError
from annotator.formats.registry import ReadOptions, format_for_path, get_format


def read(path: Path, **kw) -> list:
    return list(get_format("csv").read(path, ReadOptions(**kw)))


def write(tmp_path: Path, content: str, name: str = "batch.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


def test_batch_with_id_title_and_meta(tmp_path):
    path = write(tmp_path, 'id,Title,Body,source,empty\r\n'
                           'a1,First,"Line one\r\nline two, with comma",AP,\r\n'
                           ',Second,قال المتحدث 👍🏽 e\u0301,Reuters,\r\n')
    a, b = read(path)
    assert (a.name, a.title, a.text, a.meta) == ("a1", "First", "Line one\nline two, with comma",
                                                  {"source": "AP"})
    assert (b.name, b.title, b.text) == ("batch-2", "Second", "قال المتحدث 👍🏽 e\u0301")


def test_semicolon_delimiter_and_default_names(tmp_path):
    path = write(tmp_path, "content;author\nTexte “un”;Zoé\n\nTexte deux;Max\n",
                 encoding="cp1252")
    docs = read(path)
    assert [d.name for d in docs] == ["batch-1", "batch-2"]
    assert docs[0].text == "Texte “un”" and docs[0].meta == {"author": "Zoé"}
    assert docs[0].title == "Texte “un”"


def test_tsv_in_utf16(tmp_path):
    path = write(tmp_path, "article\theadline\nA, b; c\tH1\n", name="set.tsv", encoding="utf-16")
    [doc] = read(path)
    assert (doc.text, doc.title, doc.name) == ("A, b; c", "H1", "set-1")


def test_named_text_column(tmp_path):
    path = write(tmp_path, "id,text,summary\nx,long text,short\n")
    [doc] = read(path, text_column="Summary")
    assert doc.text == "short" and doc.meta == {"text": "long text"}


def test_missing_text_column(tmp_path):
    path = write(tmp_path, "id,headline\n1,x\n")
    with pytest.raises(BadInputError, match="no text") as info:
        read(path)
    assert str(info.value).startswith(f"{path}:1: ")
    with pytest.raises(BadInputError, match="no 'story' column"):
        read(path, text_column="story")


def test_empty_text_cell_names_its_line(tmp_path):
    path = write(tmp_path, 'id,text\n1,"multi\nline"\n2,ok\n3,"  "\n')
    with pytest.raises(BadInputError, match="empty text") as info:
        read(path)
    assert info.value.line == 5


def test_too_many_cells(tmp_path):
    path = write(tmp_path, "id,text\n1,a,b\n")
    with pytest.raises(BadInputError, match="3 cells") as info:
        read(path)
    assert info.value.line == 2


def test_header_only_and_empty(tmp_path):
    with pytest.raises(BadInputError, match="no rows"):
        read(write(tmp_path, "id,text\n"))
    with pytest.raises(BadInputError, match="empty"):
        read(write(tmp_path, "", name="e.csv"))


def test_registered(tmp_path):
    fmt = format_for_path(tmp_path / "x.tsv")
    assert fmt.name == "csv" and fmt.can_read and fmt.can_write


def test_a_200_kb_article_in_a_cell_is_accepted(tmp_path):
    """csv's own field limit (128 KiB) is lifted to the document limit for the read, and put
    back afterwards."""
    import csv

    article = ("Officials said the plan was not fully confirmed. " * 4100)[:200_000]
    path = write(tmp_path, 'id,text\n1,"' + article + '"\n2,short one\n')
    before = csv.field_size_limit()
    first, second = read(path)
    assert first.text == article and second.text == "short one"
    assert csv.field_size_limit() == before


def test_unterminated_quote_does_not_merge_rows(tmp_path):
    path = write(tmp_path, 'id,text\n1,"Fine words\n2,More words\n3,Last\n')
    with pytest.raises(BadInputError, match="unterminated quote") as err:
        read(path)
    assert err.value.line == 2


def test_cell_over_csv_field_limit_is_named(tmp_path, monkeypatch):
    from annotator.formats import _textfile

    monkeypatch.setattr(_textfile, "MAX_DOCUMENT_BYTES", 40_000)  # file cap 160,000 bytes
    path = write(tmp_path, 'id,text\n1,short\n2,"' + "w" * 140_000 + '"\n')
    with pytest.raises(BadInputError, match="a cell is too large for one document") as err:
        read(path)
    assert err.value.line == 3


def test_file_over_the_many_documents_cap_is_named(tmp_path, monkeypatch):
    from annotator.formats import _textfile

    monkeypatch.setattr(_textfile, "MAX_DOCUMENT_BYTES", 1_000)
    path = write(tmp_path, "id,text\n" + "".join(f"{i},words {i}\n" for i in range(600)))
    with pytest.raises(BadInputError, match="too large for one import file"):
        read(path)
