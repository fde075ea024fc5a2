"""Reading brat standoff ``.ann`` files (see :mod:`annotator.formats.brat` for the model).

Not a format: the registry skips modules whose name starts with ``_``.

Lines are split on tabs and spaces, never matched with backtracking patterns, so a hostile line
(30,000 colons) costs what it takes to read it. Order-free, as brat itself: text-bound (``T``)
lines first, then events, relations, attributes, normalisations, equivalences and comments, so
any line may refer to an annotation defined further down.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import Fragments, RelationRecord, SpanRecord, check_fragments
from annotator.formats._brat_names import decode_entity_type, decode_name, decode_value, shown_text
from annotator.formats._brat_names import unescape_note as _unescape_note
from annotator.formats._textfile import read_file_bytes
from annotator.formats.registry import ReadOptions

ID_KEY = "brat_id"  # attribute holding a brat id where one is needed (see brat.py)
ROLES_KEY = "brat_roles"  # relation attribute: argument roles other than Arg1, Arg2
KEPT_KINDS = {"N": "normalisation", "*": "equivalence", "#": "comment"}
_NUMBER = re.compile(r"[0-9]{1,12}")
_SHOWN = 60  # characters of a foreign token quoted in a message
BOM = "\ufeff"


def short(token: str) -> str:
    """``token`` cut to a readable length for a message (one line stays one line)."""
    return token if len(token) <= _SHOWN else token[:_SHOWN] + "…"


@dataclass
class _Line:
    number: int
    text: str
    fields: list[str]  # the line split on tabs


@dataclass
class ParsedAnn:
    """One ``.ann`` file: what the model holds, and what is kept for export only."""

    spans: list[SpanRecord]
    relations: list[RelationRecord]
    kept: dict[str, Any] = field(default_factory=dict)  # document meta["brat"]
    counts: dict[str, int] = field(default_factory=dict)  # kept lines by kind


class _Ann:
    """One ``.ann`` file being read."""

    def __init__(self, path: Path, raw_text: str, options: ReadOptions) -> None:
        self.path = path
        self.text = raw_text  # what brat's offsets count: a byte-order mark included
        self.bom = int(raw_text.startswith(BOM))
        self.options = options
        self.spans: dict[str, SpanRecord] = {}
        self.types: dict[str, str] = {}  # T id -> its brat type
        self.decoded: dict[str, tuple[str, str]] = {}  # brat type -> (layer, label)
        self.relations: dict[str, RelationRecord] = {}
        self.referenced: set[str] = set()  # ids some line other than an event's trigger names
        self.triggers: dict[str, str] = {}  # E id -> T id
        self.needs_id: set[str] = set()  # ids that must keep ``brat_id``
        self.kept: list[str] = []
        self.other_ids: set[str] = set()  # ids of N and # lines
        self.counts: dict[str, int] = {}

    def bad(self, line: _Line, message: str) -> BadInputError:
        return BadInputError(message, path=self.path, line=line.number)

    def text_bound(self, line: _Line) -> None:
        expected_form = "expected 'T1<TAB>Type START END[;START END]<TAB>text'"
        if len(line.fields) < 3:
            raise self.bad(line, f"malformed text-bound line ({expected_form})")
        tid, head = line.fields[0], line.fields[1]
        shown = line.fields[2] if len(line.fields) == 3 else "\t".join(line.fields[2:])
        etype, _, ranges = head.partition(" ")
        one = ranges.split(" ")
        if len(one) == 2 and all(n.isascii() and n.isdigit() and len(n) <= 12 for n in one):
            raw_frags: Fragments = ((int(one[0]), int(one[1])),)  # the common case, quickly
        else:
            pieces = [r.split(" ") for r in ranges.split(";")]
            if not all(len(p) == 2 and all(_NUMBER.fullmatch(n) for n in p) for p in pieces):
                raise self.bad(line, f"malformed text-bound line ({expected_form})")
            raw_frags = tuple((int(s), int(e)) for s, e in pieces)
        if " " in tid or not etype:
            raise self.bad(line, f"malformed text-bound line ({expected_form})")
        if tid in self.spans:
            raise self.bad(line, f"annotation id {short(tid)} is used twice")
        problem = check_fragments(raw_frags, len(self.text))
        if problem:
            raise self.bad(line, f"{short(tid)}: {problem}")
        if len(raw_frags) == 1 and shown == self.text[raw_frags[0][0]:raw_frags[0][1]]:
            pass  # shown as it is in the .txt: the common case
        elif shown != (expected := shown_text(self.text, raw_frags)) and \
                shown.rstrip() != expected.rstrip():
            raise self.bad(line, f"{tid}: text {short(shown)!r} does not match the .txt at "
                                 f"{short(ranges)} ({short(expected)!r})")
        if self.bom:
            raw_frags = tuple((max(s - 1, 0), e - 1) for s, e in raw_frags)
            problem = check_fragments(raw_frags, len(self.text) - 1)
            if problem:
                raise self.bad(line, f"{short(tid)}: {problem}")
        layer, label = decode_entity_type(etype)
        self.types[tid] = etype
        self.spans[tid] = SpanRecord(key=tid, layer=layer, label=label, fragments=raw_frags,
                                     annotator=self.options.annotator)

    def fast_text_bound(self, text: str) -> bool:
        """The common ``T`` line (one fragment, its text as in the ``.txt``), read quickly;
        False for anything else, which :meth:`text_bound` then reads with every check."""
        fields = text.split("\t")
        if len(fields) != 3:
            return False
        tid, head, shown = fields
        parts = head.split(" ")
        if len(parts) != 3 or tid in self.spans or " " in tid or not parts[0]:
            return False
        etype, a, b = parts
        if not (a.isdigit() and b.isdigit() and a.isascii() and b.isascii()
                and len(a) <= 12 and len(b) <= 12):
            return False
        start, end = int(a), int(b)
        if not 0 <= start < end <= len(self.text) or self.text[start:end] != shown:
            return False
        if self.bom:
            if start == 0:
                return False
            start, end = start - 1, end - 1
        decoded = self.decoded.get(etype)
        if decoded is None:
            decoded = self.decoded[etype] = decode_entity_type(etype)
        self.types[tid] = etype
        self.spans[tid] = SpanRecord(tid, decoded[0], decoded[1], ((start, end),), {}, "",
                                     self.options.annotator)
        return True

    def new_id(self, line: _Line, aid: str) -> None:
        if aid in self.spans or aid in self.relations:
            raise self.bad(line, f"annotation id {short(aid)} is used twice")

    def event(self, line: _Line) -> None:
        parts = line.fields[1].split() if len(line.fields) >= 2 else []
        eid = line.fields[0]
        head = parts[0].split(":") if parts else []
        args = [p.split(":") for p in parts[1:]]
        if (len(head) != 2 or not all(head) or " " in eid
                or any(len(a) != 2 or not all(a) for a in args)):
            raise self.bad(line, "malformed event line (expected "
                                 "'E1<TAB>Type:T1 Role:T2 Role:E2…')")
        self.new_id(line, eid)
        etype, trigger = head
        if trigger not in self.types:
            raise self.bad(line, f"{short(eid)}: trigger {short(trigger)} is not a text-bound "
                                 "annotation of this file")
        if self.types[trigger] != etype:
            self.referenced.add(trigger)  # brat wants the same type: keep the T as it is
        layer, label = decode_entity_type(etype)
        tspan = self.spans[trigger]
        self.triggers[eid] = trigger
        self.spans[eid] = SpanRecord(key=eid, layer=layer, label=label,
                                     fragments=tspan.fragments, attributes={ID_KEY: eid},
                                     annotator=self.options.annotator)
        line.fields = [eid, *(f"{r}:{a}" for r, a in args)]

    def event_arguments(self, line: _Line) -> None:
        eid = line.fields[0]
        for i, arg in enumerate(line.fields[1:], start=1):
            role, target = arg.split(":")
            if target not in self.spans:
                raise self.bad(line, f"{short(eid)}: {short(target)} is not an entity or event "
                                     "of this file")
            self.referenced.add(target)
            self.relations[f"{eid}:{i}"] = RelationRecord(
                key=f"{eid}:{i}", type=decode_name(role), source=eid, target=target)

    def relation(self, line: _Line) -> None:
        parts = line.fields[1].split() if len(line.fields) >= 2 else []
        args = [p.split(":") for p in parts[1:]]
        rid = line.fields[0]
        if (len(parts) != 3 or " " in rid or any(len(a) != 2 or not all(a) for a in args)
                or any(len(f.strip()) for f in line.fields[2:])):
            raise self.bad(line, "malformed relation line (expected "
                                 "'R1<TAB>Type Arg1:T1 Arg2:T2')")
        (role1, arg1), (role2, arg2) = args
        self.new_id(line, rid)
        attributes: dict[str, Any] = {}
        if (role1, role2) == ("Arg2", "Arg1"):
            arg1, arg2 = arg2, arg1
        elif (role1, role2) != ("Arg1", "Arg2"):
            attributes[ROLES_KEY] = f"{role1} {role2}"
        for arg in (arg1, arg2):
            if arg not in self.spans:
                raise self.bad(line, f"{short(rid)}: {short(arg)} is not a text-bound "
                                     "annotation or event of this file")
            self.referenced.add(arg)
        if arg1 in self.triggers:  # from an event: told apart from the event's arguments
            self.needs_id.add(rid)
        self.relations[rid] = RelationRecord(key=rid, type=decode_name(parts[0]), source=arg1,
                                             target=arg2, attributes=attributes)

    def attribute(self, line: _Line) -> None:
        parts = line.fields[1].split(" ") if len(line.fields) >= 2 else []
        aid = line.fields[0]
        if len(parts) < 2 or " " in aid or not all(parts[:2]):
            raise self.bad(line, "malformed attribute line (expected 'A1<TAB>Name T1 [Value]')")
        name, target = parts[0], parts[1]
        try:
            value = True if len(parts) == 2 else decode_value(" ".join(parts[2:]).rstrip())
        except (ValueError, json.JSONDecodeError) as exc:
            raise self.bad(line, f"{short(aid)}: {short(str(exc))}") from None
        owner = self.spans.get(target) or self.relations.get(target)
        if owner is None and target in self.other_ids:  # on a normalisation or a comment
            self.keep(line, "attribute", [])
            return
        if owner is None or ":" in target:  # (event arguments are keyed E1:1, E1:2…)
            raise self.bad(line, f"{short(aid)}: {short(target)} is not an annotation of this file")
        self.referenced.add(target)
        owner.attributes[decode_name(name)] = value

    def keep(self, line: _Line, kind: str, targets: list[str]) -> None:
        """A line the model has no place for: kept verbatim for export, its targets' ids kept."""
        for target in targets:
            if target not in self.spans and target not in self.relations:
                raise self.bad(line, f"{short(line.fields[0])}: {short(target)} is not an "
                                     "annotation of this file")
        self.referenced.update(targets)
        self.needs_id.update(targets)
        self.kept.append(line.text)
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def other(self, kind: str, line: _Line) -> None:
        parts = line.fields[1].split() if len(line.fields) >= 2 else []
        if kind == "#":
            if len(parts) != 2:
                raise self.bad(line, "malformed note line (expected "
                                     "'#1<TAB>AnnotatorNotes T1<TAB>note')")
            note_type, target = parts
            span = self.spans.get(target)
            if note_type == "AnnotatorNotes" and span is not None and not span.note:
                self.referenced.add(target)
                span.note = _unescape_note("\t".join(line.fields[2:]))
            else:
                self.keep(line, KEPT_KINDS[kind], [target])
        elif kind == "N":
            if len(parts) < 3:
                raise self.bad(line, "malformed normalisation line (expected "
                                     "'N1<TAB>Reference T1 DB:ID<TAB>text')")
            self.keep(line, KEPT_KINDS[kind], [parts[1]])
        else:
            if len(parts) < 2:
                raise self.bad(line, "malformed equivalence line (expected '*<TAB>Equiv T1 T2')")
            self.keep(line, KEPT_KINDS[kind], parts[1:])

    def finish(self) -> ParsedAnn:
        spans = []
        triggers = set(self.triggers.values())
        for key, span in self.spans.items():
            if key in triggers and key not in self.referenced:
                continue  # a trigger only: the event's span stands for it
            if key in self.needs_id:
                span.attributes[ID_KEY] = key
            spans.append(span)
        seen: dict[tuple[object, ...], list[SpanRecord]] = {}
        for span in spans:  # exact copies would be stored once: their ids keep them apart
            seen.setdefault((span.layer, span.label, span.fragments, span.note), []).append(span)
        for group in seen.values():
            if len(group) > 1:
                copies: dict[str, list[SpanRecord]] = {}
                for span in group:
                    copies.setdefault(json.dumps(span.attributes, sort_keys=True, default=str),
                                      []).append(span)
                for same in copies.values():
                    if len(same) > 1:
                        for span in same:
                            span.attributes.setdefault(ID_KEY, span.key)
        for rid in self.needs_id & set(self.relations):
            self.relations[rid].attributes[ID_KEY] = rid
        kept: dict[str, Any] = {}
        if self.kept:
            kept["lines"] = self.kept
        if self.triggers:
            kept["triggers"] = self.triggers
        return ParsedAnn(spans, list(self.relations.values()), kept, self.counts)


