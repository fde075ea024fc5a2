"""Two small annotators' project files, hand-checkable, for the review tests (and GUI tests)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord

T1 = "Officials said the plan may fail 👍🏽. Critics disagree."
T2 = "قال المتحدث إن الخطة جيدة. Cafe\u0301 owners seem unconvinced."
T_ONLY_A = "Only Alice has this article."
T_ONLY_B = "Only Bob has this one."


def at(text: str, s: str, nth: int = 0) -> tuple[tuple[int, int], ...]:
    i = -1
    for _ in range(nth + 1):
        i = text.index(s, i + 1)
    return ((i, i + len(s)),)


def alice_docs() -> list[CorpusDocument]:
    return [
        CorpusDocument("d1", T1, title="Plan", spans=[
            SpanRecord("s1", "attribution", "source", at(T1, "Officials")),
            SpanRecord("s2", "attribution", "cue", at(T1, "said")),
            SpanRecord("s3", "hedging", "hedge", at(T1, "may"), {"certainty": "low"}),
            SpanRecord("s4", "rhetoric", "technique", at(T1, "👍🏽")),
        ], relations=[RelationRecord("r1", "cue_of", "s2", "s1")]),
        CorpusDocument("d2", T2, title="Arabic", spans=[
            SpanRecord("s1", "stance", "stance", at(T2, "جيدة")),
            SpanRecord("s2", "hedging", "hedge", at(T2, "seem")),
        ]),
        CorpusDocument("a-only", T_ONLY_A),
    ]


def bob_docs() -> list[CorpusDocument]:
    return [
        CorpusDocument("other-name", T1, title="Plan (Bob)", spans=[
            SpanRecord("s1", "attribution", "source", at(T1, "Officials")),
            SpanRecord("s2", "attribution", "cue", at(T1, "said")),
            SpanRecord("s3", "hedging", "hedge", at(T1, "may fail"), {"certainty": "low"}),
            SpanRecord("s5", "stance", "target", at(T1, "the plan")),
        ], relations=[RelationRecord("r1", "cue_of", "s2", "s1")]),
        CorpusDocument("d2", T2, title="Arabic", spans=[
            SpanRecord("s1", "stance", "target", at(T2, "جيدة")),
            SpanRecord("s2", "hedging", "hedge", at(T2, "seem"), {"certainty": "high"}),
        ]),
        CorpusDocument("b-only-1", T_ONLY_B),
        CorpusDocument("b-only-2", T_ONLY_B + " Really."),
    ]


def make_pair(tmp_path: Path) -> tuple[Path, Path]:
    """alice.annot and bob/bob.annot under ``tmp_path``."""
    from annotator.core.project import Project

    a, b = tmp_path / "alice.annot", tmp_path / "bob" / "bob.annot"
    b.parent.mkdir()
    with Project.create(a, annotator="alice") as p:
        p.import_documents(alice_docs())
    with Project.create(b, annotator="bob") as p:
        p.import_documents(bob_docs())
    return a, b


def add_traps(path: Path) -> None:
    """Make ``path`` hostile: triggers on span that write elsewhere, and a view."""
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE trap_log (what TEXT);
        CREATE TRIGGER trap_ins AFTER INSERT ON span BEGIN
            INSERT INTO trap_log VALUES ('insert'); END;
        CREATE TRIGGER trap_upd AFTER UPDATE ON span BEGIN
            INSERT INTO trap_log VALUES ('update'); UPDATE document SET title = 'pwned'; END;
        CREATE TRIGGER trap_del AFTER DELETE ON span BEGIN
            DELETE FROM document; END;
        CREATE VIEW trap_view AS SELECT * FROM span WHERE label = 'hedge';
    """)
    con.commit()
    con.close()


def fingerprint(path: Path) -> tuple[str, int, list[str]]:
    """sha256 of the file, its mtime in ns, and the files of its folder."""
    import hashlib

    return (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns,
            sorted(p.name for p in path.parent.iterdir()))
