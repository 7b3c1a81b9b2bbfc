"""CO12: queues and buffers, the ones that exist and the missing ones."""

from __future__ import annotations

from typing import Any

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.context import accent, node_label, parse_optional_int
from app.ui.panels.forms import FormField
from app.ui.panels.table import Column
from models.entities import Edge
from models.errors import BoardError


class QueuesPanel(EntityTablePanel):
    collection = "queues"
    title = "Queues"
    hint = "Current queues, and missing ones that would decouple a caller from a slow callee (drawn dashed)."
    prefix = "queue"

    def where(self, queue: Any) -> str:
        board = self.context.board
        if queue.node is not None:
            return f"in {node_label(board, queue.node)}"
        found = board.find(queue.edge)
        if found is None or not isinstance(found[1], Edge):
            return str(queue.edge)
        edge = found[1]
        return f"{node_label(board, edge.source)} → {node_label(board, edge.target)}"

    def columns(self) -> list[Column]:
        return [
            Column("Queue", lambda q: q.name, commit=lambda q, v: {"name": v}, stretch=True),
            Column("Status", lambda q: "current" if q.exists else "missing",
                   edit=lambda q: "current" if q.exists else "missing",
                   commit=lambda q, v: {"exists": v == "current"},
                   choices=[("current", "current"), ("missing", "missing")],
                   color=lambda q: None if q.exists else accent("orange")),
            Column("Depth limit", lambda q: "none" if q.depth_limit is None else str(q.depth_limit),
                   edit=lambda q: "" if q.depth_limit is None else str(q.depth_limit),
                   commit=lambda q, v: {"depth_limit": parse_optional_int(v, "depth limit")}, align_right=True),
            Column("Where", self.where),
            Column("Technology", lambda q: q.technology, commit=lambda q, v: {"technology": v}),
        ]

    def related_ids(self, entity: Any) -> list[str]:
        return [entity.node if entity.node is not None else entity.edge]

    def new_fields(self) -> dict[str, Any]:
        board = self.context.board
        for selected in self.context.selection.ids:
            if board.is_node(selected):
                return {"name": f"{board.node(selected).label} queue", "node": selected}
            found = board.find(selected)
            if found is not None and isinstance(found[1], Edge):
                edge = found[1]
                name = f"{node_label(board, edge.source)} → {node_label(board, edge.target)} queue"
                return {"name": name, "edge": selected, "exists": False}
        raise BoardError("select the node or the call (edge) the queue belongs to, then add it")

    def detail_fields(self) -> list[FormField]:
        return [FormField("Why / notes", "text", lambda q: q.notes, lambda q, t: {"notes": t}, height=60)]
