"""``annotator import``: documents (streamed, checked in full before the project is written)
or a REFI-QDA codebook into a project."""

from __future__ import annotations

import argparse
from pathlib import Path

from annotator.cli_support import Progress, _open, _say
from annotator.console import json_text
from annotator.core.errors import BadInputError


def cmd_import(args: argparse.Namespace) -> int:
    from annotator.core.staged_import import import_streamed
    from annotator.core.storage.postgres import is_url
    from annotator.formats.reading import iter_documents

    codebooks = [p for p in args.paths if args.format == "refi-qdc"
                 or (args.format == "auto" and p.lower().endswith(".qdc"))]
    if codebooks:
        return _import_codebooks(args, codebooks)
    # read and checked in full, batch by batch, before the project is opened for writing:
    # memory stays bounded, and bad input anywhere leaves the file byte-identical
    progress = Progress("importing")
    notes: list[str] = []  # said after reading, or folded into the refusal below
    one = args.paths[0] if len(args.paths) == 1 else None

    def read(annotator: str):  # noqa: ANN202 - an iterator of CorpusDocument
        count = 0
        for doc in iter_documents(args.paths, args.format, annotator, notes.append,
                                  encoding=args.encoding, text_column=args.text_column):
            count += 1
            yield doc
        if not count:  # files read, every document in them skipped
            why = "; ".join(n.removeprefix(f"{one}: ") for n in notes)
            notes.clear()
            raise BadInputError(f"nothing to import: every document was skipped ({why})" if why
                                else "nothing to import: no document found in it", path=one)

    try:
        if is_url(args.project):  # a server: one server transaction, rolled back on bad input
            with _open(args.project) as p:
                result = p.import_documents(read(p.annotator), progress=progress)
        else:
            with _open(args.project, readonly=True) as p:  # a project, before anything is read
                result = import_streamed(p, read, progress=progress)
    finally:
        progress.finish()
        for note in notes:
            _say(note)
    for msg in result.skipped + result.extended:
        _say(msg)
    if result.labels_added:
        _say("added to the tagset: " + ", ".join(result.labels_added))
    if result.identical:
        _say(f"{result.identical} exact copies of a span (same annotator, layer, label, "
             "fragments, attributes and note) were stored once")
    if args.json:
        print(json_text({"added": result.added, "skipped": len(result.skipped),
                          "spans": result.spans, "relations": result.relations,
                          "labels_added": result.labels_added,
                          "identical": result.identical,
                          "doc_annotations": result.doc_annotations}))
    else:
        docs_level = (f", {result.doc_annotations} document annotation(s)"
                      if result.doc_annotations else "")
        print(f"imported {len(result.added)} document(s), {result.spans} span(s), "
              f"{result.relations} relation(s){docs_level}; skipped {len(result.skipped)}")
    return 0


def _import_codebooks(args: argparse.Namespace, codebooks: list[str]) -> int:
    """REFI-QDA ``.qdc`` codebooks: their codes become labels of the project's tagset (no
    documents). Alone in an import; every code already a label is refused as nothing to do."""
    from annotator.formats._refi_read import merge_codebook

    if len(codebooks) != len(args.paths):
        raise BadInputError("a .qdc codebook is imported on its own (its codes go into the "
                            "tagset): give the documents in another import", path=codebooks[0])
    with _open(args.project, readonly=True) as p:
        tagset = p.tagset
        added: list[str] = []
        for raw in codebooks:
            path = Path(raw)
            if not path.is_file():
                raise BadInputError("not a .qdc file (give the codebook file itself)", path=path)
            added += merge_codebook(tagset, path)
    if not added:
        raise BadInputError("nothing to import: every code of the codebook is already a label "
                            "of the project's tagset", path=codebooks[0])
    with _open(args.project) as p:
        p.set_tagset(tagset)
    shown = ", ".join(added[:20]) + (f" … and {len(added) - 20} more" if len(added) > 20 else "")
    _say(f"added to the tagset: {shown}")
    print(json_text({"labels_added": added}) if args.json else
          f"imported {len(added)} code(s) into the tagset as labels; no documents")
    return 0
