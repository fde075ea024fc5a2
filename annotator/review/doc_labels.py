"""The document labels (``article_stance``, ``genre``…) two annotators gave alike. No Qt.

A label is the same when layer, label and attributes are; each is counted as often as both gave
it. What both gave alike goes into a gold file as an agreed span does; the rest is counted (a
gold file leaves it out, and says so).
"""

from __future__ import annotations

from collections import Counter

from annotator.core.model import CorpusDocument, DocAnnotationRecord


def _key(a: DocAnnotationRecord) -> tuple[str, str, str]:
    return (a.layer, a.label, repr(sorted(a.attributes.items(), key=repr)))


def agreed_labels(da: CorpusDocument, db: CorpusDocument
                  ) -> tuple[list[DocAnnotationRecord], int]:
    """A's records of the labels both gave alike, and how many others there are."""
    left = Counter(_key(a) for a in db.doc_annotations)
    agreed = []
    for a in da.doc_annotations:
        if left[_key(a)] > 0:
            left[_key(a)] -= 1
            agreed.append(a)
    return agreed, len(da.doc_annotations) + len(db.doc_annotations) - 2 * len(agreed)
