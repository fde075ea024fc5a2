"""A study from start to gold, as a supervisor and three coders run it: distribute → three
coders edit (core API) → collect → agree → merge into gold.

``agree`` and ``merge`` run on the coders' files here (what they take today); the study made
by ``collect`` holds the same spans under each coder's name, which the test checks span by
span, so that ``agree STUDY`` (comparing the annotators inside one project) has the same input.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import CorpusDocument
from annotator.core.project import Project

ARTICLES = [
    "The minister said the reform would probably reduce costs, critics claimed.",
    "Analysts suggest the merger may not be approved, according to officials.",
    "Residents said the new bridge seems unsafe; the council denied it.",
    "Experts warned that prices could rise further, the report claimed.",
]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _at(text: str, word: str) -> tuple[tuple[int, int]]:
    i = text.index(word)
    return ((i, i + len(word)),)


def test_distribute_code_collect_agree_merge(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    master = tmp_path / "master.annot"
    with Project.create(master, annotator="lead") as p:
        p.import_documents([CorpusDocument(name=f"art{i}", text=t)
                            for i, t in enumerate(ARTICLES, 1)])
    coders_dir = tmp_path / "coders"
    code, out, err = _run(capsys, "distribute", str(master), "-o", str(coders_dir),
                          "--annotators", "alice,bob,carol", "--seed", "1")
    assert code == 0, err

    # each coder codes blind in their own file: alice and bob agree on the hedges, carol
    # marks one differently and misses one; everyone marks the first word as a source
    for coder in ("alice", "bob", "carol"):
        with Project.open(coders_dir / f"{coder}.annot") as p:
            for d in p.documents():
                text = p.text(d.pk)
                hedge = next(w for w in ("probably", "may", "seems", "could") if w in text)
                if coder == "carol" and hedge == "seems":
                    continue
                src = p.add_span(d.pk, "attribution", "source", _at(text, text.split()[1]))
                word = "not" if coder == "carol" and hedge == "may" else hedge
                h = p.add_span(d.pk, "hedging", "hedge", _at(text, word))
                p.add_relation("attributed_to", h.pk, src.pk)
                p.set_status(d.pk, "done")

    study = tmp_path / "study.annot"
    code, out, err = _run(capsys, "collect", str(coders_dir), "-o", str(study), "--json")
    assert code == 0, err
    report = json.loads(out)["annotators"]
    assert {w: (r["coded"], r["missing"]) for w, r in report.items()} == {
        "alice": (4, []), "bob": (4, []), "carol": (3, ["art3"])}  # carol skipped art3

    # the study holds exactly each coder's spans, under their names, on shared documents
    with Project.open(study, readonly=True) as s:
        in_study = {(s.document(d.pk).name, sp.annotator, sp.layer, sp.label, sp.fragments)
                    for d in s.documents() for sp in s.spans(d.pk)}
        assert len(s.documents()) == 4
        assert sum(len(s.relations(d.pk)) for d in s.documents()) == 11
    in_files = set()
    for coder in ("alice", "bob", "carol"):
        with Project.open(coders_dir / f"{coder}.annot", readonly=True) as p:
            in_files |= {(d.name, sp.annotator, sp.layer, sp.label, sp.fragments)
                         for d in p.documents() for sp in p.spans(d.pk)}
    assert in_study == in_files

    # agreement between the three coders
    code, out, err = _run(capsys, "agree", *(str(coders_dir / f"{c}.annot")
                                             for c in ("alice", "bob", "carol")), "--json")
    assert code == 0, err
    agreement = json.loads(out)
    assert agreement["documents"]["matched"] == 4
    pairs = {(x["a"], x["b"]): x["layers"]["hedging"]["f1_exact"] for x in agreement["pairs"]}
    assert pairs[("alice", "bob")] == 1.0
    # carol marked one hedge elsewhere and missed one: 2 of her 3 agree with 4 of theirs
    assert pairs[("alice", "carol")] == pairs[("bob", "carol")] == pytest.approx(4 / 7)

    # the curator merges two coders into gold: where alice and bob agree it is kept
    gold = tmp_path / "gold.annot"
    code, out, err = _run(capsys, "merge", str(coders_dir / "alice.annot"),
                          str(coders_dir / "bob.annot"), "-o", str(gold), "--prefer", "agreed")
    assert code == 0, err
    with Project.open(gold, readonly=True) as g:
        hedges = sorted(g.text(d.pk)[sp.start:sp.end] for d in g.documents()
                        for sp in g.spans(d.pk) if sp.layer == "hedging")
    assert hedges == ["could", "may", "probably", "seems"]
