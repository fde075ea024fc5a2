"""``annotator stats``: counts of a project, each read with one grouped query."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.model import STATUSES
from annotator.core.storage import rows

if TYPE_CHECKING:
    from annotator.core.project import Project


@dataclass
class Counts:
    """The grouped counts a project's stats are made from (as SQLite returns them)."""

    by_status: dict[Any, int]
    per_label: Sequence[Sequence[Any]]  # (layer, label, n)
    per_rel: dict[Any, int]
    per_annotator: Sequence[Sequence[Any]]  # (annotator, spans, documents)
    suggested: int


def project_stats(project: Project) -> dict[str, Any]:
    """Counts of documents by status, spans per layer and label, relations per type, spans and
    documents per annotator (a span naming nobody counts for the project's annotator)."""
    from sqlalchemy import func, select

    from annotator.core.storage.schema import DocumentRow, RelationRow, SpanOriginRow, SpanRow

    with project._read() as s:
        counts = Counts(
            by_status={status: n for status, n in s.execute(
                select(DocumentRow.status, func.count()).group_by(DocumentRow.status))},
            per_label=s.execute(select(SpanRow.layer, SpanRow.label, func.count())
                                .group_by(SpanRow.layer, SpanRow.label)).all(),
            per_rel={rel_type: n for rel_type, n in s.execute(
                select(RelationRow.type, func.count()).group_by(RelationRow.type))},
            per_annotator=s.execute(
                select(SpanRow.annotator, func.count(),
                       func.count(func.distinct(SpanRow.document_id)))
                .group_by(SpanRow.annotator)).all(),
            suggested=s.scalar(select(func.count()).select_from(SpanOriginRow)) or 0)
    return stats_from(counts, lambda: project.annotator, project.path)


def stats_from(counts: Counts, annotator: Callable[[], str], path: str | Path
               ) -> dict[str, Any]:
    """The stats (``annotator stats --json``) from the counts; ``annotator()`` gives the
    project's annotator, asked only when a span names nobody."""
    by_status, per_label, per_rel = counts.by_status, counts.per_label, counts.per_rel
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
        raise rows.damaged(path, "", exc) from None
    layers: dict[str, Any] = {}
    for layer, label, n in per_label:
        entry = layers.setdefault(layer, {"spans": 0, "labels": {}})
        entry["spans"] += n
        entry["labels"][label] = n
    annotators: dict[str, dict[str, int]] = {}  # a span naming nobody: the project's
    for who, n, n_docs in counts.per_annotator:
        entry = annotators.setdefault(str(who or "") or annotator(),
                                      {"spans": 0, "documents": 0})
        entry["spans"] += n
        entry["documents"] += n_docs
    return {"documents": sum(by_status.values()), "status": by_status,
            "spans": sum(v["spans"] for v in layers.values()), "layers": layers,
            "relations": sum(per_rel.values()), "relation_types": per_rel,
            "annotators": annotators,
            "suggested": counts.suggested}  # spans accepted from a suggestion (with an origin)
