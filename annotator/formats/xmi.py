"""UIMA CAS XMI (INCEpTION, WebAnno, DKPro) through dkpro-cassis: a folder of ``NAME.xmi`` files
and one ``TypeSystem.xml``.

Offsets: the XMI files count UTF-16 code units, as Java tools do; cassis converts to and from
Python code points when it reads and writes, so nothing here counts UTF-16 itself.

Type system written (INCEpTION conventions):

* one span type per layer, ``webanno.custom.<layer>`` (subtype of ``uima.tcas.Annotation``),
  with String features ``label``, ``note``, ``annotator``, a feature ``fragment_of``
  (``uima.tcas.Annotation``) and one feature per attribute name. An attribute's feature range
  follows its values: String, Boolean, Integer/Long, Double; anything else (lists, mixed types)
  is a String holding JSON (``"json": true`` in the feature description).
* ``webanno.custom.AnnotatorRelation`` with ``Governor`` and ``Dependent`` (the spans; begin/end
  are the dependent's), ``label`` (the relation type) and ``attributes`` (JSON).
* ``de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData`` with ``documentId`` (our
  document name) and ``documentTitle``; ``annotator.type.DocumentState`` (status, meta as JSON).

Names become Java identifiers (:func:`~annotator.formats._common.escape_name`, delimiter
``_``): ``_`` is written ``__``, any other character that is not an ASCII letter or digit
``_<hex>_``; ``x`` goes in front of a name that would start with ``_`` or a digit or clash with a
reserved feature or the relation type. The exact layer or attribute name is kept in the type's
or feature's description, ``{"annotator": NAME, "json": BOOL}``, which reading prefers.

Discontinuous spans: the first fragment is the span's annotation; each further fragment is an
annotation of the same type and label whose ``fragment_of`` points at it. Reading merges them.

Reading takes the types named ``webanno.custom.*``: those with ``Governor``/``Dependent`` are
relations, the others span layers (a foreign type without ``label`` uses its first String
feature, else its name, as the label). Every file is checked with defusedxml first: a DTD,
entity declaration or external reference is refused before lxml sees the bytes. Annotations of
other types (DKPro/INCEpTION built-in layers such as ``NamedEntity``, tokens, sentences) and
views other than ``_InitialView`` are not read; each file that has some gets one warning
listing them by type. A file whose Sofa holds no text (none, a ``sofaURI`` or a data array),
or a ``.xmi``/``TypeSystem.xml`` over the per-document size limit, is refused.

Characters XML 1.0 cannot hold. A text (or label, note, attribute, title) may contain C0
control characters other than tab, newline and carriage return (form feed, NUL from a PDF
extraction…), lone surrogates, U+FFFE or U+FFFF. No XML 1.0 file can carry them, not even as
character references, and XML 1.1 is read neither by lxml nor by cassis. Export writes each as
U+FFFD, one character for one, so every offset stays right, and reports per document how many
were replaced; the other documents are untouched and the export goes on. (Re-imported, such a
document has a different text hash from the original.)
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Iterator
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord, check_fragments
from annotator.core.tagset import Tagset
from annotator.formats._common import NewlineMap, escape_name, unescape_name
from annotator.formats._textfile import check_size
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

if TYPE_CHECKING:
    from cassis import Cas, TypeSystem

CUSTOM = "webanno.custom."
RELATION_TYPE = CUSTOM + "AnnotatorRelation"
METADATA_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
STATE_TYPE = "annotator.type.DocumentState"
ANNOTATION = "uima.tcas.Annotation"
STRING = "uima.cas.String"
JSON_DESCRIPTION = "JSON"
SPAN_FEATURES = ("label", "note", "annotator", "fragment_of")
RESERVED = frozenset({*SPAN_FEATURES, "begin", "end", "sofa", "self", "type", "Governor",
                      "Dependent", "attributes"})
INT32 = range(-2**31, 2**31)
#: Characters outside XML 1.0's ``Char`` production.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SOFA_ELEMENT = "{http:///uima/cas.ecore}Sofa"
#: Types every CAS has and that reading takes in (text, document metadata): never reported.
READ_OR_STRUCTURAL = {"uima.tcas.DocumentAnnotation", METADATA_TYPE}


# --- names ------------------------------------------------------------------------------------

def java_name(name: str, reserved: frozenset[str] = RESERVED) -> str:
    """A Java identifier for ``name``: escaped, with ``x`` put in front when it would start with
    ``_`` or a digit, be empty or clash with ``reserved``. The exact name travels in the
    feature's or type's description (see :func:`describe`)."""
    enc = escape_name(name, "_", literal_delim=True)
    if not enc or enc in reserved or not enc[0].isalpha():
        enc = "x" + enc
    return enc


def from_java_name(enc: str) -> str:
    """Best guess at the name behind a Java identifier without our description."""
    decoded = unescape_name(enc, "_", literal_delim=True)
    return enc if decoded is None else decoded


def describe(name: str, *, is_json: bool = False) -> str:
    """A description recording the exact ``name`` (and that the value is JSON)."""
    return json.dumps({"annotator": name, "json": is_json}, ensure_ascii=False)


def described(description: str | None) -> tuple[str | None, bool]:
    """``(exact name, holds JSON)`` from a description; ``(None, "JSON")`` for foreign ones."""
    if description and description.startswith("{"):
        try:
            data = json.loads(description)
        except json.JSONDecodeError:
            return None, False
        if isinstance(data, dict) and isinstance(data.get("annotator"), str):
            return data["annotator"], bool(data.get("json"))
    return None, description == JSON_DESCRIPTION


def layer_type(layer: str) -> str:
    return CUSTOM + java_name(layer, RESERVED | {RELATION_TYPE[len(CUSTOM):]})


# --- writing ----------------------------------------------------------------------------------

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
                                    meta=json.dumps(doc.meta, ensure_ascii=False)))
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
            feats[java_name(name)] = json.dumps(value, ensure_ascii=False) if is_json else x(value)
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
        feats = {"attributes": json.dumps(rel.attributes, ensure_ascii=False)} \
            if rel.attributes else {}
        cas.add(rel_t(begin=dep.begin, end=dep.end, Governor=gov, Dependent=dep,
                      label=x(rel.type), **feats))
        summary.relations += 1
    if x.replaced:
        summary.warnings.append(
            f"{doc.name}: {x.replaced} character(s) that XML 1.0 cannot hold (control "
            "characters such as form feed or NUL) written as U+FFFD; offsets unchanged")
    return cas


# --- reading ----------------------------------------------------------------------------------

def checked_xml(data: bytes, path: Path) -> Any:
    """The root element of ``data`` if it is well-formed XML without DTD, entities or external
    references."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        return DET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BadInputError(f"refused: the XML declares a DTD or entities ({type(exc).__name__})",
                            path=path) from None
    except DET.ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        raise BadInputError(f"not well-formed XML: {exc}", path=path, line=line) from None
    except (LookupError, ValueError) as exc:  # <?xml encoding="…"?>: unknown or unusable codec
        raise BadInputError(f"not readable XML: {exc}", path=path) from None


