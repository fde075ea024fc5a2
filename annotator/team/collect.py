"""``annotator collect``: every coder's project file into one study project.

Documents are matched by the hash of their text (interfaces.md: "the same document"); each span
keeps its annotator (a span without one takes its file's annotator, else the file's stem);
relations come along and keep their source span's annotator. A document that has the same id
in two files but a different text refuses the whole collect, naming both files: the coders did
not code the same article. The study is written to a temporary file beside ``-o`` and renamed
into place at the end, so a refused collect leaves nothing behind.

The report says, per coder, how many documents they have, how many they coded (at least one
span of theirs, or status "done") and which are missing: given to them by ``distribute``
(``distribution.json`` in the folder) but absent from their file, or not coded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.errors import BadInputError
from annotator.core.model import CorpusDocument
from annotator.core.project import Project
from annotator.team.distribute import MANIFEST, read_manifest


@dataclass
class CoderReport:
    file: str
    documents: int = 0
    coded: list[str] = field(default_factory=list)
    spans: int = 0
    relations: int = 0
    missing: list[str] = field(default_factory=list)  # assigned but absent or not coded

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "documents": self.documents, "coded": len(self.coded),
                "spans": self.spans, "relations": self.relations, "missing": self.missing}


def project_files(inputs: list[str]) -> tuple[list[Path], dict[str, list[dict[str, str]]]]:
    """The ``.annot`` files named or inside the folders named, and the distribution record of
    those folders (coder -> assigned documents)."""
    files: list[Path] = []
    plan: dict[str, list[dict[str, str]]] = {}
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = sorted(x for x in p.iterdir() if x.suffix == ".annot" and x.is_file())
            if not found:
                raise BadInputError("holds no .annot project files", path=p)
            files += found
            if (p / MANIFEST).is_file():
                plan.update(read_manifest(p / MANIFEST))
        elif p.exists():
            files.append(p)
        else:
            raise BadInputError("no such file or folder", path=p)
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)
    return list(unique.values()), plan


def collect(inputs: list[str], study: Path) -> dict[str, CoderReport]:
    files, plan = project_files(inputs)
    if study.exists() or study.is_symlink():
        raise BadInputError("already exists; choose a new file name", path=study)
    read: list[tuple[Path, str, list[CorpusDocument], Any]] = []
    texts: dict[str, tuple[str, Path]] = {}  # document id -> (its text's hash, first file)
    hashes_of: dict[Path, dict[str, str]] = {}
    coders: dict[str, Path] = {}  # annotator -> the file holding their work
    for f in files:
        if f.resolve() == study.resolve():
            continue
        with Project.open(f, readonly=True, untrusted=True) as p:
            who = p.annotator or f.stem
            if who in coders:  # the counts would add up and the spans mix unseen
                raise BadInputError(f"holds the work of coder {who!r}, like {coders[who]}: give "
                                    "each coder's file once", path=f)
            coders[who] = f
            docs = list(p.iter_corpus())
            hashes = {d.name: d.sha256 for d in p.documents()}
            hashes_of[f] = hashes
            tagset = p.tagset
        for d in docs:
            seen = texts.setdefault(d.name, (hashes[d.name], f))
            if seen[0] != hashes[d.name]:
                raise BadInputError(
                    f"document {d.name!r} has another text than in {seen[1]} (same id, "
                    "different text): these files do not share the same articles", path=f)
            for sp in d.spans:
                sp.annotator = sp.annotator or who
        read.append((f, who, docs, tagset))
    if not read:
        raise BadInputError("no project files to collect", path=inputs[0] if inputs else None)
    reports: dict[str, CoderReport] = {}
    tmp = study.with_name(f".{study.name}.collecting")
    for suffix in ("", "-wal", "-shm", "-journal"):
        tmp.with_name(tmp.name + suffix).unlink(missing_ok=True)
    try:
        with Project.create(tmp, annotator="", tagset=read[0][3]) as out:
            for f, who, docs, tagset in read:
                _merge_tagset(out, tagset)
                out.import_documents(docs)
                _assign(out, docs, hashes_of[f], who)
                rep = reports.setdefault(who, CoderReport(str(f)))
                rep.documents += len(docs)
                for d in docs:
                    mine = [s for s in d.spans if s.annotator == who]
                    if mine or d.status == "done":
                        rep.coded.append(d.name)
                    rep.spans += len(d.spans)
                    rep.relations += len(d.relations)
        os.replace(tmp, study)
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            tmp.with_name(tmp.name + suffix).unlink(missing_ok=True)
        raise
    for who, assigned in plan.items():
        rep = reports.setdefault(who, CoderReport(file="(no file)"))
        coded = set(rep.coded)
        rep.missing = [d["id"] for d in assigned if d["id"] not in coded]
    return reports


def _assign(study: Project, docs: list[CorpusDocument], hashes: dict[str, str], who: str
            ) -> None:
    """The coder's documents assigned to them in the study, with their status as coded."""
    pk_of = {d.sha256: d.pk for d in study.documents()}
    pks = {d.name: pk_of[hashes[d.name]] for d in docs}
    study.assign(pks.values(), who)
    for d in docs:
        if d.status != "new":
            study.set_assignment_status(pks[d.name], who, d.status)


def _merge_tagset(project: Project, tagset: Any) -> None:
    """Labels and relation types of a coder's tagset that the study lacks are added."""
    ts = project.tagset
    changed = False
    for layer in tagset.layers:
        for label in layer.labels:
            changed |= bool(ts.ensure_label(layer.name, label.name))
    for rt in tagset.relation_types:
        changed |= bool(ts.ensure_relation_type(rt.name))
    if changed:
        project.set_tagset(ts)


def report_lines(reports: dict[str, CoderReport]) -> list[str]:
    lines = []
    for who, rep in sorted(reports.items()):
        missing = (f"; missing {len(rep.missing)}: {', '.join(rep.missing)}" if rep.missing
                   else "")
        lines.append(f"{who}: {len(rep.coded)} of {rep.documents} document(s) coded, "
                     f"{rep.spans} span(s), {rep.relations} relation(s){missing}")
    return lines


__all__ = ["CoderReport", "collect", "report_lines"]
