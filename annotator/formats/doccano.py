"""doccano sequence-labelling export (JSON Lines), import only.

Each record is one document, in any of doccano's shapes::

    {"text": "…", "label": [[start, end, "LABEL"], …]}
    {"text": "…", "entities": [{"id": 1, "start_offset": 0, "end_offset": 4, "label": "L"}],
     "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "T"}]}
    {"id": 1, "text": "…", "annotations": [{"label": 2, "start_offset": 0, "end_offset": 2}]}

(the last is doccano 1.x's export, whose labels are numeric ids). Records are one per line, or
pretty-printed one after another, or the elements of one JSON array (doccano's "JSON" export).
Offsets count code points (doccano's backend is Python). A label goes to the default tagset's
layer holding a label of that name when exactly one does, else to layer ``imported``. A
document is named by its ``id`` when present, else ``<file stem>-<line>``. A ``label`` list of
plain strings (text classification) is kept in ``meta["labels"]``; a ``meta`` object is merged
into ``meta``; other unknown keys go to ``meta`` too. A field of the wrong JSON type is an error
naming the line. Not registered for ``.jsonl`` (our native format owns it): use
``--format doccano``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord, check_fragments
from annotator.formats._common import (
    NewlineMap,
    check_document_size,
    foreign_layer,
    iter_json_values,
    json_list,
    json_name,
    shown,
)
from annotator.formats._textfile import MANY_DOCUMENTS_FACTOR, read_file_bytes
from annotator.formats.registry import Format, ReadOptions, register

KNOWN_KEYS = {"id", "text", "label", "labels", "entities", "relations", "meta"}
_OFFSET_KEYS = {"start_offset", "end_offset", "label"}


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"offset {shown(value)} is not an integer")
    return value


def _v1_annotations(data: dict[str, Any]) -> list[Any]:
    """doccano 1.x's ``annotations`` (spans with numeric label ids), or [] when the key holds
    something else (then it stays in ``meta``)."""
    value = data.get("annotations")
    if "entities" in data or not isinstance(value, list) or not value:
        return []
    if all(isinstance(a, dict) and a.keys() >= _OFFSET_KEYS for a in value):
        return value
    return []


def parse_record(data: Any, name: str, options: ReadOptions) -> CorpusDocument:
    """One doccano record as a document; raises ValueError with a message on bad content."""
    if not isinstance(data, dict):
        raise ValueError("a record must be a JSON object")
    raw = data["text"] if "text" in data else data.get("data")
    if not isinstance(raw, str) or not raw:
        raise ValueError('no "text" string')
    nl = NewlineMap(raw)
    doc = CorpusDocument(name=json_name(data["id"], '"id"') if "id" in data else name, text=nl.text)
    doc.title = doc.name
    v1 = _v1_annotations(data)
    doc.meta = {k: v for k, v in data.items()
                if k not in KNOWN_KEYS and not (v1 and k == "annotations")}
    if isinstance(data.get("meta"), dict):
        doc.meta.update(data["meta"])
    elif data.get("meta") is not None:
        doc.meta["meta"] = data["meta"]
    entities: list[tuple[str, int, int, str]] = []
    labels = json_list(data, "label" if "label" in data else "labels")
    doc_labels = []
    for i, item in enumerate(labels):
        if isinstance(item, str):
            doc_labels.append(item)
        elif isinstance(item, list) and len(item) == 3:
            entities.append((f"l{i + 1}", _int(item[0]), _int(item[1]),
                             json_name(item[2], f"label {i + 1}'s name")))
        else:
            raise ValueError(f"label {i + 1} is neither [start, end, label] nor a string")
    if doc_labels:
        doc.meta["labels"] = doc_labels
    ids: dict[str, str] = {}
    for i, ent in enumerate(json_list(data, "entities") + v1):
        if not isinstance(ent, dict) or not ent.keys() >= _OFFSET_KEYS:
            raise ValueError(f"entity {i + 1} needs start_offset, end_offset and label")
        ent_id = json_name(ent.get("id", i + 1), f"entity {i + 1}'s id")
        key = f"e{ent_id}"
        if ent_id in ids:
            raise ValueError(f"entity id {ent_id!r} is used twice")
        ids[ent_id] = key
        entities.append((key, _int(ent["start_offset"]), _int(ent["end_offset"]),
                         json_name(ent["label"], f"entity {i + 1}'s label")))
    for key, start, end, label in entities:
        problem = check_fragments(((start, end),), len(raw))
        if problem:
            raise ValueError(f"span {label!r}: {problem}")
        doc.spans.append(SpanRecord(key=key, layer=foreign_layer(label), label=label,
                                    fragments=((nl.to_stored(start), nl.to_stored(end)),),
                                    annotator=options.annotator))
    for i, rel in enumerate(json_list(data, "relations")):
        if not isinstance(rel, dict) or not {"from_id", "to_id", "type"} <= rel.keys():
            raise ValueError(f"relation {i + 1} needs from_id, to_id and type")
        src = json_name(rel["from_id"], f"relation {i + 1}'s from_id")
        tgt = json_name(rel["to_id"], f"relation {i + 1}'s to_id")
        if src not in ids or tgt not in ids:
            raise ValueError(f"relation {i + 1} links an entity id that is not in this record")
        rel_id = json_name(rel.get("id", i + 1), f"relation {i + 1}'s id")
        doc.relations.append(RelationRecord(key=f"r{rel_id}",
                                            type=json_name(rel["type"], f"relation {i + 1}'s type"),
                                            source=ids[src], target=ids[tgt]))
    return doc


@register
class DoccanoFormat(Format):
    name = "doccano"
    label = "doccano JSONL export (sequence labelling, relations)"
    extensions = ()
    can_read = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        from annotator.core.text import decode_bytes
        from annotator.formats import _textfile

        data = read_file_bytes(path, _textfile.MAX_DOCUMENT_BYTES * MANY_DOCUMENTS_FACTOR)
        text, _ = decode_bytes(data, path, encoding=options.encoding, warn=options.warn)
        docs = []
        for number, record in iter_json_values(text, path):
            try:
                doc = parse_record(record, f"{path.stem}-{number}", options)
            except ValueError as exc:
                raise BadInputError(str(exc), path=path, line=number) from None
            check_document_size(doc.text, path, number)
            doc.source_path = str(path)
            docs.append(doc)
        if not docs:
            raise BadInputError("no documents in this file", path=path)
        yield from docs
