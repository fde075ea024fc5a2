"""doccano sequence-labelling export (JSON Lines), import only.

Each line is one document, in either of doccano's two shapes::

    {"text": "…", "label": [[start, end, "LABEL"], …]}
    {"text": "…", "entities": [{"id": 1, "start_offset": 0, "end_offset": 4, "label": "L"}],
     "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "T"}]}

Offsets count code points (doccano's backend is Python). A label goes to the default tagset's
layer holding a label of that name when exactly one does, else to layer ``imported``. A
document is named by its ``id`` when present, else ``<file stem>-<line>``. A ``label`` list of
plain strings (text classification) is kept in ``meta["labels"]``; other unknown keys in
``meta``. Not registered for ``.jsonl`` (our native format owns it): use ``--format doccano``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord, check_fragments
from annotator.formats._common import NewlineMap, foreign_layer
from annotator.formats.registry import Format, ReadOptions, register

KNOWN_KEYS = {"id", "text", "label", "labels", "entities", "relations"}


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"offset {value!r} is not an integer")
    return value


def parse_record(data: Any, name: str, options: ReadOptions) -> CorpusDocument:
    """One doccano line as a document; raises ValueError with a message on bad content."""
    if not isinstance(data, dict):
        raise ValueError("a line must be a JSON object")
    raw = data.get("text", data.get("data"))
    if not isinstance(raw, str) or not raw:
        raise ValueError('no "text" string')
    nl = NewlineMap(raw)
    doc = CorpusDocument(name=str(data["id"]) if "id" in data else name, text=nl.text)
    doc.title = doc.name
    doc.meta = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
    entities: list[tuple[str, int, int, Any]] = []
    labels = data.get("label", data.get("labels", []))
    if not isinstance(labels, list):
        raise ValueError('"label" must be a list')
    doc_labels = []
    for i, item in enumerate(labels):
        if isinstance(item, str):
            doc_labels.append(item)
        elif isinstance(item, list) and len(item) == 3:
            entities.append((f"l{i + 1}", _int(item[0]), _int(item[1]), item[2]))
        else:
            raise ValueError(f"label {i + 1} is neither [start, end, label] nor a string")
    if doc_labels:
        doc.meta["labels"] = doc_labels
    ids: dict[Any, str] = {}
    for i, ent in enumerate(data.get("entities") or []):
        if not isinstance(ent, dict) or not {"start_offset", "end_offset", "label"} <= ent.keys():
            raise ValueError(f"entity {i + 1} needs start_offset, end_offset and label")
        key = f"e{ent.get('id', i + 1)}"
        ids[ent.get("id", i + 1)] = key
        entities.append((key, _int(ent["start_offset"]), _int(ent["end_offset"]), ent["label"]))
    for key, start, end, label in entities:
        problem = check_fragments(((start, end),), len(raw))
        if problem:
            raise ValueError(f"span {label!r}: {problem}")
        label = str(label)
        doc.spans.append(SpanRecord(key=key, layer=foreign_layer(label), label=label,
                                    fragments=((nl.to_stored(start), nl.to_stored(end)),),
                                    annotator=options.annotator))
    for i, rel in enumerate(data.get("relations") or []):
        if not isinstance(rel, dict) or not {"from_id", "to_id", "type"} <= rel.keys():
            raise ValueError(f"relation {i + 1} needs from_id, to_id and type")
        if rel["from_id"] not in ids or rel["to_id"] not in ids:
            raise ValueError(f"relation {i + 1} links an entity id that is not in this line")
        doc.relations.append(RelationRecord(key=f"r{rel.get('id', i + 1)}", type=str(rel["type"]),
                                            source=ids[rel["from_id"]], target=ids[rel["to_id"]]))
    return doc


@register
class DoccanoFormat(Format):
    name = "doccano"
    label = "doccano JSONL export (sequence labelling, relations)"
    extensions = ()
    can_read = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        from annotator.core.text import decode_bytes

        text, _ = decode_bytes(path.read_bytes(), path, encoding=options.encoding,
                               warn=options.warn)
        docs = []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                doc = parse_record(json.loads(line), f"{path.stem}-{number}", options)
            except json.JSONDecodeError as exc:
                raise BadInputError(f"not valid JSON: {exc.msg} (column {exc.colno})",
                                    path=path, line=number) from None
            except ValueError as exc:
                raise BadInputError(str(exc), path=path, line=number) from None
            doc.source_path = str(path)
            docs.append(doc)
        if not docs:
            raise BadInputError("no documents in this file", path=path)
        yield from docs
