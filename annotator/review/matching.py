"""Which span of A is paired with which span of B: exact matches, one to one, order-free.

Contract
--------
* Two spans *match exactly* when layer, label and every fragment ``(start, end)`` are equal
  (:func:`exact_key`). Matching is one to one: ``k`` spans of A and ``m`` of B with the same key
  give ``min(k, m)`` pairs, whatever else they carry.
* When a key has one span on each side the pair is forced. When a side has several spans with
  the same key (identical duplicates), *which* of them are paired changes the attribute
  agreement and the relation matches, so the pairing is a best assignment that never depends
  on the order the spans come in:

  - the weight of a candidate pair is the number of attribute names (set on either span) whose
    values are equal, plus the number of relations of the two spans that would match through
    it (same type, same role, and the other ends paired with each other; an other end whose own
    pairing is not decided yet counts when it has the same exact key);
  - duplicate groups are decided one after the other in the order of their key (layer, label,
    fragments), so that later groups see the pairs of earlier ones;
  - within a group the assignment of ``min(k, m)`` pairs with the largest total weight is
    taken (Hungarian method; groups with more than :data:`EXACT_LIMIT` candidate pairs use a
    greedy best-first choice instead, to stay fast on pathological input), the spans of each
    side being taken in the order of (attributes, span id) so that ties are broken the same
    way every time.

  Shuffling the spans (or relations) of either side therefore gives the same pairs.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import TypeVar

from annotator.core.model import Fragments, RelationRecord, SpanRecord

K = TypeVar("K")

ExactKey = tuple[str, str, Fragments]
EXACT_LIMIT = 4096
"""Largest ``k * m`` of a duplicate group solved exactly; bigger groups are paired greedily."""


def exact_key(span: SpanRecord) -> ExactKey:
    """What two spans must share to match exactly: layer, label, fragments."""
    fragments = span.fragments
    if type(fragments) is tuple and len(fragments) == 1 and type(fragments[0]) is tuple:
        return (span.layer, span.label, fragments)  # already the tuple the general case makes
    return (span.layer, span.label, tuple(map(tuple, fragments)))  # type: ignore[arg-type]


def _attr_text(span: SpanRecord) -> str:
    return json.dumps(span.attributes, sort_keys=True, ensure_ascii=False, default=str)


def canonical_order(spans: Sequence[SpanRecord]) -> list[SpanRecord]:
    """``spans`` sorted by (fragments, label, attributes, id): an order that ignores input order."""
    return sorted(spans, key=lambda s: (tuple(s.fragments), s.label, _attr_text(s), s.key))


def _attr_agreement(a: SpanRecord, b: SpanRecord) -> int:
    sa, sb = a.attributes, b.attributes
    if not sa and not sb:
        return 0
    return sum(1 for name in sa.keys() & sb.keys() if sa[name] == sb[name])


def _assign_exact(weights: list[list[int]]) -> list[tuple[int, int]]:
    """Maximum-weight assignment of ``min(rows, cols)`` pairs (Hungarian method, potentials)."""
    rows, cols = len(weights), len(weights[0])
    flip = rows > cols
    if flip:
        weights = [list(col) for col in zip(*weights, strict=True)]
        rows, cols = cols, rows
    top = max(max(r) for r in weights)
    cost = [[top - w for w in r] for r in weights]  # minimise cost = maximise weight
    inf = float("inf")
    u = [0.0] * (rows + 1)
    v = [0.0] * (cols + 1)
    owner = [0] * (cols + 1)  # owner[j] = row (1-based) assigned to column j
    way = [0] * (cols + 1)
    for i in range(1, rows + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], inf, 0
            for j in range(1, cols + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(cols + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    pairs = [(owner[j] - 1, j - 1) for j in range(1, cols + 1) if owner[j]]
    if flip:
        pairs = [(j, i) for i, j in pairs]
    return sorted(pairs)


def _assign_greedy(weights: list[list[int]]) -> list[tuple[int, int]]:
    order = sorted((-w, x, y) for x, row in enumerate(weights) for y, w in enumerate(row))
    used_x: set[int] = set()
    used_y: set[int] = set()
    pairs = []
    for _, x, y in order:
        if x not in used_x and y not in used_y:
            used_x.add(x)
            used_y.add(y)
            pairs.append((x, y))
    return sorted(pairs)


def assign(weights: list[list[int]]) -> list[tuple[int, int]]:
    """``min(rows, cols)`` pairs ``(row, col)`` of largest total weight (see module doc)."""
    if not weights or not weights[0]:
        return []
    if len(weights) == 1:
        row = weights[0]
        return [(0, max(range(len(row)), key=lambda y: (row[y], -y)))]
    if len(weights) * len(weights[0]) > EXACT_LIMIT:
        return _assign_greedy(weights)
    return _assign_exact(weights)


class _Ends:
    """One side's relations by span key: ``(type, role, other span key)`` for each end."""

    def __init__(self, relations: Sequence[RelationRecord]) -> None:
        self.of: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for r in relations:
            self.of[r.source].append((r.type, "source", r.target))
            self.of[r.target].append((r.type, "target", r.source))


