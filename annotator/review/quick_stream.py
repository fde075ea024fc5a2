"""The agreement of two project files (:mod:`annotator.review.stream`) read through plain
:mod:`sqlite3`, without SQLAlchemy (importing it is a good part of a plain comparison's time).

Contract: :func:`quick_agreement` gives exactly what
``stream.stream_agreement(paths, layers=layers, measures=measures)`` gives, or None when it cannot
tell, and the caller then goes the full way (which says what is wrong, if anything is). It
serves the common case only: both files are project files that
:func:`annotator.core.quick_read.connect` opens (a regular file of the current schema nobody
is editing, no log beside it, passing ``quick_check``: read-only, untrusted, nothing written),
that have every table and column of our schema (:data:`SCHEMA`, as the project checks), and
every ``--layer`` asked for is the layer of some span of either file
(an unknown one is refused by the full way, with the layers of both tagsets in its message).
Any value that cannot be read (also in the tagset or the settings, which the full way reads
and checks too) and any SQLite error give None as well, so every refusal is the full way's
own.

It reads what the full way reads, with the same row decoding (:mod:`annotator.core.corpus_rows`,
:mod:`annotator.core.storage.rows`): the documents' text hashes in the file's order (as
:func:`annotator.core.doc_index.document_hashes`), the layers of the matched documents' spans
(as :func:`annotator.core.doc_index.span_layers`), the annotator setting (as
:attr:`Project.annotator`), then the matched documents ``stream.CHUNK`` at a time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Any

from annotator.core import corpus_rows, quick_read
from annotator.core.collector import collector_paused
from annotator.core.errors import AnnotatorError
from annotator.core.storage import rows as decode
from annotator.core.storage.tagset_rows import (
    LABEL_SQL,
    LAYER_SQL,
    RELATION_TYPE_SQL,
    tagset_from_rows,
)
from annotator.core.tagset import Tagset
from annotator.core.text import sha256_of
from annotator.review.agreement import AgreementResult, compute_agreement_stream

_CHUNK = 500  # documents whose texts are hashed at a time (as doc_index)
# the tables and columns of the current schema (annotator.core.storage.schema.tables_of, which
# imports SQLAlchemy; a test compares)
SCHEMA: dict[str, frozenset[str]] = {name: frozenset(columns.split()) for name, columns in {
    "project_meta": "key value",
    "tagset_layer": "attributes description enabled id name position scope",
    "tagset_label": "attributes color description id key layer_id name position",
    "tagset_relation_type": "attributes description id name position source target",
    "document": "created id length meta modified name position sha256 status text title",
    "span": "annotator attributes created document_id end fragments id label layer modified "
            "note start",
    "relation": "annotator attributes created document_id id source_id target_id type",
    "doc_annotation": "annotator attributes created document_id id label layer modified",
    "span_origin": "origin span_id",
    "rejected_suggestion": "annotator created document_id end id label layer start",
    "recommender_model": "created data id layer meta name version",
    "assignment": "annotator document_id modified status",
}.items()}


def document_hashes(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """``(id, name, sha256 of the text)`` of every document in the file's order, each text
    checked as :func:`annotator.core.doc_index.document_hashes` checks it (raises
    :class:`annotator.core.storage.rows.DamagedValue`)."""
    codec = decode.codec_of(conn.execute("PRAGMA encoding").fetchone()[0])
    order = corpus_rows.order(conn)
    out: list[tuple[int, str, str]] = []
    for k in range(0, len(order), _CHUNK):
        ids = order[k:k + _CHUNK]
        found = conn.execute(corpus_rows.DOCUMENT_SQL.format(", ".join("?" * len(ids))), ids)
        by_id = {r[0]: r for r in found}
        for pk in ids:
            row = by_id.get(pk)
            if row is not None:
                info, text = decode.document_with_text(row, codec)
                out.append((pk, info.name, sha256_of(text)))
    return out


def span_layers(conn: sqlite3.Connection, documents: Sequence[int]) -> set[str]:
    """Distinct layers (non-empty strings) of the spans of ``documents``."""
    found: set[object] = set()
    for k in range(0, len(documents), _CHUNK):
        ids = list(documents[k:k + _CHUNK])
        sql = ("SELECT DISTINCT layer FROM span WHERE document_id IN ("
               + ", ".join("?" * len(ids)) + ")")
        found.update(v for (v,) in conn.execute(sql, ids))
    return {v for v in found if type(v) is str and v}


def _settings(conn: sqlite3.Connection) -> dict[str, object]:
    with decode.tolerant(conn):  # as the project reads its settings
        return {k: v for k, v in conn.execute("SELECT key, value FROM project_meta")
                if type(k) is str}


def annotator_setting(conn: sqlite3.Connection) -> str:
    """The project's ``annotator`` setting, read and checked as the project reads it."""
    return decode.text(_settings(conn).get("annotator", ""), "the setting 'annotator'")


