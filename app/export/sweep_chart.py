"""A sweep as four charts (p50, p99, error rate, goodput against the first
varied parameter), each point the mean with its 95 % confidence interval as an
error bar. Drawn with pyqtgraph, which the window's Sweep panel uses too, and
written as PNG (rendered at twice the size) or SVG (through QtSvg: pyqtgraph's
own SVG exporter cannot read the SVG Qt 6 writes)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication

from models.runs.metrics import BY_KEY, Unit
from models.runs.replicate import RunsResult
from models.runs.stats import CONFIDENCE
from models.runs.sweep import Sweep

SIZE = QSize(1100, 760)
"""The chart's size in points (the PNG has twice as many pixels each way)."""
PNG_SCALE = 2.0
PLOTTED = ("p50_ms", "p99_ms", "error_rate", "goodput_rps")
COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b")
TITLES = {"p50_ms": "p50 latency", "p99_ms": "p99 latency", "error_rate": "error rate", "goodput_rps": "goodput"}
AXES = {Unit.MS: "ms", Unit.SHARE: "%", Unit.PER_S: "requests/s"}


def _series(result: RunsResult, sweep: Sweep) -> dict[str, list[int]]:
    """Variant indices grouped by the values of every range but the first (one line each)."""
    groups: dict[str, list[int]] = {}
    for index, point in enumerate(sweep.points()):
        rest = ", ".join(f"{r.path}={v:g}" for r, v in zip(sweep.ranges[1:], point[1:], strict=True))
        groups.setdefault(rest, []).append(index)
    return groups


def sweep_chart(result: RunsResult, sweep: Sweep) -> pg.GraphicsLayoutWidget:
    """The four charts in one widget (not shown)."""
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    widget = pg.GraphicsLayoutWidget()
    widget.resize(SIZE)
    n = result.replications
    interval = f"mean ± {CONFIDENCE * 100:g} % CI" if n > 1 else "one run each, no interval"
    widget.addLabel(f"{result.plan.scenario}: N = {n} replications per point, base seed {result.plan.base_seed}, "
                    f"{interval}", row=0, col=0, colspan=2, size="11pt")
    groups = _series(result, sweep)
    x_label = sweep.ranges[0].path
    for slot, key in enumerate(PLOTTED):
        unit = BY_KEY[key].unit
        scale = 100.0 if unit is Unit.SHARE else 1.0
        plot = widget.addPlot(row=1 + slot // 2, col=slot % 2, title=TITLES[key])
        plot.setLabel("bottom", x_label)
        plot.setLabel("left", AXES[unit])
        axis = plot.getAxis("left")
        axis.enableAutoSIPrefix(False)
        axis.setWidth(72)
        plot.showGrid(x=True, y=True, alpha=0.25)
        if len(groups) > 1 and slot == 0:
            plot.addLegend(offset=(10, 10))
        for line, (name, indices) in enumerate(groups.items()):
            colour = COLOURS[line % len(COLOURS)]
            xs, ys, bars = [], [], []
            for index in indices:
                found = result.variants[index].estimate(key)
                if found is None:
                    continue
                xs.append(float(sweep.points()[index][0]))
                ys.append(found.mean * scale)
                bars.append((found.half_width or 0.0) * scale)
            if not xs:
                continue
            plot.plot(xs, ys, pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=6,
                      symbolBrush=colour, symbolPen=colour, name=name or None)
            if n > 1:
                plot.addItem(pg.ErrorBarItem(x=np.array(xs), y=np.array(ys), top=np.array(bars),
                                             bottom=np.array(bars), beam=_beam(xs), pen=pg.mkPen(colour)))
    return widget


def _beam(xs: list[float]) -> float:
    spread = (max(xs) - min(xs)) if len(xs) > 1 else 1.0
    return spread / max(8.0, 4.0 * len(xs))


def export_sweep_chart(result: RunsResult, sweep: Sweep, path: Path) -> None:
    """Write the charts to ``path`` (.png or .svg); ``OSError`` if it cannot be written."""
    widget = sweep_chart(result, sweep)
    widget.show()  # lay out (offscreen, nothing appears)
    QApplication.processEvents()
    scene = widget.scene()
    source = QRectF(0, 0, SIZE.width(), SIZE.height())
    painter = QPainter()
    if path.suffix.lower() == ".svg":
        svg = QSvgGenerator()
        svg.setFileName(str(path))
        svg.setSize(SIZE)
        svg.setViewBox(source)
        svg.setResolution(widget.logicalDpiX())  # else items drawn in device units shrink to 72/96
        svg.setTitle(f"Sweep on {result.plan.scenario}")
        svg.setDescription("Exported by Cascade Board")
        target: QSvgGenerator | QImage = svg
        box = source
    else:
        target = QImage(round(SIZE.width() * PNG_SCALE), round(SIZE.height() * PNG_SCALE),
                        QImage.Format.Format_ARGB32)
        box = QRectF(0, 0, target.width(), target.height())
    if not painter.begin(target):
        raise OSError(f"cannot write {path}")
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(box, QColor("white"))
        scene.render(painter, box, source)
    finally:
        painter.end()
        widget.close()
    if isinstance(target, QImage) and not target.save(str(path)):  # the suffix says PNG
        raise OSError(f"cannot write {path}")
    if not path.exists():
        raise OSError(f"cannot write {path}")
