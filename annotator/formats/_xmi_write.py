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
from annotator.formats._xmi_layers import (
    FRAGMENTS_FEATURE,
    LINK_FEATURE,
    SPAN_FEATURES,
    Schema,
    build_schema,
)
from annotator.formats._xmi_names import (
    ANNOTATION,
    JSON_DESCRIPTION,
    METADATA_TYPE,
    STATE_TYPE,
    STRING,
    describe,
)
from annotator.formats.registry import ExportSummary

if TYPE_CHECKING:
    from cassis import Cas, TypeSystem

#: Characters outside XML 1.0's ``Char`` production.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def build_typesystem(docs: list[CorpusDocument], tagset: Tagset,
                     layers: set[str] | None) -> tuple[TypeSystem, Schema]:
    """The type system for ``docs``, built as INCEpTION builds layers made in its UI (see
    :mod:`annotator.formats._xmi_layers`), and the layer model it came from."""
    from cassis import TypeSystem

    schema = build_schema(docs, tagset, layers)
    ts = TypeSystem()
    meta = ts.create_type(METADATA_TYPE, supertypeName="uima.tcas.DocumentAnnotation")
    for feat in ("documentTitle", "documentId", "documentUri", "documentBaseUri", "collectionId"):
        ts.create_feature(meta, feat, STRING)
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    state = ts.create_type(STATE_TYPE, supertypeName="uima.cas.TOP")
    ts.create_feature(state, "status", STRING)
    ts.create_feature(state, "meta", STRING, description=JSON_DESCRIPTION)
    for sdef in schema.spans.values():
        t = ts.create_type(sdef.type_name, supertypeName=ANNOTATION,
                           description=describe(sdef.layer))
        for feat in SPAN_FEATURES:
            ts.create_feature(t, feat, STRING)
        for f in sdef.features.values():
            ts.create_feature(t, f.name, f.range, description=describe(f.ui_name,
                                                                       is_json=f.is_json))
    for sdef in schema.spans.values():
        if sdef.fragments_type:
            frag = ts.create_type(sdef.fragments_type, supertypeName="uima.cas.TOP")
            ts.create_feature(frag, "role", STRING)
            ts.create_feature(frag, "target", sdef.type_name)
            ts.create_feature(ts.get_type(sdef.type_name), FRAGMENTS_FEATURE, "uima.cas.FSArray",
                              elementType=sdef.fragments_type)
        if sdef.link_type:
            link = ts.create_type(sdef.link_type, supertypeName="uima.cas.TOP")
            ts.create_feature(link, "role", STRING)
            ts.create_feature(link, "target", ANNOTATION)
            ts.create_feature(link, "attributes", STRING, description=JSON_DESCRIPTION)
            ts.create_feature(ts.get_type(sdef.type_name), LINK_FEATURE, "uima.cas.FSArray",
                              elementType=sdef.link_type)
    for rdef in schema.relations.values():
        rel = ts.create_type(rdef.type_name, supertypeName=ANNOTATION)
        attach = schema.spans[rdef.layer].type_name
        ts.create_feature(rel, "Governor", attach)
        ts.create_feature(rel, "Dependent", attach)
        ts.create_feature(rel, "label", STRING)
        ts.create_feature(rel, "attributes", STRING, description=JSON_DESCRIPTION)
    return ts, schema


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


def build_cas(doc: CorpusDocument, ts: TypeSystem, schema: Schema, layers: set[str] | None,
              summary: ExportSummary) -> Cas:
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
    layer_of: dict[str, str] = {}
    for span in doc.spans:
        if layers is not None and span.layer not in layers:
            continue
        sdef = schema.spans[span.layer]
        t = ts.get_type(sdef.type_name)
        feats: dict[str, Any] = {"label": x(span.label)}
        if span.note:
            feats["note"] = x(span.note)
        if span.annotator:
            feats["annotator"] = x(span.annotator)
        for name, value in span.attributes.items():
            f = sdef.features[name]
            feats[f.name] = x(json.dumps(value, ensure_ascii=False) if f.is_json else value)
        (s0, e0), *rest = span.fragments
        head = t(begin=s0, end=e0, **feats)
        cas.add(head)
        heads[span.key] = head
        layer_of[span.key] = span.layer
        if rest:
            frag_t = ts.get_type(sdef.fragments_type or "")
            slots = []
            for s, e in rest:
                more = t(begin=s, end=e, label=feats["label"])
                cas.add(more)
                slots.append(frag_t(role="fragment", target=more))
            cas.add_all(slots)
            setattr(head, FRAGMENTS_FEATURE, ts.get_type("uima.cas.FSArray")(elements=slots))
        summary.spans += 1
    links: dict[str, list[Any]] = {}
    for rel in doc.relations:
        gov, dep = heads.get(rel.source), heads.get(rel.target)
        if gov is None or dep is None:
            summary.drop("relation with an end not exported")
            continue
        attrs = x(json.dumps(rel.attributes, ensure_ascii=False)) if rel.attributes else None
        a, b = layer_of[rel.source], layer_of[rel.target]
        if a == b:
            rel_t = ts.get_type(schema.relations[a].type_name)
            feats = {"attributes": attrs} if attrs else {}
            cas.add(rel_t(begin=dep.begin, end=dep.end, Governor=gov, Dependent=dep,
                          label=x(rel.type), **feats))
        else:
            link_t = ts.get_type(schema.spans[a].link_type or "")
            feats = {"attributes": attrs} if attrs else {}
            links.setdefault(rel.source, []).append(link_t(role=x(rel.type), target=dep, **feats))
        summary.relations += 1
    array = ts.get_type("uima.cas.FSArray")
    for key, slots in links.items():
        host = heads[key]
        setattr(host, LINK_FEATURE, array(elements=slots))
        for slot in slots:
            cas.add(slot)
    if x.replaced:
        summary.warnings.append(
            f"{NOT_XML.sub(chr(0xFFFD), doc.name)}: {x.replaced} character(s) that XML 1.0 "
            "cannot hold (control characters such as form feed or NUL) written as U+FFFD; "
            "offsets unchanged")
    return cas
