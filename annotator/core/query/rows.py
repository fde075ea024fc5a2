"""Concordance rows as files: CSV (the CLI's ``--csv``, the panel's and dashboard's export) and
the one-line KWIC text of the CLI.

CSV columns are :data:`COLUMNS`, the keys of ``query --json`` in their order; ``attributes`` is
JSON. Cells a spreadsheet would take for a formula get a leading ``'`` (as the span table does).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from annotator.core.atomic import export_target
from annotator.core.errors import AnnotatorError
from annotator.core.query.engine import Hit

COLUMNS = ("document", "span", "layer", "label", "start", "end", "text", "left", "right",
           "attributes", "annotator")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_cells(row: Sequence[Any]) -> list[Any]:
    return [neutralise(v) if isinstance(v, str) else v for v in row]


def hit_row(hit: Hit) -> list[Any]:
    """The hit's cells in the order of :data:`COLUMNS` (attributes as JSON), not neutralised."""
    d = hit.as_json()
    d["attributes"] = json.dumps(hit.attributes, ensure_ascii=False, sort_keys=True)
    return [d[c] for c in COLUMNS]


def hit_cells(hit: Hit) -> list[Any]:
    return csv_cells(hit_row(hit))


def write_hits_csv(hits: Iterable[Hit], out: IO[str]) -> int:
    """Write a header and one row per hit; returns the number of rows."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    n = 0
    for hit in hits:
        w.writerow(hit_cells(hit))
        n += 1
    return n


def save_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A table written atomically to ``path`` (a failure leaves no half-written file)."""
    try:
        with export_target(path, directory=False) as tmp, \
                tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            for row in rows:
                w.writerow(csv_cells(row))
    except OSError as exc:
        raise AnnotatorError(f"cannot be written ({exc.strerror or exc})", path=path) from None


def one_line(text: str) -> str:
    return " ".join(text.split())


def kwic_line(hit: Hit, width: int = 40) -> str:
    """``document  start-end  layer:label  …left [text] right…`` on one line."""
    left = one_line(hit.left)[-width:]
    right = one_line(hit.right)[:width]
    return (f"{hit.document}\t{hit.start}-{hit.end}\t{hit.layer}:{hit.label}\t"
            f"{left:>{width}} [{one_line(hit.text)}] {right}")
