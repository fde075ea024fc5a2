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


def run_server(args: argparse.Namespace) -> int:
    from annotator.team import server

    if args.action == "init":
        from annotator.core.tagset import load_tagset

        tagset = load_tagset(args.tagset) if args.tagset else None
        print(server.init(args.url, tagset=tagset, blind=not args.open))
    elif args.action == "add-user":
        print(server.add_user(args.url, args.name, server.new_password(),
                              curator=args.curator))
    elif args.action == "assign":
        from annotator.team.assign import coder_names

        seed = 0 if args.seed is None else args.seed
        planned = server.assign(args.url, coder_names(args.annotators), overlap=args.overlap,
                                seed=seed)
        if args.json:
            print(json_text({"seed": seed, "documents": planned}))
        else:
            for coder, docs in planned.items():
                print(f"{coder}: {len(docs)} document(s)")
    elif args.action == "progress":
        found = server.progress(args.url)
        if args.json:
            print(json_text(found))
        else:
            for who, e in sorted(found.items()):
                print(f"{who}: {e['done']} of {e['assigned']} done, {e['in_progress']} in "
                      f"progress, {e['spans']} span(s)")
    return 0


def run_pull(args: argparse.Namespace) -> int:
    from annotator.team.sync import pull

    print(pull(args.url, Path(args.output)))
    return 0


def run_push(args: argparse.Namespace) -> int:
    from annotator.team.sync import push

    result = push(Path(args.file), args.url)
    for line in result.refused:
        _say(line)
    print(f"pushed {len(result.pushed)} document(s), {result.unchanged} unchanged, "
          f"{len(result.refused)} refused")
    return 1 if result.refused else 0


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

    p = sub.add_parser("server", help="a shared project on a PostgreSQL server")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = actions.add_parser("init", help="schema, roles and permissions in an empty database")
    a.add_argument("url")
    a.add_argument("--tagset", help="a tagset TOML file (default: the bundled one)")
    a.add_argument("--open", action="store_true",
                   help="coders see each other's annotations (default: blind)")
    a = actions.add_parser("add-user", help="a login for an annotator or curator")
    a.add_argument("url")
    a.add_argument("name")
    a.add_argument("--curator", action="store_true")
    a = actions.add_parser("assign", help="assign documents to coders (curators)")
    a.add_argument("url")
    a.add_argument("--annotators", required=True)
    a.add_argument("--overlap", type=float, default=None)
    a.add_argument("--seed", type=int, default=None)
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("progress", help="each annotator's progress")
    a.add_argument("url")
    a.add_argument("--json", action="store_true")
    p.set_defaults(func=run_server)

    p = sub.add_parser("pull", help="your assigned documents, tagset and spans into a file")
    p.add_argument("url")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.set_defaults(func=run_pull)

    p = sub.add_parser("push", help="your spans from a pulled file back to the server")
    p.add_argument("file")
    p.add_argument("url")
    p.set_defaults(func=run_push)
