"""CPU time of ``annotator agree A B --json`` on 1,000 x 1,000 articles, against a baseline.

The command computes everything ``agree --json`` reports: span F1, token kappa/alpha, alpha_U,
gamma (30 samples of 10 synthetic documents per layer), AC1, confusion matrices, boundary F1
and 1,000-replicate bootstrap intervals for every coefficient.

Two synthetic annotators: 1,000 news-like articles (~3,000 code points: paragraphs of sentences
with quotes, clitics, abbreviations, numbers, Arabic, accents, emoji), ~40 spans per side over
four layers, a few relations; B copies A with shifted boundaries, changed labels and
attributes, dropped and added spans. Both are written to project files, then the real command
runs in a fresh process (start-up, reading both files, tokenizing, agreement, JSON) and the CPU
time of that process *and its children* (user + sys, ``RUSAGE_CHILDREN``, so a process pool is
counted) is measured, best of ``--repeat``. In the same run, on the same files, it measures:

* the baseline: the same command from the source tree of git ``--baseline`` (default ``main``,
  extracted with ``git archive``; skipped with ``--baseline ''``), its runs interleaved with
  ours so that a change of machine load hits both alike;
* a bare-python floor: ``python -c pass``.

Targets: under 10 s CPU for everything (issue 14), under 3 s for the plain agreement (issue 9:
span F1, token kappa/alpha, attributes, relations; no alpha_U, gamma, AC1 or intervals), timed
with ``--basic`` as ``agreement_of(A, B)`` + ``to_json`` in a fresh process (the library call
behind ``agree``, with ``measures=None``), beside the baseline's. Every run also prints the
child's peak memory (RSS). Stage timings of the library calls are printed with ``--stages``.
One command::

    python bench/bench_agreement.py [--docs 1000] [--spans 50] [--size 3000] [--seed 1]
                                    [--repeat 3] [--baseline main] [--basic] [--stages]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord

_WORD_TEXT = (
    "the minister said that it was not fully confirmed however critics argued it is likely "
    "perhaps officials claimed reportedly sources suggest quite clearly we must act now "
    "government policy economy year people percent report week market spokesman council "
    "don't it's U.S. Dr. 3.5% $20 2024 e-mail well-known café naïve Zürich قال المتحدث 👍🏽"
)
WORDS = _WORD_TEXT.split()
LAYERS = {
    "hedging": ["hedge", "booster"],
    "stance": ["pro", "contra", "neutral"],
    "attribution": ["source", "cue", "content"],
    "rhetoric": ["irony", "metaphor", "question"],
}


def make_sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 26))]
    for k in range(2, len(words) - 1, 7):
        if rng.random() < 0.5:
            words[k] += ","
    s = " ".join(words)
    s = s[0].upper() + s[1:] + rng.choice("...?!")
    if rng.random() < 0.15:
        s = f"\u201c{s}\u201d {rng.choice(['he said', 'officials said', 'she added'])}."
    elif rng.random() < 0.1:
        s = f'"{s}" (AP)'
    return s


def make_text(rng: random.Random, size: int) -> str:
    paragraphs: list[str] = []
    n = 0
    while n < size:
        para = " ".join(make_sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(para)
        n += len(para) + 2
    return "\n\n".join(paragraphs)


def make_spans(rng: random.Random, length: int, n: int, prefix: str) -> list[SpanRecord]:
    spans = []
    for i in range(n):
        layer = rng.choice(list(LAYERS))
        start = rng.randrange(0, length - 40)
        end = start + rng.randint(3, 40)
        if rng.random() < 0.1 and end + 20 < length:
            frags: tuple[tuple[int, int], ...] = ((start, end), (end + 5, end + 15))
        else:
            frags = ((start, end),)
        attrs = {"certainty": rng.choice(["low", "high"])} if layer == "hedging" else {}
        spans.append(SpanRecord(f"{prefix}{i}", layer, rng.choice(LAYERS[layer]), frags, attrs))
    return spans


def perturb(rng: random.Random, spans: list[SpanRecord], length: int) -> list[SpanRecord]:
    out = []
    for i, s in enumerate(spans):
        r = rng.random()
        if r < 0.1:
            continue  # dropped
        frags = s.fragments
        label = s.label
        attrs = dict(s.attributes)
        if r < 0.25:
            start, end = frags[0]
            frags = ((max(0, start + rng.randint(-3, 3)), end), *frags[1:])
            if frags[0][0] >= frags[0][1]:
                frags = s.fragments
        elif r < 0.35:
            label = rng.choice(LAYERS[s.layer])
        elif r < 0.4 and attrs:
            attrs["certainty"] = rng.choice(["low", "high"])
        out.append(SpanRecord(f"b{i}", s.layer, label, frags, attrs))
    out.extend(make_spans(rng, length, len(spans) - len(out), "extra"))
    return out


def relations(rng: random.Random, spans: list[SpanRecord], n: int = 5) -> list[RelationRecord]:
    return [
        RelationRecord(f"r{i}", "attributed_to", rng.choice(spans).key, rng.choice(spans).key)
        for i in range(n)
    ]


def make_corpus(docs: int, spans: int, size: int, seed: int) -> tuple[list[CorpusDocument],
                                                                     list[CorpusDocument]]:
    """Both annotators' documents (same texts, so every document is matched)."""
    rng = random.Random(seed)
    side_a, side_b = [], []
    for d in range(docs):
        text = make_text(rng, size)
        a = make_spans(rng, len(text), spans, "a")
        b = perturb(rng, a, len(text))
        side_a.append(CorpusDocument(f"doc-{d}", text, spans=a, relations=relations(rng, a)))
        side_b.append(CorpusDocument(f"doc-{d}", text, spans=b, relations=relations(rng, b)))
    return side_a, side_b


