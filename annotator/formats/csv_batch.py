"""CSV/TSV: reads a batch of articles, one per row; writes the span table (see table.py).

Reading: the first row is the header. The text column is ``ReadOptions.text_column`` or the
first of ``text, body, content, article`` (case-insensitive); the id column the first of
``id, doc_id, name``; the title column the first of ``title, headline``. Every other non-empty
cell goes into ``meta`` under its header. The delimiter is the one of ``, ; TAB |`` that occurs
most in the header line (TAB for .tsv when none does). A row without an id is named
``{stem}-{row}`` (row counted from 1 after the header). Cell text is newline-normalised only.
Missing text column, a row with more cells than the header, an empty text cell, a cell over the
document size limit, or an unterminated quote (which would otherwise merge the following rows
into one cell) is bad input naming the line. Blank rows are skipped. The file may hold several
documents' worth of text (``MANY_DOCUMENTS_FACTOR``).

Writing: one row per span, UTF-8 with a byte-order mark so that spreadsheets open it correctly,
formula-looking cells neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.errors import BadInputError, StorageError
from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset
from annotator.core.text import first_line_title, normalize_newlines
from annotator.formats._common import check_document_size
from annotator.formats._textfile import read_text
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register
from annotator.formats.table import neutralise, replace_atomically, span_rows

TEXT_COLUMNS = ("text", "body", "content", "article")
ID_COLUMNS = ("id", "doc_id", "name")
TITLE_COLUMNS = ("title", "headline")
DELIMITERS = (",", ";", "\t", "|")


@register
class CsvTable(Format):
    name = "csv"
    label = "CSV (articles in; span table out)"
    extensions = (".csv", ".tsv")
    can_read = True
    can_write = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        from annotator.formats import _textfile

        source = read_text(path, options, many=True)
        if source.lstrip("\ufeff").startswith("#FORMAT=WebAnno TSV"):
            raise BadInputError(
                "is a WebAnno TSV file, not a CSV/TSV table: import it with --format "
                "webanno-tsv (or without --format)", path=path, line=1)
        previous = csv.field_size_limit()
        # a cell may hold a whole article (csv's default stops at 128 KiB); the document limit
        # is checked on each cell below
        csv.field_size_limit(max(previous, _textfile.MAX_DOCUMENT_BYTES + 1))
        try:
            docs = list(_read_rows(source, path, options))
        finally:
            csv.field_size_limit(previous)
        yield from docs

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        summary = ExportSummary()
        header, rows = span_rows(docs, options, summary)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        try:
            with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow([neutralise(h) for h in header])
                for row in rows:
                    writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StorageError(f"cannot write the file: {exc.strerror}", path=out) from None
        replace_atomically(tmp, out)
        summary.files.append(out)
        return summary


def _csv_error(exc: csv.Error, path: Path, line: int) -> BadInputError:
    reason = str(exc)
    if "unexpected end of data" in reason:
        reason = "a quoted cell is never closed (unterminated quote)"
    elif "expected after" in reason:
        reason = f"text after the closing quote of a cell ({reason}): a stray or unclosed quote"
    elif "field larger than field limit" in reason:
        return BadInputError(f"a cell is too large for one document (over "
                             f"{csv.field_size_limit():,} characters)", path=path, line=line)
    return BadInputError(f"malformed CSV: {reason}", path=path, line=line)


def _read_rows(source: str, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
    """The documents of CSV ``source``. Quotes are parsed strictly: an unterminated quote would
    otherwise swallow every following row into one cell."""
    reader = csv.reader(io.StringIO(source, newline=""), strict=True,
                        delimiter=sniff_delimiter(source, path.suffix.lower() == ".tsv"))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise BadInputError("the file is empty", path=path) from None
    except csv.Error as exc:
        raise _csv_error(exc, path, 1) from None
    text_col = _text_column(header, options.text_column, path)
    id_col = _find(header, ID_COLUMNS)
    title_col = _find(header, TITLE_COLUMNS)
    row_number = 0
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _csv_error(exc, path, line) from None
        start_line, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        row_number += 1
        if len(cells) > len(header):
            raise BadInputError(f"row has {len(cells)} cells but the header has "
                                f"{len(header)}", path=path, line=start_line)
        cells += [""] * (len(header) - len(cells))
        text = normalize_newlines(cells[text_col])
        if not text.strip():
            raise BadInputError(f"empty text in column {header[text_col]!r}", path=path,
                                line=start_line)
        check_document_size(text, path, start_line)
        name = cells[id_col].strip() if id_col is not None else ""
        title = cells[title_col] if title_col is not None else ""
        meta = {h: normalize_newlines(c)
                for i, (h, c) in enumerate(zip(header, cells, strict=True))
                if i not in (text_col, id_col, title_col) and h and c.strip()}
        yield CorpusDocument(name=name or f"{path.stem}-{row_number}", text=text,
                             title=first_line_title(title) or first_line_title(text),
                             meta=meta, source_path=f"{path}:{start_line}")
    if not row_number:
        raise BadInputError("the CSV file has a header but no rows", path=path)


def sniff_delimiter(source: str, tsv: bool = False) -> str:
    """The delimiter occurring most in the first line; TAB for TSV files, else comma, on a tie
    at zero."""
    first = source.split("\n", 1)[0]
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] == 0:
        return "\t" if tsv else ","
    if tsv and counts["\t"]:
        return "\t"
    return best


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.casefold() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _text_column(header: list[str], wanted: str | None, path: Path) -> int:
    found = _find(header, (wanted.casefold(),) if wanted else TEXT_COLUMNS)
    if found is None:
        shown = [repr(h if len(h) <= 30 else h[:29] + "…") for h in header[:12]]
        columns = ", ".join(shown) + (f" … ({len(header)} in all)" if len(header) > 12 else "")
        what = repr(wanted) if wanted else "text (or body, content, article)"
        raise BadInputError(f"no {what} column; the columns are {columns}", path=path, line=1,
                            hint="name the text column with --text-column")
    return found
