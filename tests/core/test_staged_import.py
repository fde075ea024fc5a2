"""``annotator import`` reads, checks and stages every document in batches before the project
is opened for writing, then copies the rows in one transaction: the same rows as an import of
the documents held in a list, and bad input anywhere leaves the file byte-identical."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core import bulk, staged_import
from annotator.core.errors import StorageError
from annotator.core.model import CorpusDocument
from annotator.core.project import Project
from annotator.core.staged_import import import_streamed
from annotator.formats.reading import read_inputs

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "sample.jsonl"


def _corpus(folder: Path, n: int = 9, bad_last: bool = False) -> Path:
    path = folder / "c.jsonl"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    for i in range(n):
        text = f"Officials said {i} times that the plan may not work."
        lines.append(json.dumps({"id": f"d{i}", "text": text, "spans": [
            {"start": 0, "end": 9, "layer": "attribution", "label": "source"},
            {"start": 10, "end": 14, "layer": "attribution", "label": "cue"},
            {"start": 36, "end": 39, "layer": "hedging", "label": f"made-up-{i % 2}"}],
            "relations": [{"type": "attributed_to", "from": "s2", "to": "s1"}]}))
    if bad_last:
        lines.append(json.dumps({"id": "bad", "text": "short", "spans": [
            {"start": 0, "end": 99, "layer": "hedging", "label": "hedge"}]}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _dump(path: Path) -> list[object]:
    with Project.open(path, readonly=True) as p:
        return [(d.name, d.text, d.meta, d.status,
                 [(s.key, s.layer, s.label, s.fragments, s.attributes, s.annotator)
                  for s in d.spans],
                 [(r.type, r.source, r.target) for r in d.relations],
                 [(a.layer, a.label) for a in d.doc_annotations])
                for d in p.iter_corpus()] + [sorted(p.stats().items())]


@pytest.mark.parametrize("held", [0, 2, 100], ids=["all in the file", "spilled", "in memory"])
def test_a_staged_import_in_many_batches_stores_what_a_listed_one_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        held: int) -> None:
    monkeypatch.setattr(bulk, "BATCH", 2)
    monkeypatch.setattr(staged_import, "HELD", held)  # 5 batches: from the 1st to the file, from the 3rd, none
    src = _corpus(tmp_path)
    staged, listed = tmp_path / "staged.annot", tmp_path / "listed.annot"
    for path in (staged, listed):
        assert main(["new", str(path), "--annotator", "alice"]) == 0
    assert main(["import", str(staged), str(src)]) == 0
    assert "imported 10 document(s)" in capsys.readouterr().out
    with Project.open(listed) as p:
        (_, docs), = read_inputs([str(src)], "jsonl", "alice", lambda _: None)
        p.import_documents(docs)
    assert _dump(staged) == _dump(listed)
    assert main(["import", str(staged), str(src)]) == 0  # again: every line already there
    assert "imported 0 document(s)" in capsys.readouterr().out


def test_a_bad_last_line_after_many_batches_leaves_the_file_byte_identical(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> None:
    monkeypatch.setattr(bulk, "BATCH", 2)
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    before = (proj.read_bytes(), proj.stat().st_mtime_ns, sorted(os.listdir(tmp_path)))
    src = _corpus(tmp_path, n=12, bad_last=True)
    before = (*before[:2], sorted(os.listdir(tmp_path)))
    assert main(["import", str(proj), str(src)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(src) in err[0] and "bad" in err[0]
    assert (proj.read_bytes(), proj.stat().st_mtime_ns, sorted(os.listdir(tmp_path))) == before


def test_a_project_changed_while_the_import_is_read_is_left_alone(tmp_path: Path) -> None:
    proj = tmp_path / "p.annot"
    with Project.create(proj, annotator="alice"):
        pass

    def read(annotator: str) -> Iterator[CorpusDocument]:
        yield CorpusDocument(name="a", text="first text")
        with Project.open(proj) as other:  # someone else writes meanwhile
            other.import_documents([CorpusDocument(name="b", text="second text")])
        yield CorpusDocument(name="c", text="third text")

    with Project.open(proj, readonly=True) as p, pytest.raises(StorageError, match="changed"):
        import_streamed(p, read)
    with Project.open(proj, readonly=True) as p:
        assert [d.name for d in p.documents()] == ["b"]


def test_an_unknown_status_is_refused_and_nothing_is_stored(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Through the Python API too (the importers check it themselves): stored, "doing" made
    every later read of the project fail as damaged."""
    import pytest

    from annotator.core.errors import BadInputError
    from annotator.core.model import CorpusDocument
    from annotator.core.project import Project

    path = tmp_path / "p.annot"
    with Project.create(path, annotator="ann") as p:
        p.import_documents([CorpusDocument(name="a", text="Fine.")])
        with pytest.raises(BadInputError, match="unknown status 'doing'"):
            p.import_documents([CorpusDocument(name="b", text="Also fine."),
                                CorpusDocument(name="c", text="Bad.", status="doing")])
        assert [d.name for d in p.documents()] == ["a"]
    with Project.open(path, readonly=True) as p:  # readable as before
        assert [(d.name, d.status) for d in p.documents()] == [("a", "new")]
