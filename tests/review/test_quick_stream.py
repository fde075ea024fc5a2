"""Two plain project files read without SQLAlchemy give the full way's figures, or step aside."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from review_data import add_traps, fingerprint

from annotator.core.bulk import sha256_of
from annotator.core.errors import AnnotatorError
from annotator.core.project import Project
from annotator.review import quick_stream, stream
from annotator.review.output import to_json
from annotator.review.quick_stream import quick_agreement
from annotator.review.report import agreement_of
from annotator.review.stream import stream_agreement


def _same(a: object, b: object) -> None:
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


MEASURES = {"seed": 3, "jaccard": 0.5}


def _full(paths: list[Path], layers: list[str] | None = None,
          measures: dict[str, object] | None = None) -> dict[str, object]:
    return to_json(stream_agreement(paths, layers=layers, measures=measures), per_document=True)


def _quick(paths: list[Path], layers: list[str] | None = None,
           measures: dict[str, object] | None = None) -> dict[str, object]:
    got = quick_agreement(paths, layers=layers, measures=measures)
    assert got is not None  # the common case: the quick way is taken
    return to_json(got, per_document=True)


@pytest.mark.parametrize("chunk", [1, 200])
def test_quick_equals_full_way(pair: tuple[Path, Path], chunk: int,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "CHUNK", chunk)
    paths = list(pair)
    before = [fingerprint(p) for p in paths]
    _same(_quick(paths), _full(paths))
    _same(_quick(paths, ["hedging"]), _full(paths, ["hedging"]))
    _same(_quick(paths, ["stance", "hedging", "stance"]), _full(paths, ["stance", "hedging"]))
    with_measures = _quick(paths, measures=MEASURES)
    assert "alpha_u" in json.dumps(with_measures)  # the measures are there
    _same(with_measures, _full(paths, measures=MEASURES))
    _same(_quick(paths, ["hedging"], MEASURES), _full(paths, ["hedging"], MEASURES))
    assert [fingerprint(p) for p in paths] == before  # nothing written, nothing left beside


def _reference_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    second: str = "bob") -> list[Path]:
    """Alice's and ``second``'s project files of the 40-document reference corpus."""
    from test_agree_reference import _projects

    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(tmp_path / "backups"))
    found = _projects(tmp_path)
    return [Path(found["alice"]), Path(found[second])]


def test_reference_corpus_quick_equals_full_way(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "CHUNK", 7)
    paths = _reference_pair(tmp_path, monkeypatch, "carol")
    got = _quick(paths)
    assert got["documents"]["matched"] > 30
    _same(got, _full(paths))
    _same(_quick(paths, measures=MEASURES), _full(paths, measures=MEASURES))


def test_hashes_are_the_projects(pair: tuple[Path, Path]) -> None:
    from annotator.core import doc_index, quick_read

    for path in pair:
        conn = quick_read.connect(path)
        assert conn is not None
        with Project.open(path, untrusted=True) as p:
            assert quick_stream.document_hashes(conn) == doc_index.document_hashes(p)
            assert quick_stream.annotator_setting(conn) == p.annotator
        conn.close()
    for text in ["", "plain", "Cafe\u0301 👍🏽 قال", "\x00\n\t"]:  # one hash for both ways
        assert quick_stream.sha256_of(text) == sha256_of(text) == hashlib.sha256(
            text.encode("utf-8")).hexdigest()


def test_steps_aside_when_it_cannot_tell(pair: tuple[Path, Path], tmp_path: Path) -> None:
    paths = list(pair)
    assert quick_agreement(paths, layers=["nope"]) is None  # the tagsets decide
    with pytest.raises(AnnotatorError, match="unknown layer 'nope'"):
        agreement_of([str(p) for p in paths], layers=["nope"])
    lone = tmp_path / "lone.annot"
    with Project.create(lone, annotator="carl") as p:
        p.import_documents([])
    assert quick_agreement([paths[0], lone]) is None
    with pytest.raises(AnnotatorError, match="no document in common"):
        agreement_of([str(paths[0]), str(lone)])
    with pytest.raises(AnnotatorError, match="the same project file is given twice"):
        quick_agreement([paths[0], paths[0].parent / "." / paths[0].name])
    assert quick_agreement([paths[0], tmp_path / "missing.annot"]) is None


def test_hostile_files_go_the_full_way(pair: tuple[Path, Path]) -> None:
    a, b = pair
    expected = _full([a, b])
    add_traps(b)  # triggers and a view: the quick reader refuses such a file
    assert quick_agreement([a, b]) is None
    _same(to_json(agreement_of([str(a), str(b)]), per_document=True), expected)


@pytest.mark.parametrize("damage", [
    'UPDATE span SET "start" = X\'00\' WHERE id = (SELECT max(id) FROM span)',
    "UPDATE document SET length = 3 WHERE id = (SELECT max(id) FROM document)",
    "UPDATE project_meta SET value = X'FF' WHERE key = 'annotator'",
    "INSERT OR REPLACE INTO project_meta (key, value) VALUES ('tagset_name', "
    "CAST(X'FF' AS TEXT))",
    "INSERT INTO tagset_layer (name, description, enabled, attributes, scope, position) "
    "VALUES ('bad', '', 5, '[]', 'span', 0)",
    "INSERT INTO doc_annotation (document_id, layer, label, attributes, annotator, created, "
    "modified) VALUES ((SELECT max(id) FROM document), CAST(X'FF' AS TEXT), 'x', '{}', '', "
    "'', '')",
    "DROP TABLE rejected_suggestion",
    "ALTER TABLE assignment DROP COLUMN modified",
])
def test_damaged_files_are_refused_in_the_full_way_s_words(pair: tuple[Path, Path],
                                                           damage: str) -> None:
    a, b = pair
    con = sqlite3.connect(b)
    con.execute(damage)
    con.commit()
    con.close()
    assert quick_agreement([a, b]) is None  # a value the schema does not allow
    with pytest.raises(Exception) as full:  # noqa: PT011 - whatever the full way raises
        stream_agreement([a, b])
    with pytest.raises(Exception) as got:  # noqa: PT011
        agreement_of([str(a), str(b)])
    assert (type(got.value), str(got.value)) == (type(full.value), str(full.value))


def test_a_file_being_edited_goes_the_full_way(pair: tuple[Path, Path]) -> None:
    a, b = pair
    with Project.open(b) as editing:  # holds the write lock
        assert quick_agreement([a, b]) is None
        assert agreement_of([str(a), str(b)]).matched == 2
        assert editing.annotator == "bob"


@pytest.mark.parametrize("call", [
    "r = agreement_of(sys.argv[1:]); assert r.matched == 2, r.matched",
    "assert main(['agree', *sys.argv[1:], '--json']) == 0",
])
def test_agree_on_two_files_imports_no_sqlalchemy(pair: tuple[Path, Path], call: str) -> None:
    code = ("import sys; from annotator.review.report import agreement_of; "
            f"from annotator.cli import main; {call}; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))")
    out = subprocess.run([sys.executable, "-c", code, *map(str, pair)], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_the_schema_checked_is_the_project_s() -> None:
    from annotator.core import quick_read
    from annotator.core.storage import engine, schema

    assert quick_read.SCHEMA_VERSION == engine.SCHEMA_VERSION
    assert schema.tables_of(engine.SCHEMA_VERSION) == quick_stream.SCHEMA


def test_the_collector_is_paused_over_the_comparison_only(
        pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from annotator.core.collector import collector_paused
    from annotator.review import agreement

    seen: list[bool] = []
    real = agreement._document_tally

    def tally(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(agreement, "_document_tally", tally)
    assert gc.isenabled()
    assert quick_agreement(list(pair)) is not None
    assert seen == [False, False] and gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        assert not gc.isenabled()
        _ = 1 / 0
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was
    finally:
        gc.enable()


def test_a_paused_comparison_leaves_no_cycles(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """What the collector would have found while paused: nothing, however many documents."""
    import gc

    monkeypatch.setattr(stream, "CHUNK", 3)
    paths = _reference_pair(tmp_path, monkeypatch)
    assert quick_agreement(paths) is not None  # warm: caches, imports
    gc.collect()
    gc.disable()
    try:
        result = quick_agreement(paths)
        assert result is not None and result.matched > 30
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_the_measures_run_paused_and_leave_no_cycles(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """alpha_U, gamma and the intervals (a fifth of agree's time at 400,000 spans was the
    collector's passes over the figures kept) run with the collector paused, and make nothing
    it would have had to collect."""
    import gc

    from annotator.review import measures as m

    paths = _reference_pair(tmp_path, monkeypatch)
    seen: list[bool] = []
    real = m.MeasureStats.finish

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(m.MeasureStats, "finish", spy)
    assert gc.isenabled()
    first = quick_agreement(paths, measures={})
    assert first is not None and first.measures is not None
    assert seen == [False] and gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        again = quick_agreement(paths, measures={})
        assert again is not None and again.measures == first.measures
        assert gc.collect() == 0
    finally:
        gc.enable()
