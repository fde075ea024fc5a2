"""The SQLite path's speed against another revision, in the same run:

    python bench/bench_sqlite_path.py [REVISION]   (default: main)

Imports 2,000 documents of 20 spans and a relation each into a new project file and exports
them again (``iter_corpus``), with this tree and with REVISION's (``git archive`` into a
temporary folder), alternating, 6 rounds each; prints the best time of each and the ratios.
Made to check that the PostgreSQL work (annotator.core.storage.postgres) left the file path
as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = r'''
import os, sys, tempfile, time
from pathlib import Path
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.project import Project
t = "Officials said the plan was not fully confirmed, sources claim. " * 10
docs = [CorpusDocument(name=f"d{i}", text=t + str(i), spans=[
            SpanRecord(f"s{j}", "hedging", "hedge", ((j * 5, j * 5 + 4),), {"certainty": "low"})
            for j in range(20)], relations=[RelationRecord("r1", "attributed_to", "s1", "s2")])
        for i in range(2000)]
d = tempfile.mkdtemp()
os.environ["ANNOTATOR_BACKUP_DIR"] = d
p = Project.create(Path(d) / "p.annot", annotator="a")
t0 = time.perf_counter(); p.import_documents(docs); ti = time.perf_counter() - t0
t0 = time.perf_counter(); n = sum(len(x.spans) for x in p.iter_corpus())
te = time.perf_counter() - t0
p.close()
assert n == 40000
print(ti, te)
'''


def run(root: str) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", WORK], env=dict(os.environ, PYTHONPATH=root),
                         capture_output=True, text=True, cwd=tempfile.gettempdir(), check=True)
    a, b = out.stdout.split()
    return float(a), float(b)


def main() -> int:
    rev = sys.argv[1] if len(sys.argv) > 1 else "main"
    with tempfile.TemporaryDirectory() as other:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "annotator",
                                  "resources"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", other], input=archive, check=True)
        best: dict[str, list[float]] = {"this": [1e9, 1e9], rev: [1e9, 1e9]}
        for _ in range(6):
            for name, root in (("this", str(ROOT)), (rev, other)):
                imp, exp = run(root)
                best[name] = [min(best[name][0], imp), min(best[name][1], exp)]
    print(f"import: this {best['this'][0]:.3f} s, {rev} {best[rev][0]:.3f} s, "
          f"ratio {best['this'][0] / best[rev][0]:.3f}")
    print(f"export: this {best['this'][1]:.3f} s, {rev} {best[rev][1]:.3f} s, "
          f"ratio {best['this'][1] / best[rev][1]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
