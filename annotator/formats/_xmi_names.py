"""UIMA names for Annotator's layers and attributes, and the type names both directions share.

Not a format: the registry skips modules whose name starts with ``_``. See
:mod:`annotator.formats.xmi` for the conventions.
"""

from __future__ import annotations

import json
from functools import lru_cache

from annotator.formats._common import escape_name, unescape_name

CUSTOM = "webanno.custom."
RELATION_TYPE = CUSTOM + "AnnotatorRelation"
METADATA_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
STATE_TYPE = "annotator.type.DocumentState"
ANNOTATION = "uima.tcas.Annotation"
STRING = "uima.cas.String"
JSON_DESCRIPTION = "JSON"
SPAN_FEATURES = ("label", "note", "annotator", "fragment_of", "fragments", "relations")
RESERVED = frozenset({*SPAN_FEATURES, "begin", "end", "sofa", "self", "type", "Governor",
                      "Dependent", "attributes"})
INT32 = range(-2**31, 2**31)
#: Types every CAS has and that reading takes in (text, document metadata): never reported.
READ_OR_STRUCTURAL = {"uima.tcas.DocumentAnnotation", METADATA_TYPE}


# --- names ------------------------------------------------------------------------------------

def java_name(name: str, reserved: frozenset[str] = RESERVED) -> str:
    """A Java identifier for ``name``: escaped, with ``x`` put in front when it would start with
    ``_`` or a digit, be empty or clash with ``reserved``. The exact name travels in the
    feature's or type's description (see :func:`describe`)."""
    enc = escape_name(name, "_", literal_delim=True)
    if not enc or enc in reserved or not enc[0].isalpha():
        enc = "x" + enc
    return enc


def from_java_name(enc: str) -> str:
    """Best guess at the name behind a Java identifier without our description."""
    decoded = unescape_name(enc, "_", literal_delim=True)
    return enc if decoded is None else decoded


def describe(name: str, *, is_json: bool = False) -> str:
    """A description recording the exact ``name`` (and that the value is JSON)."""
    return json.dumps({"annotator": name, "json": is_json}, ensure_ascii=False)


@lru_cache(maxsize=4096)  # read once per type and feature of every file
def described(description: str | None) -> tuple[str | None, bool]:
    """``(exact name, holds JSON)`` from a description; ``(None, "JSON")`` for foreign ones."""
    if description and description.startswith("{"):
        try:
            data = json.loads(description)
        except json.JSONDecodeError:
            return None, False
        if isinstance(data, dict) and isinstance(data.get("annotator"), str):
            return data["annotator"], bool(data.get("json"))
    return None, description == JSON_DESCRIPTION


def layer_type(layer: str) -> str:
    return CUSTOM + java_name(layer, RESERVED | {RELATION_TYPE[len(CUSTOM):]})


