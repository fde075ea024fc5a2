"""The three recommenders behind one face, as the CLI and the window use them.

``lexicon`` (the bundled or the project's edited word lists, :mod:`annotator.nlp.suggest`),
``string`` (what the user tagged, :mod:`annotator.nlp.string_match`) and ``learned`` (a CRF per
layer, :mod:`annotator.nlp.crf`). :func:`suggestions` puts their output together for one
document: only labels of the tagset's enabled span layers, never a suggestion the user rejected
there, never one overlapping an existing span of its layer, and never two for the same words of
a layer (the higher score wins, then the longer). Nothing here writes to a project except
:func:`accept`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from annotator.core.suggestion_store import Accepted
from annotator.nlp import crf, string_match
from annotator.nlp.evaluate import Factory, Recommender
from annotator.nlp.suggest import Lexicon, Suggestion, suggest_spans
from annotator.nlp.training import Item, TrainDoc

NAMES = ("lexicon", "string", "learned")


class LexiconRecommender:
    """The word lists; nothing to learn."""

    name = "lexicon"

    def __init__(self, lexicons: tuple[Lexicon, ...] | None = None) -> None:
        self.lexicons = lexicons

    def train(self, docs: Sequence[TrainDoc]) -> None:
        return None

    def predict(self, text: str, existing: Iterable[Item] = ()) -> list[Suggestion]:
        return suggest_spans(text, self.lexicons, existing)


def factories(lexicons: tuple[Lexicon, ...] | None = None,
              names: Iterable[str] = NAMES) -> dict[str, Factory]:
    made: dict[str, Factory] = {
        "lexicon": lambda: LexiconRecommender(lexicons),
        "string": string_match.StringMatcher,
        "learned": crf.CrfRecommender,
    }
    return {n: made[n] for n in names}


def allowed_labels(tagset: Any) -> set[tuple[str, str]]:
    """(layer, label) of the tagset's enabled span layers."""
    return {(lay.name, lab.name) for lay in tagset.layers
            if lay.enabled and getattr(lay, "scope", "span") != "document"
            for lab in lay.labels}


def combine(found: Iterable[Suggestion], *, existing: Iterable[Item] = (),
            rejected: Iterable[Item] = (), allowed: set[tuple[str, str]] | None = None,
            length: int = 0) -> list[Suggestion]:
    """One list out of several recommenders' suggestions for one document (rules above)."""
    no = set(rejected)
    there = list(existing)
    cands = [s for s in found
             if (allowed is None or (s.layer, s.label) in allowed)
             and (s.layer, s.label, s.start, s.end) not in no]
    cands.sort(key=lambda s: (-s.score, s.start - s.end, s.start, NAMES.index(s.recommender)
                              if s.recommender in NAMES else 9))
    size = max([length, *(s.end for s in cands), *(e for _, _, _, e in there)]) + 1
    cover: dict[str, bytearray] = {}
    out = []
    for s in cands:
        c = cover.get(s.layer)
        if c is None:
            c = cover[s.layer] = bytearray(size)
            for lay, _, xs, xe in there:
                if lay == s.layer:
                    c[xs:xe] = b"\x01" * (xe - xs)
        if c.find(1, s.start, s.end) < 0:
            c[s.start:s.end] = b"\x01" * (s.end - s.start)
            out.append(s)
    out.sort(key=lambda x: (x.start, x.layer, x.end))
    return out


def trained(names: Iterable[str], docs: Sequence[TrainDoc],
            lexicons: tuple[Lexicon, ...] | None = None,
            models: dict[str, crf.LayerModel] | None = None) -> list[Recommender]:
    """The named recommenders, trained on ``docs``; ``learned`` uses ``models`` (stored ones)
    when given, and is trained only otherwise."""
    out: list[Recommender] = []
    made = factories(lexicons, names)
    for name, factory in made.items():
        rec = factory()
        if name == "learned" and models:
            assert isinstance(rec, crf.CrfRecommender)
            rec.models = dict(models)
        else:
            rec.train(docs)
        out.append(rec)
    return out


def suggestions(recommenders: Sequence[Recommender], text: str, *,
                existing: Iterable[Item] = (), rejected: Iterable[Item] = (),
                allowed: set[tuple[str, str]] | None = None,
                extra: Iterable[Suggestion] = ()) -> list[Suggestion]:
    """The recommenders' suggestions for ``text`` (with ``extra`` ones, computed already)
    put together by :func:`combine`."""
    there = list(existing)
    found: list[Suggestion] = list(extra)
    for rec in recommenders:
        found.extend(rec.predict(text, there))
    return combine(found, existing=there, rejected=rejected, allowed=allowed, length=len(text))


def uncertain_passages(model: crf.CrfRecommender, texts: dict[str, str]
                       ) -> list[tuple[str, int, int, float]]:
    """(document, start, end, margin) of every sentence, the least sure first."""
    rows = [(doc, s, e, m) for doc, text in texts.items() for s, e, m in model.margins(text)]
    rows.sort(key=lambda r: (r[3], r[0], r[1]))
    return rows


def accepted_rows(document: int, chosen: Sequence[Suggestion],
                  attributes: Sequence[dict[str, Any] | None] | None = None) -> list[Accepted]:
    """``chosen`` as rows for :meth:`Project.add_accepted` (each with its provenance)."""
    attrs = list(attributes) if attributes is not None else [None] * len(chosen)
    return [Accepted(document, s.layer, s.label, s.start, s.end, s.origin(), a)
            for s, a in zip(chosen, attrs, strict=True)]


def write_accepted(project: Any, document: int, chosen: Sequence[Suggestion],
                   attributes: Sequence[dict[str, Any] | None] | None = None,
                   pks: Sequence[int] | None = None) -> list[Any]:
    """Add ``chosen`` to ``document`` as spans of the project's annotator with their
    provenance, in one transaction (one already there is left out). Returns the spans added.
    ``pks`` re-creates them under their old keys (redo)."""
    return list(project.add_accepted(accepted_rows(document, chosen, attributes), pks=pks))