def parse_ann(ann_path: Path, raw_text: str, options: ReadOptions) -> ParsedAnn:
    """The annotations of ``ann_path`` over the ``.txt`` content ``raw_text``.

    A ``.txt`` that starts with a byte-order mark: brat reads the mark as a character, so its
    offsets count it; offsets made by tools that drop it are accepted too when every
    text-bound line matches that way. Either way each line's text is checked, never shifted
    on trust."""
    try:
        content = read_file_bytes(ann_path).decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError as exc:
        raise BadInputError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                            path=ann_path) from None
    if not raw_text.startswith(BOM):
        return _parse(content, ann_path, raw_text, options)
    try:
        return _parse(content, ann_path, raw_text, options)
    except BadInputError as counted:
        try:
            return _parse(content, ann_path, raw_text[1:], options)
        except BadInputError:
            raise counted from None


def _parse(content: str, ann_path: Path, raw_text: str, options: ReadOptions) -> ParsedAnn:
    ann = _Ann(ann_path, raw_text, options)
    later: dict[str, list[_Line]] = {"E": [], "R": [], "A": [], "#": []}
    fast = ann.fast_text_bound
    for number, text in enumerate(content.split("\n"), start=1):
        if text.endswith("\r"):
            text = text[:-1]
        if not text or text[0] == "T" and fast(text):
            continue
        if not text.strip():
            continue
        kind = text[0]
        line = _Line(number, text, text.split("\t"))
        if kind == "T":
            ann.text_bound(line)
        elif kind in "ER":
            later[kind].append(line)
        elif kind in "AM":
            later["A"].append(line)
        elif kind in "#N*":
            later["#"].append(line)
            ann.other_ids.add(line.fields[0])
        else:
            raise ann.bad(line, f"unknown annotation line starting with {short(kind)!r}")
    for line in later["E"]:  # every event's span first: arguments may be later events
        ann.event(line)
    for line in later["E"]:
        ann.event_arguments(line)
    for line in later["R"]:  # relations before the attributes and comments that may name them
        ann.relation(line)
    for line in later["A"]:
        ann.attribute(line)
    for line in later["#"]:
        ann.other(line.text[0], line)
    return ann.finish()
