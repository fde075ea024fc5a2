"""The review window's per-document table: worst first, sortable, a row opens its document."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "review"))
from review_data import make_pair  # noqa: E402

from annotator.gui.review_window import open_review  # noqa: E402
from annotator.gui.views.review_documents import DocumentTable  # noqa: E402
from annotator.review.report import agreement_of  # noqa: E402


def test_documents_table_worst_first_sortable_and_opens(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    a, b = make_pair(tmp_path)
    w = open_review([str(a), str(b)])
    qtbot.addWidget(w)
    qtbot.waitExposed(w)
    table = w.findChild(DocumentTable)
    assert table is not None and table.rowCount() == 2
    # the same scores as `agree --per-document` (same seed, same documents)
    cli = agreement_of([str(a), str(b)], measures={"seed": 0}).measures
    assert cli is not None
    by_name = {d.name: d.score for d in cli.documents}
    shown = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(2)]
    assert shown == [(name, f"{by_name[name]:.3f}")
                     for name in sorted(by_name, key=lambda n: by_name[n])]
    assert shown[0][0] == "d1"  # the worst document first
    header = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert header[:3] == ["document", "score", "attribution alpha_U"]
    # d2 has no attribution span on either side: n/a, sorted last both ways
    col = header.index("attribution alpha_U")
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        table.horizontalHeader().setSortIndicator(col, order)
        table.sortItems(col, order)
        assert [table.item(r, col).text() for r in range(2)] == ["1.000", "n/a"]
    table.sortItems(1, Qt.SortOrder.DescendingOrder)
    assert table.item(0, 0).text() == "d2"
    # activating a row shows that document in the window
    w.documents.setCurrentIndex(0)
    row = next(r for r in range(2) if table.item(r, 0).text() == "d2")
    table.itemActivated.emit(table.item(row, 0))
    assert w.documents.currentData() == table.document_at(row)
    assert w.adjudication.documents[w.documents.currentData()].name == "d2"
