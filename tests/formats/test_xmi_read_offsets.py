"""The XMI reader's quick offset path (plain digits) against the general rule it stands for:
``int()`` of each offset, UTF-16 units to code points, refused outside the text or reversed,
skipped when zero-width after conversion."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.core.errors import BadInputError
from annotator.formats.registry import ReadOptions, get_format

GOLDEN = Path(__file__).parent / "golden" / "xmi"
TEXT = "a😀b😀cd"  # UTF-16: a=0, 😀=1-2, b=3, 😀=4-5, c=6, d=7 (8 units, 6 characters)
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" '
        'xmlns:cas="http:///uima/cas.ecore" xmlns:custom="http:///webanno/custom.ecore" '
        'xmi:version="2.0">\n<cas:NULL xmi:id="0"/>\n')


def _old_rule(begin: str, end: str) -> tuple[int, int] | str:
    """What the reader did before the quick path: the fragment, or 'refused'."""
    try:
        b16, e16 = int(begin), int(end)
    except ValueError:
        return "refused"
    ends = [3, 6]  # the UTF-16 unit after each emoji
    units = len(TEXT) + 2

    def conv(u: int) -> int | None:
        return u - sum(1 for x in ends if x <= u) if 0 <= u <= units else None

    b, e = conv(b16), conv(e16)
    if b is None or e is None or b > e:
        return "refused"
    return (b, e)


CASES = [("0", "1"), ("1", "3"), ("2", "3"), ("3", "4"), ("0", "8"), ("7", "8"), ("8", "8"),
         ("0", "9"), ("9", "9"), ("3", "2"), ("2", "1"), ("5", "4"), (" 1", "3"), ("+1", "3"),
         ("1", "3 "), ("-1", "3"), ("٣", "٦"), ("²", "3"), ("1_0", "3"), ("", "3"), ("x", "3"),
         ("01", "03"), ("1" * 30, "3")]


@pytest.mark.parametrize(("begin", "end"), CASES)
def test_offsets_read_as_the_general_rule_reads_them(begin: str, end: str,
                                                     tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    shutil.copy(GOLDEN / "TypeSystem.xml", folder)
    body = (f'<custom:Hedging xmi:id="2" sofa="1" begin="{begin}" end="{end}" label="hedge"/>\n'
            f'<custom:Hedging xmi:id="3" sofa="1" begin="0" end="1" label="scope"/>\n'
            f'<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text/plain" '
            f'sofaString="{TEXT}"/>\n<cas:View sofa="1" members="2 3"/>\n</xmi:XMI>\n')
    (folder / "d.xmi").write_text(HEAD + body, encoding="utf-8")
    want = _old_rule(begin, end)
    warnings: list[str] = []
    read = get_format("xmi").read(folder, ReadOptions(warn=warnings.append))
    if want == "refused":
        with pytest.raises(BadInputError, match="annotation 2 .*(not numbers|outside the text)"):
            list(read)
        return
    (doc,) = list(read)
    spans = {s.label: s.fragments for s in doc.spans}
    assert spans["scope"] == ((0, 1),)
    if want[0] == want[1]:
        assert "hedge" not in spans
        assert any("1 zero-width Hedging" in w for w in warnings)
    else:
        assert spans["hedge"] == (want,)
