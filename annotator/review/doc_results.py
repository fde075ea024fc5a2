"""Every matched document's agreement figures, held as integers and made into objects when read.

Contract: :class:`CompactDocuments` is a sequence of
:class:`annotator.review.agreement.DocumentAgreement`; :meth:`~CompactDocuments.append` takes
one and keeps its counts (span counts per layer and label, token table rows, relation counts)
in one integer column (:mod:`int_columns`), names, labels, relation types and token rows once
each; reading item ``k`` makes an object equal to the one appended (the same counts, labels,
rows in the same order; attribute figures, rare, are kept as they are). So the figures of
50,000 documents take a few megabytes, not the objects' hundreds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.review.int_columns import extend, ints
from annotator.review.made_when_read import MadeWhenRead
from annotator.review.metrics import ExactCounts, OverlapCounts

if TYPE_CHECKING:
    from annotator.review.agreement import AttributeAgreement, DocumentAgreement

Row = tuple[Any, ...]


@dataclass
class LayerColumns:
    """One layer's figures of every document, as flat columns (:meth:`CompactDocuments.columns`):
    ``exact`` 3 and ``overlap`` 4 counts a document; ``label_exact`` and ``label_overlap``
    records (document, label id in ``words``, 3 or 4 counts); the token tables as row ids
    (into ``rows``, numbered in the order they first come in this layer), counts and where each
    document's rows end."""

    words: dict[str, int]
    rows: dict[Row, int] = field(default_factory=dict)
    row_ids: list[int] = field(default_factory=list)
    row_counts: list[int] = field(default_factory=list)
    row_cuts: list[int] = field(default_factory=list)
    exact: list[int] = field(default_factory=list)
    overlap: list[int] = field(default_factory=list)
    label_exact: list[int] = field(default_factory=list)
    label_overlap: list[int] = field(default_factory=list)


class CompactDocuments(MadeWhenRead["DocumentAgreement"]):
    """Documents' figures in an integer column (see the module doc)."""

    def __init__(self, layers: Sequence[str], coders: int) -> None:
        self._layers = tuple(layers)
        self._coders = coders
        self._names: list[str] = []
        self._column = ints()
        self._cuts = ints()
        self._words: dict[str, int] = {}  # labels and relation types -> id
        self._rows: dict[Row, int] = {}
        self._attributes: dict[int, dict[str, dict[str, AttributeAgreement]]] = {}

    def _word(self, text: str) -> int:
        k = self._words.get(text)
        if k is None:
            k = self._words[text] = len(self._words)
        return k

    def append(self, doc: DocumentAgreement) -> None:
        out: list[int] = []
        word, rows = self._word, self._rows
        attributes = {}
        for name in self._layers:
            la = doc.layers[name]
            e, o = la.exact, la.overlap
            out += (e.n_a, e.n_b, e.matched, o.n_a, o.n_b, o.found_a, o.found_b,
                    len(la.token_table))
            for row, n in la.token_table.items():
                k = rows.get(row)
                if k is None:
                    k = rows[row] = len(rows)
                out += (k, n)
            out.append(len(la.labels))
            for label, lab in la.labels.items():
                e, o = lab.exact, lab.overlap
                out += (word(label), e.n_a, e.n_b, e.matched, o.n_a, o.n_b, o.found_a,
                        o.found_b)
            if la.attributes:
                attributes[name] = la.attributes
        t = doc.relations.total
        out += (t.n_a, t.n_b, t.matched, len(doc.relations.types))
        for kind, c in doc.relations.types.items():
            out += (word(kind), c.n_a, c.n_b, c.matched)
        if attributes:
            self._attributes[len(self._names)] = attributes
        self._names.append(doc.name)
        self._column = extend(self._column, out)
        self._cuts = extend(self._cuts, (len(self._column),))

    def __len__(self) -> int:
        return len(self._names)

    def _one(self, k: int) -> DocumentAgreement:
        from annotator.review.agreement import (
            DocumentAgreement,
            LabelAgreement,
            LayerAgreement,
            RelationAgreement,
        )

        words = list(self._words)  # (made per read: reads are few, appends many)
        rows = list(self._rows)
        v = self._column[self._cuts[k - 1] if k else 0:self._cuts[k]]
        p = 0
        layers = {}
        attributes = self._attributes.get(k, {})
        for name in self._layers:
            exact, overlap = ExactCounts(*v[p:p + 3]), OverlapCounts(*v[p + 3:p + 7])
            n, p = v[p + 7], p + 8
            table: Counter[Row] = Counter()
            for q in range(p, p + 2 * n, 2):
                table[rows[v[q]]] = v[q + 1]
            p += 2 * n
            n, p = v[p], p + 1
            labels = {}
            for q in range(p, p + 8 * n, 8):
                label = words[v[q]]
                labels[label] = LabelAgreement(label, ExactCounts(*v[q + 1:q + 4]),
                                               OverlapCounts(*v[q + 4:q + 8]), table,
                                               self._coders)
            p += 8 * n
            layers[name] = LayerAgreement(name, exact, overlap, table, self._coders, labels,
                                          dict(attributes.get(name, {})))
        total, n, p = ExactCounts(*v[p:p + 3]), v[p + 3], p + 4
        types = {words[v[q]]: ExactCounts(*v[q + 1:q + 4]) for q in range(p, p + 4 * n, 4)}
        return DocumentAgreement(self._names[k], layers, RelationAgreement(total, types))

    @classmethod
    def of(cls, docs: Sequence[DocumentAgreement], layers: Sequence[str],
           coders: int) -> CompactDocuments:
        """``docs`` as they are if compact already, else packed."""
        if isinstance(docs, CompactDocuments) and docs._layers == tuple(layers):
            return docs
        out = cls(layers, coders)
        for doc in docs:
            out.append(doc)
        return out

    def columns(self, name: str) -> LayerColumns:
        """Layer ``name``'s figures of every document (see :class:`LayerColumns`)."""
        out = LayerColumns(self._words)
        where = self._layers.index(name)
        all_rows = list(self._rows)
        local = out.rows
        col, cuts = self._column, self._cuts
        for k in range(len(self._names)):
            p = cuts[k - 1] if k else 0
            for _ in range(where):  # the layers before it
                p += 8 + 2 * col[p + 7]
                p += 1 + 8 * col[p]
            out.exact += col[p:p + 3]
            out.overlap += col[p + 3:p + 7]
            n, p = col[p + 7], p + 8
            for q in range(p, p + 2 * n, 2):
                row = all_rows[col[q]]
                i = local.get(row)
                if i is None:
                    i = local[row] = len(local)
                out.row_ids.append(i)
                out.row_counts.append(col[q + 1])
            out.row_cuts.append(len(out.row_ids))
            p += 2 * n
            n, p = col[p], p + 1
            for q in range(p, p + 8 * n, 8):
                out.label_exact += (k, col[q], col[q + 1], col[q + 2], col[q + 3])
                out.label_overlap += (k, col[q], col[q + 4], col[q + 5], col[q + 6], col[q + 7])
        return out
