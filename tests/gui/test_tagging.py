"""Pure helpers of the tagging controller."""

from __future__ import annotations

from annotator.gui.tagging import merge_fragments, snap_local
from annotator.nlp.tokens import snap_to_words


def test_snap_local_matches_whole_text_snapping() -> None:
    text = ("Officials said 👍🏽 the plan was “not fully confirmed”.\n"
            "قال المتحدث إن الخطة جيدة. Café owners (cafe\u0301) seem unconvinced.\n") * 3
    for start, end in [(2, 5), (16, 22), (60, 64), (len(text) - 12, len(text) - 3)]:
        assert snap_local(text, start, end) == snap_to_words(text, start, end)


def test_snap_local_in_a_very_long_line() -> None:
    text = "word " * 50_000 + "a target, said " + "word " * 50_000
    i = text.index("target")
    assert snap_local(text, i + 1, i + 3) == (i, i + len("target"))
    assert snap_local(text, i - 1, i + 9) == snap_to_words(text, i - 1, i + 9)


def test_merge_fragments_sorts_and_joins_overlaps() -> None:
    assert merge_fragments(((10, 20),), 30, 40) == ((10, 20), (30, 40))
    assert merge_fragments(((30, 40),), 10, 20) == ((10, 20), (30, 40))
    assert merge_fragments(((10, 20), (30, 40)), 18, 32) == ((10, 40),)


def test_tab_steps_through_spans_in_text_order(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    order = sorted(window.spans, key=lambda s: (s.start, s.end, s.layer, s.label, s.pk))
    view = window.view
    view.setFocus()
    view.set_selection_cp(0, 1)
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Tab)
    assert window.tagger.selected() == order[0].pk
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Tab)
    assert window.tagger.selected() == order[1].pk
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Backtab)
    assert window.tagger.selected() == order[0].pk
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Backtab)  # wraps to the last
    assert window.tagger.selected() == order[-1].pk
    window.set_layer_visible(order[0].layer, False)
    visible = [s.pk for s in order if s.layer != order[0].layer]
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Tab)
    assert window.tagger.selected() in visible
