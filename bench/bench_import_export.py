"""Foundation benchmark: `annotator import` / `export --format jsonl` vs bare sqlite3 + json.

Generates 2,000 articles of ~2 KB with 40 spans each (80,000 spans) as JSONL, then times, side by
side in one run: the command (subprocess, minus its measured start-up), and a bare script doing
the same inserts / the same dump with sqlite3 + json. Run: ``python bench/bench_import_export.py``.
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ["the", "council", "said", "that", "it", "seems", "the", "plan", "may", "be", "delayed", "according", "to", "sources", "who", "claimed", "reportedly", "officials", "👍", "قال", "المتحدث", "café", "résumé", "bridge", "budget"]
LAYERS = {"hedging": ["hedge", "scope", "booster"], "stance": ["stance", "target"],
          "attribution": ["source", "cue", "content"], "rhetoric": ["technique", "engagement"]}


def generate(path: Path, docs: int = 2000, spans: int = 40, seed: int = 7) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for d in range(docs):
            words = []
            while sum(len(w) + 1 for w in words) < 2000:
                words.append(rnd.choice(WORDS))
            text = " ".join(words)
            out = []
            for s in range(spans):
                a = rnd.randrange(0, len(text) - 40)
                b = a + rnd.randrange(1, 40)
                layer = rnd.choice(list(LAYERS))
                out.append({"id": f"s{s + 1}", "start": a, "end": b, "layer": layer,
                            "label": rnd.choice(LAYERS[layer]), "attributes": {"k": "v"},
                            "text": text[a:b], "annotator": "bench", "note": ""})
            rels = [{"id": "r1", "type": "attributed_to", "from": "s1", "to": "s2",
                     "attributes": {}}]
            fh.write(json.dumps({"id": f"doc-{d}", "title": f"Doc {d}", "text": text, "meta": {},
                                 "status": "new", "spans": out, "relations": rels},
                                ensure_ascii=False) + "\n")


def run(*args: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "annotator", *args], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def bare_import(src: Path, db: Path, schema: list[str]) -> float:
    t = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for stmt in schema:
        conn.execute(stmt)
    docs, spans, rels = [], [], []
    sid = rid = 0
    with src.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            obj = json.loads(line)
            docs.append((i, obj["id"], obj["title"], obj["text"], str(hash(obj["text"])),
                         len(obj["text"]), "{}", obj["status"], i, "", ""))
            keys = {}
            for sp in obj["spans"]:
                sid += 1
                keys[sp["id"]] = sid
                spans.append((sid, i, sp["layer"], sp["label"], sp["start"], sp["end"], None,
                              json.dumps(sp["attributes"]), sp["note"], sp["annotator"], "", ""))
            for r in obj["relations"]:
                rid += 1
                rels.append((rid, i, r["type"], keys[r["from"]], keys[r["to"]], "{}", "", ""))
    with conn:
        conn.executemany("INSERT INTO document VALUES (?,?,?,?,?,?,?,?,?,?,?)", docs)
        conn.executemany("INSERT INTO span VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", spans)
        conn.executemany("INSERT INTO relation VALUES (?,?,?,?,?,?,?,?)", rels)
    conn.close()
    return time.perf_counter() - t


def bare_export(db: Path, out: Path) -> float:
    t = time.perf_counter()
    conn = sqlite3.connect(db)
    spans: dict[int, list] = {}
    for r in conn.execute("SELECT document_id, id, start, end, layer, label, attributes, note, "
                          "annotator FROM span ORDER BY document_id, start, end"):
        spans.setdefault(r[0], []).append(r)
    with out.open("w", encoding="utf-8") as fh:
        for d in conn.execute("SELECT id, name, title, text, meta, status FROM document"):
            fh.write(json.dumps({"id": d[1], "title": d[2], "text": d[3],
                                 "meta": json.loads(d[4]), "status": d[5],
                                 "spans": [{"id": f"s{i}", "start": s[2], "end": s[3],
                                            "layer": s[4], "label": s[5],
                                            "attributes": json.loads(s[6]),
                                            "text": d[3][s[2]:s[3]], "annotator": s[8],
                                            "note": s[7]} for i, s in enumerate(spans.get(d[0], []))],
                                 "relations": []}, ensure_ascii=False) + "\n")
    conn.close()
    return time.perf_counter() - t


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="annot-bench-"))
    src = tmp / "corpus.jsonl"
    generate(src)
    print(f"corpus: {src.stat().st_size / 1e6:.1f} MB, 2,000 documents, 80,000 spans")
    proj = tmp / "p.annot"
    run("new", str(proj))
    # fixed cost: the same commands on a one-line corpus, into / out of a fresh project
    tiny = tmp / "tiny.jsonl"
    tiny.write_text(src.open(encoding="utf-8").readline(), encoding="utf-8")
    fixed_import, fixed_export = [], []
    for i in range(3):
        p = tmp / f"fixed{i}.annot"
        run("new", str(p))
        fixed_import.append(run("import", str(p), str(tiny)))
        fixed_export.append(run("export", str(p), "--format", "jsonl", "-o", str(tmp / "f.jsonl")))
    startup_import = statistics.median(fixed_import)
    startup_export = statistics.median(fixed_export)
    version = statistics.median(run("--version") for _ in range(5))
    schema = [r[0] for r in sqlite3.connect(proj).execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND type IN ('table','index')")]

    t_import = run("import", str(proj), str(src))
    t_bare_import = bare_import(src, tmp / "bare.db", schema)
    t_export = run("export", str(proj), "--format", "jsonl", "-o", str(tmp / "out.jsonl"))
    t_bare_export = bare_export(tmp / "bare.db", tmp / "bare.jsonl")
    imp, exp = t_import - startup_import, t_export - startup_export
    print(f"start-up: annotator --version {version:.3f} s; fixed cost of import (1 document) "
          f"{startup_import:.3f} s, of export (1 document) {startup_export:.3f} s")
    print(f"import : annotator {t_import:.2f} s total, {imp:.2f} s without start-up; "
          f"bare sqlite3+json {t_bare_import:.2f} s; ratio {imp / t_bare_import:.2f}x")
    print(f"export : annotator {t_export:.2f} s total, {exp:.2f} s without start-up; "
          f"bare sqlite3+json {t_bare_export:.2f} s; ratio {exp / t_bare_export:.2f}x")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "annotator", "list", str(proj)], check=True,
                   stdout=subprocess.DEVNULL)
    print(f"annotator list on 2,000 documents: {time.perf_counter() - t0:.3f} s")


if __name__ == "__main__":
    main()
