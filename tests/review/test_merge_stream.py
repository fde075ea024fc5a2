"""`annotator merge A B` one chunk of documents at a time (annotator.review.merge_stream) gives
what the whole-file merge gave: the same gold file (its JSONL export, byte for byte, its tagset
and annotator), the same summary and "not merged" lines, the same refusals; and a failure half
way leaves no output file and the inputs untouched."""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import CorpusDocument, DocAnnotationRecord, RelationRecord, SpanRecord
from annotator.core.project import Project

WORDS = ("officials", "said", "the", "plan", "may", "fail", "critics", "claim", "it", "was",
         "rushed", "ministers", "insist", "seems", "sound", "é", "👍🏽", "قال")
LAYERS = {"attribution": ["source", "cue"], "hedging": ["hedge", "scope"],
          "stance": ["stance", "target"]}
STAMP = "2026-01-02T03:04:05Z"


def text_of(rnd: random.Random) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < 120:
        words.append(rnd.choice(WORDS))
    return " ".join(words)[:120].ljust(120, ".")  # one length: texts can be swapped (dupes)


def spans_of(rnd: random.Random, text: str, n: int) -> list[SpanRecord]:
    out = []
    for k in range(n):
        s = rnd.randrange(0, len(text) - 12)
        layer = rnd.choice(list(LAYERS))
        attrs = {"certainty": rnd.choice(["low", "high"])} if rnd.random() < 0.3 else {}
        frags = ((s, s + rnd.randrange(1, 12)),)
        if rnd.random() < 0.1:  # a discontinuous span
            frags = ((s, s + 2), (s + 5, s + 9))
        out.append(SpanRecord(f"s{k}", layer, rnd.choice(LAYERS[layer]), frags, attrs,
                              note=rnd.choice(["", "check"])))
    return out


def coder_b(rnd: random.Random, text: str, spans: list[SpanRecord]) -> list[SpanRecord]:
    """B's version of A's spans: some relabelled, stretched, given other attributes, dropped,
    and a few of B's own."""
    out = []
    for sp in spans:
        roll = rnd.random()
        if roll < 0.1:
            continue
        if roll < 0.2:
            sp = SpanRecord(sp.key, sp.layer, rnd.choice(LAYERS[sp.layer]), sp.fragments,
                            sp.attributes, sp.note)
        elif roll < 0.3 and len(sp.fragments) == 1:
            (s, e), = sp.fragments
            sp = SpanRecord(sp.key, sp.layer, sp.label, ((s, min(len(text), e + 2)),),
                            sp.attributes, sp.note)
        elif roll < 0.4:
            sp = SpanRecord(sp.key, sp.layer, sp.label, sp.fragments,
                            {"certainty": "medium", "extra": 1}, sp.note)
        out.append(sp)
    out += [replace(x, key=f"b{k}") for k, x in
            enumerate(spans_of(rnd, text, rnd.randrange(0, 3)))]
    return out


def relations_of(rnd: random.Random, spans: list[SpanRecord]) -> list[RelationRecord]:
    if len(spans) < 2:
        return []
    out = []
    for k in range(rnd.randrange(0, 3)):
        src, tgt = rnd.sample(spans, 2)
        attrs = {"strength": rnd.choice([1, 2])} if rnd.random() < 0.5 else {}
        out.append(RelationRecord(f"r{k}", rnd.choice(["cue_of", "about"]), src.key, tgt.key,
                                  attrs))
    return out


def labels_of(rnd: random.Random) -> list[DocAnnotationRecord]:
    out = [DocAnnotationRecord("article_stance", rnd.choice(["for", "against"]))]
    if rnd.random() < 0.5:
        out.append(DocAnnotationRecord("genre", rnd.choice(["news", "opinion"]),
                                       {"sure": rnd.choice([True, False])}))
    return out


