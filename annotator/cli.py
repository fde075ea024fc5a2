"""The ``annotator`` command. No Qt and no nltk at import time: start-up stays fast.

Every command exits 0 on success; bad input exits 1 (2 for usage errors) with one line on stderr
naming the file and the problem, and never a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from annotator.cli_import import cmd_import
from annotator.cli_support import Progress, _open, _say
from annotator.console import json_text, tolerant_stdout
from annotator.core.errors import AnnotatorError, BadInputError, UnknownFormatError
from annotator.team.commands import add_parsers as add_team_parsers

EXPORT_FORMATS = ("jsonl", "brat", "conll", "xmi", "csv", "xlsx", "webanno-tsv", "spacy",
                  "inception", "refi-qda", "refi-qdc", "ptc", "mpqa", "semeval-stance")
IMPORT_FORMATS = ("auto", "txt", "md", "html", "jsonl", "csv", "brat", "xmi", "doccano",
                  "labelstudio", "inception", "webanno-tsv", "refi-qda", "refi-qdc", "ptc",
                  "bioscope", "mpqa", "semeval-stance")


# ---------------------------------------------------------------------------- commands
def cmd_new(args: argparse.Namespace) -> int:
    from annotator.core.project import Project
    from annotator.core.tagset import load_tagset

    tagset = load_tagset(args.tagset) if args.tagset else None
    with Project.create(args.project, annotator=args.annotator or "", tagset=tagset) as p:
        layers = ", ".join(lay.name for lay in p.tagset.layers)
    print(f"created {args.project} (layers: {layers})")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from annotator.core.atomic import export_target
    from annotator.formats.registry import WriteOptions, get_format

    writer = get_format(args.format)
    if not writer.can_write:
        raise UnknownFormatError(f"format {args.format!r} cannot be exported")
    summary = _quick_export(args, writer)
    if summary is not None:
        return _exported(args, summary)
    with _open(args.project, readonly=True) as p:
        _check_filters(args, p.tagset)
        docs = None
        if args.document:
            wanted = set(args.document)
            docs = [d.pk for d in p.documents() if d.name in wanted]
            missing = wanted - {d.name for d in p.documents() if d.name in wanted}
            if missing:
                raise BadInputError(f"no document named {sorted(missing)[0]!r}", path=args.project)
        corpus = p.iter_corpus(documents=docs, layers=args.layer or None,
                               labels=args.label or None, statuses=args.status or None)
        progress = Progress("exporting")
        options = WriteOptions(layers=args.layer or None, scheme=args.scheme, progress=progress)
        with export_target(Path(args.output),
                           directory=writer.directory and not writer.archive) as target:
            summary = writer.write(corpus, target, p.tagset, options)
        progress.finish()
    return _exported(args, summary)


def _quick_export(args: argparse.Namespace, writer):  # noqa: ANN001, ANN202 - Format, ExportSummary
    """A JSON Lines export of a whole project file in the common case (see
    :mod:`annotator.core.quick_read`) read with plain sqlite3 (no SQLAlchemy: start-up stays
    fast), or None: any other export, or anything unusual in the file (a value that cannot be
    read, an SQLite error), then goes through the project, which says what is wrong. The
    output is written as every export is (:func:`export_target`): nothing is left of a try
    that stopped."""
    import sqlite3

    from annotator.core import corpus_rows, quick_read
    from annotator.core.atomic import export_target
    from annotator.core.tagset import Tagset
    from annotator.formats.registry import WriteOptions

    if args.format != "jsonl" or args.document or args.layer or args.label:
        return None
    conn = quick_read.connect(args.project)
    if conn is None:
        return None
    progress = Progress("exporting")
    try:
        docs = corpus_rows.order(conn, args.status or None)
        corpus = _Listed(corpus_rows.documents(conn, docs, corpus_rows.CHUNK), len(docs))
        with export_target(Path(args.output), directory=False) as target:
            # JSON Lines writes no tagset (interfaces.md): none is read
            summary = writer.write(corpus, target, Tagset(),
                                   WriteOptions(scheme=args.scheme, progress=progress))
    except (sqlite3.Error, corpus_rows.Damaged):
        return None
    finally:
        conn.close()
    progress.finish()
    return summary


class _Listed:
    """Documents as they are read, with their number known up front."""

    def __init__(self, docs, count: int) -> None:  # noqa: ANN001 - an iterator of documents
        self._docs, self._count = docs, count

    def __iter__(self):  # noqa: ANN204 - an iterator of CorpusDocument
        return self._docs

    def __len__(self) -> int:
        return self._count


def _exported(args: argparse.Namespace, summary) -> int:  # noqa: ANN001 - ExportSummary
    dropped = "".join(f"; dropped {n}: {why}" for why, n in summary.dropped.items())
    for w in summary.warnings:
        _say(w)
    if args.json:
        print(json_text({"documents": summary.documents, "spans": summary.spans,
                          "relations": summary.relations, "dropped": summary.dropped}))
    else:
        print(f"exported {summary.documents} document(s), {summary.spans} span(s), "
              f"{summary.relations} relation(s) to {args.output}{dropped}")
    return 0


def _check_filters(args: argparse.Namespace, tagset) -> None:  # noqa: ANN001 - Tagset, lazily
    """A ``--layer`` or ``--label`` the project's tagset does not know is a typo, not a request
    for an empty export."""
    for layer in args.layer or ():
        if tagset.layer(layer) is None:
            known = ", ".join(lay.name for lay in tagset.layers)
            raise BadInputError(f"no layer named {layer!r} (layers: {known})", path=args.project)
    for wanted in args.label or ():
        layer, _, label = wanted.rpartition(":")
        found = (tagset.label(layer, label) is not None if layer else
                 any(lay.label(label) is not None for lay in tagset.layers))
        if not found:
            raise BadInputError(f"no label {wanted!r} in the tagset", path=args.project)


def _quick(project: str, read):  # noqa: ANN001, ANN202 - read: (conn, path) -> answer | None
    """``read`` through :mod:`annotator.core.quick_read` (no SQLAlchemy: start-up stays fast)
    when the file allows it, else None (the caller then opens the project)."""
    from annotator.core import quick_read

    conn = quick_read.connect(project)
    if conn is None:
        return None
    try:
        return read(conn, project)
    finally:
        conn.close()


def cmd_list(args: argparse.Namespace) -> int:
    from annotator.core import quick_read

    docs = _quick(args.project, lambda conn, path: quick_read.documents(
        conn, path, status=args.status))
    if docs is None:
        with _open(args.project, readonly=True) as p:
            docs = p.documents(status=args.status)
    if args.json:
        print(json_text([{"id": d.name, "title": d.title, "status": d.status,
                          "spans": d.span_count, "length": d.length, "sha256": d.sha256}
                         for d in docs]))
        return 0
    width = max([len(d.name) for d in docs] + [2])
    print(f"{'id':<{width}}  {'status':<11}  {'spans':>6}  title")
    for d in docs:
        print(f"{d.name:<{width}}  {d.status:<11}  {d.span_count:>6}  {d.title}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from annotator.core import quick_read

    stats = _quick(args.project, quick_read.stats)
    if stats is None:
        with _open(args.project, readonly=True) as p:
            stats = p.stats()
    if args.json:
        print(json_text(stats))
        return 0
    status = ", ".join(f"{k} {v}" for k, v in sorted(stats["status"].items()))
    print(f"documents: {stats['documents']} ({status or 'none'})")
    print(f"spans: {stats['spans']}   relations: {stats['relations']}")
    for layer, entry in sorted(stats["layers"].items()):
        print(f"  {layer}: {entry['spans']}")
        for label, n in sorted(entry["labels"].items()):
            print(f"    {label}: {n}")
    for typ, n in sorted(stats["relation_types"].items()):
        print(f"  relation {typ}: {n}")
    if len(stats["annotators"]) > 1:
        print("annotators: " + ", ".join(f"{name} {entry['spans']}" for name, entry
                                         in sorted(stats["annotators"].items())))
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from annotator.core.query import run_query
    from annotator.core.query.rows import kwic_line, write_hits_csv

    with _open(args.project, readonly=True) as p:
        hits = run_query(p, args.query)  # a bad query fails here, before any output
        if args.csv:
            write_hits_csv(hits, sys.stdout)
        elif args.json:  # streamed: the same text as one json.dumps of the whole list
            sep = "["
            for h in hits:
                sys.stdout.write(sep + json_text(h.as_json()))
                sep = ", "
            sys.stdout.write("]\n" if sep == ", " else "[]\n")
        else:
            n = 0
            for h in hits:
                print(kwic_line(h))
                n += 1
            _say(f"{n} hit(s)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from annotator.core.project import Project

    with Project.open(args.project, readonly=True) as p:
        problems = p.check()
    if args.json:
        print(json_text({"ok": not problems, "problems": problems}))
    elif problems:
        for line in problems:
            print(f"{args.project}: {line}")
    else:
        print(f"{args.project}: ok")
    return 1 if problems else 0


def cmd_gui(args: argparse.Namespace) -> int:
    from annotator.gui.app import main as gui_main

    return gui_main([args.project] if args.project else [])


def cmd_agree(args: argparse.Namespace) -> int:
    from annotator.review.report import run_agree

    return run_agree(args)


def cmd_merge(args: argparse.Namespace) -> int:
    from annotator.review.report import run_merge

    return run_merge(args)


def cmd_review(args: argparse.Namespace) -> int:
    from annotator.gui.review_window import run_review

    names = [n for n in (args.annotators or "").split(",") if n.strip()] or None
    return run_review([p for p in (args.project_a, args.project_b) if p], annotators=names)


def cmd_suggest(args: argparse.Namespace) -> int:
    from annotator.nlp.suggest_cli import run_suggest

    return run_suggest(args, _open)


def cmd_backup(args: argparse.Namespace) -> int:
    from annotator.core.storage import backup

    project = Path(args.project)
    if args.restore:
        src = Path(args.restore)
        from annotator.core.storage.engine import read_header

        read_header(src)
        read_header(project)
        backup.restore_backup(src, project)
        print(f"restored {project} from {src}")
        return 0
    if args.list:
        found = backup.list_backups(project)
        if not found and not project.exists():
            from annotator.core.errors import NotAProjectError

            raise NotAProjectError("no such project file, and no backups of it", path=project)
        for b in found:
            print(b)
        return 0
    from annotator.core.storage.engine import read_header

    read_header(project)
    made = backup.make_backup(project, force=True)
    print(f"backed up to {made}")
    return 0


# ---------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator", description="Annotate stance, hedging, attribution and rhetoric.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--version", action="version", version="annotator 0.1.0")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("new", help="create a project file")
    p.add_argument("project")
    p.add_argument("--annotator", help="your name, recorded on every span")
    p.add_argument("--tagset", help="a tagset TOML file (default: the bundled one)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="import files or folders of articles or corpora")
    p.add_argument("project")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", default="auto", choices=IMPORT_FORMATS)
    p.add_argument("--encoding", help="decode text files with this encoding (default: detect)")
    p.add_argument("--text-column", help="CSV: the column holding the article text")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="export the annotated corpus")
    p.add_argument("project")
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--layer", action="append", help="only this layer (repeatable)")
    p.add_argument("--label", action="append", help="only this label or layer:label")
    p.add_argument("--status", action="append", choices=("new", "in_progress", "done"),
                   help="only documents with this status (repeatable)")
    p.add_argument("--document", action="append", help="only this document id (repeatable)")
    p.add_argument("--scheme", default="BIO", choices=("BIO", "BIOES"), help="CoNLL tags")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("list", help="documents, status, span counts")
    p.add_argument("project")
    p.add_argument("--status", choices=("new", "in_progress", "done"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("stats", help="counts per layer and label")
    p.add_argument("project")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("query", help="spans matching a query (concordance rows)")
    p.add_argument("project")
    p.add_argument("query", help="e.g. 'hedging:hedge inside attribution:content'")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", action="store_true")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("check", help="integrity check; exit 1 on damage")
    p.add_argument("project")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("agree", help="agreement between annotators' project files")
    p.add_argument("projects", nargs="+", metavar="PROJECT")
    p.add_argument("--layer", action="append")
    p.add_argument("--annotators", help="compare only these annotators (a,b,...)")
    p.add_argument("--per-document", action="store_true", help="per-document table, worst first")
    p.add_argument("--seed", type=int, default=0, help="seed of bootstrap and gamma sampling")
    p.add_argument("--jaccard", type=float, default=0.5, help="f1_boundary threshold (0-1]")
    p.add_argument("--json", action="store_true")
    p.add_argument("--report", help="write an HTML or CSV report to this file")
    p.set_defaults(func=cmd_agree)

    p = sub.add_parser("merge", help="merge two annotators' files (or the two annotators of one "
                       "project) into a gold file")
    p.add_argument("project_a")
    p.add_argument("project_b", nargs="?")
    p.add_argument("--annotators", metavar="A,B", help="the two annotators to merge, by name")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--prefer", default="agreed", choices=("a", "b", "agreed"))
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("review", help="open the review window on two annotators' files (or "
                       "on one project with several annotators)")
    p.add_argument("project_a")
    p.add_argument("project_b", nargs="?")
    p.add_argument("--annotators", metavar="A,B", help="the two annotators to review, by name")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("backup", help="back up a project, list or restore backups")
    p.add_argument("project")
    p.add_argument("--list", action="store_true", help="list the rolling backups")
    p.add_argument("--restore", metavar="BACKUP", help="replace the project by this backup")
    p.set_defaults(func=cmd_backup)

    add_team_parsers(sub)  # distribute, collect, server, pull, push: annotator.team.commands

    p = sub.add_parser("suggest", help="list, evaluate or accept span suggestions")
    p.add_argument("project")
    p.add_argument("--document", help="only this document id")
    p.add_argument("--recommender", choices=("lexicon", "string", "learned"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--evaluate", action="store_true", help="P/R/F1 on a held-out 20%% split")
    p.add_argument("--accept-above", type=float, metavar="SCORE",
                   help="add the suggestions scoring at least SCORE as spans")
    p.add_argument("--threshold", type=float, default=0.5, metavar="F1",
                   help="F1 from which a recommender is used (default 0.5)")
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser("gui", help="open the desktop window")
    p.add_argument("project", nargs="?")
    p.set_defaults(func=cmd_gui)
    return parser


def missing_library(exc: ImportError) -> str:
    """The package an ImportError is about, in words (its own message when it names none)."""
    if exc.name:
        return exc.name
    return " ".join(str(exc).split())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    tolerant_stdout()
    try:
        return int(args.func(args) or 0)
    except AnnotatorError as exc:
        if args.debug:
            raise
        # one line, the hint in it: a script reading stderr sees one message per failure
        _say(f"annotator: {exc}" + (f" (hint: {exc.hint})" if exc.hint else ""))
        return 1
    except KeyboardInterrupt:
        _say("annotator: interrupted; nothing was written")
        return 130
    except OSError as exc:
        if args.debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        _say(f"annotator: {where}{exc.strerror or exc}")
        return 1
    except ImportError as exc:  # an incomplete installation: name the package, no traceback
        if args.debug:
            raise
        _say(f"annotator: a library this command needs is missing ({missing_library(exc)}); "
             "reinstall with: python3 -m pip install -e .")
        return 1


if __name__ == "__main__":
    sys.exit(main())
