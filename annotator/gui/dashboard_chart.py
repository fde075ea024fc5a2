"""One chart of the dashboard: a :class:`~annotator.core.corpus_figures.Figure` drawn with
matplotlib's Qt backend (QtAgg) as horizontal bars, stacked per series.

Clicking a bar calls ``on_bar(query)`` with the query of exactly the spans it counts. "Save
chart…" writes PNG or SVG (by the name's suffix), "Save data…" the figure's table as CSV (every
category, also those past the ones drawn). Files are written atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import MaxNLocator
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.atomic import export_target
from annotator.core.corpus_figures import Figure
from annotator.core.errors import AnnotatorError
from annotator.core.query.rows import save_csv

OnBar = Callable[[str], object]
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")
MAX_LABEL = 38  # characters of a category name drawn on the axis


def _short(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[:MAX_LABEL - 1] + "…"


class ChartView(QWidget):
    def __init__(self, on_bar: OnBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_bar = on_bar
        self.figure: Figure | None = None
        self.mpl = MplFigure(figsize=(7, 4), layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.mpl)
        self.canvas.mpl_connect("pick_event", self._picked)
        self.bars: dict[object, str] = {}  # matplotlib bar -> its query
        self.note = QLabel("")
        save_chart = QPushButton("Save chart…")
        save_chart.clicked.connect(self.save_chart_dialog)
        save_data = QPushButton("Save data (CSV)…")
        save_data.clicked.connect(self.save_data_dialog)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(save_chart)
        row.addWidget(save_data)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(row)

    def show_figure(self, fig: Figure) -> None:
        """Draw ``fig`` (its first ``fig.shown`` categories, first at the top)."""
        self.figure = fig
        self.mpl.clear()
        self.bars = {}
        ax = self.mpl.add_subplot()
        n = min(len(fig.categories), fig.shown)
        ys = list(range(n))
        left = [0.0] * n
        for k, s in enumerate(fig.series):
            values = s.values[:n]
            drawn = ax.barh(ys, values, left=left if fig.stacked else None,
                            color=COLOURS[k % len(COLOURS)], label=s.name, picker=True)
            for bar, value, query in zip(drawn, values, s.queries[:n], strict=True):
                if value and query:
                    self.bars[bar] = query
            if fig.stacked:
                left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(ys, [_short(c) for c in fig.categories[:n]])
        ax.invert_yaxis()
        if all(float(v).is_integer() for s in fig.series for v in s.values):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.25 ticks
        ax.set_xlabel(fig.y_label)
        ax.set_title(fig.title)
        if len(fig.series) > 1:
            ax.legend(fontsize="small", loc="lower right")
        if not n:
            ax.text(0.5, 0.5, "nothing to show", ha="center", va="center",
                    transform=ax.transAxes)
        more = len(fig.categories) - n
        self.note.setText((f"{n} of {len(fig.categories)} shown (the data has all); "
                           if more > 0 else "") + "click a bar for its concordance")
        self.canvas.draw()

    def _picked(self, event: object) -> None:
        query = self.bars.get(getattr(event, "artist", None))
        if query:
            self._on_bar(query)

    # ----------------------------------------------------------------- saving
    def save_chart(self, path: Path) -> None:
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("png", "svg"):
            raise AnnotatorError("choose a name ending in .png or .svg", path=path)
        try:
            with export_target(path, directory=False) as tmp:
                self.mpl.savefig(tmp, format=fmt, dpi=150)
        except OSError as exc:
            raise AnnotatorError(f"cannot be written ({exc.strerror or exc})", path=path) \
                from None

    def save_data(self, path: Path) -> None:
        if self.figure is not None:
            save_csv(path, *self.figure.table())

    def save_chart_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save chart", self._name("png"),
                                              "PNG image (*.png);;SVG image (*.svg)")
        self._saving(path, self.save_chart)

    def save_data_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save chart data", self._name("csv"),
                                              "CSV (*.csv)")
        self._saving(path, self.save_data)

    def _name(self, suffix: str) -> str:
        return f"{self.figure.key if self.figure else 'chart'}.{suffix}"

    def _saving(self, path: str, save: Callable[[Path], None]) -> None:
        if not path:
            return
        try:
            save(Path(path))
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Save", str(exc))
