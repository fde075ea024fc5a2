"""SpanTextView: code point selection, span lookup, clicks, edits, hidden layers, painting."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from annotator.core.model import Relation, Span
from annotator.core.span_index import SpanIndex, assign_lanes
from annotator.gui.views.text_view import SpanTextView

TEXT = (
    "Great job 👍🏽 said the minister.\n"
    "قال المتحدث إن الخطة قد تفشل.\n"
    "The cafe\u0301 owners were perhaps not fully convinced 🙂 at all."
)
COLORS = {
    ("hedging", "hedge"): "#ff7f0e",
    ("stance", "positive"): "#2ca02c",
    ("attribution", "source"): "#1f77b4",
    ("attribution", "cue"): "#d62728",
}


def at(sub: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = TEXT.index(sub, i + 1)
    return i, i + len(sub)


def span(pk: int, layer: str, label: str, *frags: tuple[int, int]) -> Span:
    return Span(pk, 1, layer, label, tuple(frags), attributes={"certainty": "low"}, note="n")


def make_spans() -> list[Span]:
    return [
        span(1, "stance", "positive", at("Great job 👍🏽")),  # outer
        span(2, "hedging", "hedge", at("👍🏽")),  # nested in 1
        span(3, "attribution", "source", at("المتحدث")),
        span(4, "attribution", "cue", at("قال")),
        span(5, "hedging", "hedge", at("perhaps"), at("fully")),  # discontinuous
        span(6, "stance", "positive", at("cafe\u0301 owners were perhaps")),  # overlaps 5
        span(7, "attribution", "source", at("owners were perhaps not fully")),  # overlaps 6
    ]


def make_view(qtbot) -> SpanTextView:
    view = SpanTextView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.set_document(TEXT, make_spans(), COLORS)
    view.show()
    qtbot.waitExposed(view)
    return view


def colors_in(view: SpanTextView) -> set[str]:
    image = view.viewport().grab().toImage()
    return {
        QColor(image.pixel(x, y)).name()
        for y in range(0, image.height(), 1)
        for x in range(0, image.width(), 2)
    }


def click_cp(qtbot, view: SpanTextView, start: int, end: int) -> None:
    """Click in the middle of the text between code points start and end (same line)."""
    a, b = view.cp_rect(start), view.cp_rect(end)
    point = QPoint((a.center().x() + b.center().x()) // 2, a.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


# -- index --------------------------------------------------------------------------------
def test_span_index_queries_add_remove_and_long_fragments():
    index = SpanIndex(long_threshold=10)
    index.rebuild([(1, ((0, 5),)), (2, ((3, 4), (8, 9))), (3, ((2, 50),))])
    assert sorted(index.covering(3)) == [1, 2, 3]
    assert sorted(index.overlapping(5, 8)) == [3]
    assert sorted(index.overlapping(8, 9)) == [2, 3]
    index.add(4, ((6, 7),))
    assert sorted(index.covering(6)) == [3, 4]
    assert index.remove(2) and not index.remove(2)
    assert sorted(index.covering(8)) == [3]
    index.remove(3)
    assert index.covering(20) == []
    assert len(index) == 2 and 4 in index


def test_assign_lanes_gives_overlapping_intervals_different_lanes():
    intervals = [(0, 10), (2, 4), (3, 8), (10, 12), (5, 6)]
    lanes, count = assign_lanes(intervals)
    assert count == 3
    for i, (s1, e1) in enumerate(intervals):
        for j, (s2, e2) in enumerate(intervals):
            if i != j and s1 < e2 and s2 < e1:
                assert lanes[i] != lanes[j]
    assert lanes[0] == 0  # the enclosing interval sits nearest the text


# -- selection in code points --------------------------------------------------------------
def test_selection_round_trip_with_emoji_arabic_and_combining(qtbot):
    view = make_view(qtbot)
    for sub in ("👍🏽", "job 👍🏽 said", "قال المتحدث", "المتحدث", "cafe\u0301", "e\u0301", "🙂 at"):
        start, end = at(sub)
        view.set_selection_cp(start, end)
        assert view.selection_cp() == (start, end)
        assert view.textCursor().selectedText() == TEXT[start:end]


def test_selection_signal_reports_code_points(qtbot):
    view = make_view(qtbot)
    start, end = at("المتحدث")
    with qtbot.waitSignal(view.selectionChangedCp) as blocker:
        view.set_selection_cp(start, end)
    assert blocker.args == [start, end]
    with qtbot.waitSignal(view.selectionChangedCp) as blocker:
        view.set_selection_cp(start, start)
    assert blocker.args == [-1, -1]
    assert view.selection_cp() is None


def test_span_at_cp_returns_innermost_first(qtbot):
    view = make_view(qtbot)
    thumb = at("👍🏽")[0]
    assert view.span_at_cp(thumb) == [2, 1]
    assert view.span_at_cp(at("Great")[0]) == [1]
    assert view.span_at_cp(at("perhaps")[0]) == [5, 6, 7]
    assert view.span_at_cp(at("not")[0]) == [7]  # gap of discontinuous span 5
    assert view.span_at_cp(at("said")[0]) == []


# -- clicks and hover ----------------------------------------------------------------------
def test_click_on_span_emits_innermost_pk_and_selects(qtbot):
    view = make_view(qtbot)
    with qtbot.waitSignal(view.spanClicked) as blocker:
        click_cp(qtbot, view, *at("Great"))
    assert blocker.args[0] == 1
    assert view.selected_span() == 1
    with qtbot.waitSignal(view.spanClicked) as blocker:
        click_cp(qtbot, view, *at("perhaps"))
    assert blocker.args[0] == 5  # innermost of 5, 6, 7
    with qtbot.waitSignal(view.spanClicked) as blocker:
        click_cp(qtbot, view, *at("المتحدث"))
    assert blocker.args[0] == 3


def test_click_on_plain_text_clears_span_selection(qtbot):
    view = make_view(qtbot)
    view.select_span(1)
    with qtbot.waitSignal(view.selectedSpanChanged) as blocker:
        click_cp(qtbot, view, *at("minister"))
    assert blocker.args == [-1]
    assert view.selected_span() is None


def test_click_passes_modifiers(qtbot):
    view = make_view(qtbot)
    a, b = view.cp_rect(at("Great")[0]), view.cp_rect(at("Great")[1])
    point = QPoint((a.center().x() + b.center().x()) // 2, a.center().y())
    with qtbot.waitSignal(view.spanClicked) as blocker:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, point
        )
    assert blocker.args[0] == 1
    assert blocker.args[1] & Qt.KeyboardModifier.ControlModifier


def test_tooltip_names_label_layer_attributes_and_note(qtbot):
    view = make_view(qtbot)
    tip = view.tooltip_html(view.span_at_cp(at("👍🏽")[0]))
    assert "hedge" in tip and "hedging" in tip and "certainty: low" in tip and "positive" in tip


# -- editing spans -------------------------------------------------------------------------
def test_add_update_remove_span(qtbot):
    view = make_view(qtbot)
    pos = at("minister")[0]
    view.add_span(span(10, "hedging", "hedge", at("minister")))
    assert view.span_at_cp(pos) == [10]
    view.update_span(span(10, "stance", "positive", at("the minister")))
    assert view.span_at_cp(at("the minister")[0]) == [10]
    assert {s.layer for s in view.spans() if s.pk == 10} == {"stance"}
    view.select_span(10)
    view.remove_span(10)
    assert view.span_at_cp(pos) == []
    assert view.selected_span() is None
    view.remove_span(999)  # unknown: ignored


def test_set_spans_replaces_all_and_keeps_scroll(qtbot):
    view = SpanTextView()
    qtbot.addWidget(view)
    view.resize(400, 120)
    long_text = "\n".join(f"Paragraph {i} says perhaps something." for i in range(300))
    view.set_document(long_text, [], COLORS)
    view.show()
    qtbot.waitExposed(view)
    view.scroll_to_cp(long_text.index("Paragraph 200"))
    value = view.verticalScrollBar().value()
    assert value > 0
    start = long_text.index("perhaps", long_text.index("Paragraph 200"))
    view.set_spans([span(1, "hedging", "hedge", (start, start + 7))])
    assert view.verticalScrollBar().value() == value
    assert view.span_at_cp(start) == [1]


def test_hidden_layers_are_not_found_or_drawn(qtbot):
    view = make_view(qtbot)
    assert "#ff7f0e" in colors_in(view)
    view.set_hidden_layers({"hedging"})
    assert view.span_at_cp(at("👍🏽")[0]) == [1]
    assert view.span_at_cp(at("perhaps")[0]) == [6, 7]
    assert "#ff7f0e" not in colors_in(view)
    view.set_hidden_layers(set())
    assert view.span_at_cp(at("👍🏽")[0]) == [2, 1]


def test_select_span_scrolls_into_view(qtbot):
    view = SpanTextView()
    qtbot.addWidget(view)
    view.resize(400, 120)
    long_text = "\n".join(f"Line {i} with a claim." for i in range(500))
    start = long_text.index("Line 400 ")
    view.set_document(long_text, [span(1, "hedging", "hedge", (start, start + 8))], COLORS)
    view.show()
    qtbot.waitExposed(view)
    view.select_span(1)
    assert view.selected_span() == 1
    assert view.viewport().rect().contains(view.cp_rect(start))
    view.select_span(None)
    assert view.selected_span() is None


# -- painting ------------------------------------------------------------------------------
def test_paint_shows_every_label_colour_with_overlaps_nesting_and_fragments(qtbot):
    view = make_view(qtbot)
    view.set_relations([Relation(1, 1, "attributed_to", 4, 3)])
    view.select_span(4)
    seen = colors_in(view)
    for color in COLORS.values():
        assert color in seen
    view.grab().save("/tmp/text_view.png")


def test_paint_survives_zoom_and_spans_crossing_lines(qtbot):
    view = make_view(qtbot)
    view.add_span(span(20, "attribution", "cue", (0, len(TEXT))))  # crosses every block
    view.set_zoom(20)
    assert view.zoom() == 20
    view.zoom_out()
    assert view.zoom() == 19
    assert "#d62728" in colors_in(view)
    view.set_zoom(1000)
    assert view.zoom() == 48


def test_hover_reports_span_under_mouse(qtbot):
    view = make_view(qtbot)
    a, b = view.cp_rect(at("Great")[0]), view.cp_rect(at("Great")[1])
    point = QPoint((a.center().x() + b.center().x()) // 2, a.center().y())
    with qtbot.waitSignal(view.spanHovered) as blocker:
        qtbot.mouseMove(view.viewport(), point)
    assert blocker.args == [1]


def test_crlf_text_keeps_qt_positions_on_code_points(qtbot) -> None:
    """Formats that carry offsets keep ``\\r\\n``; Qt would fold it into one break and shift
    every later span by one. Selecting a span's code points must show exactly its text."""
    text = "Sony said\r\nthat Ericsson may merge.\r\nEnd"
    start = text.index("may")
    view = SpanTextView()
    qtbot.addWidget(view)
    view.set_document(text, [span(1, "hedging", "hedge", (start, start + 3))], COLORS)
    view.set_selection_cp(start, start + 3)
    assert view.textCursor().selectedText() == "may"
    assert view.selection_cp() == (start, start + 3)
    end = text.index("End")
    view.set_selection_cp(end, end + 3)
    assert view.textCursor().selectedText() == "End"
    assert view.span_at_cp(start + 1) == [1]
    assert view.text() == text  # the stored text itself is untouched
