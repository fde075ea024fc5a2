"""The team commands of the ``annotator`` CLI (called by thin ``cmd_`` functions in
:mod:`annotator.cli`): distribute, collect, server init/add-user/assign/progress, pull, push."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from annotator.console import json_text


def _say(msg: str) -> None:
    print(msg, file=sys.stderr)


def run_distribute(args: argparse.Namespace) -> int:
    from annotator.team.assign import coder_names
    from annotator.team.distribute import distribute

    coders = coder_names(args.annotators)
    made = distribute(args.master, Path(args.output), coders, overlap=args.overlap,
                      seed=args.seed)
    if args.json:
        print(json_text({"seed": made.seed, "overlap": made.overlap,
                         "files": {c: str(p) for c, p in made.files.items()},
                         "documents": made.documents}))
        return 0
    for coder, path in made.files.items():
        print(f"{path}: {len(made.documents[coder])} document(s) for {coder}")
    _say(f"seed {made.seed} (give --seed {made.seed} to make the same distribution again)")
    return 0


def run_collect(args: argparse.Namespace) -> int:
    from annotator.team.collect import collect, report_lines

    reports = collect(args.inputs, Path(args.output))
    if args.json:
        print(json_text({"study": args.output,
                         "annotators": {w: r.as_json() for w, r in sorted(reports.items())}}))
        return 0
    print(f"collected {len(reports)} coder(s) into {args.output}")
    for line in report_lines(reports):
        print("  " + line)
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The team commands' parsers (no heavy import here: the CLI starts fast)."""
    p = sub.add_parser("distribute", help="one project file per coder, for blind coding")
    p.add_argument("master")
    p.add_argument("-o", "--output", required=True, metavar="DIR")
    p.add_argument("--annotators", required=True, help="coders' names: alice,bob,carol")
    p.add_argument("--overlap", type=float, default=None,
                   help="each document to one coder, and this share (0-1) to a second one")
    p.add_argument("--seed", type=int, default=None, help="makes the same distribution again")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_distribute)

    p = sub.add_parser("collect", help="every coder's spans in one study project")
    p.add_argument("inputs", nargs="+", metavar="DIR_OR_FILE")
    p.add_argument("-o", "--output", required=True, metavar="STUDY")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_collect)
