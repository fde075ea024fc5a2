"""Round-3 hostile attacks on the new importers (MPQA, SemEval-2016 stance, .qdc codebooks) and
on ``annotator check``: each refused with one stderr line (exit 1, no traceback) or answered,
in time linear in the input, and the project untouched."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from safety_helpers import refused

from annotator.cli import main
from annotator.formats.registry import ReadOptions, get_format


def state(path: Path) -> tuple[bytes, int, list[str]]:
    """Bytes, mtime and the sibling files of ``path``: "untouched" means all three equal."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def new_project(tmp_path: Path) -> Path:
    project = tmp_path / "proj" / "p.annot"
    project.parent.mkdir()
    assert main(["new", str(project)]) == 0
    return project


def mpqa_db(root: Path, text: bytes, gateman: bytes) -> Path:
    (root / "docs" / "p").mkdir(parents=True)
    (root / "man_anns" / "p" / "d").mkdir(parents=True)
    (root / "docs" / "p" / "d").write_bytes(text)
    (root / "man_anns" / "p" / "d" / "gateman.mpqa.lre.2.0").write_bytes(gateman)
    return root


def read_mpqa(root: Path) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    warnings: list[str] = []
    docs = list(get_format("mpqa").read(root, ReadOptions(annotator="t", warn=warnings.append)))
    return docs, warnings


# --- MPQA ------------------------------------------------------------------------------------

def test_mpqa_many_agents_import_in_linear_time(tmp_path: Path) -> None:
    """Each nested source was matched against every agent of the document: 20,000 lines took
    190 s (5,000 took 10 s); now a bisection in agents indexed by nested source."""
    n = 20_000
    text = ("word " * n).encode()
    rows = []
    for i in range(n):
        s = (i // 2) * 5
        if i % 2 == 0:
            rows.append(f'{i}\t{s},{s + 4}\tstring\tGATE_agent\t nested-source="w,a{i}" id="a{i}"')
        else:
            rows.append(f'{i}\t{s},{s + 4}\tstring\tGATE_expressive-subjectivity\t '
                        f'nested-source="w,a{i - 1}"')
    root = mpqa_db(tmp_path / "db", text, ("\n".join(rows) + "\n").encode())
    t = time.perf_counter()
    docs, _ = read_mpqa(root)
    took = time.perf_counter() - t
    assert took < 15, f"{took:.1f} s for {n} lines"
    (doc,) = docs
    holders = [r for r in doc.relations if r.type == "holder_of"]
    assert len(holders) == n // 2
    by_key = {s.key: s for s in doc.spans}
    # each expressive subjectivity is held by the agent just before it, not by any other
    for rel in holders[:50]:
        src, dst = by_key[rel.source], by_key[rel.target]
        assert src.attributes["mpqa_nested-source"] == dst.attributes["mpqa_nested-source"]


def test_mpqa_nearest_agent_wins_and_ties_go_to_the_earlier_line(tmp_path: Path) -> None:
    text = b"Aaaa said that Bbbb and Aaaa thought it good."
    rows = ['1\t0,4\tstring\tGATE_agent\t nested-source="w,x" id="x"',
            '2\t24,28\tstring\tGATE_agent\t nested-source="w,x"',
            '3\t29,36\tstring\tGATE_direct-subjective\t nested-source="w,x"',
            '4\t5,9\tstring\tGATE_direct-subjective\t nested-source="w,x"',
            '5\t15,19\tstring\tGATE_agent\t nested-source="w,y"',
            '6\t15,19\tstring\tGATE_agent\t nested-source="w,y"',
            '7\t20,23\tstring\tGATE_direct-subjective\t nested-source="w,y"']
    (doc,), _ = read_mpqa(mpqa_db(tmp_path / "db", text, ("\n".join(rows) + "\n").encode()))
    got = {(r.source, r.target) for r in doc.relations if r.type == "source_of"}
    assert got == {("m2", "m3"), ("m1", "m4"), ("m5", "m7")}


def test_mpqa_duplicate_ids_do_not_multiply_relations(tmp_path: Path) -> None:
    """1,500 direct-subjectives all with id "x" and attitude-link="x" made 2,250,000
    relations (each linked to every line with that id); 2,000 lines took two minutes and
    8,000 ran out of memory. Links now go to the first line with the id, and reuse is
    counted."""
    n = 1500
    text = ("word " * n).encode()
    rows = [f'{i}\t{i * 5},{i * 5 + 4}\tstring\tGATE_direct-subjective\t id="x" '
            'attitude-link="x" nested-source="w"' for i in range(n)]
    docs, warnings = read_mpqa(mpqa_db(tmp_path / "db", text, ("\n".join(rows) + "\n").encode()))
    assert len(docs[0].relations) <= n
    assert any(f"{n - 1} annotations reusing an earlier annotation's id" in w for w in warnings)


def test_mpqa_gateman_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A gateman file saved with a UTF-8 BOM before its first comment was refused at line 1."""
    gate = b'\xef\xbb\xbf# made in Notepad\n1\t0,5\tstring\tGATE_agent\t id="a"\n'
    (doc,), _ = read_mpqa(mpqa_db(tmp_path / "db", b"Hello world", gate))
    assert [(s.fragments, s.label) for s in doc.spans] == [(((0, 5),), "source")]


def test_symlink_loop_in_an_imported_folder_is_refused(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    """`ln -s d d` inside the folder ended in a RuntimeError traceback (Symlink loop)."""
    project = new_project(tmp_path)
    root = mpqa_db(tmp_path / "db", b"Hello", b'1\t0,3\tstring\tGATE_agent\t id="a"\n')
    doc = root / "docs" / "p" / "d"
    doc.unlink()
    doc.symlink_to(doc)
    before = state(project)
    refused(capsys, ["import", "--format", "mpqa", str(project), str(root)], str(doc), "loop")
    assert state(project) == before


# --- SemEval-2016 stance ---------------------------------------------------------------------

def test_semeval_export_with_an_odd_recorded_encoding_writes_utf8(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]
                                                                  ) -> None:
    """A document whose meta recorded source_encoding "idna" (``import --encoding idna``, or a
    JSONL file's meta) made export end in a UnicodeError traceback (idna raises a bare
    UnicodeError: "label too long")."""
    import json

    project = new_project(tmp_path)
    src = tmp_path / "d.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "hello " + "x" * 70,
                               "meta": {"source_encoding": "idna", "line_end": "lf"},
                               "doc_annotations": [{"layer": "article_stance",
                                                    "label": "favour"}]}) + "\n")
    assert main(["import", str(project), str(src)]) == 0
    out = tmp_path / "out.txt"
    capsys.readouterr()
    assert main(["export", "--format", "semeval-stance", str(project), "-o", str(out)]) == 0
    assert "written as UTF-8" in capsys.readouterr().err
    assert out.read_bytes() == b"ID\tTarget\tTweet\tStance\na\t\thello " + b"x" * 70 + \
        b"\tFAVOR\n"


def test_semeval_columns_named_like_our_meta_do_not_replace_the_id(tmp_path: Path) -> None:
    """A column after Stance headed ``semeval_id`` replaced the row's ID on export (1 → 999)."""
    project = new_project(tmp_path)
    src = tmp_path / "s.txt"
    content = b"ID\tTarget\tTweet\tStance\tsemeval_id\ttarget\r\n1\tReal\thi\tFAVOR\t999\tFake\r\n"
    src.write_bytes(content)
    assert main(["import", "--format", "semeval-stance", str(project), str(src)]) == 0
    out = tmp_path / "out.txt"
    assert main(["export", "--format", "semeval-stance", str(project), "-o", str(out)]) == 0
    assert out.read_bytes() == b"ID\tTarget\tTweet\tStance\r\n1\tReal\thi\tFAVOR\r\n"


@pytest.mark.parametrize("bom,codec", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                                       (b"\xfe\xff", "utf-16-be")])
def test_semeval_files_with_a_byte_order_mark_round_trip(tmp_path: Path, bom: bytes,
                                                         codec: str) -> None:
    """UTF-16 files were refused ("the first line is not the header"), and a UTF-8 BOM was
    lost on export."""
    project = new_project(tmp_path)
    src = tmp_path / "s.txt"
    src.write_bytes(bom + "ID\tTarget\tTweet\tStance\r\n7\tT\tcafé ☕\tAGAINST\r\n".encode(codec))
    assert main(["import", "--format", "semeval-stance", str(project), str(src)]) == 0
    out = tmp_path / "out.txt"
    assert main(["export", "--format", "semeval-stance", str(project), "-o", str(out)]) == 0
    if codec == "utf-16-be":  # written back as UTF-16 with this machine's byte order
        assert out.read_bytes().decode("utf-16") == src.read_bytes().decode("utf-16")
    else:
        assert out.read_bytes() == src.read_bytes()


