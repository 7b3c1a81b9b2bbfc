"""DE08: flows: named request paths with each hop's latency and the total.

A flow is made by selecting its nodes on the canvas in order and choosing
"Flow from selection"; each hop's action, latency, parallel group and
outcome are then edited in the hop table. Totals come from the analysis.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QVBoxLayout

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.context import labels, node_label, parse_float, selected_nodes, subscribe, tool_button
from app.ui.panels.forms import FormField
from app.ui.panels.table import Column, FittedTable
from models.analysis import flow_total_ms
from models.entities import Flow
from models.errors import BoardError

Index = QModelIndex | QPersistentModelIndex

HOP_COLUMNS = ("Node", "Latency (ms)", "Action", "Parallel group", "Outcome")
HOP_FIELDS = ("node", "latency_ms", "action", "parallel_group", "outcome")


class HopsModel(QAbstractTableModel):
    """The hops of one flow; edits replace the flow's hops through the editor."""

    def __init__(self, panel: FlowsPanel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        self.flow_id: str | None = None
        self.count = 0

    def flow(self) -> Any:
        found = self.panel.context.board.find(self.flow_id) if self.flow_id else None
        return found[1] if found and found[0] == "flows" else None

    def show_flow(self, flow_id: str | None) -> None:
        flow = self.panel.context.board.find(flow_id) if flow_id else None
        count = len(flow[1].hops) if flow is not None and isinstance(flow[1], Flow) else 0
        if flow_id != self.flow_id or count != self.count:
            self.beginResetModel()
            self.flow_id, self.count = flow_id, count
            self.endResetModel()
        elif count:
            self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(HOP_COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HOP_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return HOP_COLUMNS[section] if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() > 0 else flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        flow = self.flow()
        if flow is None or not index.isValid() or index.row() >= len(flow.hops):
            return None
        hop = flow.hops[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return [node_label(self.panel.context.board, hop.node), f"{hop.latency_ms:g}", hop.action,
                    hop.parallel_group or "", hop.outcome][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        flow = self.flow()
        if flow is None or role != Qt.ItemDataRole.EditRole or index.column() == 0:
            return False
        text = str(value)
        field = HOP_FIELDS[index.column()]
        try:
            new: Any = text
            if field == "latency_ms":
                new = parse_float(text, "latency")
            elif field == "parallel_group":
                new = text.strip() or None
            hops = [hop.model_dump() for hop in flow.hops]
            hops[index.row()][field] = new
            word = HOP_COLUMNS[index.column()].lower().replace(" (ms)", "")
            self.panel.context.editor.update("flows", flow.id, text=f"Change {word} of hop {index.row() + 1} "
                                             f"of flow '{flow.name}'", hops=hops)
        except BoardError as error:
            self.panel.show_error(str(error))
            return False
        self.panel.show_error("")
        return True


class FlowsPanel(EntityTablePanel):
    collection = "flows"
    title = "Flows"
    hint = "Request paths hop by hop. Select nodes on the canvas in order, then make a flow from them."
    prefix = "flow"
    can_add = False

    def columns(self) -> list[Column]:
        return [
            Column("Flow", lambda f: f.name, commit=lambda f, v: {"name": v}, stretch=True),
            Column("Hops", lambda f: str(len(f.hops)), align_right=True),
            Column("Total (ms)", lambda f: f"{flow_total_ms(f):g}", align_right=True),
        ]

    def related_ids(self, entity: Any) -> list[str]:
        ids = [hop.node for hop in entity.hops] + [hop.edge for hop in entity.hops if hop.edge]
        return list(dict.fromkeys(ids))

    def add_tools(self, toolbar: QHBoxLayout) -> None:
        self.from_selection_button = tool_button(
            "Flow from selection", "Make a flow through the selected nodes, in the order they were selected",
            self.flow_from_selection, "fa5s.route")
        toolbar.insertWidget(0, self.from_selection_button)

    def flow_from_selection(self) -> str | None:
        nodes = selected_nodes(self.context)
        board = self.context.board

        def create() -> str:
            if not nodes:
                raise BoardError("select the flow's nodes on the canvas, in order, first")
            hops = []
            previous: str | None = None
            for node in nodes:
                edge = next((e.id for e in board.edges if (e.source, e.target) == (previous, node)), None)
                hops.append({"node": node, "edge": edge})
                previous = node
            name = f"{node_label(board, nodes[0])} → {node_label(board, nodes[-1])}"
            return self.context.editor.create("flows", "flow", name=name, hops=hops)

        new_id = self.run(create)
        if new_id:
            self.select_entity(new_id)
        return str(new_id) if new_id else None

    def detail_fields(self) -> list[FormField]:
        return [FormField("Description", "text", lambda f: f.description,
                          lambda f, t: {"description": t}, height=40)]

    def add_below_table(self, layout: QVBoxLayout) -> None:
        self.total_label = QLabel()
        self.total_label.setObjectName("flow-total")
        self.total_label.setWordWrap(True)
        self.total_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hops_model = HopsModel(self, self)
        self.hops = FittedTable([2])
        self.hops.setModel(self.hops_model)
        self.hops.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.hops.setAlternatingRowColors(True)
        self.hops.verticalHeader().setDefaultSectionSize(26)
        self.hops.verticalHeader().hide()
        self.hops.selectionModel().currentRowChanged.connect(self._hop_selected)
        layout.addWidget(self.total_label)
        layout.addWidget(self.hops, 4)
        subscribe(self, self.context.board.events.changed, self._refresh_hops)
        self._refresh_hops()

    def current_changed(self, entity: Any) -> None:
        if hasattr(self, "hops_model"):
            self._refresh_hops()

    def _refresh_hops(self) -> None:
        flow = self.current_entity()
        self.hops_model.show_flow(None if flow is None else flow.id)
        self.hops.fit()
        if flow is None:
            self.total_label.setText("Pick a flow to see its hops.")
        else:
            self.total_label.setText(f"{flow.name}: {len(flow.hops)} hops, total {flow_total_ms(flow):g} ms "
                                     f"({labels(self.context.board, [h.node for h in flow.hops])})")

    def _hop_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        flow = self.hops_model.flow()
        if flow is None or not current.isValid():
            return
        hop = flow.hops[current.row()]
        self.context.selection.select([flow.id, hop.node] + ([hop.edge] if hop.edge else []))
