"""Token-level agreement: label each token of a shared text, then kappa, pi and alpha.

Contracts
---------
* Tokens come from :func:`token_spans`, which is ``annotator.nlp.tokens.token_spans(text)``
  (the same tokens the editor snaps selections to): each line separately; a line with ``.``,
  ``?`` or ``!`` cut into sentences by NLTK's *untrained* ``PunktSentenceTokenizer()`` (it knows
  no abbreviation: "Dr. Smith" is two sentences); each sentence cut into words by the rules of
  NLTK's ``NLTKWordTokenizer`` (``span_tokenize``; the tokenizer behind ``word_tokenize``, not
  the older ``TreebankWordTokenizer``), or by the regex ``\\w+|[^\\w\\s]`` where NLTK's offsets
  fail; then combining marks, emoji modifiers, variation selectors and joiners glued to the
  token before them. Offsets are code points, end exclusive, sorted and not overlapping.
  (Only if ``annotator.nlp.tokens`` cannot be imported: NLTK's word tokenizer on the whole
  text, else a regular expression.)
* :func:`label_tokens` gives each token the label of a span *covering* it, or :data:`NONE`.
  A span covers a token when one of its fragments shares at least one code point with the
  token. When several spans cover a token the winner is the span with the most covered code
  points (sum of fragment lengths), then the earliest start, then the smallest label name
  (plain string order). Cost: O(S log T + covered tokens), never O(tokens x spans).
* Coefficients are computed from a *count table*: a mapping from one item's labels (a tuple,
  one entry per coder, ``None`` = the coder gave no value) to how many items look like that.
  Per-token tables of several documents simply add up (``Counter.update``).
* :func:`coefficients` gives the same numbers as ``nltk.metrics.agreement.AnnotationTask``
  (``avg_Ao``, ``kappa``, ``multi_kappa``, ``pi``, ``alpha``; binary distance) but in
  O(distinct rows x labels) instead of per token; ``engine="nltk"`` builds the AnnotationTask
  itself (slow; for audits and tests). Undefined values are ``None``: no complete item, expected
  agreement 1 (kappa, pi) or a single value in the data (alpha).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TypeGuard

from annotator.core.model import SpanRecord

NONE = "none"
"""The label of a token that no span of the layer covers."""

Row = tuple[str | None, ...]
CountTable = Mapping[Row, int]

_REGEX_TOKEN = re.compile(
    r"[^\W_](?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff\ufe20-\ufe2f])*|\S"
)


def _regex_token_spans(text: str) -> list[tuple[int, int]]:
    """Fallback tokenizer: runs of letters/digits (keeping combining marks), else one character."""
    return [m.span() for m in _REGEX_TOKEN.finditer(text)]


def _nltk_token_spans(text: str) -> list[tuple[int, int]]:
    """NLTK's word tokenizer spans; the regex when NLTK cannot align a token with the text."""
    from annotator.nlp.nltk_import import nltk_module

    NLTKWordTokenizer = nltk_module("nltk.tokenize").NLTKWordTokenizer  # noqa: N806

    try:
        return list(NLTKWordTokenizer().span_tokenize(text))
    except ValueError:  # align_tokens fails on some quote rewrites
        return _regex_token_spans(text)


def _project_tokenizer() -> Callable[[str], list[tuple[int, int]]] | None:
    try:
        from annotator.nlp.tokens import token_spans as project_token_spans
    except ImportError:
        return None
    return project_token_spans


def token_spans(text: str) -> list[tuple[int, int]]:
    """Token ``(start, end)`` offsets of ``text`` in code points, sorted, not overlapping."""
    project = _project_tokenizer()
    if project is not None:  # already (int, int) tuples in a new list
        return project(text)
    return [(int(s), int(e)) for s, e in _nltk_token_spans(text)]


def _priority(span: SpanRecord) -> tuple[int, int, str]:
    fragments = span.fragments
    if len(fragments) == 1:  # the common case without the sum: spans are many
        s, e = fragments[0]
        return (s - e, s, span.label)
    covered = sum(e - s for s, e in fragments)
    return (-covered, span.start, span.label)


