"""Reading MPQA opinion corpus files (2.0 and 3.0). Not a format: see
:mod:`annotator.formats.mpqa` for the mapping onto the tagset.

Layout (the corpus README, section 7): ``docs/<parent>/<docleaf>`` holds a document's text and
``man_anns/<parent>/<docleaf>/gateman.mpqa.lre.2.0`` (or ``.3.0``) its annotations. An annotation
line (section 8) is ``id<TAB>start,end<TAB>string<TAB>GATE_type<TAB>attributes`` in 2.0; the
3.0 release drops the ``string`` column and the ``GATE_`` prefix
(``id<TAB>start,end<TAB>type<TAB>attributes``). Both are read. Offsets are bytes of the
document file, end exclusive; attributes are ``name="value"`` pairs separated by spaces. Lines
starting with ``#`` are comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.formats._control import check_name, check_text
from annotator.formats._textfile import read_file_bytes

GATEMAN = re.compile(r"gateman\.mpqa\.lre\.([0-9]+\.[0-9]+)")
_ATTR = re.compile(r'\s*([A-Za-z][\w.-]*)="([^"]*)"')
_SPAN = re.compile(r"([0-9]{1,12}),([0-9]{1,12})")
#: span attributes: every MPQA attribute as PREFIX + its name; the annotation type as TYPE_KEY
PREFIX = "mpqa_"
TYPE_KEY = "mpqa_annotation"
POLARITY = {"positive": "favour", "negative": "against", "neutral": "neutral"}
INTENSITY = {"low": "low", "medium": "medium", "high": "high", "extreme": "high"}


def attitude_polarity(kind: str) -> str | None:
    """The tagset polarity of an MPQA ``attitude-type`` (``sentiment-pos`` → favour)."""
    return "favour" if kind.endswith("-pos") else "against" if kind.endswith("-neg") else None


@dataclass
class Line:
    """One annotation line; ``start``/``end`` in code points of the document's text."""

    number: int
    line_id: str
    type: str
    start: int
    end: int
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class MpqaDocument:
    name: str  # parent/docleaf
    text: str
    encoding: str
    version: str
    lines: list[Line]
    gateman: Path


def attributes(raw: str, path: Path, number: int) -> dict[str, str]:
    out: dict[str, str] = {}
    pos = 0
    for m in _ATTR.finditer(raw):
        if raw[pos:m.start()].strip():
            break
        if m.group(1) in out:
            raise BadInputError(f"attribute {m.group(1)!r} is given twice", path=path,
                                line=number)
        out[m.group(1)] = check_name(m.group(2), f"attribute {m.group(1)}", path, number)
        pos = m.end()
    if raw[pos:].strip():
        raise BadInputError(f"cannot read the attributes from {raw[pos:pos + 30]!r} (expected "
                            'name="value" pairs)', path=path, line=number)
    return out


def decode_document(data: bytes, path: Path) -> tuple[str, str, list[int] | None]:
    """The text, its encoding, and byte offset → code point (None when they are the same)."""
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    if len(text) == len(data):
        return text, encoding, None
    table = [-1] * (len(data) + 1)
    pos = 0
    for i, ch in enumerate(text):
        table[pos] = i
        pos += len(ch.encode(encoding, "surrogatepass"))
    table[pos] = len(text)
    return text, encoding, table


def read_gateman(gateman: Path, doc_path: Path, name: str) -> MpqaDocument:
    data = read_file_bytes(doc_path)
    text, encoding, table = decode_document(data, doc_path)
    check_text(text, "the document", doc_path)
    m = GATEMAN.fullmatch(gateman.name)
    version = m.group(1) if m else "?"
    try:
        content = read_file_bytes(gateman).decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise BadInputError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                            path=gateman) from None
    lines: list[Line] = []
    for number, raw in enumerate(content.split("\n"), start=1):
        raw = raw.removesuffix("\r")
        if not raw.strip() or raw.startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) >= 4 and fields[2] == "string":
            del fields[2]  # 2.0: the data_type column
        if len(fields) < 3 or not fields[2].strip():
            raise BadInputError("expected id<TAB>start,end<TAB>[string<TAB>]type<TAB>attributes",
                                path=gateman, line=number)
        span = _SPAN.fullmatch(fields[1].strip())
        if span is None:
            raise BadInputError(f"span {fields[1][:30]!r} is not START,END", path=gateman,
                                line=number)
        start, end = int(span.group(1)), int(span.group(2))
        if not 0 <= start <= end <= len(data):
            raise BadInputError(f"span {start},{end} does not fit {doc_path.name} "
                                f"(0..{len(data)} bytes)", path=gateman, line=number)
        if table is not None:
            start, end = table[start], table[end]
            if start < 0 or end < 0:
                raise BadInputError(f"span {fields[1].strip()} cuts a character of "
                                    f"{doc_path.name} ({encoding})", path=gateman, line=number)
        kind = check_name(fields[2].strip().removeprefix("GATE_"), "annotation type", gateman,
                          number)
        attrs = attributes("\t".join(fields[3:]), gateman, number)
        lines.append(Line(number, fields[0].strip(), kind, start, end, attrs))
    return MpqaDocument(name, text, encoding, version, lines, gateman)


