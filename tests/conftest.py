"""Shared fixtures: small projects built from data the tests generate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen needed, ever

# emoji (astral, with a skin-tone modifier), Arabic (RTL) and a combining accent
MIXED_TEXT = ("Officials said 👍🏽 the plan was “not fully confirmed”. "
              "قال المتحدث إن الخطة جيدة. Café owners (cafe\u0301) seem unconvinced.")


def mixed_document(name: str = "mixed") -> CorpusDocument:
    t = MIXED_TEXT

    def at(s: str) -> tuple[int, int]:
        i = t.index(s)
        return (i, i + len(s))

    spans = [
        SpanRecord("s1", "attribution", "source", (at("Officials"),), {"source_type": "person"}),
        SpanRecord("s2", "attribution", "cue", (at("said"),)),
        SpanRecord("s3", "attribution", "content", (at("the plan was “not fully confirmed”"),),
                   {"quote_type": "mixed"}, note="partly quoted"),
        SpanRecord("s4", "hedging", "hedge", (at("not fully confirmed"),), {"certainty": "possible"}),
        SpanRecord("s5", "stance", "stance", (at("قال المتحدث"), at("جيدة")), {"polarity": "favour"}),
        SpanRecord("s6", "hedging", "hedge", (at("seem"),)),
        SpanRecord("s7", "rhetoric", "technique", (at("👍🏽 the plan"),), {"technique": "doubt"}),
        SpanRecord("s8", "stance", "target", (at("cafe\u0301"),)),
    ]
    relations = [RelationRecord("r1", "attributed_to", "s3", "s1"),
                 RelationRecord("r2", "cue_of", "s2", "s3")]
    return CorpusDocument(name=name, title="Mixed scripts", text=t, meta={"author": "Test"},
                          status="in_progress", spans=spans, relations=relations)


@pytest.fixture(autouse=True)
def _private_backups(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Rolling backups made by any test go to a temporary folder, never the user's."""
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(tmp_path_factory.mktemp("backups")))


@pytest.fixture
def project_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh project file with one annotated document; backups go to tmp."""
    from annotator.core.project import Project

    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(tmp_path / "backups"))
    path = tmp_path / "alice.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([mixed_document()])
    return path
