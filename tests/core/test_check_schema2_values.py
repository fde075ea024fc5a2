"""`check` judges what schema 2 added: document-level labels against the tagset's
document-level layers, and the values of an accepted suggestion's provenance (crafted files)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import CorpusDocument
from annotator.core.project import Project


def made(tmp_path: Path) -> Path:
    path = tmp_path / "p.annot"
    with Project.create(path, annotator="ann") as p:
        p.import_documents([CorpusDocument(name="d1", text="Officials said it may fail.")])
        doc = p.documents()[0].pk
        p.add_doc_annotation(doc, "article_stance", "against")
        span = p.add_span(doc, "hedging", "hedge", ((19, 22),))
        p.set_span_origin(span.pk, {"recommender": "learned", "model_version": "3",
                                    "training_size": 12, "score": 0.8})
    return path


def check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["check", str(path)])
    out, err = capsys.readouterr()
    return code, out + err


def tamper(path: Path, sql: str, *args: object) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(sql, args)
    conn.close()


def test_a_sound_project_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, said = check(made(tmp_path), capsys)
    assert code == 0, said


@pytest.mark.parametrize(("sql", "args", "expected"), [
    ("UPDATE doc_annotation SET layer = ?", ("attribution",),
     "layer 'attribution' is not a document-level layer"),
    ("UPDATE doc_annotation SET layer = ?", ("no_such_layer",),
     "layer 'no_such_layer' is not a document-level layer"),
    ("UPDATE doc_annotation SET label = ?", ("maybe",), "label article_stance:maybe is not in"),
    ("UPDATE span_origin SET origin = ?", (json.dumps({"score": 7}),), "origin score 7"),
    ("UPDATE span_origin SET origin = ?", ('{"score": NaN}',), "holds NaN"),
    ("UPDATE span_origin SET origin = ?", (json.dumps({"training_size": -1}),),
     "training_size -1 is not a count"),
    ("UPDATE span_origin SET origin = ?", (json.dumps({"recommender": 5}),),
     "origin recommender is"),
])
def test_each_crafted_value_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        sql: str, args: tuple[object, ...], expected: str) -> None:
    path = made(tmp_path)
    tamper(path, sql, *args)
    before = path.read_bytes()
    code, said = check(path, capsys)
    assert code == 1
    assert expected in said, said
    assert path.read_bytes() == before  # check writes nothing
