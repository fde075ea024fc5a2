"""Training in a child process: the same result as in this one, plain JSON both ways, and a
cancelled training ends its child."""

from __future__ import annotations

import pytest

from annotator.core.errors import Cancelled
from annotator.nlp.train_job import train_all, train_in_process
from annotator.nlp.training import TrainDoc

TEXT = "Officials said the deal may collapse."
DOCS = [TrainDoc(f"d{k}", TEXT, (("attribution", "cue", 10, 14), ("hedging", "hedge", 24, 27)))
        for k in range(10)]


def test_child_process_gives_what_this_process_gives() -> None:
    here = train_all(DOCS)
    there = train_in_process(DOCS)
    assert there.evaluation == here.evaluation
    assert there.curves == here.curves
    assert {k: m.to_bytes() for k, m in there.models.items()} == \
        {k: m.to_bytes() for k, m in here.models.items()}


def test_cancelled_training_raises_and_ends_the_child() -> None:
    with pytest.raises(Cancelled):
        train_in_process(DOCS * 20, cancelled=lambda: True)


def test_child_reads_the_project_file_itself(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from annotator.core.model import CorpusDocument, SpanRecord
    from annotator.core.project import Project
    from annotator.nlp.training import project_docs

    path = tmp_path / "news.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([CorpusDocument(
            name=d.name, text=f"{d.text} Item {k}.",  # texts differ: none is a duplicate
            spans=[SpanRecord(f"s{i}", lay, lab, ((s, e),))
                   for i, (lay, lab, s, e) in enumerate(d.spans)])
            for k, d in enumerate(DOCS)])
    with Project.open(path) as p:  # open for writing, as the window has it meanwhile
        docs = project_docs(p)
        there = train_in_process(project=str(path))
    here = train_all(docs)
    assert there.evaluation == here.evaluation and there.training_size == len(DOCS)
    assert {k: m.to_bytes() for k, m in there.models.items()} == \
        {k: m.to_bytes() for k, m in here.models.items()}


def test_child_names_a_project_it_cannot_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from annotator.nlp.train_job import TrainingFailed

    bad = tmp_path / "notes.annot"
    bad.write_text("not a project", encoding="utf-8")
    with pytest.raises(TrainingFailed) as caught:
        train_in_process(project=str(bad))
    assert "notes.annot" in str(caught.value) and "\n" not in str(caught.value)


def test_input_larger_than_a_pipe_reaches_the_child() -> None:
    """Several megabytes of documents, more than the pipe holds while the child is still
    starting: the rest is sent on later calls (it once stopped, and both processes waited)."""
    long = " ".join([TEXT] * 40)
    docs = [TrainDoc(f"d{k}", long, DOCS[0].spans) for k in range(400)]
    there = train_in_process(docs, sizes=(10,))
    assert there.training_size == 400
