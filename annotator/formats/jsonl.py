"""The native corpus format: JSON Lines, one document per line (see interfaces.md).

Key order is fixed (id, title, text, meta, status, spans, relations, doc_annotations), so that
export → import → export is byte-identical. Unknown top-level keys are kept under ``meta``.

Reading is strict: the text is stored exactly as given (``\r\n`` too, since offsets count it),
each line is read with a size bound, and wrong JSON types, lone surrogates, deep nesting, huge
numbers, a document over the size limit, or a span whose ``text`` disagrees with its offsets
refuse the file with the line named.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import (
    STATUSES,
    CorpusDocument,
    DocAnnotationRecord,
    RelationRecord,
    SpanRecord,
    check_fragments,
    span_text,
)
from annotator.core.tagset import Tagset
from annotator.formats import _textfile
from annotator.formats._common import (
    check_document_size,
    load_json,
    open_regular,
    shown,
)
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

KNOWN_KEYS = ("id", "title", "text", "meta", "status", "spans", "relations", "doc_annotations")


def document_to_json(doc: CorpusDocument) -> dict[str, Any]:
    text = doc.text
    spans = []
    for sp in doc.spans:
        frags = sp.fragments
        if len(frags) == 1:  # the common case, without the generic join: spans are many
            start, end = frags[0]
            spans.append({"id": sp.key, "start": start, "end": end, "layer": sp.layer,
                          "label": sp.label, "attributes": sp.attributes,
                          "text": text[start:end], "annotator": sp.annotator,
                          "note": sp.note})
            continue
        out: dict[str, Any] = {"id": sp.key, "start": sp.start, "end": sp.end}
        if len(frags) > 1:
            out["fragments"] = [[s, e] for s, e in frags]
        out.update(layer=sp.layer, label=sp.label, attributes=sp.attributes,
                   text=span_text(text, frags), annotator=sp.annotator, note=sp.note)
        spans.append(out)
    relations = [{"id": r.key, "type": r.type, "from": r.source, "to": r.target,
                  "attributes": r.attributes} for r in doc.relations]
    out_doc: dict[str, Any] = {"id": doc.name, "title": doc.title, "text": text,
                               "meta": doc.meta, "status": doc.status, "spans": spans,
                               "relations": relations}
    if doc.doc_annotations:  # absent when there are none (interfaces.md)
        out_doc["doc_annotations"] = [
            {"layer": a.layer, "label": a.label, "attributes": a.attributes,
             "annotator": a.annotator} for a in doc.doc_annotations]
    return out_doc


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def dumps_document(doc: CorpusDocument) -> str:
    return _ENCODE(document_to_json(doc))


def _fail(msg: str, path: Path, line: int) -> BadInputError:
    return BadInputError(msg, path=path, line=line)


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _key(value: Any, what: str, path: Path, line: int) -> str:
    """An id: a non-empty string or an integer (a list, object or boolean is refused)."""
    if isinstance(value, str) and value:
        return value
    if _int(value):
        return str(value)
    raise _fail(f"{what} must be a string or an integer, not {shown(value)}", path, line)


def _opt_str(obj: dict[str, Any], key: str, where: str, path: Path, line: int) -> str:
    """``obj[key]`` when it is a string, "" when absent or null; anything else is an error."""
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _fail(f"{where}: \"{key}\" must be a string, not {shown(value)}", path, line)
    return value


def document_from_json(obj: Any, path: Path, line: int, annotator: str) -> CorpusDocument:
    """One JSONL line as a document. The text is kept exactly (``\r\n`` included: offsets
    count it); every field of the wrong type, and a span whose ``text`` disagrees with its
    offsets, is an error naming the line."""
    if not isinstance(obj, dict):
        raise _fail("each line must be a JSON object", path, line)
    # ``obj`` comes from load_json, which checked it (depth, surrogates, finite numbers)
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        raise _fail("missing or empty \"text\"", path, line)
    check_document_size(text, path, line)
    if "id" not in obj or obj["id"] is None:
        raise _fail("missing \"id\"", path, line)
    name = _key(obj["id"], "\"id\"", path, line)
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise _fail("\"meta\" must be an object", path, line)
    meta = dict(meta)
    for key, value in obj.items():
        if key not in KNOWN_KEYS:
            meta[key] = value
    status = obj.get("status", "new")
    if not isinstance(status, str) or status not in STATUSES:
        raise _fail(f"document {name!r}: unknown status {shown(status)}", path, line)
    title = _opt_str(obj, "title", f"document {name!r}", path, line)
    has_cr = "\r" in text
    spans: list[SpanRecord] = []
    seen: set[str] = set()
    raw_spans = obj.get("spans") or []
    if not isinstance(raw_spans, list):
        raise _fail(f"document {name!r}: \"spans\" must be a list", path, line)
    n = len(text)
    for i, sp in enumerate(raw_spans):
        record = _plain_span(sp, text, n, has_cr, seen, annotator)
        spans.append(record if record is not None else
                     _checked_span(sp, i, name, text, has_cr, seen, path, line, annotator))
    relations: list[RelationRecord] = []
    raw_relations = obj.get("relations") or []
    if not isinstance(raw_relations, list):
        raise _fail(f"document {name!r}: \"relations\" must be a list", path, line)
    for i, rel in enumerate(raw_relations):
        if not isinstance(rel, dict):
            raise _fail(f"document {name!r}: relation {i + 1} is not an object", path, line)
        key = _key(rel.get("id", f"r{i + 1}"),
                   f"document {name!r}: relation {i + 1}'s \"id\"", path, line)
        typ = rel.get("type")
        if not isinstance(typ, str) or not typ:
            raise _fail(f"document {name!r}, relation {key!r}: missing \"type\"", path, line)
        ends = []
        for end in (rel.get("from"), rel.get("to")):
            end_key = _key(end, f"document {name!r}, relation {key!r}: an end", path, line) \
                if end is not None else ""
            if end_key not in seen:
                raise _fail(f"document {name!r}, relation {key!r}: span {shown(end)} is not in "
                            "this line", path, line)
            ends.append(end_key)
        rel_attrs = rel.get("attributes") or {}
        if not isinstance(rel_attrs, dict):
            raise _fail(f"document {name!r}, relation {key!r}: \"attributes\" must be an "
                        "object", path, line)
        relations.append(RelationRecord(key=key, type=typ, source=ends[0], target=ends[1],
                                        attributes=rel_attrs))
    return CorpusDocument(name=name, text=text, title=title or name, meta=meta,
                          status=status, spans=spans, relations=relations,
                          doc_annotations=_doc_annotations(obj, name, path, line, annotator),
                          source_path=str(path))


def _plain_span(sp: Any, text: str, n: int, has_cr: bool, seen: set[str],
                annotator: str) -> SpanRecord | None:
    """The common span (a string id not seen before, integer offsets inside the text, no
    ``fragments``, its ``text`` as the offsets cover, layer and label, string or absent note
    and annotator) as :func:`_checked_span` reads it, or None for anything else: that one
    then checks the span and names what is wrong. Spans are many."""
    if type(sp) is not dict:
        return None
    key, start, end = sp.get("id"), sp.get("start"), sp.get("end")
    layer, label = sp.get("layer"), sp.get("label")
    note, who = sp.get("note"), sp.get("annotator")
    attrs = sp.get("attributes") or {}
    if not (type(key) is str and key and type(start) is int and type(end) is int
            and 0 <= start < end <= n and type(layer) is str and layer
            and type(label) is str and label and type(attrs) is dict
            and (note is None or type(note) is str) and (who is None or type(who) is str)
            and key not in seen and "fragments" not in sp):
        return None
    if "text" in sp:
        if sp["text"] != text[start:end]:
            return None
    elif has_cr:
        return None
    seen.add(key)
    return SpanRecord(key, layer, label, ((start, end),), attrs, note or "", who or annotator)


def _checked_span(sp: Any, i: int, name: str, text: str, has_cr: bool, seen: set[str],
                  path: Path, line: int, annotator: str) -> SpanRecord:
    """Span ``i`` of document ``name``, every check made; an error names what is wrong."""
    if not isinstance(sp, dict):
        raise _fail(f"document {name!r}: span {i + 1} is not an object", path, line)
    key = _key(sp.get("id", f"s{i + 1}"), f"document {name!r}: span {i + 1}'s \"id\"",
               path, line)
    where = f"document {name!r}, span {key!r}"
    if key in seen:
        raise _fail(f"{where}: duplicate span id", path, line)
    seen.add(key)
    if "fragments" in sp:
        frs = sp["fragments"]
        if not (isinstance(frs, list) and frs and all(
                isinstance(f, list) and len(f) == 2 and _int(f[0]) and _int(f[1])
                for f in frs)):
            raise _fail(f"{where}: \"fragments\" must be a list of [start, end]", path, line)
        fragments = tuple((f[0], f[1]) for f in frs)
    else:
        if not (_int(sp.get("start")) and _int(sp.get("end"))):
            raise _fail(f"{where}: \"start\" and \"end\" must be integers", path, line)
        fragments = ((sp["start"], sp["end"]),)
    problem = check_fragments(fragments, len(text))
    if problem:
        raise _fail(f"{where}: {problem}", path, line)
    if "start" in sp and "fragments" in sp and (
            sp.get("start") != fragments[0][0] or sp.get("end") != fragments[-1][1]):
        raise _fail(f"{where}: start/end disagree with its fragments", path, line)
    covered = span_text(text, fragments)
    if "text" in sp and sp["text"] != covered:
        raise _fail(f"{where}: \"text\" is {shown(sp['text'])} but the offsets cover "
                    f"{shown(covered)}", path, line)
    if has_cr and "text" not in sp:
        raise _fail(f"{where}: the text has \\r line breaks, so the span needs its "
                    "\"text\" to show which text its offsets count", path, line)
    layer, label = sp.get("layer"), sp.get("label")
    if not isinstance(layer, str) or not layer or not isinstance(label, str) or not label:
        raise _fail(f"{where}: \"layer\" and \"label\" are required strings", path, line)
    attrs = sp.get("attributes") or {}
    if not isinstance(attrs, dict):
        raise _fail(f"{where}: \"attributes\" must be an object", path, line)
    return SpanRecord(key=key, layer=layer, label=label, fragments=fragments,
                      attributes=attrs, note=_opt_str(sp, "note", where, path, line),
                      annotator=_opt_str(sp, "annotator", where, path, line) or annotator)


def _doc_annotations(obj: dict[str, Any], name: str, path: Path, line: int,
                     annotator: str) -> list[DocAnnotationRecord]:
    raw = obj.get("doc_annotations") or []
    if not isinstance(raw, list):
        raise _fail(f"document {name!r}: \"doc_annotations\" must be a list", path, line)
    out = []
    for i, ann in enumerate(raw, 1):
        where = f"document {name!r}, document annotation {i}"
        if not isinstance(ann, dict):
            raise _fail(f"{where} is not an object", path, line)
        layer, label = ann.get("layer"), ann.get("label")
        if not isinstance(layer, str) or not layer:
            raise _fail(f"{where}: missing \"layer\"", path, line)
        if not isinstance(label, str) or not label:
            raise _fail(f"{where}: missing \"label\"", path, line)
        attrs = ann.get("attributes")
        attrs = {} if attrs is None else attrs
        if not isinstance(attrs, dict):
            raise _fail(f"{where}: \"attributes\" must be an object", path, line)
        out.append(DocAnnotationRecord(layer=layer, label=label, attributes=attrs,
                                       annotator=_opt_str(ann, "annotator", where, path, line)
                                       or annotator))
    return out


def max_line_bytes() -> int:
    """Longest JSONL line read: twice the document limit (room for spans and escapes)."""
    return 2 * _textfile.MAX_DOCUMENT_BYTES


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each non-blank line of UTF-8 file ``path``, each read with a
    bound (a line over :func:`max_line_bytes` is refused without reading it whole)."""
    limit = max_line_bytes()
    with open_regular(path) as fh:
        lineno = 0
        while True:
            try:
                raw = fh.readline(limit + 1)
            except OSError as exc:
                raise BadInputError(f"cannot read the file: {exc.strerror}", path=path) from None
            if not raw:
                return
            lineno += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                raise BadInputError(f"line is longer than {limit // 2**20} MB: too large for "
                                    "one document", path=path, line=lineno)
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            if b"\x00" in raw:
                raise BadInputError("is a binary file, not JSON Lines", path=path, line=lineno)
            try:
                yield lineno, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BadInputError(f"is not valid UTF-8 ({exc.reason} at byte {exc.start} of "
                                    "the line)", path=path, line=lineno) from None


@register
class JsonLines(Format):
    name = "jsonl"
    label = "Annotator JSON Lines"
    extensions = (".jsonl", ".ndjson")
    can_read = True
    can_write = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        count = 0
        for lineno, raw in iter_lines(path):
            obj = load_json(raw, path, lineno)
            yield document_from_json(obj, path, lineno, options.annotator)
            count += 1
        if count == 0:
            raise BadInputError("is empty: no documents", path=path)

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        summary = ExportSummary(files=[out])
        progress = options.progress
        with out.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
            for doc in docs:
                fh.write(dumps_document(doc) + "\n")
                summary.documents += 1
                summary.spans += len(doc.spans)
                summary.relations += len(doc.relations)
                if progress:
                    progress(summary.documents, 0)
        return summary
