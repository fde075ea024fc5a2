"""Scale benchmark: how every command's cost grows with the corpus, and its peak memory.

Run: ``python bench/bench_scale.py --sizes 1,5,25`` (size 1 = 2,000 documents × 40 spans).

For each size it builds two coders' corpora over the same texts (B differs from A in about a
fifth of its spans), imports them, and runs, each as a child process of the installed
``annotator`` command: import, every export, list, stats, check, agree, merge (``--only`` picks
some). Beside them the bare-script baselines at the same size: ``bare_sqlite_json.py`` (the same
import and JSONL export with sqlite3 + json only) and ``bare_spacy_docbin.py`` (the same DocBin
built directly, spaCy's way). It prints, per command, CPU seconds and peak memory (RSS of the
child) at each size, the ratio to the bare script where there is one, and the exponent *k* of
cost ∝ size^k (least squares over log–log, after subtracting the command's cost on a
one-document project: start-up is not growth).

``--repeat N`` runs each command N times at sizes up to 5 and takes the median CPU time (the
one-document cost, which every exponent subtracts, is always the median of at least 3 runs): a
fast command's exponent from 1× is sensitive to noise in these small figures.

``--corpora DIR`` keeps what each size builds untimed (the two JSONL corpora and coder B's
imported project) in ``DIR/x<size>/`` and reuses it on the next run: the 25× build takes minutes.
A kept set is reused only if it is complete (``done`` marker written last).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
BARE = HERE / "bare_sqlite_json.py"
BARE_SPACY = HERE / "bare_spacy_docbin.py"
SENTENCE = ("the council said that officials may not have fully confirmed a plan which "
            "critics claimed was reportedly rushed although ministers insist it seems sound")
WORDS = tuple(SENTENCE.split(" "))
LAYERS = {"attribution": ["source", "cue", "content"], "hedging": ["hedge", "scope"],
          "stance": ["stance", "target"], "rhetoric": ["engagement", "technique"]}
EXPORTS = ("jsonl", "brat", "conll", "xmi", "csv", "webanno-tsv", "spacy")


def corpora(folder: Path, docs: int, spans: int = 40, seed: int = 7) -> tuple[Path, Path]:
    """Coder A's and coder B's JSONL over the same texts."""
    rnd_text, rnd_a, rnd_b = random.Random(seed), random.Random(seed + 1), random.Random(seed + 2)
    a_path, b_path = folder / "a.jsonl", folder / "b.jsonl"
    with a_path.open("w", encoding="utf-8") as fa, b_path.open("w", encoding="utf-8") as fb:
        for d in range(docs):
            words: list[str] = []
            while sum(len(w) + 1 for w in words) < 2000:
                words.append(rnd_text.choice(WORDS))
            text = " ".join(words)
            a_spans = []
            for _ in range(spans):
                s = rnd_a.randrange(0, len(text) - 40)
                e = s + rnd_a.randrange(1, 40)
                layer = rnd_a.choice(list(LAYERS))
                a_spans.append((s, e, layer, rnd_a.choice(LAYERS[layer])))
            b_spans = []
            for s, e, layer, label in a_spans:
                roll = rnd_b.random()
                if roll < 0.1:
                    label = rnd_b.choice(LAYERS[layer])
                elif roll < 0.2:
                    e = min(len(text), e + rnd_b.randrange(1, 5))
                b_spans.append((s, e, layer, label))
            for fh, found, who in ((fa, a_spans, "alice"), (fb, b_spans, "bob")):
                rows = sorted(set(found))
                out = [{"id": f"s{i}", "start": s, "end": e, "layer": layer, "label": label,
                        "attributes": {}, "text": text[s:e], "annotator": who, "note": ""}
                       for i, (s, e, layer, label) in enumerate(rows, 1)]
                fh.write(json.dumps({"id": f"doc-{d}", "title": f"Doc {d}", "text": text,
                                     "meta": {"outlet": f"outlet-{d % 7}"}, "status": "new",
                                     "spans": out, "relations": []}, ensure_ascii=False) + "\n")
    return a_path, b_path


def run(cmd: list[str]) -> tuple[float, float]:
    """CPU seconds (user + system) and peak RSS in MB of one child process."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {code}: {err.strip()[:300]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def commands(work: Path, a_src: Path, b_src: Path) -> dict[str, list[list[str]]]:
    """Each benchmarked command, with the set-up commands it needs first (not timed)."""
    ann = [sys.executable, "-m", "annotator"]
    a, b = str(work / "a.annot"), str(work / "b.annot")
    out: dict[str, list[list[str]]] = {
        "import": [[*ann, "new", a, "--annotator", "alice"], [*ann, "import", a, str(a_src)]],
    }
    for fmt in EXPORTS:
        target = work / f"out-{fmt}"
        suffix = {"jsonl": ".jsonl", "conll": ".conll", "csv": ".csv", "spacy": ".spacy"}
        out[f"export {fmt}"] = [[*ann, "export", a, "--format", fmt, "-o",
                                 str(target) + suffix.get(fmt, "")]]
    out["list"] = [[*ann, "list", a]]
    out["stats"] = [[*ann, "stats", a]]
    out["check"] = [[*ann, "check", a]]
    out["agree"] = [[*ann, "agree", a, b]]
    out["merge"] = [[*ann, "merge", a, b, "-o", str(work / "merged.annot"), "--prefer", "a"]]
    out["_b"] = [[*ann, "new", b, "--annotator", "bob"], [*ann, "import", b, str(b_src)]]
    return out


