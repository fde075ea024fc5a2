"""BioScope and CoNLL-2010 shared task hedge XML, import only.

``<Annotation><DocumentSet><Document>`` (BioScope) or ``<Document>`` elements (CoNLL-2010,
possibly under another root), each with a ``<DocID>`` and ``<DocumentPart>`` elements holding
``<sentence>`` elements. Inside a sentence, BioScope (and CoNLL-2010 task 2) mark a scope as
``<xcope id="X1.2">`` and its cue as ``<cue type="speculation|negation" ref="X1.2">``, nested
freely; CoNLL-2010 task 1 marks cues as ``<ccue>`` and a sentence as ``certainty="uncertain"``.

One document per ``<Document>``, named by its ``DocID`` (else ``<file stem>-<n>``): its text is
its sentences, one per line (a blank line between document parts). On the default tagset:

* a cue is a ``hedging:hedge`` span; a negation cue has ``negated`` = true (the tagset has no
  negation layer: the cue's ``bioscope_type`` attribute keeps BioScope's type either way);
* a scope is a ``hedging:scope`` span, and the cue naming it is linked to it with a
  ``scope_of`` relation (cue → scope), as the default tagset defines;
* a ``certainty="uncertain"`` sentence without a cue inside has no span to carry it: the
  sentence ids are kept in the document's ``meta["uncertain_sentences"]`` and counted.

A cue whose ``ref`` names no scope of its sentence, and a scope no cue names, are kept
(without the link) and counted. The XML may not declare a DTD or entities.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.formats._common import parse_safe_xml
from annotator.formats._textfile import read_file_bytes
from annotator.formats.registry import Format, ReadOptions, register

MAX_DEPTH = 200  # nesting of elements inside one sentence


class _Document:
    def __init__(self, path: Path, options: ReadOptions) -> None:
        self.path, self.options = path, options
        self.parts: list[str] = []
        self.spans: list[SpanRecord] = []
        self.relations: list[RelationRecord] = []
        self.uncertain: list[str] = []
        self.counts: dict[str, int] = {}

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def span(self, label: str, start: int, end: int, attributes: dict[str, Any]) -> str | None:
        if start >= end:
            self.count(f"empty {label} element(s)")
            return None
        key = f"b{len(self.spans) + 1}"
        self.spans.append(SpanRecord(key, "hedging", label, ((start, end),), attributes,
                                     annotator=self.options.annotator))
        return key

    def sentence(self, element: Any, offset: int) -> str:
        pieces: list[str] = []
        scopes: dict[str, str] = {}
        cues: list[tuple[str, str]] = []  # (span key, ref)
        pos = offset
        has_cue = False

        def walk(node: Any, depth: int) -> None:
            nonlocal pos, has_cue
            if depth > MAX_DEPTH:
                raise BadInputError(f"elements nested more than {MAX_DEPTH} deep in sentence "
                                    f"{element.get('id', '?')!r}", path=self.path)
            start = pos
            if node.text:
                pieces.append(node.text)
                pos += len(node.text)
            for child in node:
                walk(child, depth + 1)
                if child.tail:
                    pieces.append(child.tail)
                    pos += len(child.tail)
            tag = node.tag
            if tag in ("cue", "ccue"):
                has_cue = True
                kind = node.get("type", "speculation")
                attributes: dict[str, Any] = {"bioscope_type": kind}
                if kind == "negation":
                    attributes["negated"] = True
                key = self.span("hedge", start, pos, attributes)
                if key and tag == "cue" and node.get("ref"):
                    cues.append((key, node.get("ref")))
            elif tag == "xcope":
                key = self.span("scope", start, pos, {})
                if key and node.get("id"):
                    scopes[node.get("id")] = key
            elif depth and tag not in ("cue", "ccue", "xcope"):
                self.count(f"<{tag}> element(s) inside sentences (their text is kept)")

        walk(element, 0)
        named = set()
        for key, ref in cues:
            if ref in scopes:
                named.add(ref)
                self.relations.append(RelationRecord(f"r{len(self.relations) + 1}", "scope_of",
                                                     key, scopes[ref]))
            else:
                self.count("cue(s) naming no scope of their sentence")
        for _unnamed in set(scopes) - named:
            self.count("scope(s) no cue names")
        if element.get("certainty") == "uncertain" and not has_cue:
            self.uncertain.append(element.get("id", ""))
        return "".join(pieces).replace("\n", " ")


@register
class BioScopeFormat(Format):
    name = "bioscope"
    label = "BioScope / CoNLL-2010 hedge XML (cues and scopes)"
    extensions = ()
    can_read = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        root = parse_safe_xml(read_file_bytes(path), path)
        documents = [root] if root.tag == "Document" else list(root.iter("Document"))
        if not documents:
            raise BadInputError("no <Document> element: not BioScope or CoNLL-2010 XML",
                                path=path)
        counts: dict[str, int] = {}
        uncertain = 0
        out: list[CorpusDocument] = []
        for n, element in enumerate(documents, start=1):
            doc = _Document(path, options)
            lines: list[str] = []
            offset = 0
            parts = element.findall("DocumentPart") or [element]
            for i, part in enumerate(parts):
                if i and lines:
                    lines.append("")
                    offset += 1
                for sentence in part.iter("sentence"):
                    line = doc.sentence(sentence, offset)
                    lines.append(line)
                    offset += len(line) + 1
            text = "\n".join(lines)
            if not text.strip():
                counts["document(s) without text (skipped)"] = counts.get(
                    "document(s) without text (skipped)", 0) + 1
                continue
            doc_id = (element.findtext("DocID") or "").strip()
            name = doc_id or f"{path.stem}-{n}"
            meta: dict[str, Any] = {}
            if doc.uncertain:
                meta["uncertain_sentences"] = doc.uncertain
                uncertain += len(doc.uncertain)
            for what, k in doc.counts.items():
                counts[what] = counts.get(what, 0) + k
            out.append(CorpusDocument(name=name, title=name, text=text, meta=meta,
                                      spans=doc.spans, relations=doc.relations,
                                      source_path=str(path)))
        if uncertain:
            counts["uncertain sentence(s) without a cue (ids kept in the document's meta)"] = \
                uncertain
        if counts:
            listed = ", ".join(f"{k} {what}" for what, k in sorted(counts.items()))
            options.warn(f"{path}: {listed}")
        yield from out
