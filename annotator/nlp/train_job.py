"""One training run: evaluation, learning curves and the final models, in one call.

:func:`train_all` is the pure function. :func:`train_in_process` runs it in a child Python
process (``python -m annotator.nlp.train_job``): CRFsuite's training holds the interpreter lock
for long stretches, so a window training on a thread of its own would stall; a child process
cannot. The child gets plain JSON on stdin (parameters on the first line, then the documents,
:func:`annotator.nlp.training.to_json`) and answers plain JSON on stdout (model bytes in
base64): no pickle either way. Given a project file's path instead of documents, the child reads
the documents itself through a read-only connection of its own: the window's process then
builds nothing while a training runs (no object churn, so no collector pauses there either).
"""

from __future__ import annotations

import base64
import gc
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.errors import AnnotatorError, Cancelled
from annotator.nlp import crf, recommend
from annotator.nlp.evaluate import CURVE_SIZES, SEED, THRESHOLD, evaluate, learning_curve
from annotator.nlp.suggest import Lexicon
from annotator.nlp.training import TrainDoc, from_json, to_json


@dataclass
class Trained:
    """What a training run gives: the ``suggest --evaluate --json`` document, the learning
    curve of each recommender (documents, micro F1), and the learned models by layer."""

    evaluation: dict[str, Any]
    curves: dict[str, list[tuple[int, float | None]]]
    models: dict[str, crf.LayerModel] = field(default_factory=dict)
    training_size: int = 0


def _lexicons_json(lexicons: tuple[Lexicon, ...] | None) -> Any:
    if lexicons is None:
        return None
    return [[lex.layer, lex.label, list(lex.entries)] for lex in lexicons]


def _lexicons(value: Any) -> tuple[Lexicon, ...] | None:
    if value is None:
        return None
    return tuple(Lexicon(str(a), str(b), tuple(str(x) for x in c)) for a, b, c in value)


def train_all(docs: Sequence[TrainDoc], *, allowed: set[tuple[str, str]] | None = None,
              lexicons: tuple[Lexicon, ...] | None = None, seed: int = SEED,
              threshold: float = THRESHOLD, sizes: Sequence[int] = CURVE_SIZES) -> Trained:
    made = recommend.factories(lexicons)
    cache: dict[str, Any] = {}  # every document's features computed once for the whole run
    made["learned"] = lambda: crf.CrfRecommender(cache=cache)
    evaluation = evaluate(docs, made, allowed=allowed, seed=seed, threshold=threshold)
    curves = {name: learning_curve(docs, f, sizes, allowed=allowed, seed=seed)
              for name, f in made.items()}
    model = made["learned"]()
    assert isinstance(model, crf.CrfRecommender)
    model.train(docs)
    return Trained(evaluation, curves, model.models, len(docs))


def _to_wire(t: Trained) -> str:
    return json.dumps({"evaluation": t.evaluation, "curves": t.curves,
                       "training_size": t.training_size,
                       "models": {k: base64.b64encode(m.to_bytes()).decode("ascii")
                                  for k, m in t.models.items()}})


def _from_wire(text: str) -> Trained:
    obj = json.loads(text)
    models = {str(k): crf.LayerModel.from_bytes(base64.b64decode(v))
              for k, v in obj["models"].items()}
    curves = {str(k): [(int(n), None if f is None else float(f)) for n, f in v]
              for k, v in obj["curves"].items()}
    return Trained(obj["evaluation"], curves, models, int(obj["training_size"]))


class TrainingFailed(RuntimeError):
    """The training process ended with an error (its last stderr line says which)."""


def train_in_process(docs: Sequence[TrainDoc] | None = None, *, project: str | None = None,
                     allowed: set[tuple[str, str]] | None = None,
                     lexicons: tuple[Lexicon, ...] | None = None, seed: int = SEED,
                     threshold: float = THRESHOLD, sizes: Sequence[int] = CURVE_SIZES,
                     cancelled: Callable[[], bool] | None = None) -> Trained:
    """:func:`train_all` in a child process, on ``docs`` or on the documents of the project
    file ``project`` (read by the child, :func:`~annotator.nlp.training.project_docs`); blocks
    the calling thread only (waiting on pipes releases the interpreter lock). When
    ``cancelled()`` turns true the child is ended and
    :class:`~annotator.core.errors.Cancelled` raised."""
    if (docs is None) == (project is None):
        raise ValueError("train_in_process: give docs or project")
    params = {"allowed": sorted(allowed) if allowed is not None else None,
              "lexicons": _lexicons_json(lexicons), "seed": seed, "threshold": threshold,
              "sizes": list(sizes), "project": project}
    payload = json.dumps(params) + "\n" + (to_json(docs) if docs is not None else "")
    # the input from a file, not a pipe: communicate() stops writing after its first time-out
    # (it sends input only on the call given it), and a child still reading would wait forever
    with tempfile.TemporaryFile() as feed:
        feed.write(payload.encode("utf-8"))
        feed.seek(0)
        proc = subprocess.Popen([sys.executable, "-m", "annotator.nlp.train_job"],
                                stdin=feed, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while True:
            try:
                out, err = proc.communicate(timeout=0.25)
                break
            except subprocess.TimeoutExpired:
                if cancelled is not None and cancelled():
                    proc.kill()
                    proc.communicate()
                    raise Cancelled() from None
    if proc.returncode != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        raise TrainingFailed(lines[-1] if lines else f"exit status {proc.returncode}")
    return _from_wire(out.decode("utf-8"))


def _project_docs(path: str) -> list[TrainDoc]:
    from annotator.core.project import Project
    from annotator.nlp.training import project_docs

    with Project.open(path, readonly=True) as p:
        return project_docs(p)


def main() -> int:
    # a batch process whose data holds no reference cycles: the collector would only rescan
    # the features of the whole corpus again and again
    gc.disable()
    raw = sys.stdin.buffer.read().decode("utf-8")
    first, _, rest = raw.partition("\n")
    params = json.loads(first)
    allowed = ({(str(a), str(b)) for a, b in params["allowed"]}
               if params["allowed"] is not None else None)
    try:
        docs = _project_docs(params["project"]) if params.get("project") else from_json(rest)
    except AnnotatorError as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 1
    result = train_all(docs, allowed=allowed, lexicons=_lexicons(params["lexicons"]),
                       seed=int(params["seed"]), threshold=float(params["threshold"]),
                       sizes=[int(x) for x in params["sizes"]])
    sys.stdout.write(_to_wire(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