def write_projects(tmp: Path, sides: Sequence[list[CorpusDocument]]) -> list[str]:
    from annotator.core.project import Project

    paths = []
    for docs, name in zip(sides, ("alice", "bob"), strict=True):
        path = tmp / f"{name}.annot"
        with Project.create(path, annotator=name) as p:
            p.import_documents(docs)
        paths.append(str(path))
    return paths


PEAK: dict[int, float] = {}  # id of a run's result -> peak RSS of its process, MB


def cpu_of(cmd: Sequence[str], *, env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """(CPU seconds of the process and its children, wall seconds, stdout) of one run; the
    process's peak RSS (MB) goes to ``PEAK`` under the result's id."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out, \
            tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({code}): {err.read().strip()}")
        # wait4 counts the process itself and the children it waited for (a process pool)
        result = (usage.ru_utime + usage.ru_stime, wall, out.read())
    PEAK[id(result)] = usage.ru_maxrss / 1024
    return result


def best_of(repeat: int, cmd: Sequence[str], env: dict[str, str],
            cwd: Path) -> tuple[float, float, str]:
    runs = [cpu_of(cmd, env=env, cwd=cwd) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs), runs[-1][2]


def extract(ref: str, into: Path) -> str:
    """The source tree of git ``ref`` (this repository) under ``into``; returns the commit."""
    repo = Path(__file__).resolve().parent.parent
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", ref],
                            capture_output=True, text=True, check=True).stdout.strip()
    archive = subprocess.run(["git", "-C", str(repo), "archive", commit, "annotator"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return commit


def stages(sides: Sequence[list[CorpusDocument]]) -> None:
    """Wall time of the library stages in this process (for profiling, not the figure)."""
    from annotator.review.agreement import Annotations, MatchedDocument, compute_agreement
    from annotator.review.output import to_json
    from annotator.review.tokens_agreement import token_spans

    docs = [MatchedDocument(a.name, a.text, [Annotations(a.spans, a.relations),
                                             Annotations(b.spans, b.relations)])
            for a, b in zip(*sides, strict=True)]
    t0 = time.perf_counter()
    token_spans("Warm up: import nltk.")
    t1 = time.perf_counter()
    tokens = {d.text: token_spans(d.text) for d in docs}
    t2 = time.perf_counter()
    result = compute_agreement(docs, tokenize=tokens.__getitem__)
    t3 = time.perf_counter()
    from annotator.review.measures import compute_measures

    measures = compute_measures(result, docs)
    t3b = time.perf_counter()
    out = json.dumps(to_json(replace(result, measures=measures), per_document=False))
    t4 = time.perf_counter()
    print(f"  import nltk:                {t1 - t0:6.2f} s")
    print(f"  tokenize every text:        {t2 - t1:6.2f} s")
    print(f"  agreement given the tokens: {t3 - t2:6.2f} s")
    print(f"  alpha_U, gamma, AC1, CIs:   {t3b - t3:6.2f} s")
    print(f"  to_json:                    {t4 - t3b:6.2f} s ({len(out)} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--spans", type=int, default=50)
    parser.add_argument("--size", type=int, default=3000, help="code points per article")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", default="main", help="git ref to compare with ('' = none)")
    parser.add_argument("--stages", action="store_true", help="also time the library stages")
    parser.add_argument("--basic", action="store_true",
                        help="also time the plain figures (no alpha_U, gamma, AC1, intervals)")
    args = parser.parse_args()

    sides = make_corpus(args.docs, args.spans, args.size, args.seed)
    chars = sum(len(d.text) for d in sides[0])
    n_spans = [sum(len(d.spans) for d in side) for side in sides]
    print(f"{args.docs} x {args.docs} documents, {chars / args.docs:.0f} code points each, "
          f"spans {n_spans[0]} A / {n_spans[1]} B")
    if args.stages:
        stages(sides)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        paths = write_projects(tmp, sides)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        cmd = [sys.executable, "-m", "annotator", "agree", *paths, "--json"]
        floor, _, _ = best_of(args.repeat, [sys.executable, "-c", "pass"], env, tmp)
        print(f"bare python (python -c pass):          {floor:6.2f} s CPU")
        base_env = None
        if args.baseline:
            base_src = tmp / "baseline"
            base_src.mkdir()
            commit = extract(args.baseline, base_src)
            base_env = {**env, "PYTHONPATH": str(base_src)}
        runs = [("annotator agree A B --json", cmd, 10.0)]
        if args.basic:
            runs.append(("plain figures (--basic)", [sys.executable, "-c", BASIC, *paths], 3.0))
        for title, command, target in runs:
            compare(title, command, target, args, env, base_env,
                    commit if base_env is not None else "", tmp)


BASIC = ("import json, sys; from annotator.review.report import agreement_of; "
         "from annotator.review.output import to_json; "
         "print(json.dumps(to_json(agreement_of(sys.argv[1:], workers=2), per_document=False)))")


def compare(title: str, cmd: Sequence[str], target: float, args: argparse.Namespace,
            env: dict[str, str], base_env: dict[str, str] | None, commit: str,
            tmp: Path) -> None:
    """``cmd`` in this tree and the baseline's, interleaved (this, baseline, this, ...) so that
    a change of machine load hits both alike; the best run of each counts."""
    ours: list[tuple[float, float, str]] = []
    theirs: list[tuple[float, float, str]] = []
    for _ in range(args.repeat):
        ours.append(cpu_of(cmd, env=env, cwd=tmp))
        if base_env is not None:
            theirs.append(cpu_of(cmd, env=base_env, cwd=tmp))
    cpu, wall = min(r[0] for r in ours), min(r[1] for r in ours)
    peak = max(PEAK[id(r)] for r in ours)
    matched = json.loads(ours[-1][2])["documents"]["matched"]
    print(f"{title}\n  this tree: {cpu:6.2f} s CPU ({wall:.2f} s wall, peak {peak:.0f} MB, "
          f"{matched} matched; best of {args.repeat}: {', '.join(f'{r[0]:.2f}' for r in ours)})")
    if theirs:
        base_cpu, base_wall = min(r[0] for r in theirs), min(r[1] for r in theirs)
        base_peak = max(PEAK[id(r)] for r in theirs)
        same = json.loads(ours[-1][2]) == json.loads(theirs[-1][2])
        print(f"  baseline {args.baseline} ({commit}): {base_cpu:6.2f} s CPU ({base_wall:.2f} s "
              f"wall, peak {base_peak:.0f} MB; {', '.join(f'{r[0]:.2f}' for r in theirs)})")
        print(f"  ratio this / baseline: CPU {cpu / base_cpu:.2f}, peak memory "
              f"{peak / base_peak:.2f}; output {'identical' if same else 'DIFFERENT'}")
    print(f"  {'under' if cpu < target else 'NOT under'} the {target:g} s CPU target")

if __name__ == "__main__":
    main()
