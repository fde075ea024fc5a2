"""Round-6 attacks on the PTC, MPQA, SemEval-2016 stance and REFI-QDA importers and exporters.

Each hostile input is refused with exit 1 and one stderr line naming the file (and line) and
the problem, the project byte-identical (bytes, mtime, no file beside it); or it is read right.
Each was accepted silently (or misread) before: a NUL in a technique name, a NUL-laden UTF-16
MPQA document read as Latin-1, a duplicate attribute on a gateman line (the last one kept), a
duplicate code GUID in a ``.qdpx``/``.qdc`` (the second code kept: a span coded "favour"
imported as "against"), a duplicate selection or user GUID, positions written ``1_0`` or in
Arabic-Indic digits, a 57 MB tweet. Round trips import → export → import keep every span;
the MPQA writer repeated annotation ids, so links to the second went to the first.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from safety_helpers import refused

from annotator.cli import main
from annotator.core.model import CorpusDocument, RelationRecord, SpanRecord
from annotator.core.project import Project
from annotator.core.tagset import default_tagset
from annotator.formats.registry import ReadOptions, WriteOptions, get_format

TEXT = "Officials said the plan may fail. Critics disagree.\n"


def state(path: Path) -> tuple[bytes, int, list[str]]:
    """Bytes, mtime and the sibling files of ``path``: "untouched" means all three equal."""
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "proj" / "p.annot"
    path.parent.mkdir()
    assert main(["new", str(path)]) == 0
    return path


def refused_untouched(capsys: pytest.CaptureFixture[str], project: Path, source: Path,
                      fmt: str, *words: str) -> str:
    before = state(project)
    line = refused(capsys, ["import", "--format", fmt, str(project), str(source)], *words)
    assert state(project) == before
    return line


# --- PTC ---------------------------------------------------------------------------------------

def ptc_folder(root: Path, labels: bytes, article: bytes = TEXT.encode()) -> Path:
    root.mkdir()
    (root / "article1.txt").write_bytes(article)
    (root / "article1.labels.tsv").write_bytes(labels)
    return root


@pytest.mark.parametrize("labels", [b"1\tLoaded\x00Language\t0\t9\n",
                                    b"1\tLoaded\x07Language\t0\t9\n",
                                    b"1\tLoaded\x1bLanguage\t0\t9\n",
                                    b"1\t2\tLoaded\x00Language,Doubt\n"],
                         ids=["nul", "bell", "escape", "paragraph-nul"])
def test_ptc_technique_with_a_control_character_is_refused(
        tmp_path: Path, project: Path, capsys: pytest.CaptureFixture[str], labels: bytes) -> None:
    """"Loaded\\x00Language" was stored as a technique of its own (and matched nothing)."""
    folder = ptc_folder(tmp_path / "ptc", labels, TEXT.encode() + b"Second line.\n")
    refused_untouched(capsys, project, folder, "ptc", "article1.labels.tsv:1:", "control "
                      "character")


def test_ptc_export_leaves_out_a_technique_it_could_not_read_back(tmp_path: Path) -> None:
    doc = CorpusDocument("article7", TEXT, spans=[
        SpanRecord("s1", "rhetoric", "technique", ((0, 9),), {"technique": "Loaded\x00X"}),
        SpanRecord("s2", "rhetoric", "technique", ((10, 14),), {"technique": "doubt"})])
    out = tmp_path / "out"
    summary = get_format("ptc").write([doc], out, default_tagset(), WriteOptions())
    assert summary.spans == 1 and any("control character" in r for r in summary.dropped)
    assert (out / "article7.task-flc-tc.labels").read_text() == "7\tDoubt\t10\t14\n"
    docs = list(get_format("ptc").read(out, ReadOptions()))  # and it reads back
    assert [s.fragments for s in docs[0].spans] == [((10, 14),)]


def test_ptc_warning_of_a_huge_unknown_technique_stays_short(tmp_path: Path) -> None:
    folder = ptc_folder(tmp_path / "ptc", b"1\t" + b"A" * 100_000 + b"\t0\t9\n")
    warnings: list[str] = []
    list(get_format("ptc").read(folder, ReadOptions(warn=warnings.append)))
    assert len(warnings) == 1 and len(warnings[0]) < 400


# --- MPQA --------------------------------------------------------------------------------------

def mpqa_db(root: Path, gateman: bytes, text: bytes = TEXT.encode()) -> Path:
    (root / "docs" / "p").mkdir(parents=True)
    (root / "man_anns" / "p" / "d").mkdir(parents=True)
    (root / "docs" / "p" / "d").write_bytes(text)
    (root / "man_anns" / "p" / "d" / "gateman.mpqa.lre.2.0").write_bytes(gateman)
    return root


AGENT = b'1\t0,9\tstring\tGATE_agent\t nested-source="w,o" id="o"\n'


@pytest.mark.parametrize(("gateman", "text", "words"), [
    (AGENT, "Officials said it.".encode("utf-16"), ("docs/p/d", "NUL")),
    (AGENT, b"Officials\x00 said it.", ("docs/p/d", "NUL")),
    (b'1\t0,9\tstring\tGATE_agent\t nested-source="w,o\x00" id="o"\n', None,
     ("gateman.mpqa.lre.2.0:1:", "U+0000")),
    (b'1\t0,9\tstring\tGATE_agent\t nested-source="w,o\x07" id="o"\n', None,
     ("gateman.mpqa.lre.2.0:1:", "U+0007")),
    (b'1\t0,9\tstring\tGATE_ag\x00ent\t id="o"\n', None, ("gateman.mpqa.lre.2.0:1:", "type")),
    (b'1\t0,9\tstring\tGATE_expressive-subjectivity\t polarity="positive" '
     b'polarity="negative"\n', None, ("gateman.mpqa.lre.2.0:1:", "'polarity' is given twice")),
], ids=["utf16-text", "nul-text", "nul-attribute", "bell-attribute", "nul-type",
        "duplicate-attribute"])
def test_mpqa_hostile_input_is_refused(tmp_path: Path, project: Path,
                                       capsys: pytest.CaptureFixture[str], gateman: bytes,
                                       text: bytes | None, words: tuple[str, ...]) -> None:
    """A UTF-16 document was read as Latin-1 (every other character a NUL); a repeated
    attribute kept the last value silently; NULs went into attributes and types."""
    root = mpqa_db(tmp_path / "db", gateman, text if text is not None else TEXT.encode())
    refused_untouched(capsys, project, root, "mpqa", *words)


@pytest.mark.parametrize(("make", "words"), [(os.mkfifo, "named pipe"),
                                             (os.mkdir, "is a folder")], ids=["fifo", "folder"])
def test_mpqa_document_that_is_no_file_is_named_as_such(
        tmp_path: Path, project: Path, capsys: pytest.CaptureFixture[str],
        make: Callable[[Path], None], words: str) -> None:
    """A FIFO (or a folder) where docs/p/d should be was reported as "no document docs/p/d"."""
    root = mpqa_db(tmp_path / "db", AGENT)
    (root / "docs" / "p" / "d").unlink()
    make(root / "docs" / "p" / "d")
    refused_untouched(capsys, project, root, "mpqa", "docs/p/d", words)


def test_mpqa_export_never_repeats_an_id_and_links_keep_their_target(tmp_path: Path) -> None:
    """Two spans that came with the same ``mpqa_id`` were both written ``id="x"``: the link to
    the second one went to the first on reading back."""
    text = "Officials said it was good and bad."
    at = text.index
    doc = CorpusDocument("p/d", text, spans=[
        SpanRecord("cue", "attribution", "cue", ((at("said"), at("said") + 4),)),
        SpanRecord("good", "stance", "stance", ((at("good"), at("good") + 4),),
                   {"mpqa_id": "x"}),
        SpanRecord("bad", "stance", "stance", ((at("bad"), at("bad") + 3),), {"mpqa_id": "x"}),
        SpanRecord("w", "attribution", "source", ((0, 9),), {"mpqa_id": "w"}),
    ], relations=[RelationRecord("r1", "expresses", "cue", "bad")])
    out = tmp_path / "db"
    summary = get_format("mpqa").write([doc], out, default_tagset(), WriteOptions())
    assert any("new id" in w for w in summary.warnings)
    lines = (out / "man_anns" / "p" / "d" / "gateman.mpqa.lre.2.0").read_text().splitlines()
    ids = [a.split('"')[0] for row in lines if not row.startswith("#")
           for a in row.split(' id="')[1:]]
    assert len(ids) == len(set(ids)) == 5, lines  # w, implicit and the three spans with an id
    (back,) = get_format("mpqa").read(out, ReadOptions())
    by_key = {s.key: text[s.start:s.end] for s in back.spans}
    assert [(by_key[r.source], by_key[r.target]) for r in back.relations
            if r.type == "expresses"] == [("said", "bad")]


def test_mpqa_export_of_an_agent_made_in_the_app_does_not_make_it_the_writer(tmp_path: Path
                                                                             ) -> None:
    """An agent span without MPQA attributes was written nested-source="w" (the writer): on
    reading back, every annotation of the writer's own became this agent's (relations that
    were never there: 0 relations out, 2 in)."""
    text = "Officials said the plan may fail. Critics disagree strongly."
    doc = CorpusDocument("p/d", text, spans=[
        SpanRecord("s1", "attribution", "source", ((0, 9),)),
        SpanRecord("s2", "attribution", "cue", ((10, 14),)),
        SpanRecord("s4", "stance", "stance", ((34, 41),), {"polarity": "against"})])
    out = tmp_path / "db"
    summary = get_format("mpqa").write([doc], out, default_tagset(), WriteOptions())
    assert summary.relations == 0
    (back,) = get_format("mpqa").read(out, ReadOptions())
    assert back.relations == []
    assert [(s.label, s.fragments) for s in back.spans] == [(s.label, s.fragments)
                                                            for s in doc.spans]


# --- SemEval-2016 stance -----------------------------------------------------------------------

HEADER = b"ID\tTarget\tTweet\tStance\r\n"


@pytest.mark.parametrize(("row", "words"), [
    (b"101\tAtheism\tGod\x00 is good\tAGAINST\r\n", ("train.txt:2:", "NUL")),
    (b"101\tAthe\x01ism\tGod is good\tAGAINST\r\n", ("train.txt:2:", "Target", "U+0001")),
    (b"10\x001\tAtheism\tGod is good\tAGAINST\r\n", ("train.txt:2:", "ID", "U+0000")),
], ids=["nul-tweet", "control-target", "nul-id"])
def test_semeval_control_characters_are_refused(tmp_path: Path, project: Path,
                                                capsys: pytest.CaptureFixture[str], row: bytes,
                                                words: tuple[str, ...]) -> None:
    source = tmp_path / "train.txt"
    source.write_bytes(HEADER + row)
    refused_untouched(capsys, project, source, "semeval-stance", *words)


def test_semeval_tweet_over_the_document_limit_is_refused(
        tmp_path: Path, project: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every importer enforces the per-document limit; a 57 MB tweet got in."""
    from annotator.formats import _textfile

    monkeypatch.setattr(_textfile, "MAX_DOCUMENT_BYTES", 1000)
    source = tmp_path / "train.txt"
    source.write_bytes(HEADER + b"1\tA\tshort\tNONE\r\n2\tA\t" + b"x" * 2000 + b"\tNONE\r\n")
    refused_untouched(capsys, project, source, "semeval-stance", "train.txt:3:", "too large")


