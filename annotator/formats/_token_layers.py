"""Helpers shared by the token-based exporters (CoNLL, WebAnno TSV).

Rule for tokens cut by a span boundary: a token belongs to a span fragment when it shares at
least one code point with it, so a fragment is widened to the whole tokens it overlaps. A
fragment of nothing but whitespace covers no token.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.model import CorpusDocument, Fragments
from annotator.core.tagset import Tagset
from annotator.nlp.tokens import TextUnits

TokenRange = tuple[int, int]  # token indices, end exclusive


def export_layers(docs: Sequence[CorpusDocument], tagset: Tagset,
                  layers: list[str] | None) -> list[str]:
    """Layers to export: ``layers`` as given, else every layer that has spans, in tagset order
    and then (for layers missing from the tagset) by name."""
    if layers is not None:
        return list(dict.fromkeys(layers))
    used = {sp.layer for doc in docs for sp in doc.spans}
    known = [lay.name for lay in tagset.layers if lay.name in used]
    return known + sorted(used - set(known))


def fragment_ranges(units: TextUnits, fragments: Fragments) -> list[TokenRange]:
    """Token ranges covered by each fragment, in order; fragments covering no token are left
    out and fragments sharing a token are merged."""
    out: list[TokenRange] = []
    for s, e in fragments:
        i, j = units.token_range(s, e)
        if i >= j:
            continue
        if out and i < out[-1][1]:
            out[-1] = (out[-1][0], max(j, out[-1][1]))
        else:
            out.append((i, j))
    return out


def split_at_sentences(units: TextUnits, rng: TokenRange) -> list[TokenRange]:
    """``rng`` cut wherever the sentence changes."""
    i, j = rng
    out: list[TokenRange] = []
    start = i
    for t in range(i + 1, j):
        if units.token_sentence[t] != units.token_sentence[t - 1]:
            out.append((start, t))
            start = t
    out.append((start, j))
    return out


def label_order(tagset: Tagset, layer: str) -> dict[str, int]:
    """Position of each label of ``layer`` in the tagset (for deterministic tie-breaking)."""
    lay = tagset.layer(layer)
    return {lab.name: n for n, lab in enumerate(lay.labels)} if lay else {}
