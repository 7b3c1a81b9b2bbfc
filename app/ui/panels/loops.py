"""RE06: feedback loops, classified, with the analysis's cycles as suggestions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.context import BoardFigure, DeferredRefresh, accent, labels, selected_nodes, subscribe, tool_button
from app.ui.panels.forms import FormField, split_lines
from app.ui.panels.table import Column
from models.analysis import undeclared_cycles
from models.errors import BoardError

KINDS = [("reinforcing", "R: reinforcing"), ("balancing", "B: balancing")]
GROWTH = [("none", "none"), ("linear", "linear"), ("exponential", "exponential")]


class LoopsPanel(EntityTablePanel):
    collection = "loops"
    title = "Feedback loops"
    hint = ("Loops that feed an effect back into its cause. R (reinforcing) loops amplify problems; "
            "B (balancing) loops damp them.")
    detail_share = 2
    prefix = "loop"
    _shown_cycles: list[list[str]] | None = None
    """The suggested cycles on show, so an unchanged list is not rebuilt."""

    def columns(self) -> list[Column]:
        board = self.context.board
        return [
            Column("Loop", lambda lp: lp.name, commit=lambda lp, v: {"name": v}),
            Column("R/B", lambda lp: "R" if lp.kind == "reinforcing" else "B", edit=lambda lp: lp.kind,
                   commit=lambda lp, v: {"kind": v}, choices=KINDS,
                   color=lambda lp: accent("red" if lp.kind == "reinforcing" else "green")),
            Column("Growth", lambda lp: lp.growth, commit=lambda lp, v: {"growth": v}, choices=GROWTH),
            Column("Implemented", lambda lp: "", check=lambda lp: lp.implemented,
                   commit=lambda lp, v: {"implemented": v}),
            Column("Through", lambda lp: labels(board, lp.nodes), stretch=True),
        ]

    def related_ids(self, entity: Any) -> list[str]:
        return [*entity.nodes, *entity.edges]

    def new_fields(self) -> dict[str, Any]:
        nodes = selected_nodes(self.context)
        if not nodes:
            raise BoardError("select the nodes the loop passes through, then add it")
        return {"name": "New loop", "nodes": nodes, "edges": self._edges_along(nodes, closed=True)}

    def _edges_along(self, nodes: list[str], closed: bool) -> list[str]:
        pairs = list(zip(nodes, nodes[1:] + (nodes[:1] if closed and len(nodes) > 1 else []), strict=False))
        found = []
        for source, target in pairs:
            for edge in self.context.board.edges:
                if (edge.source, edge.target) == (source, target):
                    found.append(edge.id)
                    break
        return found

    def detail_fields(self) -> list[FormField]:
        return [
            FormField("Chain", "lines", lambda lp: "\n".join(lp.chain),
                      lambda lp, t: {"chain": split_lines(t)}, "cause → effect, one a line"),
            FormField("Stabiliser", "line", lambda lp: lp.stabiliser, lambda lp, t: {"stabiliser": t}),
            FormField("Fix", "line", lambda lp: lp.fix, lambda lp, t: {"fix": t}),
        ]

    def add_below_table(self, layout: QVBoxLayout) -> None:
        self.suggestions_label = QLabel("Cycles in the call graph that no loop covers yet:")
        self.suggestions = QListWidget()
        self.suggestions.setMaximumHeight(90)
        row = QHBoxLayout()
        self.adopt_button = tool_button("Add as loop", "Declare the suggested cycle as a feedback loop",
                                        self.adopt_suggestion, "fa5s.sync-alt")
        row.addWidget(self.adopt_button)
        row.addStretch(1)
        layout.addWidget(self.suggestions_label)
        layout.addWidget(self.suggestions)
        layout.addLayout(row)
        self.cycles = BoardFigure(self, self.context, undeclared_cycles, self._show_cycles, self._looking)
        self.suggestions_refresh = DeferredRefresh(self, self.refresh_suggestions)
        subscribe(self, self.context.board.events.changed, self.suggestions_refresh.schedule)
        self.refresh_suggestions()

    def refresh_suggestions(self) -> None:
        """The undeclared cycles (on a big board from a job: the list says it is looking meanwhile)."""
        self.cycles.request()

    def _looking(self) -> None:
        self._shown_cycles = None
        self.suggestions.clear()
        self.suggestions.addItem("(looking for cycles…)")
        self.adopt_button.setEnabled(False)

    def _show_cycles(self, cycles: list[list[str]]) -> None:
        board = self.context.board
        if cycles == self._shown_cycles:
            return
        self._shown_cycles = cycles
        self.suggestions.clear()
        for cycle in cycles:
            item = QListWidgetItem(labels(board, [*cycle, cycle[0]]))
            item.setData(Qt.ItemDataRole.UserRole, cycle)
            self.suggestions.addItem(item)
        if not cycles:
            self.suggestions.addItem("(none: every cycle is declared)")
        self.adopt_button.setEnabled(bool(cycles))

    def adopt_suggestion(self) -> None:
        item = self.suggestions.currentItem() or self.suggestions.item(0)
        cycle = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not cycle:
            return
        board = self.context.board
        name = f"Loop {labels(board, cycle[:3], ' / ')}"
        new_id = self.run(lambda: self.context.editor.create(
            "loops", "loop", name=name, nodes=cycle, edges=self._edges_along(cycle, closed=True)))
        if new_id:
            self.select_entity(new_id)
