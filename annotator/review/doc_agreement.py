"""Document-level label agreement: kappa, alpha and AC1 over documents, for layers of scope
"document" (a label for a document as a whole).

Contract: every matched document is one item; a coder's value is the label they gave the
document in that layer (several labels: the sorted labels joined by ``"+"``, one value), or
``"none"`` when they gave none. Coefficients as in :mod:`annotator.review.resample` (kappa:
Cohen's for two coders, Davies & Fleiss's for more; Krippendorff's nominal alpha; Gwet's AC1),
95% percentile bootstrap intervals over documents with the same replicates as the span
measures; ``confusion`` counts documents, rows A's value, columns B's (``"none"`` last).
Undefined values are None.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from annotator.review import resample
from annotator.review.tokens_agreement import NONE

if TYPE_CHECKING:
    from annotator.review.agreement import MatchedDocument


def _value(side: Any, layer: str) -> str:
    labels = sorted({a.label for a in getattr(side, "doc_annotations", ()) if a.layer == layer})
    return "+".join(labels) if labels else NONE


def document_values(doc: MatchedDocument, layer: str) -> tuple[str, ...]:
    """Each coder's value for ``doc`` in the document-level ``layer`` (see the module doc)."""
    return tuple(_value(side, layer) for side in doc.sides)


def document_agreement(values: Mapping[str, Sequence[tuple[str, ...]]], coders: int,
                       w: Any) -> dict[str, dict[str, Any]]:
    """Per document-level layer: figures over the documents whose coders' values (in order,
    as :func:`document_values` gives them) ``values[layer]`` holds (``w``: the bootstrap
    weights)."""
    import numpy as np

    out: dict[str, dict[str, Any]] = {}
    for layer, rows in values.items():
        tables = [Counter({row: 1}) for row in rows]
        t = resample.TokenTables(tables, coders)
        point = t.coefficients(t.totals(np.ones((1, len(rows)))))
        boot = t.coefficients(t.totals(w)) if w is not None and len(w) else None
        labelled = sum(1 for row in rows if any(v != NONE for v in row))
        found = sorted({v for row in rows for v in row[:2]} - {NONE})
        names = [*found, NONE]
        pos = {k: i for i, k in enumerate(names)}
        counts = [[0] * len(names) for _ in names]
        for row in rows:
            counts[pos[row[0]]][pos[row[1]]] += 1
        out[layer] = {
            "documents": len(rows),
            "labelled": labelled,
            "kappa": resample.value(point["kappa"]),
            "alpha": resample.value(point["alpha"]),
            "ac1": resample.value(point["ac1"]),
            "ci": {k: (resample.interval(boot[k]) if boot is not None else None)
                   for k in ("kappa", "alpha", "ac1")},
            "confusion": {"labels": names, "counts": counts},
        }
    return out
