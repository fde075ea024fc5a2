"""INCEpTION project archives, both ways (format name ``inception``).

Export writes the ZIP INCEpTION's "Import project" takes: ``exportedproject.json`` (layers,
features and tag sets as INCEpTION builds layers made in its UI, see
:mod:`annotator.formats._xmi_layers`; documents; one annotation document per annotator and
document; permissions), ``source/<document>`` (UIMA XMI, INCEpTION format ``xmi``) and, per
annotator, ``annotation/<document>/<annotator>.zip`` holding ``<document>.xmi`` and
``typesystem.xml`` — the layout INCEpTION itself writes when a project is exported with the
format "UIMA CAS XMI". INCEpTION loads annotators' work on import only from its own
Java-serialised CAS files (``annotation_ser/…/*.ser``), which no program outside Java writes;
so the source XMI carries the spans too when one annotator made them all (INCEpTION then shows
them to every annotator as pre-annotations), and otherwise the text only, with a warning.

Import reads such an archive (or the folder it unpacks to) as ONE set of documents whose spans
keep their annotator: each ``annotation/<document>/<user>.(zip|xmi)`` (and ``curation/…``) is
read with the XMI reader and its spans get ``user`` as annotator, ready for
``annotator agree``. A document without per-user XMI takes the spans of its source XMI, a
plain-text source its text. What cannot be read — ``.ser`` files, sources in other formats —
is counted in one warning. Nested ZIP files go through the same extraction caps as any
archive (:mod:`annotator.formats._archive`).
"""

from __future__ import annotations

import json
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register


def find_project_json(folder: Path) -> Path | None:
    found = sorted(p for p in folder.glob("exportedproject*.json") if p.is_file())
    return found[0] if found else None


@register
class InceptionFormat(Format):
    name = "inception"
    label = "INCEpTION project archive (.zip)"
    extensions = ()
    can_read = True
    can_write = True
    directory = True  # read as the folder the archive unpacks to
    archive = True  # written as one .zip file

    def sniff_directory(self, path: Path) -> bool:
        return find_project_json(path) is not None

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        from annotator.formats._inception_read import read_project

        if path.is_file() and path.suffix.lower() == ".zip":
            from annotator.formats._archive import safe_extract

            with tempfile.TemporaryDirectory(prefix="annotator-inception-") as tmp:
                yield from read_project(safe_extract(path, Path(tmp)), options)
            return
        yield from read_project(path, options)

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        from annotator.core.text import TakenNames, safe_filename
        from annotator.formats._inception_json import project_json
        from annotator.formats._xmi_emit import emit_xmi
        from annotator.formats._xmi_write import build_typesystem

        docs = list(docs)
        layers = set(options.layers) if options.layers is not None else None
        summary = ExportSummary()
        ts, schema = build_typesystem(docs, tagset, layers)
        ts_xml = ts.to_xml().encode("utf-8")
        taken: set[str] = TakenNames([])
        names = [safe_filename(d.name, taken) for d in docs]
        users_of = [sorted({s.annotator or "annotator" for s in d.spans}
                           | {a.annotator or "annotator" for a in d.doc_annotations})
                    for d in docs]
        shared = sum(1 for u in users_of if len(u) > 1)
        entries: list[tuple[str, bytes]] = []
        annotations: list[tuple[str, str, str]] = []
        for i, (doc, name) in enumerate(zip(docs, names, strict=True)):
            users = users_of[i]
            source = doc if len(users) <= 1 else CorpusDocument(
                name=doc.name, title=doc.title, text=doc.text, meta=doc.meta, status=doc.status)
            entries.append((f"source/{name}", emit_xmi(source, schema, layers,
                                                       ExportSummary())))
            for user in users:
                part = _only(doc, user)
                inner = _zip([(f"{name}.xmi", emit_xmi(part, schema, layers, summary)),
                              ("typesystem.xml", ts_xml)])
                path_user = safe_filename(user, set())  # a name with "/" stays one entry
                entries.append((f"annotation/{name}/{path_user}.zip", inner))
                annotations.append((name, user, doc.status))
            summary.documents += 1
            if options.progress:
                options.progress(i + 1, len(docs))
        stamp = int(time.time() * 1000)
        project = out.stem or "annotator"
        meta = project_json(project, schema, tagset, [(n, d.status) for n, d in
                                                      zip(names, docs, strict=True)],
                            annotations, stamp)
        entries.insert(0, ("exportedproject.json",
                           json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8")))
        out.write_bytes(_zip(entries))
        summary.files.append(out)
        if shared:
            summary.warnings.append(
                f"{shared} document(s) annotated by several annotators: INCEpTION's project "
                "import reads annotators' work only from its Java-serialised CAS, so their "
                "spans are in annotation/<document>/<annotator>.zip (XMI) and the source "
                "documents hold the text only")
        return summary


def _only(doc: CorpusDocument, user: str) -> CorpusDocument:
    spans = [s for s in doc.spans if (s.annotator or "annotator") == user]
    keys = {s.key for s in spans}
    return CorpusDocument(name=doc.name, title=doc.title, text=doc.text, meta=doc.meta,
                          status=doc.status, spans=spans,
                          relations=[r for r in doc.relations if r.source in keys],
                          doc_annotations=[a for a in doc.doc_annotations
                                           if (a.annotator or "annotator") == user])


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


__all__ = ["InceptionFormat", "find_project_json"]
