"""What a newcomer's plain install needs is declared, and a missing library is one clear line."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(reqs: list[str]) -> set[str]:
        return {re.split(r"[<>=!~\[;\s]", r, maxsplit=1)[0].lower().replace("_", "-")
                for r in reqs}

    optional = set()
    for extra, reqs in project["optional-dependencies"].items():
        if extra != "test":
            optional |= names(reqs)
    return names(project["dependencies"]), optional


def _imported_modules() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "annotator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "annotator"}


def test_every_library_the_package_imports_is_a_declared_dependency() -> None:
    required, optional = _declared()
    dists = packages_distributions()
    undeclared = []
    for module in sorted(_imported_modules()):
        candidates = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
        if not candidates & (required | optional):
            undeclared.append(f"{module} (from {sorted(candidates)})")
    assert undeclared == []


def test_the_html_cleaner_trafilatura_needs_is_declared_directly() -> None:
    # pip 23.2 skips the `lxml[html_clean]` extra that trafilatura's dependency asks for
    required, _ = _declared()
    assert "lxml-html-clean" in required


def test_a_missing_library_is_one_line_naming_it(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>" + "A paragraph of text. " * 20
                    + "</p></article></body></html>", encoding="utf-8")
    project = tmp_path / "p.annot"
    subprocess.run([sys.executable, "-m", "annotator", "new", str(project)], check=True,
                   capture_output=True)
    before = project.read_bytes()
    # make the cleaner unimportable, as on a machine where the install skipped it
    blocker = tmp_path / "site"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import sys\nsys.modules['lxml_html_clean'] = None\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(blocker), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-m", "annotator", "import", str(project), str(page)],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "lxml_html_clean" in lines[0]
    assert "Traceback" not in done.stderr
    assert project.read_bytes() == before
