"""Label Studio JSON export (a list of tasks), import only.

A task's text is ``data.text`` (else the first string in ``data``). Every non-cancelled
annotation's ``result`` items are read:

* ``labels``: ``value.start``/``value.end``/``value.labels``/``value.text``; one span per label,
  annotator from ``completed_by``;
* ``relation``: ``from_id``/``to_id``/``labels`` (no label: type ``related``; ``direction``
  ``left`` swaps the ends);
* per-region ``choices`` (same ``id`` as a labels region) become attributes named by
  ``from_name``; per-region ``textarea`` the span's note; task-level ones go to ``meta``.

Offsets: Label Studio counted JavaScript UTF-16 units before its fix for astral characters
(label-studio#1347, frontend PR #308) and code points since. Each span is checked against its
``value.text``: code points are tried first, then UTF-16 (converted with
:class:`~annotator.core.offsets.OffsetMap`); a text that matches neither is an error. Without
``value.text`` offsets are taken as code points. Labels go to the default tagset's layer holding
that label name when exactly one does, else layer ``imported``. Not registered for ``.json``:
use ``--format labelstudio``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord, check_fragments
from annotator.core.offsets import OffsetMap
from annotator.formats._common import NewlineMap, foreign_layer
from annotator.formats.registry import Format, ReadOptions, register


def _task_text(task: dict[str, Any]) -> str:
    data = task.get("data")
    if not isinstance(data, dict):
        raise ValueError('no "data" object')
    text = data.get("text")
    if not isinstance(text, str):
        text = next((v for v in data.values() if isinstance(v, str)), None)
    if not text:
        raise ValueError("no text in data")
    return text


def _annotator(annotation: dict[str, Any], default: str) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return str(who) if who not in (None, "") else default


def resolve_offsets(raw: str, start: Any, end: Any, shown: Any,
                    omap: OffsetMap | None) -> tuple[int, int]:
    """Code point offsets of a region, trying code points then UTF-16 units against ``shown``."""
    if isinstance(start, bool) or not isinstance(start, int) or isinstance(end, bool) \
            or not isinstance(end, int):
        raise ValueError(f"offsets {start!r}, {end!r} are not integers")
    if not isinstance(shown, str) or (0 <= start < end <= len(raw) and raw[start:end] == shown):
        return start, end
    if omap is not None and 0 <= start < end <= omap.length_u16:
        s, e = omap.to_codepoint(start), omap.to_codepoint(end, round_up=True)
        if raw[s:e] == shown:
            return s, e
    found = raw[start:end] if 0 <= start < end <= len(raw) else "(outside the text)"
    raise ValueError(f"region text {shown!r} does not match the text at {start}..{end}: "
                     f"{found!r}")


def parse_task(task: Any, index: int, stem: str, options: ReadOptions) -> CorpusDocument:
    if not isinstance(task, dict):
        raise ValueError("a task must be a JSON object")
    raw = _task_text(task)
    nl = NewlineMap(raw)
    omap = OffsetMap(raw) if not raw.isascii() else None
    name = str(task["id"]) if "id" in task else f"{stem}-{index}"
    doc = CorpusDocument(name=name, title=str(task.get("data", {}).get("title") or name),
                         text=nl.text)
    for a_index, annotation in enumerate(task.get("annotations") or []):
        if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
            continue
        who = _annotator(annotation, options.annotator)
        regions: dict[str, list[SpanRecord]] = {}
        results = annotation.get("result") or []
        if not isinstance(results, list):
            raise ValueError(f"annotation {a_index + 1}: result is not a list")
        for item in results:
            if not isinstance(item, dict) or item.get("type") != "labels":
                continue
            value = item.get("value") or {}
            start, end = resolve_offsets(raw, value.get("start"), value.get("end"),
                                         value.get("text"), omap)
            problem = check_fragments(((start, end),), len(raw))
            if problem:
                raise ValueError(f"region {item.get('id')}: {problem}")
            frag = ((nl.to_stored(start), nl.to_stored(end)),)
            rid = str(item.get("id", len(regions)))
            for label in value.get("labels") or []:
                key = f"a{a_index + 1}-{rid}-{len(regions.get(rid, [])) + 1}"
                regions.setdefault(rid, []).append(SpanRecord(
                    key=key, layer=foreign_layer(str(label)), label=str(label), fragments=frag,
                    annotator=who))
        for item in results:
            if not isinstance(item, dict):
                continue
            kind, value = item.get("type"), item.get("value") or {}
            rid = str(item.get("id"))
            if kind == "relation":
                src, tgt = str(item.get("from_id")), str(item.get("to_id"))
                if src not in regions or tgt not in regions:
                    raise ValueError(f"relation {src}→{tgt} links a region that is not a span")
                if item.get("direction") == "left":
                    src, tgt = tgt, src
                for label in item.get("labels") or ["related"]:
                    doc.relations.append(RelationRecord(
                        key=f"a{a_index + 1}-r{len(doc.relations) + 1}", type=str(label),
                        source=regions[src][0].key, target=regions[tgt][0].key))
            elif kind in ("choices", "textarea"):
                field = "choices" if kind == "choices" else "text"
                got = value.get(field) or []
                got = got[0] if isinstance(got, list) and len(got) == 1 else got
                if rid in regions:
                    for span in regions[rid]:
                        if kind == "textarea":
                            span.note = "\n".join(got) if isinstance(got, list) else str(got)
                        else:
                            span.attributes[str(item.get("from_name", "choice"))] = got
                else:
                    doc.meta[str(item.get("from_name", kind))] = got
        for spans in regions.values():
            doc.spans.extend(spans)
    return doc


@register
class LabelStudioFormat(Format):
    name = "labelstudio"
    label = "Label Studio JSON export"
    extensions = ()
    can_read = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        from annotator.core.text import decode_bytes

        text, _ = decode_bytes(path.read_bytes(), path, encoding=options.encoding,
                               warn=options.warn)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadInputError(f"not valid JSON: {exc.msg} (column {exc.colno})", path=path,
                                line=exc.lineno) from None
        tasks = [data] if isinstance(data, dict) else data
        if not isinstance(tasks, list) or not tasks:
            raise BadInputError("expected a list of Label Studio tasks", path=path)
        docs = []
        for index, task in enumerate(tasks, start=1):
            try:
                doc = parse_task(task, index, path.stem, options)
            except ValueError as exc:
                raise BadInputError(f"task {index}: {exc}", path=path) from None
            doc.source_path = str(path)
            docs.append(doc)
        yield from docs
