"""What a review needs to know about a project before reading its documents one at a time.

Read functions (no writes, plain values), for comparing two projects document by document
(:mod:`annotator.review.stream`) without holding either in memory:

* :func:`document_hashes`: ``(id, name, sha256 of the text)`` of every document, in the order
  :meth:`Project.iter_corpus` yields them (position, then id). The hash is computed from the
  stored text, every value checked as ``iter_corpus`` checks it (a damaged one raises
  :class:`annotator.core.storage.rows.DamagedProjectError` naming it); the stored ``sha256``
  column is not trusted. Texts are read 500 at a time and not kept.
* :func:`span_layers`: the distinct layers of the spans of some (or all) documents.
* :func:`doc_annotation_layers`: the distinct layers of all document-level annotations.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import LargeBinary, cast, func, select

from annotator.core.storage import postgres as pg
from annotator.core.storage import rows as decode
from annotator.core.storage.schema import DocAnnotationRow, DocumentRow, SpanRow
from annotator.core.text import sha256_of

if TYPE_CHECKING:
    from annotator.core.project import Project

_CHUNK = 500


def document_hashes(project: Project) -> list[tuple[int, str, str]]:
    """``(id, name, sha256)`` of every document, in ``iter_corpus`` order (see the module)."""
    table = DocumentRow.__table__
    server = pg.is_server(project.engine)
    type_and_bytes = (pg.text_columns() if server else
                      (func.typeof(DocumentRow.text), cast(DocumentRow.text, LargeBinary)))
    dq = select(*(table.c[c] for c in decode.DOCUMENT_COLUMNS), *type_and_bytes)
    out: list[tuple[int, str, str]] = []
    with project._read() as session:
        s = session.connection()
        codec = "utf-8" if server else decode.codec_of(
            s.exec_driver_sql("PRAGMA encoding").scalar())
        order = [r[0] for r in s.execute(select(DocumentRow.id).order_by(DocumentRow.position,
                                                                         DocumentRow.id))]
        for k in range(0, len(order), _CHUNK):
            ids = order[k:k + _CHUNK]
            by_id = {r[0]: r for r in s.execute(dq.where(DocumentRow.id.in_(ids)))}
            for pk in ids:
                row = by_id.get(pk)
                if row is None:
                    continue
                try:
                    info, text = decode.document_with_text(row, codec)
                except decode.DamagedValue as exc:
                    raise decode.damaged(project.path, decode.document_where(row[0], row[1]),
                                         exc) from None
                out.append((pk, info.name, sha256_of(text)))
    return out


def span_layers(project: Project, documents: Iterable[int] | None = None) -> set[str]:
    """Distinct layers (non-empty strings) of the spans of ``documents`` (None: all)."""
    q = select(SpanRow.layer).distinct()
    found: set[str] = set()
    with project._read() as session:
        s = session.connection()
        if documents is None:
            found.update(v for (v,) in s.execute(q))
        else:
            ids = list(documents)
            for k in range(0, len(ids), _CHUNK):
                found.update(v for (v,) in s.execute(
                    q.where(SpanRow.document_id.in_(ids[k:k + _CHUNK]))))
    return {v for v in found if type(v) is str and v}


def doc_annotation_layers(project: Project) -> set[str]:
    """Distinct layers (non-empty strings) of every document-level annotation."""
    with project._read() as session:
        found = {v for (v,) in session.connection().execute(
            select(DocAnnotationRow.layer).distinct())}
    return {v for v in found if type(v) is str and v}
