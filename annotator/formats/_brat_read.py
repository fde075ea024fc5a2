"""Reading brat standoff ``.ann`` files (see :mod:`annotator.formats.brat` for the lines).

Not a format: the registry skips modules whose name starts with ``_``.

Lines are split on tabs and spaces, never matched with backtracking patterns, so a hostile line
(30,000 colons) costs what it takes to read it. Two passes: text-bound (``T``) lines first, then
relations, attributes and notes, so a line may refer to an annotation defined further down (as
brat itself allows). What Annotator does not model is skipped and counted in one warning per
file, never dropped silently: event (``E``), normalisation (``N``) and equivalence (``*``)
lines, attributes attached to an event, and notes attached to an event or a relation.
(An attribute on a relation becomes a relation attribute.)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.core.model import Fragments, RelationRecord, SpanRecord, check_fragments
from annotator.formats._brat_names import decode_entity_type, decode_name, decode_value, shown_text
from annotator.formats._brat_names import unescape_note as _unescape_note
from annotator.formats._common import NewlineMap
from annotator.formats._textfile import read_file_bytes
from annotator.formats.registry import ReadOptions

SKIPPED_KINDS = {"E": "event", "N": "normalisation", "*": "equivalence"}
_NUMBER = re.compile(r"[0-9]{1,12}")
_SHOWN = 60  # characters of a foreign token quoted in a message
BOM = "\ufeff"


def short(token: str) -> str:
    """``token`` cut to a readable length for a message (one line stays one line)."""
    return token if len(token) <= _SHOWN else token[:_SHOWN] + "…"


@dataclass
class _Line:
    number: int
    fields: list[str]  # the line split on tabs


class _Ann:
    """One ``.ann`` file being read: spans, relations and what was skipped."""

    def __init__(self, path: Path, raw_text: str, options: ReadOptions) -> None:
        self.path = path
        self.raw_text = raw_text  # what brat's offsets count: a byte-order mark included
        self.bom = int(raw_text.startswith(BOM))
        self.nl = NewlineMap(raw_text[self.bom:])
        self.options = options
        self.spans: dict[str, SpanRecord] = {}
        self.relations: dict[str, RelationRecord] = {}
        self.unmodelled: dict[str, str] = {}  # id of a skipped E/N/* line -> its kind
        self.skipped: dict[str, int] = {}

    def stored(self, raw_offset: int) -> int:
        """A raw offset on the stored text (no byte-order mark, newlines normalised)."""
        return self.nl.to_stored(max(raw_offset - self.bom, 0))

    def bad(self, line: _Line, message: str) -> BadInputError:
        return BadInputError(message, path=self.path, line=line.number)

    def skip(self, what: str) -> None:
        self.skipped[what] = self.skipped.get(what, 0) + 1

    def text_bound(self, line: _Line) -> None:
        expected_form = "expected 'T1<TAB>Type START END[;START END]<TAB>text'"
        if len(line.fields) < 3:
            raise self.bad(line, f"malformed text-bound line ({expected_form})")
        tid, head, shown = line.fields[0], line.fields[1], "\t".join(line.fields[2:])
        etype, _, ranges = head.partition(" ")
        pieces = [r.split(" ") for r in ranges.split(";")]
        if (" " in tid or not etype or not all(
                len(p) == 2 and all(_NUMBER.fullmatch(n) for n in p) for p in pieces)):
            raise self.bad(line, f"malformed text-bound line ({expected_form})")
        if tid in self.spans:
            raise self.bad(line, f"annotation id {short(tid)} is used twice")
        raw_frags: Fragments = tuple((int(s), int(e)) for s, e in pieces)
        problem = check_fragments(raw_frags, len(self.raw_text))
        if problem:
            raise self.bad(line, f"{short(tid)}: {problem}")
        expected = shown_text(self.raw_text, raw_frags)
        if shown != expected and shown.rstrip() != expected.rstrip():
            raise self.bad(line, f"{tid}: text {short(shown)!r} does not match the .txt at "
                                 f"{short(ranges)} ({short(expected)!r})")
        frags = tuple((self.stored(s), self.stored(e)) for s, e in raw_frags)
        problem = check_fragments(frags, len(self.nl.text))
        if problem:
            raise self.bad(line, f"{short(tid)}: {problem}")
        layer, label = decode_entity_type(etype)
        self.spans[tid] = SpanRecord(key=tid, layer=layer, label=label, fragments=frags,
                                     annotator=self.options.annotator)

    def relation(self, line: _Line) -> None:
        parts = line.fields[1].split() if len(line.fields) >= 2 else []
        args = [p.split(":") for p in parts[1:]]
        rid = line.fields[0]
        if (len(parts) != 3 or " " in rid or any(len(a) != 2 or not all(a) for a in args)
                or any(len(f.strip()) for f in line.fields[2:])):
            raise self.bad(line, "malformed relation line (expected "
                                 "'R1<TAB>Type Arg1:T1 Arg2:T2')")
        (role1, arg1), (role2, arg2) = args
        if rid in self.relations:
            raise self.bad(line, f"annotation id {short(rid)} is used twice")
        if (role1, role2) == ("Arg2", "Arg1"):
            arg1, arg2 = arg2, arg1
        for arg in (arg1, arg2):
            if arg not in self.spans:
                raise self.bad(line, f"{short(rid)}: {short(arg)} is not a text-bound annotation "
                                     "of this file")
        self.relations[rid] = RelationRecord(key=rid, type=decode_name(parts[0]), source=arg1,
                                             target=arg2)

    def attribute(self, line: _Line) -> None:
        parts = line.fields[1].split() if len(line.fields) >= 2 else []
        aid = line.fields[0]
        if len(parts) not in (2, 3) or " " in aid:
            raise self.bad(line, "malformed attribute line (expected 'A1<TAB>Name T1 [Value]')")
        name, target = parts[0], parts[1]
        try:
            value = True if len(parts) == 2 else decode_value(parts[2])
        except (ValueError, json.JSONDecodeError) as exc:
            raise self.bad(line, f"{short(aid)}: {short(str(exc))}") from None
        owner = self.spans.get(target) or self.relations.get(target)
        if owner is not None:
            owner.attributes[decode_name(name)] = value
        elif target in self.unmodelled:
            self.skip(f"attribute(s) on {self.unmodelled[target]} annotations")
        else:
            raise self.bad(line, f"{short(aid)}: {short(target)} is not an annotation of this file")

    def note(self, line: _Line) -> None:
        parts = line.fields[1].split() if len(line.fields) >= 2 else []
        if len(line.fields) < 3 or len(parts) != 2:
            raise self.bad(line, "malformed note line (expected "
                                 "'#1<TAB>AnnotatorNotes T1<TAB>note')")
        note_type, target = parts
        span = self.spans.get(target)
        if note_type != "AnnotatorNotes":
            self.skip(f"comment(s) of type {short(note_type)!r}")
        elif span is not None:
            note = _unescape_note("\t".join(line.fields[2:]))
            span.note = f"{span.note}\n{note}" if span.note else note
        elif target in self.relations:
            self.skip("note(s) on relations")
        elif target in self.unmodelled:
            self.skip(f"note(s) on {self.unmodelled[target]} annotations")
        else:
            self.skip("note(s) on annotations not in this file")


def parse_ann(ann_path: Path, raw_text: str, options: ReadOptions) -> tuple[
        list[SpanRecord], list[RelationRecord]]:
    """The spans and relations of ``ann_path`` over the ``.txt`` content ``raw_text``.

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


