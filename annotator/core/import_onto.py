"""Importing onto documents already there (interfaces.md): what a stored document holds, so
that :func:`annotator.core.bulk.import_documents` adds only what is new to it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from annotator.core.storage import rows as decode
from annotator.core.storage.schema import DocAnnotationRow, RelationRow, SpanRow


def stored_keys(s: Any, document: int) -> tuple[dict[tuple[object, ...], int],
                                                 set[tuple[object, ...]], set[tuple[object, ...]]]:
    """A stored document's spans by identity (annotator, layer, label, fragments) -> key, its
    relations as (type, source, target) and its document-level annotations as (layer, label,
    annotator)."""
    spans: dict[tuple[object, ...], int] = {}
    for pk, who, layer, label, start, end, raw in s.execute(
            select(SpanRow.id, SpanRow.annotator, SpanRow.layer, SpanRow.label, SpanRow.start,
                   SpanRow.end, SpanRow.fragments).where(SpanRow.document_id == document)
            .order_by(SpanRow.id)):
        try:
            frags = decode.fragments(start, end, raw)
        except decode.DamagedValue:
            continue  # a damaged row is never "the same" as anything (annotator check)
        spans.setdefault((who, layer, label, frags), pk)
    rels = {tuple(r) for r in s.execute(
        select(RelationRow.type, RelationRow.source_id, RelationRow.target_id)
        .where(RelationRow.document_id == document))}
    anns = {tuple(r) for r in s.execute(
        select(DocAnnotationRow.layer, DocAnnotationRow.label, DocAnnotationRow.annotator)
        .where(DocAnnotationRow.document_id == document))}
    return spans, rels, anns
