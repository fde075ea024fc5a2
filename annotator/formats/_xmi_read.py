"""Reading UIMA CAS XMI: one document per CAS, every layer of the initial view.

Not a format: the registry skips modules whose name starts with ``_``. See
:mod:`annotator.formats.xmi` for what becomes what and what is reported as not read.
"""

from __future__ import annotations

import contextlib
import json
from bisect import bisect_right
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

from annotator.core.errors import BadInputError
from annotator.core.model import (
    CorpusDocument,
    DocAnnotationRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.formats._xmi_kinds import (
    SKIPPED_FEATURES,
    Utf16,
    _is_chain_link,
    _is_relation,
    label_feature,
    layer_of,
)
from annotator.formats._xmi_names import (
    METADATA_TYPE,
    STATE_TYPE,
    STRING,
    described,
    from_java_name,
)
from annotator.formats._xmi_parse import Fs, ParsedCas, Sofa
from annotator.formats._xmi_schema import (
    ANNOTATION,
    DKPRO,
    DOCUMENT_ANNOTATION,
    SEGMENTATION,
    FeatureInfo,
    TypeInfo,
)
from annotator.formats.registry import ReadOptions

FRAGMENTS = "fragments"
DEPENDENCY = DKPRO + "syntax.type.dependency.Dependency"
METADATA_LAYERS = {DKPRO + "metadata.type.TagsetDescription"}
XML_STRUCTURE = "org.dkpro.core.api.xml.type."  # INCEpTION drops it on import too
DMD_META = ("documentUri", "documentBaseUri", "collectionId")


def _is_link(fs: Fs) -> bool:
    """A slot (link) of a link feature: ``role`` and ``target``, either possibly unset in
    every slot of a file whose types are inferred."""
    return not fs.type.isa("uima.cas.AnnotationBase") and ("role" in fs.type.features
                                                           or "target" in fs.type.features)


_DOCUMENT, _STATE, _NOT_ANNOTATION, _SEGMENT, _METADATA, _XML, _RELATION, _SPAN, _OLD_SPAN = \
    range(9)


def _kind(t: TypeInfo) -> int:
    """What the reader makes of the feature structures of ``t`` (on the initial view)."""
    if t.isa(DOCUMENT_ANNOTATION):
        return _DOCUMENT
    if t.name == STATE_TYPE:
        return _STATE
    if not t.isa(ANNOTATION):
        return _NOT_ANNOTATION
    if t.name in SEGMENTATION:
        return _SEGMENT
    if t.name in METADATA_LAYERS:
        return _METADATA
    if t.name.startswith(XML_STRUCTURE):
        return _XML
    if _is_relation(t):
        return _RELATION
    return _OLD_SPAN if "fragment_of" in t.features else _SPAN  # fragment_of: our old export


class _SpanPlan(NamedTuple):
    layer: str
    label: FeatureInfo | None  # the label feature
    label_is_layer: bool  # without a label: the layer's name (else the type's short name)
    skip: frozenset[str]  # features not read as attributes
    attributes: list[tuple[FeatureInfo, str, bool]]  # see _Reader._plan
    note: FeatureInfo | None
    annotator: FeatureInfo | None
    references: frozenset[str]  # the names of its reference features (see _ref_plan)


class _Reader:
    def __init__(self, cas: ParsedCas, path: Path, options: ReadOptions) -> None:
        self.cas, self.path, self.options = cas, path, options
        self.notes: Counter[str] = Counter()  # what was not read, by kind
        self.spans: dict[str, SpanRecord] = {}
        self.zero: set[str] = set()
        self.segments: dict[str, Fs] = {}
        self.pending: list[tuple[str, str, str, str, dict[str, Any]]] = []  # key, type, a, b, at
        self.plans: dict[tuple[str, frozenset[str]], list[tuple[FeatureInfo, str, bool]]] = {}
        self.ref_plans: dict[str, list[FeatureInfo]] = {}
        self.layers: dict[str, tuple[str, str | None]] = {}  # type -> (layer, label feature)
        self.span_plans: dict[tuple[str, bool], _SpanPlan] = {}

    def sofa(self) -> Sofa:
        sofas = self.cas.sofas
        initial = [s for s in sofas if s.sofa_id == "_InitialView"] or sofas[:1]
        if not initial:
            raise BadInputError("the file has no Sofa (no document text)", path=self.path)
        sofa = initial[0]
        if sofa.text is None:
            if sofa.uri:
                raise BadInputError(f"the document text is not in the file (the Sofa points at "
                                    f"{sofa.uri[:80]!r}); Annotator reads XMI that holds its "
                                    "text", path=self.path)
            if sofa.array:
                raise BadInputError("the Sofa holds a data array, not text", path=self.path)
            raise BadInputError("the Sofa has no text (no sofaString)", path=self.path)
        if not sofa.text:
            raise BadInputError("the document text (sofaString) is empty", path=self.path)
        for other in sofas:
            if other is not sofa:
                self.notes[f"other view {other.sofa_id}"] += 0
        return sofa

    def offsets(self, fs: Fs, conv: Utf16) -> tuple[int, int]:
        try:
            b16, e16 = int(fs.attrs.get("begin", "0")), int(fs.attrs.get("end", "0"))
        except ValueError:
            raise BadInputError(f"annotation {fs.xid} ({fs.type.short}): begin/end are not "
                                "numbers", path=self.path) from None
        b, e = conv(b16), conv(e16)
        if b is None or e is None or b > e:
            raise BadInputError(f"annotation {fs.xid} ({fs.type.short}): offsets {b16}–{e16} "
                                f"outside the text ({conv.length} characters)", path=self.path)
        return b, e

    def features(self, fs: Fs, skip: set[str]) -> dict[str, Any]:
        return self._values(fs, self._plan(fs.type, frozenset(skip)))

    def _values(self, fs: Fs, plan: list[tuple[FeatureInfo, str, bool]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        attrs = fs.attrs
        for f, name, is_json in plan:
            # ParsedCas.value's rules: a feature not written is unset (but an array may be
            # written as child elements); a String's value is its attribute as written
            value = attrs.get(f.name)
            if value is None and not f.primitive_array:
                continue
            if value is None or f.range != STRING:
                value = self.cas.value(fs, f)
                if value is None:
                    continue
            if is_json and isinstance(value, str):
                with contextlib.suppress(json.JSONDecodeError):
                    value = json.loads(value)
            out[name] = value
        return out

    def _plan(self, t: TypeInfo, skip: frozenset[str]) -> list[tuple[FeatureInfo, str, bool]]:
        """The attribute features of ``t`` (once per type): feature, attribute name, JSON."""
        key = (t.name, skip)
        plan = self.plans.get(key)
        if plan is None:
            plan = []
            for f in t.features.values():
                if f.name in skip or f.name in SKIPPED_FEATURES or not (f.primitive or
                                                                        f.primitive_array):
                    continue
                exact, is_json = described(f.description)
                plan.append((f, exact or from_java_name(f.name), is_json))
            self.plans[key] = plan
        return plan

    def _span_plan(self, t: TypeInfo, given: bool) -> _SpanPlan:
        """What reading a span of type ``t`` needs (once per type); ``given``: its layer is
        given (a token a relation joins), its label feature then not read."""
        plan = self.span_plans.get((t.name, given))
        if plan is None:
            if t.name not in self.layers:
                self.layers[t.name] = (layer_of(t), label_feature(t))
            own_layer, lab = self.layers[t.name]
            lab = None if given else lab
            skip = frozenset({lab or "", "referenceRelation"} if _is_chain_link(t)
                             else {lab or ""})
            plan = self.span_plans[(t.name, given)] = _SpanPlan(
                own_layer, t.features[lab] if lab else None,
                not t.isa(DKPRO + "lexmorph.type.pos.POS") and not t.isa(DKPRO +
                                                                         "ner.type.NamedEntity"),
                skip, self._plan(t, skip), t.features.get("note"), t.features.get("annotator"),
                frozenset(f.name for f in self._ref_plan(t, skip)))
        return plan

    def _ref_plan(self, t: TypeInfo, skip: frozenset[str]) -> list[FeatureInfo]:
        """The reference features of spans of type ``t`` (once per type)."""
        refs_of = self.ref_plans.get(t.name)
        if refs_of is None:
            refs_of = [f for f in t.features.values()
                       if not (f.primitive or f.primitive_array or f.name in skip
                               or f.name in SKIPPED_FEATURES or f.name == FRAGMENTS)]
            self.ref_plans[t.name] = refs_of
        return refs_of

    def references(self, fs: Fs, key: str, skip: frozenset[str]) -> None:
        """Reference features of a span: links (slot features), chain ``next``, others."""
        for f in self._ref_plan(fs.type, skip):
            if f.name not in fs.attrs:
                continue
            refs = self.cas.value(fs, f) or []
            for ref in refs:
                target = self.cas.fss.get(ref)
                if target is None:
                    self.notes["references to feature structures not in the file"] += 1
                elif _is_link(target):
                    role_f = target.type.features.get("role")
                    role = (self.cas.value(target, role_f) if role_f else None) or f.name
                    filler = target.type.features.get("target")
                    ends = (self.cas.value(target, filler) if filler else None) or []
                    if not ends:
                        self.notes["slots without a filler (a role only)"] += 1
                    extra = self.features(target, {"role"}).get("attributes")  # ours, JSON
                    for end in ends:
                        self.pending.append((f"{key}-{ref}", str(role), fs.xid, end,
                                             extra if isinstance(extra, dict) else {}))
                elif f.name == "next" and _is_chain_link(fs.type):
                    rel = fs.type.features.get("referenceRelation")
                    kind = (self.cas.value(fs, rel) if rel else None) or "next"
                    self.pending.append((f"{key}-next", str(kind), fs.xid, ref, {}))
                elif target.type.isa(ANNOTATION):
                    self.pending.append((f"{key}-{f.name}-{ref}", f.name, fs.xid, ref, {}))
                else:
                    self.notes[f"values of {fs.type.short}.{f.name} (not annotations)"] += 1

    def span(self, fs: Fs, conv: Utf16, layer: str | None = None) -> None:
        """``fs`` as a span; ``layer`` given for a token read because a relation joins it
        (its own references, such as ``Token.pos``, are then not followed)."""
        attrs = fs.attrs
        b16, e16 = attrs.get("begin", "0"), attrs.get("end", "0")  # offsets() inline
        if b16.isdecimal() and e16.isdecimal() and int(b16) <= conv.units \
                and int(e16) <= conv.units:  # (digits int() reads; signs, spaces: offsets())
            ends = conv.ends
            b, e = int(b16), int(e16)
            if ends:
                b, e = b - bisect_right(ends, b), e - bisect_right(ends, e)
            if b > e:
                b, e = self.offsets(fs, conv)  # which says what is wrong
        else:
            b, e = self.offsets(fs, conv)
        if b == e:
            self.zero.add(fs.xid)
            self.notes[f"zero-width {fs.type.short} annotations (skipped)"] += 1
            return
        plan = self.span_plans.get((fs.type.name, layer is not None)) or \
            self._span_plan(fs.type, layer is not None)
        own_layer, lab, label_is_layer, skip, attr_plan, note, annotator, refs = plan
        label = None if lab is None else attrs.get(lab.name) if lab.range == STRING \
            else self.cas.value(fs, lab)  # (ParsedCas.value's String rule, here and below)
        layer_given = layer
        layer = layer or own_layer
        if label in (None, "") and label_is_layer:
            label = layer
        elif label in (None, ""):
            label = fs.type.short  # DKPro's POS_NOUN, ner.Person… without a tag value
        key = f"x{fs.xid}"
        self.spans[fs.xid] = SpanRecord(
            key=key, layer=layer, label=str(label), fragments=((b, e),),
            attributes=self._values(fs, attr_plan),
            note=((attrs.get(note.name) if note.range == STRING else self.cas.value(fs, note))
                  or "") if note is not None else "",
            annotator=(None if annotator is None else attrs.get(annotator.name)
                       if annotator.range == STRING else self.cas.value(fs, annotator))
            or self.options.annotator)
        if layer_given is None and not refs.isdisjoint(attrs):  # (only those set are read)
            self.references(fs, key, skip)

    def relation(self, fs: Fs) -> None:
        t = fs.type
        lab = label_feature(t)
        label = self.cas.value(fs, t.features[lab]) if lab else None
        attrs = self.features(fs, {lab or "", "Governor", "Dependent", "attributes"})
        if "attributes" in t.features:  # Annotator's own export: the attributes as JSON
            extra = self.features(fs, {lab or "", "Governor", "Dependent"}).get("attributes")
            if isinstance(extra, dict):
                attrs.update(extra)
        gov = self.cas.value(fs, t.features["Governor"]) or []
        dep = self.cas.value(fs, t.features["Dependent"]) or []
        if len(gov) != 1 or len(dep) != 1:
            self.notes[f"{t.short} relations without both ends"] += 1
            return
        if t.isa(DEPENDENCY):  # attached to Token through Token.pos (INCEpTION draws it there)
            gov, dep = [self._pos_of(gov[0])], [self._pos_of(dep[0])]
        self.pending.append((f"x{fs.xid}", str(label or layer_of(t)), gov[0], dep[0], attrs))

    def _pos_of(self, xid: str) -> str:
        """The POS annotation of token ``xid`` when it has one, else the token."""
        token = self.cas.fss.get(xid)
        pos = token.type.features.get("pos") if token is not None else None
        refs = self.cas.value(token, pos) if token is not None and pos is not None else None
        return refs[0] if refs and refs[0] in self.cas.fss else xid

    def continuations(self) -> dict[str, str]:
        """Further fragments of discontinuous spans (the ``fragments`` slots Annotator writes):
        fragment xmi:id → head xmi:id."""
        out: dict[str, str] = {}
        for xid in self.cas.order:
            fs = self.cas.fss[xid]
            f = fs.type.features.get(FRAGMENTS)
            if f is None or f.primitive or f.primitive_array or not fs.type.isa(ANNOTATION):
                continue
            for ref in self.cas.value(fs, f) or []:
                slot = self.cas.fss.get(ref)
                target = slot.type.features.get("target") if slot is not None else None
                if slot is not None and target is not None:
                    for frag in self.cas.value(slot, target) or []:
                        out[frag] = xid
        return out

    def doc_annotation(self, fs: Fs) -> DocAnnotationRecord:
        t = fs.type
        if t.name not in self.layers:
            self.layers[t.name] = (layer_of(t), label_feature(t))
        layer, lab = self.layers[t.name]
        label = self.cas.value(fs, t.features[lab]) if lab else None
        annotator = t.features.get("annotator")
        return DocAnnotationRecord(
            layer=layer, label=str(label) if label not in (None, "") else layer,
            attributes=self.features(fs, {lab or ""}),
            annotator=(self.cas.value(fs, annotator) if annotator else None)
            or self.options.annotator)

    def end(self, xid: str, conv: Utf16) -> str | None:
        if xid in self.spans:
            return self.spans[xid].key
        if xid in self.zero:
            return None
        seg = self.segments.get(xid)
        if seg is not None:  # a token a dependency joins: read as a span of layer Token
            self.span(seg, conv, layer=seg.type.short)
            return self.spans[xid].key if xid in self.spans else None
        return None

    def document(self) -> CorpusDocument:
        sofa = self.sofa()
        text = sofa.text or ""
        conv = Utf16(text)
        doc = CorpusDocument(name=self.path.stem, title=self.path.stem, text=text,
                             source_path=str(self.path))
        fragments: list[tuple[str, Fs]] = []
        relations: list[Fs] = []
        continuation = self.continuations()
        kinds: dict[str, int] = {}
        for xid in self.cas.order:
            fs = self.cas.fss[xid]
            t = fs.type
            what = kinds.get(t.name)
            if what is None:
                what = kinds[t.name] = _kind(t)
            on_other_view = "sofa" in fs.attrs and fs.attrs["sofa"] != sofa.xid
            if what == _SPAN and not on_other_view and xid not in continuation:
                self.span(fs, conv)  # the common case first (as the last branch below)
            elif what == _DOCUMENT:
                if not on_other_view:
                    self.metadata(doc, fs)
            elif what == _STATE:
                self.state(doc, fs)
            elif on_other_view:
                self.notes["annotations of other views"] += 1
            elif what == _NOT_ANNOTATION:
                if t.isa("uima.cas.AnnotationBase") and "first" not in t.features:
                    if not on_other_view:  # a document-level layer (INCEpTION metadata layer)
                        doc.doc_annotations.append(self.doc_annotation(fs))
                elif not (_is_link(fs) or "first" in t.features or
                          t.name.startswith("uima.cas.")):
                    self.notes[f"{t.short} (not annotations)"] += 1
            elif what == _SEGMENT:
                self.segments[xid] = fs
                self.notes[f"{t.short} (segmentation)"] += 1
            elif what == _METADATA:
                self.notes[f"{t.short} (metadata)"] += 1
            elif what == _XML:
                self.notes[f"{t.short} (XML document structure)"] += 1
            elif what == _RELATION:
                relations.append(fs)
            elif xid in continuation:
                fragments.append((continuation[xid], fs))
            elif what == _OLD_SPAN and fs.attrs.get("fragment_of"):  # our old export
                fragments.append((fs.attrs["fragment_of"], fs))
            else:
                self.span(fs, conv)
        for head, fs in fragments:
            span = self.spans.get(head)
            if span is None:
                raise BadInputError(f"a fragment points at annotation {head}, which is not a "
                                    "span", path=self.path)
            b, e = self.offsets(fs, conv)
            if b < e:
                span.fragments = tuple(sorted((*span.fragments, (b, e))))
        for span in self.spans.values():
            frags = span.fragments
            if len(frags) > 1 and any(a[1] > b[0] for a, b in zip(frags, frags[1:],
                                                                   strict=False)):
                raise BadInputError(f"annotation {span.key[1:]}: fragments overlap",
                                    path=self.path)
        for fs in relations:
            self.relation(fs)
        for key, kind, src_id, dst_id, attrs in self.pending:
            src, dst = self.end(src_id, conv), self.end(dst_id, conv)
            if src is None or dst is None:
                self.notes["relations or links to an annotation not read"] += 1
                continue
            doc.relations.append(RelationRecord(key=key, type=kind, source=src, target=dst,
                                                attributes=attrs))
        doc.spans = list(self.spans.values())
        return doc

    def metadata(self, doc: CorpusDocument, fs: Fs) -> None:
        values = {f.name: self.cas.value(fs, f) for f in fs.type.features.values()
                  if f.primitive}
        doc.name = values.get("documentId") or doc.name
        doc.title = values.get("documentTitle") or doc.name
        lang = values.get("language")
        if lang and lang != "x-unspecified":
            doc.meta.setdefault("language", lang)
        for key in DMD_META:
            if values.get(key):
                doc.meta.setdefault(key, values[key])

    def state(self, doc: CorpusDocument, fs: Fs) -> None:
        t = fs.type
        if "status" in t.features:
            doc.status = self.cas.value(fs, t.features["status"]) or doc.status
        if "meta" in t.features:
            try:
                meta = json.loads(self.cas.value(fs, t.features["meta"]) or "{}")
            except json.JSONDecodeError:
                meta = {}
            if isinstance(meta, dict):
                doc.meta = {**doc.meta, **meta}

    def report(self) -> None:
        cas = self.cas
        parts = [f"{n} {what}" for what, n in sorted(self.notes.items(),
                                                     key=lambda kv: (-kv[1], kv[0])) if n]
        views = [k.removeprefix("other view ") for k in self.notes if k.startswith("other view ")]
        if views:
            parts.append(f"{len(views)} other view(s) ({', '.join(sorted(views))[:80]})")
        if cas.undeclared:
            names = ", ".join(sorted(t.rsplit(".", 1)[-1] for t in cas.undeclared))
            parts.append(f"{sum(cas.undeclared.values())} feature structure(s) of types "
                         f"TypeSystem.xml does not declare ({names[:120]})")
        if cas.unknown_features:
            names = ", ".join(sorted(cas.unknown_features))
            parts.append(f"{sum(cas.unknown_features.values())} value(s) of features "
                         f"TypeSystem.xml does not declare ({names[:120]})")
        if cas.bad_values:
            names = ", ".join(sorted(cas.bad_values))
            parts.append(f"{sum(cas.bad_values.values())} value(s) that do not fit their "
                         f"feature's type ({names[:120]})")
        if parts:
            self.options.warn(f"{self.path}: not read: {', '.join(parts)}")
        if cas.assumed:
            names = ", ".join(sorted(t.rsplit(".", 1)[-1] for t in cas.assumed))
            self.options.warn(f"{self.path}: {sum(cas.assumed.values())} feature structure(s) "
                              f"of DKPro Core types TypeSystem.xml does not declare ({names[:120]})"
                              " read as DKPro Core declares them")


def cas_to_document(cas: ParsedCas, path: Path, options: ReadOptions) -> CorpusDocument:
    """The document of a parsed CAS; what could not be represented is reported through
    ``options.warn`` in one message, counted by kind."""
    reader = _Reader(cas, path, options)
    doc = reader.document()
    reader.report()
    return doc


__all__ = ["METADATA_TYPE", "Utf16", "cas_to_document", "label_feature", "layer_of"]
