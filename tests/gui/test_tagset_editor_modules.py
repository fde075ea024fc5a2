"""The tagset editor's modules: each imports on its own (no import cycle among them), and the
names other code imports from ``tagset_editor`` are still there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARTS = ["tagset_attributes", "tagset_checks", "tagset_details", "tagset_tree", "tagset_editor"]


@pytest.mark.parametrize("module", PARTS)
def test_each_part_imports_alone(module: str) -> None:
    """A fresh interpreter imports the module first, so a cycle would fail here."""
    done = subprocess.run([sys.executable, "-c", f"import annotator.gui.views.{module}"],
                          cwd=ROOT, text=True, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_names_stay_importable_from_tagset_editor() -> None:
    from annotator.gui.views import tagset_attributes, tagset_editor

    assert tagset_editor.AttributeTable is tagset_attributes.AttributeTable
    assert tagset_editor.parse_default is tagset_attributes.parse_default
    assert tagset_editor.format_default is tagset_attributes.format_default
    assert tagset_editor.TOML_FILTER == "Tagset (*.toml);;All files (*)"
    assert tagset_editor.parse_default("multi", " a, ,b ") == ["a", "b"]
    assert tagset_editor.format_default([1, 2]) == "1, 2"
