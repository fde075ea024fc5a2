"""Python's cyclic garbage collector paused over a comparison's own work.

Reading documents and tallying them make hundreds of thousands of small tuples, lists and
records, nearly all freed again by reference counting and none in a cycle; the collector's
passes that their number sets off rescan every object the program holds (the figures of
every document so far, the chunk of documents being read): a tenth of a plain comparison's
time. It is paused over one piece of work whose code is all ours: reading one chunk of
documents, tallying one document (never across a ``yield`` to a caller's code), or a whole
two-file comparison (:mod:`annotator.review.stream`, :mod:`annotator.review.quick_stream`),
where only the comparison's own readers, tokenizer and tallies run, which leave no cycles to
collect (a test counts them). The collector runs as usual after the piece.
"""

from __future__ import annotations

from annotator.core.collector import collector_paused

__all__ = ["collector_paused"]