class TokenIndex:
    """Token offsets with their start and end columns, built once per text."""

    __slots__ = ("ends", "starts", "tokens")

    def __init__(self, tokens: Sequence[tuple[int, int]]) -> None:
        self.tokens = list(tokens)
        self.starts = [s for s, _ in self.tokens]
        self.ends = [e for _, e in self.tokens]

    def __len__(self) -> int:
        return len(self.tokens)


def label_tokens(
    tokens: Sequence[tuple[int, int]] | TokenIndex, spans: Iterable[SpanRecord]
) -> list[str]:
    """One label per token: the winning covering span's label, or :data:`NONE` (see module doc).

    ``tokens`` must be sorted and not overlapping; ``spans`` should be of one layer.
    """
    index = tokens if isinstance(tokens, TokenIndex) else TokenIndex(tokens)
    labels = [NONE] * len(index)
    starts, ends = index.starts, index.ends
    # worst span first, so that better spans overwrite it
    for span in sorted(spans, key=_priority, reverse=True):
        label = span.label
        for fs, fe in span.fragments:
            lo = bisect_right(ends, fs)  # first token ending after the fragment starts
            hi = bisect_left(starts, fe)  # tokens starting before the fragment ends
            if hi > lo:
                labels[lo:hi] = [label] * (hi - lo)
    return labels


def label_rows(tokens: TokenIndex, sides: Sequence[Iterable[SpanRecord]]) -> Counter[Row]:
    """``count_rows(*(label_tokens(tokens, side) for side in sides))``, the same table, built
    from the covered tokens only: a token no span covers on any side is one more
    ``("none", …)`` row, counted without being visited."""
    starts, ends = tokens.starts, tokens.ends
    covered: list[dict[int, str]] = []
    for side in sides:
        labels: dict[int, str] = {}
        for span in sorted(side, key=_priority, reverse=True):  # worst first, best overwrites
            label = span.label
            for fs, fe in span.fragments:
                for k in range(bisect_right(ends, fs), bisect_left(starts, fe)):
                    labels[k] = label
        covered.append(labels)
    seen: set[int] = set()
    for labels in covered:
        seen.update(labels)
    rows: Counter[Row]
    if len(covered) == 2:
        get_a, get_b = covered[0].get, covered[1].get
        rows = Counter([(get_a(k, NONE), get_b(k, NONE)) for k in seen])
    else:
        rows = Counter(tuple(c.get(k, NONE) for c in covered) for k in seen)
    rest = len(tokens) - len(seen)
    if rest > 0:
        rows[(NONE,) * len(sides)] += rest
    return rows


def count_rows(*label_lists: Sequence[str]) -> Counter[Row]:
    """Count table of parallel label lists (one per coder, same length)."""
    if len({len(x) for x in label_lists}) > 1:
        raise ValueError("label lists of different lengths")
    return Counter(zip(*label_lists, strict=True))


@dataclass(frozen=True)
class Coefficients:
    """Chance-corrected agreement over items; ``None`` where undefined.

    ``kappa`` is Cohen's kappa for two coders and, for more, the mean of pairwise kappas (as
    NLTK's ``kappa``); ``multi_kappa`` is Davies & Fleiss (1982); ``pi`` is Scott's pi, for more
    than two coders Fleiss's (1971) multi-pi ("Fleiss' kappa"); ``alpha`` is Krippendorff's
    alpha with the nominal distance.
    """

    items: int
    coders: int
    observed: float | None
    kappa: float | None
    multi_kappa: float | None
    pi: float | None
    alpha: float | None


def _chance_corrected(observed: float, expected: float) -> float | None:
    if expected >= 1.0 - 1e-12:
        return None
    return (observed - expected) / (1.0 - expected)


def _alpha(table: CountTable) -> float | None:
    """Krippendorff's nominal alpha from a count table; items with < 2 values are unpairable."""
    d_o = 0.0
    totals: Counter[str] = Counter()
    for row, count in table.items():
        if count <= 0:
            continue
        if len(row) == 2:
            a, b = row
            if a is not None and b is not None:
                if a != b:
                    d_o += 2 * count
                totals[a] += count
                totals[b] += count
                continue
        values = Counter(v for v in row if v is not None)
        m_u = sum(values.values())
        if m_u < 2 or count <= 0:
            continue
        agree_pairs = sum(n * (n - 1) for n in values.values())
        d_o += count * (m_u * (m_u - 1) - agree_pairs) / (m_u - 1)
        for value, n in values.items():
            totals[value] += n * count
    n_total = sum(totals.values())
    if n_total < 2:
        return None
    d_e = (n_total * n_total - sum(n * n for n in totals.values())) / (n_total - 1)
    if d_e <= 0:
        return None
    return 1.0 - d_o / d_e


