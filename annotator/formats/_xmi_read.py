"""Reading UIMA CAS XMI: checked XML, the type system, one document per CAS.

Not a format: the registry skips modules whose name starts with ``_``. See
:mod:`annotator.formats.xmi` for what is read and what is reported as not read.
"""

from __future__ import annotations

import json
import re
import warnings
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord, check_fragments
from annotator.formats._common import NewlineMap
from annotator.formats._textfile import check_size, read_file_bytes
from annotator.formats._xmi_names import (
    CUSTOM,
    METADATA_TYPE,
    READ_OR_STRUCTURAL,
    STATE_TYPE,
    described,
    from_java_name,
)
from annotator.formats.registry import ReadOptions

if TYPE_CHECKING:
    from cassis import Cas, TypeSystem

SOFA_ELEMENT = "{http:///uima/cas.ecore}Sofa"
UNDECLARED = re.compile(r"Type with name \[(.+?)\] not found")  # cassis, lenient reading


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


def load_typesystem_of(folder: Path, named: Path) -> TypeSystem:
    from cassis import load_typesystem

    found = [p for p in folder.iterdir() if p.name.lower() == "typesystem.xml"]
    if not found:
        raise BadInputError(f"no TypeSystem.xml in the XMI folder {str(folder)!r}", path=named)
    path = found[0]
    check_size(path)
    data = read_file_bytes(path)  # a regular file only: a FIFO would hang the import
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


def _not_read(cas: Cas, path: Path, options: ReadOptions, undeclared: dict[str, int]) -> None:
    """Warn about what :func:`cas_to_document` leaves out: other views, foreign types, and
    feature structures of types the type system does not declare."""
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
    if undeclared:
        n = sum(undeclared.values())
        names = ", ".join(sorted(t.rsplit(".", 1)[-1].rsplit(":", 1)[-1] for t in undeclared))
        parts.append(f"{n} feature structure(s) of types TypeSystem.xml does not declare "
                     f"({names[:120]})")
    if parts:
        options.warn(f"{path}: not read (Annotator reads webanno.custom layers of the initial "
                     f"view): {', '.join(parts)}")


def cas_to_document(cas: Cas, path: Path, options: ReadOptions,
                    undeclared: dict[str, int] | None = None) -> CorpusDocument:
    raw = _sofa_text(cas, path)
    _not_read(cas, path, options, undeclared or {})
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
    unread: dict[str, int] = {}  # "Type.feature" -> values not read (links, arrays, references)
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
            if value is None and fs.get(f.name) is not None:  # a link, array or reference
                where = f"{t.name.rsplit('.', 1)[-1]}.{f.name}"
                unread[where] = unread.get(where, 0) + 1
                continue
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
    if unread:
        listed = ", ".join(f"{n} {where}" for where, n in sorted(unread.items()))
        options.warn(f"{path}: not read: feature values that are links, arrays or references "
                     f"(slot features): {listed[:200]}")
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


def load_xmi(path: Path, ts: TypeSystem) -> tuple[Cas, dict[str, int]]:
    """The CAS in ``path`` and, by type name, the feature structures left out because
    ``TypeSystem.xml`` does not declare their type."""
    from cassis import load_cas_from_xmi

    check_size(path)
    data = read_file_bytes(path)  # a regular file only: a FIFO would hang the import
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
        raise BadInputError(f"not a readable UIMA XMI file: {str(exc)[:200]}",
                            path=path) from None
    missing: dict[str, int] = {}
    for w in caught:
        text = str(w.message)
        if "offset" in text:
            raise BadInputError(f"offsets do not fit the text: {text[:200]}", path=path)
        found = UNDECLARED.search(text)
        if found:
            missing[found.group(1)] = missing.get(found.group(1), 0) + 1
    return cas, missing


