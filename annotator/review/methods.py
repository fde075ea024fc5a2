"""The methods paragraph of an agreement report: the text a researcher can paste into a paper.

It names the measures, the unit (Unicode code points; tokens for kappa/alpha/AC1), the
tokenizer, how overlapping and discontinuous spans are treated, the software and its version,
the numbers of documents and coders, the bootstrap and gamma sampling settings with their seed.
Only what was computed is described (alpha_U, gamma, AC1 and intervals need ``measures``).
"""

from __future__ import annotations

from annotator import __version__
from annotator.review.agreement import AgreementResult


def methods_paragraph(result: AgreementResult) -> str:
    n = len(result.annotators)
    coders = ", ".join(result.annotators)
    layers = ", ".join(result.layers) or "none"
    kappa = "Cohen's kappa" if n == 2 else "Davies and Fleiss's multi-rater kappa"
    text = [
        f"Inter-annotator agreement was computed with Annotator {__version__} over "
        f"{result.matched} documents annotated by {n} coders ({coders}); documents were "
        f"matched by the SHA-256 of their text. Layers: {layers}."
    ]
    m = result.measures
    if m is not None:
        gamma_samples = next((lm.gamma.samples for lm in m.layers.values()), 30)
        text.append(
            " For each layer we report Krippendorff's unitizing alpha (alpha_U; Krippendorff "
            "1995, 2004, as implemented in DKPro Statistics) over Unicode code points, each "
            "document being a section of one continuum (gaps never cross documents); every "
            "fragment of a discontinuous span is a unit of the span's label, and a coder's "
            "overlapping units of the same label are merged into their union. We also report "
            "Mathet, Widlöcher and Métivier's (2015) gamma with the combined positional and "
            "categorical dissimilarity (alpha = beta = 1, delta_empty = 1; nominal labels), "
            "the best alignment computed exactly within each document, and the expected "
            f"disorder estimated from {gamma_samples} random continua drawn like "
            "pygamma-agreement's statistical sampler (seed "
            f"{m.seed}); overlapping spans are aligned as they are.")
    text.append(
        f" Token-level agreement ({kappa}, Krippendorff's nominal alpha"
        + (", and Gwet's AC1" if m is not None else "")
        + ") labels each token with the label of the layer's span covering most of it, or "
          "'none'; tokens are NLTK word-tokenizer tokens within sentences found by NLTK's "
          "untrained Punkt tokenizer, line by line. Span F1 is reported with exact matching "
          "(same label and fragments), overlap matching (same label, one shared code point)"
        + (f" and boundary-tolerant matching (same label, Jaccard overlap of code points at "
           f"least {m.jaccard}, one to one)" if m is not None else "")
        + f"; F1, attribute and relation agreement compare {result.annotators[0]} and "
          f"{result.annotators[1]}.")
    if m is not None and m.document_layers:
        text.append(
            f" For the document-level layers ({', '.join(m.document_layers)}) each document "
            "is one item and a coder's value is the label given to the document as a whole "
            "(several labels as one combined value, none as 'none'); kappa, alpha and AC1 are "
            "computed over documents.")
    if m is not None:
        text.append(
            f" 95% confidence intervals are percentile bootstrap intervals over documents "
            f"({m.replicates} replicates, seed {m.seed}); for gamma the expected disorder is "
            "held fixed within the bootstrap.")
    return "".join(text)
