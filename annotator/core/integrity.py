"""``annotator check``: SQLite's integrity check plus Annotator's own invariants.

Every value is read as stored, whatever it holds (a tolerant connection: undecodable text is
reported, not raised), and decoded by the same functions as the project's read methods
(:mod:`annotator.core.storage.rows`, :mod:`annotator.core.storage.tagset_store`), so that whatever
makes a read fail is reported here, naming the document, span, relation or tagset entry. The
check never stops at the first problem; it writes nothing.
"""

from __future__ import annotations

import hashlib
import math
import sqlite3
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from annotator.core.model import STATUSES, check_fragments
from annotator.core.storage import rows
from annotator.core.storage.engine import raw_connection, schema_problems
from annotator.core.storage.tagset_store import (
    LABEL_SQL,
    LAYER_SQL,
    RELATION_TYPE_SQL,
    tagset_from_rows,
)

if TYPE_CHECKING:
    from annotator.core.project import Project

MAX_REPORTED = 50
_SETTINGS = ("annotator", "created", "tagset_name", "guidelines")


def _select(table: str, columns: tuple[str, ...]) -> str:
    quoted = ", ".join('"' + c + '"' for c in columns)
    return f"SELECT {quoted} FROM {table} ORDER BY id"


def check_project(project: Project) -> list[str]:
    """Every problem found, as lines for people; empty when the project is sound."""
    problems: list[str] = []
    with raw_connection(project.engine) as conn:
        rows_ = conn.execute("PRAGMA integrity_check").fetchall()
        if rows_ != [("ok",)]:
            problems += [f"sqlite: {r[0]}" for r in rows_[:MAX_REPORTED]]
            return problems
        problems += [f"schema: {p}" for p in schema_problems(conn)]
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        problems += [f"{r[0]} {r[1]}: points to a missing {r[2]} (foreign key)" for r in fk]
        with rows.tolerant(conn):
            _check_values(conn, problems)
    return problems[:MAX_REPORTED] + (
        [f"… and {len(problems) - MAX_REPORTED} more"] if len(problems) > MAX_REPORTED else [])


def _check_values(conn: sqlite3.Connection, problems: list[str]) -> None:
    settings = dict(conn.execute("SELECT key, value FROM project_meta").fetchall())
    for key in sorted((k for k in settings if type(k) is str), key=str):
        try:
            rows.text(settings[key], f"the setting {key!r}")
        except rows.DamagedValue as exc:
            problems.append(exc.message)
    for key in settings:
        if type(key) is not str:
            problems.append(f"a setting's name is {rows.kind(key)}, not text")
    tagset = tagset_from_rows(*(conn.execute(sql).fetchall()
                                for sql in (LAYER_SQL, LABEL_SQL, RELATION_TYPE_SQL)),
                              problems=problems)
    known = {(lay.name, lab.name) for lay in tagset.layers for lab in lay.labels}
    rel_types = {r.name for r in tagset.relation_types}
    lengths = _check_documents(conn, problems)
    document_of: dict[Any, Any] = {}
    for row in conn.execute(_select("span", rows.SPAN_COLUMNS)):
        pk, doc, layer, label = row[:4]
        document_of[pk] = doc
        name, length = lengths.get(doc, (f"document {doc}", None))
        where = f"{name}, span {pk}"
        try:
            fragments = rows.fragments(row[4], row[5], row[6])
            problem = None if length is None else check_fragments(fragments, length)
            if problem:
                problems.append(f"{where}: {problem}")
            rows.span(row, None)  # the other values
        except rows.DamagedValue as exc:
            problems.append(f"{where}: {exc.message}")
        if (type(layer) is str and type(label) is str and layer and label
                and (layer, label) not in known):
            problems.append(f"{where}: label {layer}:{label} is not in the tagset")
    for row in conn.execute(_select("relation", rows.RELATION_COLUMNS)):
        pk, doc, typ, source, target = row[:5]
        where = f"{lengths.get(doc, (f'document {doc}', None))[0]}, relation {pk}"
        try:
            rows.relation(row)
        except rows.DamagedValue as exc:
            problems.append(f"{where}: {exc.message}")
        problem = rows.relation_ends(source, target, doc, document_of)
        if problem:
            problems.append(f"{where}: {problem}")
        if type(typ) is str and typ and typ not in rel_types:
            problems.append(f"{where}: type {typ!r} is not in the tagset")
    doc_layers = {lay.name: {lab.name for lab in lay.labels} for lay in tagset.layers
                  if lay.document_level}
    _check_schema2(conn, problems, lengths, document_of, doc_layers)


