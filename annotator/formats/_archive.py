"""Safe extraction of a ZIP archive to import (brat, XMI or article folders are often zipped).

Nothing is written outside the target folder: absolute names, ``..`` parts, drive letters and
symbolic links are refused, as are archives that would expand beyond :data:`MAX_TOTAL` bytes,
hold more than :data:`MAX_MEMBERS` entries, or compress suspiciously well (a "zip bomb"): one
member, or the archive as a whole (many members of exactly 1 MiB of zeros each pass a per-member
check). Sizes are checked while writing, not only from the headers, which can lie.
"""

from __future__ import annotations

import stat
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from annotator.core.errors import BadInputError

MAX_TOTAL = 256 << 20  # 256 MiB uncompressed: tens of thousands of articles
MAX_MEMBERS = 100_000
MAX_RATIO = 200  # uncompressed / compressed, for members over 1 MiB and for the whole archive
RATIO_FROM = 16 << 20  # the whole archive's ratio is checked once this much is extracted
_CHUNK = 1 << 20


def _member_path(info: zipfile.ZipInfo, archive: Path) -> PurePosixPath:
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if ("\x00" in name or name.startswith("/") or ".." in parts
            or (parts and parts[0].endswith(":"))):
        raise BadInputError(f"refused: archive entry {info.filename!r} would be written "
                            "outside the import folder", path=archive)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise BadInputError(f"refused: archive entry {info.filename!r} is a symbolic link",
                            path=archive)
    return PurePosixPath(*parts)


def _fold(rel: PurePosixPath) -> tuple[str, ...]:
    """``rel`` as a file system that ignores case, Unicode normalisation (NFC/NFD) or trailing
    dots and spaces (macOS, Windows) sees it: two entries of one fold are one file there."""
    return tuple(unicodedata.normalize("NFC", part.lower()).rstrip(" .") or part
                 for part in rel.parts)


_FOLDER_BY = "\0folder"  # trie keys no entry's part can be (a NUL is refused)
_FILE = "\0file"


def _members(infos: list[zipfile.ZipInfo], archive: Path
             ) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """The file entries to extract with their paths; refused: a path given twice (which one
    would be imported depends on the order of the entries) or given as a file and as a folder,
    also where the two differ only as :func:`_fold` ignores (one file on some systems). The
    paths go into a tree of their parts, so that the work grows with the length of the names,
    not with its square (a deep name's every folder is not built anew)."""
    out: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    root: dict[str, Any] = {}
    files: list[dict[str, Any]] = []
    for info in infos:
        rel = _member_path(info, archive)
        if not rel.parts:
            continue
        key = _fold(rel)
        node = root
        for part in key[:-1]:
            node = node.setdefault(part, {})
            if not info.is_dir():  # a folder entry itself is not extracted
                node.setdefault(_FOLDER_BY, info.filename)
        node = node.setdefault(key[-1], {})
        if info.is_dir():
            node.setdefault(_FOLDER_BY, info.filename)
            continue
        if _FILE in node:
            first, first_rel = node[_FILE]
            alike = ("" if first_rel == rel else
                     ", alike but for letter case, Unicode form or a trailing dot or space: "
                     "one file on macOS or Windows")
            raise BadInputError(f"the archive holds {first!r} and {info.filename!r}: two "
                                f"entries of one name{alike} (which one to import cannot be "
                                "told); refused", path=archive)
        node[_FILE] = (info.filename, rel)
        files.append(node)
        out.append((info, rel))
    for node in files:
        if _FOLDER_BY in node:
            raise BadInputError(f"refused: archive entry {node[_FILE][0]!r} is a file, and "
                                f"{node[_FOLDER_BY]!r} makes it a folder", path=archive)
    return out


def safe_extract(archive: Path, target: Path) -> Path:
    """Extract ``archive`` into ``target``; returns the folder to import (the single top-level
    folder when the archive holds only one)."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadInputError(f"is not a readable ZIP archive ({exc})", path=archive) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BadInputError(f"refused: the archive has {len(infos):,} entries "
                                f"(at most {MAX_MEMBERS:,})", path=archive)
        members = _members(infos, archive)
        total = packed = 0
        for info, rel in members:
            packed += info.compress_size
            if info.file_size >= _CHUNK and info.compress_size and \
                    info.file_size / info.compress_size > MAX_RATIO:
                raise BadInputError(f"refused: archive entry {info.filename!r} expands "
                                    f"{info.file_size // info.compress_size}× (a zip bomb?)",
                                    path=archive)
            dest = target.joinpath(*rel.parts)
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, dest.open("wb") as out:
                    while chunk := src.read(_CHUNK):
                        total += len(chunk)
                        if total > MAX_TOTAL:
                            raise BadInputError(f"refused: the archive expands beyond "
                                                f"{MAX_TOTAL >> 20} MiB", path=archive)
                        if total > RATIO_FROM and total > MAX_RATIO * max(packed, 1):
                            raise BadInputError(f"refused: the archive expands more than "
                                                f"{MAX_RATIO}× (a zip bomb?)", path=archive)
                        out.write(chunk)
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
                raise BadInputError(f"archive entry {info.filename!r} cannot be read ({exc})",
                                    path=archive) from None
    entries = [p for p in target.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return target
