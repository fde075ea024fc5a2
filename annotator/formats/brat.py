"""brat standoff: a folder of ``NAME.txt`` + ``NAME.ann`` pairs plus ``annotation.conf``.

Follows https://brat.nlplab.org/standoff.html and brat's own reader (``server/src/annotation.py``).
Offsets count code points over the ``.txt`` file, which is kept and written byte for byte as the
stored text (UTF-8, ``\\r\\n`` included).

How brat's annotations live in the project:

* ``T`` (text-bound): a span. Its type is the label; the layer is the default tagset's layer
  holding that label, else ``imported`` (our own ``<layer>--<label>`` types read back as they
  were written; see :mod:`~annotator.formats._brat_names`).
* ``E`` (event) ``E1<TAB>Type:T1 Theme:T2 Cause:E2``: a span over the trigger's text with the
  event's type as label and attribute ``brat_id`` = ``E1``, plus one relation per argument from
  that span, named by the role (``Theme``, ``Cause``), to the argument's span (an entity or
  another event's span). A trigger that nothing else names is not a span of its own: the
  event's span stands for it (the trigger's id is kept in the document's metadata).
* ``R``: a relation (``Arg1`` → ``Arg2``); other role names are kept in ``brat_roles``. Ends
  may be events.
* ``A``/``M`` attributes (binary: ``True``; valued: the value) on an entity, event or relation;
  ``#`` ``AnnotatorNotes``: the span's note (entity or event).
* What the model has no place for is kept verbatim in the document's metadata (``meta["brat"]``)
  and written back on brat export: ``*`` equivalences, ``N`` normalisations, other ``#``
  comments (on relations, of another type, a second note). The annotations they name keep
  their brat id (attribute ``brat_id``), so the lines still point at them; so do exact copies
  of a span, which would otherwise be stored once. The import says what was kept, by kind.
* ``annotation.conf``, ``visual.conf``, ``tools.conf`` and ``kb_shortcuts.conf`` (brat's
  lookup: the nearest folder up to the imported one) are kept in each document's metadata and
  written back on export; types the export uses that the kept ``annotation.conf`` does not
  declare are added to its sections. A conf Annotator wrote itself is made anew.

Export writes the same ids where ``brat_id`` says so (new ids for the rest), the original type,
role and attribute names, events as ``E`` lines with their trigger ``T`` lines, attributes on
relations, and the kept lines whose annotations are all still exported (the others are
counted as dropped). A value that is not a non-empty string (``False``, a number, a list) is
written as ``-j-`` followed by its escaped JSON. Newlines and tabs in notes are written ``\\n``
and ``\\t``. A ``.txt`` or ``.ann`` over the per-document size limit is refused.

Modules: :mod:`~annotator.formats._brat_names` (names and values), ``_brat_read``, ``_brat_write``.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.tagset import Tagset
from annotator.formats._brat_names import (
    decode_entity_type,
    decode_name,
    decode_value,
    encode_name,
    encode_value,
    entity_type,
)
from annotator.formats._brat_read import parse_ann
from annotator.formats._brat_write import CONF_FILES, GENERATED_MARK, write_corpus
from annotator.formats._textfile import read_file_bytes
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

__all__ = ["BratFormat", "decode_entity_type", "decode_name", "decode_value", "encode_name",
           "encode_value", "entity_type"]


# control characters (Unicode category Cc) other than those plain text holds
_ODD_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")


def _pairs(folder: Path) -> tuple[list[Path], set[Path]]:
    """The ``.txt`` files under ``folder`` (sorted) and the ``.ann`` files, hidden ones (a
    part of the path starting with ``.``) left out; an ``.ann`` without its ``.txt`` refused."""
    txts: list[Path] = []
    anns: set[Path] = set()
    for here, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        base = Path(here)
        for name in files:
            if name.startswith("."):
                continue
            if name.endswith(".txt"):
                txts.append(base / name)
            elif name.endswith(".ann"):
                anns.add(base / name)
    txts.sort()
    have = set(txts)
    for ann in sorted(anns):
        if ann.with_suffix(".txt") not in have:
            raise BadInputError("no .txt file for this .ann file", path=ann)
    return txts, anns


def _read_txt(path: Path) -> str:
    from annotator.core.text import decode_bytes

    data = read_file_bytes(path)  # a regular file only (a FIFO would hang); size limited
    try:  # the common case, quickly: valid UTF-8 without a control character
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        if not text or _ODD_CONTROL.search(text):
            raise ValueError
    except ValueError:  # the full check, with its messages (empty, binary, not UTF-8)
        text = decode_bytes(data, path, encoding="utf-8")[0]
    return "\ufeff" + text if data.startswith(b"\xef\xbb\xbf") else text  # brat counts it


class _ConfFiles:
    """brat's configuration files as brat finds them: for each file name, the nearest folder
    from the document's up to the imported folder that has one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[Path, dict[str, str]] = {}

    def for_folder(self, folder: Path) -> dict[str, str]:
        if folder in self.cache:
            return self.cache[folder]
        found = dict(self.for_folder(folder.parent)) if folder != self.root and \
            folder.is_relative_to(self.root) else {}
        for name in CONF_FILES:
            conf = folder / name
            if conf.is_file():
                text = _read_txt(conf).removeprefix("\ufeff")
                if text.startswith(GENERATED_MARK):
                    found.pop(name, None)  # ours: made anew on export
                else:
                    found[name] = text
        self.cache[folder] = found
        return found


