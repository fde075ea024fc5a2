"""The annotations an XMI file states, read with the standard library's XML parser alone: the
test-side reference for what an importer of the same document should produce.

Offsets are turned from UTF-16 units into code points on the file's own text. Only the types
given are read: span types, relation types (``Governor``/``Dependent``), chain link types (their
``next`` is the arc to the following link) and slot features of span types (lists of link
structures whose ``role`` and ``target`` are read)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

XMI_ID = "{http://www.omg.org/XMI}id"
STRUCTURAL = {"xmi:id", "sofa", "begin", "end"}


def type_name(tag: str) -> str:
    """``{http:///webanno/custom.ecore}Span`` -> ``webanno.custom.Span``."""
    uri, local = tag[1:].split("}", 1)
    package = uri.removeprefix("http:///").removesuffix(".ecore").replace("/", ".")
    return f"{package}.{local}"


def to_codepoints(text: str, u16: int) -> int:
    """Code point offset of UTF-16 offset ``u16`` in ``text``."""
    count = 0
    for i, ch in enumerate(text):
        if count >= u16:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


@dataclass
class XmiAnnotation:
    type: str
    start: int
    end: int
    features: dict[str, str] = field(default_factory=dict)


@dataclass
class XmiDocument:
    text: str
    spans: list[XmiAnnotation] = field(default_factory=list)
    # (kind, type or role, features, source (start, end), target (start, end))
    links: list[tuple[str, str, dict[str, str], tuple[int, int], tuple[int, int]]] = \
        field(default_factory=list)


def read_xmi(path: Path, span_types: set[str], relation_types: set[str],
             chain_types: set[str], slot_features: set[str]) -> XmiDocument:
    root = ET.parse(path).getroot()
    by_id: dict[str, ET.Element] = {el.get(XMI_ID, ""): el for el in root}
    sofa = next(el for el in root if el.tag.endswith("}Sofa")
                and el.get("sofaID") == "_InitialView")
    text = sofa.get("sofaString") or ""

    def where(el: ET.Element) -> tuple[int, int]:
        return (to_codepoints(text, int(el.get("begin", "0"))),
                to_codepoints(text, int(el.get("end", "0"))))

    doc = XmiDocument(text)
    for el in root:
        if el.tag.startswith("{http://www.omg.org/XMI}") or "}" not in el.tag:
            continue
        t = type_name(el.tag)
        if t in span_types or t in chain_types:
            s, e = where(el)
            plain = {k: v for k, v in el.attrib.items()
                     if k not in STRUCTURAL and not k.startswith("{")}
            refs = {k for k in plain if k in slot_features}
            doc.spans.append(XmiAnnotation(t, s, e, {k: v for k, v in plain.items()
                                                      if k not in refs and k != "next"}))
            for k in refs:
                for link_id in plain[k].split():
                    link = by_id[link_id]
                    target = by_id.get(link.get("target", ""))
                    if target is not None:
                        doc.links.append(("slot", link.get("role") or k, {}, (s, e),
                                          where(target)))
            if t in chain_types and el.get("next") in by_id:
                rel = el.get("referenceRelation")
                doc.links.append(("chain", rel or "", {}, (s, e), where(by_id[el.get("next")])))
        elif t in relation_types:
            gov, dep = by_id.get(el.get("Governor", "")), by_id.get(el.get("Dependent", ""))
            plain = {k: v for k, v in el.attrib.items()
                     if k not in STRUCTURAL | {"Governor", "Dependent"}
                     and not k.startswith("{")}
            if gov is not None and dep is not None:
                doc.links.append(("relation", t, plain, where(gov), where(dep)))
    return doc
