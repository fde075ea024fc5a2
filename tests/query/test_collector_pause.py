"""The reader pauses Python's cyclic collector only while it reads one chunk: the caller's own
work between documents runs with it as the caller set it, and an error leaves it as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.core.project import Project
from annotator.core.query import reading
from annotator.core.query.stream import stream_documents


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_runs_between_documents(small_path: Path, collector_on: None) -> None:
    seen: list[bool] = []
    paused_inside: list[bool] = []
    rows = 0
    real = reading._common_ties

    def spy(rows: list[reading.Row], lengths: dict[int, object]) -> set[int] | None:
        paused_inside.append(not gc.isenabled())
        return real(rows, lengths)

    with Project.open(small_path, readonly=True) as p:
        reading_ties, reading._common_ties = reading._common_ties, spy
        try:
            for doc in stream_documents(p):
                seen.append(gc.isenabled())
                rows += len(doc.rows)
        finally:
            reading._common_ties = reading_ties
    assert rows and seen and all(seen)
    assert paused_inside[0]  # the chunk's check (later calls: documents checked apart)
    assert gc.isenabled()


def test_an_error_in_a_chunk_leaves_the_collector_on(small_path: Path, collector_on: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(rows: list[reading.Row], lengths: dict[int, object]) -> set[int] | None:
        raise RuntimeError("broken")

    monkeypatch.setattr(reading, "_common_ties", broken)
    with Project.open(small_path, readonly=True) as p, pytest.raises(RuntimeError):
        list(stream_documents(p))
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off(small_path: Path,
                                                     collector_on: None) -> None:
    gc.disable()
    try:
        with Project.open(small_path, readonly=True) as p:
            for _ in stream_documents(p):
                assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
