"""WebAnno TSV 3.3 (INCEpTION): one ``.tsv`` file per document in a folder, written and read.

Follows the INCEpTION user guide's "WebAnno TSV 3.3 File format":

* Header ``#FORMAT=WebAnno TSV 3.3``, one ``#T_SP=`` line per exported span layer, then one
  ``#T_RL=`` line per relation layer, then two empty lines. Every file of an export carries the
  same header, so one INCEpTION project (with these custom layers) can import them all.
* A span layer ``hedging`` becomes the custom layer ``webanno.custom.Hedging`` with the features
  ``label`` and then the layer's attributes (the tagset's, then any others found, by name).
* Relations join spans of one layer: the relation layer of ``hedging`` is
  ``webanno.custom.HedgingRelation`` with features ``label`` (the relation type) and the
  relation attributes, and base type ``BT_webanno.custom.Hedging``. A relation is written on the
  first token of its target, its last column naming the source's first token
  (``sent-tok``), followed by ``[sourceId_targetId]`` when either end has a disambiguation ID
  (0 for the end that has none). A relation between spans of different layers cannot be
  expressed and is dropped ("relation across layers"), as is one whose end is not exported.
* ``#Text=`` per sentence (sentences from :mod:`annotator.nlp.tokens`; a sentence's text runs
  up to the next sentence, so the whitespace between sentences is in the file: INCEpTION drops
  the line feed it adds after a sentence when the next one starts right there), then one line per
  token: ``sent-tok<TAB>begin-end<TAB>token<TAB>`` and one column per feature, each followed by
  a TAB as INCEpTION writes them. Offsets count UTF-16 code units (:class:`OffsetMap`).
* ``_`` = no annotation of that layer on the token; ``*`` = the annotation has no value for that
  feature (unset or empty). Multi-token and stacked annotations carry ``[n]`` IDs (unique in
  the file); stacked annotations are separated by ``|`` in the same order in every column.
* Feature values escape the reserved characters ``\\ [ ] | _ -> ; * TAB LF`` with a backslash.
  Sentence and token text escape only ``\\``, TAB and CR (as INCEpTION's own files show).
* Tokens cut by a span boundary belong to the span (a span is widened to whole tokens;
  sub-token rows are not written). A discontinuous span becomes one annotation per fragment,
  the later fragments linked to the first by ``fragment_of`` relations ("discontinuous written
  as fragments linked by fragment_of").

The file name is the document id made safe for file systems (see :func:`annotator.core.text.safe_filename`).

Reading (``_tsv_read``, ``_tsv_map``): a file, or a folder of ``.tsv`` files (recursively); the
import's ``auto`` takes a ``.tsv`` that starts with ``#FORMAT=WebAnno TSV`` for this format.

* The text is rebuilt as INCEpTION rebuilds it: each sentence's ``#Text=`` lines joined by line
  feeds, placed at its first token's offset; a gap before the first sentence is filled with
  spaces, a gap between sentences with a line feed and then spaces; nothing follows the last
  sentence (INCEpTION keeps a line feed there; the file cannot say what followed). Every token's
  text must match the rebuilt text at its UTF-16 offsets, else the file is refused.
* Span layers (``#T_SP``) give spans; stacked values (``|``) are separate spans, ``[N]`` joins
  the units of one multi-token span, sub-token rows (``1-2.1``) give spans inside a token.
  The layer is the type's name after ``webanno.custom.`` (decoded as the XMI reader decodes it)
  or a built-in type's short name (``NamedEntity``); a type our exporter names after a layer of
  the default tagset (``webanno.custom.Hedging``) is that layer, its features its attributes
  with their tagset types. The label is the feature ``label``, else ``value`` (``PosValue``,
  ``DependencyType``, ``referenceType``), else the first feature with a value, else the layer
  name; the other features are attributes (strings). ``*`` is "no value", ``_`` "none here".
* Relation layers (``#T_RL``) give relations between the spans their ends name (the relation's
  type is chosen like a label; default the layer name); our own ``fragment_of`` relations join
  the fragments of a discontinuous span again. A relation layer over tokens (a ``BT_`` of
  ``Token``) joins spans of layer ``Token`` made for its ends, as the XMI reader reads the
  tokens such a relation joins. Chains (``#T_CH``, declared by their link type) give one span
  per link, in the layer INCEpTION shows (``webanno.custom.SimpleLink`` -> ``Simple``,
  ``CoreferenceLink`` -> ``Coreference``), and a relation from each link to the next, typed by
  ``referenceRelation`` (default ``next``). Slot features (``ROLE_…`` with a target column) give
  relations from the host to each filler, typed by the role (or the feature name when the role
  is empty). A case of INCEpTION's tsv3-suite imported from its TSV and from its XMI gives the
  same annotations (tests/corpora/test_webanno_tsv_corpora.py).
* Not representable, counted in one warning per file: zero-width annotations (and relations
  to them), slot links without a filler, ``#Sentence.id`` lines, other comment lines, and
  sentences without tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.core.offsets import OffsetMap
from annotator.core.tagset import Tagset
from annotator.core.text import TakenNames, safe_filename
from annotator.formats._planned import plan_and_stream
from annotator.formats._token_layers import export_layers, fragment_ranges, label_order
from annotator.formats._tsv_names import (
    FORMAT_LINE,
    FRAGMENT_OF,
    PREFIX,
    _camel,
    escape_text,
    escape_value,
    feature_name,
    format_value,
)
from annotator.formats.registry import (
    ExportSummary,
    Format,
    ReadOptions,
    WriteOptions,
    iter_input_files,
    register,
)
from annotator.nlp.tokens import text_units


@dataclass
class _SpanLayer:
    name: str
    type_name: str
    attributes: list[str]  # attribute keys in column order
    features: list[str]  # header feature names: label + attributes


@dataclass
class _RelLayer:
    span_layer: str
    type_name: str
    attributes: list[str]
    features: list[str]


@dataclass
class _Ann:
    layer: str
    values: list[str]
    first: int  # token indices, end exclusive
    end: int
    sort: tuple[Any, ...]
    ident: int = 0


@dataclass
class _Rel:
    layer: str
    values: list[str]
    source: _Ann
    target: _Ann


@dataclass
class _Schema:
    spans: list[_SpanLayer] = field(default_factory=list)
    relations: list[_RelLayer] = field(default_factory=list)

    def header(self) -> list[str]:
        lines = [FORMAT_LINE]
        lines += [f"#T_SP={lay.type_name}|" + "|".join(lay.features) for lay in self.spans]
        base = {lay.name: lay.type_name for lay in self.spans}
        lines += ["#T_RL=" + "|".join([rel.type_name, *rel.features,
                                       f"BT_{base[rel.span_layer]}"])
                  for rel in self.relations]
        return [*lines, "", ""]


def _unique(names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        cand, k = n, 1
        while cand in out:
            k += 1
            cand = f"{n}_{k}"
        out.append(cand)
    return out


def build_schema(docs: Sequence[CorpusDocument], tagset: Tagset, layers: list[str]) -> _Schema:
    """Span and relation layers of the header, the same for every file of the export."""
    schema = _Schema()
    taken: set[str] = set()
    layer_of = {}
    for layer in layers:
        declared: list[str] = []
        layer_def = tagset.layer(layer)
        for lab in layer_def.labels if layer_def else []:
            declared += [a.name for a in tagset.attributes_for(layer, lab.name)]
        found = {k for d in docs for sp in d.spans if sp.layer == layer for k in sp.attributes}
        attrs = list(dict.fromkeys(declared)) + sorted(found - set(declared))
        type_name = PREFIX + _camel(layer)
        while type_name in taken:
            type_name += "_"
        taken.add(type_name)
        schema.spans.append(_SpanLayer(layer, type_name, attrs,
                                       _unique(["label", *map(feature_name, attrs)])))
    exported = set(layers)
    rel_attrs: dict[str, dict[str, None]] = {}
    for d in docs:
        layer_of = {sp.key: sp.layer for sp in d.spans}
        for sp in d.spans:
            if sp.layer in exported and len(sp.fragments) > 1:
                rel_attrs.setdefault(sp.layer, {})
        for rel in d.relations:
            src, tgt = layer_of.get(rel.source), layer_of.get(rel.target)
            if src is not None and src == tgt and src in exported:
                keys = rel_attrs.setdefault(src, {})
                rtype = tagset.relation_type(rel.type)
                for a in rtype.attributes if rtype else []:
                    keys.setdefault(a.name, None)
                for k in sorted(rel.attributes):
                    keys.setdefault(k, None)
    for lay in schema.spans:
        if lay.name in rel_attrs:
            attrs = list(rel_attrs[lay.name])
            schema.relations.append(_RelLayer(lay.name, lay.type_name + "Relation", attrs,
                                              _unique(["label", *map(feature_name, attrs)])))
    return schema


def document_lines(doc: CorpusDocument, schema: _Schema, tagset: Tagset,
                   summary: ExportSummary) -> list[str]:
    """The lines of one document's file (without newlines)."""
    units = text_units(doc.text)
    offsets = OffsetMap(doc.text)
    span_layers = {lay.name: lay for lay in schema.spans}
    layer_rank = {lay.name: n for n, lay in enumerate(schema.spans)}
    rel_layers = {rel.span_layer: rel for rel in schema.relations}

    anns: list[_Ann] = []
    by_key: dict[str, list[_Ann]] = {}
    rels: list[_Rel] = []
    for sp in doc.spans:
        lay = span_layers.get(sp.layer)
        if lay is None:
            continue
        ranges = fragment_ranges(units, sp.fragments)
        if not ranges:
            summary.drop("span covers no token")
            continue
        values = [format_value(sp.label)] + [format_value(sp.attributes.get(a))
                                             for a in lay.attributes]
        order = label_order(tagset, sp.layer)
        parts = [_Ann(sp.layer, values, i, j,
                      (i, -(j - i), layer_rank[sp.layer], order.get(sp.label, len(order)),
                       sp.label, sp.key, n))
                 for n, (i, j) in enumerate(ranges)]
        anns += parts
        by_key[sp.key] = parts
        summary.spans += 1
        if len(sp.fragments) > 1:
            summary.drop("discontinuous written as fragments linked by fragment_of")
            rel = rel_layers[sp.layer]
            for part in parts[1:]:
                rels.append(_Rel(sp.layer, [escape_value(FRAGMENT_OF)] + ["*"] * len(
                    rel.attributes), part, parts[0]))
    for relation in doc.relations:
        src, tgt = by_key.get(relation.source), by_key.get(relation.target)
        if src is None or tgt is None:
            summary.drop("relation endpoint not exported")
            continue
        if src[0].layer != tgt[0].layer:
            summary.drop("relation across layers (WebAnno TSV relations join one layer)")
            continue
        rlay = rel_layers[src[0].layer]
        rels.append(_Rel(src[0].layer, [format_value(relation.type)] + [
            format_value(relation.attributes.get(a)) for a in rlay.attributes], src[0], tgt[0]))
        summary.relations += 1

    # which tokens carry which annotations, and who needs a disambiguation ID
    n_tok = len(units.tokens)
    anns.sort(key=lambda a: a.sort)
    # sparse: only tokens that carry something get a list
    per_token: dict[str, dict[int, list[_Ann]]] = {lay.name: {} for lay in schema.spans}
    for a in anns:
        cells = per_token[a.layer]
        for t in range(a.first, a.end):
            cells.setdefault(t, []).append(a)
    next_id = 1
    for a in anns:
        cells = per_token[a.layer]
        if a.end - a.first > 1 or any(len(cells[t]) > 1 for t in range(a.first, a.end)):
            a.ident = next_id
            next_id += 1
    rels_at: dict[str, dict[int, list[_Rel]]] = {rl.span_layer: {} for rl in schema.relations}
    for r in rels:
        rels_at[r.layer].setdefault(r.target.first, []).append(r)

    # token ids "sent-tok"
    tok_id = [""] * n_tok
    for s_no, group in enumerate(units.tokens_by_sentence(), 1):
        for k, t in enumerate(group, 1):
            tok_id[t] = f"{s_no}-{k}"

    lines = schema.header()
    starts = [ss for ss, _ in units.sentences[1:]] + [len(doc.text)]
    for s_no, group in enumerate(units.tokens_by_sentence(), 1):
        if s_no > 1:
            lines.append("")
        ss = units.sentences[s_no - 1][0]
        # up to the next sentence, so that the text between sentences survives (see above)
        lines += ["#Text=" + escape_text(part)
                  for part in doc.text[ss:starts[s_no - 1]].split("\n")]
        for t in group:
            s, e = units.tokens[t]
            row = [tok_id[t], f"{offsets.to_utf16(s)}-{offsets.to_utf16(e)}",
                   escape_text(doc.text[s:e])]
            for lay in schema.spans:
                here = per_token[lay.name].get(t)
                if not here:  # the common case: nothing on this token in this layer
                    row += ["_"] * len(lay.features)
                    continue
                for f in range(len(lay.features)):
                    row.append("|".join(a.values[f] + (f"[{a.ident}]" if a.ident else "")
                                        for a in here) or "_")
            for rl in schema.relations:
                here_r = rels_at[rl.span_layer].get(t)
                if not here_r:
                    row += ["_"] * (len(rl.features) + 1)
                    continue
                for f in range(len(rl.features)):
                    row.append("|".join(r.values[f] for r in here_r) or "_")
                row.append("|".join(_source_ref(r, tok_id) for r in here_r) or "_")
            lines.append("\t".join(row) + "\t")
    return lines


