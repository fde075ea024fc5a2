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

Modules: ``_xmi_names`` (names and type names), ``_xmi_read``, ``_xmi_write``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset
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
from annotator.formats._xmi_read import cas_to_document, checked_xml, load_typesystem_of, load_xmi
from annotator.formats._xmi_write import build_cas, build_typesystem
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

__all__ = ["CUSTOM", "METADATA_TYPE", "RELATION_TYPE", "STATE_TYPE", "XmiFormat", "build_cas",
           "build_typesystem", "cas_to_document", "checked_xml", "describe", "described",
           "java_name", "layer_type", "load_xmi"]


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
        ts = load_typesystem_of(folder, path)
        for f in files:
            cas, undeclared = load_xmi(f, ts)
            yield cas_to_document(cas, f, options, undeclared)

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        from annotator.core.text import TakenNames, safe_filename

        docs = list(docs)
        layers = set(options.layers) if options.layers is not None else None
        summary = ExportSummary()
        out.mkdir(parents=True, exist_ok=True)
        ts, json_features = build_typesystem(docs, tagset, layers)
        ts_path = out / "TypeSystem.xml"
        ts.to_xml(ts_path)
        summary.files.append(ts_path)
        taken: set[str] = TakenNames(["TypeSystem"])
        for i, doc in enumerate(docs):
            target = out / f"{safe_filename(doc.name, taken)}.xmi"
            build_cas(doc, ts, json_features, layers, summary).to_xmi(target)
            summary.files.append(target)
            summary.documents += 1
            if options.progress:
                options.progress(i + 1, len(docs))
        return summary
