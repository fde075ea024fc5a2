"""Corpus-exchange benchmark: the Foundation corpus (2,000 documents, 80,000 spans) exported to
every registered format, timed in process. Run: ``python bench/bench_formats.py``."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_import_export import generate  # noqa: E402

from annotator.core.atomic import export_target  # noqa: E402
from annotator.core.project import Project  # noqa: E402
from annotator.formats.jsonl import JsonLines  # noqa: E402
from annotator.formats.registry import ReadOptions, WriteOptions, all_formats  # noqa: E402


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="annot-formats-"))
    src = tmp / "corpus.jsonl"
    generate(src)
    proj = tmp / "p.annot"
    with Project.create(proj) as p:
        p.import_documents(JsonLines().read(src, ReadOptions()))
    print("2,000 documents, 80,000 spans, 2,000 relations")
    with Project.open(proj, readonly=True) as p:
        for cls in all_formats():
            if not cls.can_write:
                continue
            fmt = cls()
            out = tmp / (f"out-{cls.name}" + ("" if cls.directory else cls.extensions[0]
                                              if cls.extensions else ".out"))
            t = time.perf_counter()
            with export_target(out, directory=cls.directory) as target:
                summary = fmt.write(p.iter_corpus(), target, p.tagset, WriteOptions())
            dt = time.perf_counter() - t
            dropped = sum(summary.dropped.values())
            print(f"{cls.name:12s} {dt:6.2f} s   {summary.documents} docs, {summary.spans} spans"
                  f"{f', {dropped} dropped/converted' if dropped else ''}")
    # readers for the formats that read back
    for name, path in (("brat", tmp / "out-brat"), ("xmi", tmp / "out-xmi"),
                       ("jsonl", tmp / "out-jsonl.jsonl")):
        from annotator.formats.registry import get_format

        t = time.perf_counter()
        n = sum(1 for _ in get_format(name).read(path, ReadOptions()))
        print(f"read {name:7s} {time.perf_counter() - t:6.2f} s   {n} docs")


if __name__ == "__main__":
    main()
