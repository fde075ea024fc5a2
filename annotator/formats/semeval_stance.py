"""SemEval-2016 Task 6 (stance detection in tweets) data files: ``ID<TAB>Target<TAB>Tweet<TAB>
Stance`` with that header line, one tweet per row, Stance ``FAVOR``, ``AGAINST`` or ``NONE``
(``UNKNOWN`` in the unlabelled test file).

The task's files are Windows-1252 (the training data holds bytes such as ``0x91`` that are not
UTF-8) with CRLF line ends. Reading decodes UTF-8 when the file is valid UTF-8 (a byte
order mark kept as ``utf-8-sig``; UTF-16 when the file starts with its byte order mark), else
Windows-1252 (else Latin-1, which decodes any byte), or the ``--encoding`` given, and says which
it used when it was not UTF-8.

Import: one document per row, named by the ID (made unique in the project as usual), its text
the Tweet cell exactly; a document-level ``article_stance`` annotation (label ``favour``,
``against`` or ``none``, attribute ``target``). A row with ``UNKNOWN`` is imported as text only
(counted). The document's ``meta`` keeps ``semeval_id``, ``target``, the file's
``source_encoding`` and ``line_end`` (``crlf``/``lf``), and columns after Stance under their
header names (``NAME (column N)`` where a name is taken) (SemEval-2016's gold test files have ``Opinion towards`` and ``Sentiment``).

Export: the same four columns, one row per document in order, Stance from its first
``article_stance`` annotation (``UNKNOWN`` without one); ID from ``semeval_id`` (else the
document name); Target from the annotation's ``target`` (else ``meta["target"]``); encoding and
line ends those recorded on import (UTF-8 and CRLF otherwise; UTF-8 when a text does not fit the
recorded encoding or it does not give the text back). Counted as dropped: spans and relations, further ``article_stance``
annotations of a document, other document-level layers, columns after Stance, and documents whose
text, ID or target holds a tab or a line break (a row cannot hold them). Import → export of a
task file gives it back byte for byte.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, DocAnnotationRecord
from annotator.core.tagset import Tagset
from annotator.formats._common import check_document_size
from annotator.formats._control import check_name, check_text
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

HEADER = ("ID", "Target", "Tweet", "Stance")
LAYER = "article_stance"
LABELS = {"FAVOR": "favour", "AGAINST": "against", "NONE": "none"}
WRITTEN = {v: k for k, v in LABELS.items()}
UNLABELLED = "UNKNOWN"


def decode(data: bytes, path: Path, options: ReadOptions) -> tuple[str, str]:
    """The file's text and the encoding used (see the module's docstring)."""
    if options.encoding:
        try:
            return data.decode(options.encoding), options.encoding
        except (UnicodeError, LookupError) as exc:
            raise BadInputError(f"cannot be decoded as {options.encoding}: {exc}",
                                path=path) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise BadInputError(f"starts as UTF-16 but is not: {exc.reason} at byte "
                                f"{exc.start}", path=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:  # a byte order mark is kept as utf-8-sig, so export writes it again
        return (text[1:], "utf-8-sig") if text.startswith("\ufeff") else (text, "utf-8")
    for codec in ("windows-1252", "latin-1"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        line = data.count(b"\n", 0, first_bad) + 1
        options.warn(f"{path}: not UTF-8 (byte 0x{data[first_bad]:02x} on line {line}); "
                     f"decoded as {codec}, as the task's own files are")
        return text, codec
    raise AssertionError("latin-1 decodes any byte")  # pragma: no cover


def _rows(text: str, path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    line_end = "crlf" if "\r\n" in text.split("\n", 1)[0] + "\n" else "lf"
    lines = text.split("\n")
    header = lines[0].removesuffix("\r").split("\t")
    if [h.strip().lower() for h in header[:4]] != [h.lower() for h in HEADER]:
        raise BadInputError("the first line is not the SemEval-2016 Task 6 header "
                            "ID<TAB>Target<TAB>Tweet<TAB>Stance", path=path, line=1)
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            raise BadInputError(f"{len(cells)} cell(s) where the header has {len(header)} "
                                "(a tab inside a tweet?)", path=path, line=number)
        rows.append((number, cells))
    return header, rows, line_end


@register
class SemEvalStance(Format):
    name = "semeval-stance"
    label = "SemEval-2016 Task 6 stance TSV (ID, Target, Tweet, Stance)"
    extensions = ()
    can_read = True
    can_write = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        from annotator.formats._textfile import (
            MANY_DOCUMENTS_FACTOR,
            MAX_DOCUMENT_BYTES,
            read_file_bytes,
        )

        data = read_file_bytes(path, limit=MAX_DOCUMENT_BYTES * MANY_DOCUMENTS_FACTOR)
        if not data:
            raise BadInputError("the file is empty", path=path)
        text, encoding = decode(data, path, options)
        header, rows, line_end = _rows(text, path)
        docs: list[CorpusDocument] = []
        unlabelled = 0
        for number, cells in rows:
            sid, target, tweet, stance = cells[:4]
            if not tweet.strip():
                raise BadInputError(f"row {sid!r} has an empty Tweet", path=path, line=number)
            check_name(sid, "the ID", path, number)
            check_name(target, "the Target", path, number)
            check_text(tweet, "the Tweet", path, number)
            check_document_size(tweet, path, number)
            if stance not in LABELS and stance != UNLABELLED:
                raise BadInputError(f"stance {stance[:20]!r} is not FAVOR, AGAINST, NONE or "
                                    "UNKNOWN", path=path, line=number)
            meta: dict[str, object] = {"semeval_id": sid, "target": target,
                                       "source_encoding": encoding, "line_end": line_end}
            for i, (name, cell) in enumerate(zip(header[4:], cells[4:], strict=True), start=5):
                meta[name if name not in meta else f"{name} (column {i})"] = cell
            anns = []
            if stance in LABELS:
                anns.append(DocAnnotationRecord(LAYER, LABELS[stance], {"target": target},
                                                annotator=options.annotator))
            else:
                unlabelled += 1
            docs.append(CorpusDocument(name=sid or f"{path.stem}-{number - 1}",
                                       title=f"{sid} ({target})" if target else sid, text=tweet,
                                       meta=meta, doc_annotations=anns,
                                       source_path=f"{path}:{number}"))
        if unlabelled:
            options.warn(f"{path}: {unlabelled} row(s) with stance UNKNOWN imported as text "
                         "only (no article_stance annotation)")
        yield from docs

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        summary = ExportSummary()
        rows: list[str] = []
        encoding, line_end = "", ""
        for doc in docs:
            meta = doc.meta
            encoding = encoding or str(meta.get("source_encoding") or "")
            line_end = line_end or str(meta.get("line_end") or "")
            stances = [a for a in doc.doc_annotations if a.layer == LAYER]
            other = len(doc.doc_annotations) - len(stances)
            if other:
                summary.drop("document-level annotations of other layers", other)
            if len(stances) > 1:
                summary.drop("further article_stance annotations of a document (one stance "
                              "per row)", len(stances) - 1)
            if doc.spans or doc.relations:
                summary.drop("spans and relations (the format labels whole tweets)",
                              len(doc.spans) + len(doc.relations))
            extra = [k for k in meta if k not in ("semeval_id", "target", "source_encoding",
                                                  "line_end")]
            if extra:
                summary.drop("metadata and columns after Stance", len(extra))
            first = stances[0] if stances else None
            target = first.attributes.get("target") if first else None
            if not isinstance(target, str):
                target = str(meta.get("target") or "")
            stance = WRITTEN.get(first.label, first.label.upper()) if first else UNLABELLED
            sid = str(meta.get("semeval_id") or doc.name)
            cells = (sid, target, doc.text, stance)
            if any(c in cell for cell in cells for c in "\t\r\n"):
                summary.drop("documents whose text, ID or target holds a tab or line break")
                continue
            rows.append("\t".join(cells))
            summary.documents += 1
        newline = "\n" if line_end == "lf" else "\r\n"
        content = newline.join(["\t".join(HEADER), *rows]) + newline
        try:
            data = content.encode(encoding or "utf-8")
            fits = data.decode(encoding or "utf-8") == content
        except (UnicodeError, LookupError):  # idna and others raise a bare UnicodeError
            fits = False
        if not fits:
            summary.warnings.append(f"{out}: a text does not fit {encoding}; written as UTF-8")
            data = content.encode("utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        summary.files.append(out)
        return summary
