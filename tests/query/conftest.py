"""Fixtures of the query tests (data: query_data.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from query_data import SAMPLE, make_project, small_corpus


@pytest.fixture
def small_path(tmp_path: Path) -> Path:
    return make_project(tmp_path / "small.annot", small_corpus())


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    from annotator.cli import main

    path = tmp_path / "sample.annot"
    assert main(["new", str(path), "--annotator", "alice"]) == 0
    assert main(["import", str(path), str(SAMPLE)]) == 0
    return path
