"""Time the full agreement computation on two synthetic annotators.

1,000 articles of ~2 KB, 50 spans each side over four layers; B copies A with shifted
boundaries, changed labels, dropped and added spans. Prints seconds per stage, then writes the
two annotators to project files and times the real command, ``annotator agree A B --json``, in a
fresh process (start-up, reading both files, tokenizing, agreement, JSON): the issue asks for
under 5 s.

    python bench/bench_agreement.py [--docs 1000] [--spans 50] [--seed 1] [--cli-only]
"""

from __future__ import annotations

import argparse
import json
import random
import time

from annotator.core.model import RelationRecord, SpanRecord
from annotator.review.agreement import (
    Annotations,
    MatchedDocument,
    compute_agreement,
    format_table,
    to_json,
)
from annotator.review.diff import diff_document

WORDS = [
    "the",
    "minister",
    "said",
    "that",
    "it",
    "was",
    "not",
    "fully",
    "confirmed",
    "however",
    "critics",
    "argued",
    "it",
    "is",
    "likely",
    "perhaps",
    "officials",
    "claimed",
    "reportedly",
    "sources",
    "suggest",
    "quite",
    "clearly",
    "we",
    "must",
    "act",
    "now",
    "قال",
    "المتحدث",
    "café",
    "naïve",
    "👍🏽",
    ",",
    ".",
    ";",
    "(",
    ")",
    '"',
]
LAYERS = {
    "hedging": ["hedge", "booster"],
    "stance": ["pro", "contra", "neutral"],
    "attribution": ["source", "cue", "content"],
    "rhetoric": ["irony", "metaphor", "question"],
}


def make_text(rng: random.Random, size: int = 2000) -> str:
    parts: list[str] = []
    n = 0
    while n < size:
        w = rng.choice(WORDS)
        parts.append(w)
        n += len(w) + 1
    return " ".join(parts)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--spans", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="tokenizer processes")
    parser.add_argument("--cli-only", action="store_true", help="only time `annotator agree`")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    t0 = time.perf_counter()
    docs = []
    for d in range(args.docs):
        text = make_text(rng)
        a = make_spans(rng, len(text), args.spans, "a")
        b = perturb(rng, a, len(text))
        docs.append(
            MatchedDocument(
                f"doc-{d}",
                text,
                [Annotations(a, relations(rng, a)), Annotations(b, relations(rng, b))],
            )
        )
    t1 = time.perf_counter()
    if args.cli_only:
        time_cli(docs)
        return
    from annotator.review.tokens_agreement import token_spans

    token_spans("Warm up: import nltk.")
    t2 = time.perf_counter()
    cpu = time.process_time()
    tokens = {d.text: token_spans(d.text) for d in docs}
    t3 = time.perf_counter()
    result = compute_agreement(docs, tokenize=tokens.__getitem__)
    t4 = time.perf_counter()
    cpu = time.process_time() - cpu
    out = json.dumps(to_json(result, digits=4))
    table = format_table(result)
    t5 = time.perf_counter()
    n_dis = sum(len(diff_document(d.sides[0].spans, d.sides[1].spans).disagreements) for d in docs)
    t6 = time.perf_counter()
    result2 = compute_agreement(docs, workers=args.workers)
    t7 = time.perf_counter()
    assert to_json(result2, digits=4) == to_json(result, digits=4)

    chars = sum(len(d.text) for d in docs)
    print(table)
    print(
        f"documents: {len(docs)}, text: {chars / 1e6:.2f} M code points, "
        f"tokens: {next(iter(result.layers.values())).tokens.items}, "
        f"spans: {sum(la.spans_a for la in result.layers.values())} A / "
        f"{sum(la.spans_b for la in result.layers.values())} B"
    )
    print(f"generate data:                  {t1 - t0:6.2f} s")
    print(f"import nltk (first tokenize):   {t2 - t1:6.2f} s")
    print(f"tokenize all texts:             {t3 - t2:6.2f} s")
    print(f"agreement given the tokens:     {t4 - t3:6.2f} s")
    print(f"  (CPU of the two lines above:  {cpu:6.2f} s)")
    print(f"to_json + format_table:         {t5 - t4:6.2f} s ({len(out) / 1e6:.1f} MB JSON)")
    print(f"diff_document, every document:  {t6 - t5:6.2f} s ({n_dis} disagreements)")
    print(f"compute_agreement end to end:   {t7 - t6:6.2f} s (workers={args.workers})")
    time_cli(docs)


def time_cli(docs: list[MatchedDocument]) -> None:
    """Write A and B to project files and time ``annotator agree A B --json`` (best of 3)."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from annotator.core.model import CorpusDocument
    from annotator.core.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for side, name in ((0, "alice"), (1, "bob")):
            path = Path(tmp) / f"{name}.annot"
            with Project.create(path, annotator=name) as p:
                p.import_documents(
                    CorpusDocument(d.name, d.text, spans=list(d.sides[side].spans),
                                   relations=list(d.sides[side].relations))
                    for d in docs
                )
            paths.append(str(path))
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            run = subprocess.run([sys.executable, "-m", "annotator", "agree", *paths, "--json"],
                                 capture_output=True, text=True, check=True)
            times.append(time.perf_counter() - t0)
        out = json.loads(run.stdout)
    print(f"`annotator agree A B --json`:   {min(times):6.2f} s best of 3 "
          f"({', '.join(f'{t:.2f}' for t in times)}; {out['documents']['matched']} documents)")


if __name__ == "__main__":
    main()
