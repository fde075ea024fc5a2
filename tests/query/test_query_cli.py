"""``annotator query`` as a user runs it: JSON, CSV and KWIC text; read-only; bad queries."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotator.cli import main


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime of every file in the project's folder (siblings included)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())
            if p.is_file()}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


QUERY = "hedging:hedge inside attribution:content where source.source_type = document"


def test_json_rows_as_interfaces_md_shows(sample_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "query", str(sample_path), QUERY, "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows == [{
        "document": "harbour-bridge", "span": rows[0]["span"], "layer": "hedging",
        "label": "hedge", "start": 481, "end": 489, "text": "at least",
        "left": "ed memo seen by the Harbour Gazette, the project is running ",
        "right": " 40 percent over budget. It seems that the contractors were ",
        "attributes": {"certainty": "probable", "cue_type": "approximator"},
        "annotator": "sample"}]
    assert out == json.dumps(rows, ensure_ascii=False) + "\n"  # one JSON text, streamed


def test_json_of_no_hits_is_an_empty_list(sample_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "query", str(sample_path), "hedging:hedge where doc.id = x",
                       "--json")
    assert (code, out) == (0, "[]\n")


def test_csv_has_the_json_columns_and_neutralised_cells(small_path: Path, capsys,  # type: ignore[no-untyped-def]
                                                        tmp_path: Path) -> None:
    code, out, _ = run(capsys, "query", str(small_path), "attribution:*", "--json")
    as_json = json.loads(out)
    code, out, _ = run(capsys, "query", str(small_path), "attribution:*", "--csv")
    assert code == 0
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["document", "span", "layer", "label", "start", "end", "text", "left",
                        "right", "attributes", "annotator"]
    assert len(table) == 1 + len(as_json) == 8
    for row, obj in zip(table[1:], as_json, strict=True):
        assert row[:6] == [obj["document"], str(obj["span"]), obj["layer"], obj["label"],
                           str(obj["start"]), str(obj["end"])]
        assert json.loads(row[9]) == obj["attributes"]
    # a covered text a spreadsheet would take for a formula is written with a leading '
    from query_data import make_project

    from annotator.core.model import CorpusDocument, SpanRecord
    risky = make_project(tmp_path / "risky.annot", [CorpusDocument(
        name="r", text="=SUM(A1) said", spans=[SpanRecord("s1", "attribution", "cue",
                                                            ((0, 8),))])])
    code, out, _ = run(capsys, "query", str(risky), "attribution:cue", "--csv")
    assert list(csv.reader(io.StringIO(out)))[1][6] == "'=SUM(A1)"


def test_text_output_is_one_kwic_line_per_hit(small_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "query", str(small_path), "hedging:hedge where annotator = bob")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].split("\t")[:3] == ["a", "42-52", "hedging:hedge"]
    assert lines[0].endswith("Critics [reportedly] say it could work.")
    assert err == "2 hit(s)\n"


def test_query_opens_read_only_and_writes_nothing(sample_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(sample_path.parent)
    for extra in ((), ("--json",), ("--csv",)):
        assert run(capsys, "query", str(sample_path), QUERY, *extra)[0] == 0
    assert run(capsys, "query", str(sample_path), "hedging:hedge inside")[0] == 1
    assert snapshot(sample_path.parent) == before


@pytest.mark.parametrize("query, message", [
    ("hedging:hedge inside", "annotator: query, position 21: expected a pattern after "
                             "'inside', found the end of the query"),
    ("hedging:hedge where certainty = probable and", "annotator: query, position 45: expected "
     "a field (an attribute, text, annotator, source.NAME, doc.NAME), found the end of the "
     "query"),
    ("stance:stanse", "annotator: query, position 1: no label 'stanse' in layer 'stance'"),
])
def test_bad_query_exits_1_with_one_line(sample_path: Path, capsys, query: str,  # type: ignore[no-untyped-def]
                                         message: str) -> None:
    code, out, err = run(capsys, "query", str(sample_path), query, "--json")
    assert (code, out) == (1, "")
    assert err.splitlines() == [message]


def test_not_a_project_is_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    code, out, err = run(capsys, "query", str(other), "hedging:hedge")
    assert code == 1 and out == "" and len(err.splitlines()) <= 2
    assert err.startswith(f"annotator: {other}: ") and "Traceback" not in err
    assert other.read_text() == "hello"


def test_json_and_csv_together_is_a_usage_error(sample_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exit_:
        main(["query", str(sample_path), "hedging:hedge", "--json", "--csv"])
    assert exit_.value.code == 2
