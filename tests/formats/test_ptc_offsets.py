"""A PTC label file with an offset too big to be one is called that, not "not a number"; the
project stays byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli import main


@pytest.mark.parametrize(("end", "said"), [
    ("9" * 5000, "offset 999999999999… (5000 digits) is far beyond any article's length"),
    ("99999999999999999999", "offset 99999999999999999999 is far beyond"),
    ("x", "offsets '0' 'x' are not numbers"),
    ("40", "span [0, 40) does not fit article 1"),
])
def test_bad_offsets_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str], end: str,
                               said: str) -> None:
    corpus = tmp_path / "ptc"
    corpus.mkdir()
    (corpus / "article1.txt").write_text("Officials said so.\n", encoding="utf-8")
    (corpus / "article1.task-flc-tc.labels").write_text(f"1\tLoaded_Language\t0\t{end}\n",
                                                         encoding="utf-8")
    project = tmp_path / "p.annot"
    assert main(["new", str(project)]) == 0
    before = project.read_bytes()
    capsys.readouterr()
    assert main(["import", str(project), str(corpus), "--format", "ptc"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and said in err, err
    assert "labels:1:" in err
    assert project.read_bytes() == before
