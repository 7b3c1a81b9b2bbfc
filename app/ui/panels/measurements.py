"""What the Interventions panel shows of a measured intervention: a line per
scenario for the list ("peak: p99 1,180 ± 40 ms, errors -1.20 ± 0.30 pp"), the
whole row of the matrix as plain text for the tooltip, and a tree with every
figure before, after and changed, and each scenario's verdict (docs/runs.md).

A measurement stored by an older version (``Intervention.measured``: means of
p99 and errors, no intervals) is shown too, marked as such.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from app.ui.plain import plain_tooltip
from models.entities import Intervention, MeasuredFigure, MeasuredValue, Measurement
from models.kinds import MeasuredMetric
from models.runs.matrix import format_value
from models.runs.metrics import BY_KEY

LEGACY_NOTE = "Measured by an older version: means only, no intervals. Measure again for the full figures."
COLUMN_GAP = 16
"""Pixels between the tree's columns of figures."""
HEADLINE = (MeasuredMetric.P99_MS, MeasuredMetric.ERROR_RATE)
"""The figures the list shows for each scenario."""


def row(item: Intervention) -> tuple[Measurement, ...]:
    """The intervention's measurements: its matrix row, else the older single one."""
    if item.measurements:
        return item.measurements
    return (item.measured,) if item.measured is not None else ()


def _legacy_figure(cell: Measurement, metric: MeasuredMetric) -> MeasuredFigure | None:
    """p99 and errors of a measurement stored without figures, as figures without intervals."""
    if metric == MeasuredMetric.P99_MS:
        before, after = cell.p99_before_ms, cell.p99_after_ms
    elif metric == MeasuredMetric.ERROR_RATE:
        before, after = cell.error_rate_before, cell.error_rate_after
    else:
        return None
    return MeasuredFigure(metric=metric, before=MeasuredValue(mean=before), after=MeasuredValue(mean=after),
                          change=MeasuredValue(mean=after - before))


def figures(cell: Measurement) -> list[MeasuredFigure]:
    """Every figure of a cell in ``MeasuredMetric`` order (only p99 and errors for an older one)."""
    if cell.figures:
        return [f for metric in MeasuredMetric if (f := cell.figure(metric)) is not None]
    return [f for metric in HEADLINE if (f := _legacy_figure(cell, metric)) is not None]


def value_text(cell: Measurement, metric: MeasuredMetric, value: MeasuredValue | None, change: bool = False) -> str:
    """``1,180 ± 40 ms``, with ``(n = 3)`` when fewer replications than N had the figure."""
    text = format_value(metric, value, change)
    if value is not None and value.n is not None and value.n != cell.replications:
        text += f" (n = {value.n})"
    return text


def _with_never(text: str, cell: Measurement, before: bool) -> str:
    """Recovery's text with the replications that never recovered (metastable): ``12 s (2 of 5 never)``."""
    lost = cell.not_recovered_before if before else cell.not_recovered_after
    if not lost:
        return text
    never = f"{lost} of {cell.replications} never"
    return f"{never} recovered" if text == "-" else f"{text} ({never})"


def figure_cells(cell: Measurement, figure: MeasuredFigure) -> tuple[str, str, str]:
    """Before, after and the change of one figure, as text."""
    before = value_text(cell, figure.metric, figure.before)
    after = value_text(cell, figure.metric, figure.after)
    if figure.metric == MeasuredMetric.RECOVER_S:
        before, after = _with_never(before, cell, True), _with_never(after, cell, False)
    return before, after, value_text(cell, figure.metric, figure.change, change=True)


def label(metric: MeasuredMetric) -> str:
    return BY_KEY[metric.value].label


def provenance(cell: Measurement) -> str:
    """``N = 5, base seed 0`` (an older measurement: ``older measurement, seed 1``)."""
    if not cell.figures:
        return f"older measurement, seed {cell.seed}"
    return f"N = {cell.replications}, base seed {cell.seed}"


def cell_line(cell: Measurement) -> str:
    """One scenario for the list: p99 after with its interval, the error change in pp."""
    found = {f.metric: f for f in figures(cell)}
    parts = []
    p99 = found.get(MeasuredMetric.P99_MS)
    if p99 is not None:
        parts.append(f"p99 {value_text(cell, p99.metric, p99.after)}")
    errors = found.get(MeasuredMetric.ERROR_RATE)
    if errors is not None:
        parts.append(f"errors {value_text(cell, errors.metric, errors.change, change=True)}")
    return f"{cell.scenario}: {', '.join(parts) or 'no figures'}"


