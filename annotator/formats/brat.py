"""brat standoff: a folder of ``NAME.txt`` + ``NAME.ann`` pairs plus ``annotation.conf``.

Follows https://brat.nlplab.org/standoff.html. Offsets count code points over the ``.txt``
file, which is written byte for byte as the stored text (UTF-8, ``\\n``).

Names. brat type, relation and attribute names may not contain spaces or the configuration's
separators, so our names are escaped reversibly (:func:`annotator.formats._common.escape_name`,
delimiter ``-``): letters, digits and ``_`` stay, any other character ``c`` becomes
``-<hex of c>-``. An entity type is ``<layer>--<label>`` (the empty group ``--`` separates), e.g.
``attribution--source``. A type that does not decode this way (another tool's ``Organization``)
is a label of the default tagset layer naming it, else of layer ``imported``.

Lines written::

    T1<TAB>hedging--hedge 10 21;35 50<TAB>fragment texts joined by one space
    A1<TAB>negated T1                    binary attribute: value True
    A2<TAB>certainty T1 possible         valued attribute, value escaped like names
    R1<TAB>attributed_to Arg1:T3 Arg2:T4
    #1<TAB>AnnotatorNotes T1<TAB>note    (\\n and \\\\ in notes escaped as \\n and \\\\)

A value that is not a non-empty string (``False``, a number, a list, ``""``) is written as
``-j-`` followed by its escaped JSON. An attribute whose values are all ``True`` is binary.
brat has no relation attributes and no per-span annotator: those are not written (relation
attributes are counted as dropped). In the text field, newlines and tabs show as spaces.

Reading accepts T, R, A/M and ``#`` AnnotatorNotes lines; E (event), N (normalisation) and ``*``
(equivalence) lines are skipped with a warning. ``\\r\\n`` in a ``.txt`` is normalised and the
offsets moved with it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import (
    CorpusDocument,
    Fragments,
    RelationRecord,
    SpanRecord,
    check_fragments,
)
from annotator.core.tagset import Tagset
from annotator.formats._common import (
    NewlineMap,
    escape_name,
    foreign_layer,
    split_groups,
    unescape_name,
)
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

DELIM = "-"
KEEP = "_"
JSON_MARK = "-j-"

T_LINE = re.compile(r"(T\d+\S*)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)")
R_LINE = re.compile(r"(R\d+\S*)\t(\S+) (\S+):(\S+) (\S+):(\S+)\s*")
A_LINE = re.compile(r"([AM]\d+\S*)\t(\S+) (\S+)(?: (\S+))?\s*")
NOTE_LINE = re.compile(r"(#\d*\S*)\t(\S+) (\S+)\t(.*)")
SKIPPED_KINDS = {"E": "event", "N": "normalisation", "*": "equivalence"}


# --- names and values -------------------------------------------------------------------------

def encode_name(name: str) -> str:
    return escape_name(name, DELIM, KEEP, ascii_only=False)


def entity_type(layer: str, label: str) -> str:
    return f"{encode_name(layer)}--{encode_name(label)}"


def decode_entity_type(name: str) -> tuple[str, str]:
    """``(layer, label)`` of a brat entity type."""
    pieces = split_groups(name, DELIM)
    if pieces is not None and len(pieces) == 3 and pieces[1] is None and pieces[0] and pieces[2]:
        return str(pieces[0]), str(pieces[2])
    label = unescape_name(name, DELIM)
    label = name if label is None else label
    return foreign_layer(label), label


def decode_name(name: str) -> str:
    decoded = unescape_name(name, DELIM)
    return name if decoded is None else decoded


def encode_value(value: Any) -> str:
    if isinstance(value, str) and value:
        return encode_name(value)
    return JSON_MARK + encode_name(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def decode_value(raw: str) -> Any:
    """Inverse of :func:`encode_value`; raises ValueError for a malformed ``-j-`` value."""
    if raw.startswith(JSON_MARK):
        decoded = unescape_name(raw[len(JSON_MARK):], DELIM)
        if decoded is None:
            raise ValueError(f"malformed encoded value {raw!r}")
        return json.loads(decoded)
    return decode_name(raw)


def escape_note(note: str) -> str:
    return note.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def unescape_note(raw: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), raw)


def shown_text(text: str, fragments: Fragments) -> str:
    """The T line's text field: fragments joined by a space, newlines and tabs as spaces."""
    joined = " ".join(text[s:e] for s, e in fragments)
    return re.sub(r"[\n\r\t\v\f\x1c-\x1e\x85\u2028\u2029]", " ", joined)


# --- writing ----------------------------------------------------------------------------------

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


# --- reading ----------------------------------------------------------------------------------

