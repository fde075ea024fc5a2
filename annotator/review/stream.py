"""Agreement of two project files read side by side, one chunk of documents at a time.

Contract: the same :class:`AgreementResult` (with measures) as
:func:`annotator.review.report.agreement_of` on two files without ``--annotators`` (the
reference test compares every figure), but neither file is held in memory: both are opened
read-only and untrusted, as :mod:`annotator.review.sources` opens them, and stay open while
their matched documents are read ``CHUNK`` at a time (in A's order, each paired with B's
document of the same text hash) through :meth:`Project.iter_corpus`; each is tokenized,
tallied and dropped, keeping only its figures (:mod:`annotator.review.doc_results`) and what
the span measures need of it (:class:`annotator.review.measures.MeasureStats`). What is known before (document
hashes, layers, document-level layers) comes from :mod:`annotator.core.doc_index`.
Refusals as :func:`annotator.review.pairwise.check_request`: an unknown ``--layer``, no
document in common.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.collector import collector_paused
from annotator.core.errors import AnnotatorError
from annotator.review.agreement import (
    AgreementResult,
    Annotations,
    MatchedDocument,
    compute_agreement_stream,
)

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.review.measures import MeasureStats

CHUNK = 200


def _first_by_hash(rows: list[tuple[int, str, str]]) -> dict[str, tuple[int, int, str]]:
    """sha -> (position in the file's order, id, name) of its first document."""
    out: dict[str, tuple[int, int, str]] = {}
    for k, (pk, name, sha) in enumerate(rows):
        out.setdefault(sha, (k, pk, name))
    return out


Reader = Callable[[list[int]], list[Any]]  # document ids in the file's order -> documents


def _in_order(read: Reader, ids: list[tuple[int, int]]) -> list[Any]:
    """The documents ``ids`` ((position, id) pairs) in the given order, read by ``read``."""
    wanted = sorted(ids)  # the file's order, as a reader yields them
    with collector_paused():  # a chunk's rows and records (core.collector)
        docs = read([pk for _, pk in wanted])
    by_id = {pk: d for (_, pk), d in zip(wanted, docs, strict=True)}
    return [by_id[pk] for _, pk in ids]


def _reader(project: Project, layers: Sequence[str] | None) -> Reader:
    def read(ids: list[int]) -> list[Any]:
        return list(project.iter_corpus(documents=ids, layers=layers or None))

    return read


def pairs(read_a: Reader, read_b: Reader,
          matched: list[tuple[tuple[int, int], tuple[int, int]]]) -> Iterator[MatchedDocument]:
    """The ``matched`` documents of A and B, ``CHUNK`` at a time, in A's order."""
    for k in range(0, len(matched), CHUNK):
        chunk = matched[k:k + CHUNK]
        docs_a = _in_order(read_a, [x for x, _ in chunk])
        docs_b = _in_order(read_b, [y for _, y in chunk])
        for da, db in zip(docs_a, docs_b, strict=True):
            yield MatchedDocument(da.name, da.text, [
                Annotations(d.spans, d.relations, d.doc_annotations) for d in (da, db)])


def stream_agreement(paths: Sequence[str | Path], *, layers: Sequence[str] | None = None,
                     measures: Mapping[str, Any] | None = None) -> AgreementResult:
    """The agreement of the two files ``paths`` (see the module); annotators named as
    :func:`annotator.review.sources.load_review` names them."""
    from annotator.core import doc_index
    from annotator.core.project import Project
    from annotator.review.sources import ReviewSide, _unique_names, project_ref

    with ExitStack() as stack:
        a = stack.enter_context(Project.open(project_ref(paths[0]), untrusted=True))
        b = stack.enter_context(Project.open(project_ref(paths[1]), untrusted=True))
        file_a, file_b = a.path, b.path  # a file's path, or a server's address
        names = _unique_names([ReviewSide(file_a, a.annotator, a.tagset, {}),
                               ReviewSide(file_b, b.annotator, b.tagset, {})])
        rows_a, rows_b = doc_index.document_hashes(a), doc_index.document_hashes(b)
        first_a, first_b = _first_by_hash(rows_a), _first_by_hash(rows_b)
        matched = [((pa, ia), first_b[sha][:2]) for sha, (pa, ia, _) in first_a.items()
                   if sha in first_b]
        if layers:
            known = {lay.name for p in (a, b) for lay in p.tagset.layers}
            known |= doc_index.span_layers(a) | doc_index.span_layers(b)
            unknown = [n for n in dict.fromkeys(layers) if n not in known]
            if unknown:
                listed = ", ".join(sorted(known)) or "none"
                raise AnnotatorError(f"unknown layer {unknown[0]!r} (the files have: {listed})",
                                     path=file_a)
        if not matched:
            raise AnnotatorError(f"no document in common with {file_b} (documents are "
                                 "matched by their text)", path=file_a)
        if layers:
            layer_names = list(dict.fromkeys(layers))
        else:
            layer_names = sorted(doc_index.span_layers(a, [i for (_, i), _ in matched])
                                 | doc_index.span_layers(b, [j for _, (_, j) in matched]))
        doc_layers = {lay.name for p in (a, b) for lay in p.tagset.layers
                      if lay.scope == "document"}
        doc_layers |= doc_index.doc_annotation_layers(a) | doc_index.doc_annotation_layers(b)
        stats = measure_stats(layer_names, len(names), doc_layers, layers, measures)
        with collector_paused():  # only the readers and tallies run (core.collector)
            result = compute_agreement_stream(
                pairs(_reader(a, layers), _reader(b, layers), matched), annotators=names,
                layers=layer_names,
                only_a=len(first_a) - len(matched), only_b=len(first_b) - len(matched),
                measures=stats)
    del rows_a, rows_b, first_a, first_b, matched  # the documents' index: not needed now
    return with_measures(result, stats, measures)


def measure_stats(layer_names: Sequence[str], coders: int, doc_layers: set[str],
                  layers: Sequence[str] | None, measures: Mapping[str, Any] | None,
                  ) -> MeasureStats | None:
    """What the measures asked for keep of each document as it comes (None: no measures)."""
    if measures is None:
        return None
    from annotator.review.measures import JACCARD, MeasureStats

    wanted = sorted(doc_layers if not layers else doc_layers & set(layers))
    return MeasureStats(layer_names, coders, jaccard=measures.get("jaccard", JACCARD),
                        document_layers=measures.get("document_layers", wanted))


def with_measures(result: AgreementResult, stats: MeasureStats | None,
                  measures: Mapping[str, Any] | None) -> AgreementResult:
    """``result`` with the measures asked for (none: as it is), from ``stats``."""
    if measures is None or stats is None:
        return result
    options = {k: v for k, v in measures.items() if k not in ("jaccard", "document_layers")}
    with collector_paused():  # numpy arrays and our records: no cycles (core.collector)
        found = stats.finish(result.documents, **options)
    return replace(result, measures=found)
