"""The measures' column copy of a side's spans reads back exactly the spans it was made from."""

from __future__ import annotations

import pytest

from annotator.core.model import SpanRecord
from annotator.review.slim_spans import SlimSpan, SpanColumns, columns


def records() -> list[SpanRecord]:
    return [SpanRecord("a", "hedging", "hedge", ((0, 4),), {"certainty": "low"}),
            SpanRecord("b", "stance", "pro", ((5, 9), (12, 20)), {}),
            SpanRecord("c", "hedging", "booster", [[30, 2**40]], {}),  # lists, a big offset
            SpanRecord("d", "stance", "pro", ((7, 8),), {})]


def test_columns_read_back_every_span_in_order() -> None:
    spans = records()
    cols = columns(spans)
    assert isinstance(cols, SpanColumns)
    want = [SlimSpan(s.layer, s.label, tuple(map(tuple, s.fragments))) for s in spans]
    assert list(cols) == want
    assert [cols[k] for k in range(len(cols))] == want
    assert cols[-1] == want[-1] and cols[1:3] == want[1:3]
    assert cols[2].fragments == ((30, 2**40),)
    assert cols.of_layer("stance") == [w for w in want if w.layer == "stance"]
    assert cols.of_layer("nope") == []
    with pytest.raises(IndexError):
        cols[4]
    assert list(columns([])) == []


def test_offsets_that_are_not_integers_keep_named_tuples() -> None:
    spans = [*records(), SpanRecord("e", "stance", "pro", ((1.5, 3),), {})]
    cols = columns(spans)
    assert isinstance(cols, list)
    assert cols[-1] == SlimSpan("stance", "pro", ((1.5, 3),))
    assert [s.fragments for s in cols[:2]] == [((0, 4),), ((5, 9), (12, 20))]


def test_layer_and_label_are_interned() -> None:
    label = "".join(["ho", "pe"])  # a string made at run time, not the literal
    cols = columns([SpanRecord("a", "stance", label, ((0, 1),), {})])
    assert cols[0].label is columns([SpanRecord("b", "stance", "hope", ((0, 1),), {})])[0].label
