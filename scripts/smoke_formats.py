"""Install check: through the installed ``annotator`` command, read one file of every format.

Run right after ``python3 -m pip install -e .`` (no test extras), as a newcomer installs: it
proves that every importer's and exporter's libraries came with the plain install (a web page
import once died because pip 23.2 skipped a dependency's extra). It writes every export format
from the bundled sample, reads every readable one back, and imports a saved web page, a text, a
Markdown, a CSV, a doccano and a Label Studio file. spaCy is an optional extra: without it the
spaCy export must refuse with the command that installs it. Exit 0 when all worked, 1 naming
what failed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "sample.jsonl"
WEB_PAGE = ROOT / "tests" / "data" / "formats" / "saved_article.html"
ANNOTATOR = [sys.executable, "-m", "annotator"]

ARTICLE = "The council said the plan was not fully confirmed.\nCritics disagreed.\n"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ANNOTATOR, *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def _has_spacy() -> bool:
    import importlib.util

    return importlib.util.find_spec("spacy") is not None


def documents(project: Path) -> int:
    listed = run("list", project, "--json")
    if listed.returncode != 0:
        return -1
    return len(json.loads(listed.stdout))


def write_inputs(folder: Path) -> dict[str, Path]:
    """Small files in the formats that have no exporter here."""
    files = {
        "txt": folder / "article.txt",
        "md": folder / "article.md",
        "csv": folder / "articles.csv",
        "doccano": folder / "doccano.jsonl",
        "labelstudio": folder / "labelstudio.json",
    }
    files["txt"].write_text(ARTICLE, encoding="utf-8")
    files["md"].write_text("---\ntitle: A note\n---\n# Heading\n\n" + ARTICLE, encoding="utf-8")
    files["csv"].write_text('id,text\na1,"' + ARTICLE.replace("\n", " ") + '"\n',
                            encoding="utf-8")
    files["doccano"].write_text(json.dumps(
        {"id": 1, "text": ARTICLE, "label": [[4, 11, "source"]]}) + "\n", encoding="utf-8")
    files["labelstudio"].write_text(json.dumps([{
        "id": 1, "data": {"text": ARTICLE},
        "annotations": [{"result": [{"type": "labels", "from_name": "label", "to_name": "text",
                                     "value": {"start": 4, "end": 11, "text": "council",
                                               "labels": ["source"]}}]}]}]),
        encoding="utf-8")
    if WEB_PAGE.exists():
        files["html"] = WEB_PAGE
    return files


def main() -> int:
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "source.annot"
        for step in (run("new", source), run("import", source, SAMPLE)):
            if step.returncode != 0:
                print(f"smoke: could not set up the sample project: {step.stderr.strip()}",
                      file=sys.stderr)
                return 1
        exported: dict[str, Path] = {}
        suffix = {"inception": ".zip", "refi-qda": ".qdpx", "refi-qdc": ".qdc"}
        for fmt in ("jsonl", "brat", "xmi", "conll", "csv", "xlsx", "webanno-tsv", "spacy",
                    "inception", "refi-qda", "refi-qdc", "ptc"):
            out = work / f"out-{fmt}{suffix.get(fmt, '')}"
            done = run("export", source, "--format", fmt, "-o", out)
            if fmt == "spacy" and not _has_spacy():  # optional: it must say how to get it
                if done.returncode != 1 or "pip install" not in done.stderr:
                    failures.append(f"export spacy without spaCy: {done.stderr.strip()}")
            elif done.returncode != 0:
                failures.append(f"export {fmt}: {done.stderr.strip()}")
            exported[fmt] = out
        inputs = {fmt: exported[fmt] for fmt in ("jsonl", "brat", "xmi", "csv", "webanno-tsv",
                                                 "inception", "refi-qda", "ptc")}
        inputs.update(write_inputs(work))
        for fmt, path in inputs.items():
            target = work / f"in-{fmt}.annot"
            made = run("new", target)
            done = run("import", target, path, "--format", fmt)
            count = documents(target)
            if made.returncode != 0 or done.returncode != 0 or count < 1:
                failures.append(f"import {fmt} ({path.name}): exit {done.returncode}, "
                                f"{count} documents: {done.stderr.strip()[-300:]}")
        shutil.rmtree(work, ignore_errors=True)
    for line in failures:
        print("smoke: " + line, file=sys.stderr)
    if not failures:
        print(f"smoke: every format read and written ({len(inputs)} imports)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
