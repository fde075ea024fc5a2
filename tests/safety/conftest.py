"""Fixtures for the safety tests: backups always go to tmp."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def backups_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Rolling backups go to tmp, never to the user's data folder."""
    folder = tmp_path / "backups"
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(folder))
    return folder
