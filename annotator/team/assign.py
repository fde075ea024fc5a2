"""Who codes which document: the strategies shared by ``distribute`` and ``server assign``.

* ``overlap=None``: every document to every coder.
* ``overlap=F`` (0 <= F <= 1): each document to one coder (balanced, in a shuffled order), and a
  share F of the documents, drawn at random, to a second coder as well, for reliability.

The same documents, coders, overlap and seed always give the same plan.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from annotator.core.errors import BadInputError

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}$")
RESERVED = frozenset({"gold", "public", "postgres"})  # gold is the curator's annotator


def coder_names(text: str) -> list[str]:
    """``alice,bob,carol`` as a list of names, checked: usable as a file name and as a
    database role, distinct, not a reserved name."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise BadInputError("--annotators: give at least one name (e.g. alice,bob,carol)")
    for n in names:
        if not _NAME.match(n):
            raise BadInputError(f"--annotators: {n!r} is not a usable name (letters, digits, "
                                "'_', '-', '.'; at most 63 characters)")
        if n.lower() in RESERVED or n.lower().startswith(("annotator_", "pg_")):
            raise BadInputError(f"--annotators: {n!r} is a reserved name")
    lowered = [n.lower() for n in names]
    for n in names:
        if lowered.count(n.lower()) > 1:
            raise BadInputError(f"--annotators: {n!r} is given twice")
    return names


def plan(documents: Sequence[str], coders: Sequence[str], *, overlap: float | None,
         seed: int) -> dict[str, list[str]]:
    """Coder -> the documents (keys from ``documents``, in their given order) they code."""
    if overlap is None:
        return {c: list(documents) for c in coders}
    if not 0.0 <= overlap <= 1.0:
        raise BadInputError(f"--overlap must be between 0 and 1, not {overlap}")
    if overlap > 0 and len(coders) < 2:
        raise BadInputError("--overlap needs at least two coders")
    rng = random.Random(seed)
    order = list(documents)
    rng.shuffle(order)
    first = {doc: coders[i % len(coders)] for i, doc in enumerate(order)}
    chosen = list(documents)
    rng.shuffle(chosen)
    chosen = chosen[:round(overlap * len(documents))]
    out: dict[str, set[str]] = {c: set() for c in coders}
    for doc, coder in first.items():
        out[coder].add(doc)
    for j, doc in enumerate(chosen):
        at = coders.index(first[doc])
        out[coders[(at + 1 + j % (len(coders) - 1)) % len(coders)]].add(doc)
    return {c: [d for d in documents if d in out[c]] for c in coders}
