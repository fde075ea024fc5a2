"""Reading annotators' project files for review: read-only, untrusted, matched by text hash.

Contract:

* Every file is opened with ``Project.open(path, untrusted=True)``: read-only, with
  ``trusted_schema`` off, so a crafted file's triggers or views never run. It reads every
  committed transaction, also one still in the file's write-ahead log (a colleague's writer that
  crashed, a copy taken while open), from a private copy, so nothing is written to a file nobody
  is editing or beside it (same bytes, same modification time, no ``-shm`` left). A file being
  edited (your own project open in the window, or one locked by another program) is read live
  and current. An older file is read from an upgraded private copy; the file is not upgraded.
* Everything needed is read into plain objects and the file is closed before returning.
* Documents are "the same" when their text SHA-256 matches (interfaces.md), whatever their names.
  A document is *matched* when every file has it; ``only[i]`` lists the names of the documents of
  file ``i`` that are not matched. Matched documents keep the order of the first file.
* Annotator names come from each project's ``annotator`` setting; when empty or repeated, the
  file name (stem) is used, made unique with ``-2``, ``-3``…
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.core.bulk import sha256_of
from annotator.core.errors import AnnotatorError
from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset
from annotator.review.agreement import Annotations, MatchedDocument


@dataclass(frozen=True)
class ReviewSide:
    """One annotator's file, read completely."""

    path: Path
    annotator: str
    tagset: Tagset
    documents: dict[str, CorpusDocument]  # by text sha256, in file order


@dataclass(frozen=True)
class ReviewSet:
    """Two or more annotators' files, with their documents matched by text hash."""

    sides: list[ReviewSide]
    matched: list[str]  # sha256 of documents every side has, in the first side's order
    only: list[list[str]]  # per side: names of its documents the others lack

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(s.annotator for s in self.sides)

    def documents(self, sha: str) -> list[CorpusDocument]:
        """The matched document ``sha`` as each side has it."""
        return [side.documents[sha] for side in self.sides]

    def matched_documents(self) -> list[MatchedDocument]:
        """Input for :func:`annotator.review.agreement.compute_agreement`."""
        out = []
        for sha in self.matched:
            docs = self.documents(sha)
            out.append(MatchedDocument(docs[0].name, docs[0].text,
                                       [Annotations(d.spans, d.relations) for d in docs]))
        return out


def read_side(path: str | Path, *, layers: Sequence[str] | None = None) -> ReviewSide:
    """Read one file as untrusted (see the module contract)."""
    from annotator.core.project import Project

    p = Path(path)
    with Project.open(p, untrusted=True) as project:
        name = project.annotator
        tagset = project.tagset
        docs: dict[str, CorpusDocument] = {}
        for doc in project.iter_corpus(layers=layers or None):
            docs.setdefault(sha256_of(doc.text), doc)
    return ReviewSide(p, name, tagset, docs)


def _unique_names(sides: list[ReviewSide]) -> list[str]:
    names: list[str] = []
    taken: set[str] = set()
    raw = [s.annotator.strip() for s in sides]
    for side, name in zip(sides, raw, strict=True):
        if not name or raw.count(name) > 1:
            name = side.path.stem
        base, n = name, 2
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name)
        names.append(name)
    return names


def load_review(paths: Sequence[str | Path], *,
                layers: Sequence[str] | None = None) -> ReviewSet:
    """Read ``paths`` (at least two) and match their documents."""
    if len(paths) < 2:
        raise AnnotatorError("give at least two project files to compare")
    resolved = [Path(p).resolve() for p in paths]
    if len(set(resolved)) < len(resolved):
        raise AnnotatorError("the same project file is given twice", path=paths[0])
    sides = [read_side(p, layers=layers) for p in paths]
    names = _unique_names(sides)
    sides = [ReviewSide(s.path, n, s.tagset, s.documents) for s, n in zip(sides, names,
                                                                         strict=True)]
    common = set(sides[0].documents)
    for side in sides[1:]:
        common &= set(side.documents)
    matched = [sha for sha in sides[0].documents if sha in common]
    only = [[d.name for sha, d in side.documents.items() if sha not in common] for side in sides]
    return ReviewSet(sides, matched, only)
