"""WebAnno TSV annotations as Annotator spans and relations (see
:mod:`annotator.formats.webanno_tsv` for the rules). Not a format."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from annotator.core.model import RelationRecord, SpanRecord
from annotator.core.offsets import OffsetMap
from annotator.formats._tsv_names import (
    FRAGMENT_OF,
    PREFIX,
    _camel,
    feature_name,
    suffix_id,
    unescape_value,
)
from annotator.formats._xmi_names import from_java_name

if TYPE_CHECKING:
    from annotator.formats._tsv_read import Ann, Layer, TsvReader

#: Features taken as the label, in this order, when a type has them; else the first feature
#: that has a value on the annotation.
LABEL_FEATURES = ("label", "value", "PosValue", "DependencyType", "referenceType",
                  "referenceRelation")
CHAIN_NEXT = "next"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"


@lru_cache(maxsize=1)
def _own_layers() -> dict[str, tuple[str, dict[str, tuple[str, str]]]]:
    """Our default tagset's layers by the type name our exporter gives them: (layer,
    {feature: (attribute, type)})."""
    from annotator.core.tagset import default_tagset

    tagset = default_tagset()
    out: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {}
    for layer in tagset.layers:
        attrs: dict[str, tuple[str, str]] = {}
        for lab in layer.labels or []:
            for a in tagset.attributes_for(layer.name, lab.name):
                attrs.setdefault(feature_name(a.name), (a.name, a.type))
        for a in layer.attributes:
            attrs.setdefault(feature_name(a.name), (a.name, a.type))
        out[PREFIX + _camel(layer.name)] = (layer.name, attrs)
    return out


def layer_name(type_name: str, kind: str = "span") -> str:
    """``webanno.custom.X`` -> our layer when X is how our exporter names it, else X decoded
    as the XMI reader decodes it; a built-in type -> its short name (``NamedEntity``). A chain
    (``#T_CH=``, declared by its link type) is named as INCEpTION names the layer, without
    ``Link``: ``webanno.custom.SimpleLink`` -> ``Simple``, ``CoreferenceLink`` ->
    ``Coreference``, as the XMI reader names it."""
    if kind == "chain":
        type_name = type_name.removesuffix("Link") or type_name
    own = _own_layers().get(type_name)
    if own:
        return own[0]
    if type_name.startswith(PREFIX):
        return from_java_name(type_name[len(PREFIX):])
    return type_name.rsplit(".", 1)[-1]


def typed(value: str, kind: str) -> Any:
    """A TSV string as the type our tagset declares (our own exports only)."""
    if kind == "bool" and value in ("true", "false"):
        return value == "true"
    if kind == "number":
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return value
    if kind == "multi":
        return value.split(",")
    return value


def label_and_attributes(type_name: str, order: list[str], feats: dict[str, str],
                         fallback: str) -> tuple[str, dict[str, Any]]:
    """The label (see :data:`LABEL_FEATURES`) and the other features as attributes."""
    own = _own_layers().get(type_name)
    names = own[1] if own else {}
    chosen = next((f for f in LABEL_FEATURES if f in order), None)
    if chosen is None:
        chosen = next((f for f in order if f in feats), None)
    label = feats.get(chosen, "") if chosen else ""
    attrs: dict[str, Any] = {}
    for f in order:
        if f == chosen or f not in feats:
            continue
        name, kind = names.get(f, (f, "text"))
        attrs[name] = typed(feats[f], kind)
    return label or fallback, attrs


class Mapper:
    def __init__(self, reader: TsvReader, offsets: OffsetMap, annotator: str) -> None:
        self.r, self.offsets, self.annotator = reader, offsets, annotator
        self.dropped: dict[str, int] = {}
        self.spans: dict[int, SpanRecord] = {}  # id(Ann) -> span
        self.relations: list[RelationRecord] = []
        self.tokens: dict[str, Ann] = {}  # unit id -> the token read as a span

    def drop(self, what: str, n: int = 1) -> None:
        self.dropped[what] = self.dropped.get(what, 0) + n

    def _features(self, layer: Layer) -> list[str]:
        return [c.feature for c in layer.columns if c.kind in ("prim", "link", "type")]

    def build(self) -> tuple[list[SpanRecord], list[RelationRecord]]:
        r = self.r
        for uid, col, k, value in r.deferred_types:
            stack = r.at.get((uid, col.layer.type_name), [])
            if k >= len(stack):
                raise r.fail(f"chain type cell at token {uid} has no chain link beside it",
                             r.units[uid][2])
            if value != "*":
                stack[k].feats[col.feature] = unescape_value(value)
        for ann in r.anns:
            self._span(ann)
        self._chains()
        self._slots()
        self._relations()
        spans = list(self.spans.values())
        spans = self._merge_fragments(spans)
        return spans, self.relations

    def _span(self, ann: Ann) -> None:
        if ann.begin == ann.end:
            self.drop("zero-width annotation")
            return
        start = self.offsets.to_codepoint(ann.begin)
        end = self.offsets.to_codepoint(ann.end)
        layer = layer_name(ann.layer.type_name, ann.layer.kind)
        label, attrs = label_and_attributes(ann.layer.type_name, self._features(ann.layer),
                                            ann.feats, layer)
        if ann.layer.kind == "chain":
            label = ann.feats.get("referenceType", layer)
            attrs = {}
        self.spans[id(ann)] = SpanRecord(key=ann.key, layer=layer, label=label,
                                         fragments=((start, end),), attributes=attrs,
                                         annotator=self.annotator)

    def _link(self, rtype: str, source: Ann | None, target: Ann | None,
              attrs: dict[str, Any] | None = None) -> None:
        src = self.spans.get(id(source)) if source is not None else None
        tgt = self.spans.get(id(target)) if target is not None else None
        if src is None or tgt is None:
            self.drop("relation to a zero-width annotation")
            return
        self.relations.append(RelationRecord(f"r{len(self.relations) + 1}", rtype, src.key,
                                             tgt.key, attrs or {}))

    def _chains(self) -> None:
        chains: dict[tuple[str, int], list[tuple[int, Ann]]] = {}
        for (type_name, chain, element), ann in self.r.chains.items():
            chains.setdefault((type_name, chain), []).append((element, ann))
        for _, elements in sorted(chains.items()):
            elements.sort(key=lambda e: e[0])
            for (_, a), (_, b) in zip(elements, elements[1:], strict=False):
                self._link(a.feats.get("referenceRelation", CHAIN_NEXT), a, b)

    def _slots(self) -> None:
        r = self.r
        for ann in r.anns:
            hints = {c.feature: c.hint for c in ann.layer.columns if c.kind == "target"}
            for feature, roles in ann.roles.items():
                targets = ann.targets.get(feature, [])
                if targets == ["*"] and roles:
                    targets = []
                for n, role in enumerate(roles):
                    ref = targets[n] if n < len(targets) else "*"
                    if ref in ("*", "_"):
                        self.drop("slot link without a filler")
                        continue
                    unit, ident = suffix_id(ref)
                    target = r.resolve(hints.get(feature, ""), unit,
                                       int(ident) if ident and ident.isdigit() else 0, ann.line)
                    if target is None:
                        self.drop("slot link to a token")
                        continue
                    self._link(role or feature, ann, target)

    def _relations(self) -> None:
        r = self.r
        for (uid, _), stack in r.rels.items():
            for rel in stack:
                ref = next(c for c in rel.layer.columns if c.kind == "ref")
                if not rel.source:
                    raise r.fail(f"a relation at token {uid} has no source", rel.line)
                source = r.resolve(ref.hint, rel.source, rel.ids[0], rel.line)
                target = r.resolve(ref.hint, uid, rel.ids[1], rel.line)
                if ref.hint == TOKEN:  # a relation layer over tokens
                    source = source or self._token(rel.source)
                    target = target or self._token(uid)
                if source is None or target is None:
                    self.drop("relation between tokens (no annotation at its ends)")
                    continue
                rtype, attrs = label_and_attributes(
                    rel.layer.type_name, self._features(rel.layer), rel.feats,
                    layer_name(rel.layer.type_name))
                self._link(rtype, source, target, attrs)

    def _token(self, uid: str) -> Ann | None:
        """The token ``uid`` as a span of layer ``Token`` (once), for a relation joining
        tokens: the XMI reader reads the DKPro Token such a relation joins the same way."""
        from annotator.formats._tsv_read import Ann, Layer

        if uid not in self.tokens:
            unit = self.r.units.get(uid)
            if unit is None:
                return None
            ann = Ann(Layer("span", TOKEN), unit[0], unit[1], unit[2], key=f"tok{uid}")
            self._span(ann)
            self.tokens[uid] = ann
        return self.tokens[uid]

    def _merge_fragments(self, spans: list[SpanRecord]) -> list[SpanRecord]:
        """Our exporter's ``fragment_of`` relations join a discontinuous span's fragments."""
        by_key = {s.key: s for s in spans}
        gone: dict[str, str] = {}  # merged fragment -> the span it joined
        kept: list[RelationRecord] = []
        for rel in self.relations:
            src, tgt = by_key.get(rel.source), by_key.get(rel.target)
            if (rel.type == FRAGMENT_OF and not rel.attributes and src and tgt
                    and src.key not in gone and tgt.key not in gone
                    and (src.layer, src.label, src.attributes) ==
                    (tgt.layer, tgt.label, tgt.attributes)
                    and all(e <= s or b >= t for b, e in tgt.fragments
                            for s, t in src.fragments)):
                tgt.fragments = tuple(sorted((*tgt.fragments, *src.fragments)))
                gone[src.key] = tgt.key
                continue
            kept.append(rel)
        for rel in kept:
            rel.source, rel.target = gone.get(rel.source, rel.source), gone.get(rel.target,
                                                                                rel.target)
        self.relations = kept
        return [s for s in spans if s.key not in gone]