def built(work: Path, docs: int, keep: Path | None) -> tuple[Path, Path, bool]:
    """The size's corpora (from ``keep`` when a complete set is there) and whether B's project
    came with them."""
    if keep is not None and (keep / "done").exists():
        for name in ("a.jsonl", "b.jsonl", "b.annot"):
            shutil.copyfile(keep / name, work / name)
        return work / "a.jsonl", work / "b.jsonl", True
    a_src, b_src = corpora(work, docs)
    return a_src, b_src, False


def repeated(cmd: list[str], times: int) -> tuple[float, float]:
    """The median CPU seconds and the largest peak of ``times`` runs of ``cmd``."""
    runs = [run(cmd) for _ in range(times)]
    cpu = sorted(c for c, _ in runs)[len(runs) // 2]
    return cpu, max(mb for _, mb in runs)


def measure(work: Path, docs: int, only: set[str] | None = None, keep: Path | None = None,
            times: int = 1) -> dict[str, tuple[float, float]]:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    a_src, b_src, have_b = built(work, docs, keep)
    cmds = commands(work, a_src, b_src)
    results: dict[str, tuple[float, float]] = {}
    # import is timed on its last step; B is imported untimed; then everything else
    runs = []
    for _ in range(times):  # each run into a new project
        (work / "a.annot").unlink(missing_ok=True)
        for setup in cmds["import"][:-1]:
            run(setup)
        runs.append(run(cmds["import"][-1]))
    results["import"] = (sorted(c for c, _ in runs)[len(runs) // 2], max(mb for _, mb in runs))
    if not have_b:
        for setup in cmds["_b"]:
            run(setup)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for name in ("a.jsonl", "b.jsonl", "b.annot"):
                shutil.copyfile(work / name, keep / name)
            (keep / "done").write_text("complete\n", encoding="utf-8")
    for name, steps in cmds.items():
        if name in ("import", "_b") or (only and name not in only):
            continue
        if name == "merge":  # merge refuses to overwrite its output: a new one each run
            out = Path(steps[-1][-3])
            runs = []
            for _ in range(times):
                out.unlink(missing_ok=True)
                runs.append(run(steps[-1]))
            results[name] = (sorted(c for c, _ in runs)[len(runs) // 2],
                             max(mb for _, mb in runs))
        else:
            results[name] = repeated(steps[-1], times)
    db = work / "bare.annot"  # a fresh project file: same schema, same indexes
    run([sys.executable, "-m", "annotator", "new", str(db)])
    results["bare import"] = run([sys.executable, str(BARE), "import", str(a_src), str(db)])
    results["bare export"] = run([sys.executable, str(BARE), "export", str(db),
                                  str(work / "bare.jsonl")])
    results["bare spacy"] = run([sys.executable, str(BARE_SPACY), str(a_src),
                                 str(work / "bare.spacy")])
    return results


def exponent(sizes: list[int], costs: list[float], fixed: float) -> float | None:
    pts = [(math.log(s), math.log(c - fixed)) for s, c in zip(sizes, costs, strict=True)
           if c - fixed > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,5,25", help="multiples of 2,000 documents × 40 spans")
    ap.add_argument("--only", default="", help="comma-separated commands to time (default: all; "
                    "set-up and the bare baselines always run)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each command at sizes up to "
                    "5 (median CPU, largest peak; the one-document cost: at least 3 runs); "
                    "larger sizes run once")
    ap.add_argument("--corpora", type=Path, help="keep each size's corpora and coder B's project "
                    "in this folder and reuse them on later runs")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    root = Path(tempfile.mkdtemp(prefix="annot-scale-"))
    os.environ["ANNOTATOR_BACKUP_DIR"] = str(root / "backups")
    try:
        fixed = measure(root / "fixed", 1, set(filter(None, args.only.split(","))),
                        times=max(3, args.repeat))
        only = set(filter(None, args.only.split(",")))
        table = {}
        for s in sizes:  # each size's figures as soon as they are measured (a long run)
            keep = args.corpora / f"x{s}" if args.corpora else None
            times = args.repeat if s <= 5 else 1
            table[s] = measure(root / f"x{s}", 2000 * s, only, keep, times)
            print(f"{s}×: " + ", ".join(f"{name} {cpu:.2f} s {mb:.0f} MB"
                                        for name, (cpu, mb) in table[s].items()), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    names = list(table[sizes[0]])
    head = "".join(f"{f'{s}× CPU s':>12}{f'{s}× MB':>9}" for s in sizes)
    print(f"{'command':<20}{head}{'exponent':>10}{'÷ bare':>8}")
    for name in names:
        cells = "".join(f"{table[s][name][0]:>12.2f}{table[s][name][1]:>9.0f}" for s in sizes)
        k = exponent(sizes, [table[s][name][0] for s in sizes], fixed[name][0])
        bare = {"import": "bare import", "export jsonl": "bare export",
                "export spacy": "bare spacy"}.get(name)
        ratio = (f"{table[sizes[-1]][name][0] / table[sizes[-1]][bare][0]:>8.2f}" if bare
                 else f"{'':>8}")
        print(f"{name:<20}{cells}{k if k is None else round(k, 2)!s:>10}{ratio}")
    shown = ", ".join(f"{name} {fixed[name][0]:.2f}" for name in ("import", "list")
                      if name in fixed)  # list is not run under --only without it
    print(f"(fixed cost on one document, CPU s: {shown}; exponent after subtracting it)")


if __name__ == "__main__":
    main()
