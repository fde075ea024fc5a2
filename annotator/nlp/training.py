"""What the recommenders learn from: a project's documents as plain records.

A :class:`TrainDoc` is one document's text with its single-fragment spans and the suggestions
the user rejected there (negative examples), as ``(layer, label, start, end)`` tuples in code
points. Discontinuous spans are left out: no recommender here suggests one.

:func:`project_docs` reads them from a :class:`~annotator.core.project.Project` (on the calling
thread); :func:`to_json`/:func:`from_json` carry them to a training process as plain JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Item = tuple[str, str, int, int]  # layer, label, start, end


@dataclass(frozen=True)
class TrainDoc:
    """One document as the recommenders see it."""

    name: str
    text: str
    spans: tuple[Item, ...] = ()
    rejected: tuple[Item, ...] = ()

    def labels(self) -> set[tuple[str, str]]:
        return {(lay, lab) for lay, lab, _, _ in self.spans}


def project_docs(project: Any, *, annotated_only: bool = True,
                 layers: Iterable[str] | None = None) -> list[TrainDoc]:
    """The project's documents as :class:`TrainDoc`, in the project's order.

    ``annotated_only`` keeps the documents that have a span or a rejected suggestion, or whose
    status is "done" (a finished document with no span says "nothing here"). Spans of layers
    the tagset declares at document scope never reach here (they are not spans).

    Read in bulk: the streamed corpus (texts and spans 500 documents a query) and every
    rejected suggestion in one query, not three queries a document (2,000 articles: 16 s at a
    machine's load of 7 before).
    """
    wanted = set(layers) if layers is not None else None
    rejected: dict[str, list[Item]] = {}
    rejected_of = getattr(project, "rejected_suggestions", None)
    if rejected_of is not None:
        found = rejected_of()
        if found:
            names = {d.pk: d.name for d in project.documents()}
            for r in found:
                if r.document in names and (wanted is None or r.layer in wanted):
                    rejected.setdefault(names[r.document], []).append(
                        (r.layer, r.label, r.start, r.end))
    out: list[TrainDoc] = []
    for doc in project.iter_corpus():
        spans = tuple(sorted((s.layer, s.label, s.fragments[0][0], s.fragments[0][1])
                             for s in doc.spans
                             if len(s.fragments) == 1 and (wanted is None or s.layer in wanted)))
        refused = tuple(sorted(rejected.get(doc.name, ())))
        if annotated_only and not spans and not refused and doc.status != "done":
            continue
        out.append(TrainDoc(doc.name, doc.text, spans, refused))
    return out


def to_json(docs: Iterable[TrainDoc]) -> str:
    """JSON Lines, one document a line."""
    return "".join(json.dumps({"name": d.name, "text": d.text, "spans": d.spans,
                               "rejected": d.rejected}, ensure_ascii=False) + "\n"
                   for d in docs)


def _items(value: Any) -> tuple[Item, ...]:
    return tuple((str(a), str(b), int(c), int(d)) for a, b, c, d in value)


def from_json(text: str) -> list[TrainDoc]:
    out = []
    for line in text.splitlines():
        if line.strip():
            obj = json.loads(line)
            out.append(TrainDoc(str(obj["name"]), str(obj["text"]), _items(obj["spans"]),
                                _items(obj["rejected"])))
    return out


def passages(name: str, text: str, spans: Iterable[Item]) -> list[TrainDoc]:
    """``text`` cut at its line breaks into one :class:`TrainDoc` per non-blank line, with the
    spans that lie within that line (offsets made relative to it). For measuring on corpora
    whose documents are few but long; a span crossing a line break is left out."""
    items = sorted(spans, key=lambda x: x[2])
    out = []
    pos = 0
    for k, line in enumerate(text.split("\n")):
        end = pos + len(line)
        if line.strip():
            inside = tuple((lay, lab, s - pos, e - pos) for lay, lab, s, e in items
                           if pos <= s and e <= end)
            out.append(TrainDoc(f"{name}#{k + 1}", line, inside))
        pos = end + 1
    return out