def make_pair(folder: Path, seed: int, docs: int, names: tuple[str, str] = ("alice", "bob")
              ) -> tuple[Path, Path]:
    """Two coders' files over partly shared texts: documents only in A, only in B, B's in
    another order and under other names, two documents of A with one text, A's positions not in
    id order; spans, discontinuous spans, attributes, notes, relations, document labels."""
    rnd = random.Random(seed)
    a_docs, b_docs = [], []
    for d in range(docs):
        text = text_of(rnd)
        where = rnd.random()
        a_spans = spans_of(rnd, text, rnd.randrange(0, 7))
        b_spans = coder_b(rnd, text, a_spans)
        if where < 0.8 or d == 0:  # A has it
            a_docs.append(CorpusDocument(f"doc-{d}", text, title=f"Doc {d}",
                                         meta={"outlet": f"o{d % 3}", "n": d},
                                         status=rnd.choice(["new", "done"]), spans=a_spans,
                                         relations=relations_of(rnd, a_spans),
                                         doc_annotations=labels_of(rnd)))
        if where > 0.15 or d == 0:  # B has it
            b_docs.append(CorpusDocument(f"bob-{d}", text, title=f"B's {d}", spans=b_spans,
                                         relations=relations_of(rnd, b_spans),
                                         doc_annotations=labels_of(rnd)))
    rnd.shuffle(b_docs)
    folder.mkdir(parents=True, exist_ok=True)
    a, b = folder / "a.annot", folder / "b.annot"
    for path, name, items in ((a, names[0], a_docs), (b, names[1], b_docs)):
        with Project.create(path, annotator=name) as p:
            p.import_documents(items)
            own = p.tagset  # a layer of each coder's own: the gold file has A's tagset
            own.ensure_label(f"{path.stem}_only", "unused")
            p.set_tagset(own)
    con = sqlite3.connect(a)
    with con:  # a second document with the text of the first (import would refuse it)...
        con.execute("UPDATE document SET text = (SELECT text FROM document ORDER BY id LIMIT 1) "
                    "WHERE id = (SELECT max(id) FROM document)")
        # ...and positions out of id order
        con.execute("UPDATE document SET position = -position WHERE id % 3 = 0")
    con.close()
    return a, b


def old_merge(a: Path, b: Path, out: Path, prefer: str) -> int:
    """The whole-file merge, as run_merge ran it for two files before the chunked one."""
    from annotator.review.adjudicate import automatic, write_gold
    from annotator.review.sources import load_review

    review = load_review([a, b])
    adj = automatic(review, prefer)
    x, y = review.annotators
    spans = write_gold(out, adj.gold(), tagset=review.sides[0].tagset, annotator=f"{x}+{y}")
    print(f"merged {len(review.matched)} document(s), {spans} span(s) into {out} "
          f"(prefer {prefer})")
    for name, only in zip(review.annotators, review.only, strict=True):
        if only:
            print(f"not merged, only in {name}: {', '.join(only)}", file=sys.stderr)
    return 0


def exported(path: Path, tmp: Path) -> bytes:
    target = tmp / f"{path.name}.jsonl"
    assert main(["export", str(path), "--format", "jsonl", "-o", str(target)]) == 0
    return target.read_bytes()


def setting(path: Path) -> tuple[str, dict[str, object]]:
    with Project.open(path, readonly=True) as p:
        return p.annotator, p.tagset.to_dict()


