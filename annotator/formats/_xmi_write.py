"""Writing UIMA CAS XMI: the type system for a corpus, one CAS per document.

Not a format: the registry skips modules whose name starts with ``_``. See
:mod:`annotator.formats.xmi` for the type system written and for characters XML 1.0 cannot hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from cassis import TypeSystem



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
        t = ts.create_type(sdef.type_name, supertypeName="uima.cas.AnnotationBase"
                           if sdef.document else ANNOTATION, description=describe(sdef.layer))
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
