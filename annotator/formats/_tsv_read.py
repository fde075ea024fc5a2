"""Reading WebAnno TSV 3.x (3.2 and 3.3 escaping): one file is one document.

Not a format: the registry skips modules whose name starts with ``_``. See
:mod:`annotator.formats.webanno_tsv` for what is read and how it maps onto spans and relations.
The parsing follows the published format description and INCEpTION's reader behaviour (its
files are the test suite); this is our own code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.core.offsets import OffsetMap
from annotator.formats._tsv_map import Mapper
from annotator.formats._tsv_names import (
    split_unescaped,
    suffix_id,
    unescape_text,
    unescape_value,
)
from annotator.formats.registry import ReadOptions

_FORMAT = re.compile(r"#FORMAT=(.*) (\d+)\.(\d+)")
_CHAIN = re.compile(r"^(.*)(?<!\\)->(\d+)-(\d+)$")
_UNIT = re.compile(r"\d+-\d+(?:\.\d+)?")
ANY = "uima.tcas.Annotation"


@dataclass
class Column:
    layer: Layer
    kind: str  # prim, placeholder, role, target, ref, link, type
    feature: str = ""
    hint: str = ""  # target type of a slot or relation


@dataclass
class Layer:
    kind: str  # span, relation, chain
    type_name: str
    columns: list[Column] = field(default_factory=list)


@dataclass
class Ann:
    layer: Layer
    begin: int  # UTF-16
    end: int
    line: int
    feats: dict[str, str] = field(default_factory=dict)
    roles: dict[str, list[str | None]] = field(default_factory=dict)
    targets: dict[str, list[str]] = field(default_factory=dict)
    key: str = ""


@dataclass
class Rel:
    layer: Layer
    unit: str
    line: int
    feats: dict[str, str] = field(default_factory=dict)
    source: str = ""
    ids: tuple[int, int] = (0, 0)


class TsvReader:
    """One file's parse: header, sentences and tokens, then annotations."""

    def __init__(self, path: Path, source: str, options: ReadOptions) -> None:
        self.path, self.options = path, options
        self.lines = source.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.layers: list[Layer] = []
        self.columns: list[Column] = []
        self.units: dict[str, tuple[int, int, int, str]] = {}  # id -> begin, end, line, text
        self.at: dict[tuple[str, str], list[Ann]] = {}  # (unit, type) -> stack
        self.by_id: dict[int, Ann] = {}
        self.chains: dict[tuple[str, int, int], Ann] = {}
        self.anns: list[Ann] = []
        self.rels: dict[tuple[str, str], list[Rel]] = {}
        self.deferred_types: list[tuple[str, Column, int, str]] = []
        self.dropped: dict[str, int] = {}
        self.version = (3, 3)

    def fail(self, message: str, line: int | None) -> BadInputError:
        return BadInputError(message, path=self.path, line=line)

    def drop(self, what: str, n: int = 1) -> None:
        self.dropped[what] = self.dropped.get(what, 0) + n

    # ------------------------------------------------------------------ header
    def header(self) -> int:
        m = _FORMAT.fullmatch(self.lines[0].lstrip("\ufeff")) if self.lines else None
        if not m or not m.group(1).startswith("WebAnno TSV"):
            raise self.fail("not a WebAnno TSV file (the first line must be "
                            "'#FORMAT=WebAnno TSV 3.3')", 1)
        self.version = (int(m.group(2)), int(m.group(3)))
        if self.version[0] != 3 or self.version[1] < 2:
            raise self.fail(f"WebAnno TSV {m.group(2)}.{m.group(3)} is not read (3.2 and 3.3 "
                            "are); export it from INCEpTION again as WebAnno TSV 3.3", 1)
        n = 1
        kinds = {"#T_SP=": "span", "#T_RL=": "relation", "#T_CH=": "chain"}
        while n < len(self.lines) and self.lines[n].strip():
            line = self.lines[n]
            kind = kinds.get(line[:6])
            if kind is None:
                break
            fields = [f for f in line[6:].split("|")]
            if not fields[0]:
                raise self.fail("a layer declaration without a type name", n + 1)
            layer = Layer(kind, fields[0])
            self.layers.append(layer)
            decls = [f for f in fields[1:] if f]
            if not decls:
                layer.columns.append(Column(layer, "placeholder"))
            for decl in decls:
                layer.columns.append(self._column(layer, decl, n + 1))
            self.columns += layer.columns
            n += 1
        return n

    def _column(self, layer: Layer, decl: str, line: int) -> Column:
        prev = layer.columns[-1] if layer.columns else None
        if layer.kind == "span" and decl.startswith("ROLE_"):
            parts = decl.split("_", 2)
            if len(parts) < 3 or ":" not in parts[1]:
                raise self.fail(f"slot column {decl!r} is not ROLE_type:feature_linktype", line)
            return Column(layer, "role", parts[1].split(":", 1)[1], parts[2])
        if layer.kind == "relation" and decl.startswith("BT_"):
            return Column(layer, "ref", "", decl[3:])
        if layer.kind == "chain" and decl == "referenceType":
            return Column(layer, "type", decl)
        if layer.kind == "chain" and decl == "referenceRelation":
            return Column(layer, "link", decl)
        if layer.kind == "span" and "." in decl:
            if prev is None or prev.kind != "role":
                raise self.fail(f"slot target column {decl!r} does not follow a ROLE_ column",
                                line)
            return Column(layer, "target", prev.feature, decl)
        return Column(layer, "prim", decl)

    # ------------------------------------------------------------------ body
    def body(self, n: int) -> str:
        """Reads sentences and tokens from line index ``n``; returns the rebuilt text."""
        text: list[str] = []
        tlen = 0  # UTF-16 length of the text so far
        sentence: list[str] = []
        in_tokens = False
        token = ""
        width = len(self.columns) + 3
        for idx in range(n, len(self.lines)):
            line, no = self.lines[idx], idx + 1
            if not line:
                if in_tokens:
                    in_tokens = False
                continue
            if line.startswith("#") and not in_tokens:
                if line.startswith("#Text="):
                    sentence.append(unescape_text(line[6:]))
                elif line.startswith("#Sentence.id="):
                    self.drop("sentence id")
                else:
                    self.drop("comment line")
                continue
            fields = line.split("\t")
            if len(fields) < width:
                raise self.fail(f"a token line needs {width} columns for this header, found "
                                f"{len(fields)}", no)
            uid, offsets = fields[0], fields[1].split("-")
            if not _UNIT.fullmatch(uid) or len(offsets) != 2 or not all(
                    o.isdigit() for o in offsets):
                raise self.fail(f"not a token line (id {uid[:20]!r}, offsets "
                                f"{fields[1][:20]!r})", no)
            begin, end = int(offsets[0]), int(offsets[1])
            if end < begin:
                raise self.fail(f"token offsets {begin}-{end} end before they begin", no)
            if uid in self.units:
                raise self.fail(f"token {uid} appears twice", no)
            if not in_tokens:
                if "." in uid:
                    raise self.fail("a sentence starts with a sub-token", no)
                if not sentence:
                    raise self.fail("tokens without a #Text= line before them", no)
                stext = "\n".join(sentence) + "\n"
                sentence = []
                if tlen > begin:  # no gap: the line feed after the last sentence goes
                    if tlen != begin + 1 or not text or not text[-1].endswith("\n"):
                        raise self.fail(f"the sentence starts at {begin}, inside the text of "
                                        "the sentence before it", no)
                    text[-1] = text[-1][:-1]
                    tlen -= 1
                elif tlen < begin:  # a gap: filled as INCEpTION fills it
                    text.append(" " * (begin - tlen))
                    tlen = begin
                text.append(stext)
                tlen += len(stext.encode("utf-16-le")) // 2
                in_tokens = True
            if "." in uid and not uid.startswith(token + "."):
                raise self.fail(f"sub-token {uid} does not follow its token", no)
            if "." not in uid:
                token = uid
            self.units[uid] = (begin, end, no, unescape_text(fields[2]))
            for col, cell in zip(self.columns, fields[3:width], strict=True):
                if cell != "_":
                    for k, value in enumerate(split_unescaped(cell, "|")):
                        self._cell(col, uid, begin, end, k, value, no)
        if sentence:
            self.drop("sentence without tokens (its text is not placed)")
        out = "".join(text)
        return out[:-1] if out.endswith("\n") else out

    def _cell(self, col: Column, uid: str, begin: int, end: int, k: int, value: str,
              no: int) -> None:
        layer = col.layer
        ident: str | None = None
        if col.kind != "target":
            value, ident = suffix_id(value)
        if layer.kind == "relation":
            stack = self.rels.setdefault((uid, layer.type_name), [])
            while len(stack) <= k:
                stack.append(Rel(layer, uid, no))
            rel = stack[k]
            if col.kind == "ref":
                rel.source = value
                if ident is not None:
                    ids = ident.split("_")
                    if len(ids) != 2 or not all(i.isdigit() for i in ids):
                        raise self.fail(f"relation reference [{ident}] is not [N_M]", no)
                    rel.ids = (int(ids[0]), int(ids[1]))
            elif col.kind == "prim" and value != "*":
                rel.feats[col.feature] = unescape_value(value)
            return
        if layer.kind == "chain":
            if col.kind == "type":
                self.deferred_types.append((uid, col, k, value))
                return
            m = _CHAIN.match(value)
            if col.kind != "link" or not m:
                raise self.fail(f"chain cell {value[:30]!r} is not VALUE->CHAIN-ELEMENT", no)
            where = (layer.type_name, int(m.group(2)), int(m.group(3)))
            ann = self.chains.get(where)
            if ann is None:
                ann = self.chains[where] = self._new(layer, begin, end, no)
            else:
                ann.end = max(ann.end, end)
            self._place(uid, layer, k, ann)
            if m.group(1) != "*":
                ann.feats[col.feature] = unescape_value(m.group(1))
            return
        ann = self._span(layer, uid, begin, end, k, ident, no)
        if col.kind == "prim" and value != "*":
            ann.feats[col.feature] = unescape_value(value)
        elif col.kind == "role" and col.feature not in ann.roles:
            ann.roles[col.feature] = [None if r == "*" else unescape_value(r)
                                      for r in split_unescaped(value, ";")]
        elif col.kind == "target" and col.feature not in ann.targets:
            ann.targets[col.feature] = split_unescaped(value, ";")

    def _new(self, layer: Layer, begin: int, end: int, no: int) -> Ann:
        ann = Ann(layer, begin, end, no, key=f"t{len(self.anns) + 1}")
        self.anns.append(ann)
        return ann

    def _place(self, uid: str, layer: Layer, k: int, ann: Ann) -> None:
        stack = self.at.setdefault((uid, layer.type_name), [])
        while len(stack) < k:
            stack.append(ann)  # a gap in the stack: never referenced
        if len(stack) == k:
            stack.append(ann)

    def _span(self, layer: Layer, uid: str, begin: int, end: int, k: int,
              ident: str | None, no: int) -> Ann:
        stack = self.at.get((uid, layer.type_name), [])
        if k < len(stack):
            return stack[k]
        ann = None
        if ident is not None:
            if not ident.isdigit():
                raise self.fail(f"disambiguation id [{ident[:20]}] is not a number", no)
            ann = self.by_id.get(int(ident))
            if ann is not None:
                if ann.layer is not layer:
                    raise self.fail(f"id [{ident}] names annotations of two layers", no)
                ann.end = max(ann.end, end)
        if ann is None:
            ann = self._new(layer, begin, end, no)
            if ident is not None:
                self.by_id[int(ident)] = ann
        self._place(uid, layer, k, ann)
        return ann

    # ------------------------------------------------------------------ references
    def resolve(self, hint: str, ref: str, ident: int, no: int) -> Ann | None:
        """The annotation ``ref`` (a unit id) names, of type ``hint``; None when ``hint`` is
        not an annotation layer of this file (tokens)."""
        if ident > 0:
            ann = self.by_id.get(ident)
            if ann is None:
                raise self.fail(f"reference to id [{ident}], which no annotation has", no)
            return ann
        if ref not in self.units:
            raise self.fail(f"reference to token {ref[:20]!r}, which the file does not have", no)
        if hint == ANY:
            for layer in self.layers:
                stack = self.at.get((ref, layer.type_name))
                if stack and layer.kind == "span":
                    return stack[0]
        elif not any(lay.type_name == hint for lay in self.layers):
            return None
        stack = self.at.get((ref, hint))
        if not stack:
            raise self.fail(f"nothing of type {hint.rsplit('.', 1)[-1]} at token {ref}", no)
        return stack[0]


