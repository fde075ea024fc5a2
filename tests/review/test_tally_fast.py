"""The per-document tallies' quicker ways give what the plain definitions give, in the same order.

Each oracle below is the earlier, plainer code (Counters, sums, a set of token indices), kept
here to compare with on random spans: several labels, discontinuous spans, duplicates,
fragments given as lists, and labels that come first on B's side.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence

import pytest

from annotator.core.model import SpanRecord
from annotator.review import metrics
from annotator.review.matching import exact_key, exact_pairs
from annotator.review.tokens_agreement import (
    TokenIndex,
    _priority,
    count_rows,
    label_rows,
    label_tokens,
)


def _old_found(spans: Sequence[SpanRecord], others: Sequence[SpanRecord]) -> list[bool]:
    groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for other in others:
        groups[(other.layer, other.label)].extend(other.fragments)
    index = {}
    for key, frags in groups.items():
        frags.sort()
        best, prefix = -1, []
        for _, e in frags:
            best = max(best, e)
            prefix.append(best)
        index[key] = ([s for s, _ in frags], prefix)
    out = []
    for span in spans:
        entry = index.get((span.layer, span.label))
        hit = False
        if entry is not None:
            for fs, fe in span.fragments:
                k = bisect_left(entry[0], fe)
                if k and entry[1][k - 1] > fs:
                    hit = True
                    break
        out.append(hit)
    return out


def _old_exact_by_label(a: Sequence[SpanRecord], b: Sequence[SpanRecord],
                        pairs: Sequence[tuple[int, int]]) -> dict[str, metrics.ExactCounts]:
    n_a, n_b = Counter(s.label for s in a), Counter(s.label for s in b)
    hits = Counter(a[i].label for i, _ in pairs)
    return {lab: metrics.ExactCounts(n_a[lab], n_b[lab], hits[lab]) for lab in n_a | n_b}


def _old_overlap_by_label(a: Sequence[SpanRecord], b: Sequence[SpanRecord]
                          ) -> dict[str, metrics.OverlapCounts]:
    fa, fb = _old_found(a, b), _old_found(b, a)
    n_a, n_b = Counter(s.label for s in a), Counter(s.label for s in b)
    f_a = Counter(s.label for s, f in zip(a, fa, strict=True) if f)
    f_b = Counter(s.label for s, f in zip(b, fb, strict=True) if f)
    return {lab: metrics.OverlapCounts(n_a[lab], n_b[lab], f_a[lab], f_b[lab])
            for lab in n_a | n_b}


@pytest.mark.parametrize("pairwise", [0, 4, 10**6])
@pytest.mark.parametrize("seed", range(30))
def test_overlap_flags_pair_by_pair_or_indexed_are_the_plain_ones(
        seed: int, pairwise: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "PAIRWISE", pairwise)
    rng = random.Random(500 + seed)
    a = _spans(rng, rng.randint(0, 30), 60, "a", seed % 4 == 0)
    b = _spans(rng, rng.randint(0, 30), 60, "b", seed % 4 == 0)
    assert metrics.found_flags(a, b) == (_old_found(a, b), _old_found(b, a))
    want = metrics.OverlapCounts(len(a), len(b), sum(_old_found(a, b)), sum(_old_found(b, a)))
    assert metrics.overlap_counts(a, b) == want


def _old_label_rows(tokens: TokenIndex, sides: Sequence[Sequence[SpanRecord]]) -> Counter:
    return count_rows(*(label_tokens(tokens, side) for side in sides))


def _spans(rng: random.Random, n: int, length: int, prefix: str,
           as_lists: bool = False) -> list[SpanRecord]:
    out = []
    for i in range(n):
        s = rng.randrange(0, length - 10)
        frags: list[tuple[int, int]] = [(s, s + rng.randint(1, 9))]
        if rng.random() < 0.25:
            frags.append((frags[0][1] + rng.randint(1, 5), frags[0][1] + rng.randint(6, 9)))
        fragments = tuple(list(f) for f in frags) if as_lists else tuple(frags)
        out.append(SpanRecord(f"{prefix}{i}", "layer", rng.choice("xyzw"), fragments,  # type: ignore[arg-type]
                              {"a": rng.choice([1, 2])} if rng.random() < 0.5 else {}))
    if out and rng.random() < 0.3:
        out.append(SpanRecord(f"{prefix}dup", "layer", out[0].label, out[0].fragments))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_per_label_counts_are_the_plain_ones_in_the_same_order(seed: int) -> None:
    rng = random.Random(seed)
    lists = seed % 5 == 0  # fragments as lists (as some callers give them), on both sides
    a = _spans(rng, rng.randint(0, 12), 80, "a", lists)
    b = _spans(rng, rng.randint(0, 12), 80, "b", lists) + (a[:2] if rng.random() < 0.5 else [])
    pairs = exact_pairs(a, b)
    got, want = metrics.exact_counts_by_label(a, b, pairs), _old_exact_by_label(a, b, pairs)
    assert list(got.items()) == list(want.items())
    got_o, want_o = metrics.overlap_counts_by_label(a, b), _old_overlap_by_label(a, b)
    assert list(got_o.items()) == list(want_o.items())
    assert metrics.found_flags(a, b) == (_old_found(a, b), _old_found(b, a))
    for s in a + b:
        assert exact_key(s) == (s.layer, s.label, tuple(map(tuple, s.fragments)))
        assert _priority(s) == (-sum(e - f for f, e in s.fragments), s.start, s.label)


@pytest.mark.parametrize("seed", range(40))
def test_token_rows_are_the_plain_table(seed: int) -> None:
    rng = random.Random(1000 + seed)
    tokens = TokenIndex(sorted({(k, k + rng.randint(1, 2)) for k in range(0, 90, 3)}))
    sides = [_spans(rng, rng.randint(0, 10), 90, f"c{c}") for c in range(rng.choice([2, 3]))]
    assert label_rows(tokens, sides) == _old_label_rows(tokens, sides)


def test_attribute_values_read_as_json_whatever_came_before() -> None:
    import json

    from annotator.review import agreement

    values = [True, 1, False, 0, None, "x", "1", "true", "ünï \ud800", 10**30, 1.0, float("nan"),
              [1, "a"], {"b": 1, "a": [True]}, object, 1, True, "x"]
    for _ in range(2):  # the second time from what the first remembered
        for value in values:
            want = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
            assert agreement._attr_value({"k": value}, "k") == want
    assert agreement._attr_value({}, "k") == agreement.UNSET
