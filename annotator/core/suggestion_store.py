"""What suggestions leave in a project: where an accepted span came from (its provenance),
the suggestions an annotator rejected (never offered again; negative examples), and trained
recommender models, stored as bytes in their own format — never pickle, so that opening a
colleague's file can never run code.

:class:`SuggestionStore` is a mixin of the :class:`~annotator.core.project.Project` facade.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from annotator.core import span_identity as identity
from annotator.core.doc_level import check_scope
from annotator.core.errors import AnnotatorError
from annotator.core.model import Span, check_fragments
from annotator.core.storage import postgres as pg
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import (
    DocumentRow,
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
class Accepted:
    """A suggestion to add as a span of the project's annotator: ``label`` of ``layer`` on
    ``[start, end)`` of ``document``, with its ``attributes`` and its provenance ``origin``
    (see :meth:`SuggestionStore.set_span_origin`)."""

    document: int
    layer: str
    label: str
    start: int
    end: int
    origin: dict[str, Any]
    attributes: dict[str, Any] | None = None


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
        @property
        def tagset(self) -> Any: ...

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

    def add_accepted(self, accepted: Sequence[Accepted], *,
                     pks: Sequence[int] | None = None) -> list[Span]:
        """Add accepted suggestions, over any number of documents, as spans of the project's
        annotator with their provenance, in ONE transaction: all or none (a failure anywhere
        leaves the project as it was). A span identical to one already in its document (or
        earlier in ``accepted``) is left out, and so is its key in ``pks`` (redo: the keys to
        re-create the spans under). Returns the spans added, in the given order. A label the
        tagset lacks is refused before anything is written: accepting never adds a label."""
        if pks is not None and len(pks) != len(accepted):
            raise AnnotatorError("add_accepted: one key per span expected", path=self.path)
        tagset = self.tagset
        for layer, label in dict.fromkeys((a.layer, a.label) for a in accepted):
            check_scope(tagset, layer, document_level=False, path=self.path)
            if tagset.label(layer, label) is None:
                raise AnnotatorError(f"the tagset has no label {layer}:{label}; nothing was "
                                     "accepted", path=self.path)
        try:
            values = [(_dumps(a.attributes or {}, "attributes"), _dumps(a.origin, "origin"))
                      for a in accepted]
        except decode.DamagedValue as exc:
            raise AnnotatorError(exc.message, path=self.path) from None
        stamp = _now()
        who = self.annotator
        with self._write() as s:
            documents = sorted({a.document for a in accepted})
            lengths: dict[int, int] = {}
            for i in range(0, len(documents), 10_000):  # SQLite caps bound parameters
                found = s.execute(select(DocumentRow.id, DocumentRow.length).where(
                    DocumentRow.id.in_(documents[i:i + 10_000])))
                lengths.update((int(pk), int(n)) for pk, n in found)
            known: dict[int, dict[identity.SpanKey, int]] = {}
            fresh: list[int] = []
            for at, a in enumerate(accepted):
                if a.document not in lengths:
                    raise AnnotatorError(f"no document {a.document}", path=self.path)
                frags = ((int(a.start), int(a.end)),)
                problem = check_fragments(frags, lengths[a.document])
                if problem:
                    raise AnnotatorError(problem, path=self.path)
                keys = known.get(a.document)
                if keys is None:
                    keys = known[a.document] = identity.keys_in_document(s, a.document, who)
                key = (who, a.layer, a.label, frags)
                if key not in keys:
                    keys[key] = 0
                    fresh.append(at)
            if pks is not None:
                ids: Sequence[int] = [pks[at] for at in fresh]
            elif pg.is_server(s.get_bind()):  # other writers: the sequence
                ids = pg.allocate(s.connection(), "span", len(fresh))
            else:
                first = (s.scalar(select(func.max(SpanRow.id))) or 0) + 1
                ids = range(first, first + len(fresh))
            rows = [{"id": pk, "document_id": accepted[at].document,
                     "layer": accepted[at].layer, "label": accepted[at].label,
                     "start": int(accepted[at].start), "end": int(accepted[at].end),
                     "fragments": None, "attributes": values[at][0], "note": "",
                     "annotator": who, "created": stamp, "modified": stamp}
                    for pk, at in zip(ids, fresh, strict=True)]
            if rows:
                conn = s.connection()
                conn.execute(insert(SpanRow.__table__), rows)
                origins = [{"span_id": pk, "origin": values[at][1]}
                           for pk, at in zip(ids, fresh, strict=True) if accepted[at].origin]
                if origins:
                    conn.execute(insert(SpanOriginRow.__table__), origins)
                touched = sorted({accepted[at].document for at in fresh})
                for i in range(0, len(touched), 10_000):
                    s.execute(update(DocumentRow).where(
                        DocumentRow.id.in_(touched[i:i + 10_000]),
                        DocumentRow.status == "new").values(status="in_progress"))
        return [decode.span((r["id"], r["document_id"], r["layer"], r["label"], r["start"],
                             r["end"], r["fragments"], r["attributes"], r["note"],
                             r["annotator"], r["created"], r["modified"]), None)
                for r in rows]

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
