"""An in-memory interval index over span fragments, for "which spans touch [a, b)" queries.

Pure Python, no Qt: the text view asks it for the spans of each visible block on every paint, so a
query costs O(log n + k) where k is the number of fragments starting within one "short bound"
before the window. Fragments are kept in two groups:

* short fragments (length ≤ ``long_threshold``) in a list sorted by start, scanned from
  ``start - max_short_length``;
* long fragments (rare: a whole-paragraph or whole-document span) in a plain list, scanned fully.

Adding or removing a span is O(n) memory moves in the worst case (``list.insert``), which is a
few microseconds for tens of thousands of fragments. Offsets are code points, end exclusive.

:func:`assign_lanes` is the greedy interval colouring used to stack underline bars.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from annotator.core.model import Fragments


class SpanIndex:
    """Fragments of spans, keyed by span pk; answers overlap and point queries."""

    __slots__ = ("_ends", "_fragments", "_long", "_max_short", "_pks", "_starts", "long_threshold")

    def __init__(self, long_threshold: int = 4096) -> None:
        self.long_threshold = long_threshold
        self._fragments: dict[int, Fragments] = {}
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._pks: list[int] = []
        self._long: list[tuple[int, int, int]] = []  # (start, end, pk)
        self._max_short = 0

    # -- building -------------------------------------------------------------------------
    def clear(self) -> None:
        """Remove every span."""
        self._fragments.clear()
        self._starts.clear()
        self._ends.clear()
        self._pks.clear()
        self._long.clear()
        self._max_short = 0

    def rebuild(self, items: Iterable[tuple[int, Fragments]]) -> None:
        """Replace the contents with ``(pk, fragments)`` pairs in one sort (bulk load)."""
        self.clear()
        short: list[tuple[int, int, int]] = []
        for pk, fragments in items:
            self._fragments[pk] = tuple(fragments)
            for s, e in fragments:
                if e - s > self.long_threshold:
                    self._long.append((s, e, pk))
                else:
                    short.append((s, e, pk))
                    self._max_short = max(self._max_short, e - s)
        short.sort()
        self._starts = [s for s, _, _ in short]
        self._ends = [e for _, e, _ in short]
        self._pks = [pk for _, _, pk in short]

    def add(self, pk: int, fragments: Fragments) -> None:
        """Add (or replace) span ``pk`` with its fragments."""
        if pk in self._fragments:
            self.remove(pk)
        self._fragments[pk] = tuple(fragments)
        for s, e in fragments:
            if e - s > self.long_threshold:
                self._long.append((s, e, pk))
                continue
            i = bisect_right(self._starts, s)
            self._starts.insert(i, s)
            self._ends.insert(i, e)
            self._pks.insert(i, pk)
            self._max_short = max(self._max_short, e - s)

    def remove(self, pk: int) -> bool:
        """Remove span ``pk``; False when it was not indexed."""
        fragments = self._fragments.pop(pk, None)
        if fragments is None:
            return False
        for s, e in fragments:
            if e - s > self.long_threshold:
                self._long.remove((s, e, pk))
                continue
            i = bisect_left(self._starts, s)
            while self._pks[i] != pk or self._ends[i] != e:
                i += 1
            del self._starts[i], self._ends[i], self._pks[i]
        return True

    # -- queries --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._fragments)

    def __contains__(self, pk: object) -> bool:
        return pk in self._fragments

    def fragments(self, pk: int) -> Fragments:
        """The indexed fragments of ``pk`` (KeyError when absent)."""
        return self._fragments[pk]

    def overlapping(self, start: int, end: int) -> list[int]:
        """Pks of spans with a fragment sharing at least one code point with ``[start, end)``.

        Each pk appears once, in order of first fragment start found (short ones first).
        """
        seen: dict[int, None] = {}
        starts, ends, pks = self._starts, self._ends, self._pks
        i = bisect_left(starts, start - self._max_short + 1)
        stop = bisect_left(starts, end)
        for j in range(i, stop):
            if ends[j] > start:
                seen[pks[j]] = None
        for s, e, pk in self._long:
            if s < end and e > start:
                seen[pk] = None
        return list(seen)

    def covering(self, pos: int) -> list[int]:
        """Pks of spans with a fragment containing code point ``pos``."""
        return self.overlapping(pos, pos + 1)


def assign_lanes(intervals: list[tuple[int, int]]) -> tuple[list[int], int]:
    """Greedy interval colouring: a lane per interval so that overlapping ones differ.

    Intervals are ``(start, end)``, end exclusive. Returns the lane of each interval (same order
    as given) and the number of lanes used, which is the minimum possible (the maximum depth).
    Longer intervals starting at the same place get the lower lane, so an enclosing span sits
    nearer the text than the spans nested in it.
    """
    order = sorted(range(len(intervals)), key=lambda k: (intervals[k][0], -intervals[k][1]))
    lane_ends: list[int] = []
    lanes = [0] * len(intervals)
    for k in order:
        s, e = intervals[k]
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= s:
                lane_ends[lane] = e
                lanes[k] = lane
                break
        else:
            lanes[k] = len(lane_ends)
            lane_ends.append(e)
    return lanes, len(lane_ends)
