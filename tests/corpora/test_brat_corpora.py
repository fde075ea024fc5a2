"""brat's own tutorial documents (tests/corpora/brat, see SOURCE.md) imported with the real
command line: every text-bound annotation comes in at the offsets brat gave it (its covered
text equals the text the .ann line shows), every relation comes in, and what Annotator does
not model (events, equivalences, attributes and notes on events or relations) is named in a
warning, never dropped silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_import import HERE, import_path

BRAT = HERE / "brat"

# document -> (spans, relations, what the warning for its .ann must say; None = no warning)
EXPECTED = {
    "040-text_span_annotation": (4, 0, None),
    "060-relation_annotation": (10, 1, ["1 equivalence"]),
    "080-event-annotation": (21, 0, ["4 event"]),
    "090-event_structures": (22, 0, ["6 event"]),
    "100-attribute_annotation": (26, 0, ["10 event", "5 attribute(s) on event"]),
    "110-note_annotation": (14, 2, ["2 event", "1 note(s) on event", "1 note(s) on relations"]),
    "070-relation_annotation": (10, 1, ["1 equivalence"]),
    "090-event-annotation": (20, 0, ["4 event"]),
}


def ann_lines(folder: Path, name: str, kind: str) -> list[list[str]]:
    """The tab-separated fields of the ``kind`` lines of ``name``.ann (T, R, A, #, E, *)."""
    path = next(folder.rglob(f"{name}.ann"))
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith(kind)]


@pytest.mark.parametrize("folder", ["news", "bio"])
def test_brat_tutorials_import_with_every_span_at_its_offsets(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], folder: str) -> None:
    got = import_path(tmp_path, BRAT / folder, capsys)
    assert got.code == 0, got.err
    names = sorted(p.stem for p in (BRAT / folder).glob("*.txt"))
    assert sorted(got.docs) == names
    for name in names:
        doc = got.docs[name]
        spans, relations, warned = EXPECTED[name]
        assert doc.text == (BRAT / folder / f"{name}.txt").read_text(encoding="utf-8")
        t_lines = ann_lines(BRAT / folder, name, "T")
        assert len(doc.spans) == len(t_lines) == spans
        assert len(doc.relations) == len(ann_lines(BRAT / folder, name, "R")) == relations
        # every span covers exactly the text brat shows on its line, with the type as label
        shown = sorted((fields[1].split(" ")[0], fields[2]) for fields in t_lines)
        assert sorted((s.label, doc.text[s.start:s.end]) for s in doc.spans) == shown
        warnings = [w for w in got.err if f"{name}.ann:" in w]
        if warned is None:
            assert warnings == []
        else:
            assert len(warnings) == 1 and "does not model" in warnings[0], warnings
            for words in warned:
                assert words in warnings[0], warnings[0]


def test_brat_relations_attributes_and_notes_land_on_the_right_spans(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    got = import_path(tmp_path, BRAT / "news", capsys)
    rel_doc = got.docs["060-relation_annotation"]
    by_key = {s.key: s for s in rel_doc.spans}
    [located] = rel_doc.relations
    assert located.type == "Located"
    src, tgt = by_key[located.source], by_key[located.target]
    assert (rel_doc.text[src.start:src.end], rel_doc.text[tgt.start:tgt.end]) == \
        ("Terry Pratchett", "England")

    notes = got.docs["110-note_annotation"]
    noted = {notes.text[s.start:s.end]: s.note for s in notes.spans if s.note}
    assert noted == {"Discworld": "Should fictional places be annotated?"}
    keyed = {s.key: s for s in notes.spans}
    family = {(notes.text[keyed[r.source].start:keyed[r.source].end],
               notes.text[keyed[r.target].start:keyed[r.target].end]) for r in notes.relations}
    assert family == {("Orville Wright", "Wilbur Wright")}

    attrs = got.docs["100-attribute_annotation"]
    flagged = [(attrs.text[s.start:s.end], s.attributes) for s in attrs.spans if s.attributes]
    assert flagged == [("Somebody", {"Individual": True})]  # A4 Individual T1


def test_brat_tutorial_survives_export_and_reimport(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What came in goes out as brat and comes back the same (spans, labels, relations)."""
    from annotator.cli import main

    first = import_path(tmp_path, BRAT / "news", capsys)
    out = tmp_path / "out"
    assert main(["export", str(tmp_path / "p.annot"), "--format", "brat", "-o", str(out)]) == 0
    (tmp_path / "again").mkdir()
    again = import_path(tmp_path / "again", out, capsys)
    assert again.code == 0, again.err
    for name, doc in first.docs.items():
        back = again.docs[name]
        assert back.text == doc.text
        assert sorted((s.fragments, s.label, s.note, sorted(s.attributes.items()))
                      for s in back.spans) == \
            sorted((s.fragments, s.label, s.note, sorted(s.attributes.items()))
                   for s in doc.spans)
        assert len(back.relations) == len(doc.relations)
