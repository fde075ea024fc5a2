"""Applying a tagset whose renames make two spans identical: they are merged and the status
line says so."""

from __future__ import annotations

import copy

from annotator.gui.tagset_menu import apply_tagset


def test_the_status_line_counts_the_spans_a_rename_merged(window) -> None:  # type: ignore[no-untyped-def]
    p = window.project
    doc = p.documents()[0].pk
    hedge = next(s for s in p.spans(doc) if s.label == "hedge")
    p.add_span(doc, "hedging", "booster", hedge.fragments)
    window.refresh_spans()
    tagset = copy.deepcopy(p.tagset)
    hedging = tagset.layer("hedging")
    assert hedging is not None
    hedging.labels = [lab for lab in hedging.labels if lab.name != "booster"]
    assert apply_tagset(window, tagset, {("hedging", "booster"): ("hedging", "hedge")})
    assert window.statusBar().currentMessage() == (
        "Tagset saved; 1 span(s) relabelled, 1 identical span(s) merged "
        "(undo history cleared).")
    assert len(p.spans(doc)) == 8 and len(window.spans) == 8