def _parse_ann(ann_path: Path, raw_text: str, options: ReadOptions) -> tuple[
        list[SpanRecord], list[RelationRecord]]:
    nl = NewlineMap(raw_text)
    try:
        content = ann_path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInputError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                            path=ann_path) from None
    spans: dict[str, SpanRecord] = {}
    relations: dict[str, RelationRecord] = {}
    skipped: dict[str, int] = {}
    for number, line in enumerate(content.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue

        def bad(message: str, number: int = number) -> BadInputError:
            return BadInputError(message, path=ann_path, line=number)

        kind = line[0]
        if kind == "T":
            m = T_LINE.fullmatch(line)
            if not m:
                raise bad("malformed text-bound line (expected "
                          "'T1<TAB>Type START END[;START END]<TAB>text')")
            tid, etype, ranges, shown = m.groups()
            if tid in spans:
                raise bad(f"annotation id {tid} is used twice")
            # T_LINE matched: every range is "START END"
            raw_frags: Fragments = tuple((int(s), int(e)) for s, e in
                                         (r.split(" ") for r in ranges.split(";")))
            problem = check_fragments(raw_frags, len(raw_text))
            if problem:
                raise bad(f"{tid}: {problem}")
            expected = shown_text(raw_text, raw_frags)
            if shown != expected and shown.rstrip() != expected.rstrip():
                raise bad(f"{tid}: text {shown!r} does not match the .txt at {ranges} "
                          f"({expected!r})")
            frags = tuple((nl.to_stored(s), nl.to_stored(e)) for s, e in raw_frags)
            problem = check_fragments(frags, len(nl.text))
            if problem:
                raise bad(f"{tid}: {problem}")
            layer, label = decode_entity_type(etype)
            spans[tid] = SpanRecord(key=tid, layer=layer, label=label, fragments=frags,
                                    annotator=options.annotator)
        elif kind == "R":
            m = R_LINE.fullmatch(line)
            if not m:
                raise bad("malformed relation line (expected 'R1<TAB>Type Arg1:T1 Arg2:T2')")
            rid, rtype, role1, arg1, role2, arg2 = m.groups()
            if rid in relations:
                raise bad(f"annotation id {rid} is used twice")
            if (role1, role2) == ("Arg2", "Arg1"):
                arg1, arg2 = arg2, arg1
            for arg in (arg1, arg2):
                if arg not in spans:
                    raise bad(f"{rid}: {arg} is not a text-bound annotation defined above")
            relations[rid] = RelationRecord(key=rid, type=decode_name(rtype), source=arg1,
                                            target=arg2)
        elif kind in "AM":
            m = A_LINE.fullmatch(line)
            if not m:
                raise bad("malformed attribute line (expected 'A1<TAB>Name T1 [Value]')")
            aid, name, target, raw_value = m.groups()
            try:
                value = True if raw_value is None else decode_value(raw_value)
            except (ValueError, json.JSONDecodeError) as exc:
                raise bad(f"{aid}: {exc}") from None
            owner = spans.get(target) or relations.get(target)
            if owner is None:
                if target[:1] in SKIPPED_KINDS:
                    continue
                raise bad(f"{aid}: {target} is not an annotation defined above")
            owner.attributes[decode_name(name)] = value
        elif kind == "#":
            m = NOTE_LINE.fullmatch(line)
            if not m:
                raise bad("malformed note line (expected '#1<TAB>AnnotatorNotes T1<TAB>note')")
            _, note_type, target, note = m.groups()
            if note_type != "AnnotatorNotes" or target not in spans:
                continue
            span = spans[target]
            note = unescape_note(note)
            span.note = f"{span.note}\n{note}" if span.note else note
        elif kind in SKIPPED_KINDS:
            skipped[SKIPPED_KINDS[kind]] = skipped.get(SKIPPED_KINDS[kind], 0) + 1
        else:
            raise bad(f"unknown annotation line starting with {kind!r}")
    for what, n in skipped.items():
        options.warn(f"{ann_path}: skipped {n} {what} annotation(s), which Annotator "
                     "does not model")
    return list(spans.values()), list(relations.values())


def _read_txt(path: Path) -> str:
    from annotator.core.text import decode_bytes

    return decode_bytes(path.read_bytes(), path, encoding="utf-8")[0]


@register
class BratFormat(Format):
    name = "brat"
    label = "brat standoff (folder of .txt + .ann)"
    extensions = (".ann",)
    can_read = True
    can_write = True
    directory = True

    def sniff_directory(self, path: Path) -> bool:
        return any(p.suffix == ".ann" for p in path.rglob("*.ann"))

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        """Every ``.txt`` under ``path`` with its ``.ann`` (missing = no annotations)."""
        if path.is_file():
            pairs = [path.with_suffix(".txt")]
            if not pairs[0].exists():
                raise BadInputError("no .txt file next to this .ann file", path=path)
        else:
            hidden = {p for p in path.rglob("*")
                      if any(part.startswith(".") for part in p.relative_to(path).parts)}
            pairs = sorted(p for p in path.rglob("*.txt") if p not in hidden)
            for ann in sorted(path.rglob("*.ann")):
                if ann not in hidden and not ann.with_suffix(".txt").exists():
                    raise BadInputError("no .txt file for this .ann file", path=ann)
        for txt in pairs:
            raw = _read_txt(txt)
            ann = txt.with_suffix(".ann")
            spans, relations = _parse_ann(ann, raw, options) if ann.exists() else ([], [])
            yield CorpusDocument(name=txt.stem, title=txt.stem, text=NewlineMap(raw).text,
                                 spans=spans, relations=relations, source_path=str(ann))

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        from annotator.core.text import safe_filename

        docs = list(docs)
        layers = set(options.layers) if options.layers is not None else None
        summary = ExportSummary()
        out.mkdir(parents=True, exist_ok=True)
        plans = _plan_attributes(docs, tagset, layers)
        taken: set[str] = set()
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
