"""The project's own lexicons: edited word lists kept in the project file.

An edited lexicon is stored as the recommender model ``lexicon`` of its layer (table
``recommender_model``): UTF-8 text, a header line, then one ``label<TAB>entry`` line per entry,
in order. Plain data: reading a colleague's file never runs code. A project with no stored
lexicon uses the bundled ones (:func:`annotator.nlp.suggest.default_lexicons`).
"""

from __future__ import annotations

from typing import Any

from annotator.nlp.suggest import Lexicon, default_lexicons

NAME = "lexicon"
HEADER = "# annotator lexicon 1"


class LexiconError(ValueError):
    """Stored bytes that are not a lexicon of ours."""


def parse_entries(lines: str) -> tuple[str, ...]:
    """Entries as the bundled files give them: trimmed, lower case, inner spaces collapsed,
    first occurrence kept, blank and ``#`` lines left out."""
    seen: dict[str, None] = {}
    for raw in lines.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            seen.setdefault(" ".join(line.lower().split()), None)
    return tuple(seen)


def to_bytes(lexicons: list[Lexicon]) -> bytes:
    """The lexicons of one layer as stored bytes."""
    lines = [HEADER]
    for lex in lexicons:
        for entry in lex.entries:
            lines.append(f"{lex.label}\t{entry}")
        if not lex.entries:
            lines.append(f"{lex.label}\t")  # an emptied list stays, empty
    return ("\n".join(lines) + "\n").encode("utf-8")


def from_bytes(layer: str, data: bytes) -> list[Lexicon]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise LexiconError("not UTF-8 text") from None
    lines = text.split("\n")
    if lines[0] != HEADER:
        raise LexiconError("not a lexicon written by this program")
    by_label: dict[str, list[str]] = {}
    for n, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        label, tab, entry = line.partition("\t")
        if not tab or not label:
            raise LexiconError(f"line {n} is not 'label<TAB>entry'")
        entries = by_label.setdefault(label, [])
        if entry.strip():
            entries.extend(parse_entries(entry))
    return [Lexicon(layer, label, tuple(dict.fromkeys(e))) for label, e in by_label.items()]


def _data(found: Any) -> bytes:
    if isinstance(found, tuple):
        found = found[0]
    return bytes(getattr(found, "data", found))


def project_lexicons(project: Any) -> tuple[Lexicon, ...]:
    """The lexicons in use for ``project``: its stored ones, by layer, in place of the bundled
    ones of that layer; damaged stored bytes fall back to the bundled lists."""
    bundled = default_lexicons()
    getter = getattr(project, "model", None)
    if getter is None:
        return bundled
    out: list[Lexicon] = []
    done: set[str] = set()
    for lex in bundled:
        if lex.layer in done:
            continue
        found = getter(NAME, lex.layer)
        if found is None:
            continue
        try:
            out.extend(from_bytes(lex.layer, _data(found)))
            done.add(lex.layer)
        except LexiconError:
            continue
    return tuple([*out, *(lex for lex in bundled if lex.layer not in done)])


def save_project_lexicons(project: Any, lexicons: tuple[Lexicon, ...]) -> None:
    """Store ``lexicons`` in ``project``, one model row per layer."""
    by_layer: dict[str, list[Lexicon]] = {}
    for lex in lexicons:
        by_layer.setdefault(lex.layer, []).append(lex)
    for layer, lexs in by_layer.items():
        project.save_model(NAME, layer, to_bytes(lexs),
                           {"format": HEADER, "entries": sum(len(x.entries) for x in lexs)})
