"""Document-level annotations: labels (with attributes) of a document as a whole — an article's
stance toward a target, its genre — in layers whose tagset scope is ``"document"``.

:class:`DocumentLevelEdits` is a mixin of the :class:`~annotator.core.project.Project` facade:
it relies on its sessions (``_read``, ``_write``), ``annotator``, ``tagset``/``set_tagset`` and
``path``. Every method is one transaction, committed before it returns, and returns what
changed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.model import Attributes, DocAnnotation
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import DocAnnotationRow, DocumentRow
from annotator.core.tagset import Tagset, checked_name


def _now() -> str:
    from annotator.core.annotations import now_iso

    return now_iso()


def _dumps(value: Any) -> str:
    decode.check_storable(value, "attributes")
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def check_scope(tagset: Tagset, layer: str, *, document_level: bool,
                path: Path | None = None) -> None:
    """Refuse a span in a document-level layer, or a document annotation in a span layer."""
    lay = tagset.layer(layer)
    if lay is None or lay.document_level == document_level:
        return
    if document_level:
        raise AnnotatorError(f"layer {layer!r} labels passages, not whole documents", path=path)
    raise AnnotatorError(f"layer {layer!r} labels whole documents, not passages", path=path)


class DocumentLevelEdits:
    """Read, add, change, delete and restore (for undo) document-level annotations."""

    if TYPE_CHECKING:
        path: Path
        _tagset: Tagset | None

        def _read(self) -> AbstractContextManager[Session]: ...
        def _write(self) -> AbstractContextManager[Session]: ...
        @property
        def annotator(self) -> str: ...
        @property
        def tagset(self) -> Tagset: ...
        def set_tagset(self, tagset: Tagset) -> None: ...

    def doc_annotations(self, document: int, *, annotator: str | None = None
                        ) -> list[DocAnnotation]:
        """A document's document-level annotations (all annotators', or one's), in the order
        they were made."""
        table = DocAnnotationRow.__table__
        q = (select(*(table.c[c] for c in decode.DOC_ANNOTATION_COLUMNS))
             .where(DocAnnotationRow.document_id == document).order_by(DocAnnotationRow.id))
        if annotator is not None:
            q = q.where(DocAnnotationRow.annotator == annotator)
        with self._read() as s:
            found = s.connection().execute(q).all()
        return [self._decoded(r) for r in found]

    def doc_annotation(self, pk: int) -> DocAnnotation:
        table = DocAnnotationRow.__table__
        q = select(*(table.c[c] for c in decode.DOC_ANNOTATION_COLUMNS)).where(
            DocAnnotationRow.id == pk)
        with self._read() as s:
            row = s.connection().execute(q).first()
        if row is None:
            raise AnnotatorError(f"no document annotation {pk}", path=self.path)
        return self._decoded(row)

    def _decoded(self, row: Sequence[Any]) -> DocAnnotation:
        try:
            return decode.doc_annotation(row)
        except decode.DamagedValue as exc:
            raise decode.damaged(self.path, f"document {row[1]}, document annotation {row[0]}",
                                 exc) from None

    def add_doc_annotation(self, document: int, layer: str, label: str, *,
                           attributes: Attributes | None = None, annotator: str | None = None,
                           pk: int | None = None) -> DocAnnotation:
        """Label a document as a whole (the label is added to the tagset, in a document-level
        layer, if it is new). ``pk`` re-creates a deleted one under its old key (undo)."""
        if not layer or not label:
            raise AnnotatorError("a document annotation needs a layer and a label",
                                 path=self.path)
        check_scope(self.tagset, layer, document_level=True, path=self.path)
        checked_name(layer, "a layer")  # before the write: the tagset refuses it after
        checked_name(label, f"a label of layer {layer[:30]!r}")
        stamp = _now()
        who = self.annotator if annotator is None else annotator
        try:
            attrs = _dumps(attributes or {})
        except decode.DamagedValue as exc:
            raise AnnotatorError(exc.message, path=self.path) from None
        with self._write() as s:
            if s.scalar(select(func.count()).where(DocumentRow.id == document)) == 0:
                raise AnnotatorError(f"no document {document}", path=self.path)
            row = DocAnnotationRow(document_id=document, layer=layer, label=label,
                                   attributes=attrs, annotator=who, created=stamp,
                                   modified=stamp)
            if pk is not None:
                row.id = pk
            s.add(row)
            s.flush()
            made = DocAnnotation(pk=row.id, document=document, layer=layer, label=label,
                                 attributes=dict(attributes or {}), annotator=who,
                                 created=stamp, modified=stamp)
        self._ensure_document_label(layer, label)
        return made

    def update_doc_annotation(self, pk: int, *, label: str | None = None,
                              attributes: Attributes | None = None
                              ) -> tuple[DocAnnotation, DocAnnotation]:
        """Change a document annotation's label or attributes; returns (before, after)."""
        before = self.doc_annotation(pk)
        values: dict[str, Any] = {"modified": _now()}
        if label is not None:
            if not label:
                raise AnnotatorError("a document annotation needs a label", path=self.path)
            values["label"] = checked_name(label, f"a label of layer {before.layer[:30]!r}")
        if attributes is not None:
            try:
                values["attributes"] = _dumps(attributes)
            except decode.DamagedValue as exc:
                raise AnnotatorError(exc.message, path=self.path) from None
        with self._write() as s:
            s.execute(update(DocAnnotationRow).where(DocAnnotationRow.id == pk).values(**values))
        if label is not None:
            self._ensure_document_label(before.layer, label)
        return before, self.doc_annotation(pk)

    def delete_doc_annotation(self, pk: int) -> DocAnnotation:
        """Delete one; returns it (for undo: :meth:`restore_doc_annotation`)."""
        gone = self.doc_annotation(pk)
        with self._write() as s:
            s.execute(delete(DocAnnotationRow).where(DocAnnotationRow.id == pk))
        return gone

    def restore_doc_annotation(self, ann: DocAnnotation) -> None:
        """Put back a deleted document annotation, same key and timestamps."""
        with self._write() as s:
            s.add(DocAnnotationRow(id=ann.pk, document_id=ann.document, layer=ann.layer,
                                   label=ann.label, attributes=_dumps(ann.attributes),
                                   annotator=ann.annotator, created=ann.created,
                                   modified=ann.modified))

    def _ensure_document_label(self, layer: str, label: str) -> None:
        tagset = self.tagset
        if tagset.label(layer, label) is None:
            import copy

            changed = copy.deepcopy(tagset)
            changed.ensure_label(layer, label, scope="document")
            self.set_tagset(changed)
