"""brat's own tutorial documents and DKPro's brat test files (tests/corpora/brat, see SOURCE.md)
imported and exported with the real command line.

The proof of faithfulness: the exported folder says the same things as the original, read by a
port of brat's own parser (``brat_reference``): the same multiset of annotations — entities,
events with their trigger and role-named arguments, relations (to events too), attributes,
notes and comments on any annotation, equivalences — whatever the ids and the line order; and
brat's configuration files come back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from brat_reference import annotations
from corpus_import import HERE, import_path

from annotator.cli import main

BRAT = HERE / "brat"
FOLDERS = ["news", "bio", "dkpro"]
CONF = ("annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf")


def export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    out = tmp_path / "out"
    assert main(["export", str(tmp_path / "p.annot"), "--format", "brat", "-o", str(out)]) == 0
    return out, capsys.readouterr().out


@pytest.mark.parametrize("folder", FOLDERS)
def test_brat_corpus_in_and_out_is_the_same_multiset_of_annotations_by_brats_parser(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], folder: str) -> None:
    got = import_path(tmp_path, BRAT / folder, capsys)
    assert got.code == 0, got.err
    out, said = export(tmp_path, capsys)
    assert "dropped" not in said, said
    originals = sorted((BRAT / folder).glob("*.ann"))
    assert sorted(p.name for p in out.glob("*.ann")) == [p.name for p in originals]
    for ann in originals:
        before, after = annotations(ann), annotations(out / ann.name)
        assert after == before, (ann.name, before - after, after - before)
        assert (out / ann.name).with_suffix(".txt").read_bytes() == \
            ann.with_suffix(".txt").read_bytes()
    for name in CONF:
        if (BRAT / folder / name).exists():  # kept and written back unchanged
            assert (out / name).read_bytes() == (BRAT / folder / name).read_bytes(), name


@pytest.mark.parametrize("folder", FOLDERS)
def test_a_second_round_trip_gives_the_same_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], folder: str) -> None:
    import_path(tmp_path, BRAT / folder, capsys)
    once, _ = export(tmp_path, capsys)
    (tmp_path / "b").mkdir()
    import_path(tmp_path / "b", once, capsys)
    twice, _ = export(tmp_path / "b", capsys)
    for path in sorted(once.iterdir()):
        assert (twice / path.name).read_bytes() == path.read_bytes(), path.name


def test_events_are_spans_over_their_trigger_with_role_relations(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got = import_path(tmp_path, BRAT / "news", capsys)
    doc = got.docs["090-event_structures"]
    keyed = {s.key: s for s in doc.spans}
    shown = {s.key: doc.text[s.start:s.end] for s in doc.spans}
    events = {s.attributes["brat_id"]: s for s in doc.spans if "brat_id" in s.attributes}
    # E2  Report:T5 Reporter-Arg:T4 Event-Arg:E1 ; E1  Merge-org:T3 Org-Arg:T1 Org-Arg2:T2
    e2 = events["E2"]
    assert (e2.label, shown[e2.key]) == ("Report", "reported")
    args = sorted((r.type, keyed[r.target].label, shown[r.target])
                  for r in doc.relations if r.source == e2.key)
    assert args == [("Event-Arg", "Merge-org", "merged"),
                    ("Reporter-Arg", "Organization", "Wikinews")]
    # a trigger nothing else names is not a span of its own: the event's span stands for it
    assert [s for s in doc.spans if s.fragments == e2.fragments] == [e2]


def test_attributes_and_notes_land_on_entities_events_and_relations(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got = import_path(tmp_path, BRAT / "news", capsys)
    attrs = got.docs["100-attribute_annotation"]
    flagged = sorted((attrs.text[s.start:s.end], s.label, s.attributes.get("Confidence"),
                      s.attributes.get("Individual")) for s in attrs.spans
                     if set(s.attributes) - {"brat_id"})
    assert flagged[:2] == [("Somebody", "Person", None, True),
                           ("merge", "Merge-org", "Low", None)]
    notes = got.docs["110-note_annotation"]
    noted = sorted((notes.text[s.start:s.end], s.note) for s in notes.spans if s.note)
    assert noted == [("Discworld", "Should fictional places be annotated?"),
                     ("merged", "Annotate as one merge event with three participants or two "
                                "events with two participants each?")]
    # the note on R1 has no place in the model: kept in the document's metadata, by id
    [relation_note] = notes.meta["brat"]["lines"]
    assert relation_note.startswith("#3\tAnnotatorNotes R1\t")
    [family] = [r for r in notes.relations if r.attributes.get("brat_id") == "R1"]
    assert family.type == "Family"


def test_what_is_kept_outside_the_model_is_said_by_kind(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got = import_path(tmp_path, BRAT / "news", capsys)
    [said] = [line for line in got.err if "kept" in line]
    assert "1 comment line(s), 1 equivalence line(s)" in said
    assert "written back on brat export" in said
