"""Writing brat standoff: ``.txt`` + ``.ann`` per document and the configuration files.

Not a format: the registry skips modules whose name starts with ``_``. What is written is
described in :mod:`annotator.formats.brat`; the configuration in :mod:`._brat_conf`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.tagset import Tagset
from annotator.formats._brat_conf import CONF_FILES, GENERATED_MARK, ConfPlan, conf_files
from annotator.formats._brat_names import (
    encode_name,
    encode_value,
    entity_type,
    escape_note,
    shown_text,
)
from annotator.formats._brat_read import ID_KEY, ROLES_KEY
from annotator.formats._planned import plan_and_stream
from annotator.formats.registry import ExportSummary, WriteOptions

__all__ = ["CONF_FILES", "GENERATED_MARK", "write_corpus"]

_ID = re.compile(r"([TERAN#])([0-9]{1,12})")
_OURS = (ID_KEY, ROLES_KEY)


def _brat_meta(doc: CorpusDocument) -> dict[str, Any]:
    meta = doc.meta.get("brat") if isinstance(doc.meta, dict) else None
    return meta if isinstance(meta, dict) else {}


def _kept_targets(line: str) -> tuple[str, list[str]]:
    """The id of a kept line and the ids it names."""
    fields = line.split("\t")
    parts = fields[1].split() if len(fields) > 1 else []
    if line.startswith("*"):
        return "*", parts[1:]
    return fields[0], parts[1:2]


class _Ids:
    """Ids for one ``.ann``: the kept ones where ``brat_id`` says so, new ones for the rest."""

    def __init__(self, reserved: set[str]) -> None:
        self.reserved = reserved  # kept ids: only the annotation that names it takes one
        self.used: set[str] = set()
        self.next: dict[str, int] = {}

    def take(self, wanted: object, prefix: str) -> str:
        if isinstance(wanted, str) and wanted not in self.used and (
                m := _ID.fullmatch(wanted)) and m.group(1) == prefix:
            self.used.add(wanted)
            return wanted
        n = self.next.get(prefix, 1)
        taken = f"{prefix}{n}"
        while taken in self.used or taken in self.reserved:
            n += 1
            taken = f"{prefix}{n}"
        self.next[prefix] = n + 1
        self.used.add(taken)
        return taken


class _DocLines:
    """The ``.ann`` lines of one document."""

    def __init__(self, doc: CorpusDocument, plan: ConfPlan, summary: ExportSummary,
                 layers: set[str] | None) -> None:
        self.doc, self.plan, self.summary = doc, plan, summary
        meta = _brat_meta(doc)
        kept = [x for x in meta.get("lines", []) if isinstance(x, str) and "\t" in x]
        triggers = meta.get("triggers", {})
        self.triggers: dict[str, str] = triggers if isinstance(triggers, dict) else {}
        self.spans = [s for s in doc.spans if layers is None or s.layer in layers]
        reserved = {str(s.attributes.get(ID_KEY)) for s in self.spans}
        reserved |= {str(r.attributes.get(ID_KEY)) for r in doc.relations}
        reserved |= {str(t) for t in self.triggers.values()}
        for line in kept:
            own, targets = _kept_targets(line)
            reserved |= {own, *targets}
        self.ids = _Ids(reserved)
        self.lines: list[str] = []
        self.attrs: list[tuple[str, str, Any, str]] = []  # (name, target id, value, type)
        self.notes: list[tuple[str, str]] = []
        self.written: set[str] = set()
        self.events_written = 0
        self.run(kept)

    def run(self, kept: list[str]) -> None:
        doc = self.doc
        ids: dict[int, str] = {}
        types: dict[str, str] = {}
        events: dict[int, list[str]] = {}
        t_by_id: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
        for span in self.spans:
            bid = span.attributes.get(ID_KEY)
            is_event = isinstance(bid, str) and bid.startswith("E")
            if bid is not None and str(bid).startswith("E"):
                self.events_written += 1  # counted as spans (in finish)
            ids[id(span)] = sid = self.ids.take(bid, "E" if is_event else "T")
            types[sid] = etype = entity_type(span.layer, span.label)
            if is_event:
                events[id(span)] = []
                continue
            t_by_id[sid] = (etype, span.fragments)
            self.plan.entity(etype)
            self.text_bound(sid, etype, span)
        by_key = {s.key: s for s in self.spans}
        rels: list[tuple[RelationRecord, SpanRecord, SpanRecord]] = []
        for rel in doc.relations:
            src, tgt = by_key.get(rel.source), by_key.get(rel.target)
            if src is None or tgt is None:
                self.summary.drop("relation with an end not exported")
                continue
            if id(src) in events and ID_KEY not in rel.attributes:
                role = encode_name(rel.type)
                events[id(src)].append(f"{role}:{ids[id(tgt)]}")
                self.plan.argument(types[ids[id(src)]], role, types[ids[id(tgt)]])
                self.summary.relations += 1
                if set(rel.attributes) - set(_OURS):
                    self.summary.drop("attributes on an event's argument (brat has no place)",
                                      len(set(rel.attributes) - set(_OURS)))
                continue
            rels.append((rel, src, tgt))
        trigger_of: dict[tuple[str, tuple[tuple[int, int], ...]], str] = {
            v: k for k, v in t_by_id.items()}
        for span in self.spans:
            if id(span) not in events:
                continue
            eid = ids[id(span)]
            etype = types[eid]
            key = (etype, span.fragments)
            wanted = self.triggers.get(eid)
            if isinstance(wanted, str) and t_by_id.get(wanted) == key:
                tid: str | None = wanted  # shared with an event written before
            elif isinstance(wanted, str) and wanted not in self.ids.used:
                tid = None  # its own trigger, as it was
            else:
                tid = trigger_of.get(key)
            if tid is None:
                tid = self.ids.take(wanted, "T")
                trigger_of[key] = tid
                t_by_id[tid] = key
                self.text_bound(tid, etype, span, trigger=True)
            self.plan.event(etype)
            self.lines.append(" ".join([f"{eid}\t{etype}:{tid}", *events[id(span)]]).rstrip())
            self.written.add(eid)
        for rel, src, tgt in rels:
            rid = self.ids.take(rel.attributes.get(ID_KEY), "R")
            roles = str(rel.attributes.get(ROLES_KEY, "Arg1 Arg2")).split(" ")
            if len(roles) != 2 or not all(roles) or roles[0] == roles[1]:
                roles = ["Arg1", "Arg2"]
            rtype = encode_name(rel.type)
            self.plan.relation(rtype, roles, types[ids[id(src)]], types[ids[id(tgt)]])
            self.lines.append(f"{rid}\t{rtype} {roles[0]}:{ids[id(src)]} "
                              f"{roles[1]}:{ids[id(tgt)]}")
            self.written.add(rid)
            self.summary.relations += 1
            for name, value in rel.attributes.items():
                if name not in _OURS:
                    self.attrs.append((name, rid, value, rtype))
        for span in self.spans:
            sid = ids[id(span)]
            for name, value in span.attributes.items():
                if name != ID_KEY:
                    self.attrs.append((name, sid, value, types[sid]))
            if span.note:
                self.notes.append((sid, span.note))
        self.finish(kept)

    def text_bound(self, tid: str, etype: str, span: SpanRecord, trigger: bool = False) -> None:
        frags = span.fragments
        if len(frags) == 1:
            ((start, end),) = frags
            ranges = f"{start} {end}"
        else:
            ranges = ";".join(f"{s} {e}" for s, e in frags)
        self.lines.append(f"{tid}\t{etype} {ranges}\t{shown_text(self.doc.text, frags)}")
        self.written.add(tid)
        if not trigger:
            self.summary.spans += 1

    def finish(self, kept: list[str]) -> None:
        for name, target, value, owner_type in self.attrs:
            aid = self.ids.take(None, "A")
            encoded = encode_name(name)
            binary = self.plan.is_binary(encoded)
            shown = None if binary else encode_value(value)
            self.plan.attribute(encoded, owner_type, shown)
            self.lines.append(f"{aid}\t{encoded} {target}" if binary
                              else f"{aid}\t{encoded} {target} {shown}")
        for target, note in self.notes:
            self.lines.append(f"{self.ids.take(None, '#')}\tAnnotatorNotes {target}\t"
                              f"{escape_note(note)}")
        for line in sorted(kept, key=lambda x: x[0] in "AM"):  # attributes on kept lines last
            own, targets = _kept_targets(line)
            if all(t in self.written for t in targets):
                self.lines.append(line)
                self.written.add(own)
            else:
                self.summary.drop("kept brat line naming an annotation no longer exported")
        self.summary.spans += self.events_written


def write_corpus(docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
                 options: WriteOptions) -> ExportSummary:
    from annotator.core.text import TakenNames, safe_filename

    plan_docs, docs, total = plan_and_stream(docs)
    layers = set(options.layers) if options.layers is not None else None
    summary = ExportSummary()
    out.mkdir(parents=True, exist_ok=True)
    plan = ConfPlan(tagset, layers)
    plan.plan_binary(plan_docs, layers)
    taken: set[str] = TakenNames()
    kept: Counter[tuple[tuple[str, object], ...]] = Counter()
    for i, doc in enumerate(docs):
        name = safe_filename(doc.name, taken)
        lines = _DocLines(doc, plan, summary, layers).lines
        other_meta = {k for k in doc.meta if k != "brat"} if isinstance(doc.meta, dict) else set()
        if doc.title not in ("", doc.name) or other_meta or doc.status != "new":
            summary.drop("document title/metadata/status (brat has no place for them)")
        txt, ann = out / f"{name}.txt", out / f"{name}.ann"
        txt.write_bytes(doc.text.encode("utf-8"))
        ann.write_bytes(("\n".join(lines) + "\n" if lines else "").encode("utf-8"))
        summary.files += [txt, ann]
        summary.documents += 1
        if isinstance(c := _brat_meta(doc).get("conf"), dict):
            kept[tuple(sorted(c.items()))] += 1
        if options.progress:
            options.progress(i + 1, total)
    original: dict[str, str] = {}
    if kept:
        (chosen, n), = kept.most_common(1)
        original = {k: v for k, v in chosen if isinstance(v, str)}
        if sum(kept.values()) - n:
            summary.drop("documents whose kept brat configuration differs from the one written",
                          sum(kept.values()) - n)
    for file_name, text in conf_files(plan, original).items():
        path = out / file_name
        path.write_bytes(text.encode("utf-8"))
        summary.files.append(path)
    return summary
