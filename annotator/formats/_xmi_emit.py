"""Writing one document as UIMA CAS XMI text directly (what cassis's serialiser writes for the
same CAS, several times faster): offsets in UTF-16 code units, the layers of
:mod:`annotator.formats._xmi_layers`.

Not a format: the registry skips modules whose name starts with ``_``. Characters XML 1.0
cannot hold are written as U+FFFD, one for one, and counted (see :mod:`annotator.formats.xmi`).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from typing import Any

from annotator.core.model import CorpusDocument
from annotator.formats._xmi_layers import FRAGMENTS_FEATURE, LINK_FEATURE, Schema, SpanLayerDef
from annotator.formats._xmi_names import METADATA_TYPE, STATE_TYPE
from annotator.formats.registry import ExportSummary

#: Characters outside XML 1.0's ``Char`` production.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ASTRAL = re.compile("[\U00010000-\U0010ffff]")
SPECIAL = re.compile('[&<>"\n\r\t]')


class _Out:
    def __init__(self) -> None:
        self.replaced = 0
        self.prefixes: dict[str, str] = {"uima.cas": "cas", "uima.tcas": "tcas"}
        self.lines: list[str] = []
        self.next_id = 1
        self.tags: dict[str, str] = {}  # type name -> prefixed tag

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def text(self, value: str) -> str:
        if value.isalnum():  # letters and digits: XML characters, none of them special
            return value
        if NOT_XML.search(value):
            value, n = NOT_XML.subn("\ufffd", value)
            self.replaced += n
        if not SPECIAL.search(value):
            return value
        return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
                .replace("\t", "&#9;"))

    def value(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return self.text(str(value))

    def tag(self, type_name: str) -> str:
        tag = self.tags.get(type_name)
        if tag is not None:
            return tag
        pkg, _, short = type_name.rpartition(".")
        prefix = self.prefixes.get(pkg)
        if prefix is None:
            base = pkg.rsplit(".", 1)[-1] or "ns"
            prefix, n = base, 2
            while prefix in self.prefixes.values() or prefix == "xmi":
                prefix, n = f"{base}{n}", n + 1
            self.prefixes[pkg] = prefix
        tag = self.tags[type_name] = f"{prefix}:{short}"
        return tag

    def element(self, type_name: str, xid: int, attrs: list[tuple[str, str]]) -> None:
        self.written(type_name, xid, "".join(f' {k}="{v}"' for k, v in attrs))

    def written(self, type_name: str, xid: int, body: str) -> None:
        """An element whose attributes after ``xmi:id`` are ``body`` (each `` name="value"``)."""
        self.lines.append(f'<{self.tag(type_name)} xmi:id="{xid}"{body}/>')

    def features(self, sdef: SpanLayerDef, attributes: dict[str, Any]) -> str:
        """The attributes of an annotation's features, as ``written`` takes them."""
        out = []
        for name, value in attributes.items():
            f = sdef.features[name]
            out.append(f' {f.name}="{self.text(json.dumps(value, ensure_ascii=False))}"'
                       if f.is_json else f' {f.name}="{self.value(value)}"')
        return "".join(out)


