"""The chunk-wide check of span rows (reading._common_ties) finds what the row-by-row check it
replaced finds (``_per_document`` below): the same documents to sort, and a row not of the
common case."""

from __future__ import annotations

import random

from annotator.core.query import reading


def _rows(rng: random.Random, docs: list[int], lengths: dict[int, object]) -> list[tuple]:
    rows = []
    pk = 0
    for d in docs:
        for _ in range(rng.randrange(0, 6)):
            pk += 1
            start = rng.randrange(0, 20)
            rows.append((pk, d, "hedging", "hedge", start, start + rng.randrange(1, 5), None,
                         "{}", "", "ann"))
    return rows


def _spoiled(rng: random.Random, rows: list[tuple]) -> list[tuple]:
    i = rng.randrange(len(rows))
    r = list(rows[i])
    column, value = rng.choice([(2, ""), (3, 5), (4, -1), (5, 10_000), (4, True), (6, "[]"),
                                (8, None), (9, b"x"), (5, r[4])])
    r[column] = value
    return [*rows[:i], tuple(r), *rows[i + 1:]]


def _per_document(rows: list[tuple], docs: list[int], lengths: dict[int, object]
                  ) -> set[int] | None:
    ties = set()
    for d in docs:
        mine = [r for r in rows if r[1] == d]
        starts = [r[4] for r in mine]
        length = lengths[d]
        for _, _, layer, label, start, end, frags, _, note, annotator in mine:
            if not (type(length) is int and frags is None and type(start) is int
                    and type(end) is int and 0 <= start < end <= length and type(layer) is str
                    and layer and type(label) is str and label and type(note) is str
                    and type(annotator) is str):
                return None
        if any(b <= a for a, b in zip(starts, starts[1:], strict=False)):
            ties.add(d)
    return ties


def test_the_chunk_check_agrees_with_the_per_document_check() -> None:
    rng = random.Random(7)
    spoiled_seen = 0
    for _ in range(2_000):
        docs = list(range(1, rng.randrange(2, 8)))
        lengths: dict[int, object] = {d: 40 for d in docs}
        rows = _rows(rng, docs, lengths)
        if rows and rng.random() < 0.4:
            rows = _spoiled(rng, rows)
        if rng.random() < 0.1:
            lengths[docs[0]] = "40"
        expected = _per_document(rows, docs, lengths)
        spoiled_seen += expected is None
        assert reading._common_ties(rows, lengths) == expected
    assert spoiled_seen > 100  # the spoiled rows were met, not only the common case


def test_rows_of_a_document_that_do_not_come_together_are_checked_apart() -> None:
    rows = [(1, 1, "a", "b", 5, 6, None, "{}", "", ""), (2, 2, "a", "b", 0, 1, None, "{}", "", ""),
            (3, 1, "a", "b", 1, 2, None, "{}", "", "")]
    assert reading._common_ties(rows, {1: 10, 2: 10}) is None
