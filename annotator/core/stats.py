"""``annotator stats``: counts of a project, each read with one grouped query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from annotator.core.model import STATUSES
from annotator.core.storage import rows
from annotator.core.storage.schema import DocumentRow, RelationRow, SpanOriginRow, SpanRow

if TYPE_CHECKING:
    from annotator.core.project import Project


def project_stats(project: Project) -> dict[str, Any]:
    """Counts of documents by status, spans per layer and label, relations per type, spans and
    documents per annotator (a span naming nobody counts for the project's annotator)."""
    with project._read() as s:
        by_status: dict[str, int] = {
            status: n for status, n in s.execute(
                select(DocumentRow.status, func.count()).group_by(DocumentRow.status))}
        per_label = s.execute(select(SpanRow.layer, SpanRow.label, func.count())
                              .group_by(SpanRow.layer, SpanRow.label)).all()
        per_rel: dict[str, int] = {
            rel_type: n for rel_type, n in s.execute(
                select(RelationRow.type, func.count()).group_by(RelationRow.type))}
        per_annotator = s.execute(
            select(SpanRow.annotator, func.count(),
                   func.count(func.distinct(SpanRow.document_id)))
            .group_by(SpanRow.annotator)).all()
        suggested = s.scalar(select(func.count()).select_from(SpanOriginRow)) or 0
    try:
        for status in by_status:
            if status not in STATUSES:
                raise rows.DamagedValue(f"a document's status is {rows.kind(status)} "
                                        f"{status!r}, not one of {', '.join(STATUSES)}")
        for layer, label, _ in per_label:
            rows.text(layer, "a span's layer", required=True)
            rows.text(label, "a span's label", required=True)
        for rel_type in per_rel:
            rows.text(rel_type, "a relation's type", required=True)
    except rows.DamagedValue as exc:
        raise rows.damaged(project.path, "", exc) from None
    layers: dict[str, Any] = {}
    for layer, label, n in per_label:
        entry = layers.setdefault(layer, {"spans": 0, "labels": {}})
        entry["spans"] += n
        entry["labels"][label] = n
    annotators: dict[str, dict[str, int]] = {}  # a span naming nobody: the project's
    for who, n, n_docs in per_annotator:
        entry = annotators.setdefault(str(who or "") or project.annotator,
                                      {"spans": 0, "documents": 0})
        entry["spans"] += n
        entry["documents"] += n_docs
    return {"documents": sum(by_status.values()), "status": by_status,
            "spans": sum(v["spans"] for v in layers.values()), "layers": layers,
            "relations": sum(per_rel.values()), "relation_types": per_rel,
            "annotators": annotators,
            "suggested": suggested}  # spans accepted from a suggestion (with an origin)