def emit_xmi(doc: CorpusDocument, schema: Schema, layers: set[str] | None,
             summary: ExportSummary) -> bytes:
    """The XMI of ``doc``; spans and relations counted in ``summary``."""
    out = _Out()
    astral = [m.start() for m in ASTRAL.finditer(doc.text)]  # code point -> UTF-16: one more

    def u16(i: int) -> int:  # unit for each astral character before it
        return i + bisect_left(astral, i) if astral else i

    sofa = 1
    members: list[int] = []

    def span_attrs(b: int, e: int) -> list[tuple[str, str]]:
        return [("sofa", str(sofa)), ("begin", str(u16(b))), ("end", str(u16(e)))]

    mid = out.new_id()
    out.element(METADATA_TYPE, mid, [*span_attrs(0, len(doc.text)),
                                     ("documentTitle", out.text(doc.title or doc.name)),
                                     ("documentId", out.text(doc.name)),
                                     ("isLastSegment", "false")])
    sid = out.new_id()
    out.element(STATE_TYPE, sid, [("status", out.text(doc.status)),
                                  ("meta", out.text(json.dumps(doc.meta, ensure_ascii=False)))])
    members += [mid, sid]
    heads: dict[str, tuple[int, int, int, str]] = {}  # key -> (xmi:id, begin, end, layer)
    pending: list[tuple[str, int, str, str]] = []  # written after the links
    text = out.text
    for span in doc.spans:
        if layers is not None and span.layer not in layers:
            continue
        sdef = schema.spans[span.layer]
        label = text(span.label)
        body = f' label="{label}"'
        if span.note:
            body += f' note="{text(span.note)}"'
        if span.annotator:
            body += f' annotator="{text(span.annotator)}"'
        if span.attributes:
            body += out.features(sdef, span.attributes)
        (b0, e0), *rest = span.fragments
        hid = out.new_id()
        heads[span.key] = (hid, b0, e0, span.layer)
        if rest:
            slots = []
            for b, e in rest:
                fid = out.new_id()
                out.element(sdef.type_name, fid, [*span_attrs(b, e), ("label", label)])
                slot = out.new_id()
                out.element(sdef.fragments_type or "", slot, [("role", "fragment"),
                                                              ("target", str(fid))])
                members += [fid, slot]
                slots.append(slot)
            body += f' {FRAGMENTS_FEATURE}="{" ".join(map(str, slots))}"'  # inline, as UIMA
        if astral:
            b0, e0 = b0 + bisect_left(astral, b0), e0 + bisect_left(astral, e0)
        pending.append((span.key, hid, sdef.type_name,
                        f' sofa="{sofa}" begin="{b0}" end="{e0}"{body}'))
        summary.spans += 1
    for ann in doc.doc_annotations:
        if layers is not None and ann.layer not in layers:
            continue
        sdef = schema.spans[ann.layer]
        attrs = [("sofa", str(sofa)), ("label", out.text(ann.label))]
        if ann.annotator:
            attrs.append(("annotator", out.text(ann.annotator)))
        for name, value in ann.attributes.items():
            f = sdef.features[name]
            attrs.append((f.name, out.text(json.dumps(value, ensure_ascii=False)) if f.is_json
                          else out.value(value)))
        did = out.new_id()
        out.element(sdef.type_name, did, attrs)
        members.append(did)
    links: dict[str, list[int]] = {}
    written, out.lines = out.lines, []  # relations go after the spans they join
    for rel in doc.relations:
        gov, dep = heads.get(rel.source), heads.get(rel.target)
        if gov is None or dep is None:
            summary.drop("relation with an end not exported")
            continue
        extra = [("attributes", out.text(json.dumps(rel.attributes, ensure_ascii=False)))] \
            if rel.attributes else []
        rid = out.new_id()
        if gov[3] == dep[3]:
            out.element(schema.relations[gov[3]].type_name, rid,
                        [*span_attrs(dep[1], dep[2]), ("Governor", str(gov[0])),
                         ("Dependent", str(dep[0])), ("label", out.text(rel.type)), *extra])
        else:
            out.element(schema.spans[gov[3]].link_type or "", rid,
                        [("role", out.text(rel.type)), ("target", str(dep[0])), *extra])
            links.setdefault(rel.source, []).append(rid)
        members.append(rid)
        summary.relations += 1
    relation_lines, out.lines = out.lines, written
    for key, hid, type_name, body in pending:
        link_ids = links.get(key)
        if link_ids:  # an FSArray without multiple references is written inline
            body += f' {LINK_FEATURE}="{" ".join(map(str, link_ids))}"'
        out.written(type_name, hid, body)
        members.append(hid)
    out.lines += relation_lines
    sofa_text = out.text(doc.text)
    if out.replaced:
        summary.warnings.append(
            f"{NOT_XML.sub(chr(0xFFFD), doc.name)}: {out.replaced} character(s) that XML 1.0 "
            "cannot hold (control characters such as form feed or NUL) written as U+FFFD; "
            "offsets unchanged")
    ns = "".join(f' xmlns:{p}="http:///{pkg.replace(".", "/")}.ecore"'
                 for pkg, p in out.prefixes.items())
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<xmi:XMI xmlns:xmi="http://www.omg.org/XMI"'
            f'{ns} xmi:version="2.0">\n<cas:NULL xmi:id="0"/>\n')
    tail = (f'\n<cas:Sofa xmi:id="{sofa}" sofaNum="1" sofaID="_InitialView" '
            f'mimeType="text/plain" sofaString="{sofa_text}"/>\n'
            f'<cas:View sofa="{sofa}" members="{" ".join(map(str, sorted(members)))}"/>\n'
            '</xmi:XMI>\n')
    return (head + "\n".join(out.lines) + tail).encode("utf-8")
