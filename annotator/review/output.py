"""The agreement result as ``annotator agree --json`` data and as a terminal table.

Contract of :func:`to_json` (interfaces.md): ``documents`` and ``layers`` {LAYER: {f1_exact,
f1_overlap, kappa, alpha, spans_a, spans_b, labels}}, every number at **full precision** unless
``digits`` is given (the CLI never gives it), undefined values ``null``.

* 2 files: ``documents`` = ``{"matched", "only_a", "only_b"}``.
* 3+ files: ``documents`` = ``{"matched": documents every file has, "files": {ANNOTATOR:
  {"documents": n, "matched_all": documents of this file every other file has,
  "matched_with": {OTHER: documents of this file that OTHER has}}}}`` and ``pairs`` = one entry
  per pair of files, in file order: ``{"a", "b", "documents": {"matched", "only_a", "only_b"},
  "layers": {...as above, kappa = Cohen's}, "relations": {...}}``, each computed over the
  documents that pair shares. The top-level ``layers`` are over the documents every file has
  (token coefficients over all coders; F1, attributes, relations of the first two files).

:func:`format_table` rounds to 3 decimals for reading; it is not meant to be parsed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from annotator.review.agreement import (
    AgreementResult,
    LabelAgreement,
    LayerAgreement,
    RelationAgreement,
    kappa_of,
)
from annotator.review.metrics import ExactCounts

if TYPE_CHECKING:
    from annotator.review.measures import LayerMeasures


def _r(value: float | None, digits: int | None) -> float | None:
    if value is None or digits is None:
        return value
    return round(value, digits)


def _label_json(lab: LabelAgreement, digits: int | None) -> dict[str, Any]:
    return {
        "f1_exact": _r(lab.f1_exact, digits),
        "f1_overlap": _r(lab.f1_overlap, digits),
        "kappa": _r(kappa_of(lab.tokens), digits),
        "alpha": _r(lab.tokens.alpha, digits),
        "spans_a": lab.exact.n_a,
        "spans_b": lab.exact.n_b,
        "exact_matches": lab.exact.matched,
        "precision_exact": _r(lab.exact.precision, digits),
        "recall_exact": _r(lab.exact.recall, digits),
        "precision_overlap": _r(lab.overlap.precision, digits),
        "recall_overlap": _r(lab.overlap.recall, digits),
    }


def _rl(values: list[float] | None, digits: int | None) -> list[float] | None:
    if values is None or digits is None:
        return values
    return [round(v, digits) for v in values]


def _measures_json(m: LayerMeasures, digits: int | None) -> dict[str, Any]:
    g = m.gamma
    return {
        "alpha_u": _r(m.alpha_u, digits),
        "gamma": _r(g.gamma, digits),
        "ac1": _r(m.ac1, digits),
        "f1_boundary": _r(m.f1_boundary, digits),
        "ci": {k: _rl(v, digits) for k, v in m.ci.items()},
        "confusion": m.confusion,
        "gamma_sampling": {"seed": g.seed, "samples": g.samples,
                           "observed_disorder": _r(g.observed, digits),
                           "expected_disorder": _r(g.expected, digits),
                           "expected_sd": _r(g.expected_sd, digits)},
    }


def _label_measures_json(entry: dict[str, Any], digits: int | None) -> dict[str, Any]:
    return {"alpha_u": _r(entry["alpha_u"], digits), "ac1": _r(entry["ac1"], digits),
            "f1_boundary": _r(entry["f1_boundary"], digits),
            "ci": {k: _rl(v, digits) for k, v in entry["ci"].items()}}


def _layer_json(la: LayerAgreement, digits: int | None, detail: bool,
                m: LayerMeasures | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "f1_exact": _r(la.f1_exact, digits),
        "f1_overlap": _r(la.f1_overlap, digits),
        "kappa": _r(la.kappa, digits),
        "alpha": _r(la.alpha, digits),
        "spans_a": la.spans_a,
        "spans_b": la.spans_b,
        "labels": {name: _label_json(lab, digits) for name, lab in la.labels.items()},
    }
    if detail:
        out.update(
            {
                "exact_matches": la.exact.matched,
                "precision_exact": _r(la.exact.precision, digits),
                "recall_exact": _r(la.exact.recall, digits),
                "precision_overlap": _r(la.overlap.precision, digits),
                "recall_overlap": _r(la.overlap.recall, digits),
                "tokens": la.tokens.items,
                "observed": _r(la.tokens.observed, digits),
                "pi": _r(la.tokens.pi, digits),
                "attributes": {
                    name: {
                        "pairs": a.pairs,
                        "agreeing": a.agreeing,
                        "proportion": _r(a.proportion, digits),
                        "kappa": _r(a.kappa, digits),
                    }
                    for name, a in la.attributes.items()
                },
            }
        )
    if m is not None:
        out.update(_measures_json(m, digits))
        for name, entry in m.labels.items():
            if name in out["labels"]:
                out["labels"][name].update(_label_measures_json(entry, digits))
    return out


def _layers_json(result: AgreementResult, digits: int | None) -> dict[str, Any]:
    m = result.measures
    return {name: _layer_json(la, digits, True, m.layers.get(name) if m else None)
            for name, la in result.layers.items()}


def _relations_json(rel: RelationAgreement, digits: int | None) -> dict[str, Any]:
    def one(c: ExactCounts) -> dict[str, Any]:
        return {
            "f1": _r(c.f1, digits),
            "relations_a": c.n_a,
            "relations_b": c.n_b,
            "matched": c.matched,
        }

    return {**one(rel.total), "types": {t: one(c) for t, c in rel.types.items()}}


def _documents_json(result: AgreementResult) -> dict[str, Any]:
    if not result.files:
        return {"matched": result.matched, "only_a": result.only_a, "only_b": result.only_b}
    return {
        "matched": result.matched,
        "files": {
            f.annotator: {"documents": f.documents, "matched_all": f.matched_all,
                          "matched_with": dict(f.matched_with)}
            for f in result.files
        },
    }


def _pair_json(pair: AgreementResult, digits: int | None) -> dict[str, Any]:
    return {
        "a": pair.annotators[0],
        "b": pair.annotators[1],
        "documents": _documents_json(pair),
        "layers": _layers_json(pair, digits),
        "relations": _relations_json(pair.relations, digits),
    }


def to_json(
    result: AgreementResult, *, digits: int | None = None, per_document: bool = True
) -> dict[str, Any]:
    """The ``annotator agree --json`` dict (see the module doc), plus extra keys.

    Extra: ``annotators``, per-layer precision/recall/tokens/observed/pi/attributes,
    ``relations``, and ``per_document`` {name: {LAYER: {...}}} when ``per_document``.
    ``digits`` rounds every float (default None: full precision, as the CLI prints).
    """
    out: dict[str, Any] = {
        "documents": _documents_json(result),
        "layers": _layers_json(result, digits),
        "annotators": list(result.annotators),
        "relations": _relations_json(result.relations, digits),
    }
    if result.pairs:
        out["pairs"] = [_pair_json(p, digits) for p in result.pairs]
    m = result.measures
    if m is not None:
        out["settings"] = {"seed": m.seed, "bootstrap_replicates": m.replicates,
                           "jaccard": m.jaccard}
        if m.document_layers:
            out["document_layers"] = m.document_layers
    if per_document:
        docs: dict[str, Any] = {}
        entries = []
        for k, doc in enumerate(result.documents):
            name, n = doc.name, 2
            while name in docs:
                name, n = f"{doc.name}#{n}", n + 1
            docs[name] = {
                "layers": {ln: _layer_json(la, digits, False) for ln, la in doc.layers.items()},
                "relations": _relations_json(doc.relations, digits),
            }
            if m is not None and k < len(m.documents):
                dm = m.documents[k]
                docs[name]["score"] = _r(dm.score, digits)
                for ln, row in dm.layers.items():
                    docs[name]["layers"][ln].update({key: _r(v, digits) for key, v in row.items()
                                                     if key != "kappa"})
                entries.append((dm.score is None, dm.score or 0.0, k, name))
        if entries:  # worst first
            docs = {name: docs[name] for *_, name in sorted(entries)}
        out["per_document"] = docs
    return out


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _document_lines(result: AgreementResult) -> list[str]:
    if not result.files:
        a, b = result.annotators[0], result.annotators[1]
        return [f"Documents: {result.matched} matched, {result.only_a} only in {a}, "
                f"{result.only_b} only in {b}"]
    lines = [f"Documents: {result.matched} matched by every file"]
    for f in result.files:
        others = ", ".join(f"{n} by {name}" for name, n in f.matched_with.items())
        lines.append(f"  {f.annotator}: {f.documents} documents, {f.matched_all} matched by all; "
                     f"{others}")
    return lines


def _layer_rows(result: AgreementResult, indent: str = "") -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for name, la in result.layers.items():
        rows.append((indent + name, str(la.spans_a), str(la.spans_b), _fmt(la.f1_exact),
                     _fmt(la.f1_overlap), _fmt(la.kappa), _fmt(la.alpha)))
        for lname, lab in la.labels.items():
            rows.append((indent + "  " + lname, str(lab.exact.n_a), str(lab.exact.n_b),
                         _fmt(lab.f1_exact), _fmt(lab.f1_overlap), _fmt(kappa_of(lab.tokens)),
                         _fmt(lab.tokens.alpha)))
    return rows


def _grid(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(r: tuple[str, ...]) -> str:
        first = r[0].ljust(widths[0])
        return "  ".join([first, *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True))])

    return [line(head), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _ci(values: list[float] | None) -> str:
    return "" if values is None else f" [{values[0]:.3f}, {values[1]:.3f}]"


def _measure_lines(result: AgreementResult) -> list[str]:
    m = result.measures
    if m is None or not (m.layers or m.document_layers):
        return []
    lines = ["", f"Span measures, 95% bootstrap intervals over documents ({m.replicates} "
                 f"replicates, seed {m.seed}); boundary F1 at Jaccard >= {m.jaccard}:"]
    for name, lm in m.layers.items():
        k = result.layers[name].kappa
        lines.append(
            f"  {name}: alpha_U {_fmt(lm.alpha_u)}{_ci(lm.ci.get('alpha_u'))}, gamma "
            f"{_fmt(lm.gamma.gamma)}{_ci(lm.ci.get('gamma'))}, kappa {_fmt(k)}"
            f"{_ci(lm.ci.get('kappa'))}, AC1 {_fmt(lm.ac1)}{_ci(lm.ci.get('ac1'))}, "
            f"F1 boundary {_fmt(lm.f1_boundary)}{_ci(lm.ci.get('f1_boundary'))}")
    for name, entry in m.document_layers.items():
        lines.append(
            f"  {name} (labels of whole documents, {entry['labelled']} of "
            f"{entry['documents']} labelled): kappa {_fmt(entry['kappa'])}"
            f"{_ci(entry['ci']['kappa'])}, alpha {_fmt(entry['alpha'])}"
            f"{_ci(entry['ci']['alpha'])}, AC1 {_fmt(entry['ac1'])}{_ci(entry['ci']['ac1'])}")
    return lines


def format_table(result: AgreementResult) -> str:
    """A plain-text table for the terminal: pooled figures per layer and label (rounded)."""
    a, b = result.annotators[0], result.annotators[1]
    lines = [f"Annotators: {', '.join(result.annotators)}", *_document_lines(result), ""]
    head = ("layer / label", f"{a[:8]}", f"{b[:8]}", "F1 exact", "F1 overlap", "kappa", "alpha")
    lines += _grid(head, _layer_rows(result))
    attr_lines = [
        f"  {layer}.{name}: {att.agreeing}/{att.pairs} agree ({_fmt(att.proportion)}), "
        f"kappa {_fmt(att.kappa)}"
        for layer, la in result.layers.items()
        for name, att in la.attributes.items()
    ]
    if attr_lines:
        lines += ["", "Attributes on exactly matched spans:", *attr_lines]
    rel = result.relations.total
    if rel.n_a or rel.n_b:
        lines += [
            "",
            f"Relations: {rel.n_a} in {a}, {rel.n_b} in {b}, {rel.matched} matched, "
            f"F1 {_fmt(rel.f1)}",
        ]
    lines += _measure_lines(result)
    for pair in result.pairs:
        pa, pb = pair.annotators
        lines += ["", f"Pair {pa} / {pb}: {pair.matched} shared documents "
                      f"({pair.only_a} only in {pa}, {pair.only_b} only in {pb})"]
        lines += _grid(("layer / label", pa[:8], pb[:8], "F1 exact", "F1 overlap", "kappa",
                        "alpha"), _layer_rows(pair))
    return "\n".join(lines) + "\n"


def format_documents(result: AgreementResult, limit: int | None = None) -> str:
    """Per-document table, worst first (by the mean alpha_U of its layers; rounded)."""
    m = result.measures
    if m is None:
        return ""
    from annotator.review.measures import worst_first

    layers = list(result.layers)
    head = ("document", "score", *(f"{ln[:10]} aU" for ln in layers),
            *(f"{ln[:10]} k" for ln in layers))
    rows = []
    for dm in worst_first(m.documents, limit):
        rows.append((dm.name[:40], _fmt(dm.score),
                     *(_fmt(dm.layers.get(ln, {}).get("alpha_u")) for ln in layers),
                     *(_fmt(dm.layers.get(ln, {}).get("kappa")) for ln in layers)))
    lines = ["", "Per document, worst first (score = mean alpha_U of its layers; "
                 "aU = alpha_U, k = kappa):", *_grid(head, rows)]
    return "\n".join(lines) + "\n"
