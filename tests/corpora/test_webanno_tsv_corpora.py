"""WebAnno TSV 3.3 files written by INCEpTION (tests/corpora/webanno-tsv, see SOURCE.md).

Annotator writes WebAnno TSV but does not read it yet. Today such a file is refused in one line
naming it, and the project is left byte-identical; nothing is half-imported. And the exporter
writes what these files show INCEpTION expects: the same header line and column layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_import import HERE, assert_refused

SUITE = HERE / "webanno-tsv" / "inception-tsv3-suite"
FILES = sorted(p.name for p in SUITE.glob("*.tsv"))


def test_the_suite_is_there() -> None:
    assert len(FILES) == 6
    assert all((SUITE / f).read_bytes().startswith(b"#FORMAT=WebAnno TSV 3.3\n") for f in FILES)


@pytest.mark.parametrize("name", FILES)
def test_inception_tsv_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              name: str) -> None:
    line = assert_refused(tmp_path, SUITE / name, capsys)
    assert f"{name}:1:" in line
    assert "WebAnno TSV" in line and "cannot read yet" in line  # not the CSV reader's words


def test_our_export_has_inception_s_header_and_token_line_layout(tmp_path: Path) -> None:
    """A span with a value over 'This' is written like INCEpTION's own
    testTokenBoundedSpanWithFeatureValue file: format line, #T_SP line, two empty lines,
    #Text=, then sent-tok, begin-end, token, one column per feature, each ending in a TAB."""
    from annotator.core.model import CorpusDocument, SpanRecord
    from annotator.core.tagset import default_tagset
    from annotator.formats.registry import WriteOptions, get_format

    doc = CorpusDocument(name="d", title="d", text="This is a test .",
                         spans=[SpanRecord("s1", "span", "NE 0", ((0, 4),))])
    out = tmp_path / "tsv"
    get_format("webanno-tsv").write([doc], out, default_tagset(), WriteOptions())
    ours = (out / "d.tsv").read_text(encoding="utf-8").split("\n")
    theirs = (SUITE / "testTokenBoundedSpanWithFeatureValue.tsv").read_text(
        encoding="utf-8").split("\n")
    assert ours[0] == theirs[0] == "#FORMAT=WebAnno TSV 3.3"
    assert ours[1].startswith("#T_SP=webanno.custom.") and theirs[1].startswith("#T_SP=")
    assert ours[2:4] == theirs[2:4] == ["", ""]
    assert ours[4] == theirs[4] == "#Text=This is a test ."
    assert ours[5].split("\t")[:4] == theirs[5].split("\t")[:4] == ["1-1", "0-4", "This", "NE 0"]
    assert ours[5].endswith("\t") and theirs[5].endswith("\t")
    assert [line.split("\t")[:3] for line in ours[6:10]] == \
        [line.split("\t")[:3] for line in theirs[6:10]]
