"""No edit makes an exact duplicate of a span (same annotator, layer, label and fragments):
single edits are refused, ``add_spans`` leaves such spans out, a rename merges the spans it
makes identical; undo and redo stay consistent."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from annotator.core.annotations import Relabelled
from annotator.core.errors import IdenticalSpanError
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project
from annotator.core.undo import AddSpan, AddSpans, DeleteSpan, History, UpdateSpan
from tests.conftest import MIXED_TEXT


def at(s: str) -> tuple[int, int]:
    i = MIXED_TEXT.index(s)
    return (i, i + len(s))


def written(path: Path) -> tuple[str, ...]:
    """The bytes of the project file and its write-ahead log: what a commit would change."""
    return tuple(hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else "-"
                 for f in (path, path.with_name(path.name + "-wal")))


def test_an_identical_span_is_refused_naming_the_document_and_the_span(
        project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        hedge = next(s for s in p.spans(doc) if s.label == "hedge")
        stance = next(s for s in p.spans(doc) if s.label == "stance")  # discontinuous
        with pytest.raises(IdenticalSpanError):  # the first try at a write: the file into WAL
            p.add_span(doc, "stance", "stance", stance.fragments)
        before = written(project_path)
        with pytest.raises(IdenticalSpanError) as err:
            p.add_span(doc, "hedging", "hedge", hedge.fragments, note="again")
        assert err.value.existing == hedge.pk
        assert str(err.value).startswith(f"{project_path}: document 'mixed': span {hedge.pk} ")
        assert "hedging:hedge" in str(err.value) and "nothing was changed" in str(err.value)
        with pytest.raises(IdenticalSpanError):
            p.add_span(doc, "stance", "stance", stance.fragments)
        assert written(project_path) == before and len(p.spans(doc)) == 8
        # what differs is not a copy: another label, layer, fragments, or annotator
        p.add_span(doc, "hedging", "booster", hedge.fragments)
        p.add_span(doc, "rhetoric", "hedge", hedge.fragments)
        p.add_span(doc, "stance", "stance", ((stance.start, stance.end),))  # one fragment
        p.add_span(doc, "hedging", "hedge", hedge.fragments, annotator="bob")
        assert len(p.spans(doc)) == 12


def test_an_update_that_would_copy_a_span_is_refused_and_changes_nothing(
        project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        hedge = next(s for s in p.spans(doc) if s.label == "hedge")
        other = p.add_span(doc, "hedging", "booster", hedge.fragments)
        moved = p.add_span(doc, "hedging", "hedge", ((0, 4),))
        elsewhere = p.add_span(doc, "rhetoric", "hedge", hedge.fragments)
        before = written(project_path)
        for change in ({"label": "hedge"}, {"layer": "hedging", "label": "hedge"}):
            with pytest.raises(IdenticalSpanError, match=f"span {hedge.pk} is already"):
                p.update_span(other.pk if "layer" not in change else elsewhere.pk, **change)
        with pytest.raises(IdenticalSpanError, match=f"span {hedge.pk} is already"):
            p.update_span(moved.pk, fragments=hedge.fragments)
        with pytest.raises(IdenticalSpanError):  # through the undo history: nothing recorded
            History(p).do(UpdateSpan(other.pk, label="hedge"))
        assert written(project_path) == before
        assert p.span(other.pk).label == "booster" and p.span(moved.pk).fragments == ((0, 4),)
        # changes that keep the span distinct, or that do not touch what makes it, go through
        p.update_span(hedge.pk, note="checked", attributes={"certainty": "low"})
        p.update_span(hedge.pk, fragments=hedge.fragments, label="hedge")
        p.update_span(moved.pk, fragments=((0, 5),))


def legacy_project(tmp_path: Path) -> Path:
    """A project holding two identical spans, as an import (which does not apply the rule)
    or an older version could leave it."""
    path = tmp_path / "legacy.annot"
    spans = [SpanRecord("s1", "hedging", "hedge", ((0, 9),)),
             SpanRecord("s2", "hedging", "hedge", ((0, 9),), note="copy")]
    with Project.create(path, annotator="alice") as p:
        p.import_documents([CorpusDocument(name="d", title="d", text=MIXED_TEXT, spans=spans)])
    return path


def test_undo_puts_back_an_identical_pair_that_was_there_but_no_new_copy(
        tmp_path: Path) -> None:
    with Project.open(legacy_project(tmp_path)) as p:
        doc = p.documents()[0].pk
        a, b = p.spans(doc)
        with pytest.raises(IdenticalSpanError):  # no third copy
            p.add_span(doc, "hedging", "hedge", ((0, 9),))
        h = History(p)
        h.do(UpdateSpan(b.pk, label="booster"))
        h.do(DeleteSpan(a.pk))
        h.undo()
        h.undo()  # both undone: the pair is back as it was
        assert [(s.pk, s.label, s.note) for s in p.spans(doc)] == [(a.pk, "hedge", ""),
                                                                   (b.pk, "hedge", "copy")]
        h.redo()
        h.redo()
        assert [(s.pk, s.label) for s in p.spans(doc)] == [(b.pk, "booster")]
        p.update_span(b.pk, note="still editable")  # not its layer/label/fragments: no check


def test_a_refused_undo_leaves_the_history_as_it_was(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        h = History(p)
        add = h.do(AddSpan(doc, "hedging", "booster", ((0, 9),)))
        assert add.span is not None
        h.do(AddSpan(doc, "hedging", "booster", ((10, 14),)))  # keys are not reused below
        h.do(DeleteSpan(add.span.pk))
        again = p.add_span(doc, "hedging", "booster", ((0, 9),))  # outside the history
        assert again.pk != add.span.pk
        with pytest.raises(IdenticalSpanError, match=f"span {again.pk} is already"):
            h.undo()  # restoring the deleted span would copy the new one
        assert add.span.pk not in {s.pk for s in p.spans(doc)}
        p.delete_span(again.pk)
        assert isinstance(h.undo(), DeleteSpan)  # the same step, retried, now goes through
        assert p.span(add.span.pk).label == "booster"
        assert isinstance(h.undo(), AddSpan) and isinstance(h.undo(), AddSpan)
        assert len(p.spans(doc)) == 8


def test_add_spans_leaves_out_copies_and_says_how_many(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        hedge = next(s for s in p.spans(doc) if s.label == "hedge")
        h = History(p)
        edit = h.do(AddSpans(doc, [("hedging", "booster", ((0, 9),), {}),
                                   ("hedging", "hedge", hedge.fragments, {}),  # already there
                                   ("hedging", "booster", ((0, 9),), {"x": 1}),  # twice
                                   ("hedging", "booster", ((10, 14),), {})]))
        assert isinstance(edit, AddSpans)
        assert edit.skipped == 2 and edit.text == "add 2 spans"
        assert [(s.fragments, s.attributes) for s in edit.spans] == [(((0, 9),), {}),
                                                                      (((10, 14),), {})]
        pks = [s.pk for s in edit.spans]
        assert len(p.spans(doc)) == 10 and p.span(hedge.pk) == hedge
        h.undo()
        assert len(p.spans(doc)) == 8 and p.span(hedge.pk) == hedge
        h.redo()
        assert sorted(s.pk for s in p.spans(doc) if s.label == "booster") == sorted(pks)
        assert p.add_spans(doc, [("hedging", "booster", ((0, 9),), None)]) == []  # no error


def related_project(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """``cue`` and ``hedge`` spans over the same words, one with attributes and relations."""
    path = tmp_path / "rename.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents([CorpusDocument(name="d", title="d", text=MIXED_TEXT)])
        doc = p.documents()[0].pk
        keys = {
            "hedge": p.add_span(doc, "hedging", "hedge", (at("seem"),), note="kept").pk,
            "cue": p.add_span(doc, "hedging", "cue", (at("seem"),),
                              attributes={"certainty": "low"}, note="moved").pk,
            "bob": p.add_span(doc, "hedging", "cue", (at("seem"),), annotator="bob").pk,
            "lone": p.add_span(doc, "hedging", "cue", (at("said"),)).pk,
            "scope": p.add_span(doc, "hedging", "scope", (at("unconvinced"),)).pk,
        }
        p.add_relation("scope_of", keys["cue"], keys["scope"])
        p.add_relation("scope_of", keys["hedge"], keys["scope"])
        p.add_relation("same_as", keys["cue"], keys["hedge"])
    return path, keys


def test_a_rename_merges_the_spans_it_makes_identical(tmp_path: Path) -> None:
    path, k = related_project(tmp_path)
    with Project.open(path) as p:
        doc = p.documents()[0].pk
        done = p.rename_labels({("hedging", "cue"): ("hedging", "hedge")})
        assert done == Relabelled(moved=3, merged=1)
        spans = {s.pk: s for s in p.spans(doc)}
        assert set(spans) == {k["cue"], k["bob"], k["lone"], k["scope"]}  # bob's is his own
        kept = spans[k["cue"]]  # the one with relations and attributes
        assert (kept.label, kept.attributes, kept.note) == ("hedge", {"certainty": "low"},
                                                            "moved\nkept")
        # the two scope_of relations are now one; the one between the pair is gone
        assert [(r.type, r.source, r.target) for r in p.relations(doc)] == [
            ("scope_of", k["cue"], k["scope"])]
        assert p.check() == []


def test_a_rename_that_would_lose_an_attribute_value_is_refused(tmp_path: Path) -> None:
    path, k = related_project(tmp_path)
    with Project.open(path) as p:
        doc = p.documents()[0].pk
        p.update_span(k["hedge"], attributes={"certainty": "high"})
        before = [(s.pk, s.label, s.attributes) for s in p.spans(doc)]
        with pytest.raises(IdenticalSpanError, match="attribute 'certainty' differs"):
            p.rename_label("hedging", "cue", "hedge")
        assert [(s.pk, s.label, s.attributes) for s in p.spans(doc)] == before
        assert len(p.relations(doc)) == 3 and p.tagset.label("hedging", "cue") is not None


def test_an_import_stores_exact_copies_once_and_relations_follow(tmp_path: Path) -> None:
    """An input file holding the same span twice (a tool's export, a merge of coders' files)
    used to store both silently; now one is stored, said so, and relations follow it."""
    import json
    import subprocess
    import sys

    text = "Officials said the plan may fail."
    line = {"id": "d", "text": text, "spans": [
        {"id": "a", "start": 24, "end": 27, "layer": "hedging", "label": "hedge", "text": "may"},
        {"id": "b", "start": 24, "end": 27, "layer": "hedging", "label": "hedge", "text": "may"},
        {"id": "c", "start": 24, "end": 27, "layer": "hedging", "label": "hedge", "text": "may",
         "attributes": {"certainty": "possible"}},  # not a copy: it says more
        {"id": "s", "start": 0, "end": 9, "layer": "attribution", "label": "source",
         "text": "Officials"}],
        "relations": [{"id": "r1", "type": "related", "from": "b", "to": "s"}]}
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(line) + "\n", encoding="utf-8")
    project = tmp_path / "p.annot"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True,
                              text=True)

    assert cli("new", str(project)).returncode == 0
    done = cli("import", str(project), str(src))
    assert done.returncode == 0, done.stderr
    assert "1 exact copies of a span" in done.stderr
    assert "3 span(s), 1 relation(s)" in done.stdout
    with Project.open(project, readonly=True) as p:
        [doc] = list(p.iter_corpus())
    hedges = [s for s in doc.spans if s.label == "hedge"]
    assert sorted(s.attributes.get("certainty", "") for s in hedges) == ["", "possible"]
    [rel] = doc.relations
    kept = next(s for s in hedges if not s.attributes)
    assert rel.source == kept.key