def _load_typesystem(folder: Path, named: Path) -> TypeSystem:
    from cassis import load_typesystem

    found = [p for p in folder.iterdir() if p.name.lower() == "typesystem.xml"]
    if not found:
        raise BadInputError(f"no TypeSystem.xml in the XMI folder {str(folder)!r}", path=named)
    path = found[0]
    check_size(path)
    data = path.read_bytes()
    checked_xml(data, path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_typesystem(BytesIO(data))
    except Exception as exc:  # cassis raises bare ValueError/KeyError/XMLSyntaxError
        raise BadInputError(f"not a UIMA type system: {exc}", path=path) from None


def _value(fs: Any, feature: Any) -> Any:
    value = fs.get(feature.name)
    if value is None or not isinstance(value, str | bool | int | float):
        return None
    if described(feature.description)[1] and isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _is_relation(t: Any) -> bool:
    names = {f.name for f in t.all_features}
    return {"Governor", "Dependent"} <= names


def _sofa_text(cas: Cas, path: Path) -> str:
    """The text of the initial view; a Sofa without text is refused, never read as empty."""
    sofa = cas.get_sofa()
    if sofa.sofaString is not None:
        if not sofa.sofaString:
            raise BadInputError("the document text (sofaString) is empty", path=path)
        return str(sofa.sofaString)
    if sofa.sofaArray is not None:
        raise BadInputError("the Sofa holds a data array, not text", path=path)
    raise BadInputError("the Sofa has no text (no sofaString)", path=path)


def _not_read(cas: Cas, path: Path, options: ReadOptions) -> None:
    """Warn about what :func:`cas_to_document` leaves out: other views, foreign types."""
    counts: dict[str, int] = {}
    for fs in cas.select_all_annotations():
        name = fs.type.name
        if not name.startswith(CUSTOM) and name not in READ_OR_STRUCTURAL:
            short = name.rsplit(".", 1)[-1]
            counts[short] = counts.get(short, 0) + 1
    others = [v.sofa.sofaID for v in cas.views if v.sofa.sofaID != "_InitialView"]
    parts = [f"{n} {t}" for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    if others:
        parts.append(f"{len(others)} other view(s) ({', '.join(sorted(others))[:80]})")
    if parts:
        options.warn(f"{path}: not read (Annotator reads webanno.custom layers of the initial "
                     f"view): {', '.join(parts)}")


def cas_to_document(cas: Cas, path: Path, options: ReadOptions) -> CorpusDocument:
    raw = _sofa_text(cas, path)
    _not_read(cas, path, options)
    nl = NewlineMap(raw)
    doc = CorpusDocument(name=path.stem, title=path.stem, text=nl.text, source_path=str(path))
    ts = cas.typesystem
    if ts.contains_type(METADATA_TYPE):
        for md in cas.select(METADATA_TYPE):
            doc.name = md.get("documentId") or doc.name
            doc.title = md.get("documentTitle") or doc.name
    if ts.contains_type(STATE_TYPE):
        for st in cas.select_all_fs():
            if st.type.name == STATE_TYPE:
                doc.status = st.get("status") or doc.status
                meta = _value(st, ts.get_type(STATE_TYPE).get_feature("meta"))
                doc.meta = meta if isinstance(meta, dict) else {}
    spans: dict[int, SpanRecord] = {}
    extra: list[tuple[int, tuple[int, int]]] = []
    relations: list[Any] = []
    for fs in cas.select_all_annotations():
        t = fs.type
        if not t.name.startswith(CUSTOM):
            continue
        if _is_relation(t):
            relations.append(fs)
            continue
        frag = (nl.to_stored(fs.begin), nl.to_stored(fs.end))
        head = fs.get("fragment_of") if t.get_feature("fragment_of") else None
        if head is not None:
            extra.append((head.xmiID, frag))
            continue
        layer = described(t.description)[0] or from_java_name(t.name[len(CUSTOM):])
        label, attrs = None, {}
        for f in t.all_features:
            if f.name in ("begin", "end", "sofa", "fragment_of", "note", "annotator"):
                continue
            value = _value(fs, f)
            if f.name == "label":
                label = value
            elif value is not None:
                if label is None and t.get_feature("label") is None and isinstance(value, str):
                    label = value
                else:
                    attrs[described(f.description)[0] or from_java_name(f.name)] = value
        spans[fs.xmiID] = SpanRecord(
            key=f"x{fs.xmiID}", layer=layer, label=str(label) if label else layer,
            fragments=(frag,), attributes=attrs, note=fs.get("note") or "",
            annotator=(fs.get("annotator") if t.get_feature("annotator") else None)
            or options.annotator)
    for head_id, frag in extra:
        if head_id not in spans:
            raise BadInputError(f"a fragment points at annotation {head_id}, which is not a span",
                                path=path)
        span = spans[head_id]
        span.fragments = tuple(sorted((*span.fragments, frag)))
    for span in spans.values():
        problem = check_fragments(span.fragments, len(doc.text))
        if problem:
            raise BadInputError(f"annotation {span.key[1:]}: {problem}", path=path)
    doc.spans = list(spans.values())
    for fs in relations:
        gov, dep = fs.get("Governor"), fs.get("Dependent")
        if gov is None or dep is None or gov.xmiID not in spans or dep.xmiID not in spans:
            raise BadInputError(f"relation {fs.xmiID} does not link two spans", path=path)
        label = fs.get("label") if fs.type.get_feature("label") else None
        rel_attrs: Any = {}
        if fs.type.get_feature("attributes"):
            rel_attrs = _value(fs, fs.type.get_feature("attributes")) or {}
        doc.relations.append(RelationRecord(
            key=f"x{fs.xmiID}", type=label or from_java_name(fs.type.name[len(CUSTOM):]),
            source=f"x{gov.xmiID}", target=f"x{dep.xmiID}",
            attributes=rel_attrs if isinstance(rel_attrs, dict) else {}))
    return doc


def load_xmi(path: Path, ts: TypeSystem) -> Cas:
    from cassis import load_cas_from_xmi

    check_size(path)
    data = path.read_bytes()
    root = checked_xml(data, path)
    for sofa in root.iter(SOFA_ELEMENT):  # cassis drops sofaURI: look before it reads
        if sofa.get("sofaID") == "_InitialView" and sofa.get("sofaString") is None \
                and sofa.get("sofaURI"):
            raise BadInputError(f"the document text is not in the file (the Sofa points at "
                                f"{sofa.get('sofaURI')[:80]!r}); Annotator reads XMI that "
                                "holds its text", path=path)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cas = load_cas_from_xmi(BytesIO(data), typesystem=ts, lenient=True)
    except Exception as exc:  # cassis raises bare ValueError/KeyError/TypeError on bad XMI
        raise BadInputError(f"not a readable UIMA XMI file: {exc}", path=path) from None
    for w in caught:
        if "offset" in str(w.message):
            raise BadInputError(f"offsets do not fit the text: {w.message}", path=path)
    return cas


@register
class XmiFormat(Format):
    name = "xmi"
    label = "UIMA CAS XMI (INCEpTION, WebAnno, DKPro)"
    extensions = (".xmi",)
    can_read = True
    can_write = True
    directory = True

    def sniff_directory(self, path: Path) -> bool:
        return any(True for _ in path.glob("*.xmi"))

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        folder = path.parent if path.is_file() else path
        files = [path] if path.is_file() else sorted(
            p for p in folder.glob("*.xmi") if not p.name.startswith("."))
        if not files:
            raise BadInputError("no .xmi files in this folder", path=folder)
        ts = _load_typesystem(folder, path)
        for f in files:
            yield cas_to_document(load_xmi(f, ts), f, options)

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        from annotator.core.text import safe_filename

        docs = list(docs)
        layers = set(options.layers) if options.layers is not None else None
        summary = ExportSummary()
        out.mkdir(parents=True, exist_ok=True)
        ts, json_features = build_typesystem(docs, tagset, layers)
        ts_path = out / "TypeSystem.xml"
        ts.to_xml(ts_path)
        summary.files.append(ts_path)
        taken: set[str] = {"TypeSystem"}
        for i, doc in enumerate(docs):
            target = out / f"{safe_filename(doc.name, taken)}.xmi"
            build_cas(doc, ts, json_features, layers, summary).to_xmi(target)
            summary.files.append(target)
            summary.documents += 1
            if options.progress:
                options.progress(i + 1, len(docs))
        return summary
