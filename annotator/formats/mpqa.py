"""MPQA opinion corpus 2.0 and 3.0 (``docs/<parent>/<doc>`` + ``man_anns/<parent>/<doc>/
gateman.mpqa.lre.2.0`` or ``.3.0``; see :mod:`._mpqa_read` for the file format).

Import takes the database folder (or a folder holding it), one ``gateman.mpqa.lre.*`` file in
that layout, or a folder holding one document and its gateman file. One document per docleaf,
named ``parent/docleaf``; the text is the document file exactly (UTF-8, else Latin-1), byte
offsets converted to code points. On the default tagset:

* ``agent`` → ``attribution:source``;
* ``direct-subjective`` and ``objective-speech-event`` → ``attribution:cue``;
* ``expressive-subjectivity`` → ``stance:stance`` (``polarity``: positive → favour, negative →
  against, neutral → neutral; ``intensity``: low, medium, high, extreme → high; ``holder``: the
  last agent of its nested source, ``author`` for the writer ``w``);
* ``attitude`` → ``stance:stance`` (polarity from ``attitude-type``: ``*-pos`` favour, ``*-neg``
  against; holder from the direct-subjective linking to it), except ``speculation`` →
  ``hedging:hedge``;
* ``target``, ``sTarget``, ``eTarget`` (3.0) → ``stance:target``.

Every MPQA attribute is kept on the span as ``mpqa_<name>`` and the annotation type as
``mpqa_annotation``. Links become relations: nested source → ``source_of`` (agent → cue) or
``holder_of`` (agent → stance), the agent mention being the nearest agent span with the same
nested source (else with that id); ``attitude-link`` → ``expresses`` (cue → attitude);
``target-link``, and 3.0's ``targetFrame-link`` through its target frame's ``sTarget-link`` and
``newETarget-link`` → ``targets`` (stance → target). Counted and reported by kind: zero-length
annotations (the writer and implicit agents, implicit speech events), implicit speech events,
``inside``/``split``/``sentence`` and other types, links that cannot be relations, links to ids
not in the file, ids reused by a later annotation (a link goes to the first), sentence and
answer files, older versions next to a newer one.

Export writes the same layout in the 2.0 form (``gateman.mpqa.lre.2.0``): see
:mod:`._mpqa_write`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.tagset import Tagset
from annotator.formats._mpqa_read import (
    GATEMAN,
    INTENSITY,
    POLARITY,
    PREFIX,
    TYPE_KEY,
    Line,
    MpqaDocument,
    attitude_polarity,
    database_root,
    find_documents,
    read_gateman,
)
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

LABEL_OF = {"agent": ("attribution", "source"), "direct-subjective": ("attribution", "cue"),
            "objective-speech-event": ("attribution", "cue"),
            "expressive-subjectivity": ("stance", "stance"), "attitude": ("stance", "stance"),
            "target": ("stance", "target"), "sTarget": ("stance", "target"),
            "eTarget": ("stance", "target")}
SPEECH = ("direct-subjective", "objective-speech-event")
NO_TARGET = {"none", "n/a", ""}


def chain(value: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (value or "").split(",") if p.strip())


def ids(value: str | None) -> list[str]:
    return [p for p in chain(value) if p.lower() not in NO_TARGET]


class _Converter:
    def __init__(self, doc: MpqaDocument, options: ReadOptions, counts: dict[str, int]) -> None:
        self.doc, self.options, self.counts = doc, options, counts
        self.spans: dict[int, SpanRecord] = {}  # line number -> span
        self.relations: dict[tuple[str, str, str], RelationRecord] = {}
        self.by_id: dict[str, Line] = {}  # the first line of each id
        #: agent spans by nested source and by id, each sorted by (start, line number)
        self.agents_by: dict[tuple[str, tuple[str, ...]], list[tuple[int, int, SpanRecord]]] = {}
        for line in doc.lines:
            if "id" in line.attributes:
                if line.attributes["id"] in self.by_id:
                    self.count("annotations reusing an earlier annotation's id (links to the id "
                               "go to the first)")
                else:
                    self.by_id[line.attributes["id"]] = line

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def convert(self) -> CorpusDocument:
        for line in self.doc.lines:
            self.span(line)
        for agents in self.agents_by.values():
            agents.sort(key=lambda a: (a[0], a[1]))
        for line in self.doc.lines:
            self.links(line)
        return CorpusDocument(
            name=self.doc.name, title=self.doc.name, text=self.doc.text,
            meta={"mpqa_version": self.doc.version, "source_encoding": self.doc.encoding},
            spans=list(self.spans.values()), relations=list(self.relations.values()),
            source_path=str(self.doc.gateman))

    def span(self, line: Line) -> None:
        kind, attrs = line.type, line.attributes
        if kind == "targetFrame":
            return  # read as links (see targets())
        if kind not in LABEL_OF:
            self.count(f"{kind} annotations (no layer for them)")
            return
        if line.start == line.end:
            self.count(f"zero-length {kind} annotations (the writer, implicit agents and "
                       "speech events)")
            return
        if kind in SPEECH and attrs.get("implicit") == "true":
            self.count(f"implicit {kind} annotations (no words of their own)")
            return
        layer, label = LABEL_OF[kind]
        values: dict[str, object] = {}
        if kind == "attitude" and attrs.get("attitude-type") == "speculation":
            layer, label = "hedging", "hedge"
        elif kind == "attitude":
            values["polarity"] = attitude_polarity(attrs.get("attitude-type", ""))
        elif kind == "expressive-subjectivity":
            values["polarity"] = POLARITY.get(attrs.get("polarity", ""))
            values["holder"] = self.holder(attrs.get("nested-source"))
        if label == "stance":
            values["intensity"] = INTENSITY.get(attrs.get("intensity", ""))
        values = {k: v for k, v in values.items() if v is not None}
        values[TYPE_KEY] = kind
        values |= {PREFIX + k: v for k, v in attrs.items()}
        span = SpanRecord(f"m{line.number}", layer, label, ((line.start, line.end),), values,
                          annotator=self.options.annotator)
        self.spans[line.number] = span
        if kind == "agent":
            for key in (("nested", chain(attrs.get("nested-source"))),
                        ("id", (attrs.get("id", ""),))):
                self.agents_by.setdefault(key, []).append((line.start, line.number, span))

    @staticmethod
    def holder(nested: str | None) -> str | None:
        parts = chain(nested)
        if not parts:
            return None
        return "author" if parts[-1] == "w" else parts[-1]

    def relate(self, kind: str, source: SpanRecord, target: SpanRecord) -> None:
        key = (kind, source.key, target.key)
        if key not in self.relations:
            self.relations[key] = RelationRecord(f"r{len(self.relations) + 1}", kind,
                                                 source.key, target.key)

    def agent_for(self, nested: str | None, near: int) -> SpanRecord | None:
        wanted = chain(nested)
        if not wanted:
            return None
        for key in (("nested", wanted), ("id", (wanted[-1],))):
            found = self.agents_by.get(key)
            if found:
                return _nearest(found, near)
        if wanted[-1] in ("w", "implicit"):
            self.count("nested sources that are the writer or an implicit agent (no span to "
                       "link; the holder attribute says author)")
        else:
            self.count("nested sources naming no agent span")
        return None

    def linked(self, ident: str, what: str) -> list[Line]:
        found = self.by_id.get(ident)
        if found is None:
            self.count(f"{what} to ids not in the file")
            return []
        return [found]

    def links(self, line: Line) -> None:
        attrs = line.attributes
        own = self.spans.get(line.number)
        kind = line.type
        if own is not None and kind in (*SPEECH, "expressive-subjectivity"):
            agent = self.agent_for(attrs.get("nested-source"), line.start)
            if agent is not None:
                self.relate("source_of" if own.label == "cue" else "holder_of", agent, own)
        if kind == "direct-subjective":
            for ident in ids(attrs.get("attitude-link")):
                for att in self.linked(ident, "attitude links"):
                    self.attitude_of(line, own, att)
        if own is not None and kind in ("attitude", "expressive-subjectivity",
                                        "objective-speech-event", "direct-subjective"):
            for target in self.targets(line):
                if own.label == "stance":
                    self.relate("targets", own, target)
                else:
                    self.count(f"target links of {own.layer}:{own.label} spans (no relation "
                               "type for them)")
        if kind == "sTarget" and ids(attrs.get("eTarget-link")):
            self.count("eTarget links of sTargets (kept in the attribute mpqa_eTarget-link)")

    def attitude_of(self, ds: Line, cue: SpanRecord | None, att: Line) -> None:
        span = self.spans.get(att.number)
        if span is None:
            return
        if cue is not None:
            self.relate("expresses", cue, span)
        else:
            self.count("attitude links of implicit or zero-length direct-subjectives")
        holder = self.holder(ds.attributes.get("nested-source"))
        if span.label != "stance" or holder is None:
            return
        span.attributes.setdefault("holder", holder)
        agent = self.agent_for(ds.attributes.get("nested-source"), att.start)
        if agent is not None:
            self.relate("holder_of", agent, span)

    def targets(self, line: Line) -> list[SpanRecord]:
        wanted = ids(line.attributes.get("target-link")) + ids(line.attributes.get(
            "eTarget-link") if line.type != "sTarget" else None)
        for frame_id in ids(line.attributes.get("targetFrame-link")):
            for frame in self.linked(frame_id, "targetFrame links"):
                wanted += ids(frame.attributes.get("sTarget-link"))
                wanted += ids(frame.attributes.get("newETarget-link"))
        out: list[SpanRecord] = []
        for ident in dict.fromkeys(wanted):
            for target in self.linked(ident, "target links"):
                span = self.spans.get(target.number)
                if span is not None and span.label == "target":
                    out.append(span)
        return out


def _nearest(agents: list[tuple[int, int, SpanRecord]], near: int) -> SpanRecord:
    """The agent starting nearest ``near`` (the earlier line on a tie) in a list sorted by
    (start, line number): a bisection, as a document can hold thousands of agents."""
    i = bisect_left(agents, (near, -1))
    cands = []
    if i < len(agents):
        cands.append(agents[i])  # the first (lowest line) at the smallest start >= near
    if i > 0:
        below = agents[i - 1][0]
        cands.append(agents[bisect_left(agents, (below, -1))])
    return min(cands, key=lambda a: (abs(a[0] - near), a[1]))[2]


@register
class MpqaFormat(Format):
    name = "mpqa"
    label = "MPQA opinion corpus 2.0/3.0 (docs/ + man_anns/…/gateman.mpqa.lre.*)"
    extensions = ()
    can_read = True
    can_write = True
    directory = True

    def sniff_directory(self, path: Path) -> bool:
        if database_root(path) is not None:
            return True
        return any(GATEMAN.fullmatch(p.name) for p in path.iterdir() if p.is_file())

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        notes: dict[str, int] = {}
        counts: dict[str, int] = {}
        docs = []
        for gateman, doc_path, name in find_documents(path, notes):
            doc = read_gateman(gateman, doc_path, name)
            if not doc.text:
                raise BadInputError("the document is empty", path=doc_path)
            docs.append(_Converter(doc, options, counts).convert())
        counts |= notes
        if counts:
            listed = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
            options.warn(f"{path}: not represented: {listed}")
        yield from docs

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        from annotator.formats._mpqa_write import write_database

        return write_database(docs, out)
