"""Crafted project files: a real project (``Project.create`` + import) with ONE value corrupted
by plain ``sqlite3``, as a hand-edited or damaged file would be.

Each entry of :data:`CRAFTED` is one class of damage: a ``meta``/``attributes`` column holding
invalid JSON or JSON of the wrong type, a document text that is a BLOB, NULL or not UTF-8, span
fragments that are garbage, out of order or outside the text, labels not in the tagset,
relations to missing spans, tagset rows holding nonsense, ``project_meta`` values of the wrong
type, statuses not in the set. ``expect`` holds words that ``annotator check`` must print for
it (naming the document, span, relation or tagset entry).

The file stays ours (application id, schema version, every table and column); only values
change. Some classes need a NULL where the schema says NOT NULL: :func:`allow_null` rewrites
that one column's declaration, as a crafted file could.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord

Corrupt = Callable[[sqlite3.Connection], None]

FIRST_TEXT = ("Officials said 👍🏽 the plan was “not fully confirmed”. "
              "قال المتحدث إن الخطة جيدة. Café owners (cafe\u0301) seem unconvinced.")
SECOND_TEXT = "The minister claimed that the figures were probably wrong, critics said."
DEEP = 10_000  # nesting levels: more than Python's recursion limit
HUGE = "9" * 5_000  # digits: more than Python's int-to-string limit (4,300)


def _at(text: str, s: str) -> tuple[int, int]:
    i = text.index(s)
    return (i, i + len(s))


def documents() -> list[CorpusDocument]:
    """Two annotated documents: ``first`` (with a discontinuous span and relations) and
    ``second``."""
    t = FIRST_TEXT
    first = CorpusDocument(
        name="first", title="First", text=t, meta={"author": "Test"}, status="in_progress",
        spans=[
            SpanRecord("s1", "attribution", "source", (_at(t, "Officials"),),
                       {"source_type": "person"}),
            SpanRecord("s2", "attribution", "cue", (_at(t, "said"),)),
            SpanRecord("s3", "attribution", "content", (_at(t, "the plan was"),)),
            SpanRecord("s4", "hedging", "hedge", (_at(t, "not fully confirmed"),),
                       {"certainty": "possible"}),
            SpanRecord("s5", "stance", "stance", (_at(t, "قال المتحدث"), _at(t, "جيدة")),
                       {"polarity": "favour"}),
            SpanRecord("s6", "hedging", "hedge", (_at(t, "seem"),)),
        ],
        relations=[RelationRecord("r1", "attributed_to", "s3", "s1"),
                   RelationRecord("r2", "cue_of", "s2", "s3")])
    u = SECOND_TEXT
    second = CorpusDocument(
        name="second", title="Second", text=u, status="done",
        spans=[SpanRecord("s1", "hedging", "hedge", (_at(u, "probably"),)),
               SpanRecord("s2", "attribution", "cue", (_at(u, "claimed"),))])
    return [first, second]


def build_base(path: Path, annotator: str = "alice") -> Path:
    """A sound project holding :func:`documents`."""
    from annotator.core.project import Project

    with Project.create(path, annotator=annotator) as p:
        p.import_documents(documents())
    return path


# ---------------------------------------------------------------------------- helpers
def span_pk(conn: sqlite3.Connection, doc: str, layer: str, label: str, nth: int = 0) -> int:
    rows = conn.execute(
        "SELECT span.id FROM span JOIN document ON document.id = span.document_id "
        "WHERE document.name = ? AND layer = ? AND label = ? ORDER BY span.start",
        (doc, layer, label)).fetchall()
    return int(rows[nth][0])


def doc_pk(conn: sqlite3.Connection, name: str) -> int:
    return int(conn.execute("SELECT id FROM document WHERE name = ?", (name,)).fetchone()[0])


def allow_null(conn: sqlite3.Connection, table: str, column: str) -> None:
    """Drop NOT NULL from one column's declaration (the stored rows are unchanged)."""
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                       (table,)).fetchone()[0]
    lines = sql.split("\n")
    for i, line in enumerate(lines):
        if line.strip().strip('"').startswith((column + " ", column + '" ')):
            lines[i] = line.replace(" NOT NULL", "")
            break
    else:
        raise AssertionError(f"no column {column} in {table}")
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                 ("\n".join(lines), table))
    conn.execute(f"PRAGMA schema_version = {version + 1}")
    conn.execute("PRAGMA writable_schema = OFF")


