"""`annotator import` / `export` of 2,000 articles x 40 spans against a bare sqlite3 + json script.

Run: ``python bench/bench_import_export.py [--base DIR] [--repeat N]``. One command; it prints
the figures and the ratios.

The corpus: 2,000 articles of ~2 KB with 40 spans each (80,000 spans, 2,000 relations) as JSONL.
The baseline, ``bare_sqlite_json.py``, does the same work the user gets (see its docstring: the
same checks, one SHA-256 per text, the same rows in a copy of a fresh project file, one
transaction; the export reads each table once and writes the same bytes). The benchmark checks
that: the rows of both project files are compared (timestamps aside) and the two JSONL exports
must be byte-identical, or it stops.

Each figure is the median of ``--repeat`` runs, the runs of every contestant interleaved so that
the machine's load falls on all of them alike; each is taken as wall time and as CPU time (user +
system, less sensitive to a shared machine). Two ways of taking start-up out are printed:

* **less start-up**: the command's time minus that of ``annotator --version`` (the interpreter
  and the CLI module), so the command's own imports (SQLAlchemy…), opening, checks and backups
  count as work; the baseline's time is the script's less the interpreter's start
  (``python -c "import sqlite3, json, hashlib, datetime"``);
* **in process**: the command's own time inside one process whose modules were already loaded
  (a one-document import and export ran first in it); the baseline's as above.

``--base DIR`` also runs the code of an unpacked older tree (``git archive main | tar -x -C DIR``)
with ``PYTHONPATH=DIR``, in the same run, for before/after figures (``--new DIR`` likewise
replaces the installed code). The other exporters (brat,
conll, xmi, csv, webanno-tsv) are timed once each on the same project (wall − start-up).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BARE = HERE / "bare_sqlite_json.py"
WORDS = ["the", "council", "said", "that", "it", "seems", "the", "plan", "may", "be", "delayed",
         "according", "to", "sources", "who", "claimed", "reportedly", "officials", "👍", "قال",
         "المتحدث", "café", "résumé", "bridge", "budget"]
LAYERS = {"hedging": ["hedge", "scope", "booster"], "stance": ["stance", "target"],
          "attribution": ["source", "cue", "content"], "rhetoric": ["technique", "engagement"]}
OTHER_FORMATS = ("brat", "conll", "xmi", "csv", "webanno-tsv")

# Runs one annotator command in process: a one-document import and export first (so that every
# module the command needs is loaded), then the timed command; prints its seconds.
IN_PROCESS = """
import contextlib, io, shutil, sys, time
from annotator import cli
warm, tiny, fresh, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
shutil.copyfile(fresh, warm)
with contextlib.redirect_stdout(io.StringIO()):
    assert cli.main(["import", warm, tiny]) == 0
    assert cli.main(["export", warm, "--format", "jsonl", "-o", warm + ".out"]) == 0
    t, c = time.perf_counter(), time.process_time()
    rc = cli.main(cmd)
    dt, dc = time.perf_counter() - t, time.process_time() - c
