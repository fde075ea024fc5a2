"""Time reading hostile brat lines against a well-formed ``.ann`` of the same size.

Each hostile ``.ann`` holds one valid T line and one 30,000-colon line of kind T, R, A, M or #
(refused); the baseline is a valid ``.ann`` of about the same number of bytes (T, R, A and note
lines). Prints seconds per file and the ratio to the baseline, and for reference the time of
the relation pattern the reader used before (``\\S+`` groups around colons, which backtracks).

    python bench/bench_brat_hostile.py [--colons 30000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import tempfile
import time
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.formats._brat_read import parse_ann
from annotator.formats.registry import ReadOptions

OLD_R_LINE = re.compile(r"(R\d+\S*)\t(\S+) (\S+):(\S+) (\S+):(\S+)\s*")
TEXT = "Officials said the plan was not fully confirmed, critics argued.\n"


def best(fn, repeat: int) -> float:  # noqa: ANN001 - any callable
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--colons", type=int, default=30000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    opts = ReadOptions()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        normal: list[str] = []
        i = 1
        while sum(len(x) + 1 for x in normal) < args.colons:
            normal += [f"T{i}\tX 0 9\tOfficials", f"T{i + 1}\tY 10 14\tsaid",
                       f"R{i}\tRel Arg1:T{i} Arg2:T{i + 1}", f"A{i}\tNeg T{i}",
                       f"#{i}\tAnnotatorNotes T{i}\tchecked"]
            i += 2
        base = folder / "base.ann"
        base.write_text("\n".join(normal) + "\n")
        t_base = best(lambda: parse_ann(base, TEXT, opts), args.repeat)
        print(f"baseline: valid .ann of {base.stat().st_size} bytes: {t_base:.4f} s")
        for kind in ("T", "R", "A", "M", "#"):
            ann = folder / f"{kind}.ann"
            ann.write_text("T1\tX 0 9\tOfficials\n" + f"{kind}1\tx " + ":" * args.colons + "\n")

            def run(ann: Path = ann) -> None:
                with contextlib.suppress(BadInputError):
                    parse_ann(ann, TEXT, opts)

            t = best(run, args.repeat)
            print(f"{kind} line of {args.colons} colons: {t:.4f} s  ({t / t_base:.2f} x baseline)")
        line = "R1\tx " + ":" * args.colons
        t_old = best(lambda: OLD_R_LINE.fullmatch(line), 1)
        print(f"previous relation pattern on the R line: {t_old:.4f} s "
              f"({t_old / t_base:.0f} x baseline)")


if __name__ == "__main__":
    main()
