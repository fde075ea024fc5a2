"""Adding several spans as one edit, and renaming labels (spans and tagset follow)."""

from pathlib import Path

import pytest

from annotator.core.annotations import Relabelled
from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.core.undo import AddRelation, AddSpans, History
from tests.conftest import MIXED_TEXT


def at(s: str) -> tuple[int, int]:
    i = MIXED_TEXT.index(s)
    return (i, i + len(s))


def test_add_spans_is_one_step_and_redo_keeps_keys(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        h = History(p)
        edit = h.do(AddSpans(doc, [("hedging", "booster", (at("👍🏽"),), {}),
                                   ("stance", "target", (at("قال"), at("جيدة")), {"x": "1"}),
                                   ("hedging", "hedge", (at("cafe\u0301"),), {})]))
        assert edit.text == "add 3 spans"
        pks = [s.pk for s in edit.spans]
        assert len(set(pks)) == 3 and len(p.spans(doc)) == 11
        disc = p.span(pks[1])
        assert disc.fragments == (at("قال"), at("جيدة")) and disc.attributes == {"x": "1"}
        assert MIXED_TEXT[slice(*p.span(pks[0]).fragments[0])] == "👍🏽"
        h.undo()
        assert len(p.spans(doc)) == 8
        h.redo()
        assert sorted(s.pk for s in p.spans(doc) if s.pk in pks) == sorted(pks)


def test_add_spans_all_or_none(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        with pytest.raises(AnnotatorError):
            p.add_spans(doc, [("hedging", "hedge", ((0, 4),), None),
                              ("hedging", "hedge", ((5, 10_000),), None)])
        assert len(p.spans(doc)) == 8


def test_delete_spans_drops_their_relations(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        a, b = p.add_spans(doc, [("hedging", "hedge", ((0, 9),), None),
                                 ("hedging", "scope", ((10, 14),), None)])
        History(p).do(AddRelation("scope_of", a.pk, b.pk))
        assert p.delete_spans([a.pk, b.pk]) == 2
        assert len(p.spans(doc)) == 8 and len(p.relations(doc)) == 2


def test_rename_label_moves_spans_and_keeps_the_label_definition(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        before = p.tagset.label("hedging", "hedge")
        assert before is not None
        assert p.rename_label("hedging", "hedge", "hedge_cue") == Relabelled(moved=2)
        assert {s.label for s in p.spans(doc) if s.layer == "hedging"} == {"hedge_cue"}
        renamed = p.tagset.label("hedging", "hedge_cue")
        assert renamed is not None and renamed.key == before.key
        assert p.tagset.label("hedging", "hedge") is None
        scope_of = p.tagset.relation_type("scope_of")
        assert scope_of is not None and scope_of.source == ["hedging:hedge_cue"]
    with Project.open(project_path, readonly=True) as p:
        assert p.rename_labels({}) == Relabelled()
        assert p.tagset.label("hedging", "hedge_cue") is not None


def test_rename_labels_swaps_at_once(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        p.rename_labels({("stance", "stance"): ("stance", "target"),
                         ("stance", "target"): ("stance", "stance")})
        by_label = {s.label: MIXED_TEXT[slice(*s.fragments[0])] for s in p.spans(doc)
                    if s.layer == "stance"}
        assert by_label == {"target": "قال المتحدث", "stance": "cafe\u0301"}


def test_rename_and_tagset_are_one_transaction(project_path: Path) -> None:
    import copy

    with Project.open(project_path) as p:
        bad = copy.deepcopy(p.tagset)
        bad.layers.append(copy.deepcopy(bad.layers[0]))  # a duplicate layer: the save fails
        with pytest.raises(AnnotatorError):
            p.rename_labels({("hedging", "hedge"): ("hedging", "cue_hedge")}, tagset=bad)
        labels = {s.label for s in p.spans(p.documents()[0].pk) if s.layer == "hedging"}
        assert labels == {"hedge"}  # the spans were not renamed either
        assert p.tagset.label("hedging", "hedge") is not None
