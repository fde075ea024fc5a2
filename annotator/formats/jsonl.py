"""The native corpus format: JSON Lines, one document per line (see interfaces.md).

Key order is fixed (id, title, text, meta, status, spans, relations), so that
export → import → export is byte-identical. Unknown top-level keys are kept under ``meta``.
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
    RelationRecord,
    SpanRecord,
    check_fragments,
    span_text,
)
from annotator.core.tagset import Tagset
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

KNOWN_KEYS = ("id", "title", "text", "meta", "status", "spans", "relations")


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
    return {"id": doc.name, "title": doc.title, "text": text, "meta": doc.meta,
            "status": doc.status, "spans": spans, "relations": relations}


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def dumps_document(doc: CorpusDocument) -> str:
    return _ENCODE(document_to_json(doc))


def _fail(msg: str, path: Path, line: int) -> BadInputError:
    return BadInputError(msg, path=path, line=line)


def _utf8_error(path: Path) -> BadInputError:
    """The error for the first byte of ``path`` that is not UTF-8, naming its line."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1)
        return BadInputError(f"is not valid UTF-8 ({exc.reason} at byte {column} of the line)",
                             path=path, line=line)
    return BadInputError("is not valid UTF-8", path=path)


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def document_from_json(obj: Any, path: Path, line: int, annotator: str) -> CorpusDocument:
    if not isinstance(obj, dict):
        raise _fail("each line must be a JSON object", path, line)
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        raise _fail("missing or empty \"text\"", path, line)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _fail("\"text\" contains an unpaired surrogate (invalid Unicode)",
                    path, line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    doc_id = obj.get("id")
    if doc_id is None:
        raise _fail("missing \"id\"", path, line)
    name = str(doc_id)
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise _fail("\"meta\" must be an object", path, line)
    meta = dict(meta)
    for key, value in obj.items():
        if key not in KNOWN_KEYS:
            meta[key] = value
    status = obj.get("status", "new")
    if status not in STATUSES:
        raise _fail(f"document {name!r}: unknown status {status!r}", path, line)
    spans: list[SpanRecord] = []
    seen: set[str] = set()
    raw_spans = obj.get("spans") or []
    if not isinstance(raw_spans, list):
        raise _fail(f"document {name!r}: \"spans\" must be a list", path, line)
    for i, sp in enumerate(raw_spans):
        if not isinstance(sp, dict):
            raise _fail(f"document {name!r}: span {i + 1} is not an object", path, line)
        key = str(sp.get("id", f"s{i + 1}"))
        where = f"document {name!r}, span {key!r}"
        if key in seen:
            raise _fail(f"{where}: duplicate span id", path, line)
        seen.add(key)
        if "fragments" in sp:
            frs = sp["fragments"]
            if not (isinstance(frs, list) and all(isinstance(f, list) and len(f) == 2
                                                  and _int(f[0]) and _int(f[1]) for f in frs)):
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
            raise _fail(f"{where}: \"text\" is {sp['text']!r} but the offsets cover "
                        f"{covered!r}", path, line)
        layer, label = sp.get("layer"), sp.get("label")
        if not isinstance(layer, str) or not layer or not isinstance(label, str) or not label:
            raise _fail(f"{where}: \"layer\" and \"label\" are required strings", path, line)
        attrs = sp.get("attributes") or {}
        if not isinstance(attrs, dict):
            raise _fail(f"{where}: \"attributes\" must be an object", path, line)
        spans.append(SpanRecord(key=key, layer=layer, label=label, fragments=fragments,
                                attributes=attrs, note=str(sp.get("note") or ""),
                                annotator=str(sp.get("annotator") or annotator)))
    relations: list[RelationRecord] = []
    raw_relations = obj.get("relations") or []
    if not isinstance(raw_relations, list):
        raise _fail(f"document {name!r}: \"relations\" must be a list", path, line)
    for i, rel in enumerate(raw_relations):
        if not isinstance(rel, dict):
            raise _fail(f"document {name!r}: relation {i + 1} is not an object", path, line)
        key = str(rel.get("id", f"r{i + 1}"))
        src, tgt, typ = rel.get("from"), rel.get("to"), rel.get("type")
        if not isinstance(typ, str) or not typ:
            raise _fail(f"document {name!r}, relation {key!r}: missing \"type\"", path, line)
        for end in (src, tgt):
            if str(end) not in seen:
                raise _fail(f"document {name!r}, relation {key!r}: span {end!r} is not in "
                            "this line", path, line)
        rel_attrs = rel.get("attributes") or {}
        if not isinstance(rel_attrs, dict):
            raise _fail(f"document {name!r}, relation {key!r}: \"attributes\" must be an "
                        "object", path, line)
        relations.append(RelationRecord(key=key, type=typ, source=str(src), target=str(tgt),
                                        attributes=rel_attrs))
    title = obj.get("title")
    return CorpusDocument(name=name, text=text, title=str(title) if title else name, meta=meta,
                          status=status, spans=spans, relations=relations,
                          source_path=str(path))


@register
class JsonLines(Format):
    name = "jsonl"
    label = "Annotator JSON Lines"
    extensions = (".jsonl", ".ndjson")
    can_read = True
    can_write = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        try:
            fh = path.open("r", encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise BadInputError(f"cannot be read ({exc.strerror})", path=path) from None
        count = 0
        with fh:
            lineno = 0
            while True:
                try:
                    raw = fh.readline()
                except UnicodeDecodeError:
                    # the text layer decodes ahead in chunks: find the bad byte in the file
                    raise _utf8_error(path) from None
                if not raw:
                    break
                lineno += 1
                if not raw.strip():
                    continue
                if "\x00" in raw:
                    raise BadInputError("is a binary file, not JSON Lines", path=path,
                                        line=lineno)
                try:
                    obj = json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise BadInputError(f"is not valid JSON ({exc.msg}, column {exc.colno})",
                                        path=path, line=lineno) from None
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
