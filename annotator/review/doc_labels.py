"""The document labels (``article_stance``, ``genre``…) two annotators gave alike. No Qt.

A label is the same when layer, label and attributes are; each is counted as often as both gave
it. What both gave alike goes into a gold file as an agreed span does; the rest is counted (a
gold file leaves it out, and says so), unless a merge prefers one side (``--prefer a|b``): then
that side's own labels go in too.
"""

from __future__ import annotations

from collections import Counter

from annotator.core.model import CorpusDocument, DocAnnotationRecord


def _key(a: DocAnnotationRecord) -> tuple[str, str, str]:
    return (a.layer, a.label, repr(sorted(a.attributes.items(), key=repr)))


def split_labels(da: CorpusDocument, db: CorpusDocument
                 ) -> tuple[list[DocAnnotationRecord], list[DocAnnotationRecord],
                            list[DocAnnotationRecord]]:
    """A's records of the labels both gave alike, then the labels only A gave, and only B."""
    left = Counter(_key(a) for a in db.doc_annotations)
    agreed, only_a = [], []
    for a in da.doc_annotations:
        if left[_key(a)] > 0:
            left[_key(a)] -= 1
            agreed.append(a)
        else:
            only_a.append(a)
    only_b = []
    for b in db.doc_annotations:
        if left[_key(b)] > 0:
            left[_key(b)] -= 1
            only_b.append(b)
    return agreed, only_a, only_b