assert rc == 0, rc
print(dt, dc)
"""


def generate(path: Path, docs: int = 2000, spans: int = 40, seed: int = 7) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for d in range(docs):
            words: list[str] = []
            while sum(len(w) + 1 for w in words) < 2000:
                words.append(rnd.choice(WORDS))
            text = " ".join(words)
            out = []
            taken = set()  # no exact copies: an import stores one of them (and says so)
            while len(out) < spans:
                a = rnd.randrange(0, len(text) - 40)
                b = a + rnd.randrange(1, 40)
                layer = rnd.choice(list(LAYERS))
                label = rnd.choice(LAYERS[layer])
                if (a, b, layer, label) in taken:
                    continue
                taken.add((a, b, layer, label))
                out.append({"id": "", "start": a, "end": b, "layer": layer,
                            "label": label, "attributes": {"k": "v"},
                            "text": text[a:b], "annotator": "bench", "note": ""})
            first, second = out[0], out[1]
            # in export order (start, end, layer, label): the file is what an export writes
            out.sort(key=lambda sp: (sp["start"], sp["end"], sp["layer"], sp["label"]))
            for i, sp in enumerate(out, 1):
                sp["id"] = f"s{i}"
            rels = [{"id": "r1", "type": "attributed_to", "from": first["id"],
                     "to": second["id"], "attributes": {}}]
            fh.write(json.dumps({"id": f"doc-{d}", "title": f"Doc {d}", "text": text, "meta": {},
                                 "status": "new", "spans": out, "relations": rels},
                                ensure_ascii=False) + "\n")


class Bench:
    def __init__(self, tmp: Path, src: Path, base: Path | None, new: Path | None) -> None:
        self.tmp, self.src = tmp, src
        self.trees: dict[str, dict[str, str]] = {"new": self._env(new)}
        if base is not None:
            self.trees = {"old": self._env(base), **self.trees}
        self.fresh = tmp / "fresh.annot"  # made by the new code; the schema is the same
        self.cli("new", "new", str(self.fresh))
        self.tiny = tmp / "tiny.jsonl"
        with src.open(encoding="utf-8") as fh:
            self.tiny.write_text(fh.readline(), encoding="utf-8")
        self.n = 0

    def _env(self, tree: Path | None) -> dict[str, str]:
        # bytecode cached as an installed program has it (pip compiles on install), kept in the
        # benchmark's folder; backups there too
        env = dict(os.environ, ANNOTATOR_BACKUP_DIR=str(self.tmp / "backups"),
                   PYTHONPYCACHEPREFIX=str(self.tmp / "pycache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if tree is not None:
            env["PYTHONPATH"] = str(tree)
        return env

    def warm_up(self) -> None:
        """Every command once on one document, so that bytecode is cached before timing."""
        for tree in self.trees:
            p = self._fresh()
            self.cli(tree, "--version")
            self.cli(tree, "import", str(p), str(self.tiny))
            for fmt in ("jsonl", *OTHER_FORMATS):
                self.cli(tree, "export", str(p), "--format", fmt, "-o",
                         str(self.tmp / f"warm-{tree}-{fmt}"))
        _timed([sys.executable, str(BARE), "--help"], self.trees["new"])

    def _fresh(self) -> Path:
        self.n += 1
        p = self.tmp / f"p{self.n}.annot"
        shutil.copyfile(self.fresh, p)
        return p

    def cli(self, tree: str, *args: str) -> tuple[float, float]:
        """Wall and CPU seconds of one ``annotator`` command."""
        return _timed([sys.executable, "-m", "annotator", *args], self.trees[tree], self.tmp)

    def in_process(self, tree: str, *args: str) -> tuple[float, float]:
        warm = self._fresh()
        out = subprocess.run([sys.executable, "-c", IN_PROCESS, str(warm), str(self.tiny),
                              str(self.fresh), *args], check=True, capture_output=True,
                             text=True, env=self.trees[tree], cwd=self.tmp).stdout.split()
        return float(out[-2]), float(out[-1])

    def bare(self, *args: str) -> tuple[float, float]:
        return _timed([sys.executable, str(BARE), *args], self.trees["new"])


def _timed(cmd: list[str], env: dict[str, str] | None, cwd: Path | None = None
           ) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of a child process. ``cwd``: the benchmark's
    folder for ``python -m annotator``, whose own folder comes before PYTHONPATH (run from the
    repository, ``--base`` would time the working tree's code twice)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd=cwd)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _rows(db: Path) -> dict[str, list[tuple]]:
    """Every row of the data tables, timestamps left out."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {}
        for table, cols in (("document", "id, name, title, text, sha256, length, meta, status, "
                                         "position"),
                            ("span", "id, document_id, layer, label, start, \"end\", fragments, "
                                     "attributes, note, annotator"),
                            ("relation", "id, document_id, type, source_id, target_id, "
                                         "attributes, annotator"),
                            ("tagset_label", "*"), ("tagset_relation_type", "*")):
            out[table] = conn.execute(f"SELECT {cols} FROM {table} ORDER BY id").fetchall()
        return out
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, help="an older source tree to time in the same run")
    ap.add_argument("--new", type=Path, help="time this source tree instead of the installed one")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="annot-bench-"))
    src = tmp / "corpus.jsonl"
    generate(src)
    b = Bench(tmp, src, args.base, args.new)
    b.warm_up()
    print(f"corpus: {src.stat().st_size / 1e6:.1f} MB, 2,000 documents, 80,000 spans, "
          f"2,000 relations; median of {args.repeat} runs")

    fig: dict[str, list[tuple[float, float]]] = {}

    def add(key: str, value: tuple[float, float]) -> None:
        fig.setdefault(key, []).append(value)

    projects: dict[str, Path] = {}
    bare_db = tmp / "bare.annot"
    for _ in range(args.repeat):
        add("python", _timed([sys.executable, "-c", "import sqlite3, json, hashlib, datetime"],
                             b.trees["new"]))
        for tree in b.trees:
            add(f"{tree} start-up", b.cli(tree, "--version"))
            p = b._fresh()
            add(f"{tree} import", b.cli(tree, "import", str(p), str(src)))
            projects[tree] = p
            add(f"{tree} import in", b.in_process(tree, "import", str(b._fresh()), str(src)))
            add(f"{tree} export", b.cli(tree, "export", str(p), "--format", "jsonl",
                                        "-o", str(tmp / f"{tree}.jsonl")))
            add(f"{tree} export in", b.in_process(tree, "export", str(p), "--format", "jsonl",
                                                  "-o", str(tmp / f"{tree}-in.jsonl")))
        shutil.copyfile(b.fresh, bare_db)
        add("bare import", b.bare("import", str(src), str(bare_db)))
        add("bare export", b.bare("export", str(bare_db), str(tmp / "bare.jsonl")))

    bare_rows = _rows(bare_db)
    for tree, p in projects.items():  # the same work: the same rows, the same bytes
        if _rows(p) != bare_rows:
            raise SystemExit(f"{tree}: the project's rows differ from the baseline's")
        if (tmp / f"{tree}.jsonl").read_bytes() != (tmp / "bare.jsonl").read_bytes():
            raise SystemExit(f"{tree}: the JSONL export differs from the baseline's")
    if (tmp / "new.jsonl").read_bytes() != src.read_bytes():
        raise SystemExit("the export is not byte-identical to the imported corpus")
    print("checked: same rows in both project files; JSONL exports byte-identical to the "
          "baseline's and to the corpus")

    # medians of wall and of CPU seconds, each less its start-up
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in fig.items()}
    py = med["python"]
    bare = {what: (med[f"bare {what}"][0] - py[0], med[f"bare {what}"][1] - py[1])
            for what in ("import", "export")}
    print(f"bare sqlite3+json (less the interpreter's start, {py[0]:.2f} s): "
          f"import {bare['import'][0]:.2f} s ({bare['import'][1]:.2f} s CPU), "
          f"export {bare['export'][0]:.2f} s ({bare['export'][1]:.2f} s CPU)")
    for tree in b.trees:
        up = med[f"{tree} start-up"]
        print(f"[{tree} code] start-up (annotator --version) {up[0]:.2f} s")
        for what in ("import", "export"):
            (wall, cpu), (inw, inc), (bw, bc) = med[f"{tree} {what}"], med[f"{tree} {what} in"], \
                bare[what]
            print(f"  {what}: wall {wall:.2f} s; less start-up {wall - up[0]:.2f} s = "
                  f"{(wall - up[0]) / bw:.2f}x bare (CPU {(cpu - up[1]) / bc:.2f}x); "
                  f"in process {inw:.2f} s = {inw / bw:.2f}x bare (CPU {inc / bc:.2f}x)")
    for tree in b.trees:
        startup = med[f"{tree} start-up"][0]
        times = []
        for fmt in OTHER_FORMATS:
            wall, _ = b.cli(tree, "export", str(projects[tree]), "--format", fmt, "-o",
                            str(tmp / f"{tree}-out-{fmt}"))
            times.append(f"{fmt} {wall - startup:.2f} s")
        print(f"[{tree} code] other exporters, once each (wall less start-up): "
              + ", ".join(times))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