@register
class BratFormat(Format):
    name = "brat"
    label = "brat standoff (folder of .txt + .ann)"
    extensions = (".ann",)
    can_read = True
    can_write = True
    directory = True

    def sniff_directory(self, path: Path) -> bool:
        return any(p.suffix == ".ann" for p in path.rglob("*.ann"))

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        """Every ``.txt`` under ``path`` with its ``.ann`` (missing = no annotations).

        The folder is read whole before the first document is given (the caller keeps them
        all anyway: an import is all or nothing), with the cyclic garbage collector paused:
        the records made hold no cycles, and its passes over 80,000 new spans cost a third of
        the reading time."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            docs = list(self._read(path, options))
        finally:
            if enabled:
                gc.enable()
        yield from docs

    def _read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        if path.is_file():
            pairs = [path.with_suffix(".txt")]
            if not pairs[0].exists():
                raise BadInputError("no .txt file next to this .ann file", path=path)
            anns = {path} if path.suffix == ".ann" else set()
            if path.suffix != ".ann" and path.with_suffix(".ann").exists():
                anns.add(path.with_suffix(".ann"))
        else:
            pairs, anns = _pairs(path)
        root = path if path.is_dir() else path.parent
        confs = _ConfFiles(root)
        counts: dict[str, int] = {}
        for txt in pairs:
            raw = _read_txt(txt)
            ann = txt.with_suffix(".ann")
            meta: dict[str, Any] = {}
            spans: list[SpanRecord] = []
            relations: list[RelationRecord] = []
            if ann in anns:
                parsed = parse_ann(ann, raw, options)
                spans, relations = parsed.spans, parsed.relations
                meta.update(parsed.kept)
                for kind, n in parsed.counts.items():
                    counts[kind] = counts.get(kind, 0) + n
            conf = confs.for_folder(txt.parent)
            if conf:
                meta["conf"] = conf
            yield CorpusDocument(name=txt.stem, title=txt.stem, text=raw.removeprefix("\ufeff"),
                                 meta={"brat": meta} if meta else {}, spans=spans,
                                 relations=relations, source_path=str(ann))
        if counts:
            listed = ", ".join(f"{n} {kind} line(s)" for kind, n in sorted(counts.items()))
            options.warn(f"{path}: kept {listed} in the documents' metadata: not shown in "
                         "Annotator, written back on brat export")

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        return write_corpus(docs, out, tagset, options)
