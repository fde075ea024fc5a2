"""Reading an unpacked INCEpTION project archive: see :mod:`annotator.formats.inception_project`.

Not a format: the registry skips modules whose name starts with ``_``.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.formats._common import load_json
from annotator.formats._textfile import check_size, read_file_bytes
from annotator.formats._xmi_schema import TypeInfo, from_cassis
from annotator.formats.registry import ReadOptions

USER_ORDER = {"NEW": 0, "IGNORE": 0, "IN_PROGRESS": 1, "FINISHED": 2}
ANNOTATION_FOLDERS = ("annotation", "curation")


def _load_json(path: Path) -> dict[str, Any]:
    check_size(path)
    try:
        text = read_file_bytes(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInputError(f"not readable JSON ({exc})", path=path) from None
    data = load_json(text, path, 1)  # also too deep, NaN, huge numbers: one line, no traceback
    if not isinstance(data, dict):
        raise BadInputError("not an INCEpTION project description (no JSON object)", path=path)
    return data


def _entries(data: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise BadInputError(f"{key!r} is not a list of objects", path=path)
    return value


def _merge_status(states: list[str]) -> str:
    found = [USER_ORDER.get(s, 0) for s in states]
    if found and all(s == 2 for s in found):
        return "done"
    return "in_progress" if any(found) else "new"


def _inside(root: Path, *parts: str) -> Path | None:
    """``root/parts…`` when it names a regular file inside ``root`` (names from the JSON are
    never trusted to stay inside)."""
    if any(p in ("", ".", "..") or "/" in p or "\\" in p or "\x00" in p for p in parts):
        return None
    path = root.joinpath(*parts)
    return path if path.is_file() and not path.is_symlink() else None


def _read_xmi(path: Path, options: ReadOptions, types: dict[str, TypeInfo]) -> CorpusDocument:
    """One per-user or source XMI: a ``.zip`` of INCEpTION's XMI export, or a bare ``.xmi``
    read with the project's layers as type system."""
    from annotator.formats._xmi_parse import find_typesystem, load_typesystem_file, read_cas_file
    from annotator.formats._xmi_read import cas_to_document

    if path.suffix.lower() == ".zip":
        from annotator.formats._archive import safe_extract

        with tempfile.TemporaryDirectory(prefix="annotator-inception-") as tmp:
            folder = safe_extract(path, Path(tmp))
            files = sorted(folder.glob("*.xmi"))
            if len(files) != 1:
                raise BadInputError(f"holds {len(files)} .xmi files, not one", path=path)
            ts_path = find_typesystem(folder)
            found = load_typesystem_file(ts_path) if ts_path else types
            cas, _ = read_cas_file(files[0], found)
            return cas_to_document(cas, path, options)
    cas, _ = read_cas_file(path, types)
    return cas_to_document(cas, path, options)


def read_project(root: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
    from annotator.formats._inception_json import typesystem_from_layers
    from annotator.formats.inception_project import find_project_json

    meta_path = find_project_json(root)
    if meta_path is None:
        raise BadInputError("no exportedproject.json: not an INCEpTION project archive",
                            path=root)
    data = _load_json(meta_path)
    sources = _entries(data, "source_documents", meta_path)
    states: dict[str, dict[str, str]] = {}
    for entry in _entries(data, "annotation_documents", meta_path):
        if isinstance(entry.get("name"), str) and isinstance(entry.get("user"), str):
            states.setdefault(entry["name"], {})[entry["user"]] = str(entry.get("state"))
    try:
        types = {**from_cassis(typesystem_from_layers(_entries(data, "layers", meta_path)))}
    except Exception as exc:  # cassis raises bare ValueError on names it cannot take
        raise BadInputError(f"the project's layers do not make a type system ({exc})",
                            path=meta_path) from None
    notes: Counter[str] = Counter()
    for entry in sources:
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise BadInputError("a source document without a name", path=meta_path)
        doc = _document(root, name, str(entry.get("format") or ""), options, types, notes)
        if doc is None:
            continue
        doc.status = _merge_status(list(states.get(name, {}).values()))
        if states.get(name):
            doc.meta = {**doc.meta, "inception_states": dict(sorted(states[name].items()))}
        yield doc
    ser = sum(1 for _ in root.glob("annotation_ser/*/*.ser")) + \
        sum(1 for _ in root.glob("curation_ser/*/*.ser"))
    if ser:
        notes["annotation sets in INCEpTION's Java-serialised form (annotation_ser/…/*.ser; "
              "export the project with the format \"UIMA CAS XMI\" to carry them)"] += ser
    if notes:
        parts = ", ".join(f"{n} {what}" for what, n in sorted(notes.items()))
        options.warn(f"{root}: not read: {parts}")


def _document(root: Path, name: str, fmt: str, options: ReadOptions,
              types: dict[str, TypeInfo], notes: Counter[str]) -> CorpusDocument | None:
    per_user: list[tuple[str, Path]] = []
    for folder in ANNOTATION_FOLDERS:
        base = _inside(root, folder, name)
        where = root / folder / name
        if base is None and where.is_dir() and not where.is_symlink() and \
                where.resolve().is_relative_to(root.resolve()):
            for f in sorted(where.iterdir()):
                if f.is_file() and not f.is_symlink() and f.suffix.lower() in (".zip", ".xmi"):
                    per_user.append((f.stem, f))
                elif f.is_file():
                    notes[f"per-user files in other formats ({f.suffix or 'no suffix'})"] += 1
    doc: CorpusDocument | None = None
    for user, path in per_user:
        part = _read_xmi(path, options, types)
        for span in part.spans:
            span.key = f"{user}:{span.key}"
            span.annotator = user
        for ann in part.doc_annotations:
            ann.annotator = user
        for rel in part.relations:
            rel.key, rel.source, rel.target = (f"{user}:{rel.key}", f"{user}:{rel.source}",
                                               f"{user}:{rel.target}")
        if doc is None:
            doc = part
            doc.name = Path(name).stem if Path(name).suffix else name
            doc.title = name
            doc.source_path = str(root / "source" / name)
        elif part.text != doc.text:
            raise BadInputError(f"the text differs from {per_user[0][1].name}'s for the same "
                                "document", path=path)
        else:
            doc.spans.extend(part.spans)
            doc.relations.extend(part.relations)
            doc.doc_annotations.extend(part.doc_annotations)
    if doc is not None:
        return doc
    source = _inside(root, "source", name)
    if source is None:
        notes["source documents missing from the archive"] += 1
        return None
    if fmt == "xmi" or source.suffix.lower() == ".xmi":
        doc = _read_xmi(source, options, types)
    elif fmt in ("text", "txt"):
        check_size(source)
        try:
            text = read_file_bytes(source).decode("utf-8")
        except UnicodeDecodeError:
            raise BadInputError("the text is not UTF-8", path=source) from None
        if not text:
            raise BadInputError("the document text is empty", path=source)
        doc = CorpusDocument(name=name, title=name, text=text, source_path=str(source))
    else:
        notes[f"source documents in format {fmt or '?'!r} without per-user XMI"] += 1
        return None
    doc.name = Path(name).stem if Path(name).suffix else name
    doc.title = name
    return doc
