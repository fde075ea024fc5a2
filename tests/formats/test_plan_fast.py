"""An exporter's plan (Corpus.plan) skips sorting a document whose every span already has a
representative: the plan is the same as the one that sorts every document, on random corpora
with repeated and new idents, filters, relations and damaged rows."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from annotator.core import corpus_read
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.project import Project

LABELS = [("hedging", "hedge"), ("hedging", "booster"), ("attribution", "source"),
          ("attribution", "content"), ("stance", "stance")]


def corpus(rng: random.Random, n: int) -> list[CorpusDocument]:
    docs = []
    for d in range(n):
        text = " ".join(rng.choice(["may", "said", "the", "plan", "critics"]) for _ in range(40))
        spans = []
        for k in range(rng.randrange(0, 12)):
            start = rng.randrange(0, len(text) - 10)
            layer, label = rng.choice(LABELS)
            frags = ((start, start + 3),) if rng.random() < 0.85 else (
                (start, start + 2), (start + 4, start + 6))
            attrs = rng.choice([{}, {"certainty": "possible"}, {"certainty": "unknown"},
                                {"source_type": "person"}])
            spans.append(SpanRecord(f"s{k}", layer, label, frags, attrs))
        rels = [RelationRecord(f"r{j}", "attributed_to", a.key, b.key)
                for j, (a, b) in enumerate(zip(spans[::2], spans[1::2], strict=False))
                if rng.random() < 0.5]
        docs.append(CorpusDocument(name=f"d{d}", text=f"{text} {d}", spans=spans,
                                   relations=rels))
    return docs


def plans(path: Path, monkeypatch: pytest.MonkeyPatch, **kw: object) -> tuple[str, str]:
    with Project.open(path, readonly=True) as p:
        fast = repr(corpus_read.iter_corpus(p, **kw).plan())  # type: ignore[arg-type]
        with monkeypatch.context() as m:
            m.setattr(corpus_read.Corpus, "_all_seen", lambda self, rows, key, rep: False)
            sorted_every = repr(corpus_read.iter_corpus(p, **kw).plan())  # type: ignore[arg-type]
    return fast, sorted_every


@pytest.mark.parametrize("seed", range(6))
def test_the_plan_is_the_one_that_sorts_every_document(tmp_path: Path, seed: int,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    path = tmp_path / "p.annot"
    with Project.create(path, annotator="me") as p:
        p.import_documents(corpus(rng, 40))
    if seed % 2:  # damaged rows: a start that is text, attributes that are not JSON
        conn = sqlite3.connect(path)
        ids = [r[0] for r in conn.execute("SELECT id FROM span")]
        for pk in rng.sample(ids, 4):
            conn.execute("UPDATE span SET start = 'x' WHERE id = ?", (pk,))
        for pk in rng.sample(ids, 4):
            conn.execute("UPDATE span SET attributes = '{oops' WHERE id = ?", (pk,))
        conn.commit()
        conn.close()
    for kw in ({}, {"layers": ["hedging"]}, {"labels": ["attribution:source", "stance"]}):
        fast, sorted_every = plans(path, monkeypatch, **kw)
        assert fast == sorted_every, kw
        assert "SpanRecord" in fast
