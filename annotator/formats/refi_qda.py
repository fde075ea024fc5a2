"""REFI-QDA (the QDA programs' exchange standard: MAXQDA, ATLAS.ti, NVivo, QualCoder…).

Two formats:

* ``refi-qda``: a project, ``.qdpx`` = a ZIP with ``project.qde`` (XML, namespace
  ``urn:QDA-XML:project:1.0``, valid against the standard's ``Project-mrt2019.xsd``) and
  ``sources/<GUID>.txt`` (each document's text, UTF-8, exact). Written and read.
* ``refi-qdc``: a codebook, ``.qdc`` (namespace ``urn:QDA-XML:codebook:1.0``). Written; on
  ``annotator import`` (a ``.qdc`` on its own) its codable codes are merged into the project's
  tagset as labels (:func:`._refi_read.merge_codebook`), no documents.

What maps onto what (export; import is the inverse):

* codes = the tagset as a tree: one code per layer (``isCodable="false"``, the layer's
  description) holding one code per label (``isCodable="true"``, colour, description); labels
  found on spans but not in the tagset are added under their layer.
* coded segments = spans: one ``PlainTextSelection`` per fragment (``startPosition``/
  ``endPosition`` in Unicode code points, end exclusive, as the standard counts them) with one
  ``Coding`` of the label's code. A discontinuous span becomes one selection per fragment.
* document-level annotations = codings of the whole source (a ``Coding`` on the
  ``TextSource``).
* notes = memos: a span's note is a ``Note`` (``PlainTextContent``) referred to by a ``NoteRef``
  on the selection.
* annotators = ``Users``; a selection's and coding's ``creatingUser`` is the span's annotator.
* relations = ``Links`` (``OneWay``, named by the relation type) between the selections.
* Not representable, reported by count: span and relation attributes (REFI-QDA has no place for
  them), document metadata and status.

GUIDs are stable: a UUID-5 of the kind and our names/keys (a document's name, a span's key), so
exporting the same project twice gives the same GUIDs. Characters XML 1.0 cannot hold in names
and notes are written as U+FFFD (the source texts are stored as files, exact).

Import (``_refi_read``): a code under a parent code is the label ``name`` of the layer named by
the top-level code (deeper levels joined by ``/``); a top-level code that is coded directly is a
label of the default tagset's layer holding that name, else of ``imported``. A coding of a whole
source is a document-level annotation (in the code's layer, or ``LAYER (document)`` when that
layer labels passages: in the file or in the default tagset). Each coding of a
selection is a span (annotator = the coding's or selection's user, else the importing
annotator); notes on the selection and its codings, and its description, become the span's
note; Links between selections become relations. Counted and reported: non-text sources
(PDF, pictures, audio, video), selections without codes, zero-length selections, codes never
used, links to other than selections, sets, cases, variables and graphs.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "Annotator"
_GUID_NS = uuid.UUID("9d6c1a3e-5b1f-4d2a-9a43-3e6f1f7c2b10")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RGB = re.compile(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")


def guid(*parts: str) -> str:
    """A stable GUID (upper case, as the QDA programs write them) for ``parts``."""
    return str(uuid.uuid5(_GUID_NS, "\x1f".join(parts))).upper()


def xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _names(doc: CorpusDocument) -> Iterator[str]:
    """Every name and note of ``doc`` that goes into ``project.qde`` (its text goes into a
    file of its own, exact)."""
    yield doc.name
    for sp in doc.spans:
        yield from (sp.layer, sp.label, sp.note, sp.annotator)
    for ann in doc.doc_annotations:
        yield from (ann.layer, ann.label, ann.annotator)
    yield from (rel.type for rel in doc.relations)


class _Codes:
    """The code tree of a tagset and the labels the documents use."""

    def __init__(self, docs: list[CorpusDocument], tagset: Tagset,
                 layers: set[str] | None) -> None:
        self.tree: dict[str, list[str]] = {}
        for layer in tagset.layers:
            if layers is None or layer.name in layers:
                self.tree[layer.name] = [lab.name for lab in layer.labels]
        for doc in docs:
            pairs = [(sp.layer, sp.label) for sp in doc.spans]
            pairs += [(a.layer, a.label) for a in doc.doc_annotations]
            for layer_name, label in pairs:
                if layers is None or layer_name in layers:
                    labels = self.tree.setdefault(layer_name, [])
                    if label not in labels:
                        labels.append(label)
        self.tagset = tagset

    def code(self, layer: str, label: str) -> str:
        return guid("code", layer, label)

    def element(self, ns: str) -> ET.Element:
        codes = ET.Element(f"{{{ns}}}Codes")
        for layer, labels in self.tree.items():
            layer_def = self.tagset.layer(layer)
            top = ET.SubElement(codes, f"{{{ns}}}Code", guid=guid("layer", layer),
                                name=xml_text(layer), isCodable="false")
            if layer_def and layer_def.description:
                ET.SubElement(top, f"{{{ns}}}Description").text = xml_text(
                    layer_def.description)
            for label in labels:
                lab = layer_def.label(label) if layer_def else None
                attrs = {"guid": self.code(layer, label), "name": xml_text(label),
                         "isCodable": "true"}
                if lab and _RGB.fullmatch(lab.color or ""):
                    attrs["color"] = lab.color.upper()
                code = ET.SubElement(top, f"{{{ns}}}Code", attrs)
                if lab and lab.description:
                    ET.SubElement(code, f"{{{ns}}}Description").text = xml_text(lab.description)
        return codes


def _q(tag: str) -> str:
    return f"{{{PROJECT_NS}}}{tag}"


def project_xml(docs: list[CorpusDocument], tagset: Tagset, name: str,
                layers: set[str] | None, summary: ExportSummary) -> tuple[bytes, dict[str, str]]:
    """``project.qde`` and the source files (``sources/NAME`` -> text)."""
    codes = _Codes(docs, tagset, layers)
    users = sorted({sp.annotator or "unknown" for d in docs for sp in d.spans}
                   | {a.annotator or "unknown" for d in docs for a in d.doc_annotations})
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    root = ET.Element(_q("Project"), name=xml_text(name), origin=ORIGIN,
                      creationDateTime=stamp)
    if users:
        root.set("creatingUserGUID", guid("user", users[0]))
        us = ET.SubElement(root, _q("Users"))
        for user in users:
            ET.SubElement(us, _q("User"), guid=guid("user", user), name=xml_text(user))
    if codes.tree:
        ET.SubElement(root, _q("CodeBook")).append(codes.element(PROJECT_NS))
    files: dict[str, str] = {}
    notes: list[ET.Element] = []
    links: list[ET.Element] = []
    sources = ET.SubElement(root, _q("Sources")) if docs else None
    for doc in docs:
        doc_guid = guid("document", doc.name)
        files[f"sources/{doc_guid}.txt"] = doc.text
        src = ET.SubElement(sources, _q("TextSource"), guid=doc_guid,  # type: ignore[arg-type]
                            name=xml_text(doc.name), plainTextPath=f"internal://{doc_guid}.txt")
        if doc.meta or doc.status != "new":
            summary.drop("document metadata and status")
        first: dict[str, str] = {}
        for sp in doc.spans:
            if layers is not None and sp.layer not in layers:
                continue
            user = guid("user", sp.annotator or "unknown")
            if sp.attributes:
                summary.drop("span attributes (REFI-QDA has no place for them)")
            if len(sp.fragments) > 1:
                summary.drop("discontinuous span written as one selection per fragment")
            note_guid = guid("note", doc.name, sp.key) if sp.note else None
            if note_guid:
                note = ET.Element(_q("Note"), guid=note_guid, name=xml_text(
                    f"{sp.label}: {doc.text[sp.start:sp.end]}"[:80]), creatingUser=user)
                ET.SubElement(note, _q("PlainTextContent")).text = xml_text(sp.note)
                notes.append(note)
            for n, (s, e) in enumerate(sp.fragments):
                sel_guid = guid("selection", doc.name, sp.key, str(n))
                first.setdefault(sp.key, sel_guid)
                sel = ET.SubElement(src, _q("PlainTextSelection"), guid=sel_guid,
                                    name=xml_text(doc.text[s:e][:80]), startPosition=str(s),
                                    endPosition=str(e), creatingUser=user)
                coding = ET.SubElement(sel, _q("Coding"), guid=guid("coding", doc.name, sp.key,
                                                                   str(n)), creatingUser=user)
                ET.SubElement(coding, _q("CodeRef"), targetGUID=codes.code(sp.layer, sp.label))
                if note_guid:
                    ET.SubElement(sel, _q("NoteRef"), targetGUID=note_guid)
            summary.spans += 1
        for n, ann in enumerate(doc.doc_annotations):
            if layers is not None and ann.layer not in layers:
                continue
            if ann.attributes:
                summary.drop("document annotation attributes (REFI-QDA has no place for them)")
            user = guid("user", ann.annotator or "unknown")
            coding = ET.SubElement(src, _q("Coding"), guid=guid("document coding", doc.name,
                                                               str(n)), creatingUser=user)
            ET.SubElement(coding, _q("CodeRef"), targetGUID=codes.code(ann.layer, ann.label))
        for rel in doc.relations:
            if rel.source not in first or rel.target not in first:
                summary.drop("relation endpoint not exported")
                continue
            if rel.attributes:
                summary.drop("relation attributes (REFI-QDA has no place for them)")
            links.append(ET.Element(_q("Link"), guid=guid("link", doc.name, rel.key),
                                    name=xml_text(rel.type), direction="OneWay",
                                    originGUID=first[rel.source], targetGUID=first[rel.target]))
            summary.relations += 1
        summary.documents += 1
    if notes:
        ET.SubElement(root, _q("Notes")).extend(notes)
    if links:
        ET.SubElement(root, _q("Links")).extend(links)
    ET.register_namespace("", PROJECT_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), files


def codebook_xml(docs: list[CorpusDocument], tagset: Tagset, layers: set[str] | None) -> bytes:
    codes = _Codes(docs, tagset, layers)
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", origin=ORIGIN)
    root.append(codes.element(CODEBOOK_NS))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def project_name(out: Path) -> str:
    """The project's name from the output file (the CLI writes a hidden ``.NAME.qdpx.XXXX``
    first and renames it)."""
    name = out.name.lstrip(".")
    cut = name.lower().find(".qdpx")
    return (name[:cut] if cut > 0 else out.stem.lstrip(".")) or "Annotator project"


def _zip_time() -> tuple[int, int, int, int, int, int]:
    return (1980, 1, 1, 0, 0, 0)  # fixed: the same project gives the same archive entries


@register
class RefiQdaProject(Format):
    name = "refi-qda"
    label = "REFI-QDA project (.qdpx: MAXQDA, ATLAS.ti, NVivo, QualCoder)"
    extensions = (".qdpx",)
    can_read = True
    can_write = True

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        from annotator.formats._refi_read import read_qdpx

        yield from read_qdpx(path, options)

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        docs = list(docs)
        summary = ExportSummary()
        layers = set(options.layers) if options.layers is not None else None
        qde, files = project_xml(docs, tagset, project_name(out), layers, summary)
        altered = sum(1 for doc in docs for value in _names(doc) if _NOT_XML.search(value))
        if altered:
            summary.drop("names, labels, users and notes holding characters XML 1.0 cannot hold "
                         "(control characters): written with U+FFFD in their place", altered)
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo("project.qde", _zip_time()), qde,
                        zipfile.ZIP_DEFLATED)
            for n, (name, text) in enumerate(files.items(), 1):
                zf.writestr(zipfile.ZipInfo(name, _zip_time()),
                            text.encode("utf-8", "surrogatepass"), zipfile.ZIP_DEFLATED)
                if options.progress:
                    options.progress(n, len(files))
        summary.files.append(out)
        return summary


@register
class RefiQdaCodebook(Format):
    name = "refi-qdc"
    label = "REFI-QDA codebook (.qdc)"
    extensions = (".qdc",)
    can_write = True

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        docs = list(docs)
        layers = set(options.layers) if options.layers is not None else None
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(codebook_xml(docs, tagset, layers))
        summary = ExportSummary(documents=0, files=[out])
        return summary


__all__ = ["CODEBOOK_NS", "PROJECT_NS", "RefiQdaCodebook", "RefiQdaProject", "codebook_xml",
           "guid", "project_xml"]

