"""``annotator suggest``: list, evaluate or accept suggestions from the command line.

``suggest PROJECT`` lists suggestions for every document (or ``--document ID``) without writing
anything: from the recommender named by ``--recommender``, or else from every recommender whose
held-out F1 reaches the threshold (the lexicon alone while too few documents are tagged). ``--evaluate`` prints the
evaluation instead (:mod:`annotator.nlp.evaluate`). ``--accept-above SCORE`` adds every
suggestion scoring at least SCORE as a span of the project's annotator, with its provenance in
``Span.origin``, all in one transaction.

The learned model comes from the project when one is stored there (``recommender_model``), and
is trained in memory on the project's spans otherwise; ``suggest`` never stores one. On a
shared project one's own model is used first (:mod:`annotator.nlp.model_names`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from annotator.console import json_text
from annotator.core.errors import BadInputError
from annotator.nlp import crf, recommend
from annotator.nlp.evaluate import SEED, evaluate
from annotator.nlp.lexicon_store import project_lexicons
from annotator.nlp.model_names import names_to_read
from annotator.nlp.suggest import Suggestion
from annotator.nlp.training import TrainDoc, project_docs


def stored_models(project: Any) -> dict[str, crf.LayerModel]:
    """The learned models stored in the project, by layer (damaged ones are reported)."""
    getter = getattr(project, "model", None)
    out: dict[str, crf.LayerModel] = {}
    if getter is None:
        return out
    for layer in project.tagset.layers:
        found = None
        for name in names_to_read(project, crf.NAME):
            found = getter(name, layer.name)
            if found is not None:
                break
        if found is None:
            continue
        data = found[0] if isinstance(found, tuple) else getattr(found, "data", found)
        try:
            out[layer.name] = crf.LayerModel.from_bytes(bytes(data))
        except crf.ModelError as exc:
            print(f"annotator: {project.path}: the stored model of layer {layer.name!r} is "
                  f"not used: {exc}", file=sys.stderr)
    return out


def _rows(project: Any, docs: list[Any], names: list[str], train: list[TrainDoc]
          ) -> list[tuple[Any, Suggestion]]:
    allowed = recommend.allowed_labels(project.tagset)
    models = stored_models(project) if "learned" in names else {}
    recs = recommend.trained(names, train, project_lexicons(project), models=models)
    rejected_of = getattr(project, "rejected_suggestions", None)
    out = []
    for info in docs:
        text = project.text(info.pk)
        existing = [(s.layer, s.label, s.start, s.end) for s in project.spans(info.pk)]
        rejected = ([(r.layer, r.label, r.start, r.end) for r in rejected_of(info.pk)]
                    if rejected_of is not None else [])
        for sug in recommend.suggestions(recs, text, existing=existing, rejected=rejected,
                                         allowed=allowed):
            out.append((info, sug))
    return out


def _active(project: Any, train: list[TrainDoc], threshold: float) -> list[str]:
    """Recommenders to use when none is named: those whose F1 on the held-out split reaches
    ``threshold``; the lexicon alone while there are too few tagged documents to split."""
    if len(train) < 2:
        return ["lexicon"]
    allowed = recommend.allowed_labels(project.tagset)
    result = evaluate(train, recommend.factories(project_lexicons(project)), allowed=allowed,
                      threshold=threshold)
    return [n for n, r in result["recommenders"].items() if r["active"]]


def run_suggest(args: argparse.Namespace, open_project: Any) -> int:
    accept = args.accept_above
    if accept is not None and not 0.0 <= accept <= 1.0:  # nan fails both comparisons
        raise BadInputError(f"--accept-above {accept}: a score is between 0 and 1",
                            path=args.project)
    if not 0.0 <= args.threshold <= 1.0:
        raise BadInputError(f"--threshold {args.threshold}: an F1 is between 0 and 1",
                            path=args.project)
    with open_project(args.project, readonly=accept is None) as p:
        docs = p.documents()
        if args.document is not None:
            wanted = p.document_by_name(args.document)
            if wanted is None:
                raise BadInputError(f"no document {args.document!r}", path=args.project)
            docs = [wanted]
        train = project_docs(p)
        threshold = args.threshold
        if args.evaluate:
            names = [args.recommender] if args.recommender else list(recommend.NAMES)
            result = evaluate(train, recommend.factories(project_lexicons(p), names),
                              allowed=recommend.allowed_labels(p.tagset), seed=SEED,
                              threshold=threshold)
            _print_evaluation(result, args.json, threshold)
            return 0
        names = [args.recommender] if args.recommender else _active(p, train, threshold)
        rows = _rows(p, docs, names, train)
        if accept is not None:
            rows = [(info, s) for info, s in rows if s.score >= accept]
            added = accept_suggestions(p, rows)
            print(f"accepted {added} suggestion{'s' if added != 1 else ''} scoring {accept} "
                  f"or more", file=sys.stderr)
        texts = {info.pk: p.text(info.pk) for info in {info.pk: info for info, _ in rows}.values()}
    if args.json:
        print(json_text([{"document": info.name, "start": s.start, "end": s.end,
                          "layer": s.layer, "label": s.label,
                          "text": texts[info.pk][s.start:s.end], "score": s.score,
                          "recommender": s.recommender} for info, s in rows]))
        return 0
    for info, s in rows:
        text = " ".join(texts[info.pk][s.start:s.end].split())
        print(f"{info.name}\t{s.start}-{s.end}\t{s.layer}:{s.label}\t{s.score:.2f}\t"
              f"{s.recommender}\t{text}")
    return 0


def accept_suggestions(project: Any, rows: list[tuple[Any, Suggestion]]) -> int:
    """Write ``rows`` as spans of the project's annotator with their provenance, every
    document in one transaction (all or nothing); returns how many were added (one already
    there is left out)."""
    accepted = [a for info, s in rows for a in recommend.accepted_rows(info.pk, [s])]
    return len(project.add_accepted(accepted))


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def _print_evaluation(result: dict[str, Any], as_json: bool, threshold: float) -> None:
    if as_json:
        print(json_text(result))
        return
    sp = result["split"]
    print(f"split: {sp['train']} training, {sp['test']} test documents (seed {sp['seed']}); "
          f"a recommender is active from F1 {threshold}")
    for name, rec in result["recommenders"].items():
        print(f"{name}: F1 {_fmt(rec['f1'])} ({'active' if rec['active'] else 'inactive'})")
        for key, m in rec["labels"].items():
            print(f"  {key}: P {_fmt(m['precision'])}  R {_fmt(m['recall'])}  "
                  f"F1 {_fmt(m['f1'])}  support {m['support']}")
