"""nltk imported by several threads at once (the window's tokenizer warm-up beside a review
job, a suggestion worker) must not fail: importing a submodule first holds its lock while its
parent package initialises, and two threads doing so at once see a half-initialised ``nltk``
("partially initialized module 'nltk' has no attribute 'data'"). Each start is a fresh
interpreter, so the first import is really raced."""

from __future__ import annotations

import subprocess
import sys

RACE = r"""
import threading
barrier = threading.Barrier(3)
errors = []

def run(fn):
    barrier.wait()
    try:
        fn()
    except BaseException as exc:
        errors.append(repr(exc))

def snap():
    from annotator.nlp.tokens import snap_to_words
    snap_to_words("warm up", 0, 2)

def sentences():
    from annotator.nlp.tokens import token_spans
    token_spans("Officials said so. It was not confirmed.")

def review():
    from annotator.review.tokens_agreement import token_spans
    token_spans("Officials said so. It was not confirmed.")

threads = [threading.Thread(target=run, args=(f,)) for f in (snap, sentences, review)]
for t in threads: t.start()
for t in threads: t.join()
print("ERRORS" if errors else "OK", errors)
"""


def test_threads_importing_nltk_at_once_all_succeed() -> None:
    for _ in range(4):
        proc = subprocess.run([sys.executable, "-c", RACE], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert proc.stdout.startswith("OK"), proc.stdout + proc.stderr[-2000:]
