"""Adjudication: decide each disagreement between A and B, and build a gold corpus. No Qt.

Contract:

* An :class:`Adjudication` holds one :class:`Item` per agreed span pair and per disagreement
  (:func:`annotator.review.diff.diff_document`) of every matched document of a
  :class:`ReviewSet` (its first two sides are A and B). Items start undecided.
* :meth:`Adjudication.decide` records a :class:`Decision` with who and when; bulk helpers decide
  many at once (:meth:`accept_agreed`, :meth:`decide_all`, :func:`automatic`).
* :meth:`Adjudication.gold` builds one :class:`CorpusDocument` per matched document:

  - ``accept_a`` / ``accept_b``: that side's span (nothing when that side has none);
  - ``accept_both``: both spans (one for an agreed pair);
  - ``accept_common``: the span both marked, with only the attributes both gave alike;
  - ``edit``: the edited span given with the decision;
  - ``reject`` and undecided items: nothing.

  A kept span's ``annotator`` is who made it (``"alice"``, ``"bob"``, ``"alice+bob"``, or the
  adjudicator for an edit). Relations of A and of B are kept when both their ends are kept (one
  copy when both sides have it). Each document's ``meta["adjudication"]`` lists every decision:
  ``{"span": gold key or None, "kind", "a", "b" (span texts' keys), "decision", "by", "at"}``.
  Document labels (``article_stance``…) both gave alike are kept, as ``"alice+bob"``'s; the
  others are counted (:meth:`Adjudication.doc_labels_left_out`) and left out, unless a merge
  prefers one side (``--prefer a|b``): that side's own labels are then kept as its own.
* :meth:`Adjudication.open_disagreements` lists the disagreements still undecided (what a
  gold file would leave out); agreed pairs are accepted with :meth:`accept_agreed` (the review
  window does so when it saves: what both gave alike is what the user sees as decided).
* :func:`write_gold` writes the gold documents to a new project file through a temporary file
  renamed into place; an existing file is replaced only when asked (``replace=True``, after the
  user confirmed it), never one of the reviewed files nor a project open for writing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.model import (
    CorpusDocument,
    DocAnnotationRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.core.tagset import Tagset
from annotator.review.diff import Kind, diff_document
from annotator.review.doc_labels import split_labels
from annotator.review.sources import ReviewSet

AGREED = "agreed"


class Decision(StrEnum):
    ACCEPT_A = "accept_a"
    ACCEPT_B = "accept_b"
    ACCEPT_BOTH = "accept_both"
    ACCEPT_COMMON = "accept_common"
    EDIT = "edit"
    REJECT = "reject"


@dataclass
class Item:
    """An agreed pair (``kind == "agreed"``) or a disagreement, with its decision."""

    doc: int  # index into Adjudication.documents
    kind: str  # "agreed" or a diff.Kind value
    layer: str
    a: SpanRecord | None
    b: SpanRecord | None
    decision: Decision | None = None
    edited: SpanRecord | None = None
    by: str = ""
    at: str = ""

    @property
    def start(self) -> int:
        return min(s.start for s in (self.a, self.b, self.edited) if s is not None)

    @property
    def end(self) -> int:
        return max(s.end for s in (self.a, self.b, self.edited) if s is not None)


@dataclass
class AdjudicatedDocument:
    name: str
    title: str
    text: str
    meta: dict[str, Any]
    relations_a: list[RelationRecord]
    relations_b: list[RelationRecord]
    items: list[Item] = field(default_factory=list)
    doc_labels: list[DocAnnotationRecord] = field(default_factory=list)  # both gave alike
    only_a: list[DocAnnotationRecord] = field(default_factory=list)  # labels only A gave
    only_b: list[DocAnnotationRecord] = field(default_factory=list)  # labels only B gave


class Adjudication:
    """Decisions over every matched document of ``review`` (A = side 0, B = side 1)."""

    def __init__(self, review: ReviewSet, *, layers: Sequence[str] | None = None) -> None:
        self.review = review
        self.name_a, self.name_b = review.annotators[0], review.annotators[1]
        self.documents: list[AdjudicatedDocument] = []
        self.items: list[Item] = []
        self.doc_label_side: str | None = None  # "a"/"b": that side's own document labels kept
        wanted = set(layers) if layers else None
        for n, sha in enumerate(review.matched):
            da, db = review.documents(sha)[:2]
            doc = AdjudicatedDocument(da.name, da.title, da.text, dict(da.meta),
                                      list(da.relations), list(db.relations))
            doc.doc_labels, doc.only_a, doc.only_b = split_labels(da, db)
            diff = diff_document(da.spans, db.spans, layers=wanted)
            for a, b in diff.agreed:
                doc.items.append(Item(n, AGREED, a.layer, a, b))
            for d in diff.disagreements:
                doc.items.append(Item(n, d.kind.value, d.layer, d.a, d.b))
            doc.items.sort(key=lambda it: (it.start, it.end, it.layer, it.kind))
            self.documents.append(doc)
            self.items.extend(doc.items)

    # -- deciding ----------------------------------------------------------------------------
    def disagreements(self, doc: int | None = None) -> list[Item]:
        """Items that are not agreed pairs (of one document, or all)."""
        items = self.items if doc is None else self.documents[doc].items
        return [it for it in items if it.kind != AGREED]

    def decide(self, item: Item, decision: Decision, *, by: str, at: str | None = None,
               edited: SpanRecord | None = None) -> None:
        """Record ``decision`` on ``item``; ``edited`` (the new span) is required for EDIT."""
        from annotator.core.annotations import now_iso

        if decision is Decision.EDIT and edited is None:
            raise AnnotatorError("an edit needs the edited span")
        if decision is Decision.ACCEPT_COMMON and item.kind not in (AGREED, Kind.ATTRIBUTES):
            raise AnnotatorError("only a span both annotators marked alike has common attributes")
        item.decision = decision
        item.edited = edited if decision is Decision.EDIT else None
        item.by = by
        item.at = at or now_iso()

    def undo(self, item: Item) -> None:
        item.decision, item.edited, item.by, item.at = None, None, "", ""

    def accept_agreed(self, *, by: str, at: str | None = None) -> int:
        """Accept every span both annotators gave alike (undecided ones); returns how many."""
        return self.decide_all(Decision.ACCEPT_BOTH, by=by, kinds=[AGREED], at=at)

    def decide_all(self, decision: Decision, *, by: str, kinds: Iterable[str] | None = None,
                   only_undecided: bool = True, at: str | None = None) -> int:
        """Decide every item of ``kinds`` (default: all); returns how many were decided.
        ``at``: when (default: now)."""
        from annotator.core.annotations import now_iso

        wanted = set(kinds) if kinds is not None else None
        at = at or now_iso()
        n = 0
        for it in self.items:
            if wanted is not None and it.kind not in wanted:
                continue
            if only_undecided and it.decision is not None:
                continue
            self.decide(it, decision, by=by, at=at)
            n += 1
        return n

    @property
    def undecided(self) -> int:
        return sum(1 for it in self.items if it.decision is None)

    def open_disagreements(self) -> list[Item]:
        """Disagreements without a decision, in document order (left out of the gold)."""
        return [it for it in self.items if it.kind != AGREED and it.decision is None]

    def open_summary(self) -> str:
        """The undecided disagreements for people: ``"3 (1 only in alice, 2 label)"``;
        empty when every disagreement is decided."""
        items = self.open_disagreements()
        if not items:
            return ""
        names = {Kind.ONLY_A.value: f"only in {self.name_a}",
                 Kind.ONLY_B.value: f"only in {self.name_b}"}
        counts = {k.value: 0 for k in Kind}  # in the order of Kind
        for it in items:
            counts[it.kind] = counts.get(it.kind, 0) + 1
        docs = len({it.doc for it in items})
        parts = ", ".join(f"{n} {names.get(kind, kind)}" for kind, n in counts.items() if n)
        return f"{len(items)} ({parts}) in {docs} document{'s' if docs != 1 else ''}"

    # -- the gold corpus ---------------------------------------------------------------------
    def _kept(self, it: Item) -> list[tuple[SpanRecord, str, list[tuple[str, str]]]]:
        """(span, annotator, [(side, original key)]) kept by an item's decision."""
        a, b, both = it.a, it.b, f"{self.name_a}+{self.name_b}"
        d = it.decision
        origins_ab = [(side, s.key) for side, s in (("a", a), ("b", b)) if s is not None]
        if d is None or d is Decision.REJECT:
            return []
        if d is Decision.EDIT:
            assert it.edited is not None
            return [(it.edited, it.by, origins_ab)]
        if it.kind == AGREED or d is Decision.ACCEPT_COMMON:
            if d is Decision.ACCEPT_COMMON and a is not None and b is not None:
                common = {k: v for k, v in a.attributes.items() if b.attributes.get(k, v) == v
                          and k in b.attributes}
                return [(replace(a, attributes=common), both, origins_ab)]
            if it.kind == AGREED and a is not None:
                return [(a, both, origins_ab)]
        out = []
        if d in (Decision.ACCEPT_A, Decision.ACCEPT_BOTH) and a is not None:
            out.append((a, self.name_a, [("a", a.key)]))
        if d in (Decision.ACCEPT_B, Decision.ACCEPT_BOTH) and b is not None:
            out.append((b, self.name_b, [("b", b.key)]))
        return out

    def gold_document(self, n: int) -> CorpusDocument:
        doc = self.documents[n]
        spans: list[SpanRecord] = []
        key_of: dict[tuple[str, str], str] = {}
        log: list[dict[str, Any]] = []
        for it in doc.items:
            kept = self._kept(it)
            keys = []
            for span, annotator, origins in kept:
                key = f"g{len(spans) + 1}"
                spans.append(SpanRecord(key, span.layer, span.label,
                                        tuple((s, e) for s, e in span.fragments),
                                        dict(span.attributes), span.note, annotator))
                keys.append(key)
                for origin in origins:
                    key_of.setdefault(origin, key)
            if it.decision is not None:
                log.append({"span": keys[0] if len(keys) == 1 else (keys or None),
                            "kind": it.kind, "layer": it.layer,
                            "a": it.a.key if it.a else None, "b": it.b.key if it.b else None,
                            "decision": it.decision.value, "by": it.by, "at": it.at})
        relations: list[RelationRecord] = []
        seen: set[tuple[str, str, str]] = set()
        for side, rels in (("a", doc.relations_a), ("b", doc.relations_b)):
            for r in rels:
                src, tgt = key_of.get((side, r.source)), key_of.get((side, r.target))
                if src is None or tgt is None or (r.type, src, tgt) in seen:
                    continue
                seen.add((r.type, src, tgt))
                relations.append(RelationRecord(f"r{len(relations) + 1}", r.type, src, tgt,
                                                dict(r.attributes)))
        meta = dict(doc.meta)
        meta["adjudication"] = log
        both = f"{self.name_a}+{self.name_b}"
        labels = [DocAnnotationRecord(layer=a.layer, label=a.label,
                                      attributes=dict(a.attributes), annotator=both)
                  for a in doc.doc_labels]
        if self.doc_label_side is not None:  # a merge that prefers one side
            own, name = ((doc.only_a, self.name_a) if self.doc_label_side == "a"
                         else (doc.only_b, self.name_b))
            labels += [DocAnnotationRecord(layer=a.layer, label=a.label,
                                           attributes=dict(a.attributes), annotator=name)
                       for a in own]
        return CorpusDocument(name=doc.name, text=doc.text, title=doc.title, meta=meta,
                              status="done" if all(it.decision for it in doc.items)
                              else "in_progress", spans=spans, relations=relations,
                              doc_annotations=labels)

    def doc_labels_left_out(self) -> int:
        """Document labels one annotator gave and the other did not that the gold leaves out
        (all of them, or the other side's when one side is preferred)."""
        if self.doc_label_side == "a":
            return sum(len(d.only_b) for d in self.documents)
        if self.doc_label_side == "b":
            return sum(len(d.only_a) for d in self.documents)
        return sum(len(d.only_a) + len(d.only_b) for d in self.documents)

    def gold(self) -> list[CorpusDocument]:
        return [self.gold_document(n) for n in range(len(self.documents))]


