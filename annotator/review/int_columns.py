"""Integers kept by the million in few bytes: four a value, eight once one does not fit.

Contract: :func:`ints` makes an empty column; :func:`extend` appends values to it and returns
the column to keep (the same one, or a wider copy holding the same values when a value does not
fit in 32 bits: Python integers beyond 64 bits raise ``OverflowError``, anything not an
integer ``TypeError``, and then nothing of ``values`` is appended). Reading gives the
values back as Python ``int``. Used by the agreement of large corpora, which keeps a few
integers per span of each document until the corpus has been read (``annotator.review``).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable


def ints() -> array[int]:
    return array("i")


def extend(column: array[int], values: Iterable[int]) -> array[int]:
    """``column`` with ``values`` appended (a wider copy if one does not fit)."""
    values = values if isinstance(values, list | tuple) else list(values)
    start = len(column)
    try:
        column.extend(values)
    except TypeError:  # not an integer: nothing appended
        del column[start:]
        raise
    except OverflowError:
        del column[start:]  # extend stops where a value did not fit: the rest is not in
        if column.typecode == "q":
            raise
        column = array("q", column)
        column.extend(values)
    return column