def summary_text(item: Intervention) -> str:
    """The list's Measured column: each scenario's line."""
    return "; ".join(cell_line(cell) for cell in row(item))


def matrix_text(item: Intervention) -> str:
    """The whole row as plain text (the Measured column's tooltip)."""
    blocks = []
    for cell in row(item):
        lines = [f"{cell.scenario} ({provenance(cell)})"]
        for figure in figures(cell):
            before, after, change = figure_cells(cell, figure)
            lines.append(f"  {label(figure.metric)}: {before} → {after} (change {change})")
        lines.append(f"  {cell.verdict or (LEGACY_NOTE if not cell.figures else '')}".rstrip())
        blocks.append("\n".join(line for line in lines if line.strip()))
    return "\n\n".join(blocks)


def ranking_key(item: Intervention) -> tuple[float, float]:
    """Sorts the biggest measured improvement first: the mean relative p99 change over
    the scenarios, then the mean error change."""
    cells = row(item)
    p99 = [(c.p99_after_ms - c.p99_before_ms) / c.p99_before_ms if c.p99_before_ms else 0.0 for c in cells]
    errors = [c.error_rate_after - c.error_rate_before for c in cells]
    return sum(p99) / len(cells), sum(errors) / len(cells)


class MeasurementsView(QTreeWidget):
    """The selected intervention's row of the matrix: a branch per scenario with
    every figure before, after and changed (mean ± 95 % half-width), and the verdict."""

    COLUMNS = ("Scenario / figure", "Before", "After", "Change")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(self.COLUMNS))
        self.setHeaderLabels(list(self.COLUMNS))
        self.setRootIsDecorated(True)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.header().setStretchLastSection(True)
        self._spanned: list[QTreeWidgetItem] = []
        """Rows of one long text across every column (verdicts): their height follows the width."""
        self._shown: tuple[tuple[Measurement, ...], dict[str, str]] | None = None

    def show_intervention(self, item: Intervention | None, names: Mapping[str, str] | None = None) -> None:
        """Show ``item``'s row; ``names`` maps scenario ids to the names shown. Built
        again only when what it shows changed (every edit of the board asks)."""
        cells = row(item) if item is not None else ()
        shown = (cells, dict(names or {}))
        if shown == self._shown:
            return
        self._shown = shown
        self.clear()
        self._spanned = []
        if not cells:
            self._add_spanned(None, "Not measured yet: Measure runs it on the scenarios it names.")
        for cell in cells:
            name = (names or {}).get(cell.scenario, cell.scenario)
            branch = self._add_spanned(None, f"{name} ({provenance(cell)})")
            for figure in figures(cell):
                branch.addChild(QTreeWidgetItem([label(figure.metric), *figure_cells(cell, figure)]))
            verdict = cell.verdict or (LEGACY_NOTE if not cell.figures else "")
            if verdict:
                self._add_spanned(branch, verdict)
            branch.setExpanded(True)
        for column in range(len(self.COLUMNS) - 1):
            self.resizeColumnToContents(column)
            self.setColumnWidth(column, self.columnWidth(column) + COLUMN_GAP)
        self._fit_spanned()

    def _add_spanned(self, parent: QTreeWidgetItem | None, text: str) -> QTreeWidgetItem:
        line = QTreeWidgetItem([text])
        line.setToolTip(0, plain_tooltip(text))
        if parent is None:
            self.addTopLevelItem(line)
        else:
            parent.addChild(line)
        line.setFirstColumnSpanned(True)
        self._spanned.append(line)
        return line

    def _fit_spanned(self) -> None:
        """Give each spanned row the height its text takes wrapped to the view's width."""
        metrics = self.fontMetrics()
        for line in self._spanned:
            depth = 1 if line.parent() is None else 2
            width = max(120, self.viewport().width() - depth * self.indentation() - 8)
            bound = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, line.text(0))
            line.setSizeHint(0, QSize(width, bound.height() + 4))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_spanned()

    def texts(self) -> list[list[str]]:
        """Every row's cells as shown (depth first), for tests and for looking at."""
        rows = []
        for branch in (self.topLevelItem(index) for index in range(self.topLevelItemCount())):
            assert branch is not None
            rows.append([branch.text(0)])
            for child in (branch.child(c) for c in range(branch.childCount())):
                assert child is not None
                rows.append([child.text(i) for i in range(self.columnCount())])
        return rows
