"""alpha_U, gamma, AC1, boundary F1, confusion, intervals and per-document figures of `agree`."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from review_data import T1, T2, alice_docs, bob_docs

from annotator.cli import main
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.project import Project
from annotator.review import resample, unitizing
from annotator.review.agreement import Annotations, MatchedDocument, compute_agreement
from annotator.review.measures import boundary_counts, compute_measures, worst_first
from annotator.review.tokens_agreement import coefficients


def span(key: str, label: str, *frags: tuple[int, int], layer: str = "hedging") -> SpanRecord:
    return SpanRecord(key, layer, label, tuple(frags))


def words(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for w in text.split(" "):
        out.append((pos, pos + len(w)))
        pos += len(w) + 1
    return out


def test_gwet_ac1_skewed_table_and_token_coefficients_agree() -> None:
    # DKPro Statistics' resources/gwet/fixture_01_paradox_2x2.json (values from R irrCAC 1.4):
    # table [[80, 7], [8, 5]], pa 0.85, pe 0.21875, AC1 0.808
    table = {("1", "1"): 80, ("1", "2"): 7, ("2", "1"): 8, ("2", "2"): 5}
    t = resample.TokenTables([table], 2)
    got = t.coefficients(t.matrix)
    assert got["ac1"][0] == pytest.approx((0.85 - 0.21875) / (1 - 0.21875))
    assert round(float(got["ac1"][0]), 3) == 0.808
    ref = coefficients(table, 2)
    assert got["kappa"][0] == pytest.approx(ref.kappa)
    assert got["alpha"][0] == pytest.approx(ref.alpha)
    three = {("x", "x", "y"): 3, ("y", "y", "y"): 4, ("x", "y", "none"): 2}
    t3 = resample.TokenTables([three], 3)
    got3 = t3.coefficients(t3.matrix)
    ref3 = coefficients(three, 3)
    assert got3["kappa"][0] == pytest.approx(ref3.multi_kappa)
    assert got3["alpha"][0] == pytest.approx(ref3.alpha)
    # Gwet multi-rater by hand: p_a = (3*(1/3) + 4*1 + 2*0) / 9, pi from 27 values
    p_a = (3 * (2 / 6) + 4 * 1 + 0) / 9
    pi = {"x": 8 / 27, "y": 17 / 27, "none": 2 / 27}
    p_e = sum(p * (1 - p) for p in pi.values()) / 2
    assert got3["ac1"][0] == pytest.approx((p_a - p_e) / (1 - p_e))


def test_boundary_f1_by_jaccard() -> None:
    a = [span("a1", "hedge", (0, 10)), span("a2", "hedge", (20, 30)), span("a3", "x", (40, 50))]
    b = [span("b1", "hedge", (2, 10)), span("b2", "hedge", (25, 40)), span("b3", "y", (40, 50))]
    got = boundary_counts(a, b, 0.5)
    assert got["hedge"].matched == 1  # a1-b1 J = 8/10; a2-b2 J = 5/20
    assert got["hedge"].f1 == pytest.approx(2 * 1 / 4)
    assert boundary_counts(a, b, 0.25)["hedge"].matched == 2
    assert got["x"].matched == 0 and got["y"].n_b == 1  # other label never matches
    # one to one, best Jaccard first; a discontinuous span counts all its fragments
    two = boundary_counts([span("a", "h", (0, 10))], [span("b", "h", (0, 9)),
                                                       span("c", "h", (0, 10))], 0.5)
    assert two["h"].matched == 1
    gapped = boundary_counts([span("a", "h", (0, 4), (8, 12))], [span("b", "h", (0, 12))], 0.5)
    assert gapped["h"].matched == 1  # 8 / 12


def small_docs() -> list[MatchedDocument]:
    t = "aa bb cc dd ee ff gg hh"
    a = [span("1", "hedge", (0, 5)), span("2", "booster", (9, 14))]
    b = [span("1", "hedge", (0, 2)), span("2", "hedge", (9, 11)), span("3", "booster", (18, 23))]
    t2 = "one two three four"
    return [MatchedDocument("x", t, [Annotations(a), Annotations(b)]),
            MatchedDocument("y", t2, [Annotations([span("1", "hedge", (0, 7))]),
                                      Annotations([span("1", "hedge", (0, 7))])])]


def test_confusion_counts_tokens_by_hand() -> None:
    docs = small_docs()
    result = compute_agreement(docs, tokenize=words)
    m = compute_measures(result, docs, seed=1)
    conf = m.layers["hedging"].confusion
    assert conf["labels"] == ["booster", "hedge", "none"]
    # x: aa(h,h) bb(h,none) cc,dd none; ee(b,h) ff(b,none) gg,hh(none,b); y: one two (h,h)
    # three, four none
    assert conf["counts"] == [[0, 1, 1], [0, 3, 1], [2, 0, 4]]


def test_alpha_u_equals_the_exact_definition_corpus_and_document() -> None:
    docs = small_docs()
    result = compute_agreement(docs, tokenize=words)
    m = compute_measures(result, docs, seed=1)
    sections = {}
    for label in ("booster", "hedge"):
        sections[label] = [([unitizing.merge_units(f for s in side.spans if s.label == label
                                                   for f in s.fragments) for side in d.sides],
                            len(d.text)) for d in docs]
    terms = [unitizing.corpus_terms(sections[k]) for k in ("booster", "hedge")]
    d_o = sum((t.observed for t in terms), Fraction(0))
    d_e = sum((t.expected for t in terms), Fraction(0))
    assert m.layers["hedging"].alpha_u == pytest.approx(float(1 - d_o / d_e), rel=1e-12)
    assert m.layers["hedging"].labels["hedge"]["alpha_u"] == pytest.approx(terms[1].alpha)
    # a document alone is exactly DKPro's single-continuum case
    first = unitizing.unitizing_alpha({k: sections[k][0][0] for k in sections}, len(docs[0].text))
    assert m.documents[0].layers["hedging"]["alpha_u"] == pytest.approx(first.alpha)
    assert m.documents[1].layers["hedging"]["alpha_u"] == 1.0
    assert [d.name for d in worst_first(m.documents)] == ["x", "y"]


def test_intervals_are_seeded_and_contain_the_estimate_on_stable_data() -> None:
    docs = small_docs() * 10
    docs = [replace(d, name=f"{d.name}{k}") for k, d in enumerate(docs)]
    result = compute_agreement(docs, tokenize=words)
    one = compute_measures(result, docs, seed=5)
    assert one == compute_measures(result, docs, seed=5)
    other = compute_measures(result, docs, seed=6)
    lm = one.layers["hedging"]
    assert lm.ci != other.layers["hedging"].ci
    for key, value in (("kappa", result.layers["hedging"].kappa), ("alpha_u", lm.alpha_u),
                       ("ac1", lm.ac1), ("f1_boundary", lm.f1_boundary),
                       ("gamma", lm.gamma.gamma)):
        low, high = lm.ci[key]
        assert low <= value <= high, key
    # the same document twenty times: every replicate is the data, the interval is a point
    same = [replace(docs[0], name=f"s{k}") for k in range(20)]
    r = compute_agreement(same, tokenize=words)
    ci = compute_measures(r, same).layers["hedging"].ci
    assert ci["kappa"][0] == pytest.approx(ci["kappa"][1])
    assert ci["alpha_u"][0] == pytest.approx(ci["alpha_u"][1])


def shared_project(path: Path, names: tuple[str, ...] = ("alice", "bob")) -> Path:
    """One project holding both annotators' spans of T1 and T2 (one document each)."""
    sides = [alice_docs()[:2], bob_docs()[:2]]
    docs = []
    for k, text in enumerate((T1, T2)):
        spans = []
        for name, side in zip(names, sides, strict=False):
            spans += [replace(s, key=f"{name}-{s.key}", annotator=name) for s in side[k].spans]
        docs.append(CorpusDocument(f"d{k + 1}", text, spans=spans))
    with Project.create(path, annotator=names[0]) as p:
        p.import_documents(docs)
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["agree", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_one_project_with_two_annotators_equals_two_files(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    shared = shared_project(tmp_path / "study.annot")
    files = []
    for name, side in (("alice", alice_docs()[:2]), ("bob", bob_docs()[:2])):
        path = tmp_path / f"{name}.annot"
        with Project.create(path, annotator=name) as p:
            p.import_documents([replace(d, relations=[]) for d in side])
        files.append(str(path))
    one = run_json(capsys, str(shared))
    two = run_json(capsys, *files)
    assert one["annotators"] == ["alice", "bob"]
    assert one["documents"] == {"matched": 2, "only_a": 0, "only_b": 0}
    assert one["layers"] == two["layers"]
    hedging = one["layers"]["hedging"]
    for key in ("alpha_u", "gamma", "ac1", "ci", "confusion", "f1_boundary"):
        assert key in hedging
    assert set(hedging["ci"]) >= {"kappa", "alpha", "alpha_u", "gamma", "ac1", "f1_boundary"}
    assert sum(map(sum, hedging["confusion"]["counts"])) == hedging["tokens"]


def test_annotators_option_and_three_coders(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "three.annot"
    sides = [alice_docs()[:2], bob_docs()[:2], alice_docs()[:2]]
    docs = []
    for k, text in enumerate((T1, T2)):
        spans = [replace(s, key=f"{n}-{s.key}", annotator=n)
                 for n, side in zip(("alice", "bob", "carol"), sides, strict=True)
                 for s in side[k].spans]
        docs.append(CorpusDocument(f"d{k + 1}", text, spans=spans))
    with Project.create(path, annotator="alice") as p:
        p.import_documents(docs)
    out = run_json(capsys, str(path))
    assert out["annotators"] == ["alice", "bob", "carol"]
    assert [(p["a"], p["b"]) for p in out["pairs"]] == [("alice", "bob"), ("alice", "carol"),
                                                        ("bob", "carol")]
    alice_carol = out["pairs"][1]["layers"]["hedging"]
    assert alice_carol["alpha_u"] == 1.0 and alice_carol["gamma"] == 1.0
    assert alice_carol["f1_boundary"] == 1.0 and alice_carol["kappa"] == 1.0
    picked = run_json(capsys, str(path), "--annotators", "carol,alice")
    assert picked["annotators"] == ["carol", "alice"] and "pairs" not in picked
    assert picked["layers"]["hedging"]["alpha_u"] == 1.0
    assert main(["agree", str(path), "--annotators", "alice,dave"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "dave" in err[0] and "three.annot" in err[0]


def test_one_annotator_only_is_refused(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = tmp_path / "solo.annot"
    with Project.create(path, annotator="alice") as p:
        p.import_documents(alice_docs())
    before = path.read_bytes()
    assert main(["agree", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "one annotator" in err[0] and "solo.annot" in err[0]
    assert path.read_bytes() == before


def test_per_document_worst_first(pair: tuple[Path, Path], capsys) -> None:  # noqa: ANN001
    a, b = pair
    out = run_json(capsys, str(a), str(b), "--per-document")
    scores = [d["score"] for d in out["per_document"].values()]
    assert list(out["per_document"]) == ["d1", "d2"] and scores == sorted(scores)
    assert "alpha_u" in out["per_document"]["d1"]["layers"]["hedging"]
    assert "per_document" not in run_json(capsys, str(a), str(b))
    assert main(["agree", str(a), str(b), "--per-document"]) == 0
    text = capsys.readouterr().out
    assert "worst first" in text and text.index("\nd1 ") < text.index("\nd2 ")
    assert main(["agree", str(a), str(b), "--jaccard", "0"]) == 1
    assert "--jaccard" in capsys.readouterr().err


def test_reports_carry_measures_charts_and_methods(pair: tuple[Path, Path], tmp_path: Path,
                                                   capsys) -> None:  # noqa: ANN001
    import csv

    from annotator import __version__

    a, b = pair
    page_path, table_path = tmp_path / "r.html", tmp_path / "r.csv"
    assert main(["agree", str(a), str(b), "--report", str(page_path), "--seed", "3"]) == 0
    assert main(["agree", str(a), str(b), "--report", str(table_path), "--seed", "3"]) == 0
    capsys.readouterr()
    out = run_json(capsys, str(a), str(b), "--seed", "3")
    page = page_path.read_text(encoding="utf-8")
    assert page.count("<svg") == 1 + 1 + len(out["layers"]) + 1  # F1, intervals, heatmaps, docs
    assert "<script" not in page and "http" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    for words_ in ("Methods", f"Annotator {__version__}", "over 2 documents annotated by 2 "
                   "coders (alice, bob)", "unitizing alpha", "Punkt", "bootstrap", "seed 3",
                   "Jaccard", "merged", "discontinuous"):
        assert words_ in page, words_
    assert "hedging / hedge" in page and "worst first" in page
    rows = {(r["layer"], r["label"]): r for r in csv.DictReader(
        table_path.read_text(encoding="utf-8").splitlines())}
    for name, layer in out["layers"].items():
        row = rows[(name, "")]
        for key in ("alpha_u", "gamma", "ac1", "f1_boundary"):
            assert (float(row[key]) if row[key] else None) == layer[key], (name, key)
        for key, ci in layer["ci"].items():
            got = [float(row[f"{key}_low"]), float(row[f"{key}_high"])] if row[f"{key}_low"] \
                else None
            assert got == ci, (name, key)
        for label, entry in layer["labels"].items():
            assert (float(rows[(name, label)]["alpha_u"]) if rows[(name, label)]["alpha_u"]
                    else None) == entry["alpha_u"]


def test_stats_counts_spans_per_annotator(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    shared = shared_project(tmp_path / "study.annot")
    assert main(["stats", str(shared), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    alice = sum(len(d.spans) for d in alice_docs()[:2])
    bob = sum(len(d.spans) for d in bob_docs()[:2])
    assert stats["annotators"] == {"alice": {"spans": alice, "documents": 2},
                                   "bob": {"spans": bob, "documents": 2}}
    assert stats["spans"] == alice + bob
    assert main(["stats", str(shared)]) == 0
    assert f"annotators: alice {alice}, bob {bob}" in capsys.readouterr().out


def test_document_level_layers_kappa_over_documents(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from annotator.core.model import DocAnnotationRecord

    texts = ["First article.", "Second article.", "Third article.", "Fourth article."]
    genres = {"alice": ["news", "news", "opinion", None], "bob": ["news", "opinion", "opinion",
                                                                None]}
    paths = []
    for name, labels in genres.items():
        docs = [CorpusDocument(f"d{k}", t, spans=[span("s", "hedge", (0, 5))],
                               doc_annotations=[DocAnnotationRecord("genre", g)] if g else [])
                for k, (t, g) in enumerate(zip(texts, labels, strict=True))]
        path = tmp_path / f"{name}.annot"
        with Project.create(path, annotator=name) as p:
            p.import_documents(docs)
        paths.append(str(path))
    out = run_json(capsys, *paths)
    genre = out["document_layers"]["genre"]
    # by hand: p_o 3/4; A news 2, opinion 1, none 1; B news 1, opinion 2, none 1
    p_e = (2 * 1 + 1 * 2 + 1 * 1) / 16
    assert genre["kappa"] == pytest.approx((0.75 - p_e) / (1 - p_e))
    table = {("news", "news"): 1, ("news", "opinion"): 1, ("opinion", "opinion"): 1,
             ("none", "none"): 1}
    assert genre["alpha"] == pytest.approx(coefficients(table, 2).alpha)
    assert (genre["documents"], genre["labelled"]) == (4, 3)
    assert genre["confusion"] == {"labels": ["news", "opinion", "none"],
                                  "counts": [[1, 1, 0], [0, 1, 0], [0, 0, 1]]}
    assert set(genre["ci"]) == {"kappa", "alpha", "ac1"}
    assert "genre" not in out["layers"]
    assert main(["agree", *paths]) == 0
    assert "genre (labels of whole documents, 3 of 4 labelled): kappa 0.636" in \
        capsys.readouterr().out