def indices_by(keys: Iterable[K]) -> dict[K, list[int]]:
    """The positions of each key in ``keys``, in order (first key first)."""
    groups: dict[K, list[int]] = {}
    for i, key in enumerate(keys):
        ids = groups.get(key)
        if ids is None:
            groups[key] = [i]
        else:
            ids.append(i)
    return groups


def _fast_exact_key(s: SpanRecord) -> ExactKey:
    """:func:`exact_key`, its one-fragment case inline: spans are many."""
    fragments = s.fragments
    if type(fragments) is tuple and len(fragments) == 1 and type(fragments[0]) is tuple:
        return (s.layer, s.label, fragments)
    return exact_key(s)


def _by_exact_key(spans: Sequence[SpanRecord]) -> dict[ExactKey, list[int]]:
    """Indices of ``spans`` by :func:`exact_key`."""
    return indices_by(map(_fast_exact_key, spans))


def exact_pairs(
    spans_a: Sequence[SpanRecord],
    spans_b: Sequence[SpanRecord],
    relations_a: Sequence[RelationRecord] = (),
    relations_b: Sequence[RelationRecord] = (),
) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` of exactly matching spans, one to one (see the module doc).

    ``relations_a``/``relations_b`` (span keys as ends) only steer which duplicates are
    paired; the number of pairs never depends on them. Pairs are sorted by ``i``.
    """
    groups_a, groups_b = _by_exact_key(spans_a), _by_exact_key(spans_b)
    pairs: list[tuple[int, int]] = []
    contested: list[ExactKey] = []
    for key, ia in groups_a.items():
        ib = groups_b.get(key)
        if not ib:
            continue
        if len(ia) == 1 and len(ib) == 1:
            pairs.append((ia[0], ib[0]))
        else:
            contested.append(key)
    if contested:
        pairs.extend(_contested_pairs(spans_a, spans_b, relations_a, relations_b, groups_a,
                                      groups_b, sorted(contested), pairs))
    return sorted(pairs)


def _contested_pairs(
    spans_a: Sequence[SpanRecord],
    spans_b: Sequence[SpanRecord],
    relations_a: Sequence[RelationRecord],
    relations_b: Sequence[RelationRecord],
    groups_a: dict[ExactKey, list[int]],
    groups_b: dict[ExactKey, list[int]],
    contested: list[ExactKey],
    forced: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Best assignment of every duplicate group, in key order (see the module doc)."""
    by_key_a = {s.key: s for s in spans_a}
    by_key_b = {s.key: s for s in spans_b}
    ends_a, ends_b = _Ends(relations_a), _Ends(relations_b)
    partner_of_b: dict[str, str] = {spans_b[j].key: spans_a[i].key for i, j in forced}
    paired_a: set[str] = {spans_a[i].key for i, _ in forced}

    def other_a(key: str, me: str) -> tuple[object, ...]:
        if key == me:
            return ("self",)
        if key in paired_a:
            return ("pair", key)
        span = by_key_a.get(key)
        return ("key", exact_key(span)) if span is not None else ("none",)

    def other_b(key: str, me: str) -> tuple[object, ...]:
        if key == me:
            return ("self",)
        if key in partner_of_b:
            return ("pair", partner_of_b[key])
        span = by_key_b.get(key)
        return ("key", exact_key(span)) if span is not None else ("none", key)

    out: list[tuple[int, int]] = []
    for key in contested:
        ia = sorted(groups_a[key], key=lambda i: (_attr_text(spans_a[i]), spans_a[i].key))
        ib = sorted(groups_b[key], key=lambda j: (_attr_text(spans_b[j]), spans_b[j].key))
        sig_a = [Counter((t, role, other_a(o, spans_a[i].key))
                         for t, role, o in ends_a.of.get(spans_a[i].key, ())) for i in ia]
        sig_b = [Counter((t, role, other_b(o, spans_b[j].key))
                         for t, role, o in ends_b.of.get(spans_b[j].key, ())) for j in ib]
        weights = [[_attr_agreement(spans_a[i], spans_b[j]) + sum((sig_a[x] & sig_b[y]).values())
                    for y, j in enumerate(ib)] for x, i in enumerate(ia)]
        for x, y in assign(weights):
            i, j = ia[x], ib[y]
            out.append((i, j))
            paired_a.add(spans_a[i].key)
            partner_of_b[spans_b[j].key] = spans_a[i].key
    return out
