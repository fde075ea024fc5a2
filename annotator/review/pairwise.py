"""Agreement of a set of annotators' files: which documents each pair shares, and the figures.

Contract
--------
* Documents are the same when their text SHA-256 matches (``ReviewSide.documents`` is keyed by
  it). The documents of a group of files are those every file of the group has, in the order of
  the group's first file.
* 2 files: one result over the documents both have; ``only_a``/``only_b`` count the documents of
  A (of B) that the other file lacks.
* 3+ files: the pooled result is over the documents *every* file has (token coefficients over
  all coders); ``files`` says, for each file, how many of its documents every other file has
  and how many each other file has; ``pairs`` holds one result per pair of files (in file
  order), each over the documents *that pair* shares, so a document C lacks still counts for
  A-B. Every result reports the same layers.
* :func:`check_request` refuses (``AnnotatorError``) a ``--layer`` that no file knows (neither its
  tagset nor any of its spans) and files with no document in common (2 files), or no pair of
  files with a document in common (3+): an empty result would look like a real one.

Pure: no database (the files are read by :mod:`annotator.review.sources`), no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import combinations
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError
from annotator.review.agreement import (
    AgreementResult,
    Annotations,
    FileMatching,
    MatchedDocument,
    Tokenizer,
    compute_agreement,
)

if TYPE_CHECKING:
    from annotator.review.sources import ReviewSet, ReviewSide


def shared(sides: Sequence[ReviewSide], group: Sequence[int]) -> list[str]:
    """SHA-256 of the documents every file of ``group`` has, in the first file's order."""
    first, *rest = (sides[k].documents for k in group)
    return [sha for sha in first if all(sha in other for other in rest)]


def matched_documents(sides: Sequence[ReviewSide], group: Sequence[int]) -> list[MatchedDocument]:
    """The documents ``group`` shares, as :func:`compute_agreement` takes them."""
    out = []
    for sha in shared(sides, group):
        docs = [sides[k].documents[sha] for k in group]
        out.append(MatchedDocument(docs[0].name, docs[0].text,
                                   [Annotations(d.spans, d.relations, d.doc_annotations)
                                        for d in docs]))
    return out


def file_matching(review: ReviewSet) -> tuple[FileMatching, ...]:
    """Per file: its documents, how many every other file has, how many each other file has."""
    sides, names = review.sides, review.annotators
    every = set(shared(sides, range(len(sides))))
    out = []
    for k, side in enumerate(sides):
        with_other = {names[o]: sum(1 for sha in side.documents if sha in sides[o].documents)
                      for o in range(len(sides)) if o != k}
        out.append(FileMatching(names[k], len(side.documents),
                                sum(1 for sha in side.documents if sha in every), with_other))
    return tuple(out)


def known_layers(review: ReviewSet) -> set[str]:
    """Layers any file knows: its tagset's and those of its spans."""
    known = {lay.name for side in review.sides for lay in side.tagset.layers}
    known |= {s.layer for side in review.sides for d in side.documents.values() for s in d.spans}
    return known


def check_request(review: ReviewSet, layers: Sequence[str] | None) -> None:
    """Refuse an unknown layer or files without a document in common (see the module doc)."""
    sides = review.sides
    if layers:
        known = known_layers(review)
        unknown = [name for name in dict.fromkeys(layers) if name not in known]
        if unknown:
            listed = ", ".join(sorted(known)) or "none"
            raise AnnotatorError(f"unknown layer {unknown[0]!r} (the files have: {listed})",
                                 path=sides[0].path)
    groups = list(combinations(range(len(sides)), 2))
    if not any(shared(sides, g) for g in groups):
        others = ", ".join(str(s.path) for s in sides[1:])
        raise AnnotatorError(f"no document in common with {others} (documents are matched by "
                             "their text)", path=sides[0].path)


def document_layers(review: ReviewSet, layers: Sequence[str] | None) -> list[str]:
    """Layers of scope "document" any file's tagset has or any document label uses, sorted;
    with ``layers`` given, only those among them."""
    found = {lay.name for side in review.sides for lay in side.tagset.layers
             if lay.scope == "document"}
    found |= {a.layer for side in review.sides for d in side.documents.values()
              for a in d.doc_annotations}
    return sorted(found if not layers else found & set(layers))


def texts(review: ReviewSet) -> list[str]:
    """Every text some pair of files shares (what the agreement will tokenize), once."""
    sides = review.sides
    seen: dict[str, None] = {}
    for group in combinations(range(len(sides)), 2):
        for sha in shared(sides, group):
            seen.setdefault(sides[group[0]].documents[sha].text, None)
    return list(seen)


def _with_measures(result: AgreementResult, docs: Sequence[MatchedDocument],
                   measures: Mapping[str, Any] | None) -> AgreementResult:
    if measures is None:
        return result
    from annotator.review.measures import compute_measures

    return replace(result, measures=compute_measures(result, docs, **measures))


def review_agreement(review: ReviewSet, *, layers: Sequence[str] | None = None,
                     tokenize: Tokenizer | None = None,
                     measures: Mapping[str, Any] | None = None) -> AgreementResult:
    """The agreement of ``review`` (see the module doc); ``layers`` None: every layer seen.

    ``measures``: keyword arguments of :func:`annotator.review.measures.compute_measures`
    (alpha_U, gamma, AC1, intervals...), computed for the whole and every pair; None: not.
    """
    sides, names = review.sides, review.annotators
    n = len(sides)
    everyone = matched_documents(sides, range(n))
    if measures is not None and "document_layers" not in measures:
        measures = {**measures, "document_layers": document_layers(review, layers)}
    if n == 2:
        return _with_measures(compute_agreement(
            everyone, annotators=names, only_a=len(sides[0].documents) - len(everyone),
            only_b=len(sides[1].documents) - len(everyone), layers=layers, tokenize=tokenize),
            everyone, measures)
    pair_docs = {g: matched_documents(sides, g) for g in combinations(range(n), 2)}
    if layers is None:
        seen = {s.layer for docs in pair_docs.values() for d in docs for side in d.sides
                for s in side.spans}
        layers = sorted(seen)
    pairs = tuple(
        _with_measures(compute_agreement(docs, annotators=(names[x], names[y]),
                                         only_a=len(sides[x].documents) - len(docs),
                                         only_b=len(sides[y].documents) - len(docs),
                                         layers=layers, tokenize=tokenize), docs, measures)
        for (x, y), docs in pair_docs.items()
    )
    overall = _with_measures(compute_agreement(
        everyone, annotators=names, only_a=len(sides[0].documents) - len(everyone),
        only_b=len(sides[1].documents) - len(everyone), layers=layers, tokenize=tokenize),
        everyone, measures)
    return replace(overall, files=file_matching(review), pairs=pairs)
