"""brat's own reading of an ``.ann`` file, for the tests only: a port of the parse rules of
brat's ``server/src/annotation.py`` (nlplab/brat, ``Annotations._parse_ann_lines`` and the
``_parse_*_annotation`` methods, MIT licence), reduced to what the annotations say.

:func:`annotations` gives the multiset of a file's annotations with every reference replaced
by what it refers to (recursively), so two files agree when they say the same things whatever
their ids and line order. Written independently of ``annotator.formats``: the importer must not
be checked against itself.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

Canon = tuple[Any, ...]


def _split(line: str) -> tuple[str, str, str]:
    """brat: ``id, id_tail = line.split('\\t', 1)``; data up to the next tab, the rest the tail."""
    ann_id, id_tail = line.split("\t", 1)
    if "\t" in id_tail:
        i = id_tail.index("\t")
        return ann_id, id_tail[:i], id_tail[i:]
    return ann_id, id_tail, ""


def parse(path: Path) -> list[tuple[str, str, Any]]:
    """``(id, kind, parsed)`` for each line, as brat's parse functions read it."""
    out: list[tuple[str, str, Any]] = []
    # brat: codecs open + readlines(); lines keep their ending
    for raw in path.read_text(encoding="utf-8").splitlines(keepends=True):
        line = raw.rstrip("\n").rstrip("\r")  # brat strips endings where it compares text
        if not line.strip():
            continue
        ann_id, data, tail = _split(line)
        kind = ann_id[0]
        if kind == "T":
            etype, rest = data.split(" ", 1)
            spans = tuple(tuple(int(x) for x in s.split(" ", 2)[:2]) for s in rest.split(";"))
            out.append((ann_id, "T", (etype, spans)))
        elif kind == "E":
            type_trigger, _, args = data.partition(" ")
            etype, trigger = type_trigger.split(":")
            out.append((ann_id, "E", (etype, trigger,
                                      [tuple(a.split(":")) for a in args.split()])))
        elif kind == "R":
            rtype, _, args = data.partition(" ")
            (r1, a1), (r2, a2) = (tuple(a.split(":")) for a in args.split())
            out.append((ann_id, "R", (rtype, r1, a1, r2, a2)))
        elif kind in "AM":
            m = re.match(r"(.+?) (.+?) (.+?)$", data)
            if m is None:
                m2 = re.match(r"(.+?) (.+?)$", data)
                assert m2 is not None, line
                out.append((ann_id, "A", (m2.group(1), m2.group(2), True)))
            else:
                out.append((ann_id, "A", m.groups()))
        elif kind == "N":
            m = re.match(r"(\S+) (\S+) (\S+?):(\S+)", data)
            assert m is not None, line
            out.append((ann_id, "N", (*m.groups(), tail)))
        elif kind == "*":
            etype, members = data.split(None, 1)
            out.append((ann_id, "*", (etype, members.split())))
        elif kind == "#":
            ctype, target = data.split()
            out.append((ann_id, "#", (ctype, target, tail)))
        else:
            raise AssertionError(f"brat would not parse {line!r}")
    return out


def annotations(path: Path) -> Counter[Canon]:
    """The multiset of what ``path`` says, references resolved."""
    lines = parse(path)
    by_id = {ann_id: (kind, data) for ann_id, kind, data in lines if kind != "*"}

    def canon(ref: str, shallow: bool = False) -> Canon:
        """What ``ref`` is; an event named by another annotation by its type and trigger only
        (events may refer to each other in a cycle)."""
        kind, data = by_id[ref]
        if kind == "T":
            return ("T", data[0], data[1])
        if kind == "E":
            etype, trigger, args = data
            if shallow:
                return ("E", etype, canon(trigger))
            return ("E", etype, canon(trigger),
                    tuple(sorted((role, canon(a, True)) for role, a in args)))
        if kind == "R":
            rtype, r1, a1, r2, a2 = data
            return ("R", rtype, (r1, canon(a1, True)), (r2, canon(a2, True)))
        raise AssertionError(f"{ref} ({kind}) is not something brat lets a line refer to")

    found: Counter[Canon] = Counter()
    equivs: list[tuple[str, set[Canon]]] = []
    for ann_id, kind, data in lines:
        if kind in "TER":
            found[canon(ann_id)] += 1
        elif kind == "A":
            found[("A", data[0], canon(data[1], True), data[2])] += 1
        elif kind == "N":
            ntype, target, db, ref, tail = data
            found[("N", ntype, canon(target, True), db, ref, tail)] += 1
        elif kind == "#":
            found[("#", data[0], canon(data[1], True), data[2])] += 1
        else:  # brat merges equivalences that share a member (add_annotation)
            members = {canon(m, True) for m in data[1]}
            for i, (etype, known) in enumerate(equivs):
                if etype == data[0] and known & members:
                    equivs[i] = (etype, known | members)
                    break
            else:
                equivs.append((data[0], members))
    for etype, members in equivs:
        found[("*", etype, tuple(sorted(members, key=repr)))] += 1
    return found