def automatic(review: ReviewSet, prefer: str, *, by: str = "annotator merge",
              layers: Sequence[str] | None = None, at: str | None = None) -> Adjudication:
    """The decisions of ``annotator merge --prefer a|b|agreed``.

    ``agreed``: spans both have (exact match: layer, label, fragments) with the attributes both
    gave alike; everything else rejected. ``a``/``b``: agreed spans plus that side of every
    disagreement. ``at``: when they are made (default: now, read at each step); a merge made
    one chunk of documents at a time gives every chunk the same.
    """
    adj = Adjudication(review, layers=layers)
    adj.accept_agreed(by=by, at=at)
    if prefer == "agreed":
        adj.decide_all(Decision.ACCEPT_COMMON, by=by, kinds=[Kind.ATTRIBUTES.value], at=at)
        adj.decide_all(Decision.REJECT, by=by, at=at)
    elif prefer in ("a", "b"):
        adj.decide_all(Decision.ACCEPT_A if prefer == "a" else Decision.ACCEPT_B, by=by, at=at)
        adj.doc_label_side = prefer
    else:
        raise AnnotatorError(f"unknown preference {prefer!r} (use a, b or agreed)")
    return adj


def write_gold(path: str | Path, docs: Iterable[CorpusDocument], *, tagset: Tagset,
               annotator: str, replace: bool = False, keep: Sequence[str | Path] = ()) -> int:
    """Write ``docs`` to a new project file at ``path``; returns the number of spans written.
    ``docs`` may be a generator: they are written as it yields them, in one transaction.

    Refuses an existing ``path`` unless ``replace`` (the user confirmed replacing it); even
    then refuses a file in ``keep`` (the reviewed files) or a project open for writing in an
    Annotator window. The file appears only when complete (temporary file, then rename in the
    same folder, over the old file when replacing).
    """
    from annotator.core.project import Project

    out = Path(path)
    if out.exists():
        if not replace:
            raise AnnotatorError("already exists; the gold file must be a new file", path=out)
        _check_replaceable(out, keep)
    if not out.parent.exists():
        raise AnnotatorError(f"folder {out.parent} does not exist", path=out)
    tmp = out.with_name(f".{out.name}.part")
    for extra in ("", "-wal", "-shm", "-journal"):
        Path(str(tmp) + extra).unlink(missing_ok=True)
    try:
        with Project.create(tmp, annotator=annotator, tagset=tagset) as gold:
            result = gold.import_documents(docs)
        if out.exists() and not replace:
            raise AnnotatorError("appeared while writing; nothing was replaced", path=out)
        os.replace(tmp, out)
    finally:
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(str(tmp) + extra).unlink(missing_ok=True)
    return result.spans


def _check_replaceable(out: Path, keep: Sequence[str | Path]) -> None:
    """Raise unless ``out`` may be replaced by a gold file (see :func:`write_gold`)."""
    from annotator.core.storage.engine import WriteLock

    for other in keep:
        try:
            same = out.samefile(other)
        except OSError:
            same = False
        if same:
            raise AnnotatorError("is one of the files under review; save the gold file under "
                                 "another name", path=out)
    if not out.is_file():
        raise AnnotatorError("is not a file; nothing was replaced", path=out)
    lock = WriteLock(out)
    try:
        lock.acquire()
    except AnnotatorError:
        raise AnnotatorError("is open in an Annotator window; close it there or save the gold "
                             "file under another name", path=out) from None
    except OSError as exc:
        raise AnnotatorError(f"cannot be replaced ({exc.strerror or exc})", path=out) from None
    finally:
        lock.release()
