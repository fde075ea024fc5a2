"""Fixtures for the review tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_data import make_pair


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Alice's and Bob's project files (see review_data)."""
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(tmp_path / "backups"))
    return make_pair(tmp_path)