# --- .qdc codebooks --------------------------------------------------------------------------

QDC_NS = 'xmlns="urn:QDA-XML:codebook:1.0"'


def _guid(i: int) -> str:
    return f"{i:08d}-1111-1111-1111-111111111111"


def test_qdc_codes_nested_thousands_deep_are_refused(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """3,000 nested codes ended in a RecursionError traceback."""
    project = new_project(tmp_path)
    qdc = tmp_path / "deep.qdc"
    qdc.write_text(f'<?xml version="1.0"?><CodeBook {QDC_NS}><Codes>'
                   + "".join(f'<Code guid="{_guid(i)}" name="c{i}" isCodable="true">'
                             for i in range(3000))
                   + "</Code>" * 3000 + "</Codes></CodeBook>")
    before = state(project)
    refused(capsys, ["import", str(project), str(qdc)], "deep.qdc", "nested more than 64")
    assert state(project) == before


def test_qdc_codes_nested_a_few_levels_become_label_paths(tmp_path: Path) -> None:
    from annotator.core.tagset import Tagset
    from annotator.formats._refi_read import merge_codebook

    qdc = tmp_path / "book.qdc"
    qdc.write_text(f'<?xml version="1.0"?><CodeBook {QDC_NS}><Codes>'
                   f'<Code guid="{_guid(1)}" name="frames" isCodable="false">'
                   f'<Code guid="{_guid(2)}" name="economy" isCodable="true">'
                   f'<Code guid="{_guid(3)}" name="jobs" isCodable="true"/></Code>'
                   f'<Code guid="{_guid(4)}" name="health" isCodable="true"/></Code>'
                   "</Codes></CodeBook>")
    assert merge_codebook(Tagset(), qdc) == ["frames:economy", "frames:economy/jobs",
                                             "frames:health"]


def test_qdc_with_a_hundred_thousand_codes_is_refused_quickly(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]
                                                              ) -> None:
    """100,000 codes took 433 s (each new label is a linear search of the tagset's labels) and
    printed all of them on one line; now refused before the tagset is touched."""
    project = new_project(tmp_path)
    qdc = tmp_path / "many.qdc"
    qdc.write_text(f'<?xml version="1.0"?><CodeBook {QDC_NS}><Codes>'
                   + "".join(f'<Code guid="{_guid(i)}" name="c{i}" isCodable="true"/>'
                             for i in range(100_000)) + "</Codes></CodeBook>")
    before = state(project)
    t = time.perf_counter()
    refused(capsys, ["import", str(project), str(qdc)], "many.qdc", "100,000 codable codes")
    assert time.perf_counter() - t < 20
    assert state(project) == before
