"""UIMA CAS XMI (INCEpTION, WebAnno, DKPro): a folder of ``NAME.xmi`` files and one
``TypeSystem.xml``.

Offsets: the XMI files count UTF-16 code units, as Java tools do; they are converted at the
boundary, in :class:`~annotator.formats._xmi_read.Utf16` (reading) and
:mod:`~annotator.formats._xmi_emit` (writing). The document text is the Sofa's exactly,
``\r\n`` included.

Writing (INCEpTION's conventions for layers made in its UI, :mod:`~annotator.formats._xmi_layers`):

* one span type per layer, ``webanno.custom.`` + the name capitalised with characters outside
  ``[A-Za-z0-9_]`` removed (``attribution`` → ``webanno.custom.Attribution``), with String
  features ``label``, ``note``, ``annotator`` and one feature per attribute; an attribute's
  range follows its values: String, Boolean, Integer/Long, Double; anything else (lists, mixed
  types) is a String holding JSON (``"json": true`` in the feature description);
* relations joining two spans of one layer: that layer's relation layer ``<Layer>Relation``
  (``Governor``/``Dependent`` typed as the layer, ``label`` = the relation type, ``attributes``
  as JSON); relations between spans of two layers: the source layer's link feature
  ``relations`` (slots of type ``<Layer>RelationsLink`` with ``role`` = the relation type,
  ``target`` = the other span);
* a discontinuous span: its first fragment is the annotation; the others are annotations of the
  same layer its link feature ``fragments`` points at (role ``fragment``);
* ``DocumentMetaData`` (``documentId`` = our document name, ``documentTitle``) and
  ``annotator.type.DocumentState`` (status, meta as JSON).

A name INCEpTION's rule would empty or give twice falls back to an escaped Java identifier
(:func:`~annotator.formats._common.escape_name`); the exact layer or attribute name is kept in
the type's or feature's description, ``{"annotator": NAME, "json": BOOL}``, which reading
prefers. The lowercase names of Annotator's earlier export (``webanno.custom.stance``, one
``webanno.custom.AnnotatorRelation`` type, ``fragment_of``) are still read.

Reading (:mod:`~annotator.formats._xmi_parse`, :mod:`~annotator.formats._xmi_read`), leniently
as INCEpTION reads (UIMA's lenient deserialiser), every layer of the initial view:

* every annotation type is a span layer: ``webanno.custom`` types by their (described) name
  (without our description, a type our export gives a default-tagset layer, such as
  ``webanno.custom.Hedging``, is that layer, ``hedging``, as the TSV reader has it), DKPro's
  built-ins by their layer (``NamedEntity``, ``POS`` for ``POS_NOUN``…, ``Lemma``,
  ``Stem``, ``MorphologicalFeatures``, ``Chunk``, ``Coreference``…), the label from the layer's
  tag feature (``value``, ``PosValue``, ``chunkValue``… ; ``label``; else the first String
  feature; else the layer name), every other primitive feature (and primitive array) an
  attribute;
* a type with ``Governor`` and ``Dependent`` is a relation layer over any layer (type = its
  label feature, e.g. ``DependencyType``, or the layer name; other features attributes); a
  DKPro ``Dependency`` joins the ``POS`` annotations of its tokens (INCEpTION attaches that
  layer to Token through ``Token.pos`` and draws it there); any other DKPro ``Token`` that a
  relation joins comes in as a span of layer ``Token``;
* chains: each link is a span of the chain layer (``CoreferenceLink`` → ``Coreference``,
  ``webanno.custom.XLink`` → ``X``), each ``next`` a relation typed ``referenceRelation`` or
  ``next``; link (slot) features: one relation per filled slot, host → filler, typed by its role;
* ``DocumentMetaData``: ``documentId`` the name, ``documentTitle`` the title,
  ``documentUri``/``documentBaseUri``/``collectionId`` and the language into the meta.

Not represented, each counted by kind in one warning per file (never a refused file): tokens
and sentences (segmentation), ``TagsetDescription``, XML document structure, other feature
structures that are not annotations, zero-width annotations (skipped) and relations to them,
annotations of other views, slots without a filler, elements of types and values of features
``TypeSystem.xml`` does not declare — except DKPro Core's types, which every INCEpTION
project has: those a ``TypeSystem.xml`` leaves out are read as DKPro declares them (said in a
warning). A folder without ``TypeSystem.xml`` is read with DKPro
Core's built-in types plus what the files show (said once per folder). A DTD, entity
declaration or external reference is refused: a file that can hold one (``<!`` in it, or an
encoding in which ASCII is not itself) is parsed by defusedxml's checking parser; any other
(what INCEpTION, cassis and Annotator write) by the standard parser, which gives the same tree
or the same error (:func:`~annotator.formats._xmi_parse.checked_xml`). A file
whose Sofa holds no text (none, a ``sofaURI`` or a data array), offsets outside the text, or a
file over the per-document size limit is refused.

Characters XML 1.0 cannot hold. A text (or label, note, attribute, title) may contain C0
control characters other than tab, newline and carriage return (form feed, NUL from a PDF
extraction…), lone surrogates, U+FFFE or U+FFFF. No XML 1.0 file can carry them, not even as
character references, and XML 1.1 is read neither by lxml nor by cassis. Export writes each as
U+FFFD, one character for one, so every offset stays right, and reports per document how many
were replaced; the other documents are untouched and the export goes on. (Re-imported, such a
document has a different text hash from the original.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset
from annotator.formats._planned import plan_and_stream
from annotator.formats._xmi_emit import emit_xmi
from annotator.formats._xmi_names import (
    CUSTOM,
    METADATA_TYPE,
    RELATION_TYPE,
    STATE_TYPE,
    describe,
    described,
    java_name,
    layer_type,
)
from annotator.formats._xmi_parse import (
    checked_xml,
    find_typesystem,
    load_typesystem_file,
    read_cas_file,
)
from annotator.formats._xmi_read import cas_to_document
from annotator.formats._xmi_write import build_typesystem
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

__all__ = ["CUSTOM", "METADATA_TYPE", "RELATION_TYPE", "STATE_TYPE", "XmiFormat", "build_typesystem",
           "emit_xmi", "cas_to_document", "checked_xml", "describe", "described",
           "java_name", "layer_type", "read_folder"]


def read_folder(path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
    """The documents of an XMI folder (or of one ``.xmi`` file with its folder's type system).
    Without a ``TypeSystem.xml`` the types are DKPro's built-ins and what the files show, and
    the user is told so once."""
    folder = path.parent if path.is_file() else path
    files = [path] if path.is_file() else sorted(
        p for p in folder.glob("*.xmi") if not p.name.startswith("."))
    if not files:
        raise BadInputError("no .xmi files in this folder", path=folder)
    ts_path = find_typesystem(folder)
    types = load_typesystem_file(ts_path) if ts_path is not None else None
    for f in files:
        cas, _ = read_cas_file(f, types)
        yield cas_to_document(cas, f, options)
    if types is None:
        options.warn(f"{folder}: no TypeSystem.xml; types read as DKPro Core declares them and "
                     "as the files show them (a number-like text value may read as a number)")


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
        yield from read_folder(path, options)

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        from annotator.core.text import TakenNames, safe_filename

        plan, docs, total = plan_and_stream(docs)
        layers = set(options.layers) if options.layers is not None else None
        summary = ExportSummary()
        out.mkdir(parents=True, exist_ok=True)
        ts, schema = build_typesystem(list(plan), tagset, layers)
        ts_path = out / "TypeSystem.xml"
        ts.to_xml(ts_path)
        summary.files.append(ts_path)
        taken: set[str] = TakenNames(["TypeSystem"])
        for i, doc in enumerate(docs):
            target = out / f"{safe_filename(doc.name, taken)}.xmi"
            target.write_bytes(emit_xmi(doc, schema, layers, summary))
            summary.files.append(target)
            summary.documents += 1
            if options.progress:
                options.progress(i + 1, total)
        return summary
