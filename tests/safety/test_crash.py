"""A process killed (SIGKILL) in the middle of writing loses nothing it committed and leaves a
project that opens and passes the integrity check; an unfinished import leaves no trace."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from safety_helpers import PYTHON, SAMPLE, child_env, kill_after_lines, sample_doc

from annotator.core.project import Project

DOCS = 4000
SPANS_PER_DOC = 25


def write_big_jsonl(path: Path) -> None:
    text = (SAMPLE + " ") * 20
    with path.open("w", encoding="utf-8") as fh:
        for i in range(DOCS):
            doc_text = f"{text}{i}"
            spans = [{"id": f"s{j}", "start": j * 7, "end": j * 7 + 5, "layer": "hedging",
                      "label": "hedge", "text": doc_text[j * 7:j * 7 + 5]}
                     for j in range(SPANS_PER_DOC)]
            fh.write(json.dumps({"id": f"d{i}", "text": doc_text, "spans": spans},
                                ensure_ascii=False) + "\n")


def wait_for(predicate, proc: subprocess.Popen, what: str, timeout: float = 60.0) -> None:  # noqa: ANN001
    """Poll until ``predicate()``; fail if the child ends first or it takes too long."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc.poll() is not None:
            raise AssertionError(f"the child ended (code {proc.returncode}) before {what}: "
                                 f"{proc.stderr.read() if proc.stderr else ''}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.002)


def test_import_killed_mid_write_is_all_or_nothing(tmp_path: Path) -> None:
    proj = tmp_path / "p.annot"
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("before")])
    big = tmp_path / "big.jsonl"
    write_big_jsonl(big)
    wal = proj.with_name(proj.name + "-wal")
    proc = subprocess.Popen([PYTHON, "-m", "annotator", "import", str(proj), str(big)],
                            env=child_env(tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    # the import transaction has started writing once the WAL holds a few hundred pages
    wait_for(lambda: wal.exists() and wal.stat().st_size > 256 * 1024, proc, "writing began")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    assert wal.exists()  # the crash left the write-ahead log behind

    with Project.open(proj) as p:  # no stale lock, no damage
        assert p.check() == []
        names = [d.name for d in p.documents()]
        assert names[0] == "before" and p.documents()[0].span_count == 3
        # all or nothing: the 4000-document import is either entirely there or not at all
        assert len(names) in (1, 1 + DOCS), f"a partial import survived: {len(names) - 1} docs"
        total = sum(d.span_count for d in p.documents())
        assert total == 3 + (len(names) - 1) * SPANS_PER_DOC


CHILD_EDITS = r"""
import sys
from annotator.core.project import Project
p = Project.open(sys.argv[1])
doc = p.documents()[0].pk
length = p.documents()[0].length
i = 0
while True:
    s = p.add_span(doc, "hedging", "hedge", ((i % 40, i % 40 + 1 + i // 40),),
                   note=f"edit {i}")
    if i % 7 == 0:
        p.update_span(s.pk, label="booster", attributes={"n": i})
    print(s.pk, flush=True)
    i += 1
"""


def test_burst_of_edits_killed_keeps_every_committed_edit(tmp_path: Path) -> None:
    proj = tmp_path / "p.annot"
    with Project.create(proj, annotator="alice") as p:
        p.import_documents([sample_doc("doc", n_spans=0)])
    proc = subprocess.Popen([PYTHON, "-c", CHILD_EDITS, str(proj)], env=child_env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    printed = kill_after_lines(proc, 150)

    with Project.open(proj) as p:
        assert p.check() == []
        doc = p.documents()[0].pk
        spans = {s.pk: s for s in p.spans(doc)}
        missing = [pk for pk in printed if pk not in spans]
        assert missing == [], f"committed edits lost: {missing[:5]}"
        # at most the one edit in flight is extra; every stored span is a complete edit
        assert len(spans) - len(printed) in (0, 1)
        for i, pk in enumerate(printed):
            assert spans[pk].note == f"edit {i}"
            if i % 7 == 0:
                assert spans[pk].label == "booster" and spans[pk].attributes == {"n": i}