def read_tsv(path: Path, source: str, options: ReadOptions) -> CorpusDocument:
    """One WebAnno TSV file as a document; warns once with what it could not represent."""
    reader = TsvReader(path, source, options)
    text = reader.body(reader.header())
    if not text:
        raise reader.fail("the file has no text (no #Text= lines with tokens)", None)
    offsets = OffsetMap(text)
    for uid, (b, e, no, shown) in reader.units.items():
        if e > offsets.length_u16 or not (offsets.is_boundary_u16(b)
                                          and offsets.is_boundary_u16(e)):
            raise reader.fail(f"token {uid} offsets {b}-{e} do not fit the sentence text", no)
        covered = text[offsets.to_codepoint(b):offsets.to_codepoint(e)]
        if covered != shown:
            raise reader.fail(f"token {uid} is {shown[:30]!r} but the sentence text has "
                              f"{covered[:30]!r} at {b}-{e}", no)
    mapper = Mapper(reader, offsets, options.annotator)
    doc = CorpusDocument(name=path.stem, title=path.stem, text=text, source_path=str(path))
    doc.spans, doc.relations = mapper.build()
    dropped = {**reader.dropped, **{k: v for k, v in mapper.dropped.items()}}
    if dropped:
        listed = ", ".join(f"{n} {what}" for what, n in sorted(dropped.items()))
        options.warn(f"{path}: not represented: {listed}")
    return doc


__all__ = ["Ann", "Column", "Layer", "Rel", "TsvReader", "read_tsv"]