@pytest.fixture(autouse=True)
def _one_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every decision and row stamped alike, so that two merges can be compared."""
    import annotator.core.annotations

    monkeypatch.setattr(annotator.core.annotations, "now_iso", lambda: STAMP)
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(tmp_path / "backups"))


@pytest.mark.parametrize("seed, docs, chunk, prefer, names", [
    (1, 30, 4, "a", ("alice", "bob")),
    (2, 30, 4, "b", ("alice", "bob")),
    (3, 25, 1, "agreed", ("alice", "bob")),
    (4, 40, 7, "a", ("same", "same")),  # names from the file stems
    (5, 12, 500, "b", ("", "bob")),  # one chunk
])
def test_the_chunked_merge_writes_what_the_whole_file_merge_wrote(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        seed: int, docs: int, chunk: int, prefer: str, names: tuple[str, str]) -> None:
    from annotator.review import merge_stream

    monkeypatch.setattr(merge_stream, "CHUNK", chunk)
    a, b = make_pair(tmp_path / "in", seed, docs, names)
    old, new = tmp_path / "old" / "gold.annot", tmp_path / "new" / "gold.annot"
    old.parent.mkdir()
    new.parent.mkdir()
    assert old_merge(a, b, old, prefer) == 0
    old_out, old_err = capsys.readouterr()
    calls: list[int] = []
    import annotator.review.adjudicate as adjudicate

    whole = adjudicate.automatic

    def counted(review, prefer, **kw):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN003, ANN202
        calls.append(len(review.matched))
        return whole(review, prefer, **kw)

    monkeypatch.setattr(adjudicate, "automatic", counted)
    assert main(["merge", str(a), str(b), "-o", str(new), "--prefer", prefer]) == 0
    new_out, new_err = capsys.readouterr()
    assert new_out.replace(str(new), "OUT") == old_out.replace(str(old), "OUT")
    assert new_err == old_err
    assert "not merged, only in" in old_err
    matched = int(old_out.split()[1])
    assert calls == [min(chunk, matched - k) for k in range(0, matched, chunk)]  # chunked
    old_bytes, new_bytes = exported(old, tmp_path), exported(new, tmp_path)
    assert new_bytes == old_bytes
    assert old_bytes.count(b"\n") == matched > 0
    assert b'"adjudication"' in old_bytes and b"doc_annotations" in old_bytes
    assert setting(new) == setting(old)


def test_no_document_in_common_writes_an_empty_gold_file_as_before(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, _ = make_pair(tmp_path / "one", 1, 5)
    _, b = make_pair(tmp_path / "two", 99, 5)
    old, new = tmp_path / "old.annot", tmp_path / "new.annot"
    old_merge(a, b, old, "a")
    old_out, old_err = capsys.readouterr()
    assert main(["merge", str(a), str(b), "-o", str(new), "--prefer", "a"]) == 0
    new_out, new_err = capsys.readouterr()
    assert old_out.startswith("merged 0 document(s), 0 span(s)")
    assert (new_out.replace(str(new), "OUT"), new_err) == (old_out.replace(str(old), "OUT"),
                                                           old_err)
    assert exported(new, tmp_path) == exported(old, tmp_path) == b""


def refusal(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["merge", *argv]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def test_refusals_are_the_ones_of_before(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    a, b = make_pair(tmp_path, 1, 4)
    out = tmp_path / "gold.annot"
    twice = refusal(capsys, str(a), str(tmp_path / "." / "a.annot"), "-o", str(out))
    assert twice == f"annotator: {a}: the same project file is given twice\n"
    out.write_bytes(b"x")
    there = refusal(capsys, str(a), str(b), "-o", str(out))
    assert there == f"annotator: {out}: already exists; merge writes a new file only\n"
    out.unlink()
    nowhere = tmp_path / "missing" / "gold.annot"
    err = refusal(capsys, str(a), str(b), "-o", str(nowhere))
    assert err == f"annotator: {nowhere}: folder {nowhere.parent} does not exist\n"
    missing = refusal(capsys, str(a), str(tmp_path / "nobody.annot"), "-o", str(out))
    from annotator.core.errors import AnnotatorError
    from annotator.review.sources import load_review

    with pytest.raises(AnnotatorError) as old:
        load_review([a, tmp_path / "nobody.annot"])
    assert missing == f"annotator: {old.value}\n"
    unknown = refusal(capsys, str(a), str(b), "--annotators", "alice,carol", "-o", str(out))
    assert "no annotator 'carol' (there are: alice, bob)" in unknown
    assert not out.exists()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("where", ["writer", "adjudication"])
def test_a_failure_half_way_leaves_no_output_and_the_inputs_as_they_were(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """The third chunk fails, after two were written into the output's one transaction."""
    import annotator.core.bulk as bulk
    import annotator.review.adjudicate as adjudicate
    from annotator.review import merge_stream

    a, b = make_pair(tmp_path / "in", 7, 40)
    before = snapshot(tmp_path / "in")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "gold.annot"
    monkeypatch.setattr(merge_stream, "CHUNK", 3)
    calls: list[int] = []
    if where == "writer":  # the writer inserts every chunk's rows: it fails on the third
        monkeypatch.setattr(bulk, "BATCH", 3)
        insert = bulk._insert

        def failing(*args):  # type: ignore[no-untyped-def]  # noqa: ANN002, ANN202
            calls.append(len(args[3]))
            if len(calls) == 3:
                raise RuntimeError("disk trouble")
            return insert(*args)

        monkeypatch.setattr(bulk, "_insert", failing)
    else:
        whole = adjudicate.automatic

        def failing(review, prefer, **kw):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN003, ANN202
            calls.append(len(review.matched))
            if len(calls) == 3:
                raise RuntimeError("disk trouble")
            return whole(review, prefer, **kw)

        monkeypatch.setattr(adjudicate, "automatic", failing)
    args = argparse.Namespace(project_a=str(a), project_b=str(b), output=str(out),
                              annotators=None, prefer="a")
    from annotator.review.report import run_merge

    with pytest.raises(RuntimeError, match="disk trouble"):
        run_merge(args)
    assert len(calls) == 3 and calls[0] > 0
    assert list(out_dir.iterdir()) == []  # no output, no temporary file
    assert snapshot(tmp_path / "in") == before
    monkeypatch.undo()  # and the same merge then runs through
    monkeypatch.setenv("ANNOTATOR_BACKUP_DIR", str(tmp_path / "backups"))
    assert run_merge(args) == 0
    assert [p.name for p in out_dir.iterdir()] == ["gold.annot"]


