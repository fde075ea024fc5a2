"""brat import of 2,000 documents x 40 entities (80,000 spans) against a minimal brat parser.

Run: ``python bench/bench_brat.py [--repeat N] [--docs N]``. One command; it prints the figures
and the ratio.

The corpus (made in a temporary folder): 2,000 ``.txt`` of ~2 KB, each with an ``.ann`` of 40
``T`` lines, one ``R`` and two ``A`` lines (one binary, one valued), and an ``annotation.conf``.

The baseline does the least a brat import must do: read each ``.txt`` and ``.ann`` (UTF-8),
split each line, check each entity's offsets and shown text against the ``.txt``, resolve the
relation and attribute targets, SHA-256 the text, and insert the same rows (document, span,
relation; attributes as sorted JSON) into a copy of a fresh project file in one transaction.
Ours is ``annotator import P FOLDER --format brat`` run in the same process (its modules loaded
by a one-document import first), so the figure is the import's own work. The runs of both are
interleaved and the median of ``--repeat`` runs is taken, as wall time and as this process's
CPU time (less sensitive to a shared machine). The two project files must hold the
same number of spans, relations and documents, or the benchmark stops.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

WORDS = ["the", "council", "said", "that", "it", "seems", "plan", "may", "be", "delayed",
         "according", "to", "sources", "who", "claimed", "reportedly", "officials", "café",
         "résumé", "bridge", "budget", "👍", "قال"]
TYPES = ["Person", "Organization", "GPE", "source", "cue", "hedge"]
_sorted = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def make_corpus(folder: Path, docs: int, spans: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    (folder / "annotation.conf").write_text(
        "[entities]\n" + "\n".join(TYPES) + "\n[relations]\nRel\tArg1:<ENTITY>, Arg2:<ENTITY>\n"
        "[events]\n[attributes]\nNeg\tArg:<ENTITY>\nConf\tArg:<ENTITY>, Value:High|Low\n",
        encoding="utf-8")
    for d in range(docs):
        words = [rng.choice(WORDS) for _ in range(330)]
        text = f"Article {d}. " + " ".join(words) + "\n"
        starts = []
        pos = len(f"Article {d}. ")
        for w in words:
            starts.append((pos, pos + len(w)))
            pos += len(w) + 1
        lines = []
        for i, (s, e) in enumerate(sorted(rng.sample(starts, spans)), start=1):
            lines.append(f"T{i}\t{rng.choice(TYPES)} {s} {e}\t{text[s:e]}")
        lines += ["R1\tRel Arg1:T1 Arg2:T2", "A1\tNeg T3", "A2\tConf T4 High"]
        (folder / f"doc{d:05}.txt").write_text(text, encoding="utf-8")
        (folder / f"doc{d:05}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


def minimal_import(folder: Path, db: Path) -> None:
    """The baseline: a minimal brat reader + sqlite3 insert (see the module docstring)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    conn.execute("BEGIN IMMEDIATE")
    doc_rows, span_rows, rel_rows = [], [], []
    span_id = rel_id = 1
    for doc_id, txt in enumerate(sorted(folder.glob("*.txt")), start=1):
        text = txt.read_bytes().decode("utf-8")
        keys: dict[str, int] = {}
        attrs: dict[str, dict[str, object]] = {}
        pending = []
        rels = []
        for line in txt.with_suffix(".ann").read_bytes().decode("utf-8").split("\n"):
            if not line:
                continue
            fields = line.split("\t")
            if line[0] == "T":
                etype, s, e = fields[1].split(" ")
                a, b = int(s), int(e)
                if not (0 <= a < b <= len(text)) or text[a:b] != fields[2]:
                    raise SystemExit(f"{txt}: bad span {fields[0]}")
                keys[fields[0]] = span_id
                attrs[fields[0]] = {}
                pending.append([span_id, doc_id, "imported", etype, a, b, fields[0]])
                span_id += 1
            elif line[0] == "R":
                rtype, a1, a2 = fields[1].split(" ")
                rels.append((rtype, a1.split(":")[1], a2.split(":")[1]))
            elif line[0] == "A":
                parts = fields[1].split(" ")
                attrs[parts[1]][parts[0]] = parts[2] if len(parts) > 2 else True
        for row in pending:
            span_rows.append((*row[:6], None, _sorted(attrs[row[6]]), "", "", stamp, stamp))
        for rtype, src, tgt in rels:
            rel_rows.append((rel_id, doc_id, rtype, keys[src], keys[tgt], "{}", "", stamp))
            rel_id += 1
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        doc_rows.append((doc_id, txt.stem, txt.stem, text, sha, len(text), "{}", "new", doc_id,
                         stamp, stamp))
    conn.executemany("INSERT INTO document (id, name, title, text, sha256, length, meta, status,"
                     " position, created, modified) VALUES (?,?,?,?,?,?,?,?,?,?,?)", doc_rows)
    conn.executemany("INSERT INTO span (id, document_id, layer, label, start, \"end\", fragments,"
                     " attributes, note, annotator, created, modified)"
                     " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", span_rows)
    conn.executemany("INSERT INTO relation (id, document_id, type, source_id, target_id,"
                     " attributes, annotator, created) VALUES (?,?,?,?,?,?,?,?)", rel_rows)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def counts(db: Path) -> tuple[int, int, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    got = tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("document", "span", "relation"))
    conn.close()
    return got  # type: ignore[return-value]


def main() -> None:
    from annotator.cli import main as cli

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--docs", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus"
        make_corpus(corpus, args.docs, 40)
        fresh = tmp / "fresh.annot"
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert cli(["new", str(fresh)]) == 0
            warm = tmp / "warm"
            make_corpus(warm, 1, 40, seed=1)
            shutil.copy(fresh, tmp / "fresh-warm.annot")
            assert cli(["import", str(tmp / "fresh-warm.annot"), str(warm), "--format",
                        "brat"]) == 0
        ours, base, ours_cpu, base_cpu = [], [], [], []
        for run in range(args.repeat):
            a, b = tmp / f"ours{run}.annot", tmp / f"base{run}.annot"
            shutil.copy(fresh, a)
            shutil.copy(fresh, b)
            t0, c0 = time.perf_counter(), time.process_time()
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                assert cli(["import", str(a), str(corpus), "--format", "brat"]) == 0
            ours.append(time.perf_counter() - t0)
            ours_cpu.append(time.process_time() - c0)
            t0, c0 = time.perf_counter(), time.process_time()
            minimal_import(corpus, b)
            base.append(time.perf_counter() - t0)
            base_cpu.append(time.process_time() - c0)
            if counts(a) != counts(b):
                raise SystemExit(f"the two imports differ: {counts(a)} vs {counts(b)}")
        docs, spans, rels = counts(tmp / "ours0.annot")
        print(f"brat import of {docs} documents, {spans} spans, {rels} relations "
              f"(median of {args.repeat}; wall time, and CPU time of this process)")
        for what, a_runs, b_runs in (("wall", ours, base), ("CPU ", ours_cpu, base_cpu)):
            o, m = statistics.median(a_runs), statistics.median(b_runs)
            print(f"  {what}: annotator import --format brat {o:7.3f} s, minimal parser + "
                  f"sqlite3 insert {m:7.3f} s, ratio {o / m:5.2f}x")


if __name__ == "__main__":
    main()
