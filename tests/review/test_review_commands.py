"""`annotator agree` and `annotator merge` on two small annotators' files (hand-checked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from review_data import T1, T2, add_traps, fingerprint

from annotator.cli import main
from annotator.core.project import Project


def agree_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["agree", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_agree_json_keys_and_values(pair: tuple[Path, Path], capsys) -> None:  # noqa: ANN001
    a, b = pair
    out = agree_json(capsys, str(a), str(b))
    assert out["documents"] == {"matched": 2, "only_a": 1, "only_b": 2}
    assert out["annotators"] == ["alice", "bob"]
    assert set(out["layers"]) == {"attribution", "hedging", "rhetoric", "stance"}
    for layer in out["layers"].values():
        assert {"f1_exact", "f1_overlap", "kappa", "alpha", "spans_a", "spans_b",
                "labels"} <= set(layer)
        for label in layer["labels"].values():
            assert {"f1_exact", "f1_overlap"} <= set(label)
    att = out["layers"]["attribution"]
    assert (att["f1_exact"], att["f1_overlap"], att["kappa"], att["alpha"]) == (1, 1, 1, 1)
    hedge = out["layers"]["hedging"]
    assert (hedge["spans_a"], hedge["spans_b"]) == (2, 2)
    assert hedge["f1_exact"] == 0.5  # "seem" matches, "may" vs "may fail" does not
    assert hedge["f1_overlap"] == 1.0
    assert hedge["attributes"]["certainty"] == {"pairs": 1, "agreeing": 0, "proportion": 0.0,
                                                "kappa": 0.0}
    stance = out["layers"]["stance"]
    assert (stance["spans_a"], stance["spans_b"], stance["f1_exact"]) == (1, 2, 0.0)
    assert stance["labels"]["target"]["spans_b"] == 2
    rhet = out["layers"]["rhetoric"]
    assert (rhet["spans_a"], rhet["spans_b"], rhet["f1_exact"], rhet["f1_overlap"]) == (
        1, 0, 0.0, 0.0)
    assert out["relations"]["matched"] == 1


def test_agree_layer_filter_and_table(pair: tuple[Path, Path], capsys) -> None:  # noqa: ANN001
    a, b = pair
    out = agree_json(capsys, str(a), str(b), "--layer", "hedging")
    assert list(out["layers"]) == ["hedging"]
    assert main(["agree", str(a), str(b)]) == 0
    text = capsys.readouterr().out
    assert "2 matched, 1 only in alice, 2 only in bob" in text
    assert "hedging" in text and "0.500" in text


def test_agree_three_files(pair: tuple[Path, Path], tmp_path: Path, capsys) -> None:  # noqa: ANN001
    a, b = pair
    c = tmp_path / "carol.annot"
    with Project.create(c, annotator="") as p:
        from review_data import alice_docs

        p.import_documents(alice_docs()[:1])
    out = agree_json(capsys, str(a), str(b), str(c))
    assert out["documents"]["matched"] == 1
    assert out["annotators"] == ["alice", "bob", "carol"]
    # per-file matching: each file's documents, matched by all and by each other file
    assert out["documents"]["files"] == {
        "alice": {"documents": 3, "matched_all": 1, "matched_with": {"bob": 2, "carol": 1}},
        "bob": {"documents": 4, "matched_all": 1, "matched_with": {"alice": 2, "carol": 1}},
        "carol": {"documents": 1, "matched_all": 1, "matched_with": {"alice": 1, "bob": 1}},
    }
    assert "only_a" not in out["documents"]
    # one entry per pair, each over the documents that pair shares: alice-bob keeps T2,
    # which carol lacks, and equals the two-file comparison exactly
    assert [(p["a"], p["b"]) for p in out["pairs"]] == [("alice", "bob"), ("alice", "carol"),
                                                         ("bob", "carol")]
    two = agree_json(capsys, str(a), str(b))
    ab = out["pairs"][0]
    assert ab["documents"] == two["documents"] == {"matched": 2, "only_a": 1, "only_b": 2}
    assert ab["layers"] == {k: v for k, v in two["layers"].items()}
    assert ab["relations"] == two["relations"]
    assert out["pairs"][1]["documents"] == {"matched": 1, "only_a": 2, "only_b": 0}
    # alice and carol annotated T1 identically
    assert out["pairs"][1]["layers"]["hedging"]["f1_exact"] == 1.0
    assert set(out["pairs"][2]["layers"]) == set(out["layers"])
    assert main(["agree", str(a), str(b), str(c)]) == 0
    table = capsys.readouterr().out
    assert "Pair alice / bob: 2 shared documents" in table
    assert "alice: 3 documents, 1 matched by all; 2 by bob, 1 by carol" in table


def test_agree_json_is_full_precision(pair: tuple[Path, Path], capsys) -> None:  # noqa: ANN001
    from annotator.review.report import agreement_of

    a, b = pair
    out = agree_json(capsys, str(a), str(b))
    result = agreement_of([str(a), str(b)])
    kappa = result.layers["stance"].kappa
    assert kappa is not None and round(kappa, 4) != kappa  # a value with more than 4 decimals
    assert out["layers"]["stance"]["kappa"] == kappa
    assert out["layers"]["stance"]["alpha"] == result.layers["stance"].alpha
    target = result.layers["stance"].labels["target"]
    assert out["layers"]["stance"]["labels"]["target"]["alpha"] == target.tokens.alpha


def test_agree_without_a_common_document_exits_1(pair: tuple[Path, Path], tmp_path: Path,
                                                 capsys) -> None:  # noqa: ANN001
    a, _ = pair
    other = tmp_path / "dave.annot"
    with Project.create(other, annotator="dave") as p:
        from annotator.core.model import CorpusDocument

        p.import_documents([CorpusDocument("x", "A text nobody else has.")])
    capsys.readouterr()
    assert main(["agree", str(a), str(other), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "no document in common" in err[0] and "alice.annot" in err[0]


def test_agree_unknown_layer_exits_1(pair: tuple[Path, Path], capsys) -> None:  # noqa: ANN001
    a, b = pair
    capsys.readouterr()
    assert main(["agree", str(a), str(b), "--layer", "hedgign", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "unknown layer 'hedgign'" in err[0] and "hedging" in err[0]
    # known layers are accepted and reported in the order given
    out = agree_json(capsys, str(a), str(b), "--layer", "rhetoric", "--layer", "hedging")
    assert list(out["layers"]) == ["rhetoric", "hedging"]


def test_agree_refuses_bad_input(pair: tuple[Path, Path], tmp_path: Path, capsys) -> None:  # noqa: ANN001
    a, _ = pair
    junk = tmp_path / "junk.annot"
    junk.write_text("not a database")
    assert main(["agree", str(a), str(junk)]) == 1
    err = capsys.readouterr().err
    assert "junk.annot" in err and len(err.strip().splitlines()) == 1
    assert main(["agree", str(a)]) == 1
    assert main(["agree", str(a), str(a)]) == 1


@pytest.mark.parametrize("traps", [False, True])
def test_colleague_files_are_never_touched(pair: tuple[Path, Path], tmp_path: Path, capsys,  # noqa: ANN001
                                           traps: bool) -> None:
    a, b = pair
    if traps:
        add_traps(b)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    before = fingerprint(a), fingerprint(b)
    assert main(["agree", str(a), str(b), "--json"]) == 0
    assert main(["agree", str(b), str(a), "--report", str(tmp_path / "r.html")]) == 0
    assert main(["merge", str(a), str(b), "-o", str(tmp_path / "gold.annot")]) == 0
    assert main(["merge", str(b), str(a), "-o", str(tmp_path / "gold2.annot"),
                 "--prefer", "a"]) == 0
    assert (fingerprint(a), fingerprint(b)) == before  # bytes, mtime, no -journal/-wal/-shm
    capsys.readouterr()
    if traps:
        import sqlite3

        con = sqlite3.connect(f"file:{b}?mode=ro", uri=True)
        assert con.execute("SELECT count(*) FROM trap_log").fetchone() == (0,)
        con.close()
        with Project.open(tmp_path / "gold2.annot", readonly=True) as g:
            assert all(d.title != "pwned" for d in g.documents())


def gold_spans(path: Path) -> dict[str, list[tuple[str, str, str, str]]]:
    """Per document text: (layer, label, covered text, annotator), sorted."""
    out = {}
    with Project.open(path, readonly=True) as p:
        for doc in p.iter_corpus():
            out[doc.text] = sorted((s.layer, s.label, doc.text[s.start:s.end], s.annotator)
                                   for s in doc.spans)
    return out


@pytest.mark.parametrize("prefer", ["agreed", "a", "b"])
def test_merge_each_preference(pair: tuple[Path, Path], tmp_path: Path, prefer: str,
                               capsys) -> None:  # noqa: ANN001
    a, b = pair
    gold = tmp_path / f"gold-{prefer}.annot"
    assert main(["merge", str(a), str(b), "-o", str(gold), "--prefer", prefer]) == 0
    spans = gold_spans(gold)
    agreed = [("attribution", "cue", "said", "alice+bob"),
              ("attribution", "source", "Officials", "alice+bob")]
    if prefer == "agreed":
        assert spans[T1] == agreed
        assert spans[T2] == [("hedging", "hedge", "seem", "alice+bob")]
    elif prefer == "a":
        assert spans[T1] == sorted([*agreed, ("hedging", "hedge", "may", "alice"),
                                    ("rhetoric", "technique", "👍🏽", "alice")])
        assert spans[T2] == [("hedging", "hedge", "seem", "alice"),
                             ("stance", "stance", "جيدة", "alice")]
    else:
        assert spans[T1] == sorted([*agreed, ("hedging", "hedge", "may fail", "bob"),
                                    ("stance", "target", "the plan", "bob")])
        assert spans[T2] == [("hedging", "hedge", "seem", "bob"),
                             ("stance", "target", "جيدة", "bob")]
    with Project.open(gold, readonly=True) as p:
        docs = {d.text: d for d in p.iter_corpus()}
        assert len(docs[T1].relations) == 1  # both ends kept
        log = docs[T1].meta["adjudication"]
        assert {e["by"] for e in log} == {"annotator merge"}
        assert {e["kind"] for e in log} >= {"agreed", "boundaries", "only_a", "only_b"}
    assert "only in alice: a-only" in capsys.readouterr().err


def test_merge_refuses_existing_output(pair: tuple[Path, Path], capsys) -> None:  # noqa: ANN001
    a, b = pair
    before = fingerprint(b)
    assert main(["merge", str(a), str(b), "-o", str(b)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert fingerprint(b) == before


def test_report_html_and_csv(pair: tuple[Path, Path], tmp_path: Path, capsys) -> None:  # noqa: ANN001
    a, b = pair
    html_path, csv_path = tmp_path / "r.html", tmp_path / "r.csv"
    assert main(["agree", str(a), str(b), "--report", str(html_path)]) == 0
    assert main(["agree", str(a), str(b), "--report", str(csv_path)]) == 0
    page = html_path.read_text(encoding="utf-8")
    assert "<svg" in page and "hedging / hedge" in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("layer,label,spans_a,spans_b,f1_exact,f1_overlap,kappa,alpha,")
    assert "hedging,,2,2,0.5,1.0," in "\n".join(lines)
    # every number at full precision: the CSV cells read back as the JSON's floats, exactly
    capsys.readouterr()
    out = agree_json(capsys, str(a), str(b))
    import csv

    rows = {(r["layer"], r["label"]): r for r in csv.DictReader(lines)}
    for name, layer in out["layers"].items():
        for key in ("kappa", "alpha", "f1_overlap"):
            cell = rows[(name, "")][key]
            assert (float(cell) if cell else None) == layer[key]
    assert main(["agree", str(a), str(b), "--report", str(tmp_path / "r.pdf")]) == 1
