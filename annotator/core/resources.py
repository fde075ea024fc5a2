"""Locating bundled resources (tagsets, lexicons, the sample project)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, from a source checkout or an installed package."""
    base = Path(str(resources.files("annotator.resources")))
    return base.joinpath(*parts)
