"""One side's spans of one document as the span measures read them, in a few flat columns.

Contract: a :class:`SpanColumns` is a read-only sequence of :class:`SlimSpan` (layer, label,
fragments as a tuple of ``(start, end)`` int pairs), equal item for item to the spans it was
made from, in their order. It holds a reference per span to its interned layer and label, and
the fragments' offsets in one integer array: about a fifth of the memory of one named tuple
and one tuple of tuples per span, so that ``agree`` on millions of spans keeps them all for
the measures (alpha_U, gamma, intervals) without holding the documents.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple, overload

from annotator.core.model import Fragments


class SlimSpan(NamedTuple):
    """What the span measures read of a span."""
    layer: str
    label: str
    fragments: Fragments


class SpanColumns(Sequence[SlimSpan]):
    """The spans as columns (see the module doc); made by :func:`columns`."""

    __slots__ = ("_cuts", "_labels", "_layers", "_points")

    def __init__(self, layers: tuple[str, ...], labels: tuple[str, ...], cuts: array[int],
                 points: array[int]) -> None:
        self._layers = layers
        self._labels = labels
        self._cuts = cuts  # span k's fragments are points[cuts[k]:cuts[k + 1]], start end ...
        self._points = points

    def __len__(self) -> int:
        return len(self._layers)

    def _fragments(self, k: int) -> Fragments:
        p, lo, hi = self._points, self._cuts[k], self._cuts[k + 1]
        return tuple((p[i], p[i + 1]) for i in range(lo, hi, 2))

    @overload
    def __getitem__(self, k: int) -> SlimSpan: ...

    @overload
    def __getitem__(self, k: slice) -> list[SlimSpan]: ...

    def __getitem__(self, k: int | slice) -> SlimSpan | list[SlimSpan]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError("span index out of range")
        return SlimSpan(self._layers[k], self._labels[k], self._fragments(k))

    def of_layer(self, layer: str) -> list[SlimSpan]:
        """The spans of ``layer``, in order (only those are made into SlimSpans)."""
        frag, labels = self._fragments, self._labels
        return [SlimSpan(name, labels[k], frag(k)) for k, name in enumerate(self._layers)
                if name == layer]

    def __iter__(self) -> Iterator[SlimSpan]:
        frag = self._fragments
        for k, (layer, label) in enumerate(zip(self._layers, self._labels, strict=True)):
            yield SlimSpan(layer, label, frag(k))


def columns(spans: Iterable[Any]) -> Sequence[SlimSpan]:
    """``spans`` (anything with ``layer``, ``label``, ``fragments``) as :class:`SpanColumns`;
    as a list of :class:`SlimSpan` when an offset is not a machine integer."""
    spans = list(spans)
    intern = sys.intern
    layers = tuple(intern(s.layer) for s in spans)
    labels = tuple(intern(s.label) for s in spans)
    cuts = array("q", [0])
    points = array("q")
    try:
        for s in spans:
            for start, end in s.fragments:
                if type(start) is not int or type(end) is not int:
                    raise TypeError("not an int offset")
                points.append(start)
                points.append(end)
            cuts.append(len(points))
    except (TypeError, OverflowError):
        return [SlimSpan(layer, label, tuple(map(tuple, s.fragments)))
                for layer, label, s in zip(layers, labels, spans, strict=True)]
    return SpanColumns(layers, labels, cuts, points)