def test_a_kill_half_way_leaves_no_output_file(tmp_path: Path) -> None:
    """Killed while the third chunk is written: no gold file (only the temporary one, which the
    next merge replaces), the inputs as they were."""
    a, b = make_pair(tmp_path / "in", 8, 40)
    before = snapshot(tmp_path / "in")
    out = tmp_path / "gold.annot"
    script = textwrap.dedent(f"""
        import os, signal
        import annotator.core.bulk as bulk
        from annotator.review import merge_stream
        merge_stream.CHUNK = 3
        bulk.BATCH = 3
        insert, calls = bulk._insert, []
        def killed(*args):
            calls.append(1)
            if len(calls) == 3:
                os.kill(os.getpid(), signal.SIGKILL)
            return insert(*args)
        bulk._insert = killed
        from annotator.cli import main
        main(["merge", {str(a)!r}, {str(b)!r}, "-o", {str(out)!r}, "--prefer", "b"])
    """)
    env = {**os.environ, "ANNOTATOR_BACKUP_DIR": str(tmp_path / "backups")}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert not out.exists()
    assert (tmp_path / ".gold.annot.part").exists()  # the unfinished one, under its own name
    assert snapshot(tmp_path / "in") == before
    assert main(["merge", str(a), str(b), "-o", str(out), "--prefer", "b"]) == 0
    assert not (tmp_path / ".gold.annot.part").exists()
    with Project.open(out, readonly=True) as p:
        assert len(p.documents()) > 6


@pytest.mark.parametrize("change", ["gone", "other text"])
def test_a_document_changed_since_the_matching_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        change: str) -> None:
    """B edited in a window while the merge runs (read live): a matched document gone, or
    with another text, when its chunk is read is refused, and nothing is written."""
    from annotator.review import merge_stream

    a, b = make_pair(tmp_path / "in", 3, 30)
    out = tmp_path / "gold.annot"
    monkeypatch.setattr(merge_stream, "CHUNK", 4)
    reader = merge_stream._reader
    calls: list[int] = []

    def edited(project, layers):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
        read = reader(project, layers)
        if Path(project.path).name != "b.annot":
            return read

        def read_b(ids: list[int]) -> list[CorpusDocument]:
            calls.append(len(ids))
            docs = read(ids)
            if len(calls) == 2 and change == "gone":
                del docs[1]
            elif len(calls) == 2:
                docs[1] = replace(docs[1], text=docs[1].text.upper())
            return docs

        return read_b

    monkeypatch.setattr(merge_stream, "_reader", edited)
    err = refusal(capsys, str(a), str(b), "-o", str(out))
    assert err == (f"annotator: {b}: changed while it was being merged; nothing was written "
                   "(merge again)\n")
    assert len(calls) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "in"]  # no gold, no part