def _is_complete(row: Row) -> TypeGuard[tuple[str, ...]]:
    """Whether every coder gave the item a value (no ``None`` in ``row``)."""
    return None not in row


def _coefficients_counts(table: CountTable, coders: int) -> Coefficients:
    complete = {row: c for row, c in table.items() if c > 0 and _is_complete(row)}
    n = sum(complete.values())
    alpha = _alpha(table)
    if n == 0 or coders < 2:
        return Coefficients(sum(table.values()), coders, None, None, None, None, alpha)
    pairs = list(combinations(range(coders), 2))
    marg = [Counter[str]() for _ in range(coders)]
    pooled: Counter[str] = Counter()
    agree = dict.fromkeys(pairs, 0)
    for row, count in complete.items():
        for c, value in enumerate(row):
            marg[c][value] += count
            pooled[value] += count
        for x, y in pairs:
            if row[x] == row[y]:
                agree[(x, y)] += count
    ao_pair = {p: agree[p] / n for p in pairs}
    ae_pair = {(x, y): sum(marg[x][k] * marg[y][k] for k in marg[x]) / (n * n) for x, y in pairs}
    observed = sum(ao_pair.values()) / len(pairs)
    kappas = [_chance_corrected(ao_pair[p], ae_pair[p]) for p in pairs]
    defined = [k for k in kappas if k is not None]
    kappa = sum(defined) / len(defined) if len(defined) == len(kappas) else None
    multi_kappa = _chance_corrected(observed, sum(ae_pair.values()) / len(pairs))
    ae_pi = sum(v * v for v in pooled.values()) / (n * coders) ** 2
    pi = _chance_corrected(observed, ae_pi)
    return Coefficients(sum(table.values()), coders, observed, kappa, multi_kappa, pi, alpha)


def _coefficients_nltk(table: CountTable, coders: int) -> Coefficients:
    """The same numbers through ``nltk.metrics.agreement.AnnotationTask`` (one triple per value)."""
    from annotator.nlp.nltk_import import nltk_module

    AnnotationTask = nltk_module("nltk.metrics.agreement").AnnotationTask  # noqa: N806

    reference = _coefficients_counts(table, coders)  # only to know what is undefined
    triples = []
    complete_triples = []
    item = 0
    for row, count in table.items():
        for _ in range(count):
            for c, value in enumerate(row):
                if value is not None:
                    triples.append((f"c{c}", item, value))
                    if None not in row:
                        complete_triples.append((f"c{c}", item, value))
            item += 1
    observed = kappa = multi_kappa = pi = None
    if complete_triples and reference.observed is not None:
        task = AnnotationTask(data=complete_triples)
        observed = task.avg_Ao()
        kappa = task.kappa() if reference.kappa is not None else None
        multi_kappa = task.multi_kappa() if reference.multi_kappa is not None else None
        pi = task.pi() if reference.pi is not None else None
    alpha = AnnotationTask(data=triples).alpha() if reference.alpha is not None else None
    return Coefficients(reference.items, coders, observed, kappa, multi_kappa, pi, alpha)


def coefficients(
    table: CountTable, coders: int | None = None, engine: str = "counts"
) -> Coefficients:
    """Agreement coefficients of a count table (see module doc); ``engine``: counts | nltk."""
    if coders is None:
        coders = max((len(row) for row in table), default=2)
    if engine == "counts":
        return _coefficients_counts(table, coders)
    if engine == "nltk":
        return _coefficients_nltk(table, coders)
    raise ValueError(f"unknown engine {engine!r} (use 'counts' or 'nltk')")


def binary_table(table: CountTable, label: str) -> Counter[Row]:
    """Collapse a table to ``label`` versus everything else (``NONE``), keeping missing values."""
    out: Counter[Row] = Counter()
    for row, count in table.items():
        out[tuple(None if v is None else (label if v == label else NONE) for v in row)] += count
    return out