def _sql(statement: str, *params: object) -> Corrupt:
    def run(conn: sqlite3.Connection) -> None:
        conn.execute(statement, params)
    return run


def _doc(column: str, value: object, doc: str = "first") -> Corrupt:
    return _sql(f'UPDATE document SET "{column}" = ? WHERE name = ?', value, doc)


def _doc_null(column: str) -> Corrupt:
    def run(conn: sqlite3.Connection) -> None:
        allow_null(conn, "document", column)
        conn.execute(f'UPDATE document SET "{column}" = NULL WHERE name = ?', ("first",))
    return run


def _doc_raw(column: str, hex_bytes: str) -> Corrupt:
    """Store bytes as TEXT (so SQLite calls them text, whatever they hold)."""
    return _sql(f'UPDATE document SET "{column}" = CAST(? AS TEXT) WHERE name = ?',
                bytes.fromhex(hex_bytes), "first")


def _span(column: str, value: object, layer: str = "hedging", label: str = "hedge") -> Corrupt:
    def run(conn: sqlite3.Connection) -> None:
        pk = span_pk(conn, "first", layer, label)
        conn.execute(f'UPDATE span SET "{column}" = ? WHERE id = ?', (value, pk))
    return run


def _span_null(column: str) -> Corrupt:
    def run(conn: sqlite3.Connection) -> None:
        allow_null(conn, "span", column)
        pk = span_pk(conn, "first", "hedging", "hedge")
        conn.execute(f'UPDATE span SET "{column}" = NULL WHERE id = ?', (pk,))
    return run


def _discontinuous(fragments: str | None, start: object = None, end: object = None) -> Corrupt:
    """Set the discontinuous stance span's fragments (and start/end, default: the first
    fragment's start and the last one's end as given)."""
    def run(conn: sqlite3.Connection) -> None:
        pk = span_pk(conn, "first", "stance", "stance")
        conn.execute("UPDATE span SET fragments = ? WHERE id = ?", (fragments, pk))
        if start is not None:
            conn.execute("UPDATE span SET start = ?, \"end\" = ? WHERE id = ?", (start, end, pk))
    return run


def _continuous(start: object, end: object) -> Corrupt:
    def run(conn: sqlite3.Connection) -> None:
        pk = span_pk(conn, "first", "hedging", "hedge")
        conn.execute('UPDATE span SET start = ?, "end" = ? WHERE id = ?', (start, end, pk))
    return run


def _relation(column: str, value: Callable[[sqlite3.Connection], object] | object) -> Corrupt:
    def run(conn: sqlite3.Connection) -> None:
        v = value(conn) if callable(value) else value
        pk = conn.execute("SELECT min(id) FROM relation").fetchone()[0]
        conn.execute(f'UPDATE relation SET "{column}" = ? WHERE id = ?', (v, pk))
    return run


def _layer(column: str, value: object, layer: str = "hedging") -> Corrupt:
    return _sql(f'UPDATE tagset_layer SET "{column}" = ? WHERE name = ?', value, layer)


def _label(column: str, value: object, label: str = "hedge") -> Corrupt:
    return _sql(f'UPDATE tagset_label SET "{column}" = ? WHERE name = ?', value, label)


def _reltype(column: str, value: object, name: str = "attributed_to") -> Corrupt:
    return _sql(f'UPDATE tagset_relation_type SET "{column}" = ? WHERE name = ?', value, name)


def _meta(key: str, value: object) -> Corrupt:
    return _sql("UPDATE project_meta SET value = ? WHERE key = ?", value, key)


def _meta_null(key: str) -> Corrupt:
    def run(conn: sqlite3.Connection) -> None:
        allow_null(conn, "project_meta", "value")
        conn.execute("UPDATE project_meta SET value = NULL WHERE key = ?", (key,))
    return run


def _meta_raw(key: str, hex_bytes: str) -> Corrupt:
    return _sql("UPDATE project_meta SET value = CAST(? AS TEXT) WHERE key = ?",
                bytes.fromhex(hex_bytes), key)