# --- REFI-QDA ----------------------------------------------------------------------------------

def G(n: int) -> str:  # noqa: N802 - a GUID, as QDA programs write them
    return f"{{{n:08X}-0000-0000-0000-000000000000}}"


def code(n: int, name: str, inner: str = "", codable: str = "true") -> str:
    return f'<Code guid="{G(n)}" name="{name}" isCodable="{codable}">{inner}</Code>'


def selection(n: int, start: str, end: str, code_n: int = 2) -> str:
    return (f'<PlainTextSelection guid="{G(n)}" startPosition="{start}" endPosition="{end}">'
            f'<Coding guid="{G(n + 1000)}"><CodeRef targetGUID="{G(code_n)}"/></Coding>'
            "</PlainTextSelection>")


def project_qde(codes: str, selections: str = "", *, users: str = "", links: str = "",
                plain: str = TEXT.strip()) -> str:
    selections = selections or selection(200, "0", "9")
    return ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
            f'name="p">{users}<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>'
            f'<TextSource guid="{G(100)}" name="doc1"><PlainTextContent>{plain}'
            f"</PlainTextContent>{selections}</TextSource></Sources>{links}</Project>")


def qdpx(path: Path, qde: str, members: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
        for name, data in (members or {}).items():
            z.writestr(name, data)
    return path


STANCE = code(1, "stance", code(2, "favour"), "false")
HOSTILE_QDPX: list[tuple[str, Callable[[], str], dict[str, bytes] | None, tuple[str, ...]]] = [
    ("duplicate-code-guid", lambda: project_qde(code(1, "stance", code(2, "favour")
                                                     + code(2, "against"), "false")),
     None, ("two codes have the guid 00000002",)),
    ("duplicate-guid-other-case", lambda: project_qde(code(1, "stance", code(2, "favour")
                                                           + code(2, "against").replace(
                                                               G(2), G(2).lower()), "false")),
     None, ("two codes have the guid",)),
    ("duplicate-guid-across-layers", lambda: project_qde(STANCE + code(2, "hedge")), None,
     ("two codes have the guid",)),
    ("code-without-guid", lambda: project_qde(code(1, "stance", '<Code name="a" isCodable='
                                                   '"true"/><Code name="b" isCodable="true"/>'
                                                   + code(2, "favour"), "false")),
     None, ("has no guid",)),
    ("code-without-name", lambda: project_qde(code(1, "stance", code(2, ""), "false")), None,
     ("has no name",)),
    ("code-with-c1-control", lambda: project_qde(code(1, "stance", code(2, "fa\u0085v"),
                                                      "false")), None, ("U+0085",)),
    ("duplicate-selection-guid", lambda: project_qde(STANCE, selection(200, "0", "9")
                                                     + selection(200, "10", "14").replace(
                                                         G(1200), G(1201))),
     None, ("two selections have the guid",)),
    ("duplicate-user-guid", lambda: project_qde(STANCE, users=f'<Users><User guid="{G(50)}" '
                                                f'name="alice"/><User guid="{G(50)}" '
                                                'name="bob"/></Users>'),
     None, ("two users have the guid",)),
    ("underscore-position", lambda: project_qde(STANCE, selection(200, "0", "1_0")), None,
     ("are not numbers",)),
    ("arabic-indic-position", lambda: project_qde(STANCE, selection(200, "0", "\u0669")), None,
     ("are not numbers",)),
    ("nul-in-source-file", lambda: project_qde(STANCE).replace(
        f"<PlainTextContent>{TEXT.strip()}</PlainTextContent>", "").replace(
        'name="doc1">', 'name="doc1" plainTextPath="internal://a.txt">'),
     {"sources/a.txt": b"Offi\x00cials said the plan."}, ("sources/a.txt", "NUL")),
]


@pytest.mark.parametrize(("qde", "members", "words"),
                         [(q, m, w) for _, q, m, w in HOSTILE_QDPX],
                         ids=[name for name, *_ in HOSTILE_QDPX])
def test_refi_qdpx_hostile_input_is_refused(tmp_path: Path, project: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            qde: Callable[[], str],
                                            members: dict[str, bytes] | None,
                                            words: tuple[str, ...]) -> None:
    """Before: the second of two codes with one GUID was kept (the span coded "favour" came in
    as "against"), nameless codes shared the GUID "", a link between duplicate selections
    became a span's relation to itself, "1_0" was read as 10, a NUL went into the text."""
    source = qdpx(tmp_path / "in.qdpx", qde(), members)
    refused_untouched(capsys, project, source, "refi-qda", "in.qdpx", *words)


@pytest.mark.parametrize("names", [("project.qde", "project.qde"),
                                   ("project.qde", "Project.QDE"),
                                   ("sources/a.txt", "Sources/A.txt")],
                         ids=["same-name", "project-case", "source-case"])
def test_refi_qdpx_with_one_name_twice_is_refused(tmp_path: Path, project: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  names: tuple[str, str]) -> None:
    """Two ``project.qde`` entries: the last one extracted was read; ``project.qde`` and
    ``Project.QDE`` (or two sources differing in case): whichever the folder listed first."""
    import warnings

    source = tmp_path / "in.qdpx"
    qde = project_qde(STANCE).replace(f"<PlainTextContent>{TEXT.strip()}</PlainTextContent>",
                                      "").replace('name="doc1">',
                                                  'name="doc1" plainTextPath="internal://a.txt">')
    with warnings.catch_warnings(), zipfile.ZipFile(source, "w") as z:
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name: that is the point
        if names[0] == "project.qde":
            z.writestr("sources/a.txt", TEXT)
            z.writestr(names[0], qde)
            z.writestr(names[1], qde.replace('name="favour"', 'name="against"'))
        else:
            z.writestr("project.qde", qde)
            z.writestr(names[0], TEXT)
            z.writestr(names[1], "Another text altogether.")
    refused_untouched(capsys, project, source, "refi-qda", "in.qdpx", "two entries of one name")


@pytest.mark.parametrize(("codes", "words"), [
    (code(1, "stance", code(2, "favour") + code(2, "against"), "false"),
     ("two codes have the guid",)),
    ('<Code name="stance" isCodable="false"><Code name="a" isCodable="true"/></Code>',
     ("has no guid",)),
], ids=["duplicate-guid", "no-guid"])
def test_refi_qdc_duplicate_or_missing_guid_is_refused(tmp_path: Path, project: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       codes: str, words: tuple[str, ...]
                                                       ) -> None:
    source = tmp_path / "book.qdc"
    source.write_text(f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{codes}</Codes>'
                      "</CodeBook>")
    refused_untouched(capsys, project, source, "refi-qdc", "book.qdc", *words)


def test_refi_export_says_when_a_name_holds_what_xml_cannot(tmp_path: Path) -> None:
    """A label, note or annotator with a control character was written with U+FFFD in its
    place without a word (read back as another label)."""
    doc = CorpusDocument("d", TEXT, spans=[
        SpanRecord("s1", "stance", "fa\x01v", ((0, 9),), note="n\x00ote", annotator="bo\x02b"),
        SpanRecord("s2", "stance", "favour", ((10, 14),))])
    summary = get_format("refi-qda").write([doc], tmp_path / "o.qdpx", default_tagset(),
                                           WriteOptions())
    assert [n for reason, n in summary.dropped.items() if "XML 1.0 cannot hold" in reason] == [3]


# --- round trips: import → export → import gives the same spans -----------------------------

def spans_of(path: Path) -> list[tuple[str, str, str, tuple[tuple[int, int], ...], str]]:
    with Project.open(path, readonly=True) as p:
        return sorted((d.text, s.layer, s.label, s.fragments,
                       repr(sorted((k, v) for k, v in s.attributes.items())))
                      for d in p.iter_corpus() for s in d.spans)


def relations_of(path: Path) -> list[tuple[str, str, str]]:
    with Project.open(path, readonly=True) as p:
        out = []
        for d in p.iter_corpus():
            text_of = {s.key: d.text[s.start:s.end] for s in d.spans}
            out += [(r.type, text_of[r.source], text_of[r.target]) for r in d.relations]
        return sorted(out)


def doc_labels_of(path: Path) -> list[tuple[str, str, str, str]]:
    with Project.open(path, readonly=True) as p:
        return sorted((d.text, a.layer, a.label, repr(sorted(a.attributes.items())))
                      for d in p.iter_corpus() for a in d.doc_annotations)


def round_trip(tmp_path: Path, fmt: str, source: Path, out_name: str) -> tuple[Path, Path]:
    first, second = tmp_path / "first.annot", tmp_path / "second.annot"
    for p in (first, second):
        assert main(["new", str(p)]) == 0
    assert main(["import", "--format", fmt, str(first), str(source)]) == 0
    out = tmp_path / out_name
    assert main(["export", "--format", fmt, "-o", str(out), str(first)]) == 0
    assert main(["import", "--format", fmt, str(second), str(out)]) == 0
    return first, second


def test_ptc_round_trip_keeps_every_span(tmp_path: Path) -> None:
    text = "Officials said the plan may fail 👍🏽. Cafe\u0301 owners disagree.\n"
    folder = tmp_path / "ptc"
    folder.mkdir()
    (folder / "article9.txt").write_text(text)
    (folder / "article9.labels.tsv").write_text(
        "9\tLoaded_Language\t0\t9\n9\tDoubt\t24\t32\n9\tloaded language\t33\t35\n"
        "9\tSome_Unlisted_Technique\t37\t42\n")
    first, second = round_trip(tmp_path, "ptc", folder, "out")
    assert len(spans_of(first)) == 4
    assert spans_of(second) == spans_of(first)


def test_mpqa_round_trip_keeps_every_span_and_link(tmp_path: Path) -> None:
    text = "Officials said the plan was good, and critics feared it.\n"
    at = text.index
    rows = [f'1\t{at("Officials")},{at("Officials") + 9}\tstring\tGATE_agent\t '
            'nested-source="w,off" id="off"',
            f'2\t{at("said")},{at("said") + 4}\tstring\tGATE_direct-subjective\t '
            'nested-source="w,off" attitude-link="a1" intensity="medium"',
            f'3\t{at("good")},{at("good") + 4}\tstring\tGATE_attitude\t id="a1" '
            'attitude-type="sentiment-pos" target-link="t1"',
            f'4\t{at("the plan")},{at("the plan") + 8}\tstring\tGATE_target\t id="t1"',
            f'5\t{at("feared")},{at("feared") + 6}\tstring\tGATE_expressive-subjectivity\t '
            'nested-source="w" polarity="negative" id="a1"']  # an id reused: renamed on export
    root = mpqa_db(tmp_path / "db", ("\n".join(rows) + "\n").encode(), text.encode())
    first, second = round_trip(tmp_path, "mpqa", root, "out")
    assert len(spans_of(first)) == 5
    assert relations_of(second) == relations_of(first) != []

    def without_ids(spans: list) -> list:  # type: ignore[type-arg]
        return [s[:4] for s in spans]
    assert without_ids(spans_of(second)) == without_ids(spans_of(first))


def test_semeval_round_trip_keeps_every_stance(tmp_path: Path) -> None:
    source = tmp_path / "train.txt"
    source.write_bytes(HEADER + b"101\tAtheism\t\x93God\x94 is good\tAGAINST\r\n"
                       b"102\tClimate\tIt is real #SemST\tFAVOR\r\n103\tClimate\tMeh\tNONE\r\n")
    first, second = round_trip(tmp_path, "semeval-stance", source, "out.txt")
    assert len(doc_labels_of(first)) == 3
    assert doc_labels_of(second) == doc_labels_of(first)
    assert (tmp_path / "out.txt").read_bytes() == source.read_bytes()


def test_refi_round_trip_keeps_every_span(tmp_path: Path) -> None:
    selections = (selection(200, "0", "9") + selection(201, "15", "23", code_n=3)
                  + selection(202, "24", "32", code_n=2))
    qde = project_qde(code(1, "stance", code(2, "favour") + code(3, "target"), "false"),
                      selections,
                      links=f'<Links><Link guid="{G(400)}" name="targets" '
                            f'originGUID="{G(200)}" targetGUID="{G(201)}"/></Links>')
    source = qdpx(tmp_path / "in.qdpx", qde)
    first, second = round_trip(tmp_path, "refi-qda", source, "out.qdpx")
    assert len(spans_of(first)) == 3
    assert spans_of(second) == spans_of(first)
    assert relations_of(second) == relations_of(first) == [("targets", "Officials", "the plan")]
