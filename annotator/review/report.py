"""The ``annotator agree`` and ``annotator merge`` commands (called from ``annotator.cli``).

``agree`` opens every file read-only (untrusted) and writes nothing but its ``--report`` file;
``merge`` writes only its ``-o`` file, which must not exist yet. Both raise
:class:`annotator.core.errors.AnnotatorError` on bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from annotator.review.agreement import AgreementResult

WORKERS = 2  # tokenizer processes for large comparisons (results do not depend on it)


def _warm_tokenizer() -> None:
    """Worker initializer: import nltk while the parent reads the project files."""
    from annotator.review.tokens_agreement import token_spans

    token_spans("Warm up.")


def _started() -> bool:
    return True


def agreement_of(paths: Sequence[str], *, layers: Sequence[str] | None = None,
                 workers: int = 1) -> AgreementResult:
    """Load ``paths`` (untrusted) and compute their agreement (:mod:`annotator.review.pairwise`).

    Raises AnnotatorError for an unknown layer or files without a document in common.
    With ``workers`` > 1 the tokenizer runs in that many processes, started first so that their
    (slow) nltk import overlaps the reading of the files. Results do not depend on it.
    """
    from annotator.review.pairwise import check_request, review_agreement, texts
    from annotator.review.sources import load_review
    from annotator.review.tokens_agreement import token_spans

    if workers <= 1:
        review = load_review(paths, layers=layers)
        check_request(review, layers)
        tokens = {text: token_spans(text) for text in texts(review)}
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers, initializer=_warm_tokenizer) as pool:
            for _ in range(workers):
                pool.submit(_started)
            review = load_review(paths, layers=layers)
            check_request(review, layers)
            needed = texts(review)
            chunk = max(1, min(50, len(needed) // (4 * workers)))
            tokens = dict(zip(needed, pool.map(token_spans, needed, chunksize=chunk),
                              strict=True))
    return review_agreement(review, layers=layers or None, tokenize=tokens.__getitem__)


def run_agree(args: argparse.Namespace) -> int:
    from annotator.review.output import format_table, to_json

    result = agreement_of(args.projects, layers=args.layer or None, workers=WORKERS)
    if args.report:
        from annotator.review.share import write_report

        write_report(args.report, result)
    if args.json:
        from annotator.console import json_text

        print(json_text(to_json(result, per_document=False)))
    else:
        sys.stdout.write(format_table(result))
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
    review = load_review([args.project_a, args.project_b])
    adj = automatic(review, args.prefer)
    a, b = review.annotators
    spans = write_gold(out, adj.gold(), tagset=review.sides[0].tagset, annotator=f"{a}+{b}")
    print(f"merged {len(review.matched)} document(s), {spans} span(s) into {out} "
          f"(prefer {args.prefer})")
    for name, only in zip(review.annotators, review.only, strict=True):
        if only:
            print(f"not merged, only in {name}: {', '.join(only)}", file=sys.stderr)
    return 0
