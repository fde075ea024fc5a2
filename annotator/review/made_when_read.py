"""A read-only sequence whose items are made when read, from what it holds in compact form.

Contract: a subclass gives :meth:`__len__` and ``_one(k)`` (item ``k``, ``0 <= k < len``);
this class gives indexing (negative indices, slices as lists, ``IndexError`` out of range),
iteration in order, and equality with any sequence of equal items. Used for the figures of
every document of a comparison (``annotator.review.doc_results``, ``annotator.review.measures``):
held as numbers, made into objects only for the documents read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class MadeWhenRead(Sequence[T]):
    """See the module doc."""

    def __len__(self) -> int:
        raise NotImplementedError

    def _one(self, k: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, k: int) -> T: ...

    @overload
    def __getitem__(self, k: slice) -> list[T]: ...

    def __getitem__(self, k: int | slice) -> T | list[T]:
        if isinstance(k, slice):
            return [self._one(d) for d in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError("index out of range")
        return self._one(k)

    def __iter__(self) -> Iterator[T]:
        return (self._one(d) for d in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]
