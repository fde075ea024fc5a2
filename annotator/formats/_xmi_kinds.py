"""What an XMI type is to the reader: its layer, its label feature, whether it is a chain link or
a relation; and the UTF-16 offsets of the file to code points.

Not a format: the registry skips modules whose name starts with ``_``. See
:mod:`annotator.formats.xmi`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from annotator.formats._xmi_names import described, from_java_name
from annotator.formats._xmi_schema import LABEL_FEATURE, LAYER_ROOTS, TypeInfo

CUSTOM = "webanno.custom."
ASTRAL = re.compile("[\U00010000-\U0010ffff]")
SKIPPED_FEATURES = {"begin", "end", "sofa", "fragment_of", "note", "annotator"}


class Utf16:
    """UTF-16 code unit offsets of ``text`` → code point offsets (the file's → ours); None for
    an offset outside the text."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # where each astral character ends, in UTF-16 units: each one before an offset is 2
        self.ends = [m.start() + k + 2 for k, m in enumerate(ASTRAL.finditer(text))]
        self.units = self.length + len(self.ends)

    def __call__(self, unit: int) -> int | None:
        if not 0 <= unit <= self.units:
            return None
        return unit - bisect_right(self.ends, unit) if self.ends else unit


def layer_of(t: TypeInfo) -> str:
    """The layer name of a span or relation type."""
    if t.name.startswith(CUSTOM):
        name = described(t.description)[0]
        if name:
            return name
        short = t.short.removesuffix("Link") if _is_chain_link(t) else t.short
        return own_layer(short) or from_java_name(short or t.short)
    for root in LAYER_ROOTS:
        if t.isa(root):
            return root.rsplit(".", 1)[-1].removesuffix("Link") or t.short
    return t.short.removesuffix("Link") if _is_chain_link(t) else t.short


@lru_cache(maxsize=1)
def _own_layers() -> dict[str, str]:
    """Our default tagset's layers by the short type name our XMI and TSV exports give them
    (``Hedging`` -> ``hedging``)."""
    from annotator.core.tagset import default_tagset
    from annotator.formats._xmi_layers import inception_name

    return {inception_name(lay.name): lay.name for lay in default_tagset().layers}


def own_layer(short: str) -> str | None:
    """``webanno.custom.<short>`` without our description (the type system came through
    INCEpTION, or from a TSV header): the default tagset's layer that is exported under this
    name, so both readers put it in the same layer."""
    return _own_layers().get(short)


def _is_chain_link(t: TypeInfo) -> bool:
    nxt = t.features.get("next")
    return nxt is not None and not nxt.primitive and ("referenceType" in t.features
                                                      or t.short.endswith("Link"))


def label_feature(t: TypeInfo) -> str | None:
    if "label" in t.features and t.features["label"].primitive:
        return "label"
    for root, feat in LABEL_FEATURE.items():
        if t.isa(root):
            return feat
    if _is_chain_link(t):
        return "referenceType" if "referenceType" in t.features else None
    for f in t.features.values():
        if f.range == "uima.cas.String" and f.name not in SKIPPED_FEATURES:
            return f.name
    return None


def _is_relation(t: TypeInfo) -> bool:
    gov, dep = t.features.get("Governor"), t.features.get("Dependent")
    return gov is not None and dep is not None and not gov.primitive and not dep.primitive
