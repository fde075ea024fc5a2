"""Property tests: random texts (astral characters, combining marks, RTL, newlines) and random
spans survive every exporter/importer pair unchanged."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.tagset import default_tagset
from annotator.formats.registry import ReadOptions, WriteOptions, get_format

ALPHABET = st.sampled_from(list("ab cdé\n.,") + ["👍", "🏽", "e\u0301", "ق", "ا", "\u200d",
                                                 "𝒳", "\t", "“", "ß", "\u0301", "中"])
TEXT = st.lists(ALPHABET, min_size=1, max_size=60).map("".join).filter(lambda t: t.strip())
LABELS = [(lay.name, lab.name) for lay in default_tagset().layers for lab in lay.labels][:8]
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@st.composite
def documents(draw: st.DrawFn) -> CorpusDocument:
    text = draw(TEXT)
    n = len(text)
    spans = []
    for i in range(draw(st.integers(0, 6))):
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a + 1, n))
        layer, label = draw(st.sampled_from(LABELS))
        spans.append(SpanRecord(f"s{i}", layer, label, ((a, b),)))
    return CorpusDocument(name="doc", title="doc", text=text, spans=spans)


def key(doc: CorpusDocument) -> tuple[str, list[tuple[str, str, tuple[tuple[int, int], ...]]]]:
    return doc.text, sorted((s.layer, s.label, tuple(tuple(f) for f in s.fragments))
                            for s in doc.spans)


def round_trip(fmt: str, doc: CorpusDocument) -> CorpusDocument:
    f = get_format(fmt)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / ("out" if f.directory else f"out.{fmt}")
        f.write([doc], out, default_tagset(), WriteOptions())
        got = list(f.read(out, ReadOptions()))
    assert len(got) == 1
    return got[0]


@SETTINGS
@given(documents())
def test_jsonl_round_trip(doc: CorpusDocument) -> None:
    assert key(round_trip("jsonl", doc)) == key(doc)


@SETTINGS
@given(documents())
def test_brat_round_trip(doc: CorpusDocument) -> None:
    assert key(round_trip("brat", doc)) == key(doc)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_xmi_round_trip(doc: CorpusDocument) -> None:
    assert key(round_trip("xmi", doc)) == key(doc)


def read_foreign(fmt: str, suffix: str, payload: str) -> CorpusDocument:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"in{suffix}"
        path.write_text(payload, encoding="utf-8")
        got = list(get_format(fmt).read(path, ReadOptions()))
    assert len(got) == 1
    return got[0]


def covered(doc: CorpusDocument) -> list[tuple[str, str]]:
    return sorted((s.label, doc.text[s.fragments[0][0]:s.fragments[-1][1]]) for s in doc.spans)


@SETTINGS
@given(documents())
def test_doccano_input_built_from_a_document(doc: CorpusDocument) -> None:
    line = {"id": 1, "text": doc.text,
            "label": [[s.fragments[0][0], s.fragments[0][1], s.label] for s in doc.spans]}
    got = read_foreign("doccano", ".jsonl", json.dumps(line, ensure_ascii=False) + "\n")
    assert got.text == doc.text
    assert covered(got) == covered(doc)


@SETTINGS
@given(documents(), st.booleans())
def test_labelstudio_input_built_from_a_document(doc: CorpusDocument, utf16: bool) -> None:
    def units(i: int) -> int:  # Label Studio in a browser counts UTF-16 code units
        return len(doc.text[:i].encode("utf-16-le")) // 2 if utf16 else i

    results = [{"id": f"r{i}", "type": "labels", "from_name": "label", "to_name": "text",
                "value": {"start": units(s.fragments[0][0]), "end": units(s.fragments[0][1]),
                          "text": doc.text[s.fragments[0][0]:s.fragments[0][1]],
                          "labels": [s.label]}}
               for i, s in enumerate(doc.spans)]
    task = [{"id": 7, "data": {"text": doc.text}, "annotations": [{"result": results}]}]
    got = read_foreign("labelstudio", ".json", json.dumps(task, ensure_ascii=False))
    assert got.text == doc.text
    assert covered(got) == covered(doc)