def _parse(content: str, ann_path: Path, raw_text: str, options: ReadOptions) -> tuple[
        list[SpanRecord], list[RelationRecord]]:
    ann = _Ann(ann_path, raw_text, options)
    later: list[tuple[str, _Line]] = []
    for number, text in enumerate(content.split("\n"), start=1):
        text = text.removesuffix("\r")
        if not text.strip():
            continue
        line = _Line(number, text.split("\t"))
        kind = text[0]
        if kind == "T":
            ann.text_bound(line)
        elif kind in "RAM#":
            later.append((kind, line))
        elif kind in SKIPPED_KINDS:
            ann.skip(f"{SKIPPED_KINDS[kind]} annotation(s)")
            ann.unmodelled[line.fields[0]] = SKIPPED_KINDS[kind]
        else:
            raise ann.bad(line, f"unknown annotation line starting with {kind!r}")
    for kind, line in later:  # relations before the attributes and notes that may name them
        if kind == "R":
            ann.relation(line)
    for kind, line in later:
        if kind in "AM":
            ann.attribute(line)
        elif kind == "#":
            ann.note(line)
    if ann.skipped:
        listed = ", ".join(f"{n} {what}" for what, n in ann.skipped.items())
        options.warn(f"{ann_path}: skipped {listed}, which Annotator does not model")
    return list(ann.spans.values()), list(ann.relations.values())
