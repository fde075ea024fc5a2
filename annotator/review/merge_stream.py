"""``annotator merge A B -o OUT`` for two project files, one chunk of documents at a time.

Contract: the same gold file, summary and "not merged" lists as the whole-file merge
(:func:`annotator.review.sources.load_review`, then :func:`annotator.review.adjudicate.automatic`
and :func:`annotator.review.adjudicate.write_gold`; the reference test compares both outputs'
exports byte for byte), but neither input is held in memory, nor the gold corpus:

* both files are opened read-only and untrusted, as :mod:`annotator.review.sources` opens them,
  and their documents matched by text hash beforehand (:mod:`annotator.core.doc_index`, as
  :mod:`annotator.review.stream` does): a document is matched when both files have its text
  (the first document of each text counts), in A's order; the others are A's and B's "only";
* the matched documents are read ``CHUNK`` at a time from both files, adjudicated
  automatically (:func:`automatic` on a review of that chunk alone: every decision concerns
  one document, so a chunk is decided as it would be within the whole) and handed to
  :func:`write_gold` as they come; it writes them in one transaction into a temporary file
  renamed into place when complete, so ``OUT`` appears whole or not at all.

Every decision carries the same time (read once at the start). A project edited in a window
meanwhile is read live: a matched document gone or with another text when its chunk is read
is refused, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from annotator.core.collector import collector_paused
from annotator.core.errors import AnnotatorError
from annotator.core.model import CorpusDocument
from annotator.core.text import sha256_of
from annotator.review.sources import ReviewSet, ReviewSide
from annotator.review.stream import Reader, _first_by_hash, _reader

CHUNK = 200  # matched documents read, adjudicated and handed on at a time (tests: smaller)

Pair = tuple[str, tuple[int, int], tuple[int, int]]  # sha, A's (position, id), B's


@dataclass(frozen=True)
class MergeResult:
    """What ``annotator merge`` reports."""

    matched: int  # documents merged
    spans: int  # spans written
    annotators: tuple[str, str]
    only: tuple[list[str], list[str]]  # names of A's and of B's documents not merged


def stream_merge(path_a: str | Path, path_b: str | Path, out: str | Path, prefer: str
                 ) -> MergeResult:
    """Merge the two files into the new file ``out`` (see the module); refusals as the
    whole-file merge's (the same file twice, an unknown preference, ``out`` there already)."""
    from annotator.core import doc_index
    from annotator.core.annotations import now_iso
    from annotator.core.project import Project
    from annotator.review.adjudicate import write_gold
    from annotator.review.sources import _unique_names, project_ref, same_project

    if same_project(path_a, path_b):
        raise AnnotatorError("the same project file is given twice", path=path_a)
    if prefer not in ("a", "b", "agreed"):
        raise AnnotatorError(f"unknown preference {prefer!r} (use a, b or agreed)")
    with ExitStack() as stack:
        a = stack.enter_context(Project.open(project_ref(path_a), untrusted=True))
        first_a = _first_by_hash(doc_index.document_hashes(a))
        b = stack.enter_context(Project.open(project_ref(path_b), untrusted=True))
        first_b = _first_by_hash(doc_index.document_hashes(b))
        sides = [ReviewSide(a.path, a.annotator, a.tagset, {}),
                 ReviewSide(b.path, b.annotator, b.tagset, {})]
        name_a, name_b = _unique_names(sides)
        sides = [replace(sides[0], annotator=name_a), replace(sides[1], annotator=name_b)]
        matched: list[Pair] = [(sha, (pa, ia), first_b[sha][:2])
                               for sha, (pa, ia, _) in first_a.items() if sha in first_b]
        only = ([name for sha, (_, _, name) in first_a.items() if sha not in first_b],
                [name for sha, (_, _, name) in first_b.items() if sha not in first_a])
        docs = gold_documents(_reader(a, None), _reader(b, None), matched, sides, prefer,
                              now_iso())
        spans = write_gold(out, docs, tagset=sides[0].tagset, annotator=f"{name_a}+{name_b}")
    return MergeResult(len(matched), spans, (name_a, name_b), only)


def gold_documents(read_a: Reader, read_b: Reader, matched: list[Pair],
                   sides: list[ReviewSide], prefer: str, at: str) -> Iterator[CorpusDocument]:
    """The gold document of every ``matched`` pair, in that order, ``CHUNK`` pairs at a time
    (``sides``: A and B as named in the merge, their documents left empty)."""
    from annotator.review.adjudicate import automatic

    for k in range(0, len(matched), CHUNK):
        chunk = matched[k:k + CHUNK]
        shas = [sha for sha, _, _ in chunk]
        review = ReviewSet([replace(sides[0], documents=_documents(
                                read_a, [x for _, x, _ in chunk], shas, sides[0].path)),
                            replace(sides[1], documents=_documents(
                                read_b, [y for _, _, y in chunk], shas, sides[1].path))],
                           shas, [[], []])
        with collector_paused():  # records and decisions only, no cycles (core.collector)
            gold = automatic(review, prefer, at=at).gold()
        del review
        yield from gold
        del gold


def _documents(read: Reader, ids: list[tuple[int, int]], shas: list[str], where: Path
               ) -> dict[str, CorpusDocument]:
    """The documents ``ids`` ((position, id) pairs) by their text hashes ``shas``, in that
    order; refused when one is gone, or its text is another, since the files were matched (a
    project edited in a window is read live)."""
    wanted = sorted(ids)  # the file's order, as a reader yields them
    with collector_paused():  # a chunk's rows and records (core.collector)
        docs = read([pk for _, pk in wanted])
    by_id = ({pk: d for (_, pk), d in zip(wanted, docs, strict=True)}
             if len(docs) == len(wanted) else {})
    out: dict[str, CorpusDocument] = {}
    for (_, pk), sha in zip(ids, shas, strict=True):
        doc = by_id.get(pk)
        if doc is None or sha256_of(doc.text) != sha:
            raise AnnotatorError("changed while it was being merged; nothing was written "
                                 "(merge again)", path=where)
        out[sha] = doc
    return out
