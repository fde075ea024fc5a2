"""spaCy DocBin export (optional: needs ``pip install spacy``).

One ``.spacy`` file holding one ``Doc`` per document, the same bytes a ``DocBin`` of them all
would hold, written a chunk of documents at a time (:mod:`annotator.formats._docbin_stream`). The Doc's tokens are Annotator's nltk tokens
(whitespace runs other than a single space become whitespace tokens), so ``doc.text`` equals the
stored text exactly and character offsets agree with ours (both count code points). Spans go into
``doc.spans[layer]`` with their label; a span's edges are widened to whole tokens. A discontinuous
span becomes one spaCy span per fragment (counted in the summary). spaCy has no relations or span
attributes: they are kept in ``doc.user_data["annotator"]`` (id, title, status, spans with keys,
attributes and fragments, relations), which DocBin stores.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.model import CorpusDocument
from annotator.core.tagset import Tagset
from annotator.formats._docbin_stream import DocBinWriter
from annotator.formats.registry import ExportSummary, Format, WriteOptions, register


def words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """spaCy tokens whose concatenation (with the spaces) is exactly ``text``."""
    from annotator.nlp.tokens import token_spans

    words: list[str] = []
    spaces: list[bool] = []
    pos = 0

    def gap(upto: int) -> None:
        nonlocal pos
        chunk = text[pos:upto]
        if not chunk:
            return
        if chunk == " " and words and not spaces[-1]:
            spaces[-1] = True
        else:
            if words and not spaces[-1] and chunk.startswith(" ") and len(chunk) > 1:
                spaces[-1] = True
                chunk = chunk[1:]
            words.append(chunk)
            spaces.append(False)
        pos = upto

    for s, e in token_spans(text):
        gap(s)
        words.append(text[s:e])
        spaces.append(False)
        pos = e
    gap(len(text))
    return words, spaces


@register
class SpacyDocBin(Format):
    name = "spacy"
    label = "spaCy DocBin"
    extensions = (".spacy",)
    can_write = True

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        try:
            import spacy
            from spacy.tokens import Doc
        except ImportError:
            raise AnnotatorError("the spaCy export needs spaCy: pip install 'annotator[spacy]'"
                                 ) from None
        vocab = spacy.blank("xx").vocab
        layers = set(options.layers) if options.layers else None
        summary = ExportSummary(files=[out])
        with DocBinWriter() as docbin:  # one DocBin file, written a chunk at a time
            for cd in docs:
                self._add(cd, vocab, Doc, layers, summary, docbin)
                if options.progress:
                    options.progress(summary.documents, 0)
            docbin.write(out)
        return summary

    @staticmethod
    def _add(cd: CorpusDocument, vocab: Any, Doc: Any, layers: set[str] | None,  # noqa: N803
             summary: ExportSummary, docbin: DocBinWriter) -> None:
        words, spaces = words_and_spaces(cd.text)
        doc = Doc(vocab, words=words, spaces=spaces)
        assert doc.text == cd.text
        groups: dict[str, list[Any]] = {}
        for sp in cd.spans:
            if layers is not None and sp.layer not in layers:
                continue
            if len(sp.fragments) > 1:
                summary.drop("discontinuous written as one span per fragment")
            for s, e in sp.fragments:
                span = doc.char_span(s, e, label=sp.label, alignment_mode="expand")
                if span is None or len(span) == 0:
                    summary.drop("span covers no token")
                    continue
                groups.setdefault(sp.layer, []).append(span)
            summary.spans += 1
        for layer, spans in groups.items():
            doc.spans[layer] = spans
        doc.user_data["annotator"] = {
            "id": cd.name, "title": cd.title, "status": cd.status, "meta": cd.meta,
            "spans": [{"id": sp.key, "layer": sp.layer, "label": sp.label,
                       "fragments": [list(f) for f in sp.fragments],
                       "attributes": sp.attributes, "note": sp.note} for sp in cd.spans
                      if layers is None or sp.layer in layers],
            "relations": [{"id": r.key, "type": r.type, "from": r.source, "to": r.target,
                           "attributes": r.attributes} for r in cd.relations]}
        summary.relations += len(cd.relations)
        docbin.add(doc)
        summary.documents += 1
