"""Inter-annotator agreement per layer, label and document, pooled over matched documents.

Input is plain data: one :class:`MatchedDocument` per pair (or group) of documents with the same
text hash, holding the text and, per annotator, an :class:`Annotations` (``SpanRecord`` and
``RelationRecord`` lists). The first annotator is **A**, the second **B**. No database, no Qt.

Definitions
-----------
Every measure is computed over the matched documents pooled together: counts are summed over
documents first, ratios and coefficients come from the sums (micro-average). A value that is
undefined is ``None`` (``null`` in JSON), never a made-up number.

* **Span F1, exact match.** Two spans match when they are in the same document and have the same
  layer, label and fragments (every ``(start, end)`` pair equal). Spans are a multiset:
  duplicates are matched one to one. ``F1 = 2·|A∩B| / (|A|+|B|)``; undefined when both sides
  have no span. Precision ``|A∩B|/|B|``, recall ``|A∩B|/|A|``.
* **Span F1, overlap match.** A span counts as found when the other side has a span of the
  same layer and label sharing at least one code point with it (any fragment with any
  fragment). Precision = B's spans found in A / |B|; recall = A's spans found in B / |A|;
  F1 = their harmonic mean, 0 when one side has no span or nothing is found, undefined when
  neither side has a span.
* **Token kappa and alpha.** The shared text is tokenized once, as
  :func:`annotator.review.tokens_agreement.token_spans` says (untrained Punkt sentences per
  line, then NLTKWordTokenizer's word rules). For each layer and annotator
  every token gets the label of a span of that layer covering it (sharing at least one code
  point), or ``"none"``. Several covering spans: the one covering most code points wins, then
  the earliest start, then the smallest label name. Over these token labels: Cohen's kappa
  (two annotators) and Krippendorff's alpha with the nominal distance; with more than two
  annotators ``kappa`` is Davies & Fleiss's multi-kappa (NLTK ``multi_kappa``) and alpha is
  the multi-coder alpha; Scott's/Fleiss's pi and observed agreement are also reported. Values
  equal ``nltk.metrics.agreement.AnnotationTask`` (computed from label-pair counts for speed).
  Kappa and pi are undefined when expected agreement is 1 (for instance every token "none" on
  both sides); alpha when only one label occurs at all.
  Per label, ``kappa``/``alpha`` are the same coefficients on the tokens recoded as
  "this label" versus anything else.
* **Which duplicates pair up.** Exact pairs (used by attributes and relations) are one to one;
  when a side has identical duplicates the pairing is the deterministic best assignment of
  :mod:`annotator.review.matching` (most agreeing attributes and matching relations), so the
  order the spans come in never changes a figure.
* **Attributes** are compared on exactly matched span pairs (A, B). Per attribute name present
  on either span of a pair: ``pairs`` = such pairs, ``agreeing`` = pairs with equal values (an
  attribute set on one side only disagrees), ``proportion`` = agreeing / pairs, and Cohen's
  kappa over the pairs treating "unset" as a value (undefined when expected agreement is 1).
* **Relations.** A relation of A matches a relation of B when both have the same type and A's
  source and target are exactly matched (as above, one to one) to B's source and target.
  Multiset; ``F1 = 2·matched / (|R_A|+|R_B|)``, per type as well. With a layer filter only
  relations whose two ends lie in the selected layers are counted.
* Span F1, attributes and relations compare A and B only; token coefficients use all
  annotators given. Figures for every pair of 3+ files, each over the documents that pair
  shares, are made by :mod:`annotator.review.pairwise` and carried in ``AgreementResult.pairs``.

Output (JSON, table) is :mod:`annotator.review.output`.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from annotator.core.collector import collector_paused
from annotator.core.model import DocAnnotationRecord, RelationRecord, SpanRecord
from annotator.review import metrics
from annotator.review.doc_results import CompactDocuments
from annotator.review.matching import exact_pairs
from annotator.review.metrics import ExactCounts, OverlapCounts
from annotator.review.tokens_agreement import (
    Coefficients,
    CountTable,
    Row,
    TokenIndex,
    binary_table,
    coefficients,
    label_rows,
    token_spans,
)

if TYPE_CHECKING:
    from annotator.review.measures import MeasureStats

UNSET = "<unset>"
_CHUNK = 25
Tokenizer = Callable[[str], Sequence[tuple[int, int]]]


@dataclass(frozen=True)
class Annotations:
    """One annotator's spans and relations on one document."""

    spans: Sequence[SpanRecord]
    relations: Sequence[RelationRecord] = ()
    doc_annotations: Sequence[DocAnnotationRecord] = ()  # labels of the document as a whole


