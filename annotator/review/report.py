"""The ``annotator agree`` and ``annotator merge`` commands (called from ``annotator.cli``).

``agree`` opens every file read-only (untrusted) and writes nothing but its ``--report`` file;
``merge`` writes only its ``-o`` file, which must not exist yet. Both raise
:class:`annotator.core.errors.AnnotatorError` on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from annotator.review.agreement import AgreementResult

WORKERS = 2  # tokenizer processes for large comparisons (results do not depend on it)


def agreement_of(paths: Sequence[str], *, layers: Sequence[str] | None = None,
                 workers: int = 1) -> AgreementResult:
    """Load ``paths`` (untrusted) and compute their agreement over the matched documents."""
    from annotator.review.agreement import compute_agreement
    from annotator.review.sources import load_review

    review = load_review(paths, layers=layers)
    return compute_agreement(review.matched_documents(), annotators=review.annotators,
                             only_a=len(review.only[0]), only_b=len(review.only[1]),
                             layers=layers or None, workers=workers)


def run_agree(args: argparse.Namespace) -> int:
    from annotator.review.agreement import format_table, to_json

    result = agreement_of(args.projects, layers=args.layer or None, workers=WORKERS)
    if args.report:
        from annotator.review.share import write_report

        write_report(args.report, result)
    if args.json:
        print(json.dumps(to_json(result, digits=4), ensure_ascii=False))
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
