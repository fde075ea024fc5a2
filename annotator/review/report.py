"""The ``annotator agree`` and ``annotator merge`` commands (called from ``annotator.cli``).

``agree`` opens every file read-only (untrusted) and writes nothing but its ``--report`` file;
``merge`` writes only its ``-o`` file, which must not exist yet; two files without
``--annotators`` are merged one chunk of documents at a time
(:mod:`annotator.review.merge_stream`: the same gold file, in bounded memory). Both raise
:class:`annotator.core.errors.AnnotatorError` on bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from annotator.review.agreement import AgreementResult

WORKERS = 2  # tokenizer processes for large comparisons (results do not depend on it)
_PARALLEL_FROM = 200  # fewer texts than this are tokenized in this process


def tokenize_texts(texts: Sequence[str], workers: int = 1) -> dict[str, list[tuple[int, int]]]:
    """Token offsets of every text (:func:`tokens_agreement.token_spans`), by text.

    With ``workers`` > 1, many texts and the ``fork`` start method available, the tokenizer
    (nltk) is loaded here first and the work is shared with forked processes, which inherit it
    instead of loading it again: less wall time for the price of little extra CPU.
    """
    import multiprocessing

    from annotator.review.tokens_agreement import token_spans

    if (workers <= 1 or len(texts) < _PARALLEL_FROM
            or "fork" not in multiprocessing.get_all_start_methods()):
        return {text: token_spans(text) for text in texts}
    from concurrent.futures import ProcessPoolExecutor

    token_spans("Warm up: load the tokenizer before forking.")
    chunk = max(1, min(50, len(texts) // (4 * workers)))
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("fork")) as pool:
        return dict(zip(texts, pool.map(token_spans, texts, chunksize=chunk), strict=True))


def agreement_of(paths: Sequence[str], *, layers: Sequence[str] | None = None,
                 workers: int = 1, annotators: Sequence[str] | None = None,
                 measures: dict[str, Any] | None = None) -> AgreementResult:
    """Load ``paths`` (untrusted) and compute their agreement (:mod:`annotator.review.pairwise`).

    One path: the annotators of that project are compared (:func:`sources.load_review`).
    Raises AnnotatorError for an unknown layer or annotator, or files without a document in
    common. Two files (no ``annotators``) are compared one document at a time
    (:mod:`annotator.review.stream`: bounded memory, each text tokenized in this process as its
    document comes; two plain project files are read through :mod:`sqlite3` alone,
    :mod:`annotator.review.quick_stream`: the same figures without importing SQLAlchemy);
    otherwise every file is read first. ``workers``: see
    :func:`tokenize_texts` (not used for two files). Results do not depend on it.
    ``measures``: keyword arguments of :func:`annotator.review.measures.compute_measures`.
    """
    if len(paths) == 2 and not annotators:  # two files: compared one document at a time
        from annotator.core.errors import AnnotatorError
        from annotator.review.quick_stream import quick_agreement
        from annotator.review.sources import same_project
        from annotator.review.stream import stream_agreement

        quick = quick_agreement(paths, layers=layers or None, measures=measures)
        if quick is not None:  # the common case, without SQLAlchemy
            return quick
        if same_project(paths[0], paths[1]):
            raise AnnotatorError("the same project file is given twice", path=paths[0])
        return stream_agreement(paths, layers=layers or None, measures=measures)
    from annotator.review.pairwise import check_request, review_agreement, texts
    from annotator.review.sources import load_review

    review = load_review(paths, layers=layers, annotators=annotators)
    check_request(review, layers)
    tokens = tokenize_texts(texts(review), workers)  # a text serves every pair
    return review_agreement(review, layers=layers or None, tokenize=tokens.__getitem__,
                            measures=measures)


def run_agree(args: argparse.Namespace) -> int:
    from annotator.core.errors import AnnotatorError
    from annotator.review.output import format_documents, format_table, to_json

    jaccard = getattr(args, "jaccard", 0.5)
    if not 0 < jaccard <= 1:
        raise AnnotatorError(f"--jaccard {jaccard} is not in (0, 1]")
    seed = getattr(args, "seed", 0)
    if seed < 0:  # numpy's bootstrap seed sequence takes only non-negative integers
        raise AnnotatorError(f"--seed {seed} must be 0 or more")
    annotators = getattr(args, "annotators", None)
    names = [a for a in annotators.split(",")] if annotators else None
    if args.report:
        from annotator.review.share import report_kind

        report_kind(args.report)  # refuse a bad name before the work
    measures = {"seed": seed, "jaccard": jaccard}
    result = agreement_of(args.projects, layers=args.layer or None, workers=WORKERS,
                          annotators=names, measures=measures)
    per_document = getattr(args, "per_document", False)
    if args.report:
        from annotator.review.share import write_report

        write_report(args.report, result)
    if args.json:
        from annotator.console import json_text

        print(json_text(to_json(result, per_document=per_document)))
    else:
        sys.stdout.write(format_table(result))
        if per_document:
            sys.stdout.write(format_documents(result))
        if args.report:
            print(f"report written to {args.report}")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from pathlib import Path

    from annotator.core.errors import AnnotatorError
    from annotator.review.adjudicate import automatic, write_gold
    from annotator.review.sources import load_review

    out = Path(args.output)
    if out.exists():
        raise AnnotatorError("already exists; merge writes a new file only", path=out)
    paths = [p for p in (args.project_a, args.project_b) if p]
    names = [n for n in (args.annotators or "").split(",") if n.strip()] or None
    if len(paths) == 2 and not names:  # two files: one chunk of documents at a time
        from annotator.review.merge_stream import stream_merge

        merged = stream_merge(paths[0], paths[1], out, args.prefer)
        _merge_summary(out, args.prefer, merged.matched, merged.spans, merged.annotators,
                       merged.only)
        return 0
    review = load_review(paths, annotators=names)
    if len(review.sides) != 2:
        raise AnnotatorError(f"holds {len(review.sides)} annotators ({', '.join(review.annotators)}"
                             "); name the two to merge with --annotators A,B", path=paths[0])
    adj = automatic(review, args.prefer)
    a, b = review.annotators
    spans = write_gold(out, adj.gold(), tagset=review.sides[0].tagset, annotator=f"{a}+{b}")
    _merge_summary(out, args.prefer, len(review.matched), spans, review.annotators, review.only)
    return 0


def _merge_summary(out: object, prefer: str, matched: int, spans: int,
                   annotators: Sequence[str], only: Sequence[Sequence[str]]) -> None:
    print(f"merged {matched} document(s), {spans} span(s) into {out} (prefer {prefer})")
    for name, names in zip(annotators, only, strict=True):
        if names:
            print(f"not merged, only in {name}: {', '.join(names)}", file=sys.stderr)
