"""Other people's changes of a shared project, as the workspace's :class:`Changes`.

A project on a server announces every committed change (PostgreSQL's LISTEN/NOTIFY, see
:mod:`annotator.core.storage.postgres_live`) as *what* changed and *where* — a table, an
operation, a document, a login — never the content. :func:`changes_from` turns a batch of such
announcements into the one :class:`Changes` that names everything to read again; the window
hands it to :meth:`~annotator.workspace.model.Workspace.apply_external`, so that the views
redraw exactly as after a local edit. One's own announcements are dropped (the local edit has
already been shown; the same login in another window or a script is someone else), except that a lost and regained connection ("reconnected") means anything
may have happened meanwhile: everything shown is read again.

Qt-free; the announcements only need ``table``, ``op``, ``document`` and ``by`` attributes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from annotator.workspace.changes import NOTHING, Changes, SpanDelta

TAGSET_TABLES = frozenset({"tagset_layer", "tagset_label", "tagset_relation_type"})
SPAN_TABLES = frozenset({"span", "span_origin"})


class Announcement(Protocol):
    @property
    def table(self) -> str: ...
    @property
    def op(self) -> str: ...
    @property
    def document(self) -> int | None: ...
    @property
    def by(self) -> str: ...
    @property
    def own(self) -> bool: ...


def everything(current: int | None) -> Changes:
    """Read again all the window shows: the document list, the tagset, the shown document."""
    one = frozenset({current}) if current is not None else frozenset()
    spans = {current: SpanDelta(reload=True)} if current is not None else {}
    return Changes(documents=True, tagset=True, annotators=True, spans=spans, relations=one,
                   status=one, headers=one, doc_annotations=one, remote=True)


def changes_from(notes: Iterable[Announcement], *, current: int | None) -> Changes:
    """The :class:`Changes` that a batch of announcements calls for (``remote`` set), or
    :data:`NOTHING` when all of them are one's own (made through the same project's
    connections: ``own``) or unknown.

    ``current`` is the document shown: a reconnection re-reads it whole."""
    out = NOTHING
    for note in notes:
        if note.op == "reconnected":
            return everything(current)
        if note.own:
            continue
        out = out | _one(note)
    return NOTHING if out == NOTHING else out | Changes(remote=True)


def _one(note: Announcement) -> Changes:
    doc = note.document
    one = frozenset({doc}) if doc is not None else frozenset()
    table = note.table
    if table in SPAN_TABLES and doc is not None:
        return Changes(spans={doc: SpanDelta(reload=True)}, headers=one)
    if table in SPAN_TABLES:  # an origin row names its span, not its document
        return NOTHING
    if table == "relation":
        return Changes(relations=one, headers=one)
    if table == "doc_annotation":
        return Changes(doc_annotations=one)
    if table == "document":
        # a status is one row's change; anything else (added, removed, renamed): the list
        if note.op == "update" and doc is not None:
            return Changes(status=one, headers=one)
        return Changes(documents=True)
    if table == "assignment":  # the queue: which documents one sees, their status
        return Changes(documents=True, status=one, headers=one)
    if table in TAGSET_TABLES:
        return Changes(tagset=True)
    if table == "project_meta":  # settings (blind mode, guidelines, names)
        return Changes(annotators=True, documents=True)
    return NOTHING
