"""Cost of reading a project through a private copy (what read-only opens now do).

Builds a project of ``--docs`` articles with ``--spans`` spans each, then times, in the same run,
``--repeat`` rounds of:

* baseline: the old read-only open, ``immutable`` on the file itself (header, ``quick_check``,
  schema check, list the documents);
* copy: ``Project.open(path, readonly=True)`` + ``documents()`` + ``close()`` (private copy of
  the file and its log, settled by SQLite, the same checks);
* copy with log: the same on a file whose last ~1,000 spans are still in its ``-wal`` (a writer
  that crashed).

Prints the file size, the median seconds of each and the ratio to the baseline.

    python bench/bench_open_readonly.py [--docs 2000] [--spans 25] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project
from annotator.core.storage import engine as eng


def build(path: Path, docs: int, spans: int) -> None:
    text = "Officials said the plan was not fully confirmed, critics argued. " * 30
    corpus = [CorpusDocument(name=f"d{i}", title="", text=f"{text}{i}",
                             spans=[SpanRecord(f"s{j}", "hedging", "hedge",
                                               ((j * 7, j * 7 + 5),)) for j in range(spans)])
              for i in range(docs)]
    with Project.create(path, annotator="bench") as p:
        p.import_documents(corpus)


def baseline(path: Path) -> int:
    eng.read_header(path)
    engine = eng.make_engine(path, readonly=True, immutable=True)
    try:
        with eng.raw_connection(engine) as conn:
            eng.quick_check(conn, path)
            eng.schema_problems(conn)
            return len(conn.execute("SELECT id, name, title, status FROM document").fetchall())
    finally:
        engine.dispose()


def through_copy(path: Path) -> int:
    with Project.open(path, readonly=True) as p:
        return len(p.documents())


def timed(fn, path: Path, repeat: int) -> float:  # noqa: ANN001
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(path)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def crashed_copy(src: Path, folder: Path) -> Path:
    """``src`` with ~1,000 more spans committed only to its -wal (the writer was killed)."""
    dest = folder / "crashed.annot"
    dest.write_bytes(src.read_bytes())
    code = ("import os, signal, sys\nfrom annotator.core.project import Project\n"
            "p = Project.open(sys.argv[1])\nd = p.documents()[0].pk\n"
            "for i in range(1000):\n    p.add_span(d, 'stance', 'stance', ((i % 40, i % 40 + 1 + i // 40),))\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    env = dict(os.environ, ANNOTATOR_BACKUP_DIR=str(folder / "backups"))
    run = subprocess.run([sys.executable, "-c", code, str(dest)], env=env, check=False)
    assert run.returncode == -signal.SIGKILL
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--spans", type=int, default=25)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["ANNOTATOR_BACKUP_DIR"] = str(folder / "backups")
        path = folder / "bench.annot"
        build(path, args.docs, args.spans)
        crashed = crashed_copy(path, folder)
        size = path.stat().st_size / 1e6
        wal = crashed.with_name(crashed.name + "-wal").stat().st_size / 1e6
        base = timed(baseline, path, args.repeat)
        copy = timed(through_copy, path, args.repeat)
        logged = timed(through_copy, crashed, args.repeat)
        print(f"project: {args.docs} documents, {size:.1f} MB (crashed copy: -wal {wal:.1f} MB)")
        print(f"baseline (immutable, old read-only open): {base:.3f} s")
        print(f"private copy (read-only open now):        {copy:.3f} s  ratio {copy / base:.2f}")
        print(f"private copy of file + -wal:              {logged:.3f} s  "
              f"ratio {logged / base:.2f}")


if __name__ == "__main__":
    main()
