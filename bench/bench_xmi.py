"""XMI and brat import and export of 80,000 spans against JSONL, measured in the same run.

Run: ``python bench/bench_xmi.py [--docs 2000] [--spans 40] [--repeat 3] [--formats xmi,brat]``.
One command; it prints the seconds of each step and the ratios XMI / JSONL and brat / JSONL (the
target: within 2×).

The corpus: ``--docs`` articles of ~2 KB with ``--spans`` spans each (with emoji, so the UTF-16
conversion is exercised) and one relation per article, imported from JSONL into a project. Each
step runs in this process through the command line's own ``main`` (the modules loaded by a warm-up
round first, so start-up is left out): export to JSONL, export to XMI, import of the JSONL file
into a fresh project, import of the XMI (brat) folder into a fresh project. Each import must
bring back as many spans as the JSONL one, or the benchmark stops. Also timed: the format code alone
(the writer into a plain folder, the reader without a project), since the command's export makes
the written files durable first (one system-wide sync, then the folder's fsync; JSONL: its one
file's fsync). Each figure is the median of
``--repeat`` rounds, the steps of one round interleaved so that the machine's load falls on both.

The exports and writes also pay the file system's cost of creating 2,000 (XMI) or 4,000 (brat)
files against JSONL's one: on a disk where making a file takes ~0.1 ms that alone is
0.2–0.8 s, and it varies with what else the disk is doing. ``TMPDIR=/dev/shm python
bench/bench_xmi.py`` (a memory file system, where it is ~3 µs) shows the formats' own share;
``files FORMAT`` is the seconds this run's disk takes to write the format's files again (the
same bytes, no formatting).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

WORDS = ["the", "council", "said", "that", "it", "seems", "the", "plan", "may", "be", "delayed",
         "according", "to", "sources", "who", "claimed", "reportedly", "officials", "👍", "قال",
         "café", "bridge", "budget"]
LAYERS = {"hedging": ["hedge", "scope", "booster"], "stance": ["stance", "target"],
          "attribution": ["source", "cue", "content"], "rhetoric": ["technique", "engagement"]}


def corpus(path: Path, docs: int, spans: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(docs):
            text = " ".join(rng.choice(WORDS) for _ in range(330))
            out = []
            for j in range(spans):
                start = rng.randrange(0, len(text) - 40)
                end = start + rng.randrange(1, 40)
                layer = rng.choice(sorted(LAYERS))
                out.append({"id": f"s{j}", "start": start, "end": end, "layer": layer,
                            "label": rng.choice(LAYERS[layer]), "text": text[start:end],
                            "attributes": {"n": j} if j % 4 == 0 else {}})
            rels = [{"id": "r1", "type": "attributed_to", "from": "s0", "to": "s1"}]
            fh.write(json.dumps({"id": f"doc-{i}", "title": f"Doc {i}", "text": text,
                                 "spans": out, "relations": rels}, ensure_ascii=False) + "\n")


def run(*args: str) -> float:
    from annotator.cli import main

    sink = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        code = main(list(args))
    took = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"annotator {' '.join(args)} failed: {sink.getvalue()[-500:]}")
    return took


def spans_in(project: Path) -> int:
    from annotator.core.project import Project

    with Project.open(project) as p:
        return sum(len(d.spans) for d in p.iter_corpus())


def round_(work: Path, source: Path, tag: str, formats: tuple[str, ...]) -> dict[str, float]:
    empty = work / "empty.annot"
    out: dict[str, float] = {}
    for name in formats:
        target = work / f"out-{tag}.{name}"
        shutil.rmtree(target, ignore_errors=True)
        target.unlink(missing_ok=True)
        out[f"export {name}"] = run("export", str(source), "--format", name, "-o", str(target))
    for name in formats:
        fresh = work / f"in-{tag}-{name}.annot"
        shutil.copyfile(empty, fresh)
        out[f"import {name}"] = run("import", str(fresh), str(work / f"out-{tag}.{name}"),
                                    "--format", name)
    out.update(formats_alone(work, source, tag, formats))
    return out


def formats_alone(work: Path, source: Path, tag: str, formats: tuple[str, ...]
                  ) -> dict[str, float]:
    """The format code alone: the writer into a plain folder (not made durable, as the
    command's atomic export makes what it writes) and the reader (no project)."""
    from annotator.core.project import Project
    from annotator.formats.registry import ReadOptions, WriteOptions, get_format

    out: dict[str, float] = {}
    with Project.open(source) as p:
        docs = list(p.iter_corpus())
        tagset = p.tagset
    for name in formats:
        fmt = get_format(name)
        target = work / f"alone-{tag}.{name}"
        shutil.rmtree(target, ignore_errors=True)
        target.unlink(missing_ok=True)
        start = time.perf_counter()
        fmt.write(docs, target, tagset, WriteOptions())
        out[f"write {name}"] = time.perf_counter() - start
        start = time.perf_counter()
        n = sum(len(d.spans) for d in fmt.read(target, ReadOptions(annotator="bench")))
        out[f"read {name}"] = time.perf_counter() - start
        if n != sum(len(d.spans) for d in docs):
            raise SystemExit(f"{name}: read {n} spans back")
        out[f"files {name}"] = copy_files(target, work / f"copy-{tag}.{name}")
    return out


def copy_files(source: Path, folder: Path) -> float:
    """Seconds to write the files under ``source`` again (their bytes read first) into a new
    folder here: what the disk alone costs the writer."""
    files = [source] if source.is_file() else sorted(f for f in source.rglob("*") if f.is_file())
    data = [f.read_bytes() for f in files]
    folder.mkdir()
    start = time.perf_counter()
    for i, content in enumerate(data):
        (folder / f"f{i}").write_bytes(content)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--spans", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", default="xmi,brat", help="compared with JSONL (default xmi,brat)")
    args = ap.parse_args()
    others = tuple(f for f in args.formats.split(",") if f and f != "jsonl")
    formats = ("jsonl", *others)
    with tempfile.TemporaryDirectory(prefix="bench-xmi-") as tmp:
        work = Path(tmp)
        data = work / "corpus.jsonl"
        corpus(data, args.docs, args.spans)
        source = work / "source.annot"
        run("new", str(source), "--annotator", "bench")
        run("new", str(work / "empty.annot"), "--annotator", "bench")
        run("import", str(source), str(data))
        warm = work / "warm.jsonl"
        corpus(warm, 2, 3, seed=1)
        tiny = work / "tiny.annot"
        run("new", str(tiny))
        run("import", str(tiny), str(warm))
        round_(work, tiny, "warm", formats)  # load every module the steps need
        rounds = [round_(work, source, str(i), formats) for i in range(args.repeat)]
        n_json = spans_in(work / "in-0-jsonl.annot")
        for name in others:
            n = spans_in(work / f"in-0-{name}.annot")
            if n != n_json or n_json == 0:
                raise SystemExit(f"{name} import brought {n} spans, JSONL {n_json}: not the "
                                 "same work")
    med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
    print(f"{args.docs} documents, {n_json:,} spans; median of {args.repeat} round(s), seconds "
          "in process (start-up excluded)")
    for k, v in med.items():
        print(f"  {k:<13} {v:7.2f}")
    for name in others:
        for step in ("export", "import", "write", "read"):
            ratio = med[f"{step} {name}"] / med[f"{step} jsonl"]
            print(f"  {step}: {name} / JSONL = {ratio:.2f}× "
                  f"({'within' if ratio <= 2 else 'beyond'} 2×)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
