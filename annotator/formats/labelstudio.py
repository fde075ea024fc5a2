"""Label Studio JSON export (a list of tasks), import only.

A task's text is ``data.text`` (else the first string in ``data`` that is not a URL; a task
with none, such as an image task, is an error). Tasks are the elements of the exported array,
or one task object; a task for import may give its fields without ``data`` (``{"text": …}``).
Every non-cancelled annotation's ``result`` items are read (``completions`` in Label Studio
0.x files); a field of the wrong JSON type is an error naming the task and its line:

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

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord, check_fragments
from annotator.core.offsets import OffsetMap
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

_URL_PREFIXES = ("http://", "https://", "s3://", "gs://", "azure-blob://", "/data/", "data:")


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string, not {shown(value)}")
    return value


def _task_data(task: dict[str, Any]) -> dict[str, Any]:
    """``data``; a task file for import may give the fields at the top (``[{"text": …}]``)."""
    data = task.get("data")
    if data is None and isinstance(task.get("text"), str):
        return task
    if not isinstance(data, dict):
        raise ValueError('no "data" object')
    return data


def _task_text(data: dict[str, Any]) -> str:
    """``data.text``, else the first string of ``data`` that is not a URL (an image, audio or
    file task has no text to import)."""
    if "text" in data:
        text = _str(data["text"], '"data.text"')
    else:
        text = next((v for v in data.values()
                     if isinstance(v, str) and v.strip() and not v.startswith(_URL_PREFIXES)),
                    "")
        if not text:
            keys = ", ".join(sorted(map(str, data))) or "nothing"
            raise ValueError(f"no text in data (it has {shown(keys)}: an image, audio or other "
                             "non-text task?)")
    if not text:
        raise ValueError("no text in data")
    return text


def _annotator(annotation: dict[str, Any], default: str) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    if who in (None, ""):
        return default
    return json_name(who, '"completed_by"')


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
    data = _task_data(task)
    raw = _task_text(data)
    nl = NewlineMap(raw)
    omap = OffsetMap(raw) if not raw.isascii() else None
    name = json_name(task["id"], '"id"') if "id" in task else f"{stem}-{index}"
    title = data.get("title") if data is not task else None
    doc = CorpusDocument(name=name, title=title if isinstance(title, str) and title else name,
                         text=nl.text)
    # Label Studio 0.x called the annotations "completions"
    key = "annotations" if "annotations" in task or "completions" not in task else "completions"
    for a_index, annotation in enumerate(json_list(task, key, "task")):
        if not isinstance(annotation, dict):
            raise ValueError(f"annotation {a_index + 1} is not an object")
        if annotation.get("was_cancelled"):
            continue
        _read_annotation(doc, annotation, a_index, raw, nl, omap,
                         _annotator(annotation, options.annotator))
    return doc


def _read_annotation(doc: CorpusDocument, annotation: dict[str, Any], a_index: int, raw: str,
                     nl: NewlineMap, omap: OffsetMap | None, who: str) -> None:
    """The spans, relations and per-region choices of one annotation, added to ``doc``."""
    where = f"annotation {a_index + 1}"
    regions: dict[str, list[SpanRecord]] = {}
    results = json_list(annotation, "result", where)
    for item in results:
        if not isinstance(item, dict):
            raise ValueError(f"{where}: a result is not an object")
        if item.get("type") != "labels":
            continue
        value = item.get("value")
        if not isinstance(value, dict):
            raise ValueError(f"{where}: a labels result has no \"value\" object")
        shown_text = value.get("text")
        if shown_text is not None:
            _str(shown_text, f"{where}: value.text")
        start, end = resolve_offsets(raw, value.get("start"), value.get("end"), shown_text, omap)
        problem = check_fragments(((start, end),), len(raw))
        if problem:
            raise ValueError(f"region {shown(item.get('id'))}: {problem}")
        frag = ((nl.to_stored(start), nl.to_stored(end)),)
        rid = json_name(item["id"], f"{where}: a region id") if "id" in item else str(len(regions))
        for label in json_list(value, "labels", f"{where}, region {rid!r}"):
            label = json_name(label, f"{where}, region {rid!r}: a label")
            key = f"a{a_index + 1}-{rid}-{len(regions.get(rid, [])) + 1}"
            regions.setdefault(rid, []).append(SpanRecord(
                key=key, layer=foreign_layer(label), label=label, fragments=frag,
                annotator=who))
    for item in results:
        kind = item.get("type")
        if kind == "relation":
            src = json_name(item.get("from_id"), f"{where}: a relation's from_id")
            tgt = json_name(item.get("to_id"), f"{where}: a relation's to_id")
            if src not in regions or tgt not in regions:
                raise ValueError(f"relation {src}→{tgt} links a region that is not a span")
            if item.get("direction") == "left":
                src, tgt = tgt, src
            for label in json_list(item, "labels", f"{where}: relation {src}→{tgt}") or ["related"]:
                doc.relations.append(RelationRecord(
                    key=f"a{a_index + 1}-r{len(doc.relations) + 1}",
                    type=json_name(label, f"{where}: a relation label"),
                    source=regions[src][0].key, target=regions[tgt][0].key))
        elif kind in ("choices", "textarea"):
            value = item.get("value")
            if not isinstance(value, dict):
                raise ValueError(f"{where}: a {kind} result has no \"value\" object")
            field = "choices" if kind == "choices" else "text"
            got = value.get(field) or []
            if isinstance(got, str):
                got = [got]
            if not isinstance(got, list) or not all(isinstance(g, str) for g in got):
                raise ValueError(f"{where}: value.{field} must be a list of strings")
            one: str | list[str] = got[0] if len(got) == 1 else got
            from_name = item.get("from_name", "choice" if kind == "choices" else kind)
            from_name = json_name(from_name, f"{where}: from_name")
            rid = str(item.get("id"))
            if rid in regions:
                for span in regions[rid]:
                    if kind == "textarea":
                        span.note = "\n".join(got)
                    else:
                        span.attributes[from_name] = one
            else:
                doc.meta[from_name] = one
    for spans in regions.values():
        doc.spans.extend(spans)


@register
class LabelStudioFormat(Format):
    name = "labelstudio"
    label = "Label Studio JSON export"
    extensions = ()
    can_read = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        from annotator.core.text import decode_bytes
        from annotator.formats import _textfile

        data = read_file_bytes(path, _textfile.MAX_DOCUMENT_BYTES * MANY_DOCUMENTS_FACTOR)
        text, _ = decode_bytes(data, path, encoding=options.encoding, warn=options.warn)
        docs = []
        for index, (line, task) in enumerate(iter_json_values(text, path), start=1):
            try:
                doc = parse_task(task, index, path.stem, options)
            except ValueError as exc:
                raise BadInputError(f"task {index}: {exc}", path=path, line=line) from None
            check_document_size(doc.text, path, line)
            doc.source_path = str(path)
            docs.append(doc)
        if not docs:
            raise BadInputError("expected a list of Label Studio tasks", path=path)
        yield from docs
