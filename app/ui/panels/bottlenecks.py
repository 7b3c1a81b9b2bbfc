"""DE07: bottlenecks: health marks on the nodes, with the analysis's hints.

Utilisation is one figure (``models.utilisation``): the share of a node's workers busy or
held waiting on its calls, estimated at the peak rate from the board alone, or measured by
the last simulation run of this board when there is one; the panel says which. Betweenness
and fan-in come from the graph. On a big board the estimates are computed off the GUI
thread (the window's job runner) and the columns fill in when they arrive; a small board
gets them at once.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout

from app.ui.jobs import JobControl, JobHandle
from app.ui.panels.base import EntityTablePanel
from app.ui.panels.context import accent, tool_button
from app.ui.panels.table import Column
from models import utilisation as figures
from models.analysis import NodeLoad, bottleneck_hints, peak_entry_rps, utilisation
from models.document import BoardDocument
from models.simulation.result import SimulationResult

Analysis = tuple[float, dict[str, NodeLoad], dict[str, dict[str, Any]]]
NOTHING_YET: Analysis = (0.0, {}, {})
SYNC_ITEMS = 400
"""Boards up to this many nodes and edges are analysed at once; bigger ones in a job."""


def analyse(_control: JobControl[None], document: BoardDocument) -> Analysis:
    """The peak rate, each node's load and each node's hints (betweenness sampled on big boards)."""
    rps = peak_entry_rps(document)
    loads = {load.node: load for load in utilisation(document, rps)} if rps else {}
    return rps, loads, {hint["node"]: hint for hint in bottleneck_hints(document)}


HEALTH = [("none", "none"), ("yellow", "yellow"), ("red", "red")]
HEALTH_ACCENTS = {"red": "red", "yellow": "yellow"}


class BottlenecksPanel(EntityTablePanel):
    collection = "nodes"
    title = "Bottlenecks"
    hint = ("Mark constrained components red or yellow. Utilisation is the share of a component's workers busy "
            "or held waiting on its calls; betweenness and fan-in show how central a component is.")
    prefix = "node"
    can_add = False
    can_delete = False
    can_reorder = False

    _cache: Analysis | None = None
    _run: figures.Utilisation | None = None
    """The last simulation run's figure, until the board changes."""
    _pending: JobHandle | None = None
    _generation = 0
    """Counts board changes: an answer computed for an older board is dropped."""

    def _analysis(self) -> Analysis:
        if self._cache is not None:
            return self._cache
        if self._pending is not None:  # asked for every cell: no snapshot of a big board per cell
            return NOTHING_YET
        document = self.context.board.document()
        if len(document.nodes) + len(document.edges) <= SYNC_ITEMS:
            self._cache = analyse(JobControl(lambda _: None, threading.Event()), document)
            return self._cache
        if self._pending is None:
            generation = self._generation
            self._pending = self.context.jobs.submit(
                analyse, document, on_done=lambda analysis: self._analysed(generation, analysis),
                on_error=self._analysis_failed, owner=self)
        return NOTHING_YET

    def _analysed(self, generation: int, analysis: Analysis) -> None:
        if generation != self._generation:
            return
        self._pending, self._cache = None, analysis
        if hasattr(self, "source"):
            self._show_source()
        model = self.model
        if model.ids:
            model.dataChanged.emit(model.index(0, 0), model.index(len(model.ids) - 1, len(model.columns) - 1))

    def _analysis_failed(self, message: str) -> None:
        self._pending, self._cache = None, NOTHING_YET
        self.show_error(f"Bottleneck hints failed: {message}")

    def figure(self) -> figures.Utilisation:
        """The utilisation shown: the last run's, else the estimate at the peak rate."""
        if self._run is not None:
            return self._run
        rps, loads, _ = self._analysis()
        return figures.from_loads(loads.values(), rps)

    def show_run(self, result: SimulationResult) -> None:
        """A simulation of this board reached its end: show its utilisation (and say so)."""
        self._run = figures.simulated(result)
        self._show_source()
        self.model.dataChanged.emit(self.model.index(0, 0),
                                    self.model.index(max(0, self.model.rowCount() - 1), self.model.columnCount() - 1))

    def board_changed(self) -> None:
        self._cache = None
        self._run = None  # the run measured the board as it was
        self._generation += 1
        if self._pending is not None:  # its answer would describe the board as it was
            self._pending.cancel()
            self._pending = None
        if hasattr(self, "source"):
            self._show_source()

    def add_above_table(self, layout: QVBoxLayout) -> None:
        self.source = QLabel()
        self.source.setObjectName("utilisation-source")
        self.source.setWordWrap(True)
        layout.addWidget(self.source)
        self._show_source()

    def _show_source(self) -> None:
        figure = self.figure()
        self.source.setText(f"Utilisation: {figure.source}" if figure.values else
                            "Utilisation: no estimate (the board has no scenario)")

    def load_text(self, node: Any) -> str:
        text = self.figure().text(node.id)
        load = self._analysis()[1].get(node.id)
        if text and load is not None and load.rate_limited_rps and self._run is None:
            text += " · over limit"
        return text

    def load_tip(self, node: Any) -> str:
        figure = self.figure()
        rps, loads, _ = self._analysis()
        load = loads.get(node.id)
        if node.id not in figure.values:
            return "no traffic estimate (the board has no scenario)"
        lines = [figure.caption()]
        if load is not None and self._run is None:
            lines += [f"At {rps:g} req/s entering: {load.arrival_rps:.1f} req/s here",
                      f"own work {load.service_ms:g} ms, holding {load.holding_ms:.0f} ms, {load.servers} workers",
                      *load.notes]
        return "\n".join(lines)

    def hint_value(self, node: Any, key: str) -> str:
        hint = self._analysis()[2].get(node.id)
        if hint is None:
            return ""
        value = hint[key]
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    def columns(self) -> list[Column]:
        return [
            Column("Component", lambda n: n.label, stretch=True),
            Column("Health", lambda n: n.health, commit=lambda n, v: {"health": v}, choices=HEALTH,
                   color=lambda n: accent(HEALTH_ACCENTS[n.health]) if n.health in HEALTH_ACCENTS else None),
            Column("Utilisation", self.load_text, tooltip=self.load_tip, align_right=True,
                   color=lambda n: accent("red") if "limit" in self.load_text(n) or self._saturated(n) else None),
            Column("Betweenness", lambda n: self.hint_value(n, "betweenness"), align_right=True),
            Column("Fan-in", lambda n: self.hint_value(n, "fan_in"), align_right=True),
            Column("Fan-out", lambda n: self.hint_value(n, "fan_out"), align_right=True),
            Column("Kind", lambda n: n.kind.replace("_", " ")),
        ]

    def _saturated(self, node: Any) -> bool:
        return self.figure().values.get(node.id, 0.0) >= 1.0

    def accept(self, entity: Any) -> bool:
        return bool(entity.kind != "users")

    def add_tools(self, toolbar: QHBoxLayout) -> None:
        self.mark_buttons: dict[str, QToolButton] = {}
        for health, text in (("red", "Mark red"), ("yellow", "Mark yellow"), ("none", "Clear mark")):
            button = tool_button(text, f"Set the health mark of the selected components to {health}",
                                 partial(self.mark, health), "fa5s.circle" if health != "none" else None,
                                 icon_color=accent(HEALTH_ACCENTS[health]) if health in HEALTH_ACCENTS else None)
            self.mark_buttons[health] = button
            toolbar.addWidget(button)

    def mark(self, health: str) -> None:
        nodes = [n for n in self.selected_entities() if n.health != health]
        if not nodes:
            return
        editor = self.context.editor

        def apply() -> None:
            with editor.macro(f"Mark {len(nodes)} component{'s' if len(nodes) > 1 else ''} {health}"):
                for node in nodes:
                    editor.update("nodes", node.id, health=health)

        self.run(apply)
