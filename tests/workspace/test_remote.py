"""Other people's announcements of a shared project become the workspace's Changes (Qt-free)."""

from __future__ import annotations

from annotator.core.storage.postgres_live import Change, parse
from annotator.workspace import NOTHING, Changes, SpanDelta
from annotator.workspace.remote import changes_from


def test_each_table_names_what_to_read_again() -> None:
    got = changes_from([Change("span", "insert", 7, "bob"), Change("relation", "delete", 8, "bob"),
                        Change("doc_annotation", "update", 9, "bob")], current=7)
    assert got.spans == {7: SpanDelta(reload=True)}
    assert got.relations == {8} and got.doc_annotations == {9} and got.headers == {7, 8}
    assert got.remote and not got.tagset and not got.documents
    assert changes_from([Change("tagset_label", "insert", None, "cleo")], current=None).tagset
    status = changes_from([Change("document", "update", 3, "bob")], current=None)
    assert status.status == {3} and not status.documents
    assert changes_from([Change("document", "insert", 4, "cleo")], current=None).documents
    queue = changes_from([Change("assignment", "insert", 5, "cleo")], current=None)
    assert queue.documents and queue.status == {5}


def test_own_and_unknown_announcements_change_nothing() -> None:
    assert changes_from([Change("span", "insert", 7, "me", own=True)], current=7) is NOTHING
    assert changes_from([Change("no_such_table", "insert", 7, "bob")], current=7) is NOTHING
    assert changes_from([Change("span_origin", "insert", None, "bob")], current=7) is NOTHING
    assert changes_from([], current=7) is NOTHING


def test_a_reconnection_reads_everything_shown_again() -> None:
    got = changes_from([Change("span", "insert", 2, "me", own=True),
                        Change("", "reconnected", None, "")], current=5)
    assert got.documents and got.tagset and got.spans == {5: SpanDelta(reload=True)}
    assert got.relations == {5} and got.doc_annotations == {5} and got.remote
    assert changes_from([Change("", "reconnected", None, "")], current=None).spans == {}


def test_announcements_are_parsed_or_ignored() -> None:
    assert parse('{"table": "span", "op": "insert", "document": "4", "by": "al"}') == \
        Change("span", "insert", 4, "al")
    assert parse('{"table": "span", "op": "insert", "document": 4}', own=True).own  # type: ignore[union-attr]
    for bad in ("", "[]", "{}", '{"table": "span"}', '{"table": 1, "op": 2, "document": "x"}'):
        assert parse(bad) is None
    assert isinstance(changes_from([Change("span", "update", 1, "x")], current=1), Changes)
