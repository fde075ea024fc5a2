"""Parsing UIMA CAS XMI into feature structures: checked XML, the type system, values.

Not a format: the registry skips modules whose name starts with ``_``. Lenient as INCEpTION
reads (UIMA's lenient XMI deserialiser): elements of types the type system does not declare and
attributes of features it does not declare are left out and counted, never a refused file. The
offsets stay UTF-16 code units here; :mod:`annotator.formats._xmi_read` converts them.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.formats._textfile import check_size, read_file_bytes
from annotator.formats._xmi_schema import (
    DKPRO,
    PRIMITIVE_ARRAYS,
    FeatureInfo,
    TypeInfo,
    built_in,
    from_cassis,
    infer_type,
    merge_inferred,
)

XMI_NS = "http://www.omg.org/XMI"
XMI_ID = "{http://www.omg.org/XMI}id"
SOFA = "uima.cas.Sofa"
VIEW = "uima.cas.View"


def checked_xml(data: bytes, path: Path) -> Any:
    """The root element of ``data`` if it is well-formed XML without DTD, entities or external
    references."""
    if _plain(data):  # nothing to refuse can be in it: the standard (C) parser, same tree
        import xml.etree.ElementTree as ET

        return _parsed(ET.fromstring, data, path)
    return _checked_slowly(data, path)


#: Encodings in which every ASCII character is its own byte (what _plain looks for).
_ASCII_BASED = {b"utf-8", b"utf8", b"us-ascii", b"ascii", b"iso-8859-1", b"latin-1", b"latin1"}
_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']*)["']""")


def _plain(data: bytes) -> bool:
    """True when ``data`` can hold no markup declaration, so no DTD, no entity declaration and
    no external reference: no ``<!`` (``<!DOCTYPE``, also comments and CDATA) in an encoding
    where ASCII characters are their own bytes (no NUL byte: not UTF-16 or UTF-32; the XML
    declaration names none or an ASCII-based one)."""
    if b"<!" in data or b"\0" in data:
        return False
    if not data.removeprefix(b"\xef\xbb\xbf").startswith(b"<?xml"):
        return True
    end = data.find(b"?>")
    m = _ENCODING.search(data, 0, end) if end >= 0 else None
    return end >= 0 and (m is None or m.group(1).lower() in _ASCII_BASED)


def _checked_slowly(data: bytes, path: Path) -> Any:
    """``checked_xml`` by defusedxml's parser, which refuses what the declarations ask for."""
    import defusedxml.ElementTree as DET

    return _parsed(lambda d: DET.fromstring(d, forbid_dtd=True, forbid_entities=True,
                                            forbid_external=True), data, path)


def _parsed(parse: Callable[[bytes], Any], data: bytes, path: Path) -> Any:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    try:
        return parse(data)
    except DefusedXmlException as exc:
        raise BadInputError(f"refused: the XML declares a DTD or entities ({type(exc).__name__})",
                            path=path) from None
    except ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        raise BadInputError(f"not well-formed XML: {exc}", path=path, line=line) from None
    except (LookupError, ValueError) as exc:  # <?xml encoding="…"?>: unknown or unusable codec
        raise BadInputError(f"not readable XML: {exc}", path=path) from None


def find_typesystem(folder: Path) -> Path | None:
    found = sorted(p for p in folder.iterdir() if p.name.lower() == "typesystem.xml")
    return found[0] if found else None


