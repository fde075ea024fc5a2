"""Writing the MPQA layout, 2.0 form. Not a format: see :mod:`annotator.formats.mpqa`.

``docs/<parent>/<docleaf>`` (the text, in the encoding it was read in, else UTF-8) and
``man_anns/<parent>/<docleaf>/gateman.mpqa.lre.2.0``: the two ``0,0`` agents ``w`` and
``implicit`` every MPQA document has, then one line per span, in text order, with byte offsets.
A document named ``parent/docleaf`` keeps that place; another goes under ``annotator/``.

* Type: the span's ``mpqa_annotation`` when it fits its label, else ``attribution:source`` →
  agent, ``attribution:cue`` → direct-subjective when it ``expresses`` something, else
  objective-speech-event; ``stance:stance`` → attitude when a cue ``expresses`` it, else
  expressive-subjectivity; ``hedging:hedge`` → attitude with ``attitude-type="speculation"``;
  ``stance:target`` → target.
* Attributes: the ``mpqa_*`` ones as they came, the tagset's ``polarity`` and ``intensity``
  written back into MPQA's when they were changed (or set in the app), ``nested-source`` from a
  ``source_of``/``holder_of`` relation when the span has none (an agent without one: ``w,`` and
  its own id, never a bare ``w``, which is the writer). An id names one annotation: one that
  an earlier annotation of the document has is written under a new id (a warning says so).
* Links from relations: ``expresses`` → ``attitude-link``, ``targets`` → ``target-link`` (3.0's
  target frames are written as 2.0 ``target-link``s), with ``id``s made where a span has none.

Counted as dropped: spans of other labels, other relation types, notes, document-level
annotations and metadata, attribute values holding ``"`` or a tab or newline; a discontinuous span
is written over its whole extent (counted).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate
from pathlib import Path

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.text import safe_filename
from annotator.formats._mpqa_read import INTENSITY, POLARITY, PREFIX, TYPE_KEY, attitude_polarity
from annotator.formats.registry import ExportSummary

LINKS = {"attitude-link", "target-link", "targetFrame-link", "sTarget-link", "newETarget-link"}
FITS = {("attribution", "source"): {"agent"},
        ("attribution", "cue"): {"direct-subjective", "objective-speech-event"},
        ("stance", "stance"): {"attitude", "expressive-subjectivity"},
        ("hedging", "hedge"): {"attitude"},
        ("stance", "target"): {"target", "sTarget", "eTarget"}}
SOURCED = ("agent", "direct-subjective", "objective-speech-event", "expressive-subjectivity")
WRITTEN_RELATIONS = {"expresses", "targets", "source_of", "holder_of"}
BACK_POLARITY = {v: k for k, v in POLARITY.items()}
_BAD = set('"\t\r\n')
FIXED_AGENTS = ("w", "implicit")  # the writer and the implicit agent: every document has them


def _writable_id(given: str) -> bool:
    """An id a gateman line and a comma-separated link list can hold as it is."""
    return bool(given) and given == given.strip() and not (_BAD & set(given)) and \
        "," not in given


def _order(span: SpanRecord) -> tuple[int, int, str]:
    return (span.start, span.end, span.key)


class _Document:
    def __init__(self, doc: CorpusDocument, summary: ExportSummary) -> None:
        self.doc, self.summary = doc, summary
        self.spans = {s.key: s for s in doc.spans if (s.layer, s.label) in FITS}
        self.out: dict[str, list[str]] = {}  # relation type + source key -> target keys
        self.into: dict[str, list[str]] = {}  # relation type + target key -> source keys
        for rel in doc.relations:
            if rel.type in WRITTEN_RELATIONS and rel.source in self.spans and \
                    rel.target in self.spans:
                self.out.setdefault(f"{rel.type} {rel.source}", []).append(rel.target)
                self.into.setdefault(f"{rel.type} {rel.target}", []).append(rel.source)
                summary.relations += 1
            else:
                summary.drop("relations of other types or between spans not written")
        self.ids: dict[str, str] = {}  # span key -> the id written (unique in the file)
        self.taken = {*FIXED_AGENTS}
        renamed = 0
        for span in sorted(self.spans.values(), key=_order):
            given = span.attributes.get(PREFIX + "id")
            if not isinstance(given, str) or not _writable_id(given):
                continue
            if given in self.taken:
                renamed += 1  # ident() gives it a new one
            else:
                self.ids[span.key] = given
            self.taken.add(given)
        if renamed:
            summary.warnings.append(f"{renamed} annotation id(s) used by an earlier annotation "
                                    "of the same document were written under a new id (an id "
                                    "names one annotation)")

    def kind(self, span: SpanRecord) -> str:
        given = span.attributes.get(TYPE_KEY)
        if isinstance(given, str) and given in FITS[(span.layer, span.label)]:
            return given
        if span.label == "source":
            return "agent"
        if span.label == "cue":
            return "direct-subjective" if self.out.get(f"expresses {span.key}") else \
                "objective-speech-event"
        if span.label == "stance":
            return "attitude" if self.into.get(f"expresses {span.key}") else \
                "expressive-subjectivity"
        return "attitude" if span.label == "hedge" else "target"

    def ident(self, key: str) -> str:
        """The span's id in the file: the one it came with, unless an earlier annotation has
        it (or it cannot be written), else a new one."""
        span = self.spans[key]
        if key not in self.ids:
            stem = "t" if span.label == "target" else "a"
            n = len(self.ids) + 1
            while f"{stem}{n}" in self.taken:
                n += 1
            self.ids[key] = f"{stem}{n}"
            self.taken.add(self.ids[key])
        return self.ids[key]

    def attributes(self, span: SpanRecord, kind: str) -> dict[str, str]:
        attrs = {k[len(PREFIX):]: v for k, v in span.attributes.items()
                 if k.startswith(PREFIX) and k != TYPE_KEY and k[len(PREFIX):] not in LINKS}
        other = [k for k in span.attributes if not k.startswith(PREFIX)
                 and k not in ("polarity", "intensity", "holder")]
        if other:
            self.summary.drop("span attributes MPQA has no place for", len(other))
        if span.note:
            self.summary.drop("notes")
        polarity = span.attributes.get("polarity")
        if kind == "attitude" and span.label == "hedge":
            attrs["attitude-type"] = "speculation"
        elif kind == "attitude" and isinstance(polarity, str):
            given = attrs.get("attitude-type", "")
            if attitude_polarity(str(given)) != polarity:
                family = str(given).rsplit("-", 1)[0] if attitude_polarity(str(given)) else \
                    "sentiment"
                attrs["attitude-type"] = {"favour": f"{family}-pos", "against": f"{family}-neg"
                                          }.get(polarity, "other-attitude")
        elif isinstance(polarity, str) and POLARITY.get(str(attrs.get("polarity"))) != polarity:
            attrs["polarity"] = BACK_POLARITY.get(polarity, polarity)
        intensity = span.attributes.get("intensity")
        if isinstance(intensity, str) and INTENSITY.get(str(attrs.get("intensity"))) != intensity:
            attrs["intensity"] = intensity
        if kind == "agent" and "nested-source" not in attrs:
            # an agent's chain ends with itself: a bare "w" would make it the writer, and every
            # annotation of the writer's own would be read back as this agent's
            attrs["nested-source"] = self.nested(span.key)
            attrs["id"] = self.ident(span.key)
        elif kind in SOURCED and "nested-source" not in attrs:
            sources = (self.into.get(f"source_of {span.key}") or
                       self.into.get(f"holder_of {span.key}") or [])
            attrs["nested-source"] = self.nested(sources[0]) if sources else "w"
        if "id" in attrs or span.key in self.ids or any(
                self.into.get(f"{t} {span.key}") for t in ("expresses", "targets")):
            attrs["id"] = self.ident(span.key)
        for rel, name in (("expresses", "attitude-link"), ("targets", "target-link")):
            targets = self.out.get(f"{rel} {span.key}")
            if targets:
                attrs[name] = ",".join(self.ident(k) for k in targets)
        bad = [k for k, v in attrs.items() if _BAD & set(str(v)) or _BAD & set(k) or " " in k]
        for k in bad:
            del attrs[k]
        if bad:
            self.summary.drop('attribute values holding " or a tab or line break', len(bad))
        return {k: str(v) for k, v in attrs.items()}

    def nested(self, agent_key: str) -> str:
        agent = self.spans[agent_key]
        given = agent.attributes.get(PREFIX + "nested-source")
        if isinstance(given, str) and given:
            return given
        return f"w, {self.ident(agent_key)}"

    def lines(self, offsets: list[int] | None) -> list[str]:
        rows = [f'{n}\t0,0\tstring\tGATE_agent\t id="{agent}"'
                for n, agent in enumerate(FIXED_AGENTS)]
        ordered = sorted(self.spans.values(), key=_order)
        kinds = {s.key: self.kind(s) for s in ordered}
        for span in ordered:  # ids first, so that links written before their target resolve
            if any(self.into.get(f"{t} {span.key}") for t in ("expresses", "targets")):
                self.ident(span.key)
        for span in ordered:
            if len(span.fragments) > 1:
                self.summary.drop("discontinuous spans (written over their whole extent)")
            start, end = (offsets[span.start], offsets[span.end]) if offsets else \
                (span.start, span.end)
            attrs = self.attributes(span, kinds[span.key])
            text = "".join(f' {k}="{v}"' for k, v in attrs.items())
            rows.append(f"{len(rows)}\t{start},{end}\tstring\tGATE_{kinds[span.key]}\t{text}")
            self.summary.spans += 1
        return rows


def _place(name: str, taken: dict[str, set[str]]) -> tuple[str, str]:
    parts = name.split("/")
    parent, leaf = (parts[0], parts[1]) if len(parts) == 2 and all(parts) else \
        ("annotator", name)
    parent = safe_filename(parent, set())
    return parent, safe_filename(leaf, taken.setdefault(parent, set()))


def write_database(docs: Iterable[CorpusDocument], out: Path) -> ExportSummary:
    summary = ExportSummary()
    taken: dict[str, set[str]] = {}
    for doc in docs:
        dropped = len(doc.spans) - sum(1 for s in doc.spans if (s.layer, s.label) in FITS)
        if dropped:
            summary.drop("spans of labels MPQA has no type for", dropped)
        if doc.doc_annotations:
            summary.drop("document-level annotations", len(doc.doc_annotations))
        encoding = str(doc.meta.get("source_encoding") or "utf-8")
        try:
            data = doc.text.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            encoding, data = "utf-8", doc.text.encode("utf-8", "surrogatepass")
        offsets = None
        if len(data) != len(doc.text):
            offsets = [0, *accumulate(len(c.encode(encoding, "surrogatepass"))
                                      for c in doc.text)]
        parent, leaf = _place(doc.name, taken)
        text_file = out / "docs" / parent / leaf
        ann_file = out / "man_anns" / parent / leaf / "gateman.mpqa.lre.2.0"
        rows = _Document(doc, summary).lines(offsets)
        text_file.parent.mkdir(parents=True, exist_ok=True)
        ann_file.parent.mkdir(parents=True, exist_ok=True)
        text_file.write_bytes(data)
        ann_file.write_bytes(("# MPQA annotation file\n# written by Annotator\n"
                              + "".join(r + "\n" for r in rows)).encode("utf-8"))
        summary.files += [text_file, ann_file]
        summary.documents += 1
    return summary