def has_our_schema(conn: sqlite3.Connection) -> bool:
    """Whether every table and column of :data:`SCHEMA` is there (the project refuses a file
    that lacks one; :func:`quick_read.connect` checks only those it reads)."""
    tables = {name for typ, name in conn.execute("SELECT type, name FROM sqlite_master")
              if typ == "table"}
    return all(table in tables and columns <= {r[1] for r in conn.execute(
        f'PRAGMA table_info("{table}")')} for table, columns in SCHEMA.items())


def document_layers(conn: sqlite3.Connection) -> set[str]:
    """The document-level layers as a comparison of two files finds them: the tagset's (read
    and checked as the project reads it: raises
    :class:`annotator.core.storage.rows.DamagedValue` on an unsound entry) and those of the
    document annotations (as :func:`annotator.core.doc_index.doc_annotation_layers`)."""
    name = decode.text(_settings(conn).get("tagset_name", ""), "the setting 'tagset_name'")
    tagset = tagset_from_rows(*(conn.execute(sql).fetchall()
                                for sql in (LAYER_SQL, LABEL_SQL, RELATION_TYPE_SQL)), name=name)
    found = {v for (v,) in conn.execute("SELECT DISTINCT layer FROM doc_annotation")}
    return ({lay.name for lay in tagset.layers if lay.scope == "document"}
            | {v for v in found if type(v) is str and v})


def _reader(conn: sqlite3.Connection, layers: Sequence[str] | None
            ) -> Callable[[list[int]], list[Any]]:
    wanted = set(layers) if layers else None

    def read(ids: list[int]) -> list[Any]:
        return list(corpus_rows.documents(conn, ids, corpus_rows.CHUNK, wanted))

    return read


def quick_agreement(paths: Sequence[str | Path], *, layers: Sequence[str] | None = None,
                    measures: Mapping[str, Any] | None = None) -> AgreementResult | None:
    """``stream_agreement(paths, layers=layers, measures=measures)`` in the common case, else
    None (see the module)."""
    from annotator.review import stream
    from annotator.review.sources import ReviewSide, _unique_names

    if len(paths) != 2 or any("://" in str(p) for p in paths):
        return None
    file_a, file_b = Path(paths[0]), Path(paths[1])
    if file_a.resolve() == file_b.resolve():  # as sources.same_project says of two files
        raise AnnotatorError("the same project file is given twice", path=paths[0])
    with ExitStack() as stack:
        conns = []
        for p in (file_a, file_b):
            conn = quick_read.connect(p)
            if conn is None:
                return None
            conns.append(stack.enter_context(closing(conn)))
        a, b = conns
        try:
            if not (has_our_schema(a) and has_our_schema(b)):
                return None
            names = _unique_names([ReviewSide(file_a, annotator_setting(a), Tagset(), {}),
                                   ReviewSide(file_b, annotator_setting(b), Tagset(), {})])
            doc_layers = document_layers(a) | document_layers(b)
            first_a = stream._first_by_hash(document_hashes(a))
            first_b = stream._first_by_hash(document_hashes(b))
            matched = [((pa, ia), first_b[sha][:2]) for sha, (pa, ia, _) in first_a.items()
                       if sha in first_b]
            if not matched:
                return None  # refused by the full way, in its words
            found = (span_layers(a, [i for (_, i), _ in matched])
                     | span_layers(b, [j for _, (_, j) in matched]))
            if layers:
                if not set(layers) <= found:
                    return None  # the tagsets decide: the full way reads them
                layer_names = list(dict.fromkeys(layers))
            else:
                layer_names = sorted(found)
            pairs = stream.pairs(_reader(a, layers), _reader(b, layers), matched)
            stats = stream.measure_stats(layer_names, len(names), doc_layers, layers, measures)
            with collector_paused():  # only our own readers and tallies run (core.collector)
                result = compute_agreement_stream(
                    pairs, annotators=names, layers=layer_names,
                    only_a=len(first_a) - len(matched), only_b=len(first_b) - len(matched),
                    measures=stats)
        except (sqlite3.Error, decode.DamagedValue, corpus_rows.Damaged):
            return None
    del first_a, first_b, matched  # the documents' index: not needed by the measures
    return stream.with_measures(result, stats, measures)
