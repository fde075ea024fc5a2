"""Span tables for spreadsheets: one row per span; the rows and the ``xlsx`` writer.

Columns: ``document, span_id, start, end, fragments, layer, label, text, context, note,
annotator, attributes`` (JSON) and then one ``attr:NAME`` column per attribute name found, in
order of first appearance. Offsets are code points, end exclusive; ``fragments`` is JSON
(``[[10, 21], [35, 50]]``). ``context`` is the text from about 40 characters before the span to
about 40 after it (never cutting a combining sequence), with line breaks and tabs shown as spaces.

Every text cell that a spreadsheet would read as a formula (starting with ``= + - @``, tab, CR, LF
or NUL) gets a leading ``'``. The CSV writer lives with the ``csv`` format (csv_batch.py).
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import StorageError
from annotator.core.model import CorpusDocument, span_text
from annotator.core.tagset import Tagset
from annotator.formats._planned import plan_and_stream
from annotator.formats.registry import ExportSummary, Format, WriteOptions, register

FIXED_COLUMNS: tuple[str, ...] = ("document", "span_id", "start", "end", "fragments", "layer",
                                  "label", "text", "context", "note", "annotator", "attributes")
CONTEXT_CHARS = 40
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")
_EXTENDERS = {"\u200d", "\ufe0e", "\ufe0f"}


def neutralise(value: str) -> str:
    """``value`` with a leading ``'`` when a spreadsheet would take it for a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """``text[start:end]`` with about ``width`` characters either side, on one line."""
    left = max(0, start - width)
    while left > 0 and _joins_previous(text[left]):
        left -= 1
    right = min(len(text), end + width)
    while right < len(text) and _joins_previous(text[right]):
        right += 1
    return " ".join(text[left:right].replace("\t", " ").splitlines())


def _joins_previous(ch: str) -> bool:
    return (bool(unicodedata.combining(ch)) or ch in _EXTENDERS
            or "\U0001f3fb" <= ch <= "\U0001f3ff")  # skin-tone modifiers


def span_rows(docs: Iterable[CorpusDocument], options: WriteOptions,
              summary: ExportSummary) -> tuple[list[str], Iterator[list[Any]]]:
    """``(header, rows)`` of the span table; rows are made as they are taken (a document at a
    time: memory does not grow with the corpus), counts go into ``summary`` meanwhile.

    The attribute columns come from the corpus's plan, in the order the table meets them.
    Cells are plain values (``start``/``end`` are ints); neutralising is the writer's job.
    """
    wanted = set(options.layers) if options.layers is not None else None
    plan, docs, total = plan_and_stream(docs)
    attr_names: dict[str, None] = {}
    for doc in plan:
        for span in sorted(doc.spans, key=lambda s: (s.start, -s.end, s.layer, s.label)):
            if wanted is None or span.layer in wanted:
                attr_names.update(dict.fromkeys(span.attributes))
    header = [*FIXED_COLUMNS, *(f"attr:{name}" for name in attr_names)]

    def rows() -> Iterator[list[Any]]:
        for i, doc in enumerate(docs):
            summary.documents += 1
            text = doc.text
            for span in sorted(doc.spans, key=lambda s: (s.start, -s.end, s.layer, s.key)):
                if wanted is not None and span.layer not in wanted:
                    continue
                summary.spans += 1
                yield [
                    doc.name, span.key, span.start, span.end,
                    json.dumps([list(f) for f in span.fragments]), span.layer, span.label,
                    span_text(text, span.fragments), context(text, span.start, span.end),
                    span.note, span.annotator,
                    json.dumps(span.attributes, ensure_ascii=False, sort_keys=True),
                    *(_cell(span.attributes.get(name)) for name in attr_names),
                ]
            if options.progress is not None:
                options.progress(i + 1, total)

    return header, rows()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def replace_atomically(tmp: Path, out: Path) -> None:
    """Move the finished ``tmp`` over ``out`` in one step."""
    try:
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"cannot write the file: {exc.strerror}", path=out) from None


#: Excel's limit on the characters in one cell.
XLSX_CELL_LIMIT = 32_767


@register
class SpanTableXlsx(Format):
    name = "xlsx"
    label = "Span table (Excel)"
    extensions = (".xlsx",)
    can_write = True

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        summary = ExportSummary()
        header, rows = span_rows(docs, options, summary)
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("spans")
        altered = 0

        def clean(value: Any) -> Any:
            nonlocal altered
            if not isinstance(value, str):
                return value
            fixed = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
            if len(fixed) > XLSX_CELL_LIMIT - 1:
                fixed = fixed[:XLSX_CELL_LIMIT - 2] + "…"
            altered += fixed != value
            return neutralise(fixed)

        ws.append([clean(h) for h in header])
        for row in rows:
            ws.append([clean(v) for v in row])
        if altered:
            summary.warnings.append(f"{altered} cells had control characters replaced or were "
                                    f"cut to Excel's {XLSX_CELL_LIMIT} characters")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        try:
            wb.save(tmp)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StorageError(f"cannot write the file: {exc.strerror}", path=out) from None
        replace_atomically(tmp, out)
        summary.files.append(out)
        return summary
