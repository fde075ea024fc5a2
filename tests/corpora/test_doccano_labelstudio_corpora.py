"""Real doccano and Label Studio files (see SOURCE.md in each folder): each imports through the
command line into a project, and what came in is checked: documents, spans, a span's text.

What these files showed, fixed with them: doccano's pretty-printed example was refused; its
1.x export (``annotations``) and Label Studio 0.x's ``completions`` came in without their
spans; an image task came in with its URL as the text; a Label Studio task file without
``data`` was refused; doccano's ``meta`` object was nested under ``meta``."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.project import Project

HERE = Path(__file__).parent

# file: (format, documents, spans, relations, (label, text) of one span)
EXPECTED: dict[str, tuple[str, int, int, int, tuple[str, str] | None]] = {
    "doccano/sequence_labeling_export.jsonl": ("doccano", 3, 4, 0, ("MISC", "German")),
    "doccano/relation_extraction.jsonl": ("doccano", 1, 4, 3, ("DATE", "September 4, 1998")),
    "doccano/relation_extraction_pretty.jsonl": ("doccano", 1, 4, 3, ("PERSON", "Sergey Brin")),
    # its two spans are exact copies ([0, 1, "LOC"] twice): stored once (no duplicate spans)
    "doccano/overlapping.jsonl": ("doccano", 1, 1, 0, ("LOC", "e")),
    "doccano/v1_download.jsonl": ("doccano", 3, 3, 0, ("1", "Obama")),
    "labelstudio/ner_completions_348.json": ("labelstudio", 1, 38, 0,
                                             ("INGREDIENT", "Aqua (Water)")),
    "labelstudio/text_and_image_tasks.json": ("labelstudio", 2, 0, 0, None),
    "labelstudio/text_with_2_tasks.json": ("labelstudio", 2, 0, 0, None),
}


def import_file(tmp_path: Path, name: str, fmt: str) -> tuple[int, Path]:
    project = tmp_path / "p.annot"
    assert main(["new", str(project), "--annotator", "reader"]) == 0
    return main(["import", str(project), str(HERE / name), "--format", fmt]), project


@pytest.mark.parametrize("name", list(EXPECTED))
def test_real_file_imports_what_it_holds(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         name: str) -> None:
    fmt, n_docs, n_spans, n_relations, sample = EXPECTED[name]
    code, project = import_file(tmp_path, name, fmt)
    assert code == 0, capsys.readouterr().err
    with Project.open(project, readonly=True) as p:
        docs = list(p.iter_corpus())
    assert len(docs) == n_docs
    assert sum(len(d.spans) for d in docs) == n_spans
    assert sum(len(d.relations) for d in docs) == n_relations
    covered = {(s.label, d.text[s.start:s.end]) for d in docs for s in d.spans}
    if sample is not None:
        assert sample in covered, sorted(covered)[:5]


def test_doccano_meta_and_texts(tmp_path: Path) -> None:
    code, project = import_file(tmp_path, "doccano/overlapping.jsonl", "doccano")
    assert code == 0
    with Project.open(project, readonly=True) as p:
        (doc,) = p.iter_corpus()
    assert doc.text == "exampleA" and doc.meta == {"wikiPageID": 1}


def test_label_studio_task_text_is_data_text(tmp_path: Path) -> None:
    code, project = import_file(tmp_path, "labelstudio/text_and_image_tasks.json",
                                "labelstudio")
    assert code == 0
    with Project.open(project, readonly=True) as p:
        texts = [d.text for d in p.iter_corpus()]
    assert texts[0].startswith("Calif. wildfires signal the arrival")
    assert not any(t.startswith("http") for t in texts)


def test_label_studio_image_task_is_refused(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.annot"
    assert main(["new", str(project)]) == 0
    before = (project.read_bytes(), project.stat().st_mtime_ns)
    capsys.readouterr()
    path = HERE / "labelstudio/image_only_tasks.json"
    assert main(["import", str(project), str(path), "--format", "labelstudio"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and f"{path}:2: task 1: no text" in err[0], err
    assert (project.read_bytes(), project.stat().st_mtime_ns) == before
