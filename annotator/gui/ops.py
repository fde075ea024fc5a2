"""Background operations as plain functions for :class:`annotator.gui.worker.Job`.

Nothing here touches a widget. Each ``*_job`` returns a function ``fn(progress, cancelled)``
that runs on the worker thread with the window's :class:`Project` (the window accepts no edit
meanwhile). Inputs are read completely before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.model import CorpusDocument
from annotator.core.project import ImportResult, Project
from annotator.formats.registry import ExportSummary
from annotator.gui.views.dialogs import ExportChoice, Hit
from annotator.gui.worker import Cancelled, JobFn

Progress = Callable[[int, int], None]


@dataclass
class ImportOutcome:
    result: ImportResult
    warnings: list[str] = field(default_factory=list)


def import_job(project: Project, paths: Sequence[str | Path], fmt: str = "auto") -> JobFn:
    def run(progress: Progress, cancelled: Callable[[], bool]) -> ImportOutcome:
        from annotator.formats.reading import read_inputs

        warnings: list[str] = []
        batches = read_inputs([str(p) for p in paths], fmt, project.annotator, warnings.append,
                              progress=progress, cancelled=cancelled)
        if cancelled():
            raise Cancelled()
        docs = [d for _, ds in batches for d in ds]
        result = project.import_documents(docs, progress=progress, cancelled=cancelled)
        return ImportOutcome(result, warnings)

    return run


def export_job(project: Project, choice: ExportChoice) -> JobFn:
    def run(progress: Progress, cancelled: Callable[[], bool]) -> ExportSummary:
        from annotator.core.atomic import export_target
        from annotator.formats.registry import WriteOptions, get_format

        writer = get_format(choice.format)
        total = sum(1 for d in project.documents()
                    if (not choice.statuses or d.status in choice.statuses)
                    and (not choice.documents or d.pk in choice.documents))

        def corpus() -> Iterator[CorpusDocument]:
            for i, doc in enumerate(project.iter_corpus(layers=choice.layers or None,
                                                        labels=choice.labels or None,
                                                        documents=choice.documents or None,
                                                        statuses=choice.statuses or None)):
                if cancelled():
                    raise Cancelled()
                progress(i, total)
                yield doc
            progress(total, total)

        options = WriteOptions(layers=choice.layers or None, scheme=choice.scheme)
        with export_target(choice.output, directory=writer.directory) as target:
            return writer.write(corpus(), target, project.tagset, options)

    return run


def search_project(project: Project, query: str, *, limit: int = 500,
                   context: int = 40) -> list[Hit]:
    """Case-insensitive occurrences of ``query`` in every document, with context."""
    from annotator.gui.views.find_bar import find_all

    hits: list[Hit] = []
    if not query:
        return hits
    for doc in project.documents():
        text = project.text(doc.pk)
        for start, end in find_all(text, query):
            left = text[max(0, start - context):start].replace("\n", " ")
            right = text[end:end + context].replace("\n", " ")
            hits.append(Hit(doc.pk, doc.title or doc.name, start, end,
                            f"…{left}[{text[start:end]}]{right}…"))
            if len(hits) >= limit:
                return hits
    return hits
