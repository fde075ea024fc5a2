"""Writing brat standoff: ``.txt`` + ``.ann`` per document and one ``annotation.conf``.

Not a format: the registry skips modules whose name starts with ``_``. The format and the lines
written are described in :mod:`annotator.formats.brat`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset
from annotator.formats._brat_names import (
    decode_name,
    encode_name,
    encode_value,
    entity_type,
    escape_note,
    shown_text,
)
from annotator.formats.registry import ExportSummary, WriteOptions


@dataclass
class _AttrPlan:
    """What annotation.conf declares for one attribute name."""

    types: set[str] = field(default_factory=set)
    values: list[str] = field(default_factory=list)
    binary: bool = True

    def add_value(self, encoded: str) -> None:
        if encoded not in self.values:
            self.values.append(encoded)


def _plan_attributes(docs: list[CorpusDocument], tagset: Tagset,
                     layers: set[str] | None) -> dict[str, _AttrPlan]:
    plans: dict[str, _AttrPlan] = {}
    seen: dict[str, list[Any]] = {}
    for layer in tagset.layers:
        if layers is not None and layer.name not in layers:
            continue
        for label in layer.labels:
            for attr in tagset.attributes_for(layer.name, label.name):
                plan = plans.setdefault(attr.name, _AttrPlan())
                plan.types.add(entity_type(layer.name, label.name))
                if attr.type != "bool":
                    plan.binary = False
                if attr.type == "choice":
                    for v in attr.values:
                        plan.add_value(encode_value(v))
    for doc in docs:
        for span in doc.spans:
            if layers is not None and span.layer not in layers:
                continue
            for name, value in span.attributes.items():
                plan = plans.setdefault(name, _AttrPlan())
                plan.types.add(entity_type(span.layer, span.label))
                seen.setdefault(name, []).append(value)
    for name, values in seen.items():
        plan = plans[name]
        if any(v is not True for v in values):
            plan.binary = False
    for name, plan in plans.items():
        if not plan.binary:
            for v in seen.get(name, ()):
                plan.add_value(encode_value(v))
    return plans


def _ann_lines(doc: CorpusDocument, plans: dict[str, _AttrPlan], layers: set[str] | None,
               summary: ExportSummary) -> tuple[list[str], dict[str, str]]:
    lines: list[str] = []
    notes: list[str] = []
    tids: dict[str, str] = {}
    types: dict[str, str] = {}
    n_attr = 0
    for span in doc.spans:
        if layers is not None and span.layer not in layers:
            continue
        tid = f"T{len(tids) + 1}"
        tids[span.key] = tid
        etype = entity_type(span.layer, span.label)
        types[tid] = etype
        ranges = ";".join(f"{s} {e}" for s, e in span.fragments)
        lines.append(f"{tid}\t{etype} {ranges}\t{shown_text(doc.text, span.fragments)}")
        summary.spans += 1
        for name, value in span.attributes.items():
            n_attr += 1
            if plans[name].binary:
                lines.append(f"A{n_attr}\t{encode_name(name)} {tid}")
            else:
                lines.append(f"A{n_attr}\t{encode_name(name)} {tid} {encode_value(value)}")
        if span.note:
            notes.append(f"#{len(notes) + 1}\tAnnotatorNotes {tid}\t{escape_note(span.note)}")
    rel_types: dict[str, str] = {}
    for rel in doc.relations:
        if rel.source not in tids or rel.target not in tids:
            summary.drop("relation with an end not exported")
            continue
        rid = f"R{len(rel_types) + 1}"
        rel_types[rid] = rel.type
        lines.append(f"{rid}\t{encode_name(rel.type)} Arg1:{tids[rel.source]} "
                     f"Arg2:{tids[rel.target]}")
        summary.relations += 1
        if rel.attributes:
            summary.drop("relation attributes (brat has none)", len(rel.attributes))
    return lines + notes, types


def _conf(tagset: Tagset, layers: set[str] | None, used_types: set[str],
          used_relations: dict[str, tuple[set[str], set[str]]],
          plans: dict[str, _AttrPlan]) -> str:
    entities: list[str] = []
    for layer in tagset.layers:
        if layers is not None and layer.name not in layers:
            continue
        entities += [entity_type(layer.name, lab.name) for lab in layer.labels]
    entities += sorted(used_types - set(entities))

    def ends(allowed: list[str]) -> set[str]:
        if not allowed:
            return set(entities)
        out: set[str] = set()
        for item in allowed:
            layer_name, _, label = item.partition(":")
            lay = tagset.layer(layer_name)
            if lay is None:
                continue
            out |= {entity_type(layer_name, lab.name) for lab in lay.labels
                    if not label or lab.name == label}
        return out & set(entities)

    relations: list[str] = []
    declared: dict[str, tuple[set[str], set[str]]] = {}
    for rt in tagset.relation_types:
        declared[rt.name] = (ends(rt.source), ends(rt.target))
    for name, (src, tgt) in used_relations.items():
        s, t = declared.setdefault(name, (set(), set()))
        s |= src
        t |= tgt
    for name, (src, tgt) in declared.items():
        if src and tgt:
            relations.append(f"{encode_name(name)}\tArg1:{'|'.join(sorted(src))}, "
                             f"Arg2:{'|'.join(sorted(tgt))}")
    relations.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")
    attributes: list[str] = []
    for name, plan in plans.items():
        if not plan.types:
            continue
        line = f"{encode_name(name)}\tArg:{'|'.join(sorted(plan.types))}"
        if not plan.binary:
            if not plan.values:
                continue
            line += f", Value:{'|'.join(plan.values)}"
        attributes.append(line)
    return "\n".join([
        "# Written by Annotator. Names are escaped: a character other than a letter, digit or _",
        "# is written -<hex code point>-; an entity type is <layer>--<label>.",
        "[entities]", *entities, "", "[relations]", *relations, "", "[events]", "",
        "[attributes]", *attributes, ""])


def write_corpus(docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
                 options: WriteOptions) -> ExportSummary:
    from annotator.core.text import TakenNames, safe_filename

    docs = list(docs)
    layers = set(options.layers) if options.layers is not None else None
    summary = ExportSummary()
    out.mkdir(parents=True, exist_ok=True)
    plans = _plan_attributes(docs, tagset, layers)
    taken: set[str] = TakenNames()
    used_types: set[str] = set()
    used_relations: dict[str, tuple[set[str], set[str]]] = {}
    for i, doc in enumerate(docs):
        name = safe_filename(doc.name, taken)
        lines, types = _ann_lines(doc, plans, layers, summary)
        used_types |= set(types.values())
        for line in lines:
            if line.startswith("R"):
                rtype, arg1, arg2 = line.split("\t")[1].split(" ")
                src, tgt = used_relations.setdefault(decode_name(rtype), (set(), set()))
                src.add(types[arg1[5:]])
                tgt.add(types[arg2[5:]])
        if doc.title not in ("", doc.name) or doc.meta or doc.status != "new":
            summary.drop("document title/metadata/status (brat has no place for them)")
        txt, ann = out / f"{name}.txt", out / f"{name}.ann"
        txt.write_bytes(doc.text.encode("utf-8"))
        ann.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
        summary.files += [txt, ann]
        summary.documents += 1
        if options.progress:
            options.progress(i + 1, len(docs))
    conf = out / "annotation.conf"
    conf.write_bytes(_conf(tagset, layers, used_types, used_relations, plans).encode("utf-8"))
    summary.files.append(conf)
    return summary
