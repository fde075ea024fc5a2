"""What reading XMI needs to know about types: a light type system taken from ``TypeSystem.xml``
(through cassis) or, when a folder has none, from DKPro Core's built-in types plus what the XMI
itself shows.

Not a format: the registry skips modules whose name starts with ``_``. See
:mod:`annotator.formats.xmi` for how the reader uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cassis import TypeSystem

ANNOTATION = "uima.tcas.Annotation"
TOP = "uima.cas.TOP"
DOCUMENT_ANNOTATION = "uima.tcas.DocumentAnnotation"
PRIMITIVES = {"uima.cas.String", "uima.cas.Boolean", "uima.cas.Byte", "uima.cas.Short",
              "uima.cas.Integer", "uima.cas.Long", "uima.cas.Float", "uima.cas.Double"}
PRIMITIVE_ARRAYS = {"uima.cas.StringArray", "uima.cas.BooleanArray", "uima.cas.ByteArray",
                    "uima.cas.ShortArray", "uima.cas.IntegerArray", "uima.cas.LongArray",
                    "uima.cas.FloatArray", "uima.cas.DoubleArray"}
FS_ARRAYS = {"uima.cas.FSArray", "uima.cas.FSList", "uima.cas.NonEmptyFSList"}
DKPRO = "de.tudarmstadt.ukp.dkpro.core.api."
SEGMENTATION = {DKPRO + "segmentation.type.Token", DKPRO + "segmentation.type.Sentence",
                DKPRO + "segmentation.type.TokenForm"}


@dataclass(frozen=True)
class FeatureInfo:
    name: str
    range: str  # a primitive, an array type, or a feature structure type
    element: str | None = None  # element type of an array
    description: str | None = None

    @cached_property
    def primitive(self) -> bool:
        return self.range in PRIMITIVES

    @cached_property
    def primitive_array(self) -> bool:
        return self.range in PRIMITIVE_ARRAYS


@dataclass
class TypeInfo:
    name: str
    supertypes: tuple[str, ...]  # from the direct supertype up to uima.cas.TOP
    features: dict[str, FeatureInfo] = field(default_factory=dict)  # inherited ones included
    description: str | None = None

    def isa(self, name: str) -> bool:
        return self.name == name or name in self.supertypes

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[-1]


def from_cassis(ts: TypeSystem) -> dict[str, TypeInfo]:
    """The types of a cassis type system."""
    out: dict[str, TypeInfo] = {}
    for t in ts.get_types(built_in=True):
        chain: list[str] = []
        sup = t.supertype
        while sup is not None:
            chain.append(sup.name)
            sup = sup.supertype
        feats = {f.name: FeatureInfo(f.name, f.rangeType.name,
                                     f.elementType.name if f.elementType is not None else None,
                                     f.description)
                 for f in t.all_features}
        out[t.name] = TypeInfo(t.name, tuple(chain), feats, t.description)
    return out


def _dkpro(type_name: str, supertype: str, **features: str) -> tuple[str, str, dict[str, str]]:
    return DKPRO + type_name, supertype, features


S, REF = "uima.cas.String", ANNOTATION
#: DKPro Core's types as INCEpTION uses them (dkpro-core-api-*-asl desc/type/*.xml), for XMI
#: folders without a TypeSystem.xml (INCEpTION's test files, DKPro pipelines' output).
BUILT_IN = [
    ("uima.tcas.DocumentAnnotation", ANNOTATION, {"language": S}),
    _dkpro("metadata.type.DocumentMetaData", DOCUMENT_ANNOTATION,
           documentTitle=S, documentId=S, documentUri=S, collectionId=S, documentBaseUri=S,
           isLastSegment="uima.cas.Boolean"),
    _dkpro("segmentation.type.Token", ANNOTATION, parent=REF,
           lemma=DKPRO + "segmentation.type.Lemma", stem=DKPRO + "segmentation.type.Stem",
           pos=DKPRO + "lexmorph.type.pos.POS", morph=DKPRO + "lexmorph.type.morph."
           "MorphologicalFeatures", id=S, form=DKPRO + "segmentation.type.TokenForm",
           syntacticFunction=S, order="uima.cas.Integer"),
    _dkpro("segmentation.type.Sentence", ANNOTATION, id=S),
    _dkpro("segmentation.type.TokenForm", ANNOTATION, value=S),
    _dkpro("segmentation.type.Lemma", ANNOTATION, value=S),
    _dkpro("segmentation.type.Stem", ANNOTATION, value=S),
    _dkpro("segmentation.type.Paragraph", ANNOTATION),
    _dkpro("lexmorph.type.pos.POS", ANNOTATION, PosValue=S, coarseValue=S),
    _dkpro("lexmorph.type.morph.MorphologicalFeatures", ANNOTATION, value=S),
    _dkpro("ner.type.NamedEntity", ANNOTATION, value=S, identifier=S),
    _dkpro("syntax.type.chunk.Chunk", ANNOTATION, chunkValue=S),
    _dkpro("syntax.type.dependency.Dependency", ANNOTATION, Governor=DKPRO +
           "segmentation.type.Token", Dependent=DKPRO + "segmentation.type.Token",
           DependencyType=S, flavor=S),
    _dkpro("coref.type.CoreferenceLink", ANNOTATION, next=DKPRO + "coref.type.CoreferenceLink",
           referenceType=S, referenceRelation=S),
    _dkpro("coref.type.CoreferenceChain", TOP, first=DKPRO + "coref.type.CoreferenceLink"),
    _dkpro("semantics.type.SemPred", ANNOTATION, category=S),
    _dkpro("semantics.type.SemArg", ANNOTATION),
    _dkpro("anomaly.type.GrammarAnomaly", ANNOTATION, description=S, category=S),
    _dkpro("metadata.type.TagsetDescription", ANNOTATION, layer=S, name=S),
    _dkpro("syntax.type.constituent.Constituent", ANNOTATION, constituentType=S,
           syntacticFunction=S, parent=REF),
]

#: The feature that holds a built-in layer's label (INCEpTION shows it as the tag).
LABEL_FEATURE = {
    DKPRO + "ner.type.NamedEntity": "value", DKPRO + "lexmorph.type.pos.POS": "PosValue",
    DKPRO + "segmentation.type.Lemma": "value", DKPRO + "segmentation.type.Stem": "value",
    DKPRO + "lexmorph.type.morph.MorphologicalFeatures": "value",
    DKPRO + "syntax.type.chunk.Chunk": "chunkValue",
    DKPRO + "syntax.type.dependency.Dependency": "DependencyType",
    DKPRO + "coref.type.CoreferenceLink": "referenceType",
    DKPRO + "semantics.type.SemPred": "category",
    DKPRO + "syntax.type.constituent.Constituent": "constituentType",
    DKPRO + "segmentation.type.TokenForm": "value",
}
#: Built-in layer types whose subtypes (DKPro's POS_NOUN, ner.Person…) belong to their layer.
LAYER_ROOTS = set(LABEL_FEATURE) | {DKPRO + "semantics.type.SemArg"}


def built_in() -> dict[str, TypeInfo]:
    out: dict[str, TypeInfo] = {}
    base = {"begin": FeatureInfo("begin", "uima.cas.Integer"),
            "end": FeatureInfo("end", "uima.cas.Integer"),
            "sofa": FeatureInfo("sofa", "uima.cas.Sofa")}
    for name, sup, feats in BUILT_IN:
        chain = (sup, *out[sup].supertypes) if sup in out else \
            ((ANNOTATION, "uima.cas.AnnotationBase", TOP) if sup == ANNOTATION else (TOP,))
        inherited = dict(out[sup].features) if sup in out else (dict(base) if sup == ANNOTATION
                                                                else {})
        inherited.update({k: FeatureInfo(k, v) for k, v in feats.items()})
        out[name] = TypeInfo(name, chain, inherited)
    return out


def infer_type(name: str, attrs: dict[str, str], children: dict[str, list[str]],
               ids: set[str], known: dict[str, TypeInfo]) -> TypeInfo:
    """A type for an element no type system declares: an annotation when it has a sofa and
    offsets; an attribute whose every value names a feature structure of the file is a
    reference, one holding a number an Integer, ``true``/``false`` a Boolean; child elements are
    string arrays. A package ending in ``pos.type.pos`` or ``ner.type`` subtypes the DKPro layer."""
    features: dict[str, FeatureInfo] = {}
    is_annotation = {"sofa", "begin", "end"} <= set(attrs)
    for key, value in attrs.items():
        if key in ("sofa", "begin", "end"):
            continue
        parts = value.split()
        if parts and all(p in ids for p in parts) and key not in ("id", "order"):
            features[key] = FeatureInfo(key, "uima.cas.FSArray" if len(parts) > 1 else TOP)
        elif value in ("true", "false"):
            features[key] = FeatureInfo(key, "uima.cas.Boolean")
        elif _is_int(value):
            features[key] = FeatureInfo(key, "uima.cas.Integer")
        else:
            features[key] = FeatureInfo(key, "uima.cas.String")
    for key in children:
        features[key] = FeatureInfo(key, "uima.cas.StringArray")
    supertype = ANNOTATION if is_annotation else TOP
    for root in LAYER_ROOTS:
        if name != root and name.startswith(root.rsplit(".", 1)[0] + ".") and \
                (root.endswith(".POS") or root.endswith(".NamedEntity")):
            supertype = root
    if supertype in known:
        sup = known[supertype]
        merged = dict(sup.features)
        merged.update(features)
        return TypeInfo(name, (supertype, *sup.supertypes), merged)
    chain: tuple[str, ...] = (ANNOTATION, "uima.cas.AnnotationBase", TOP) if is_annotation \
        else ("uima.cas.AnnotationBase", TOP) if "sofa" in attrs else (TOP,)
    if is_annotation:
        features.update({k: FeatureInfo(k, "uima.cas.Integer") for k in ("begin", "end")})
        features["sofa"] = FeatureInfo("sofa", "uima.cas.Sofa")
    return TypeInfo(name, chain, features)


def merge_inferred(old: TypeInfo, new: TypeInfo) -> None:
    """Widen ``old`` with what another element of the same type shows."""
    for key, f in new.features.items():
        have = old.features.get(key)
        if have is None:
            old.features[key] = f
        elif have.range != f.range and have.primitive and f.primitive:
            old.features[key] = FeatureInfo(key, "uima.cas.String")
        elif have.range == TOP and f.range == "uima.cas.FSArray":
            old.features[key] = f


def _is_int(value: str) -> bool:
    return value.lstrip("-").isdigit() and len(value) < 19


def to_cassis(types: dict[str, TypeInfo], base: Any = None) -> Any:
    """A cassis TypeSystem with ``types`` (for comparing with cassis on inferred folders);
    ``base``: a cassis TypeSystem to add the types it lacks to."""
    from cassis import TypeSystem

    ts = TypeSystem() if base is None else base
    done: set[str] = set()

    def make(info: TypeInfo) -> None:
        if info.name in done or ts.contains_type(info.name):
            done.add(info.name)
            return
        sup = info.supertypes[0] if info.supertypes else TOP
        if sup in types and sup != info.name:
            make(types[sup])
        t = ts.create_type(info.name, supertypeName=sup)
        inherited = set(types[sup].features) if sup in types else set()
        for f in info.features.values():
            if f.name in inherited or f.name in ("begin", "end", "sofa"):
                continue
            rng = f.range if (f.range in PRIMITIVES or f.range in PRIMITIVE_ARRAYS
                              or f.range in FS_ARRAYS or ts.contains_type(f.range)) else TOP
            ts.create_feature(t, f.name, rng, elementType=f.element)
        done.add(info.name)

    for info in types.values():
        if not info.name.startswith(("uima.cas.", "uima.tcas.Annotation")):
            make(info)
    return ts
