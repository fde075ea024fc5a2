"""Annotator's layers as INCEpTION layers: the names and the shape INCEpTION gives layers made in
its UI, shared by the XMI writer and the INCEpTION project archive.

Not a format: the registry skips modules whose name starts with ``_``.

INCEpTION (``LayerDetailForm``) names a new layer ``webanno.custom.`` + the UI name capitalised
with every character outside ``[A-Za-z0-9_]`` removed; a feature (``FeatureDetailForm``) is the
UI name with those removed. A relation layer is attached to ONE span layer (``Governor`` and
``Dependent`` have that layer's type); a link feature (``LinkFeatureSupport``) is an FSArray of
``<layer type><Feature>Link`` feature structures holding ``role`` and ``target``, and may target
any span (``uima.tcas.Annotation``, "Link: <Any>"). A document-level layer
(``DocumentMetadataLayerSupport``) is a ``uima.cas.AnnotationBase`` subtype: no offsets.

So: each layer is a span type; relations whose two ends are in the same layer go to that layer's
relation layer ``<Layer>Relation`` (feature ``label`` = the relation type); a relation between
spans of two layers goes into the source span's link feature ``relations`` (role = the relation
type, target = the other span). The further fragments of a discontinuous span are annotations
of its layer that its link feature ``fragments`` points at (role ``fragment``). A name INCEpTION's rule would empty, start with a digit or give
twice falls back to the escaped name (:func:`~annotator.formats._xmi_names.java_name`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset
from annotator.formats._xmi_names import CUSTOM, INT32, RESERVED, STRING, java_name

NON_WORD = re.compile(r"[^A-Za-z0-9_]")  # Java's \W
LINK_FEATURE = "relations"
FRAGMENTS_FEATURE = "fragments"  # a discontinuous span's further fragments, as slots
SPAN_FEATURES = ("label", "note", "annotator")


def inception_name(ui_name: str) -> str:
    """INCEpTION's short type name for a layer made in its UI with this name."""
    return NON_WORD.sub("", ui_name[:1].upper() + ui_name[1:])


@dataclass
class FeatureDef:
    name: str  # the UIMA feature name
    ui_name: str  # Annotator's attribute name, exactly
    range: str
    is_json: bool = False
    tags: list[str] = field(default_factory=list)


@dataclass
class SpanLayerDef:
    layer: str
    type_name: str
    labels: list[str] = field(default_factory=list)
    features: dict[str, FeatureDef] = field(default_factory=dict)  # by attribute name
    link_type: str | None = None  # set when some relation leaves this layer for another
    link_roles: list[str] = field(default_factory=list)
    fragments_type: str | None = None  # set when a span of this layer has several fragments
    document: bool = False  # a document-level layer (INCEpTION "document-metadata")


@dataclass
class RelationLayerDef:
    layer: str  # the span layer it is attached to
    type_name: str
    labels: list[str] = field(default_factory=list)


@dataclass
class Schema:
    spans: dict[str, SpanLayerDef] = field(default_factory=dict)
    relations: dict[str, RelationLayerDef] = field(default_factory=dict)  # by attach layer

    def json_feature(self, layer: str, attr: str) -> bool:
        return self.spans[layer].features[attr].is_json


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


def _unique(wanted: str, fallback: str, taken: set[str]) -> str:
    name = wanted if wanted and wanted[0].isalpha() and wanted.lower() not in taken else fallback
    base, n = name, 2
    while name.lower() in taken:
        name, n = f"{base}{n}", n + 1
    taken.add(name.lower())
    return name


def build_schema(docs: list[CorpusDocument], tagset: Tagset,
                 layers: set[str] | None) -> Schema:
    """The INCEpTION layers for ``docs`` (and the tagset's layers, so an empty corpus still
    declares them)."""
    schema = Schema()
    declared: dict[str, dict[str, str | None]] = {}
    labels: dict[str, list[str]] = {}
    document = {lay.name for lay in tagset.layers if lay.document_level}
    for lay in tagset.layers:
        if layers is None or lay.name in layers:
            attrs = declared.setdefault(lay.name, {})
            labels.setdefault(lay.name, [])
            for lab in lay.labels:
                labels[lay.name].append(lab.name)
                for a in tagset.attributes_for(lay.name, lab.name):
                    attrs.setdefault(a.name, a.type)
    values: dict[tuple[str, str], list[Any]] = {}
    for doc in docs:
        for span in doc.spans:
            if layers is not None and span.layer not in layers:
                continue
            attrs = declared.setdefault(span.layer, {})
            if span.label not in labels.setdefault(span.layer, []):
                labels[span.layer].append(span.label)
            for name, value in span.attributes.items():
                attrs.setdefault(name, None)
                values.setdefault((span.layer, name), []).append(value)
        for ann in doc.doc_annotations:
            if layers is not None and ann.layer not in layers:
                continue
            document.add(ann.layer)
            attrs = declared.setdefault(ann.layer, {})
            if ann.label not in labels.setdefault(ann.layer, []):
                labels[ann.layer].append(ann.label)
            for name, value in ann.attributes.items():
                attrs.setdefault(name, None)
                values.setdefault((ann.layer, name), []).append(value)
    taken: set[str] = {"annotatorrelation"}
    for layer, attrs in declared.items():
        short = _unique(inception_name(layer), java_name(layer).capitalize(), taken)
        sdef = SpanLayerDef(layer, CUSTOM + short, labels.get(layer, []),
                            document=layer in document)
        feats_taken = {f.lower() for f in RESERVED} | {LINK_FEATURE, FRAGMENTS_FEATURE}
        for name, kind in attrs.items():
            rng, is_json = _range_for(values.get((layer, name), []), kind)
            plain = NON_WORD.sub("", name)
            fname = plain if plain == name and plain[:1].isalpha() and \
                plain.lower() not in feats_taken else java_name(name, RESERVED | {LINK_FEATURE,
                                                                     FRAGMENTS_FEATURE})
            feats_taken.add(fname.lower())
            sdef.features[name] = FeatureDef(fname, name, rng, is_json)
        schema.spans[layer] = sdef
    for doc in docs:
        for span in doc.spans:
            if len(span.fragments) > 1 and span.layer in schema.spans:
                sdef = schema.spans[span.layer]
                sdef.fragments_type = sdef.type_name + "FragmentsLink"
        where = {s.key: s.layer for s in doc.spans if s.layer in schema.spans}
        for rel in doc.relations:
            src, dst = where.get(rel.source), where.get(rel.target)
            if src is None or dst is None:
                continue
            if src == dst:
                rdef = schema.relations.get(src)
                if rdef is None:
                    short = schema.spans[src].type_name[len(CUSTOM):] + "Relation"
                    rdef = RelationLayerDef(src, CUSTOM + _unique(short, short + "_", taken))
                    schema.relations[src] = rdef
                if rel.type not in rdef.labels:
                    rdef.labels.append(rel.type)
            else:
                sdef = schema.spans[src]
                sdef.link_type = sdef.type_name + LINK_FEATURE.capitalize() + "Link"
                if rel.type not in sdef.link_roles:
                    sdef.link_roles.append(rel.type)
    return schema
