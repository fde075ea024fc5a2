"""``annotator distribute``: one project file per coder, for blind coding without a server.

Each coder's file ``DIR/NAME.annot`` holds the master's tagset, its guidelines (when the master
has them) and the coder's documents as bare articles: no coder's file holds anyone's
annotations. ``DIR/distribution.json`` records the plan (who has which document, by id and text
hash, the overlap and the seed) for ``collect``'s report of what is missing.

All or nothing: a file that exists already refuses the run before anything is written, and a
failure on the way removes what this run created.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError, BadInputError
from annotator.core.model import CorpusDocument
from annotator.core.project import Project
from annotator.team import assign

MANIFEST = "distribution.json"


@dataclass
class Distribution:
    seed: int
    overlap: float | None
    files: dict[str, Path]  # coder -> their project file
    documents: dict[str, list[str]]  # coder -> document ids


def distribute(master: str | Path, out_dir: Path, coders: list[str], *,
               overlap: float | None = None, seed: int | None = None) -> Distribution:
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)
    if out_dir.exists() and not out_dir.is_dir():
        raise BadInputError("is not a folder", path=out_dir)
    targets = {c: out_dir / f"{c}.annot" for c in coders}
    for path in [*targets.values(), out_dir / MANIFEST]:
        if path.exists() or path.is_symlink():
            raise BadInputError("already exists; choose an empty folder", path=path)
    with Project.open(master, readonly=True) as m:
        docs = m.documents()
        if not docs:
            raise BadInputError("has no documents to distribute", path=master)
        by_name = {d.name: d for d in docs}
        planned = assign.plan([d.name for d in docs], coders, overlap=overlap, seed=seed)
        articles = {d.name: CorpusDocument(name=d.name, title=d.title, text=d.text, meta=d.meta)
                    for d in m.iter_corpus()}  # text, title, meta only: no annotations
        tagset = m.tagset
        guidelines = getattr(m, "guidelines", "")
    out_dir.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    try:
        for coder, path in targets.items():
            with Project.create(path, annotator=coder, tagset=tagset) as p:
                made.append(path)
                if guidelines and hasattr(p, "set_guidelines"):
                    p.set_guidelines(guidelines)
                p.import_documents([articles[name] for name in planned[coder]])
                p.assign([d.pk for d in p.documents()], coder)  # their queue, their status
        manifest: dict[str, Any] = {
            "master": str(master), "seed": seed, "overlap": overlap,
            "annotators": {c: [{"id": n, "sha256": by_name[n].sha256} for n in planned[c]]
                           for c in coders}}
        (out_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1)
                                        + "\n", encoding="utf-8")
    except BaseException:
        for path in made:
            for suffix in ("", "-wal", "-shm", "-journal"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
        raise
    return Distribution(seed, overlap, targets, planned)


def read_manifest(path: Path) -> dict[str, list[dict[str, str]]]:
    """Coder -> the documents ``distribute`` gave them (``{"id", "sha256"}``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        found = data["annotators"]
        if not isinstance(found, dict):
            raise TypeError
        return {str(c): [{"id": str(d["id"]), "sha256": str(d["sha256"])} for d in docs]
                for c, docs in found.items()}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AnnotatorError(f"is not a distribution record ({type(exc).__name__}: {exc})",
                             path=path) from None