@dataclass(frozen=True)
class MatchedDocument:
    """A document all annotators share (same text hash); ``sides[0]`` is A, ``sides[1]`` B."""

    name: str
    text: str
    sides: Sequence[Annotations]

    @property
    def text_length(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class LabelAgreement:
    label: str
    exact: ExactCounts
    overlap: OverlapCounts
    token_table: CountTable = field(repr=False)
    coders: int = 2

    @cached_property
    def tokens(self) -> Coefficients:
        """Token coefficients of this label versus anything else (computed on first use)."""
        return coefficients(binary_table(self.token_table, self.label), self.coders)

    @property
    def f1_exact(self) -> float | None:
        return self.exact.f1

    @property
    def f1_overlap(self) -> float | None:
        return self.overlap.f1


@dataclass(frozen=True)
class AttributeAgreement:
    pairs: int
    agreeing: int
    kappa: float | None

    @property
    def proportion(self) -> float | None:
        return self.agreeing / self.pairs if self.pairs else None


@dataclass(frozen=True)
class LayerAgreement:
    layer: str
    exact: ExactCounts
    overlap: OverlapCounts
    token_table: CountTable = field(repr=False)
    coders: int
    labels: dict[str, LabelAgreement]
    attributes: dict[str, AttributeAgreement] = field(default_factory=dict)

    @cached_property
    def tokens(self) -> Coefficients:
        """Token coefficients over all labels of the layer (computed on first use)."""
        return coefficients(self.token_table, self.coders)

    @property
    def spans_a(self) -> int:
        return self.exact.n_a

    @property
    def spans_b(self) -> int:
        return self.exact.n_b

    @property
    def f1_exact(self) -> float | None:
        return self.exact.f1

    @property
    def f1_overlap(self) -> float | None:
        return self.overlap.f1

    @property
    def kappa(self) -> float | None:
        return kappa_of(self.tokens)

    @property
    def alpha(self) -> float | None:
        return self.tokens.alpha


@dataclass(frozen=True)
class RelationAgreement:
    total: ExactCounts
    types: dict[str, ExactCounts]


@dataclass(frozen=True)
class DocumentAgreement:
    name: str
    layers: dict[str, LayerAgreement]
    relations: RelationAgreement


@dataclass(frozen=True)
class FileMatching:
    """How the documents of one file are matched (3+ files): by all files, by each other."""

    annotator: str
    documents: int
    matched_all: int
    matched_with: dict[str, int]


@dataclass(frozen=True)
class AgreementResult:
    """Pooled agreement. ``files`` and ``pairs`` are filled for 3+ files only: per-file document
    matching and one result per pair of files (A, B = that pair) over the documents it shares."""

    annotators: tuple[str, ...]
    matched: int
    only_a: int
    only_b: int
    layers: dict[str, LayerAgreement]
    relations: RelationAgreement
    documents: Sequence[DocumentAgreement]
    files: tuple[FileMatching, ...] = ()
    pairs: tuple[AgreementResult, ...] = ()
    measures: Any = None  # annotator.review.measures.Measures when asked for (CLI agree)


def kappa_of(c: Coefficients) -> float | None:
    """The reported kappa: Cohen's for two coders, Davies & Fleiss's multi-kappa for more."""
    return c.kappa if c.coders <= 2 else c.multi_kappa


# --- accumulation -------------------------------------------------------------------------


@dataclass
class _LayerTally:
    exact: dict[str, ExactCounts] = field(default_factory=lambda: defaultdict(ExactCounts))
    overlap: dict[str, OverlapCounts] = field(default_factory=lambda: defaultdict(OverlapCounts))
    tokens: Counter[Row] = field(default_factory=Counter)
    attributes: dict[str, Counter[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(Counter)
    )

    def add(self, other: _LayerTally) -> None:
        for label, c in other.exact.items():
            self.exact[label] = self.exact[label] + c
        for label, o in other.overlap.items():
            self.overlap[label] = self.overlap[label] + o
        self.tokens.update(other.tokens)
        for name, table in other.attributes.items():
            self.attributes[name].update(table)

    def result(self, layer: str, coders: int) -> LayerAgreement:
        labels = {
            label: LabelAgreement(
                label, self.exact[label], self.overlap[label], self.tokens, coders
            )
            for label in sorted(set(self.exact) | set(self.overlap))
        }
        exact = sum(self.exact.values(), ExactCounts())
        overlap = sum(self.overlap.values(), OverlapCounts())
        attributes = {}
        for name in sorted(self.attributes):
            table = self.attributes[name]
            pairs = sum(table.values())
            agreeing = sum(n for (va, vb), n in table.items() if va == vb)
            # Mapping keys are invariant: Counter[tuple[str, str]] is a valid table of Rows
            kappa = coefficients(table, 2).kappa  # type: ignore[arg-type]
            attributes[name] = AttributeAgreement(pairs, agreeing, kappa)
        return LayerAgreement(layer, exact, overlap, self.tokens, coders, labels, attributes)


_SCALAR_TEXT: dict[tuple[type, object], str] = {}  # (type, value) -> its JSON: values repeat


def _attr_value(attributes: dict[str, Any], name: str) -> str:
    if name not in attributes:
        return UNSET
    value = attributes[name]
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # (True == 1: typed key)
        text = _SCALAR_TEXT.get((kind, value))
        if text is None:
            if len(_SCALAR_TEXT) >= 4096:
                _SCALAR_TEXT.clear()
            text = _SCALAR_TEXT[(kind, value)] = json.dumps(value, ensure_ascii=False)
        return text
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _layer_tally(spans_by_side: list[list[SpanRecord]], pairs: list[tuple[int, int]],
                 tokens: TokenIndex) -> _LayerTally:
    """Counts of one layer on one document; ``pairs`` index A's and B's spans of the layer."""
    tally = _LayerTally()
    spans_a, spans_b = spans_by_side[0], spans_by_side[1]
    tally.exact.update(metrics.exact_counts_by_label(spans_a, spans_b, pairs))
    tally.overlap.update(metrics.overlap_counts_by_label(spans_a, spans_b))
    for i, j in pairs:
        attrs_a, attrs_b = spans_a[i].attributes, spans_b[j].attributes
        if not attrs_a and not attrs_b:
            continue
        for name in attrs_a.keys() | attrs_b.keys():
            tally.attributes[name][(_attr_value(attrs_a, name), _attr_value(attrs_b, name))] += 1
    tally.tokens = label_rows(tokens, spans_by_side)
    return tally


def _kept_relations(side: Annotations, layers: set[str]) -> list[RelationRecord]:
    """Relations whose two ends are spans of the selected layers."""
    if not side.relations:
        return []
    layer_of = {s.key: s.layer for s in side.spans}
    return [r for r in side.relations
            if layer_of.get(r.source) in layers and layer_of.get(r.target) in layers]


def _relation_counts(spans_a: Sequence[SpanRecord], spans_b: Sequence[SpanRecord],
                     rels_a: Sequence[RelationRecord], rels_b: Sequence[RelationRecord],
                     pairs: Sequence[tuple[int, int]]) -> dict[str, ExactCounts]:
    """Relation matches through the exact ``pairs`` of ``spans_a`` and ``spans_b``."""
    pair_a = {spans_a[i].key: n for n, (i, _) in enumerate(pairs)}
    pair_b = {spans_b[j].key: n for n, (_, j) in enumerate(pairs)}
    waiting: Counter[tuple[str, int, int]] = Counter()
    for r in rels_b:
        if r.source in pair_b and r.target in pair_b:
            waiting[(r.type, pair_b[r.source], pair_b[r.target])] += 1
    out: dict[str, ExactCounts] = defaultdict(ExactCounts)
    for r in rels_a:
        key = (r.type, pair_a.get(r.source, -1), pair_a.get(r.target, -1))
        hit = int(waiting[key] > 0)
        waiting[key] -= hit
        out[r.type] = out[r.type] + ExactCounts(1, 0, hit)
    for r in rels_b:
        out[r.type] = out[r.type] + ExactCounts(0, 1, 0)
    return dict(out)


def _document_tally(doc: MatchedDocument, layer_names: Sequence[str], coders: int,
                    tokens: TokenIndex) -> tuple[dict[str, _LayerTally], dict[str, ExactCounts]]:
    """Per-layer tallies and relation counts of one document."""
    selected = set(layer_names)
    by_layer: dict[str, list[list[SpanRecord]]] = {
        layer: [[] for _ in range(coders)] for layer in layer_names
    }
    for c, side in enumerate(doc.sides):
        for s in side.spans:
            if s.layer in selected:
                by_layer[s.layer][c].append(s)
    selected_a = [s for layer in layer_names for s in by_layer[layer][0]]
    selected_b = [s for layer in layer_names for s in by_layer[layer][1]]
    rels_a = _kept_relations(doc.sides[0], selected)
    rels_b = _kept_relations(doc.sides[1], selected)
    pairs = exact_pairs(selected_a, selected_b, rels_a, rels_b)
    # split the pairs by layer, as indices into that layer's lists
    first: dict[str, tuple[int, int]] = {}
    n_a = n_b = 0
    for layer in layer_names:
        first[layer] = (n_a, n_b)
        n_a += len(by_layer[layer][0])
        n_b += len(by_layer[layer][1])
    layer_pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, j in pairs:
        layer = selected_a[i].layer
        fa, fb = first[layer]
        layer_pairs[layer].append((i - fa, j - fb))
    tallies = {layer: _layer_tally(by_layer[layer], layer_pairs.get(layer, []), tokens)
               for layer in layer_names}
    return tallies, _relation_counts(selected_a, selected_b, rels_a, rels_b, pairs)


def _relation_result(types: dict[str, ExactCounts]) -> RelationAgreement:
    return RelationAgreement(
        sum(types.values(), ExactCounts()), {t: types[t] for t in sorted(types)}
    )


def _tokenize_all(
    docs: Sequence[MatchedDocument], tokenize: Tokenizer | None, workers: int
) -> Iterator[Sequence[tuple[int, int]]]:
    """Token offsets of every document's text, in order; lazily, so work overlaps."""
    fn = tokenize or token_spans
    texts = [doc.text for doc in docs]
    if workers <= 1 or len(texts) < 4 * _CHUNK:
        yield from map(fn, texts)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(fn, texts, chunksize=_CHUNK)


def compute_agreement(
    documents: Iterable[MatchedDocument],
    *,
    annotators: Sequence[str] = ("A", "B"),
    only_a: int = 0,
    only_b: int = 0,
    layers: Sequence[str] | None = None,
    tokenize: Tokenizer | None = None,
    workers: int = 1,
) -> AgreementResult:
    """Agreement over ``documents`` (see the module doc for every definition).

    ``annotators`` names the sides (A first); every document must have that many sides.
    ``only_a``/``only_b`` are the counts of unmatched documents, reported as given.
    ``layers``: report exactly these layers (even if empty); default every layer seen.
    ``tokenize``: text -> token offsets (default :func:`tokens_agreement.token_spans`); must be
    a module-level function when ``workers`` > 1.
    ``workers`` > 1 tokenizes in that many worker processes (for the CLI on large corpora;
    the GUI should call with 1 from its own worker thread). Results do not depend on it.
    """
    docs = list(documents)
    coders = len(annotators)
    if coders < 2:
        raise ValueError("agreement needs at least two annotators")
    for doc in docs:
        _check_sides(doc, coders)
    if layers is None:
        seen = {s.layer for doc in docs for side in doc.sides for s in side.spans}
        layers = sorted(seen)
    return _pooled(docs, annotators, only_a, only_b, list(dict.fromkeys(layers)),
                   _tokenize_all(docs, tokenize, workers), None)


def _check_sides(doc: MatchedDocument, coders: int) -> None:
    if len(doc.sides) != coders:
        raise ValueError(
            f"document {doc.name!r} has {len(doc.sides)} annotators, expected {coders}"
        )


def compute_agreement_stream(
    documents: Iterable[MatchedDocument], *, annotators: Sequence[str], layers: Sequence[str],
    only_a: int = 0, only_b: int = 0, tokenize: Tokenizer | None = None,
    measures: MeasureStats | None = None,
) -> AgreementResult:
    """:func:`compute_agreement` (the same result) over ``documents`` taken one at a time and
    dropped (``layers`` must be given: exactly these are reported); each document is given to
    ``measures`` (:class:`annotator.review.measures.MeasureStats`, made for these layers) as it
    comes (its figures are read back from ``AgreementResult.documents`` when it finishes)."""
    fn = tokenize or token_spans
    return _pooled(documents, annotators, only_a, only_b, list(dict.fromkeys(layers)), None, fn,
                   measures)


def _pooled(docs: Iterable[MatchedDocument], annotators: Sequence[str], only_a: int,
            only_b: int, layer_names: list[str],
            tokens_of: Iterator[Sequence[tuple[int, int]]] | None,
            tokenize: Tokenizer | None,
            measures: MeasureStats | None = None) -> AgreementResult:
    """The pooled result; ``tokens_of`` gives each document's tokens in order, or else
    ``tokenize`` is called on each text; each document goes to ``measures``."""
    coders = len(annotators)
    if coders < 2:
        raise ValueError("agreement needs at least two annotators")
    pooled = {layer: _LayerTally() for layer in layer_names}
    pooled_rel: dict[str, ExactCounts] = defaultdict(ExactCounts)
    per_doc = CompactDocuments(layer_names, coders)
    rows: dict[Row, Row] = {}
    matched = 0
    for doc in docs:
        _check_sides(doc, coders)
        given = next(tokens_of) if tokens_of is not None else None
        with collector_paused():  # one document's tuples (core.collector)
            if given is None:
                assert tokenize is not None
                given = tokenize(doc.text)
            tallies, rel = _document_tally(doc, layer_names, coders, TokenIndex(given))
            doc_layers = {}
            for layer, tally in tallies.items():
                # one tuple per distinct row of every document's table (memory), same order
                tally.tokens = Counter({rows.setdefault(k, k): n
                                       for k, n in tally.tokens.items()})
                doc_layers[layer] = tally.result(layer, coders)
                pooled[layer].add(tally)
            for rel_type, counts in rel.items():
                pooled_rel[rel_type] = pooled_rel[rel_type] + counts
            per_doc.append(DocumentAgreement(doc.name, doc_layers, _relation_result(rel)))
            if measures is not None:
                measures.add(doc)
        matched += 1
    return AgreementResult(
        annotators=tuple(annotators),
        matched=matched,
        only_a=only_a,
        only_b=only_b,
        layers={layer: pooled[layer].result(layer, coders) for layer in layer_names},
        relations=_relation_result(dict(pooled_rel)),
        documents=per_doc,
    )
