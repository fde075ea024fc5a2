"""A hard document shared by the exchange-format tests (brat, XMI, doccano, Label Studio).

Emoji (astral, with a skin-tone modifier), Arabic, a combining mark, a tab and newlines; spans
that nest, cross, cover an emoji, cross a line break and one discontinuous span; attributes of
every kind; notes with newlines; relations including one with an odd type name.
"""

from __future__ import annotations

import json
from typing import Any

from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord

TEXT = ("Le ministre 👍🏽 a dit que la situation e\u0301tait «\u00a0sous contrôle\u00a0».\n"
        "قال المتحدث إن الوضع مستقر 😀 reportedly, but critics claimed it may not be "
        "fully confirmed.\nThird line\twith a tab.")


def at(needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return (start, start + len(needle))


def sample_doc(name: str = "doc 1/ünï") -> CorpusDocument:
    content = (at("que")[0], at("contrôle\u00a0»")[1])
    stance = (at("situation")[0], at("قال المتحدث")[1])  # crosses the content and a newline
    spans = [
        SpanRecord("s1", "attribution", "source", (at("Le ministre"),),
                   {"source_type": "person"}),
        SpanRecord("s2", "attribution", "cue", (at("a dit"),), {"author_position": "neutral"}),
        SpanRecord("s3", "attribution", "content", (content,), {}, note="nested\nnote"),
        SpanRecord("s4", "hedging", "hedge", (at("may"), at("fully confirmed")),
                   {"certainty": "possible", "negated": True, "cue_type": "modal"}),
        SpanRecord("s5", "stance", "stance", (stance,),
                   {"polarity": "against", "target": "the situation | a:b, c=d",
                    "holder": "", "intensity": "high"}),
        SpanRecord("s6", "attribution", "source", (at("قال المتحدث"),),
                   {"source_type": "anonymous"}, note="tab\there \\ backslash"),
        SpanRecord("s7", "rhetoric", "technique", (at("👍🏽"),),
                   {"technique": "loaded_language", "score": 3, "ratio": 0.5,
                    "flag": False, "tags": ["a b", "ç"]}),
        SpanRecord("s8", "hedging", "hedge", (at("reportedly"),), {"negated": True}),
        SpanRecord("s9", "my layer", "Label:1|x", (at("e\u0301tait"),), {"ключ значение": "é"}),
        SpanRecord("s10", "hedging", "scope", (at("situation e\u0301tait"),)),
        SpanRecord("s11", "stance", "target", (at("critics claimed it may"),)),
    ]
    relations = [
        RelationRecord("r1", "attributed_to", "s3", "s1"),
        RelationRecord("r2", "cue_of", "s2", "s3"),
        RelationRecord("r3", "links to ünï", "s5", "s9"),
    ]
    return CorpusDocument(name=name, title="A title: «test»", text=TEXT, spans=spans,
                          relations=relations, status="in_progress")


def span_set(doc: CorpusDocument) -> set[tuple[Any, ...]]:
    return {(s.layer, s.label, tuple(s.fragments),
             json.dumps(s.attributes, sort_keys=True, ensure_ascii=False), s.note)
            for s in doc.spans}


def relation_set(doc: CorpusDocument) -> set[tuple[Any, ...]]:
    ends = {s.key: (s.layer, s.label, tuple(s.fragments)) for s in doc.spans}
    return {(r.type, ends[r.source], ends[r.target]) for r in doc.relations}
