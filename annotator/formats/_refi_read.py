"""Reading REFI-QDA: a ``.qdpx`` project (and the code tree of a ``.qdc`` codebook). Not a
format; see :mod:`annotator.formats.refi_qda` for the mapping."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError, TagsetError
from annotator.core.model import (
    CorpusDocument,
    DocAnnotationRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.core.tagset import Tagset
from annotator.formats._archive import safe_extract
from annotator.formats._common import check_document_size, foreign_layer, parse_safe_xml
from annotator.formats._control import check_name, check_text
from annotator.formats._textfile import read_file_bytes
from annotator.formats.registry import ReadOptions

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
OTHER_SOURCES = {"PDFSource": "PDF source", "PictureSource": "picture source",
                 "AudioSource": "audio source", "VideoSource": "video source"}
NOT_READ = {"Sets": "set", "Cases": "case", "Variables": "variable", "Graphs": "graph"}
_RGB = re.compile(r"#[0-9A-Fa-f]{6}")
_POSITION = re.compile(r"[0-9]{1,12}")
#: deepest code nesting read (real code books go a few levels down)
MAX_CODE_DEPTH = 64
#: most codable codes one ``.qdc`` may add (the tagset's look-ups are linear in its labels)
MAX_CODEBOOK_CODES = 10_000


@dataclass
class Code:
    layer: str
    label: str
    used: bool = False


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if _local(c.tag) == name]


def _guid(value: str | None) -> str:
    return (value or "").strip("{}").upper()


def code_tree(codes_el: Any, path: Path) -> dict[str, Code]:
    """GUID -> (layer, label) for every code under a ``Codes`` element. Refused: codes nested
    deeper than :data:`MAX_CODE_DEPTH` (a label path, not a recursion, must stay readable)."""
    out: dict[str, Code] = {}
    stack: list[tuple[Any, tuple[str, ...]]] = [
        (el, ()) for el in reversed(_children(codes_el, "Code"))]
    while stack:
        el, path_above = stack.pop()
        guid = _guid(el.get("guid"))
        name = check_name(el.get("name") or "", "code name", path)
        if not guid:
            raise BadInputError(f"code {name[:40]!r} has no guid: codings could not name it",
                                path=path)
        if guid in out:
            raise BadInputError(f"two codes have the guid {guid} ({out[guid].label[:40]!r} and "
                                f"{name[:40]!r}): a coding could not say which it means; "
                                "refused", path=path)
        if not name.strip():
            raise BadInputError(f"code {guid} has no name: a label needs one", path=path)
        here = (*path_above, name)
        if len(here) > MAX_CODE_DEPTH:
            raise BadInputError(f"codes nested more than {MAX_CODE_DEPTH} deep (at code "
                                f"{el.get('guid') or '(no guid)'}); refused", path=path)
        if len(here) == 1:
            code = Code(foreign_layer(name), name)
        else:
            code = Code(here[0], "/".join(here[1:]))
        out[guid] = code
        stack.extend((child, here) for child in reversed(_children(el, "Code")))
    return out


def read_codebook(path: Path) -> list[tuple[str, str]]:
    """``(layer, label)`` of every codable code of a ``.qdc`` file (or a project's code book)."""
    root = parse_safe_xml(read_file_bytes(path), path)
    if _local(root.tag) != "CodeBook":
        raise BadInputError("not a REFI-QDA codebook (the root element is not CodeBook)",
                            path=path)
    codes_el = next(iter(_children(root, "Codes")), None)
    if codes_el is None:
        return []
    tree = code_tree(codes_el, path)
    codable = {_guid(el.get("guid")) for el in codes_el.iter()
               if _local(el.tag) == "Code" and el.get("isCodable", "true") != "false"}
    return [(c.layer, c.label) for g, c in tree.items() if g in codable]


def merge_codebook(tagset: Tagset, path: Path) -> list[str]:
    """Add the codable codes of ``.qdc`` file ``path`` to ``tagset`` as labels (mapped as on
    project import: the top-level code names the layer, a code under it the label); returns the
    ``layer:label`` added. A label already there is left as it is; a new one takes the code's
    colour and description. A layer the tagset lacks is added as a passage layer; a code of a
    document-level layer becomes a document label there. Refused (:class:`BadInputError`): a file
    that is no codebook, or holds no codable code, or a codable code without a name."""
    root = parse_safe_xml(read_file_bytes(path), path)
    if _local(root.tag) != "CodeBook":
        raise BadInputError("not a REFI-QDA codebook (the root element is not CodeBook)",
                            path=path)
    codes_el = next(iter(_children(root, "Codes")), None)
    tree = code_tree(codes_el, path) if codes_el is not None else {}
    added: list[str] = []
    found = 0
    codable = sum(1 for el in codes_el.iter() if _local(el.tag) == "Code"
                  and el.get("isCodable", "true") != "false") if codes_el is not None else 0
    if codable > MAX_CODEBOOK_CODES:
        raise BadInputError(f"the codebook holds {codable:,} codable codes, more than the "
                            f"{MAX_CODEBOOK_CODES:,} one tagset takes", path=path)
    for el in codes_el.iter() if codes_el is not None else ():
        if _local(el.tag) != "Code" or el.get("isCodable", "true") == "false":
            continue
        if not (el.get("name") or "").strip():
            raise BadInputError(f"code {el.get('guid') or '(no guid)'} has no name: a label "
                                "needs one", path=path)
        found += 1
        code = tree[_guid(el.get("guid"))]
        lay = tagset.layer(code.layer)
        try:
            if not tagset.ensure_label(code.layer, code.label,
                                       scope=lay.scope if lay is not None else "span"):
                continue
        except TagsetError as exc:  # a name too long: the one line names the codebook
            raise BadInputError(exc.message, path=path) from None
        label = tagset.label(code.layer, code.label)
        if label is not None:
            color = el.get("color") or ""
            if _RGB.fullmatch(color):
                label.color = color
            desc = next(iter(_children(el, "Description")), None)
            if desc is not None and (desc.text or "").strip():
                label.description = desc.text.strip()
        added.append(f"{code.layer}:{code.label}")
    if not found:
        raise BadInputError("the codebook holds no codable code", path=path)
    return added


class _Reader:
    def __init__(self, path: Path, root: Path, options: ReadOptions) -> None:
        self.path, self.root, self.options = path, root, options
        self.dropped: dict[str, int] = {}
        self.users: dict[str, str] = {}
        self.codes: dict[str, Code] = {}
        self.notes: dict[str, str] = {}
        self.selection_spans: dict[str, tuple[CorpusDocument, str]] = {}
        self.selection_guids: dict[str, bool] = {}

    def unique(self, el: Any, what: str, seen: dict[str, Any]) -> str:
        """``el``'s GUID, refused when an earlier ``what`` has it (the standard makes every
        GUID unique; a reference to it could not say which is meant)."""
        guid = _guid(el.get("guid"))
        if guid and guid in seen:
            raise BadInputError(f"two {what}s have the guid {guid}: a reference to it could not "
                                "say which is meant; refused", path=self.path)
        return guid

    def drop(self, what: str, n: int = 1) -> None:
        self.dropped[what] = self.dropped.get(what, 0) + n

    def internal(self, ref: str, what: str) -> str:
        """The text of ``internal://NAME`` (in ``sources/``, any case)."""
        name = ref.split("://", 1)[1] if "://" in ref else ref
        if not ref.startswith("internal://") or "/" in name or "\\" in name or name in ("", "..",
                                                                                         "."):
            raise BadInputError(f"{what} points at {ref[:80]!r}, not at a file inside the "
                                ".qdpx (internal://NAME)", path=self.path)
        folders = [p for p in self.root.iterdir() if p.is_dir() and p.name.lower() == "sources"]
        for folder in folders:
            for f in folder.iterdir():
                if f.name.lower() == name.lower() and f.is_file():
                    data = read_file_bytes(f)
                    try:
                        return check_text(data.decode("utf-8-sig"), f"{what}: sources/{f.name}",
                                          self.path)
                    except UnicodeDecodeError as exc:
                        raise BadInputError(f"{what}: sources/{f.name} is not UTF-8 ({exc.reason} "
                                            f"at byte {exc.start})", path=self.path) from None
        raise BadInputError(f"{what}: sources/{name} is not in the .qdpx", path=self.path)

    def text_of(self, el: Any, what: str) -> str | None:
        content = next(iter(_children(el, "PlainTextContent")), None)
        if content is not None:
            return content.text or ""
        ref = el.get("plainTextPath")
        return self.internal(ref, what) if ref else None

    def read(self, project: Any) -> list[CorpusDocument]:
        for users in _children(project, "Users"):
            for u in _children(users, "User"):
                name = check_name(u.get("name") or u.get("id") or "", "user name", self.path)
                self.users[self.unique(u, "user", self.users)] = name
        for book in _children(project, "CodeBook"):
            for codes in _children(book, "Codes"):
                self.codes.update(code_tree(codes, self.path))
        for notes in _children(project, "Notes"):
            for note in _children(notes, "Note"):
                text = self.text_of(note, f"note {note.get('guid')}")
                self.notes[self.unique(note, "note", self.notes)] = text or ""
        for tag, what in NOT_READ.items():
            for group in _children(project, tag):
                self.drop(what, len(list(group)))
        docs: list[CorpusDocument] = []
        taken: set[str] = set()
        for sources in _children(project, "Sources"):
            for src in sources:
                kind = _local(src.tag)
                if kind in OTHER_SOURCES:
                    self.drop(OTHER_SOURCES[kind])
                elif kind == "TextSource":
                    doc = self.source(src, taken)
                    if doc is not None:
                        docs.append(doc)
        for links in _children(project, "Links"):
            for link in _children(links, "Link"):
                self.link(link)
        _document_layers(docs)
        unused = sum(1 for c in self.codes.values() if not c.used)
        if unused:
            self.drop("code never used on a text (the tagset takes its labels from spans)",
                      unused)
        return docs

    def source(self, src: Any, taken: set[str]) -> CorpusDocument | None:
        name = src.get("name") or _guid(src.get("guid"))
        text = self.text_of(src, f"source {name!r}")
        if text is None:
            self.drop("text source without text")
            return None
        check_document_size(text, self.path)
        doc_name, k = name, 1
        while doc_name in taken:
            k += 1
            doc_name = f"{name}-{k}"
        taken.add(doc_name)
        doc = CorpusDocument(name=doc_name, title=name, text=text, source_path=str(self.path))
        for sel in _children(src, "PlainTextSelection"):
            self.selection(doc, sel)
        for coding in _children(src, "Coding"):
            code = self.code_of(coding, f"source {name!r}")
            user = self.users.get(_guid(coding.get("creatingUser")), "")
            doc.doc_annotations.append(DocAnnotationRecord(
                code.layer, code.label, annotator=user or self.options.annotator))
        for what, label in (("VariableValue", "variable value of a source"),
                            ("NoteRef", "note on a whole source")):
            n = len(_children(src, what))
            if n:
                self.drop(label, n)
        return doc

    def code_of(self, coding: Any, where: str) -> Code:
        ref = next(iter(_children(coding, "CodeRef")), None)
        code = self.codes.get(_guid(ref.get("targetGUID") if ref is not None else ""))
        if code is None:
            raise BadInputError(f"{where}: its coding names a code the code book does not have",
                                path=self.path)
        code.used = True
        return code

    def selection(self, doc: CorpusDocument, sel: Any) -> None:
        sel_guid = self.unique(sel, "selection", self.selection_guids)
        if sel_guid:
            self.selection_guids[sel_guid] = True
        given = (sel.get("startPosition", ""), sel.get("endPosition", ""))
        if not all(_POSITION.fullmatch(v.strip()) for v in given):
            raise BadInputError(f"selection {sel_guid}: startPosition/endPosition "
                                f"{given[0][:20]!r}, {given[1][:20]!r} are not numbers (digits "
                                "only, at most 12)", path=self.path)
        start, end = int(given[0]), int(given[1])
        if not 0 <= start <= end <= len(doc.text):
            raise BadInputError(f"selection {sel_guid}: [{start}, {end}) lies outside the text "
                                f"of {doc.title!r} (0..{len(doc.text)})", path=self.path)
        if start == end:
            self.drop("zero-length selection")
            return
        codings = _children(sel, "Coding")
        if not codings:
            self.drop("selection without a code")
            return
        note_parts = [(d.text or "").strip() for d in _children(sel, "Description")]
        note_parts += [self.notes.get(_guid(r.get("targetGUID")), "")
                       for r in _children(sel, "NoteRef")]
        sel_user = self.users.get(_guid(sel.get("creatingUser")), "")
        for coding in codings:
            code = self.code_of(coding, f"selection {sel_guid}")
            parts = note_parts + [self.notes.get(_guid(r.get("targetGUID")), "")
                                  for r in _children(coding, "NoteRef")]
            user = self.users.get(_guid(coding.get("creatingUser")), "") or sel_user
            key = f"q{len(doc.spans) + 1}"
            doc.spans.append(SpanRecord(key, code.layer, code.label, ((start, end),),
                                        note="\n\n".join(p for p in parts if p),
                                        annotator=user or self.options.annotator))
            self.selection_spans.setdefault(sel_guid, (doc, key))

    def link(self, link: Any) -> None:
        src = self.selection_spans.get(_guid(link.get("originGUID")))
        tgt = self.selection_spans.get(_guid(link.get("targetGUID")))
        if src is None or tgt is None or src[0] is not tgt[0]:
            self.drop("link other than between two coded selections of one text")
            return
        doc = src[0]
        doc.relations.append(RelationRecord(f"l{len(doc.relations) + 1}",
                                            link.get("name") or "link", src[1], tgt[1]))


def _document_layers(docs: list[CorpusDocument]) -> None:
    """A whole-source coding whose layer labels passages (here or in the default tagset) goes
    to ``LAYER (document)``: one layer cannot label both."""
    from annotator.core.tagset import default_tagset

    passages = {sp.layer for d in docs for sp in d.spans}
    passages |= {lay.name for lay in default_tagset().layers if lay.scope != "document"}
    for d in docs:
        for ann in d.doc_annotations:
            if ann.layer in passages:
                ann.layer = f"{ann.layer} (document)"


def read_qdpx(path: Path, options: ReadOptions) -> list[CorpusDocument]:
    with tempfile.TemporaryDirectory(prefix="annotator-qdpx-") as tmp:
        # safe_extract refuses one name given twice, also alike but for case: which one is
        # meant (project.qde, a source found in any case) could not be told
        root = safe_extract(path, Path(tmp))
        if root != Path(tmp) and not any(p.name.lower() == "project.qde" for p in
                                         root.iterdir()):
            root = Path(tmp)
        found = [p for p in root.iterdir() if p.name.lower() == "project.qde" and p.is_file()]
        if not found:
            raise BadInputError("not a REFI-QDA project: the .qdpx has no project.qde",
                                path=path)
        project = parse_safe_xml(read_file_bytes(found[0], 64 << 20), path)
        if _local(project.tag) != "Project":
            raise BadInputError("not a REFI-QDA project (the root element of project.qde is "
                                "not Project)", path=path)
        reader = _Reader(path, root, options)
        docs = reader.read(project)
    listed = ", ".join(f"{n} {what}" for what, n in sorted(reader.dropped.items()))
    if not docs:
        raise BadInputError("holds no text source (TextSource) to import"
                            + (f"; not represented: {listed}" if listed else ""), path=path)
    if listed:
        options.warn(f"{path}: not represented: {listed}")
    return docs
