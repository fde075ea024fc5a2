"""Exporters that declare layers, attributes or columns before the first document (a type
system, a header, brat's binary attributes) plan from a small summary of the corpus and then
stream it, so that memory does not grow with the corpus."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from annotator.core.model import CorpusDocument


def plan_and_stream(docs: Iterable[CorpusDocument]
                    ) -> tuple[Sequence[CorpusDocument], Iterable[CorpusDocument], int]:
    """``(plan, documents, count)``. A project's corpus
    (:class:`annotator.core.corpus_read.Corpus`) gives its ``plan()`` (a few small documents
    holding every distinct layer, label, attribute set and relation kind, in the order the
    corpus meets them) and streams itself; any other iterable is read into a list, which is
    then its own plan."""
    plan = getattr(docs, "plan", None)
    if callable(plan) and hasattr(docs, "__len__"):
        return plan(), docs, len(docs)  # type: ignore[arg-type]
    listed = list(docs)
    return listed, listed, len(listed)
