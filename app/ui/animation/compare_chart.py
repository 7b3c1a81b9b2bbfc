"""The comparison as bars with error bars: baseline against the checked
interventions for p99, error rate and goodput, each bar the mean of N
replications and its whisker the 95 % confidence half-width (pyqtgraph)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from models.runs.replicate import RunsResult

CHARTED = (("p99_ms", "p99 (ms)", 1.0), ("error_rate", "error rate (%)", 100.0),
           ("goodput_rps", "goodput (req/s)", 1.0))
COLOURS = ("#90A4AE", "#1E88E5")
"""Baseline grey, with interventions blue."""
BAR_WIDTH = 0.6


class ComparisonBars(pg.GraphicsLayoutWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """Three small bar charts; ``show_result(None)`` empties them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.setMinimumHeight(170)
        self.plots: list[pg.PlotItem] = []
        for column, (_key, title, _scale) in enumerate(CHARTED):
            plot = self.addPlot(row=0, col=column, title=title)
            plot.getAxis("bottom").setTicks([[(0, "baseline"), (1, "with")]])
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.getAxis("left").setWidth(52)  # room for "10000"
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            self.plots.append(plot)

    def show_result(self, result: RunsResult | None) -> None:
        for plot, (key, _title, scale) in zip(self.plots, CHARTED, strict=True):
            plot.clear()
            if result is None:
                continue
            found = [(i, e) for i, runs in enumerate(result.variants[:2]) if (e := runs.estimate(key)) is not None]
            if not found:
                continue
            xs = [i for i, _e in found]
            means = np.array([e.mean * scale for _i, e in found])
            halves = np.array([(e.half_width or 0.0) * scale for _i, e in found])
            plot.addItem(pg.BarGraphItem(x=xs, height=means, width=BAR_WIDTH,
                                         brushes=[pg.mkBrush(COLOURS[i]) for i in xs], pen=pg.mkPen(None)))
            if result.replications > 1:
                plot.addItem(pg.ErrorBarItem(x=np.array(xs, dtype=float), y=means, top=halves, bottom=halves,
                                             beam=BAR_WIDTH / 3, pen=pg.mkPen("#263238", width=1.5)))
            plot.setXRange(-0.6, 1.6, padding=0)
            plot.setYRange(0, float(max(means + halves)) * 1.15 or 1.0, padding=0)