def _pick(folder: Path, notes: dict[str, int]) -> Path | None:
    """The newest ``gateman.mpqa.lre.X`` of a document's annotation folder."""
    found = sorted((tuple(int(x) for x in m.group(1).split(".")), p)
                   for p in folder.iterdir() if p.is_file() and (m := GATEMAN.fullmatch(p.name)))
    for _, older in found[:-1]:
        notes[f"older {older.name} files (a newer version is read)"] = notes.get(
            f"older {older.name} files (a newer version is read)", 0) + 1
    for other in folder.iterdir():
        if other.name.startswith(("gatesentences.", "answer.")):
            what = "sentence files (gatesentences)" if other.name.startswith("gate") else \
                "OpQA answer files"
            notes[f"{what} not read"] = notes.get(f"{what} not read", 0) + 1
    return found[-1][1] if found else None


def database_root(path: Path) -> Path | None:
    """The folder holding ``docs`` and ``man_anns``: ``path`` itself or a child of it."""
    for cand in (path, *sorted(p for p in path.iterdir() if p.is_dir())):
        if (cand / "docs").is_dir() and (cand / "man_anns").is_dir():
            return cand
    return None


def find_documents(path: Path, notes: dict[str, int]) -> list[tuple[Path, Path, str]]:
    """(gateman file, document file, name) for a database folder, a gateman file in the
    corpus layout, or a folder (or a gateman file) next to a single text file."""
    if path.is_file():
        folder = path.parent
        if GATEMAN.fullmatch(path.name) and folder.parent.parent.name == "man_anns":
            root = folder.parent.parent.parent
            doc = root / "docs" / folder.parent.name / folder.name
            if doc.is_file():
                return [(path, doc, f"{folder.parent.name}/{folder.name}")]
        if not GATEMAN.fullmatch(path.name):
            raise BadInputError("give an MPQA database folder (docs/ and man_anns/), a "
                                "gateman.mpqa.lre.* file, or a folder holding one document "
                                "and its gateman file", path=path)
        return _side_by_side(folder, path)
    found_root = database_root(path)
    if found_root is None:
        alone = _pick(path, notes)
        if alone is None:
            raise BadInputError("no MPQA layout here: neither docs/ and man_anns/ folders nor a "
                                "gateman.mpqa.lre.* file", path=path)
        return _side_by_side(path, alone)
    root = found_root
    out = []
    anns = root / "man_anns"
    for parent in sorted(p for p in anns.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for leaf in sorted(p for p in parent.iterdir() if p.is_dir()):
            gateman = _pick(leaf, notes)
            if gateman is None:
                continue
            doc = root / "docs" / parent.name / leaf.name
            if not doc.is_file():
                if doc.exists():
                    read_file_bytes(doc)  # refused, saying what it is (a FIFO, a folder…)
                raise BadInputError(f"no document docs/{parent.name}/{leaf.name} for these "
                                    "annotations", path=gateman)
            out.append((gateman, doc, f"{parent.name}/{leaf.name}"))
    return out


def _side_by_side(folder: Path, gateman: Path) -> list[tuple[Path, Path, str]]:
    texts = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "gate",
                                                                                    "answer."))]
    if len(texts) != 1:
        raise BadInputError(f"expected the document next to {gateman.name}: one other file in "
                            f"the folder, found {len(texts)}", path=folder)
    return [(gateman, texts[0], texts[0].name)]
