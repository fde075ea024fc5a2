"""What suggestions leave in a project: where an accepted span came from (its provenance),
the suggestions an annotator rejected (never offered again; negative examples), and trained
recommender models, stored as bytes in their own format — never pickle, so that opening a
colleague's file can never run code.

:class:`SuggestionStore` is a mixin of the :class:`~annotator.core.project.Project` facade.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import (
    RecommenderModelRow,
    RejectedSuggestionRow,
    SpanOriginRow,
    SpanRow,
)


@dataclass(frozen=True)
class Rejected:
    """A rejected suggestion: this label on these offsets of this document."""

    document: int
    layer: str
    label: str
    start: int
    end: int
    annotator: str = ""


@dataclass(frozen=True)
class StoredModel:
    name: str
    layer: str
    version: int
    data: bytes
    meta: dict[str, Any]
    created: str


def _now() -> str:
    from annotator.core.annotations import now_iso

    return now_iso()


def _dumps(value: Any, what: str) -> str:
    decode.check_storable(value, what)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class SuggestionStore:
    if TYPE_CHECKING:
        path: Path

        def _read(self) -> AbstractContextManager[Session]: ...
        def _write(self) -> AbstractContextManager[Session]: ...
        @property
        def annotator(self) -> str: ...

    # ----------------------------------------------------------------- provenance
    def set_span_origin(self, span: int, origin: dict[str, Any]) -> None:
        """Record where span ``span`` came from (``{}`` removes it: made by hand)."""
        try:
            value = _dumps(origin, "origin")
        except decode.DamagedValue as exc:
            raise AnnotatorError(exc.message, path=self.path) from None
        with self._write() as s:
            if s.get(SpanRow, span) is None:
                raise AnnotatorError(f"no span {span}", path=self.path)
            s.execute(delete(SpanOriginRow).where(SpanOriginRow.span_id == span))
            if origin:
                s.add(SpanOriginRow(span_id=span, origin=value))

    def span_origins(self, document: int | None = None) -> dict[int, dict[str, Any]]:
        """Span key -> provenance, for the spans (of ``document``) that were suggested."""
        q = select(SpanOriginRow.span_id, SpanOriginRow.origin)
        if document is not None:
            q = q.join(SpanRow, SpanRow.id == SpanOriginRow.span_id).where(
                SpanRow.document_id == document)
        with self._read() as s:
            found = s.connection().execute(q).all()
        out: dict[int, dict[str, Any]] = {}
        for pk, raw in found:
            try:
                out[pk] = decode.json_object(raw, "origin")
            except decode.DamagedValue as exc:
                raise decode.damaged(self.path, f"span {pk}", exc) from None
        return out

    # ----------------------------------------------------------------- rejections
    def reject_suggestion(self, document: int, layer: str, label: str, start: int, end: int,
                          *, annotator: str | None = None) -> Rejected:
        if not (type(start) is int and type(end) is int and 0 <= start < end):
            raise AnnotatorError(f"a rejected suggestion needs 0 <= start < end, got "
                                 f"[{start}, {end})", path=self.path)
        who = self.annotator if annotator is None else annotator
        with self._write() as s:
            s.add(RejectedSuggestionRow(document_id=document, layer=layer, label=label,
                                        start=start, end=end, annotator=who, created=_now()))
        return Rejected(document, layer, label, start, end, who)

    def rejected_suggestions(self, document: int | None = None) -> list[Rejected]:
        q = select(RejectedSuggestionRow.document_id, RejectedSuggestionRow.layer,
                   RejectedSuggestionRow.label, RejectedSuggestionRow.start,
                   RejectedSuggestionRow.end, RejectedSuggestionRow.annotator).order_by(
            RejectedSuggestionRow.id)
        if document is not None:
            q = q.where(RejectedSuggestionRow.document_id == document)
        with self._read() as s:
            found = s.connection().execute(q).all()
        out = []
        for doc, layer, label, start, end, who in found:
            try:
                out.append(Rejected(doc, decode.text(layer, "layer", required=True),
                                    decode.text(label, "label", required=True),
                                    decode.integer(start, "start"), decode.integer(end, "end"),
                                    decode.text(who, "annotator")))
            except decode.DamagedValue as exc:
                raise decode.damaged(self.path, "a rejected suggestion", exc) from None
        return out

    def forget_rejections(self, documents: Iterable[int] | None = None) -> int:
        with self._write() as s:
            q = delete(RejectedSuggestionRow)
            if documents is not None:
                q = q.where(RejectedSuggestionRow.document_id.in_(list(documents)))
            return s.execute(q).rowcount or 0  # type: ignore[attr-defined]

    # ----------------------------------------------------------------- models
    def save_model(self, name: str, layer: str, data: bytes, meta: dict[str, Any]) -> int:
        """Store (replace) the model of recommender ``name`` for ``layer``; returns its new
        version (1 for the first)."""
        if not isinstance(data, bytes):
            raise AnnotatorError("a model is stored as bytes", path=self.path)
        try:
            meta_json = _dumps(meta, "model meta")
        except decode.DamagedValue as exc:
            raise AnnotatorError(exc.message, path=self.path) from None
        with self._write() as s:
            row = s.scalars(select(RecommenderModelRow).where(
                RecommenderModelRow.name == name, RecommenderModelRow.layer == layer)).first()
            if row is None:
                row = RecommenderModelRow(name=name, layer=layer, version=1, data=data,
                                          meta=meta_json, created=_now())
                s.add(row)
            else:
                row.version = (row.version if type(row.version) is int else 0) + 1
                row.data, row.meta, row.created = data, meta_json, _now()
            s.flush()
            return row.version

    def model(self, name: str, layer: str) -> StoredModel | None:
        q = select(RecommenderModelRow.version, RecommenderModelRow.data,
                   RecommenderModelRow.meta, RecommenderModelRow.created).where(
            RecommenderModelRow.name == name, RecommenderModelRow.layer == layer)
        with self._read() as s:
            row = s.connection().execute(q).first()
        if row is None:
            return None
        version, data, meta, created = row
        try:
            if not isinstance(data, bytes):
                raise decode.DamagedValue(f"data is {decode.kind(data)}, not bytes")
            return StoredModel(name, layer, decode.integer(version, "version"), data,
                               decode.json_object(meta, "meta"), decode.text(created, "created"))
        except decode.DamagedValue as exc:
            raise decode.damaged(self.path, f"model {name!r} of layer {layer!r}", exc) from None
