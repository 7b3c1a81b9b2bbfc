"""SY01: the topology: the critical path from the analysis and the marks on the calls."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.context import BoardFigure, DeferredRefresh, labels, node_label, subscribe, tool_button
from app.ui.panels.table import Column
from models.analysis import critical_path

SHOWN_HOPS = 12
"""A longer critical path is written as its first and last components (Select shows all of it)."""


def _toggle_mark(mark: str) -> Any:
    def commit(edge: Any, on: bool) -> dict[str, Any]:
        marks = [m for m in edge.marks if m != mark]
        if on:
            marks.append(mark)
        return {"marks": tuple(marks)}
    return commit


class TopologyPanel(EntityTablePanel):
    collection = "edges"
    title = "Topology"
    hint = "The calls between components, their critical-path and missing-queue marks, and the slowest path."
    prefix = "edge"
    can_add = False
    can_delete = False
    can_reorder = False

    def columns(self) -> list[Column]:
        board = self.context.board
        return [
            Column("From", lambda e: node_label(board, e.source)),
            Column("To", lambda e: node_label(board, e.target)),
            Column("Critical", lambda e: "", check=lambda e: "critical" in e.marks,
                   commit=_toggle_mark("critical")),
            Column("Missing queue", lambda e: "", check=lambda e: "missing_queue" in e.marks,
                   commit=_toggle_mark("missing_queue")),
            Column("Style", lambda e: e.style, commit=lambda e, v: {"style": v},
                   choices=[("solid", "solid"), ("dashed", "dashed")]),
            Column("Label", lambda e: e.label, commit=lambda e, v: {"label": v}, stretch=True),
        ]

    def related_ids(self, entity: Any) -> list[str]:
        return [entity.source, entity.target]

    def add_above_table(self, layout: QVBoxLayout) -> None:
        self.critical_label = QLabel()
        self.critical_label.setWordWrap(True)
        self.critical_label.setTextFormat(Qt.TextFormat.RichText)
        self.critical_label.setObjectName("critical-path")
        row = QHBoxLayout()
        self.select_path_button = tool_button("Select critical path", "Select the slowest path on the canvas",
                                              self.select_critical_path, "fa5s.project-diagram")
        row.addWidget(self.select_path_button)
        row.addStretch(1)
        layout.addWidget(self.critical_label)
        layout.addLayout(row)
        self.path_nodes: list[str] = []
        self.critical = BoardFigure(self, self.context, critical_path, self._show_critical_path, self._working)
        self.critical_refresh = DeferredRefresh(self, self.refresh_critical_path)
        subscribe(self, self.context.board.events.changed, self.critical_refresh.schedule)
        self.refresh_critical_path()

    def refresh_critical_path(self) -> None:
        """The slowest path (on a big board from a job: the label says it is being worked out)."""
        self.critical.request()

    def _working(self) -> None:
        self.path_nodes = []
        self.select_path_button.setEnabled(False)
        board = self.context.board
        self.critical_label.setText(f"{len(board.nodes)} components, {len(board.edges)} calls. "
                                    "<b>Critical path</b>: working it out…")

    def _show_critical_path(self, path: Any) -> None:
        board = self.context.board
        self.select_path_button.setEnabled(True)
        self.path_nodes = list(path.nodes)
        nodes, edges = len(board.nodes), len(board.edges)
        if path.nodes:
            hops = list(path.nodes)
            if len(hops) > SHOWN_HOPS:  # a label of thousands of names took seconds to lay out
                shown = labels(board, hops[:SHOWN_HOPS // 2]) + f" → … {len(hops) - SHOWN_HOPS + 2} more … → " \
                    + labels(board, hops[-(SHOWN_HOPS // 2 - 2):])
            else:
                shown = labels(board, hops)
            text = (f"<b>Critical path</b> ({path.total_ms:.0f} ms of mean work through {len(hops)}): "
                    f"{html.escape(shown)}")
        else:
            text = "<b>Critical path</b>: none yet (draw an entry node and its calls)"
        self.critical_label.setText(f"{nodes} components, {edges} calls. {text}")

    def select_critical_path(self) -> None:
        board = self.context.board
        edges = [e.id for e in board.edges
                 for a, b in zip(self.path_nodes, self.path_nodes[1:], strict=False)
                 if (e.source, e.target) == (a, b)]
        self.context.selection.select([*self.path_nodes, *edges])

