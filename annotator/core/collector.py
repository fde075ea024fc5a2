"""Python's cyclic garbage collector paused over one piece of work whose code is all ours.

Reading rows and tallying them make hundreds of thousands of small tuples, lists and records,
nearly all freed again by reference counting and none in a cycle; the collector's passes that
their number sets off rescan every object the program holds (a fifth of reading every span of
a project, a tenth of a plain agreement). Callers pause it over one chunk, one document or one
computation, never across a ``yield`` to a caller's code, and only where what runs leaves no
cycles (tests count them); it runs as usual afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside (as it was after, also on an exception)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
