"""Adjudication decisions and the gold file they produce."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from review_data import T1, T2

from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.review.adjudicate import AGREED, Adjudication, Decision, write_gold
from annotator.review.sources import load_review


def test_items_and_decisions_are_recorded(pair: tuple[Path, Path], tmp_path: Path) -> None:
    review = load_review(pair)
    assert review.annotators == ("alice", "bob")
    assert review.only == [["a-only"], ["b-only-1", "b-only-2"]]
    adj = Adjudication(review)
    kinds = sorted(it.kind for it in adj.disagreements())
    assert kinds == ["attributes", "boundaries", "label", "only_a", "only_b"]
    assert adj.accept_agreed(by="carol") == 2
    items = {(adj.documents[it.doc].text, it.kind): it for it in adj.disagreements()}
    adj.decide(items[(T1, "boundaries")], Decision.ACCEPT_B, by="carol", at="2026-01-01T00:00:00Z")
    adj.decide(items[(T1, "only_a")], Decision.REJECT, by="carol")
    adj.decide(items[(T1, "only_b")], Decision.ACCEPT_BOTH, by="carol")
    label = items[(T2, "label")]
    edited = replace(label.a, label="evaluation")
    with pytest.raises(AnnotatorError):
        adj.decide(label, Decision.EDIT, by="carol")
    adj.decide(label, Decision.EDIT, by="carol", edited=edited)
    assert adj.undecided == 1  # the attributes disagreement
    gold = tmp_path / "gold.annot"
    write_gold(gold, adj.gold(), tagset=review.sides[0].tagset, annotator="carol")
    with pytest.raises(AnnotatorError):
        write_gold(gold, adj.gold(), tagset=review.sides[0].tagset, annotator="carol")
    with Project.open(gold, readonly=True) as p:
        docs = {d.text: d for d in p.iter_corpus()}
    d1 = docs[T1]
    got = sorted((d1.text[s.start:s.end], s.label, s.annotator) for s in d1.spans)
    assert got == [("Officials", "source", "alice+bob"), ("may fail", "hedge", "bob"),
                   ("said", "cue", "alice+bob"), ("the plan", "target", "bob")]
    log = d1.meta["adjudication"]
    boundaries = next(e for e in log if e["kind"] == "boundaries")
    assert boundaries == {"span": boundaries["span"], "kind": "boundaries", "layer": "hedging",
                          "a": "s3", "b": "s4", "decision": "accept_b", "by": "carol",
                          "at": "2026-01-01T00:00:00Z"}
    assert next(e for e in log if e["kind"] == "only_a")["span"] is None
    assert sum(1 for e in log if e["kind"] == AGREED) == 2
    assert d1.status == "done"
    d2 = docs[T2]
    assert [(s.label, s.annotator) for s in d2.spans] == [("evaluation", "carol")]
    assert d2.status == "in_progress"  # one item left undecided
    with Project.open(gold, readonly=True) as p:
        assert p.tagset.label("stance", "evaluation") is not None  # added to the gold tagset


def test_open_disagreements_are_summed_up_for_people(pair: tuple[Path, Path]) -> None:
    adj = Adjudication(load_review(pair))
    assert adj.open_summary() == ("5 (1 only in alice, 1 only in bob, 1 label, 1 boundaries, "
                                  "1 attributes) in 2 documents")
    adj.decide_all(Decision.REJECT, by="carol", kinds=["only_a", "only_b", "boundaries"])
    assert adj.open_summary() == "2 (1 label, 1 attributes) in 1 document"
    assert [it.kind for it in adj.open_disagreements()] == ["label", "attributes"]
    adj.decide_all(Decision.ACCEPT_A, by="carol")
    assert adj.open_summary() == "" and adj.open_disagreements() == []


def test_write_gold_replaces_only_when_asked_and_never_a_reviewed_or_open_file(
        pair: tuple[Path, Path], tmp_path: Path) -> None:
    review = load_review(pair)
    adj = Adjudication(review)
    adj.accept_agreed(by="carol")
    docs, tagset = adj.gold(), review.sides[0].tagset
    old = tmp_path / "old.annot"
    with Project.create(old, annotator="someone"):
        pass
    with pytest.raises(AnnotatorError, match="already exists"):
        write_gold(old, docs, tagset=tagset, annotator="carol")
    assert write_gold(old, docs, tagset=tagset, annotator="carol", replace=True) == 2
    with Project.open(old, readonly=True) as p:
        assert p.annotator == "carol" and len(p.documents()) == 2
    a = pair[0]
    before = a.read_bytes(), a.stat().st_mtime_ns
    with pytest.raises(AnnotatorError, match="files under review"):
        write_gold(a, docs, tagset=tagset, annotator="carol", replace=True, keep=pair)
    assert (a.read_bytes(), a.stat().st_mtime_ns) == before
    # open for writing elsewhere: not replaced under its feet
    with Project.open(old), pytest.raises(AnnotatorError, match="open in an Annotator window"):
        write_gold(old, docs, tagset=tagset, annotator="dave", replace=True)
    with Project.open(old, readonly=True) as p:
        assert p.annotator == "carol"
    assert sorted(x.name for x in tmp_path.iterdir() if x.name.startswith(".old")) == []
