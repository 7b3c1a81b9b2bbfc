"""What a canvas item knows of the scene that draws it: ``ItemHost``.

The scene gives every item its host when it makes it and pushes the entity in
(``BoardItem.set_entity``); the host answers what only the scene can work out
across items (where a node's centre is now, how far apart parallel edges bend,
where a queue sits) and receives what items report (a node was moved, an
edge's look changed, a loop asks to light up its members). Items never see the
board or the editor, and this module imports no item, so there is no cycle
between the items and the scene.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from app.labels import Placed
from app.ui.theme import Theme
from models.document import Layers


class ItemHost(Protocol):
    """The scene as its items see it (``BoardScene`` implements it)."""

    snap_enabled: bool
    grid_size: float

    @property
    def theme(self) -> Theme: ...

    @property
    def layers(self) -> Layers: ...

    @property
    def printing(self) -> bool: ...

    # --- geometry the scene works out -----------------------------------------------

    def node_centre(self, node_id: str) -> QPointF | None: ...

    def node_ids(self) -> Iterable[str]: ...

    def annotation_shown(self, step_id: str | None) -> bool:
        """Whether an annotation of step ``step_id`` is drawn (the editing view shows the current step's)."""

    def edge_bend(self, edge_id: str) -> float: ...

    def queues_on_edge(self, edge_id: str) -> list[str]: ...

    def queue_anchor(self, queue_id: str) -> QPointF | None: ...

    def loop_centre(self, loop_id: str) -> QPointF: ...

    def cascade_rank(self, cascade_id: str) -> int: ...

    def flow_rank(self, flow_id: str) -> int: ...

    def stage_number(self, stage_id: str) -> int: ...

    def placed_label(self, kind: str, entity_id: str, index: int = 0) -> Placed | None: ...

    # --- what items report ------------------------------------------------------------

    def node_geometry_changed(self, node_id: str) -> None: ...

    def edges_changed(self, item: QGraphicsItem | None = None, geometry: bool = False) -> None: ...

    def set_highlight(self, ids: Iterable[str], colour: QColor | None) -> None: ...
