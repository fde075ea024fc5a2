"""The baseline for bench_import_export.py: the same import and export with sqlite3 + json only.

It does the work a user of ``annotator import`` / ``annotator export --format jsonl`` gets, and
no more: parse each JSON line; check what the import contract checks (status, span offsets
inside the text, the span's ``text`` equal to the offsets' text, layer and label present,
relation ends in the same line; an exact copy of a span stored once, a relation its source's
annotator's); SHA-256 of each text and skip a text already in the project;
insert the same rows (same columns and values, attributes and meta as sorted JSON) into a copy of
a fresh project file (same schema, same indexes, foreign keys on, WAL) in one transaction. The
export reads each table with one query and writes the same JSON Lines, byte for byte.

Run by the benchmark as ``python bare_sqlite_json.py import CORPUS DB`` or
``... export DB OUT``; prints the seconds its work took (after the interpreter started).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import time
from datetime import UTC, datetime

STATUSES = ("new", "in_progress", "done")
_sorted = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _connect(db: str) -> sqlite3.Connection:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def bare_import(src: str, db: str) -> None:
    conn = _connect(db)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    conn.execute("BEGIN IMMEDIATE")
    hashes = {r[0] for r in conn.execute("SELECT sha256 FROM document")}
    annotator = (conn.execute("SELECT value FROM project_meta WHERE key = 'annotator'")
                 .fetchone() or ("",))[0]
    names = {r[0].lower() for r in conn.execute("SELECT name FROM document")}
    doc_id, pos, span_id, rel_id = (conn.execute(f"SELECT coalesce(max({c}), 0) + 1 FROM {t}")
                                    .fetchone()[0] for t, c in (("document", "id"),
                                                                ("document", "position"),
                                                                ("span", "id"),
                                                                ("relation", "id")))
    docs, spans, rels = [], [], []
    with open(src, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            obj = json.loads(line)
            text = obj["text"]
            if not isinstance(text, str) or not text or obj.get("status", "new") not in STATUSES:
                raise SystemExit(f"{src}:{lineno}: bad document")
            keys: dict[str, int] = {}
            seen: dict[tuple, int] = {}
            owner: dict[int, str] = {}
            doc_spans = []
            for sp in obj.get("spans") or ():
                a, b = sp["start"], sp["end"]
                if not (type(a) is int and type(b) is int and 0 <= a < b <= len(text)) or (
                        "text" in sp and sp["text"] != text[a:b]) or not (
                        sp["layer"] and sp["label"]) or sp["id"] in keys:
                    raise SystemExit(f"{src}:{lineno}: bad span {sp['id']}")
                attrs = _sorted(sp["attributes"]) if sp.get("attributes") else "{}"
                who = sp.get("annotator") or annotator
                ident = (sp["layer"], sp["label"], a, b, attrs, sp.get("note") or "", who)
                if ident in seen:  # an exact copy is stored once (the import contract)
                    keys[sp["id"]] = seen[ident]
                    continue
                seen[ident] = keys[sp["id"]] = span_id
                owner[span_id] = who
                doc_spans.append((span_id, doc_id, sp["layer"], sp["label"], a, b, None,
                                  attrs, sp.get("note") or "", who, stamp, stamp))
                span_id += 1
            doc_rels = []
            for r in obj.get("relations") or ():
                if r["from"] not in keys or r["to"] not in keys:
                    raise SystemExit(f"{src}:{lineno}: bad relation {r['id']}")
                doc_rels.append((rel_id, doc_id, r["type"], keys[r["from"]], keys[r["to"]],
                                 _sorted(r["attributes"]) if r.get("attributes") else "{}",
                                 owner[keys[r["from"]]], stamp))  # its source's annotator
                rel_id += 1
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if sha in hashes:
                continue
            hashes.add(sha)
            name = base = str(obj["id"])
            n = 1
            while name.lower() in names:
                n += 1
                name = f"{base}-{n}"
            names.add(name.lower())
            docs.append((doc_id, name, obj.get("title") or name, text, sha, len(text),
                         _sorted(obj["meta"]) if obj.get("meta") else "{}",
                         obj.get("status", "new"), pos, stamp, stamp))
            spans += doc_spans
            rels += doc_rels
            doc_id += 1
            pos += 1
    conn.executemany("INSERT INTO document (id, name, title, text, sha256, length, meta, status,"
                     " position, created, modified) VALUES (?,?,?,?,?,?,?,?,?,?,?)", docs)
    conn.executemany("INSERT INTO span (id, document_id, layer, label, start, \"end\", fragments,"
                     " attributes, note, annotator, created, modified)"
                     " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", spans)
    conn.executemany("INSERT INTO relation (id, document_id, type, source_id, target_id,"
                     " attributes, annotator, created) VALUES (?,?,?,?,?,?,?,?)", rels)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


def _loads(raw: str | None) -> dict:
    return json.loads(raw) if raw and raw != "{}" else {}


def bare_export(db: str, out: str) -> None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    spans: dict[int, list] = {}
    for r in conn.execute("SELECT document_id, id, start, \"end\", layer, label, attributes, "
                          "annotator, note FROM span ORDER BY document_id, start, \"end\", "
                          "layer, label, id"):
        spans.setdefault(r[0], []).append(r)
    rels: dict[int, list] = {}
    for r in conn.execute("SELECT document_id, type, source_id, target_id, attributes "
                          "FROM relation ORDER BY id"):
        rels.setdefault(r[0], []).append(r)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for d in conn.execute("SELECT id, name, title, text, meta, status FROM document "
                              "ORDER BY position, id"):
            text = d[3]
            keys = {}
            out_spans = []
            for i, s in enumerate(spans.get(d[0], ()), 1):
                keys[s[1]] = f"s{i}"
                out_spans.append({"id": f"s{i}", "start": s[2], "end": s[3], "layer": s[4],
                                  "label": s[5], "attributes": _loads(s[6]),
                                  "text": text[s[2]:s[3]], "annotator": s[7], "note": s[8]})
            out_rels = [{"id": f"r{i}", "type": r[1], "from": keys[r[2]], "to": keys[r[3]],
                         "attributes": _loads(r[4])}
                        for i, r in enumerate(rels.get(d[0], ()), 1)]
            fh.write(json.dumps({"id": d[1], "title": d[2], "text": text, "meta": _loads(d[4]),
                                 "status": d[5], "spans": out_spans, "relations": out_rels},
                                ensure_ascii=False))
            fh.write("\n")
    conn.close()


if __name__ == "__main__":
    t = time.perf_counter()
    if sys.argv[1] == "--help":
        print(__doc__)
    elif sys.argv[1] == "import":
        bare_import(sys.argv[2], sys.argv[3])
    else:
        bare_export(sys.argv[2], sys.argv[3])
    print(f"{time.perf_counter() - t:.6f}")