def is_webanno_tsv(path: Path) -> bool:
    """True when the file starts with the WebAnno TSV format line (a byte-order mark allowed)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(40)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"#FORMAT=WebAnno TSV")


def _source_ref(rel: _Rel, tok_id: list[str]) -> str:
    ref = tok_id[rel.source.first]
    if rel.source.ident or rel.target.ident:
        ref += f"[{rel.source.ident}_{rel.target.ident}]"
    return ref


@register
class WebAnnoTsvFormat(Format):
    name = "webanno-tsv"
    label = "WebAnno TSV 3.3 (INCEpTION), one file per document"
    extensions = (".tsv",)
    can_read = True
    can_write = True
    directory = True

    def sniff_directory(self, path: Path) -> bool:
        """A folder of WebAnno TSV files only (hidden files aside)."""
        files = [p for p in path.iterdir() if not p.name.startswith(".") and p.is_file()]
        return bool(files) and all(p.suffix.lower() == ".tsv" for p in files) and \
            is_webanno_tsv(min(files))

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        from annotator.formats._common import check_document_size
        from annotator.formats._textfile import read_text
        from annotator.formats._tsv_read import read_tsv

        files = [path]
        if path.is_dir():
            files = []
            for f in iter_input_files(path):
                if f.suffix.lower() == ".tsv":
                    files.append(f)
                else:
                    options.warn(f"{f}: skipped (not a .tsv file)")
        if not files:
            raise BadInputError("no .tsv files in this folder", path=path)
        docs = []
        for f in files:
            doc = read_tsv(f, read_text(f, options, many=True), options)
            check_document_size(doc.text, f)
            docs.append(doc)
        yield from docs

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        plan, docs, total = plan_and_stream(docs)
        layers = export_layers(plan, tagset, options.layers)
        schema = build_schema(plan, tagset, layers)
        summary = ExportSummary()
        out.mkdir(parents=True, exist_ok=True)
        taken: set[str] = TakenNames()
        for n, doc in enumerate(docs, 1):
            path = out / f"{safe_filename(doc.name, taken)}.tsv"
            text = "\n".join(document_lines(doc, schema, tagset, summary)) + "\n"
            if doc.doc_annotations:
                summary.drop("document-level annotation (WebAnno TSV has no place for them)",
                             len(doc.doc_annotations))
            path.write_text(text, encoding="utf-8", newline="\n")
            summary.files.append(path)
            summary.documents += 1
            if options.progress:
                options.progress(n, total)
        return summary
