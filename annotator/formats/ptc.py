"""SemEval-2020 Task 11 / Propaganda Techniques Corpus and SemEval-2023 Task 3 label files.

A folder of articles ``article<ID>.txt`` (UTF-8, kept byte for byte) and label files, one per
article or one for all (any file whose name holds ``label``: ``article<ID>.labels.tsv``,
``article<ID>.task-flc-tc.labels``, ``train-task2-TC.labels``,
``train-labels-subtask-3-spans.txt``…; ``.template`` files are not labels). Rows are
tab-separated and name the article by ID:

* ``ID<TAB>Technique<TAB>START<TAB>END`` (technique spans, SemEval-2020 TC, PTC, 2023 spans);
* ``ID<TAB>START<TAB>END`` (propaganda spans without a technique, SemEval-2020 SI); one at the
  offsets of a technique span of the same article is not imported again (counted);
* ``ID<TAB>PARAGRAPH<TAB>T1,T2…`` (SemEval-2023 Task 3 subtask 3: the techniques of the
  ``PARAGRAPH``-th line of the article, counted from 1): one span over that line per technique.

Offsets count code points of the article, end exclusive. Each span is a ``rhetoric:technique``
span of the default tagset with attribute ``technique`` (see :mod:`._ptc_names`; a spelling
other than the one export writes is kept in ``ptc_technique``). What the tagset's list lacks is
reported. An SI span has no ``technique``.

Export writes ``article<ID>.txt`` and ``article<ID>.task-flc-tc.labels`` per document (ID: the
document name without a leading ``article``), the ``rhetoric:technique`` spans with a technique
as rows sorted by offsets; a discontinuous span as one row per fragment; other spans are
counted as dropped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument, SpanRecord
from annotator.core.tagset import Tagset, default_tagset
from annotator.formats._control import check_name
from annotator.formats._ptc_names import technique_name, technique_value
from annotator.formats._textfile import read_file_bytes
from annotator.formats.registry import ExportSummary, Format, ReadOptions, WriteOptions, register

LAYER, LABEL, ATTR, ORIGINAL = "rhetoric", "technique", "technique", "ptc_technique"
_ARTICLE = re.compile(r"article(.+)\.txt")
_NUMBER = re.compile(r"[0-9]{1,12}")
_DIGITS = re.compile(r"[0-9]+")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _files(folder: Path) -> tuple[dict[str, Path], list[Path]]:
    articles: dict[str, Path] = {}
    labels: list[Path] = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(here, name)
            if "label" in name.lower():  # (article1234-labels-subtask-3.txt is one)
                if not name.endswith(".template"):
                    labels.append(path)
            elif m := _ARTICLE.fullmatch(name):
                if m.group(1) in articles:
                    raise BadInputError(f"article {m.group(1)} is also {articles[m.group(1)]}",
                                        path=path)
                articles[m.group(1)] = path
    return articles, labels


def _tagset_values() -> set[str]:
    for attr in default_tagset().attributes_for(LAYER, LABEL):
        if attr.name == ATTR:
            return set(attr.values)
    return set()


class _Reader:
    def __init__(self, articles: dict[str, Path], options: ReadOptions) -> None:
        self.articles = articles
        self.options = options
        self.values = _tagset_values()
        self.texts: dict[str, str] = {}
        self.spans: dict[str, list[SpanRecord]] = {}
        self.si: dict[str, list[tuple[int, int]]] = {}
        self.unlisted: dict[str, int] = {}

    def text(self, aid: str, path: Path, number: int) -> str:
        if aid not in self.texts:
            if aid not in self.articles:
                raise BadInputError(f"no article{aid}.txt for article {aid!r} in this folder",
                                    path=path, line=number)
            from annotator.core.text import decode_bytes

            source = self.articles[aid]
            self.texts[aid] = decode_bytes(read_file_bytes(source), source, encoding="utf-8")[0]
        return self.texts[aid]

    def add(self, aid: str, technique: str, start: int, end: int) -> None:
        value = technique_value(technique)
        attributes = {ATTR: value}
        if technique_name(value) != technique:
            attributes[ORIGINAL] = technique
        if value not in self.values:
            self.unlisted[technique] = self.unlisted.get(technique, 0) + 1
        spans = self.spans.setdefault(aid, [])
        spans.append(SpanRecord(f"p{len(spans) + 1}", LAYER, LABEL, ((start, end),), attributes,
                                annotator=self.options.annotator))

    def offsets(self, aid: str, a: str, b: str, path: Path, number: int) -> tuple[int, int]:
        for value in (a, b):
            if _DIGITS.fullmatch(value) and not _NUMBER.fullmatch(value):
                shown = value if len(value) <= 20 else f"{value[:12]}… ({len(value)} digits)"
                raise BadInputError(f"offset {shown} is far beyond any article's length",
                                    path=path, line=number)
        if not (_NUMBER.fullmatch(a) and _NUMBER.fullmatch(b)):
            raise BadInputError(f"offsets {a[:20]!r} {b[:20]!r} are not numbers", path=path,
                                line=number)
        start, end = int(a), int(b)
        length = len(self.text(aid, path, number))
        if not 0 <= start < end <= length:
            raise BadInputError(f"span [{start}, {end}) does not fit article {aid} "
                                f"(0..{length})", path=path, line=number)
        return start, end

    def read(self, path: Path) -> None:
        try:
            content = read_file_bytes(path).decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise BadInputError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                                path=path) from None
        for number, line in enumerate(content.split("\n"), start=1):
            line = line.removesuffix("\r")
            if not line.strip():
                continue
            fields = [f.strip() for f in line.split("\t")]
            if len(fields) == 4 and fields[1]:
                aid = fields[0]
                check_name(fields[1], "technique", path, number)
                self.add(aid, fields[1], *self.offsets(aid, fields[2], fields[3], path, number))
            elif len(fields) == 3 and _NUMBER.fullmatch(fields[1]) and \
                    _NUMBER.fullmatch(fields[2]):
                aid = fields[0]
                self.si.setdefault(aid, []).append(
                    self.offsets(aid, fields[1], fields[2], path, number))
            elif len(fields) == 3 and _NUMBER.fullmatch(fields[1]):
                check_name(fields[2], "techniques", path, number)
                self.paragraph(fields[0], int(fields[1]), fields[2], path, number)
            else:
                raise BadInputError("expected ID<TAB>technique<TAB>start<TAB>end, "
                                    "ID<TAB>start<TAB>end or ID<TAB>paragraph<TAB>techniques",
                                    path=path, line=number)

    def paragraph(self, aid: str, index: int, techniques: str, path: Path, number: int) -> None:
        lines = self.text(aid, path, number).split("\n")
        if not 1 <= index <= len(lines) or not lines[index - 1].strip():
            raise BadInputError(f"article {aid} has no paragraph {index}", path=path,
                                line=number)
        start = sum(len(x) + 1 for x in lines[:index - 1])
        end = start + len(lines[index - 1].removesuffix("\r"))
        for technique in (t.strip() for t in techniques.split(",")):
            if technique:
                self.add(aid, technique, start, end)


@register
class PtcFormat(Format):
    name = "ptc"
    label = "SemEval-2020 Task 11 / PTC and SemEval-2023 Task 3 (folder of article<ID>.txt " \
            "+ label files)"
    extensions = ()
    can_read = True
    can_write = True
    directory = True

    def sniff_directory(self, path: Path) -> bool:
        articles, labels = _files(path)
        return bool(articles) and bool(labels)

    def read(self, path: Path, options: ReadOptions) -> Iterator[CorpusDocument]:
        if not path.is_dir():
            raise BadInputError("give the folder holding the article<ID>.txt files and their "
                                "labels", path=path)
        articles, labels = _files(path)
        if not articles:
            raise BadInputError("no article<ID>.txt file in this folder", path=path)
        reader = _Reader(articles, options)
        for label_file in labels:
            reader.read(label_file)
        repeated = 0
        for aid, si_spans in reader.si.items():
            known = {s.fragments[0] for s in reader.spans.get(aid, [])}
            for start, end in si_spans:
                if (start, end) in known:
                    repeated += 1
                    continue
                spans = reader.spans.setdefault(aid, [])
                spans.append(SpanRecord(f"p{len(spans) + 1}", LAYER, LABEL, ((start, end),),
                                        annotator=options.annotator))
        if repeated:
            options.warn(f"{path}: {repeated} span(s) without a technique (SemEval-2020 SI) are "
                         "also given with their technique: imported once")
        if reader.unlisted:
            listed = ", ".join(f"{n} {name if len(name) <= 60 else name[:59] + '…'}"
                               for name, n in sorted(reader.unlisted.items()))
            options.warn(f"{path}: techniques the default tagset does not list, kept as given "
                         f"in the attribute {ATTR!r}: {listed}")
        for aid in sorted(articles):
            name = f"article{aid}"
            text = reader.texts.get(aid) or reader.text(aid, path, 0)
            yield CorpusDocument(name=name, title=name, text=text,
                                 spans=reader.spans.get(aid, []),
                                 source_path=str(articles[aid]))

    def write(self, docs: Iterable[CorpusDocument], out: Path, tagset: Tagset,
              options: WriteOptions) -> ExportSummary:
        from annotator.core.text import safe_filename

        summary = ExportSummary()
        out.mkdir(parents=True, exist_ok=True)
        taken: set[str] = set()
        for doc in docs:
            aid = safe_filename(doc.name.removeprefix("article") or doc.name, taken)
            rows: list[tuple[int, int, str]] = []
            for span in doc.spans:
                if (span.layer, span.label) != (LAYER, LABEL):
                    summary.drop(f"{span.layer}:{span.label} spans (the format holds "
                                 "persuasion techniques only)")
                    continue
                given = span.attributes.get(ORIGINAL) or span.attributes.get(ATTR)
                if not isinstance(given, str) or not given:
                    summary.drop("technique spans without a technique")
                    continue
                name = given if ORIGINAL in span.attributes else technique_name(given)
                if _CONTROL.search(name):
                    summary.drop("technique names holding a tab, a line break or another "
                                 "control character (a row cannot hold them)")
                    continue
                if len(span.fragments) > 1:
                    summary.drop("discontinuous spans (written as one row per fragment)")
                rows += [(s, e, name) for s, e in span.fragments]
                summary.spans += 1
                other = set(span.attributes) - {ATTR, ORIGINAL}
                if other or span.note:
                    summary.drop("span attributes other than the technique, and notes",
                                 len(other) + bool(span.note))
            if doc.relations:
                summary.drop("relations (the format has none)", len(doc.relations))
            txt = out / f"article{aid}.txt"
            labels = out / f"article{aid}.task-flc-tc.labels"
            txt.write_bytes(doc.text.encode("utf-8"))
            labels.write_bytes("".join(f"{aid}\t{name}\t{s}\t{e}\n"
                                       for s, e, name in sorted(rows)).encode("utf-8"))
            summary.files += [txt, labels]
            summary.documents += 1
        return summary
