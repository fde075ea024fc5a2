"""Hostile-input benchmark: importers on adversarial files, each against an ordinary file of the
same size read in the same run. A ratio near 1 means the hostile shape costs no more than its
size; the old Markdown tag stripping is timed too, as the baseline that was quadratic.
Run: ``python bench/bench_hostile_input.py``."""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.formats.markdown import _strip_tags
from annotator.formats.registry import ReadOptions, get_format

_OLD_TAGS = re.compile(r"<!--.*?-->|<[^>]+>", re.S)  # before: rescanned the rest per "<"


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        with contextlib.suppress(BadInputError):  # the hostile files may be refused: fine
            fn()
        best = min(best, time.perf_counter() - t)
    return best


def read(fmt: str, path: Path, *extra: str) -> Callable[[], object]:
    return lambda: list(get_format(fmt).read(path, ReadOptions()))


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="annot-hostile-"))
    n = 10_000
    hostile_html = "<!--" * n
    normal_html = "<b>x</b> " * (len(hostile_html) // 9)
    old_h = timed(lambda: _OLD_TAGS.sub("", hostile_html), repeat=1)
    new_h = timed(lambda: _strip_tags(hostile_html))
    new_n = timed(lambda: _strip_tags(normal_html))
    print(f"Markdown tags, {n:,} unclosed '<!--' ({len(hostile_html):,} chars): old "
          f"{old_h * 1000:.1f} ms, now {new_h * 1000:.2f} ms ({old_h / new_h:.0f}x faster); "
          f"ordinary tags of the same size {new_n * 1000:.2f} ms (ratio {new_h / new_n:.2f})")

    cases = {
        "md": (".md", "Words here.\n\n<div>\n" + "<!--" * n + "\n</div>\n",
               "Words here.\n\n" + "Plain words of text. " * (n // 5)),
        "jsonl": (".jsonl", json.dumps({"id": "d", "text": "x", "meta": {"m": "[" * 5000 + "]"
                                                                         * 5000}}) + "\n",
                  json.dumps({"id": "d", "text": "x" * 10_000}) + "\n"),
        "doccano": (".jsonl", '{"text": "x", "n": ' + "9" * 5000 + "}\n",
                    json.dumps({"text": "x" * 5000}) + "\n"),
        "csv": (".csv", 'id,text\n1,"' + "never closed, " * 20_000 + "\n",
                'id,text\n1,"' + "closed, fine " * 20_000 + '"\n'),
    }
    for fmt, (suffix, hostile, normal) in cases.items():
        h, o = tmp / f"hostile{suffix}", tmp / f"normal{suffix}"
        h.write_text(hostile, encoding="utf-8")
        o.write_text(normal, encoding="utf-8")
        th, tn = timed(read(fmt, h)), timed(read(fmt, o))
        print(f"{fmt:8} hostile {len(hostile):>9,} B {th * 1000:8.1f} ms   ordinary "
              f"{len(normal):>9,} B {tn * 1000:8.1f} ms   ratio {th / tn:.2f}")


if __name__ == "__main__":
    main()