def _check_origin(origin: dict[str, Any]) -> None:
    """The provenance an accepted suggestion records (``Suggestion.origin``): a recommender's
    name, a model version, a training size and a score, where present."""
    for key in ("recommender", "model_version"):
        if key in origin and type(origin[key]) is not str:
            raise rows.DamagedValue(f"origin {key} is {rows.kind(origin[key])}, not text")
    size = origin.get("training_size", 0)
    if type(size) is not int or size < 0:
        raise rows.DamagedValue(f"origin training_size {size!r} is not a count")
    score = origin.get("score", 0.0)
    if type(score) not in (int, float) or not math.isfinite(score) or not 0 <= score <= 1:
        raise rows.DamagedValue(f"origin score {score!r} is not a number from 0 to 1")


def _check_schema2(conn: sqlite3.Connection, problems: list[str],
                   lengths: dict[Any, tuple[str, int | None]],
                   document_of: dict[Any, Any], doc_layers: dict[str, set[str]]) -> None:
    """Document-level annotations (their layer and label in the tagset, as document-level),
    suggestion provenance and rejections, models, assignments (schema 2)."""
    for row in conn.execute(_select("doc_annotation", rows.DOC_ANNOTATION_COLUMNS)):
        where = f"{lengths.get(row[1], (f'document {row[1]}', None))[0]}, document annotation " \
                f"{row[0]}"
        try:
            ann = rows.doc_annotation(row)
        except rows.DamagedValue as exc:
            problems.append(f"{where}: {exc.message}")
            continue
        if ann.layer not in doc_layers:
            problems.append(f"{where}: layer {ann.layer!r} is not a document-level layer of "
                            "the tagset")
        elif ann.label not in doc_layers[ann.layer]:
            problems.append(f"{where}: label {ann.layer}:{ann.label} is not in the tagset")
    for span, origin in conn.execute("SELECT span_id, origin FROM span_origin"):
        try:
            if span not in document_of:
                raise rows.DamagedValue(f"is the provenance of a missing span {span!r}")
            _check_origin(rows.json_object(origin, "origin"))
        except rows.DamagedValue as exc:
            problems.append(f"span {span}: {exc.message}")
    for pk, _doc, layer, label, start, end in conn.execute(
            'SELECT id, document_id, layer, label, start, "end" FROM rejected_suggestion'):
        try:
            rows.text(layer, "layer", required=True)
            rows.text(label, "label", required=True)
            if rows.integer(start, "start") >= rows.integer(end, "end"):
                raise rows.DamagedValue(f"[{start}, {end}) is empty or reversed")
        except rows.DamagedValue as exc:
            problems.append(f"rejected suggestion {pk}: {exc.message}")
    for name, layer, version, data, meta in conn.execute(
            "SELECT name, layer, version, data, meta FROM recommender_model"):
        try:
            rows.text(name, "name", required=True)
            rows.text(layer, "layer")
            rows.integer(version, "version")
            if not isinstance(data, bytes):
                raise rows.DamagedValue(f"data is {rows.kind(data)}, not bytes")
            rows.json_object(meta, "meta")
        except rows.DamagedValue as exc:
            problems.append(f"model {name!r}: {exc.message}")
    for doc, who, status in conn.execute("SELECT document_id, annotator, status FROM assignment"):
        try:
            rows.text(who, "annotator", required=True)
            if rows.text(status, "status") not in STATUSES:
                raise rows.DamagedValue(f"status {status!r} is not one of "
                                        f"{', '.join(STATUSES)}")
        except rows.DamagedValue as exc:
            problems.append(f"document {doc}, assignment of {who!r}: {exc.message}")


def _documents(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    yield from conn.execute(_select("document", (*rows.DOCUMENT_COLUMNS, "text")))


def _check_documents(conn: sqlite3.Connection, problems: list[str]
                     ) -> dict[Any, tuple[str, int | None]]:
    """Each document's header and text; returns how to name each one and its text's length
    (None when the text is unreadable)."""
    lengths: dict[Any, tuple[str, int | None]] = {}
    for row in _documents(conn):
        pk, name, _, sha, length, _, _, text = row
        where = rows.document_where(pk, name)
        try:
            rows.document_info(row[:7])
        except rows.DamagedValue as exc:
            problems.append(f"{where}: {exc.message}")
        try:
            text = rows.text(text, "text")
        except rows.DamagedValue as exc:
            problems.append(f"{where}: {exc.message}")
            lengths[pk] = (where, None)
            continue
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha:
            problems.append(f"{where}: text does not match its SHA-256")
        if length != len(text):
            problems.append(f"{where}: stored length {length!r} != {len(text)}, the length of "
                            "its text")
        lengths[pk] = (where, len(text))
    return lengths