def _other_doc_span(conn: sqlite3.Connection) -> int:
    return span_pk(conn, "second", "hedging", "hedge")


def _deep(inner: str = "") -> str:
    return "[" * DEEP + inner + "]" * DEEP


# ---------------------------------------------------------------------------- the classes
@dataclass(frozen=True)
class Crafted:
    corrupt: Corrupt
    expect: tuple[str, ...]  # words `annotator check` prints for it


def _c(corrupt: Corrupt, *expect: str) -> Crafted:
    return Crafted(corrupt, expect)


D, SP = "document 'first'", "document 'first', span"
CRAFTED: dict[str, Crafted] = {
    # document.meta
    "meta not json": _c(_doc("meta", '{"author": '), D, "meta", "not valid JSON"),
    "meta a list": _c(_doc("meta", "[1, 2]"), D, "meta", "object"),
    "meta a number": _c(_doc("meta", "42"), D, "meta", "object"),
    "meta a string": _c(_doc("meta", '"x"'), D, "meta", "object"),
    "meta deep": _c(_doc("meta", '{"a": ' + _deep() + "}"), D, "meta", "nested"),
    "meta deep list": _c(_doc("meta", _deep()), D, "meta"),
    "meta huge int": _c(_doc("meta", '{"n": ' + HUGE + "}"), D, "meta", "digits"),
    "meta NaN": _c(_doc("meta", '{"x": NaN}'), D, "meta", "NaN"),
    "meta infinite float": _c(_doc("meta", '{"x": 1e999}'), D, "meta", "finite"),
    "meta lone surrogate escape": _c(_doc("meta", '{"a": "\\ud800"}'), D, "meta", "surrogate"),
    "meta blob": _c(_doc("meta", b"{}"), D, "meta", "BLOB"),
    "meta integer": _c(_doc("meta", 7), D, "meta", "an integer"),  # TEXT affinity: '7'
    "meta invalid utf-8": _c(_doc_raw("meta", "7b22223a2022ff227d"), D, "meta", "UTF-8"),
    # document.text and its bookkeeping
    "text blob": _c(_sql("UPDATE document SET text = CAST(text AS BLOB) WHERE name = 'first'"),
                    D, "text", "BLOB"),
    "text null": _c(_doc_null("text"), D, "text", "NULL"),
    "text integer": _c(_doc("text", 12345), D, "text"),
    "text lone surrogate": _c(_doc_raw("text", "4f6666eda080696369616c73"), D, "text", "UTF-8"),
    "text invalid utf-8": _c(_doc_raw("text", "4f6666ff696369616c73"), D, "text", "UTF-8"),
    "length wrong": _c(_sql("UPDATE document SET length = length + 3 WHERE name = 'first'"),
                       D, "length"),
    "length text": _c(_doc("length", "many"), D, "length"),
    "sha256 wrong": _c(_doc("sha256", "0" * 64), D, "SHA-256"),
    "status unknown": _c(_doc("status", "bogus"), D, "status", "bogus"),
    "status integer": _c(_doc("status", 3), D, "status", "'3'"),  # TEXT affinity: '3'
    "status blob": _c(_doc("status", b"new"), D, "status", "BLOB"),
    "name blob": _c(_doc("name", b"first"), "document 1", "name", "BLOB"),
    "name null": _c(_doc_null("name"), "document 1", "name"),
    "name invalid utf-8": _c(_doc_raw("name", "66ff"), "document 1", "name", "UTF-8"),
    "title blob": _c(_doc("title", b"\x00\xff"), D, "title", "BLOB"),
    "title null": _c(_doc_null("title"), D, "title", "NULL"),
    # span.fragments
    "fragments not json": _c(_discontinuous("[[1, 2"), SP, "fragments", "not valid JSON"),
    "fragments a dict": _c(_discontinuous('{"a": 1}'), SP, "fragments"),
    "fragments flat": _c(_discontinuous("[1, 2]"), SP, "fragments"),
    "fragments triples": _c(_discontinuous("[[1, 2, 3]]"), SP, "fragments"),
    "fragments strings": _c(_discontinuous('[["1", "2"]]', "1", "2"), SP, "fragments"),
    "fragments floats": _c(_discontinuous("[[1.5, 3]]", 1, 3), SP, "fragments"),
    "fragments booleans": _c(_discontinuous("[[false, true]]", 0, 1), SP, "fragments"),
    "fragments empty list": _c(_discontinuous("[]"), SP, "fragment"),
    "fragments deep": _c(_discontinuous(_deep()), SP, "fragments", "nested"),
    "fragments huge int": _c(_discontinuous("[[0, " + HUGE + "]]"), SP, "fragments", "digits"),
    "fragments out of order": _c(_discontinuous("[[60, 64], [10, 12]]", 60, 12), SP,
                                 "overlaps or precedes"),
    "fragments overlap": _c(_discontinuous("[[10, 20], [15, 25]]", 10, 25), SP,
                            "overlaps or precedes"),
    "fragments beyond text": _c(_discontinuous("[[10, 20], [30, 5000]]", 10, 5000), SP,
                                "outside the text"),
    "fragments blob": _c(_discontinuous(b"[[1, 2], [3, 4]]"), SP, "fragments", "BLOB"),
    "fragments disagree with start": _c(_discontinuous("[[10, 20], [30, 40]]", 11, 40), SP,
                                        "disagree"),
    # span.start / span.end
    "span negative": _c(_continuous(-1, 3), SP, "outside the text"),
    "span beyond text": _c(_continuous(3, 5000), SP, "outside the text"),
    "span empty": _c(_continuous(5, 5), SP, "empty or reversed"),
    "span reversed": _c(_continuous(9, 4), SP, "empty or reversed"),
    "span start text": _c(_continuous("abc", 4), SP, "start"),
    "span start real": _c(_continuous(1.5, 4), SP, "start"),
    "span end blob": _c(_continuous(1, b"\x04"), SP, "end"),
    "span start huge": _c(_continuous(2**62, 2**62 + 5), SP, "outside the text"),
    "span start null": _c(_span_null("start"), SP, "start"),
    # span labels, attributes, other columns
    "span label not in tagset": _c(_span("label", "nonsense"), SP, "hedging:nonsense",
                                   "tagset"),
    "span layer not in tagset": _c(_span("layer", "nolayer"), SP, "nolayer", "tagset"),
    "span label empty": _c(_span("label", ""), SP, "label"),
    "span label integer": _c(_span("label", 5), SP, "hedging:5", "tagset"),
    "span layer blob": _c(_span("layer", b"\x00"), SP, "layer", "BLOB"),
    "span layer invalid utf-8": _c(_sql(
        "UPDATE span SET layer = CAST(x'68ff' AS TEXT) WHERE id = 1"), "span 1", "layer"),
    "span attributes not json": _c(_span("attributes", "{"), SP, "attributes",
                                   "not valid JSON"),
    "span attributes a list": _c(_span("attributes", "[]"), SP, "attributes", "object"),
    "span attributes a number": _c(_span("attributes", "1"), SP, "attributes", "object"),
    "span attributes deep": _c(_span("attributes", '{"x": ' + _deep() + "}"), SP,
                               "attributes", "nested"),
    "span attributes huge int": _c(_span("attributes", '{"x": ' + HUGE + "}"), SP,
                                   "attributes", "digits"),
    "span attributes null": _c(_span_null("attributes"), SP, "attributes", "NULL"),
    "span attributes blob": _c(_span("attributes", b"{}"), SP, "attributes", "BLOB"),
    "span note blob": _c(_span("note", b"5"), SP, "note", "BLOB"),
    "span annotator blob": _c(_span("annotator", b"\xff"), SP, "annotator", "BLOB"),
    "span of no document": _c(_span("document_id", 999), "span", "missing"),
    # relations
    "relation to a missing span": _c(_relation("source_id", 999), "relation 1", "missing"),
    "relation from a missing span": _c(_relation("target_id", 998), "relation 1", "missing"),
    "relation across documents": _c(_relation("target_id", _other_doc_span), "relation 1",
                                    "another document"),
    "relation type not in tagset": _c(_relation("type", "nonsense"), "relation 1",
                                      "nonsense", "tagset"),
    "relation type integer": _c(_relation("type", 4), "relation 1", "'4'", "tagset"),
    "relation type blob": _c(_relation("type", b"cue_of"), "relation 1", "type", "BLOB"),
    "relation attributes not json": _c(_relation("attributes", "{]"), "relation 1",
                                       "attributes", "not valid JSON"),
    "relation attributes a list": _c(_relation("attributes", "[1]"), "relation 1",
                                     "attributes", "object"),
    "relation of no document": _c(_relation("document_id", 999), "relation 1", "missing"),
    "relation source text": _c(_relation("source_id", "one"), "relation 1", "missing"),
    # the tagset tables
    "layer attributes not json": _c(_layer("attributes", "[{"), "layer 'hedging'",
                                    "attributes", "not valid JSON"),
    "layer attributes a dict": _c(_layer("attributes", "{}"), "layer 'hedging'", "attributes",
                                  "list"),
    "layer attribute a number": _c(_layer("attributes", "[1]"), "layer 'hedging'",
                                   "attribute"),
    "layer attribute unknown key": _c(_layer("attributes", '[{"name": "x", "bogus": 1}]'),
                                      "layer 'hedging'", "bogus"),
    "layer attribute without name": _c(_layer("attributes", '[{"type": "text"}]'),
                                       "layer 'hedging'", "name"),
    "layer attribute bad type": _c(_layer("attributes", '[{"name": "x", "type": "colour"}]'),
                                   "layer 'hedging'", "colour"),
    "layer attribute choice without values": _c(
        _layer("attributes", '[{"name": "x", "type": "choice", "values": []}]'),
        "layer 'hedging'", "without values"),
    "layer attribute values a string": _c(
        _layer("attributes", '[{"name": "x", "type": "choice", "values": "ab"}]'),
        "layer 'hedging'", "values"),
    "layer attributes deep": _c(_layer("attributes", _deep()), "layer 'hedging'", "nested"),
    "layer attributes blob": _c(_layer("attributes", b"[]"), "layer 'hedging'", "BLOB"),
    "layer name empty": _c(_layer("name", ""), "layer", "name"),
    "layer name blob": _c(_layer("name", b"hedging"), "layer 2", "name", "BLOB"),
    "layer enabled text": _c(_layer("enabled", "maybe"), "layer 'hedging'", "enabled"),
    "label attributes not json": _c(_label("attributes", "nope"), "label 'hedging:hedge'",
                                    "attributes", "not valid JSON"),
    "label attributes huge int": _c(_label("attributes", "[" + HUGE + "]"),
                                    "label 'hedging:hedge'", "digits"),
    "label of no layer": _c(_label("layer_id", 999), "label", "missing"),
    "label name blob": _c(_label("name", b"h"), "label", "name", "BLOB"),
    "label color blob": _c(_label("color", b"#fff"), "label 'hedging:hedge'", "color"),
    "label key blob": _c(_label("key", b"\x01"), "label 'hedging:hedge'", "key"),
    "relation type source not json": _c(_reltype("source", "[x"), "relation type",
                                        "source", "not valid JSON"),
    "relation type source a dict": _c(_reltype("source", '{"a": 1}'), "relation type",
                                      "source", "list"),
    "relation type target numbers": _c(_reltype("target", "[1, 2]"), "relation type",
                                       "target"),
    "relation type name blob": _c(_reltype("name", b"x"), "relation type 1", "name", "BLOB"),
    # project_meta
    "annotator null": _c(_meta_null("annotator"), "setting 'annotator'", "NULL"),
    "annotator a blob": _c(_meta("annotator", b"alice"), "setting 'annotator'", "BLOB"),
    "annotator invalid utf-8": _c(_meta_raw("annotator", "616cff"), "setting 'annotator'",
                                  "UTF-8"),
    "tagset name a blob": _c(_meta("tagset_name", b"default"), "setting 'tagset_name'",
                             "BLOB"),
    "created null": _c(_meta_null("created"), "setting 'created'", "NULL"),
}


def craft(base: Path, dest: Path, name: str) -> Path:
    """Copy ``base`` to ``dest`` and apply the damage ``name``; returns ``dest``."""
    dest.write_bytes(base.read_bytes())
    conn = sqlite3.connect(dest, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("BEGIN")
        CRAFTED[name].corrupt(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()
    for side in dest.parent.glob(dest.name + "-*"):
        raise AssertionError(f"sqlite left {side}")
    return dest
