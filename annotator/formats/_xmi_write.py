"""Writing UIMA CAS XMI: the type system for a corpus, one CAS per document.

Not a format: the registry skips modules whose name starts with ``_``. See
:mod:`annotator.formats.xmi` for the type system written and for characters XML 1.0 cannot hold.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset
from annotator.formats._xmi_names import (
    ANNOTATION,
    INT32,
    JSON_DESCRIPTION,
    METADATA_TYPE,
    RELATION_TYPE,
    STATE_TYPE,
    STRING,
    describe,
    java_name,
    layer_type,
)
from annotator.formats.registry import ExportSummary

if TYPE_CHECKING:
    from cassis import Cas, TypeSystem

#: Characters outside XML 1.0's ``Char`` production.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _range_for(values: list[Any], declared: str | None) -> tuple[str, bool]:
    """``(UIMA range, holds JSON)`` for an attribute's values (tagset type when none)."""
    if values:
        if all(isinstance(v, str) for v in values):
            return STRING, False
        if all(isinstance(v, bool) for v in values):
            return "uima.cas.Boolean", False
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return ("uima.cas.Integer" if all(v in INT32 for v in values)
                    else "uima.cas.Long"), False
        if all(isinstance(v, float) for v in values):
            return "uima.cas.Double", False
        return STRING, True
    return {"bool": ("uima.cas.Boolean", False), "multi": (STRING, True),
            "number": ("uima.cas.Double", False)}.get(declared or "", (STRING, False))


def build_typesystem(docs: list[CorpusDocument], tagset: Tagset,
                     layers: set[str] | None) -> tuple[TypeSystem, dict[tuple[str, str], bool]]:
    """The type system for ``docs``; also which (layer, attribute) features hold JSON."""
    from cassis import TypeSystem

    ts = TypeSystem()
    meta = ts.create_type(METADATA_TYPE, supertypeName="uima.tcas.DocumentAnnotation")
    for feat in ("documentTitle", "documentId", "documentUri", "documentBaseUri", "collectionId"):
        ts.create_feature(meta, feat, STRING)
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    state = ts.create_type(STATE_TYPE, supertypeName="uima.cas.TOP")
    ts.create_feature(state, "status", STRING)
    ts.create_feature(state, "meta", STRING, description=JSON_DESCRIPTION)
    rel = ts.create_type(RELATION_TYPE, supertypeName=ANNOTATION)
    ts.create_feature(rel, "Governor", ANNOTATION)
    ts.create_feature(rel, "Dependent", ANNOTATION)
    ts.create_feature(rel, "label", STRING)
    ts.create_feature(rel, "attributes", STRING, description=JSON_DESCRIPTION)

    declared: dict[str, dict[str, str | None]] = {}  # layer -> attribute -> tagset type
    for lay in tagset.layers:
        if layers is None or lay.name in layers:
            attrs = declared.setdefault(lay.name, {})
            for lab in lay.labels:
                for a in tagset.attributes_for(lay.name, lab.name):
                    attrs.setdefault(a.name, a.type)
    values: dict[tuple[str, str], list[Any]] = {}
    for doc in docs:
        for span in doc.spans:
            if layers is not None and span.layer not in layers:
                continue
            attrs = declared.setdefault(span.layer, {})
            for name, value in span.attributes.items():
                attrs.setdefault(name, None)
                values.setdefault((span.layer, name), []).append(value)
    json_features: dict[tuple[str, str], bool] = {}
    for layer, attrs in declared.items():
        t = ts.create_type(layer_type(layer), supertypeName=ANNOTATION,
                           description=describe(layer))
        for feat in ("label", "note", "annotator"):
            ts.create_feature(t, feat, STRING)
        ts.create_feature(t, "fragment_of", ANNOTATION)
        for name, kind in attrs.items():
            rng, is_json = _range_for(values.get((layer, name), []), kind)
            json_features[(layer, name)] = is_json
            ts.create_feature(t, java_name(name), rng, description=describe(name, is_json=is_json))
    return ts, json_features


class XmlText:
    """Makes strings writable as XML 1.0, counting the characters it had to replace."""

    def __init__(self) -> None:
        self.replaced = 0

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        fixed, n = NOT_XML.subn("\ufffd", value)
        self.replaced += n
        return fixed


def build_cas(doc: CorpusDocument, ts: TypeSystem, json_features: dict[tuple[str, str], bool],
              layers: set[str] | None, summary: ExportSummary) -> Cas:
    """The CAS of ``doc``; characters XML 1.0 cannot hold are written as U+FFFD and reported."""
    from cassis import Cas

    x = XmlText()
    cas = Cas(typesystem=ts)
    cas.sofa_string = x(doc.text)
    cas.sofa_mime = "text/plain"
    cas.add(ts.get_type(METADATA_TYPE)(begin=0, end=len(doc.text), documentId=x(doc.name),
                                       documentTitle=x(doc.title or doc.name),
                                       isLastSegment=False))
    cas.add(ts.get_type(STATE_TYPE)(status=x(doc.status),
                                    meta=x(json.dumps(doc.meta, ensure_ascii=False))))
    heads: dict[str, Any] = {}
    for span in doc.spans:
        if layers is not None and span.layer not in layers:
            continue
        t = ts.get_type(layer_type(span.layer))
        feats: dict[str, Any] = {"label": x(span.label)}
        if span.note:
            feats["note"] = x(span.note)
        if span.annotator:
            feats["annotator"] = x(span.annotator)
        for name, value in span.attributes.items():
            is_json = json_features[(span.layer, name)]
            feats[java_name(name)] = x(json.dumps(value, ensure_ascii=False) if is_json else value)
        (s0, e0), *rest = span.fragments
        head = t(begin=s0, end=e0, **feats)
        cas.add(head)
        heads[span.key] = head
        for s, e in rest:
            cas.add(t(begin=s, end=e, label=feats["label"], fragment_of=head))
        summary.spans += 1
    rel_t = ts.get_type(RELATION_TYPE)
    for rel in doc.relations:
        gov, dep = heads.get(rel.source), heads.get(rel.target)
        if gov is None or dep is None:
            summary.drop("relation with an end not exported")
            continue
        feats = {"attributes": x(json.dumps(rel.attributes, ensure_ascii=False))} \
            if rel.attributes else {}
        cas.add(rel_t(begin=dep.begin, end=dep.end, Governor=gov, Dependent=dep,
                      label=x(rel.type), **feats))
        summary.relations += 1
    if x.replaced:
        summary.warnings.append(
            f"{NOT_XML.sub(chr(0xFFFD), doc.name)}: {x.replaced} character(s) that XML 1.0 cannot hold (control "
            "characters such as form feed or NUL) written as U+FFFD; offsets unchanged")
    return cas