def load_typesystem_file(path: Path) -> dict[str, TypeInfo]:
    from cassis import load_typesystem

    check_size(path)
    data = read_file_bytes(path)  # a regular file only: a FIFO would hang the import
    checked_xml(data, path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return from_cassis(load_typesystem(BytesIO(data)))
    except Exception as exc:  # cassis raises bare ValueError/KeyError/XMLSyntaxError
        raise BadInputError(f"not a UIMA type system: {exc}", path=path) from None


def type_name(tag: str) -> str | None:
    """``{http:///de/x/type.ecore}Token`` → ``de.x.type.Token`` (UIMA's namespace rule)."""
    if not tag.startswith("{"):
        return None
    ns, _, local = tag[1:].partition("}")
    if ns == XMI_NS:
        return None
    pkg = ns.removeprefix("http:///").removesuffix(".ecore").replace("/", ".")
    return local if pkg == "uima.noNamespace" else f"{pkg}.{local}"


@dataclass(slots=True)
class Fs:
    xid: str
    type: TypeInfo
    attrs: dict[str, str]
    children: dict[str, list[str]]


@dataclass
class Sofa:
    xid: str
    sofa_id: str
    text: str | None
    uri: str | None
    array: str | None


@dataclass
class ParsedCas:
    fss: dict[str, Fs] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # the indexed ones (View members), in order
    sofas: list[Sofa] = field(default_factory=list)
    undeclared: Counter[str] = field(default_factory=Counter)  # type name -> elements
    unknown_features: Counter[str] = field(default_factory=Counter)  # "Type.feature" -> values
    bad_values: Counter[str] = field(default_factory=Counter)  # "Type.feature" -> values
    assumed: Counter[str] = field(default_factory=Counter)  # DKPro type TypeSystem.xml lacks
    inferred: bool = False

    def value(self, fs: Fs, f: FeatureInfo) -> Any:
        """The value of ``f`` on ``fs``: a Python primitive, a list (arrays), a list of xmi:ids
        (references), or None when unset or unreadable (counted)."""
        if f.primitive_array or (self.inferred and f.range == "uima.cas.StringArray"):
            if f.name in fs.children:
                return list(fs.children[f.name])
            raw = fs.attrs.get(f.name)
            if raw is None:
                return None
            parts = raw.split()
            if len(parts) == 1 and parts[0] in self.fss:
                arr = self.fss[parts[0]]
                if "elements" in arr.children:
                    return list(arr.children["elements"])
                parts = (arr.attrs.get("elements") or "").split()
            return [self._convert(fs, f, p, f.element or _element_of(f.range)) for p in parts]
        raw = fs.attrs.get(f.name)
        if raw is None:
            return None
        if f.primitive:
            return self._convert(fs, f, raw, f.range)
        refs: list[str] = []
        for ref in raw.split():
            target = self.fss.get(ref)
            if target is not None and target.type.name in ("uima.cas.FSArray",):
                refs.extend((target.attrs.get("elements") or "").split())
            else:
                refs.append(ref)
        return refs

    def _convert(self, fs: Fs, f: FeatureInfo, raw: str, rng: str) -> Any:
        try:
            if rng == "uima.cas.String":
                return raw
            if rng == "uima.cas.Boolean":
                return raw == "true"
            if rng in ("uima.cas.Float", "uima.cas.Double"):
                return float(raw)
            return int(raw)
        except ValueError:
            self.bad_values[f"{fs.type.short}.{f.name}"] += 1
            return None


def _element_of(array: str) -> str:
    return "uima.cas." + array.removeprefix("uima.cas.").removesuffix("Array") \
        if array in PRIMITIVE_ARRAYS else "uima.cas.String"


def parse_cas(data: bytes, path: Path, types: dict[str, TypeInfo] | None) -> ParsedCas:
    """The feature structures of one XMI file; ``types`` from TypeSystem.xml, or None to use
    DKPro's built-in types and infer the rest from the file."""
    root = checked_xml(data, path)
    out = ParsedCas(inferred=types is None)
    raw: list[tuple[str, str, dict[str, str], dict[str, list[str]]]] = []
    members: list[str] | None = None
    names: dict[str, str | None] = {}
    for el in root:
        name = names.get(el.tag, "")
        if name == "":
            name = names[el.tag] = type_name(el.tag)
        if name is None:
            continue
        xid = el.get(XMI_ID)
        if name == SOFA:
            out.sofas.append(Sofa(xid or "", el.get("sofaID") or "", el.get("sofaString"),
                                  el.get("sofaURI"), el.get("sofaArray")))
            continue
        if name == VIEW:
            members = (members or []) + (el.get("members") or "").split()
            continue
        if name == "uima.cas.NULL" or xid is None:
            continue
        attrs = el.attrib  # the element's own dict (the tree is dropped after this)
        del attrs[XMI_ID]
        if attrs and max(attrs) >= "{":  # another namespaced attribute: left out
            attrs = {k: v for k, v in attrs.items() if not k.startswith("{")}
        children: dict[str, list[str]] = {}
        if len(el):
            for child in el:
                local = child.tag.rpartition("}")[2] if isinstance(child.tag, str) else ""
                if local:
                    children.setdefault(local, []).append(child.text or "")
        raw.append((xid, name, attrs, children))
    # DKPro Core's types are in every INCEpTION project: a TypeSystem.xml that leaves them out
    # (INCEpTION's own test files) does not make their annotations unreadable
    assumed = {r[1] for r in raw if types is not None and r[1] not in types
               and r[1].startswith(DKPRO)}
    dkpro = built_in() if types is None or assumed else {}
    known = types if types is not None else dkpro
    ids = {r[0] for r in raw} if types is None or assumed else set()
    inferred: dict[str, TypeInfo] = {}
    declared: dict[str, set[str]] = {}  # type -> the attribute names kept
    for xid, name, attrs, children in raw:
        info = known.get(name)
        if name.startswith("uima.cas."):  # arrays and lists: their elements as written
            info = info or TypeInfo(name, ("uima.cas.TOP",), {})
            attrs_kept = attrs
        elif info is None and types is not None and name not in assumed:
            out.undeclared[name] += 1
            continue
        elif types is None or name in assumed:  # DKPro's declaration, widened by the file
            info = dkpro.get(name)
            if name in assumed:
                out.assumed[name] += 1
            guess = infer_type(name, attrs, children, ids, dkpro)
            if info is not None:
                guess = TypeInfo(name, info.supertypes, {**guess.features, **info.features})
            if name in inferred:
                merge_inferred(inferred[name], guess)
            else:
                inferred[name] = guess
            info = inferred[name]
            attrs_kept = attrs
        else:
            assert info is not None  # declared: the branches above took the undeclared ones
            allowed = declared.get(name)
            if allowed is None:
                allowed = declared[name] = {*info.features, "sofa"}
            if allowed.issuperset(attrs):  # the common case: every attribute declared
                attrs_kept = attrs
            else:
                attrs_kept = {}
                for k, v in attrs.items():
                    if k in allowed:
                        attrs_kept[k] = v
                    else:
                        out.unknown_features[f"{info.short}.{k}"] += 1
            if children:
                for k in [k for k in children if k not in info.features]:
                    out.unknown_features[f"{info.short}.{k}"] += len(children.pop(k))
        if info is not None:
            out.fss[xid] = Fs(xid, info, attrs_kept, children)
    out.order = [m for m in members if m in out.fss] if members is not None \
        else [r[0] for r in raw if r[0] in out.fss]
    return out


def read_cas_file(path: Path, types: dict[str, TypeInfo] | None) -> tuple[ParsedCas, bytes]:
    check_size(path)
    data = read_file_bytes(path)  # a regular file only: a FIFO would hang the import
    return parse_cas(data, path, types), data
