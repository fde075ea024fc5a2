"""brat standoff: a folder of ``NAME.txt`` + ``NAME.ann`` pairs plus ``annotation.conf``.

Follows https://brat.nlplab.org/standoff.html. Offsets count code points over the ``.txt``
file, which is written byte for byte as the stored text (UTF-8, ``\\n``).

Names. brat type, relation and attribute names may not contain spaces or the configuration's
separators, so our names are escaped reversibly (:func:`annotator.formats._common.escape_name`,
delimiter ``-``): letters, digits and ``_`` stay, any other character ``c`` becomes
``-<hex of c>-``. An entity type is ``<layer>--<label>`` (the empty group ``--`` separates), e.g.
``attribution--source``. A type that does not decode this way (another tool's ``Organization``)
is a label of the default tagset layer naming it, else of layer ``imported``.

Lines written::

    T1<TAB>hedging--hedge 10 21;35 50<TAB>fragment texts joined by one space
    A1<TAB>negated T1                    binary attribute: value True
    A2<TAB>certainty T1 possible         valued attribute, value escaped like names
    R1<TAB>attributed_to Arg1:T3 Arg2:T4
    #1<TAB>AnnotatorNotes T1<TAB>note    (\\n and \\\\ in notes escaped as \\n and \\\\)

A value that is not a non-empty string (``False``, a number, a list, ``""``) is written as
``-j-`` followed by its escaped JSON. An attribute whose values are all ``True`` is binary.
brat has no relation attributes and no per-span annotator: those are not written (relation
attributes are counted as dropped). In the text field, newlines and tabs show as spaces.

Reading accepts T, R, A/M and ``#`` AnnotatorNotes lines, in any order; E (event), N
(normalisation) and ``*`` (equivalence) lines, attributes on those, and notes on them or on
relations, are skipped and counted in one warning per file; an attribute on a relation becomes
a relation attribute. ``\\r\\n`` in a ``.txt`` is normalised and the
offsets moved with it; so is a byte-order mark (brat's offsets count it, see ``_brat_read``).
A ``.txt`` or ``.ann`` over the per-document size limit is refused.

Modules: :mod:`~annotator.formats._brat_names` (names and values), ``_brat_read``, ``_brat_write``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
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
from annotator.formats._brat_write import write_corpus
from annotator.formats._common import NewlineMap
from annotator.formats._textfile import check_size, read_file_bytes
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

__all__ = ["BratFormat", "decode_entity_type", "decode_name", "decode_value", "encode_name",
           "encode_value", "entity_type"]


def _read_txt(path: Path) -> str:
    from annotator.core.text import decode_bytes

    check_size(path)
    data = read_file_bytes(path)  # a regular file only: a FIFO would hang the import
    text = decode_bytes(data, path, encoding="utf-8")[0]
    return "\ufeff" + text if data.startswith(b"\xef\xbb\xbf") else text  # brat counts it


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
        """Every ``.txt`` under ``path`` with its ``.ann`` (missing = no annotations)."""
        if path.is_file():
            pairs = [path.with_suffix(".txt")]
            if not pairs[0].exists():
                raise BadInputError("no .txt file next to this .ann file", path=path)
        else:
            hidden = {p for p in path.rglob("*")
                      if any(part.startswith(".") for part in p.relative_to(path).parts)}
            pairs = sorted(p for p in path.rglob("*.txt") if p not in hidden)
            for ann in sorted(path.rglob("*.ann")):
                if ann not in hidden and not ann.with_suffix(".txt").exists():
                    raise BadInputError("no .txt file for this .ann file", path=ann)
        for txt in pairs:
            raw = _read_txt(txt)
            ann = txt.with_suffix(".ann")
            if ann.exists():
                check_size(ann)
                spans, relations = parse_ann(ann, raw, options)
            else:
                spans, relations = [], []
            yield CorpusDocument(name=txt.stem, title=txt.stem,
                                 text=NewlineMap(raw.removeprefix("\ufeff")).text,
                                 spans=spans, relations=relations, source_path=str(ann))

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        return write_corpus(docs, out, tagset, options)
