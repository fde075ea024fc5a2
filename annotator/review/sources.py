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
* **One project, several annotators** (:func:`load_annotators`): each span belongs to the
  annotator it names (a span naming none, to the project's annotator, else ``"(unnamed)"``); a
  relation to the annotator of its source span. Each annotator becomes one side holding every
  document of the project (with no assignment made every document counts as assigned to
  every annotator), in the project's order; annotators are sorted by name. Fewer than two
  annotators is refused.
* ``annotators`` (``--annotators a,b``) picks sides by name, in the order given; an unknown
  name is refused, naming the ones there are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

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
                                       [Annotations(d.spans, d.relations, d.doc_annotations)
                                        for d in docs]))
        return out


def project_ref(path: str | Path) -> str | Path:
    """A project file's path, or a shared project's address (``postgresql://…``) as given."""
    from annotator.core.storage.postgres import is_url

    return str(path) if is_url(path) else Path(path)


def same_project(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` name the same project file (or the same address)."""
    from annotator.core.storage.postgres import shown_url

    ra, rb = project_ref(a), project_ref(b)
    if isinstance(ra, str) or isinstance(rb, str):
        return isinstance(ra, str) and isinstance(rb, str) and shown_url(ra) == shown_url(rb)
    return ra.resolve() == rb.resolve()


def read_side(path: str | Path, *, layers: Sequence[str] | None = None) -> ReviewSide:
    """Read one file (or a shared project on a server) as untrusted (see the module
    contract)."""
    from annotator.core.project import Project
    from annotator.core.text import sha256_of

    with Project.open(project_ref(path), untrusted=True) as project:
        name = project.annotator
        tagset = project.tagset
        docs: dict[str, CorpusDocument] = {}
        for doc in project.iter_corpus(layers=layers or None):
            docs.setdefault(sha256_of(doc.text), doc)
        where = project.path  # a file's path, or a server's address without password
    return ReviewSide(where, name, tagset, docs)


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


def _split_by_annotator(side: ReviewSide) -> list[ReviewSide]:
    default = side.annotator.strip() or "(unnamed)"
    names = sorted({s.annotator.strip() or default for d in side.documents.values()
                    for s in d.spans} | {a.annotator.strip() or default for d in
                                         side.documents.values() for a in d.doc_annotations})
    out = []
    for name in names:
        docs: dict[str, CorpusDocument] = {}
        for sha, d in side.documents.items():
            spans = [s for s in d.spans if (s.annotator.strip() or default) == name]
            keys = {s.key for s in spans}
            relations = [r for r in d.relations if r.source in keys and r.target in keys]
            labels = [a for a in d.doc_annotations if (a.annotator.strip() or default) == name]
            docs[sha] = replace(d, spans=spans, relations=relations, doc_annotations=labels)
        out.append(ReviewSide(side.path, name, side.tagset, docs))
    return out


def _pick(sides: list[ReviewSide], annotators: Sequence[str] | None) -> list[ReviewSide]:
    if not annotators:
        return sides
    by_name = {s.annotator: s for s in sides}
    wanted = list(dict.fromkeys(a.strip() for a in annotators if a.strip()))
    unknown = [a for a in wanted if a not in by_name]
    if unknown:
        raise AnnotatorError(f"no annotator {unknown[0]!r} (there are: "
                             f"{', '.join(sorted(by_name))})", path=sides[0].path)
    if len(wanted) < 2:
        raise AnnotatorError("--annotators needs at least two names", path=sides[0].path)
    return [by_name[a] for a in wanted]


def load_review(paths: Sequence[str | Path], *, layers: Sequence[str] | None = None,
                annotators: Sequence[str] | None = None) -> ReviewSet:
    """Read ``paths`` and match their documents: two or more files, or one project holding
    several annotators' spans (see the module contract); ``annotators`` picks sides by name."""
    if not paths:
        raise AnnotatorError("give at least two project files to compare")
    if len(paths) == 1:
        whole = read_side(paths[0], layers=layers)
        sides = _split_by_annotator(whole)
        if len(sides) < 2:
            who = sides[0].annotator if sides else "none"
            raise AnnotatorError(f"holds the spans of one annotator only ({who}); give two "
                                 "project files, or a project with several annotators' spans",
                                 path=paths[0])
        return _matched(_pick(sides, annotators))
    if any(same_project(a, b) for i, a in enumerate(paths) for b in paths[i + 1:]):
        raise AnnotatorError("the same project file is given twice", path=paths[0])
    sides = [read_side(p, layers=layers) for p in paths]
    names = _unique_names(sides)
    sides = [ReviewSide(s.path, n, s.tagset, s.documents) for s, n in zip(sides, names,
                                                                         strict=True)]
    return _matched(_pick(sides, annotators))


def _matched(sides: list[ReviewSide]) -> ReviewSet:
    common = set(sides[0].documents)
    for side in sides[1:]:
        common &= set(side.documents)
    matched = [sha for sha in sides[0].documents if sha in common]
    only = [[d.name for sha, d in side.documents.items() if sha not in common] for side in sides]
    return ReviewSet(sides, matched, only)
