"""The documents of the golden XMI and brat files (``tests/formats/golden``): the shared hard
sample plus a document with what XML 1.0 cannot hold, a document-level annotation, a span over
an emoji at the very end and attributes of every JSON kind."""

from __future__ import annotations

from pathlib import Path

from annotator.core.model import CorpusDocument, DocAnnotationRecord, RelationRecord, SpanRecord
from tests.formats.exchange_sample import sample_doc

ODD = "Form\x0cfeed and more here; <tags> & \"quotes\" 'too'\r\nthen 😀 at the end 🎉"


def golden_docs() -> list[CorpusDocument]:
    end = len(ODD)
    odd = CorpusDocument(
        name="odd & <name>", title="", text=ODD, status="done", meta={"k": ["v", 1]},
        spans=[
            SpanRecord("a", "hedging", "hedge", ((0, 9),), {"n": 1, "x": None}, annotator="ann"),
            SpanRecord("b", "hedging", "booster", ((end - 1, end),), {"n": 2.5}),
            SpanRecord("c", "stance", "stance", ((10, 14), (20, 23)), {"d": {"k": [1, "&"]}},
                       note="<note>\x0b"),
            SpanRecord("d", "hedging", "scope", ((24, 30),), {"n": "text\twith tab"}),
        ],
        relations=[RelationRecord("r1", "scopes", "a", "d", {"w": 1}),
                   RelationRecord("r2", "targets", "c", "b"),
                   RelationRecord("r3", "gone", "a", "missing")],
        doc_annotations=[DocAnnotationRecord("genre", "news", {"conf": 0.9}, "ann")])
    return [sample_doc(), odd, sample_doc("second")]


def read_back(fmt: str, folder: Path) -> str:
    """What reading ``folder`` gives, as text (the folder's path left out): the documents'
    reprs, then the warnings."""
    from annotator.formats.registry import ReadOptions, get_format

    warnings: list[str] = []
    docs = list(get_format(fmt).read(folder, ReadOptions(annotator="golden",
                                                         warn=warnings.append)))
    return "\n".join([*map(repr, docs), *warnings]).replace(str(folder), "GOLDEN") + "\n"
