"""Names of layers, labels, attributes and relation types have a bound (tagset.NAME_MAX): a
longer one (text pasted into the wrong field) is refused in one line, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import TagsetError
from annotator.core.project import Project
from annotator.core.tagset import NAME_MAX

TEXT = "The minister said the plan may be delayed."


def jsonl(path: Path, *, label: str = "hedge", relation: str | None = None) -> Path:
    spans = [{"id": "s1", "layer": "hedging", "label": label, "start": 22, "end": 25},
             {"id": "s2", "layer": "attribution", "label": "source", "start": 0, "end": 12}]
    record = {"id": "d1", "text": TEXT, "spans": spans,
              "relations": [{"id": "r1", "type": relation, "from": "s1", "to": "s2"}]
              if relation else []}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("label, relation", [("x" * (NAME_MAX + 1), None),
                                             ("hedge", "r" * (NAME_MAX + 1))])
def test_an_import_with_a_name_too_long_is_refused(tmp_path: Path, label: str,
                                                   relation: str | None,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    before = proj.read_bytes()
    src = jsonl(tmp_path / "long.jsonl", label=label, relation=relation)
    capsys.readouterr()
    assert main(["import", str(proj), str(src)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(src) in err[0] and f"at most {NAME_MAX}" in err[0], err
    assert f"{NAME_MAX + 1:,} characters long" in err[0]
    assert proj.read_bytes() == before


def test_a_name_of_the_longest_length_is_taken(tmp_path: Path) -> None:
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    label = "y" * NAME_MAX
    assert main(["import", str(proj), str(jsonl(tmp_path / "ok.jsonl", label=label))]) == 0
    with Project.open(proj, readonly=True) as p:
        assert p.tagset.label("hedging", label) is not None


def test_a_tagset_file_with_a_name_too_long_is_refused(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    toml = tmp_path / "t.toml"
    toml.write_text(f'name = "t"\n[[layers]]\nname = "hedging"\n[[layers.labels]]\nname = '
                    f'"{"z" * (NAME_MAX + 1)}"\n', encoding="utf-8")
    proj = tmp_path / "p.annot"
    assert main(["new", str(proj), "--tagset", str(toml)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(toml) in err[0] and "characters long" in err[0], err
    assert not proj.exists()


def test_a_label_too_long_typed_in_is_refused(project_path: Path) -> None:
    with Project.open(project_path) as p:
        doc = p.documents()[0].pk
        n = len(p.spans(doc))
        with pytest.raises(TagsetError, match="characters long"):
            p.add_span(doc, "hedging", "w" * (NAME_MAX + 1), ((0, 3),))
        with pytest.raises(TagsetError, match="characters long"):
            p.add_span(doc, "l" * (NAME_MAX + 1), "hedge", ((0, 3),))
        assert len(p.spans(doc)) == n
        assert all(len(lab.name) <= NAME_MAX for lay in p.tagset.layers for lab in lay.labels)


def test_an_import_may_use_a_long_name_the_tagset_already_holds(tmp_path: Path) -> None:
    """Only names new to the tagset are bounded, also for a span that takes the slow check
    (two fragments) and for document labels; a new long document label is refused."""
    import sqlite3

    proj = tmp_path / "p.annot"
    assert main(["new", str(proj)]) == 0
    long = "q" * (NAME_MAX + 1)
    conn = sqlite3.connect(proj)
    conn.execute("UPDATE tagset_label SET name = ? WHERE name = 'booster'", (long,))
    conn.commit()
    conn.close()
    record = {"id": "d1", "text": TEXT, "spans": [
        {"id": "s1", "layer": "hedging", "label": long, "fragments": [[22, 25], [26, 28]]}]}
    src = tmp_path / "known.jsonl"
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert main(["import", str(proj), str(src)]) == 0
    with Project.open(proj, readonly=True) as p:
        assert [s.label for s in p.spans(p.documents()[0].pk)] == [long]
    record = {"id": "d2", "text": TEXT + " Again.",
              "doc_annotations": [{"layer": "genre", "label": "g" * (NAME_MAX + 1)}]}
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    before = proj.read_bytes()
    assert main(["import", str(proj), str(src)]) == 1
    assert proj.read_bytes() == before
