"""CoNLL export: one token per line with one BIO (or BIOES) tag column per layer.

Layout (docs/interfaces.md, "Multi-file formats"), per document::

    # doc_id = doc-7
    # columns = TOKEN START END hedging attribution
    It<TAB>0<TAB>2<TAB>B-hedge<TAB>O
    ...
    <blank line after every sentence>

START/END are code point offsets into the document text (end exclusive). A line is a comment
exactly when it starts with ``#`` and holds no TAB (token lines always hold TABs, so a ``#``
token is still a token line). Tags are ``B-label``/``I-label``/``O`` (BIO, the default) or
also ``E-label``/``S-label`` with ``WriteOptions.scheme = "BIOES"``.

What a tag column cannot say, and what is done instead (each counted in
``ExportSummary.dropped``):

* Tokens cut by a span boundary: a token belongs to a span when it shares a code point with it.
* Overlapping spans in one layer: the span covering the most tokens is kept; ties go to the
  earliest first token, then the label's position in the tagset, then the span key. The others
  are dropped ("overlap in layer X").
* A discontinuous span: each fragment is tagged as its own chunk ("discontinuous written as
  separate chunks").
* A span crossing a sentence boundary: one chunk per sentence ("span crossing sentences written
  as separate chunks").
* A span of nothing but whitespace covers no token ("span covers no token").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.tagset import Tagset
from annotator.formats._planned import plan_and_stream
from annotator.formats._token_layers import (
    TokenRange,
    export_layers,
    fragment_ranges,
    label_order,
    split_at_sentences,
)
from annotator.formats.registry import ExportSummary, Format, WriteOptions, register
from annotator.nlp.tokens import TextUnits, text_units

SCHEMES = ("BIO", "BIOES")
_WS = re.compile(r"\s")


def _clean(value: str) -> str:
    """A token, label or comment value on one line without TABs (guard; tokens have no spaces)."""
    return _WS.sub("_", value)


def _chunks(units: TextUnits, span: SpanRecord, summary: ExportSummary) -> list[TokenRange]:
    ranges = fragment_ranges(units, span.fragments)
    if not ranges:
        summary.drop("span covers no token")
        return []
    if len(span.fragments) > 1:
        summary.drop("discontinuous written as separate chunks")
    out: list[TokenRange] = []
    for rng in ranges:
        out.extend(split_at_sentences(units, rng))
    if len(out) > len(ranges):
        summary.drop("span crossing sentences written as separate chunks")
    return out


def layer_tags(units: TextUnits, spans: list[SpanRecord], layer: str, tagset: Tagset,
               scheme: str, summary: ExportSummary) -> list[str]:
    """One tag per token for ``spans`` (all of ``layer``), overlaps resolved as documented."""
    order = label_order(tagset, layer)
    cands = []
    for sp in spans:
        chunks = _chunks(units, sp, summary)
        if chunks:
            size = sum(j - i for i, j in chunks)
            cands.append(((-size, chunks[0][0], order.get(sp.label, len(order)), sp.label,
                           sp.key), sp, chunks))
    cands.sort(key=lambda c: c[0])
    tags = ["O"] * len(units.tokens)
    taken = bytearray(len(units.tokens))
    for _, sp, chunks in cands:
        if any(taken[t] for i, j in chunks for t in range(i, j)):
            summary.drop(f"overlap in layer {layer}")
            continue
        label = _clean(sp.label)
        for i, j in chunks:
            for t in range(i, j):
                taken[t] = 1
                tags[t] = f"I-{label}"
            tags[i] = f"B-{label}"
            if scheme == "BIOES":
                if j - i == 1:
                    tags[i] = f"S-{label}"
                else:
                    tags[j - 1] = f"E-{label}"
        summary.spans += 1
    return tags


def document_lines(doc: CorpusDocument, layers: list[str], tagset: Tagset, scheme: str,
                   summary: ExportSummary) -> list[str]:
    """The lines (without newlines) for one document, ending with a blank line."""
    units = text_units(doc.text)
    columns = [layer_tags(units, [sp for sp in doc.spans if sp.layer == layer], layer, tagset,
                          scheme, summary) for layer in layers]
    lines = [f"# doc_id = {_clean(doc.name)}",
             "# columns = " + " ".join(["TOKEN", "START", "END", *map(_clean, layers)])]
    for group in units.tokens_by_sentence():
        for t in group:
            s, e = units.tokens[t]
            lines.append("\t".join([_clean(doc.text[s:e]), str(s), str(e),
                                    *(col[t] for col in columns)]))
        lines.append("")
    if not units.sentences:
        lines.append("")
    return lines


@register
class ConllFormat(Format):
    name = "conll"
    label = "CoNLL (one token per line, BIO/BIOES tags)"
    extensions = (".conll",)
    can_write = True

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        scheme = options.scheme.upper()
        if scheme not in SCHEMES:
            raise BadInputError(f"unknown tag scheme {options.scheme!r} "
                                f"(expected {' or '.join(SCHEMES)})")
        plan, docs, total = plan_and_stream(docs)
        layers = export_layers(plan, tagset, options.layers)
        summary = ExportSummary()
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8", newline="\n") as fh:
            for n, doc in enumerate(docs, 1):
                fh.write("\n".join(document_lines(doc, layers, tagset, scheme, summary)) + "\n")
                summary.documents += 1
                if options.progress:
                    options.progress(n, total)
        summary.files.append(out)
        return summary
