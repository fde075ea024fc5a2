"""Conditions of a query said in SQL, so that SQLite reads only the span rows that may match.

The SQL only narrows what is read: a row it keeps is still tested by the engine, and it keeps
every row whose answer it is not sure of (an attribute holding a number or a list, JSON it
does not call valid, a ``\\u`` escape, a key written twice) and every row the reader would
report as damaged (offsets, layer, label, note or annotator not what the schema promises), so
hits and errors are those of testing every row.

The SQL is part of the statement :mod:`~annotator.core.query.sqlite_source` makes, which joins
each span to ``chunk_length(doc, n)``, the recorded length of its document (looking it up in
the document's row would read past its text, page by page, for every span).
"""

from __future__ import annotations

from typing import Any

from annotator.core.query.parser import Condition, Pattern
from annotator.core.query.reading import SpanFilter

# rows the reader checks the slow way (and may report): kept whatever the conditions say
_DOUBTFUL = ("(fragments IS NOT NULL OR typeof(start) != 'integer' OR typeof(\"end\") != "
             "'integer' OR start < 0 OR start >= \"end\" OR typeof(layer) != 'text' OR "
             "typeof(label) != 'text' OR typeof(note) != 'text' OR typeof(annotator) != 'text'"
             " OR layer = '' OR label = '' OR \"end\" > chunk_length.n)")
_COLUMNS = ("layer", "label", "annotator", "note")


def _attribute(c: Condition) -> tuple[str, list[Any]]:
    """``c`` (``=`` or ``!=`` on an attribute) as SQL true for every row that may match."""
    path = f'$."{c.name}"'
    equal = c.op == "="

    def const(matches: bool) -> str:
        return "1" if matches is equal else "0"

    key = f'"{c.name}"'
    sql = ("(typeof(attributes) != 'text' OR NOT json_valid(attributes) OR "
           "json_type(attributes) != 'object' OR instr(attributes, '\\u') > 0 OR "
           "length(attributes) - length(replace(attributes, ?, '')) > ? OR "
           f"CASE coalesce(json_type(attributes, ?), 'unset') "
           f"WHEN 'text' THEN json_extract(attributes, ?) {'=' if equal else '!='} ? "
           f"WHEN 'true' THEN {const(c.value == 'true')} "
           f"WHEN 'false' THEN {const(c.value == 'false')} "
           f"WHEN 'null' THEN {const(c.value == '')} "
           f"WHEN 'unset' THEN {const(c.value == '')} ELSE 1 END)")
    return sql, [key, len(key), path, path, c.value]


def condition_sql(c: Condition) -> tuple[str, list[Any]] | None:
    """SQL keeping every row that may satisfy ``c`` (None: ``c`` is not said in SQL)."""
    if c.path or c.regex is not None or c.op not in ("=", "!="):
        return None
    if c.name in _COLUMNS:
        return (f"(typeof({c.name}) != 'text' OR {c.name} {'=' if c.op == '=' else '!='} ?)",
                [c.value])
    if c.name == "text" or not c.name.replace("_", "a").replace("-", "a").isalnum():
        return None
    return _attribute(c)


def pattern_filter(p: Pattern) -> SpanFilter:
    """``p``'s selector with its conditions on the span's own fields said in SQL."""
    parts, params = [], []
    for c in p.conditions:
        said = condition_sql(c)
        if said is not None:
            parts.append(said[0])
            params += said[1]
    if not parts:
        return (p.layer, p.label, "", ())
    return (p.layer, p.label, f"({_DOUBTFUL} OR ({' AND '.join(parts)}))", tuple(params))


def sources_filter(patterns: list[Pattern]) -> tuple[str, tuple[Any, ...]]:
    """SQL keeping every span a ``source.`` condition may look at: one that may satisfy one of
    them (a condition is true of a content when one of its sources satisfies the condition
    with ``=`` for ``!=``: that source's row is all the engine needs); "" when one of them is
    not said in SQL."""
    parts, params = [], []
    for p in patterns:
        for c in p.conditions:
            if c.path != "source":
                continue
            said = condition_sql(Condition("", c.name, "=" if c.op == "!=" else c.op, c.value,
                                           c.regex))
            if said is None:
                return "", ()
            parts.append(said[0])
            params += said[1]
    if not parts:
        return "", ()
    return f"({_DOUBTFUL} OR {' OR '.join(parts)})", tuple(params)
