"""``annotator check``: SQLite's integrity check plus Annotator's own invariants."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from sqlalchemy import select

from annotator.core.model import check_fragments
from annotator.core.storage.engine import raw_connection, schema_problems
from annotator.core.storage.schema import DocumentRow, RelationRow, SpanRow

if TYPE_CHECKING:
    from annotator.core.project import Project

MAX_REPORTED = 50


def check_project(project: Project) -> list[str]:
    """Every problem found, as lines for people; empty when the project is sound."""
    problems: list[str] = []
    with raw_connection(project.engine) as conn:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if rows != [("ok",)]:
            problems += [f"sqlite: {r[0]}" for r in rows[:MAX_REPORTED]]
            return problems
        problems += [f"schema: {p}" for p in schema_problems(conn)]
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        problems += [f"foreign key: row {r[1]} of {r[0]} points to a missing {r[2]}" for r in fk]
    ts = project.tagset
    known = {(lay.name, lab.name) for lay in ts.layers for lab in lay.labels}
    rel_types = {r.name for r in ts.relation_types}
    with project._read() as s:
        lengths: dict[int, tuple[str, int]] = {}
        for pk, name, text, sha, length in s.execute(select(
                DocumentRow.id, DocumentRow.name, DocumentRow.text, DocumentRow.sha256,
                DocumentRow.length)):
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha:
                problems.append(f"document {name!r}: text does not match its SHA-256")
            if len(text) != length:
                problems.append(f"document {name!r}: stored length {length} != {len(text)}")
            lengths[pk] = (name, len(text))
        spans_doc: dict[int, int] = {}
        for pk, doc, layer, label, start, end, frags in s.execute(select(
                SpanRow.id, SpanRow.document_id, SpanRow.layer, SpanRow.label, SpanRow.start,
                SpanRow.end, SpanRow.fragments)):
            spans_doc[pk] = doc
            name, length = lengths.get(doc, ("?", 0))
            try:
                fragments = (tuple((int(a), int(b)) for a, b in json.loads(frags)) if frags
                             else ((start, end),))
            except (ValueError, TypeError):
                problems.append(f"document {name!r}, span {pk}: unreadable fragments")
                continue
            problem = check_fragments(fragments, length)
            if problem is None and (fragments[0][0] != start or fragments[-1][1] != end):
                problem = "start/end disagree with its fragments"
            if problem:
                problems.append(f"document {name!r}, span {pk}: {problem}")
            if (layer, label) not in known:
                problems.append(f"document {name!r}, span {pk}: label {layer}:{label} "
                                "is not in the tagset")
        for pk, doc, typ, a, b in s.execute(select(
                RelationRow.id, RelationRow.document_id, RelationRow.type,
                RelationRow.source_id, RelationRow.target_id)):
            name = lengths.get(doc, ("?", 0))[0]
            if a not in spans_doc or b not in spans_doc:
                problems.append(f"document {name!r}, relation {pk}: an end is missing")
            elif spans_doc[a] != doc or spans_doc[b] != doc:
                problems.append(f"document {name!r}, relation {pk}: ends in another document")
            if typ not in rel_types:
                problems.append(f"document {name!r}, relation {pk}: type {typ!r} "
                                "is not in the tagset")
    return problems[:MAX_REPORTED] + (
        [f"… and {len(problems) - MAX_REPORTED} more"] if len(problems) > MAX_REPORTED else [])
