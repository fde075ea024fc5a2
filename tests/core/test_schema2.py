"""Schema 2: document-level annotations, suggestion provenance and rejections, stored models,
assignments and guidelines; and the upgrade of a real schema-1 file (made by the previous
release, kept in tests/data/projects/schema1.annot)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import AnnotatorError, BadInputError, DamagedProjectError
from annotator.core.model import CorpusDocument, DocAnnotationRecord, SpanRecord
from annotator.core.project import Project
from annotator.core.storage import schema

SCHEMA1 = Path(__file__).parent.parent / "data" / "projects" / "schema1.annot"


def columns(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(r[1] for r in conn.execute(f'PRAGMA table_info("{t}")'))
                for t in tables}
    finally:
        conn.close()


def test_a_schema1_file_is_upgraded_keeping_everything(tmp_path: Path) -> None:
    old = tmp_path / "old.annot"
    shutil.copy(SCHEMA1, old)
    with Project.open(old, readonly=True) as p:  # a reader sees an upgraded private copy
        assert p.upgraded_from == 1
        assert [d.name for d in p.documents()] == ["doc-1"]
    assert old.read_bytes() == SCHEMA1.read_bytes()  # reading changed nothing
    with Project.open(old) as p:
        assert p.upgraded_from == 1 and p.upgrade_backup is not None
        doc = p.documents()[0]
        assert [(s.layer, s.label) for s in p.spans(doc.pk)] == [
            ("attribution", "source"), ("attribution", "cue"), ("attribution", "content"),
            ("hedging", "hedge")]
        assert len(p.relations(doc.pk)) == 1
        assert all(lay.scope == "span" for lay in p.tagset.layers)
        assert p.doc_annotations(doc.pk) == [] and p.check() == []
        # the new tables work at once
        p.add_doc_annotation(doc.pk, "article_stance", "against")
    kept = sqlite3.connect(p.upgrade_backup)  # the backup is the schema-1 file
    assert kept.execute("PRAGMA user_version").fetchone()[0] == 1
    assert kept.execute("SELECT count(*) FROM span").fetchone()[0] == 4
    kept.close()
    new = tmp_path / "new.annot"
    Project.create(new).close()
    assert columns(old) == columns(new)  # an upgraded file has the schema of a new one
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 2
    conn.close()


def test_doc_annotations_are_edited_and_undone(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot", annotator="ann") as p:
        p.import_documents([CorpusDocument(name="a", text="The council must go.")])
        doc = p.documents()[0].pk
        made = p.add_doc_annotation(doc, "article_stance", "against",
                                    attributes={"target": "the council"})
        assert made.annotator == "ann" and made.attributes == {"target": "the council"}
        before, after = p.update_doc_annotation(made.pk, label="favour")
        assert (before.label, after.label) == ("against", "favour")
        gone = p.delete_doc_annotation(made.pk)
        assert p.doc_annotations(doc) == []
        p.restore_doc_annotation(gone)
        assert p.doc_annotations(doc) == [gone]
        # a new label goes into the (document-level) layer; a new layer is document-level
        p.add_doc_annotation(doc, "outlet", "Daily Planet")
        assert p.tagset.layer("outlet").document_level
        with pytest.raises(AnnotatorError, match="labels whole documents, not passages"):
            p.add_span(doc, "genre", "news", ((0, 3),))
        with pytest.raises(AnnotatorError, match="labels passages, not whole documents"):
            p.add_doc_annotation(doc, "hedging", "hedge")
        with pytest.raises(AnnotatorError, match="no document 99"):
            p.add_doc_annotation(99, "genre", "news")
        assert p.check() == []


def test_jsonl_doc_annotations_round_trip_byte_identical(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({
        "id": "a1", "text": "The council will, it seems, approve it.",
        "spans": [{"start": 18, "end": 26, "layer": "hedging", "label": "hedge"}],
        "doc_annotations": [{"layer": "article_stance", "label": "against",
                             "attributes": {"target": "the council"}, "annotator": "bob"},
                            {"layer": "genre", "label": "opinion"}]}) + "\n",
        encoding="utf-8")
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj), "--annotator", "ann"]) == 0
    assert main(["import", str(proj), str(src)]) == 0
    assert "2 document annotation(s)" in capsys.readouterr().out
    one, two = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    assert main(["export", str(proj), "--format", "jsonl", "-o", str(one)]) == 0
    line = json.loads(one.read_text(encoding="utf-8"))
    assert list(line)[-1] == "doc_annotations"
    assert line["doc_annotations"] == [
        {"layer": "article_stance", "label": "against", "attributes": {"target": "the council"},
         "annotator": "bob"},
        {"layer": "genre", "label": "opinion", "attributes": {}, "annotator": "ann"}]
    proj2 = tmp_path / "q.annot"
    assert main(["new", str(proj2)]) == 0
    assert main(["import", str(proj2), str(one)]) == 0
    assert main(["export", str(proj2), "--format", "jsonl", "-o", str(two)]) == 0
    assert one.read_bytes() == two.read_bytes()


def test_a_span_in_a_document_level_layer_is_refused_on_import(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as p:
        doc = CorpusDocument(name="a", text="Hello there.",
                             spans=[SpanRecord("s1", "genre", "news", ((0, 5),))])
        with pytest.raises(BadInputError, match="span 's1': layer 'genre' labels whole"):
            p.import_documents([doc])
        doc = CorpusDocument(name="b", text="Hello again.",
                             doc_annotations=[DocAnnotationRecord("hedging", "hedge")])
        with pytest.raises(BadInputError, match="layer 'hedging' labels passages"):
            p.import_documents([doc])
        assert p.documents() == [] and p.tagset.layer("genre").labels[0].name == "news"
        assert p.check() == []


def test_provenance_rejections_and_models_are_kept(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot", annotator="ann") as p:
        p.import_documents([CorpusDocument(name="a", text="It seems likely, they said.")])
        doc = p.documents()[0].pk
        span = p.add_span(doc, "hedging", "hedge", ((0, 8),))
        origin = {"recommender": "learned", "model_version": 3, "training_size": 40,
                  "score": 0.91}
        p.set_span_origin(span.pk, origin)
        assert p.span_origins(doc) == {span.pk: origin}
        p.reject_suggestion(doc, "attribution", "cue", 22, 26)
        [rej] = p.rejected_suggestions(doc)
        assert (rej.layer, rej.label, rej.start, rej.end, rej.annotator) == (
            "attribution", "cue", 22, 26, "ann")
        assert p.save_model("learned", "hedging", b"\x00crf", {"f1": 0.5}) == 1
        assert p.save_model("learned", "hedging", b"\x01crf", {"f1": 0.6}) == 2
        stored = p.model("learned", "hedging")
        assert stored is not None and (stored.data, stored.version, stored.meta) == (
            b"\x01crf", 2, {"f1": 0.6})
        assert p.model("learned", "stance") is None
        p.delete_span(span.pk)  # its provenance goes with it
        assert p.span_origins(doc) == {}
        assert p.check() == []


def test_assignments_and_guidelines(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.annot") as p:
        p.import_documents([CorpusDocument(name=n, text=f"Text {n}.") for n in "abc"])
        a, b, _ = (d.pk for d in p.documents())
        assert p.assign([a, b], "alice") == 2
        assert p.assign([a], "alice") == 0  # already assigned
        assert p.assign([b], "bob") == 1
        assert p.set_assignment_status(b, "bob", "done") == "new"
        assert [(x.document, x.annotator, x.status) for x in p.assignments()] == [
            (a, "alice", "new"), (b, "alice", "new"), (b, "bob", "done")]
        with pytest.raises(AnnotatorError, match="not assigned"):
            p.set_assignment_status(a, "bob", "done")
        with pytest.raises(AnnotatorError, match="no document 42"):
            p.assign([42], "bob")
        p.set_guidelines("Mark every hedge.\n")
    with Project.open(tmp_path / "p.annot", readonly=True) as p:
        assert p.guidelines == "Mark every hedge.\n"
        assert len(p.assignments(annotator="alice")) == 2


@pytest.mark.parametrize(("sql", "found"), [
    ("UPDATE doc_annotation SET attributes = '[1]'", "not a JSON object"),
    ("UPDATE doc_annotation SET label = ''", "label is empty"),
    ("UPDATE doc_annotation SET layer = x'ff'", "layer is a BLOB"),
])
def test_a_damaged_doc_annotation_is_named(tmp_path: Path, sql: str, found: str) -> None:
    path = tmp_path / "p.annot"
    with Project.create(path) as p:
        p.import_documents([CorpusDocument(name="a", text="Hello.")])
        p.add_doc_annotation(p.documents()[0].pk, "genre", "news")
    conn = sqlite3.connect(path)
    conn.execute(sql)
    conn.commit()
    conn.close()
    with Project.open(path, readonly=True) as p:
        problems = p.check()
        assert any("document annotation 1" in x and found in x for x in problems), problems
        with pytest.raises(DamagedProjectError, match=found):
            p.doc_annotations(p.documents()[0].pk)
        with pytest.raises(DamagedProjectError, match="document annotation 1"):
            list(p.iter_corpus())


def test_tagset_scope_is_checked() -> None:
    from annotator.core.errors import TagsetError
    from annotator.core.tagset import tagset_from_dict

    ts = tagset_from_dict({"layers": [{"name": "a", "scope": "document"}, {"name": "b"}]})
    assert [x.scope for x in ts.layers] == ["document", "span"]
    assert "scope" not in ts.to_dict()["layers"][1]  # the default is not written
    with pytest.raises(TagsetError, match="'scope' of layer 'a' must be"):
        tagset_from_dict({"layers": [{"name": "a", "scope": "page"}]})


@pytest.mark.parametrize("tagset_name", ["default", "mine"])
def test_upgrade_drops_the_old_shipped_defaults_only_from_the_shipped_tagset(
        tmp_path: Path, tagset_name: str) -> None:
    """The first releases shipped attribute defaults that were written on every new span as if
    chosen; a project made with the shipped tagset loses them on upgrade, a custom one keeps
    its own."""
    old = tmp_path / "old.annot"
    shutil.copy(SCHEMA1, old)
    conn = sqlite3.connect(old)
    (raw,) = conn.execute("SELECT attributes FROM tagset_label WHERE name = 'source'").fetchone()
    attrs = json.loads(raw)
    for a in attrs:
        if a["name"] == "source_type":
            a["default"] = "person"
    conn.execute("UPDATE tagset_label SET attributes = ? WHERE name = 'source'",
                 (json.dumps(attrs),))
    conn.execute("UPDATE project_meta SET value = ? WHERE key = 'tagset_name'", (tagset_name,))
    conn.commit()
    conn.close()
    with Project.open(old) as p:
        [source_type] = [a for a in p.tagset.attributes_for("attribution", "source")
                         if a.name == "source_type"]
        assert source_type.default == (None if tagset_name == "default" else "person")
