"""The scene: one item per drawable entity of the board, kept in step with
the board's change events (docs/ARCHITECTURE.md, "Board → scene": the board owns
all state; the canvas mirrors it). The scene changes the board only through the editor: a drag
becomes one ``move_nodes`` command on release."""

from __future__ import annotations

import contextlib
import gc
import math
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from app.labels import EDGE_BEND, LabelInput, LabelKey, LabelLayout, Placed, loop_centre, place_labels
from app.ui.canvas.far import FarEdges
from app.ui.canvas.items import BoardItem, EdgeItem, NodeItem
from app.ui.canvas.labels import CanvasMetrics
from app.ui.canvas.legend import LegendItem
from app.ui.canvas.marks import (
    AnnotationItem,
    CascadeItem,
    FlowItem,
    LoopItem,
    QueueItem,
    StageItem,
    queue_slot,
)
from app.ui.canvas.style import GRID, Overlay, set_text_scale
from app.ui.jobs import JobControl, JobRunner
from app.ui.theme import LIGHT, Theme
from models.board import Board
from models.document import Layers

DRAWN = ("nodes", "edges", "queues", "loops", "cascades", "flows", "stages", "annotations")
"""The collections the canvas draws, one item per entity."""
BEND = EDGE_BEND
"""How far apart two edges between the same pair of nodes are bent."""
BIG_BOARD = 600
"""A ``chunked`` scene builds a board with more drawn entities than this in steps from the event
loop, and places its labels on a worker thread (docs/LIMITS.md, "Big boards in the window")."""
STEP_MS = 40
"""How long one building step may hold the GUI thread."""
FAR_FLUSH_SHARE = 0.25
"""During a build the far drawing of the edges (``far.FarEdges``, which regroups and repaints every
edge on each change) hears of new edges a quarter of the board at a time, not on each step."""


def _layout_job(_control: JobControl[None], collections: dict[str, list[Any]]) -> LabelLayout:
    """A big board's label placement on a worker thread, from the board's entities (immutable values)
    and its own font metrics: nothing shared with the GUI thread. Nodes are where the board has them
    (a drag in progress is placed on release), bends as ``app.labels.edge_bends`` gives them."""
    centres = {n.id: (n.x, n.y) for n in collections["nodes"]}
    data = LabelInput(centres=centres, edges=collections["edges"], queues=collections["queues"],
                      loops=collections["loops"], cascades=collections["cascades"], flows=collections["flows"],
                      stages=collections["stages"], annotations=collections["annotations"])
    return place_labels(data, CanvasMetrics())


class BoardScene(QGraphicsScene):
    """Mirrors one board. ``editor`` may be None for a read-only scene (export)."""

    selection_ids_changed = Signal(list)
    build_progress = Signal(int, int)
    """A chunked build advanced: items built so far, items in all (equal at the end)."""
    _froze_board: ClassVar[bool] = False
    """A big board's items were frozen out of the cyclic collector (``gc.freeze``): the next big board
    opened unfreezes and collects once, so the previous board's cycles are freed rather than kept."""

    def __init__(self, board: Board, editor: Any = None, selection: Any = None,
                 theme: Theme = LIGHT, parent: Any = None, chunked: bool = False) -> None:
        super().__init__(parent)
        self.board, self.editor, self.selection = board, editor, selection
        self.chunked = chunked
        """Build big boards in steps and place their labels off the GUI thread (the window's scene;
        an export's scene is built at once, as it is drawn right after)."""
        self._pending: deque[tuple[str, str]] = deque()
        self._pending_ids: set[str] = set()
        self._far_backlog: list[EdgeItem] = []
        """Edges built since the far drawing last heard: it regroups every edge of a colour on each
        change, so a build tells it ``FAR_FLUSH_SHARE`` of the board at a time."""
        self._build_total = 0
        self._build_timer = QTimer(self, singleShot=True, interval=0)
        self._build_timer.timeout.connect(self._build_step)
        self._big = False
        self._label_generation = 0
        self._previous_labels: LabelLayout | None = None
        self._layout_running = False
        self._layout_jobs: JobRunner | None = None
        self._layout_timer = QTimer(self, singleShot=True, interval=0)
        self._layout_timer.timeout.connect(self._start_layout)
        self.theme = theme
        self._printing = False
        self._far_wanted = False
        self._far = False
        self.snap_enabled = False
        self.grid_size = GRID
        self.show_grid = True
        self._items: dict[str, BoardItem] = {}
        self._pairs: dict[tuple[str, str], list[str]] = {}
        self._syncing_selection = False
        self._building = False
        self._labels: LabelLayout | None = None
        self._shown_labels: dict[LabelKey, Placed] = {}
        self._relabelling = 0
        self._notes_filtered = False
        self._notes_step: str | None = None
        self.legend = LegendItem(theme)
        self.addItem(self.legend)
        self.far_edges = FarEdges(self._edge_items, lambda: self.theme)
        self.far_edges.setVisible(False)
        self.addItem(self.far_edges)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self._listeners: list[tuple[str, Callable[..., Any]]] = []
        self._connect_board()
        self.rebuild()
        self.selectionChanged.connect(self._scene_selection_changed)
        if selection is not None:
            selection.changed.connect(self._apply_selection)

    # --- board events -----------------------------------------------------------

    def _listen(self, name: str, handler: Callable[..., Any]) -> None:
        getattr(self.board.events, name).connect(handler)
        self._listeners.append((name, handler))

    def _connect_board(self) -> None:
        for collection in DRAWN:
            singular = collection[:-1]
            self._listen(f"{singular}_added", lambda entity, index, c=collection: self._added(c, entity))
            self._listen(f"{singular}_changed", lambda old, new, c=collection: self._changed(c, old, new))
            self._listen(f"{singular}_removed", lambda entity, index, c=collection: self._removed(c, entity))
        self._listen("layers_changed", lambda old, new: self.apply_layers())
        self._listen("reset", self.rebuild)

    def detach(self) -> None:
        """Stop listening to the board (before the scene is thrown away)."""
        for name, handler in self._listeners:
            getattr(self.board.events, name).disconnect(handler)
        self._listeners.clear()
        with contextlib.suppress(RuntimeError, TypeError):
            self.selectionChanged.disconnect(self._scene_selection_changed)
        self._build_timer.stop()
        self._layout_timer.stop()
        self._pending.clear()
        self._pending_ids.clear()
        self._items.clear()
        self.clear()

    def _make(self, collection: str, entity_id: str) -> BoardItem:
        editable = self.editor is not None
        factories: dict[str, Callable[[], BoardItem]] = {
            "nodes": lambda: NodeItem(entity_id, self, editable), "edges": lambda: EdgeItem(entity_id, self),
            "queues": lambda: QueueItem(entity_id, self), "loops": lambda: LoopItem(entity_id, self, editable),
            "cascades": lambda: CascadeItem(entity_id, self), "flows": lambda: FlowItem(entity_id, self),
            "stages": lambda: StageItem(entity_id, self),
            "annotations": lambda: AnnotationItem(entity_id, self, editable),
        }
        return factories[collection]()

    def rebuild(self) -> None:
        """Throw away every item and build one per entity (open, revert, reset). A ``chunked``
        scene builds a big board in steps of ``STEP_MS`` from the event loop (``building``)."""
        self._build_timer.stop()
        self._pending.clear()
        self._pending_ids.clear()
        self._far_backlog = []
        self._previous_labels = None
        count = sum(len(self.board.items(c)) for c in DRAWN)
        self._big = self.chunked and count > BIG_BOARD
        self._fix_index(count)
        if self._big:
            self._start_chunked()
            return
        with self._relabel():
            self._rebuild()

    def _fix_index(self, count: int) -> None:
        """On a big board, the scene's rectangle and index depth are set before the items come: left
        to grow, Qt re-indexed every item each time the rectangle grew or the item count doubled
        (whole seconds on a 20,000-node board). The rectangle grows again when an item leaves it."""
        if not self._big:
            self.setSceneRect(QRectF())  # automatic again
            self.setBspTreeDepth(0)
            return
        self.setBspTreeDepth(max(5, math.ceil(math.log2(count + 2))))  # Qt's own choice for that many items
        self.setSceneRect(QRectF())
        self._grow_scene_rect(self._nodes_rect())

    def _grow_scene_rect(self, rect: QRectF) -> None:
        if self._big and not rect.isEmpty() and not self.sceneRect().contains(rect):
            margin = max(2000.0, rect.width(), rect.height())
            self.setSceneRect(self.sceneRect().united(rect).adjusted(-margin, -margin, margin, margin))

    @property
    def building(self) -> bool:
        """Items are still being built (a big board just opened); edits meanwhile are kept."""
        return bool(self._pending_ids)

    def build_all(self) -> None:
        """Finish a chunked build now (before an export or a test looks at every item)."""
        while self._pending_ids:
            self._build_step(deadline=math.inf)

    def _clear_items(self) -> None:
        self._shown_labels.clear()
        many = len(self._items) > BIG_BOARD
        depth = self.bspTreeDepth()
        if many:  # taking each item out of the index, one by one, was most of re-opening a big board
            self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self._syncing_selection = True
        try:
            for item in self._items.values():
                self.removeItem(item)
        finally:
            self._syncing_selection = False
            if many:  # (a new index: the few items left are indexed again, at the depth set before)
                self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
                self.setBspTreeDepth(depth)
        self._items.clear()
        self.far_edges.invalidate()  # every edge it drew is gone
        self._pairs.clear()
        for edge in self.board.edges:
            self._pairs.setdefault(self._pair(edge), []).append(edge.id)

    def _start_chunked(self) -> None:
        self._labels = None
        self._label_generation += 1
        self._clear_items()
        for collection in DRAWN:  # nodes first: what follows is drawn between them
            for entity in self.board.items(collection):
                self._pending.append((collection, entity.id))
                self._pending_ids.add(entity.id)
        self._build_total = len(self._pending)
        if BoardScene._froze_board:  # a big board opened over another: its frozen items may be garbage now
            gc.unfreeze()
            gc.collect()
        gc.collect(1)  # the board just read is kept: out of the collector's full passes (see _finish_chunked)
        gc.freeze()
        BoardScene._froze_board = True
        self.legend.setVisible(self.board.layers.legend)
        if self.selection is not None:
            self.selection.prune({i for i in self.selection.ids if self.board.find(i) is not None})
        self.build_progress.emit(0, self._build_total)
        if self._pending_ids:
            self._build_timer.start()
        else:
            self._finish_chunked()

    def _build_step(self, deadline: float | None = None) -> None:
        """Build pending items for ``STEP_MS``; each from the board's version now (edits made since
        the open are in it), selected if the selection holds it."""
        end = time.perf_counter() + STEP_MS / 1000 if deadline is None else deadline
        wanted = set(self.selection.ids) if self.selection is not None else set()
        self._syncing_selection = self._building = True
        try:
            while self._pending and time.perf_counter() < end:
                for _ in range(min(16, len(self._pending))):
                    collection, entity_id = self._pending.popleft()
                    if entity_id not in self._pending_ids:
                        continue  # deleted meanwhile (or queued twice)
                    self._pending_ids.discard(entity_id)
                    found = self.board.find(entity_id)
                    if found is None or found[0] != collection or entity_id in self._items:
                        continue
                    item = self._add_item(collection, found[1])
                    item.sync()
                    if collection != "edges":  # (an edge lies between its nodes)
                        self._grow_scene_rect(item.sceneBoundingRect())
                    if entity_id in wanted:
                        item.setSelected(True)
        finally:
            self._syncing_selection = self._building = False
        if self._pending_ids and not self._pending:  # (never seen) ids left without a queue entry: queue them
            self._pending.extend((c, e.id) for c in DRAWN for e in self.board.items(c) if e.id in self._pending_ids)
            self._pending_ids.intersection_update(i for _c, i in self._pending)
        if self._pending_ids:
            if len(self._far_backlog) >= max(500, FAR_FLUSH_SHARE * self._build_total):
                self._flush_far()
            self.build_progress.emit(self._build_total - len(self._pending_ids), self._build_total)
            self._build_timer.start()
        else:
            self._pending.clear()
            self._flush_far()
            self._finish_chunked()

    def _finish_chunked(self) -> None:
        # (far drawing: each edge built told ``far_edges`` itself; regrouping all of them again
        # here took a second on a 20,000-edge board)
        self._build_timer.stop()
        # The board and its items live as long as the board is open: the cyclic garbage collector
        # walked all of them on each full pass (a quarter second at 5,000 nodes, growing with the
        # board). Young garbage is collected first; what is frozen is still freed by reference count.
        gc.collect(1)
        gc.freeze()
        self._place_legend()
        if self.selection is not None:
            self._apply_selection(self.selection.ids)
        self._settle_labels()
        self.build_progress.emit(self._build_total, self._build_total)

    def _rebuild(self) -> None:
        self._clear_items()
        self._syncing_selection = self._building = True
        try:
            for collection in DRAWN:
                for entity in self.board.items(collection):
                    self._add_item(collection, entity)
            for collection in DRAWN:
                for entity in self.board.items(collection):
                    self._items[entity.id].sync()
        finally:
            self._syncing_selection = self._building = False
        if self._far:
            self.far_edges.fit()
            self.far_edges.invalidate()
        self.legend.setVisible(self.board.layers.legend)
        self._place_legend()
        if self.selection is not None:
            self.selection.prune({i for i in self.selection.ids if self.board.find(i) is not None})
            self._apply_selection(self.selection.ids)

    @staticmethod
    def _pair(edge: Any) -> tuple[str, str]:
        return (edge.source, edge.target) if edge.source < edge.target else (edge.target, edge.source)

    def _add_item(self, collection: str, entity: Any) -> BoardItem:
        entity_id = entity.id
        item = self._make(collection, entity_id)
        item.set_entity(entity)
        if self._far and isinstance(item, EdgeItem):
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self._items[entity_id] = item
        self.addItem(item)
        return item

    def _added(self, collection: str, entity: Any) -> None:
        if self._pending_ids:  # a chunked build is on: the new item is built in its turn
            if collection == "edges":
                siblings = self._pairs.setdefault(self._pair(entity), [])
                if entity.id not in siblings:
                    siblings.append(entity.id)
                self._sync_ids(siblings)
            self._pending.append((collection, entity.id))
            self._pending_ids.add(entity.id)
            return
        with self._relabel():
            self._add(collection, entity)

    def _add(self, collection: str, entity: Any) -> None:
        if collection == "edges":
            self._pairs.setdefault(self._pair(entity), []).append(entity.id)
        item = self._add_item(collection, entity)
        item.sync()
        self._grow_scene_rect(item.sceneBoundingRect())
        if collection == "edges":
            self._sync_ids(self._pairs[self._pair(entity)])
        elif collection == "nodes":
            self._sync_ids(self._dependents_of_node(entity.id))
        elif collection == "cascades":
            self._sync_collection("cascades")
        elif collection == "flows":
            self._sync_collection("flows")
        elif collection == "queues" and entity.edge is not None:
            self._sync_ids([entity.edge, *self._queue_ids_on(edge=entity.edge)])
        elif collection == "queues" and entity.node is not None:
            self._sync_ids(self._queue_ids_on(node=entity.node))
        self._place_legend()

    def _changed(self, collection: str, old: Any, new: Any) -> None:
        with self._relabel():
            self._change(collection, old, new)

    def _change(self, collection: str, old: Any, new: Any) -> None:
        if collection == "edges" and self._pair(old) != self._pair(new) \
                and old.id in self._pairs.get(self._pair(old), []):
            self._pairs[self._pair(old)].remove(old.id)
            self._pairs.setdefault(self._pair(new), []).append(new.id)
            self._sync_ids(self._pairs[self._pair(old)])
        item = self._items.get(new.id)
        if item is None:
            return  # not built yet: a chunked build makes it from the board's version
        item.set_entity(new)
        item.sync()
        self._grow_scene_rect(item.sceneBoundingRect())
        if collection == "nodes" and (old.x, old.y) == (new.x, new.y):
            return  # moved nodes tell their dependents through node_geometry_changed
        if collection == "edges":
            self._sync_ids([*self._pairs[self._pair(new)], *self._queue_ids_on(edge=new.id)])
        elif collection == "queues":
            self._sync_ids([i for i in (old.edge, new.edge) if i] + self._queue_ids_on(node=new.node or old.node))
        self._place_legend()

    def _removed(self, collection: str, entity: Any) -> None:
        with self._relabel():
            self._remove(collection, entity)

    def _remove(self, collection: str, entity: Any) -> None:
        self._pending_ids.discard(entity.id)
        item = self._items.pop(entity.id, None)
        if item is not None:
            self.removeItem(item)
        if collection == "edges" and isinstance(item, EdgeItem):
            self.edges_changed(item)
        if collection == "edges":
            siblings = self._pairs.get(self._pair(entity), [])
            if entity.id in siblings:
                siblings.remove(entity.id)
            self._sync_ids(siblings)
        elif collection == "queues":
            self._sync_ids([i for i in (entity.edge,) if i] + self._queue_ids_on(node=entity.node))
        elif collection in ("cascades", "flows"):
            self._sync_collection(collection)
        self._place_legend()

    def _sync_ids(self, ids: Iterable[str | None]) -> None:
        for entity_id in dict.fromkeys(ids):
            item = self._items.get(entity_id) if entity_id else None
            found = self.board.find(entity_id) if item is not None and entity_id else None
            if item is not None and found is not None:
                item.set_entity(found[1])
                item.sync()

    def _sync_collection(self, collection: str) -> None:
        self._sync_ids(e.id for e in self.board.items(collection))

    def _queue_ids_on(self, node: str | None = None, edge: str | None = None) -> list[str]:
        return [q.id for q in self.board.items("queues")
                if (node is not None and q.node == node) or (edge is not None and q.edge == edge)]

    def _dependents_of_node(self, node_id: str) -> list[str]:
        """Items whose geometry follows a node: its edges, their queues, and the
        loops, cascades, flows and stages through it."""
        edges = [e.id for e in self.board.edges_of(node_id)] if node_id in self._items else []
        ids = list(edges)
        edge_set = set(edges)
        ids += [q.id for q in self.board.items("queues") if q.node == node_id or q.edge in edge_set]
        ids += [x.id for x in self.board.items("loops") if node_id in x.nodes and (x.x is None or x.y is None)]
        ids += [x.id for x in self.board.items("cascades") if node_id in x.path]
        ids += [x.id for x in self.board.items("flows") if any(h.node == node_id for h in x.hops)]
        ids += [x.id for x in self.board.items("stages") if node_id in x.nodes]
        return ids

    def node_geometry_changed(self, node_id: str) -> None:
        """A node item moved (a drag, or the board moved it): follow it."""
        if node_id in self._items and not self._building:
            self._grow_scene_rect(self._items[node_id].sceneBoundingRect())
            with self._relabel():
                self._sync_ids(self._dependents_of_node(node_id))

    # --- labels: placed together, clear of one another (app/labels.py) --------------------

    @contextlib.contextmanager
    def _relabel(self) -> Any:
        """Around a change: the labels are placed afresh, and every item whose label moved
        (not only the changed ones) is synced to its new place."""
        self._labels = None
        self._label_generation += 1
        self._relabelling += 1
        try:
            yield
        finally:
            self._relabelling -= 1
            if not self._relabelling:
                self._settle_labels()

    def _settle_labels(self) -> None:
        if self._big and self._labels is None:
            if not self._pending_ids:  # a chunked build settles them at its end
                self._layout_timer.start()
            return
        layout = self.label_layout()
        owners = [key[1] for key, placed in layout.placed.items() if self._shown_labels.get(key) != placed]
        owners += [key[1] for key in self._shown_labels if key not in layout.placed]
        for key in [key for key in self._shown_labels if key not in layout.placed]:
            del self._shown_labels[key]
        self._sync_ids(owners)

    def label_layout(self) -> LabelLayout:
        """Where every label goes now (node items' positions, the canvas fonts at the current scale).
        On a big board it is placed on a worker thread: until it arrives, where they were."""
        if self._labels is None and self._big:
            if not self._pending_ids:
                self._layout_timer.start()
            return self._previous_labels or LabelLayout()
        if self._labels is None:
            self._labels = place_labels(self._label_input(), CanvasMetrics())
        return self._labels

    def _label_input(self) -> LabelInput:
        board = self.board
        centres = {i: (item.pos().x(), item.pos().y()) for i, item in self._items.items() if isinstance(item, NodeItem)}
        edges = [e for e in board.edges if e.id in self._items]
        return LabelInput(centres=centres, edges=edges, queues=board.items("queues"),
                          loops=board.items("loops"), cascades=board.items("cascades"),
                          flows=board.items("flows"), stages=board.items("stages"),
                          annotations=board.items("annotations"),
                          bends={e.id: self.edge_bend(e.id) for e in edges})

    def _start_layout(self) -> None:
        """Place a big board's labels on a worker thread; one placement at a time, the newest wanted."""
        if self._layout_running or self._labels is not None or self._pending_ids:
            return
        if self._layout_jobs is None:
            self._layout_jobs = JobRunner(self, max_threads=1)
        self._layout_running = True
        generation = self._label_generation
        self._layout_jobs.submit(_layout_job, {c: list(self.board.items(c)) for c in DRAWN},
                                 on_done=lambda layout: self._layout_done(generation, layout),
                                 on_error=lambda _message: self._layout_done(generation, None))

    def _layout_done(self, generation: int, layout: LabelLayout | None) -> None:
        self._layout_running = False
        if generation != self._label_generation:
            self._layout_timer.start()  # the board changed meanwhile: place them again
            return
        if layout is None:  # the placement failed: the labels stay where they were
            layout = self._previous_labels or LabelLayout()
        self._labels = self._previous_labels = layout
        self._settle_labels()

    def placed_label(self, kind: str, entity_id: str, index: int = 0) -> Placed | None:
        """An item's label as placed (``None``: it has none); the scene notes what the item drew."""
        key = (kind, entity_id, index)
        placed = self.label_layout().get(key)
        if placed is not None:
            self._shown_labels[key] = placed
        else:
            self._shown_labels.pop(key, None)
        return placed

    # --- what items ask the scene (see host.ItemHost) -----------------------------------

    @property
    def layers(self) -> Layers:
        return self.board.layers

    def node_ids(self) -> list[str]:
        return [n.id for n in self.board.nodes]

    def annotation_shown(self, step_id: str | None) -> bool:
        """Whether an annotation of step ``step_id`` (None: of no step) is drawn, layers aside."""
        return not self._notes_filtered or step_id is None or step_id == self._notes_step

    def show_notes_of(self, step_id: str | None, filtered: bool = True) -> None:
        """View state: draw the annotations of no step and of step ``step_id`` only (all of them
        when not ``filtered``, as a scene made for an export does). Newly shown ones that are
        selected are selected on the canvas again. See docs/recording.md."""
        if (filtered, step_id) == (self._notes_filtered, self._notes_step):
            return
        self._notes_filtered, self._notes_step = filtered, step_id
        gone: set[str] = set()
        self._syncing_selection = True  # only the notes hidden here leave the selection, nothing else
        try:
            for entity_id, item in self._items.items():
                if isinstance(item, AnnotationItem) and item.entity().step is not None:
                    shown = self.layers.annotations and self.annotation_shown(item.entity().step)
                    if item.isVisible() and not shown:
                        gone.add(entity_id)
                    item.setVisible(shown)
        finally:
            self._syncing_selection = False
        if self.selection is not None:
            kept = [i for i in self.selection.ids if i not in gone]
            if kept != self.selection.ids:
                self.selection.select(kept)
            else:
                self._apply_selection(kept)

    def stage_number(self, stage_id: str) -> int:
        """A stage's place in the pipeline, from 1."""
        return self.board.index_of("stages", stage_id) + 1

    def item_for(self, entity_id: str) -> BoardItem | None:
        return self._items.get(entity_id)

    def entity_items(self) -> dict[str, BoardItem]:
        return dict(self._items)

    def node_centre(self, node_id: str) -> QPointF | None:
        item = self._items.get(node_id)
        return item.pos() if isinstance(item, NodeItem) else None

    def edge_bend(self, edge_id: str) -> float:
        edge = self.board.edge(edge_id)
        siblings = self._pairs.get(self._pair(edge), [edge_id])
        if len(siblings) < 2:
            return 0.0
        offset = (siblings.index(edge_id) - (len(siblings) - 1) / 2) * BEND
        if len(siblings) == 2:
            offset = BEND / 2 if siblings.index(edge_id) else -BEND / 2
        canonical = edge.source < edge.target
        return offset if canonical else -offset

    def queues_on_edge(self, edge_id: str) -> list[str]:
        return self._queue_ids_on(edge=edge_id)

    def queue_anchor(self, queue_id: str) -> QPointF | None:
        queue = self.board.get("queues", queue_id)
        if queue.node is not None:
            centre = self.node_centre(queue.node)
            if centre is None:
                return None
            slot = self._queue_ids_on(node=queue.node).index(queue_id)
            return queue_slot(centre, slot)
        item = self._items.get(queue.edge) if queue.edge is not None else None
        if not isinstance(item, EdgeItem):
            return None
        slot = self._queue_ids_on(edge=queue.edge).index(queue_id)
        return item.queue_point() + QPointF(0, 22 * slot)

    def loop_centre(self, loop_id: str) -> QPointF:
        loop = self.board.get("loops", loop_id)
        centres = {n: (c.x(), c.y()) for n in loop.nodes if (c := self.node_centre(n)) is not None}
        return QPointF(*loop_centre(loop, centres))

    def cascade_rank(self, cascade_id: str) -> int:
        return self.board.index_of("cascades", cascade_id) % 4

    def flow_rank(self, flow_id: str) -> int:
        return self.board.index_of("flows", flow_id)

    def set_highlight(self, ids: Iterable[str], colour: QColor | None) -> None:
        """Light up items (a loop's members on hover); an empty list clears."""
        wanted = set(ids)
        for entity_id, item in self._items.items():
            item.set_highlight(colour if entity_id in wanted and colour is not None else None)

    # --- zoomed far out: edges drawn together (see far.py) ----------------------------

    @property
    def printing(self) -> bool:
        """True while an export renders the scene: no selection marks, every edge paints itself."""
        return self._printing

    @printing.setter
    def printing(self, value: bool) -> None:
        self._printing = value
        self._apply_far()

    def set_far(self, far: bool) -> None:
        """The view is zoomed out below ``FAR_LOD``: draw the edges in one ``FarEdges`` paint."""
        self._far_wanted = far
        self._apply_far()

    def _apply_far(self) -> None:
        far = self._far_wanted and not self._printing
        if far == self._far:
            return
        self._far = far
        for item in self._edge_items():
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, far)
            item.update()
        if far:
            self.far_edges.fit()
            self.far_edges.invalidate()
        self.far_edges.setVisible(far)

    def _edge_items(self) -> list[EdgeItem]:
        return [item for item in self._items.values() if isinstance(item, EdgeItem)]

    def edges_changed(self, item: QGraphicsItem | None = None, geometry: bool = False) -> None:
        """An edge item changed (``geometry``: moved, came or went): the far drawing follows."""
        if self._far and self._building and self._pending_ids and isinstance(item, EdgeItem):
            self._far_backlog.append(item)
        elif self._far:
            self.far_edges.invalidate(item if isinstance(item, EdgeItem) else None, geometry)

    def _flush_far(self) -> None:
        backlog, self._far_backlog = self._far_backlog, []
        if self._far:
            for item in backlog:
                if item.scene() is self:
                    self.far_edges.invalidate(item, geometry=True)

    # --- the overlay hook -----------------------------------------------------------

    def set_overlays(self, overlays: dict[str, Overlay | None]) -> None:
        """Lay live looks over items by id (see ``style.Overlay``); the board is untouched."""
        for entity_id, overlay in overlays.items():
            item = self._items.get(entity_id)
            if item is not None:
                item.overlay = overlay

    def clear_overlays(self) -> None:
        for item in self._items.values():
            item.overlay = None

    # --- layers, theme, legend -------------------------------------------------------

    def apply_layers(self) -> None:
        layers = self.board.layers
        for item in self._items.values():
            if isinstance(item, (QueueItem, LoopItem, CascadeItem, FlowItem, StageItem, AnnotationItem, EdgeItem)):
                item.sync()
            else:
                item.restyle()
        self.legend.setVisible(layers.legend)
        self._place_legend()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.legend.theme = theme
        self.setBackgroundBrush(QBrush(QColor(theme.background)))
        for item in self._items.values():
            item.restyle()
        self.update()

    def set_text_scale(self, factor: float) -> None:
        """The presentation scale (view state): labels, badges, the legend and the HUD grow by
        ``factor``; nothing of the board changes. Items are re-measured so that nothing they
        drew before is left behind."""
        set_text_scale(factor)
        self._labels = None  # measured again at the new size
        for item in self._items.values():
            shown = item.isVisible()  # a reveal walk may hide what the layers would show
            item.prepareGeometryChange()
            item.sync()
            item.setVisible(shown)
        self.legend.setScale(factor)
        self._place_legend()
        self.edges_changed(geometry=True)
        self.update()

    def _place_legend(self) -> None:
        """Right of the board, hidden or not: a reveal walk fits its camera to where the legend
        will appear before it does."""
        rect = QRectF()
        if self._big:  # the nodes' span from the board, then what is drawn around them: not 40,000 rects
            rect = self._nodes_rect()
        for item in self._items.values():  # hidden ones too: the legend stays put during a reveal walk
            if not (self._big and isinstance(item, (NodeItem, EdgeItem))):
                rect = rect.united(item.sceneBoundingRect())
        self.legend.setPos(rect.right() + 40, rect.top())

    def _nodes_rect(self) -> QRectF:
        """Where the board's nodes are drawn, from their positions on the board."""
        nodes = self.board.nodes
        if not nodes:
            return QRectF()
        xs, ys = [n.x for n in nodes], [n.y for n in nodes]
        box = NodeItem.RECT.adjusted(-12, -22, 14, 12)  # NodeItem.boundingRect
        return QRectF(min(xs) + box.left(), min(ys) + box.top(), max(xs) - min(xs) + box.width(),
                      max(ys) - min(ys) + box.height())

    def content_rect(self, ids: Iterable[str] | None = None, include_legend: bool = True) -> QRectF:
        """The bounding rectangle of the visible items (of ``ids`` if given)."""
        rect = QRectF()
        items = self._items.values() if ids is None else [self._items[i] for i in ids if i in self._items]
        for item in items:
            if item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        if ids is None and self._pending_ids:  # a chunked build: where the nodes will be
            rect = rect.united(self._nodes_rect())
        if include_legend and ids is None and self.legend.isVisible():
            rect = rect.united(self.legend.sceneBoundingRect())
        return rect

    def drawBackground(self, painter: QPainter, exposed: QRectF | QRect) -> None:
        rect = QRectF(exposed)
        # on screen, past the clip: no half-covered edge pixels over the last frame (the view paints opaque)
        bleed = 0.0 if self.printing else 2.0 / (painter.worldTransform().m11() or 1.0)
        painter.fillRect(rect.adjusted(-bleed, -bleed, bleed, bleed), QColor(self.theme.background))
        if not self.show_grid or self.printing:
            return
        if painter.hasClipping():
            rect = rect.intersected(painter.clipBoundingRect())
        scale = painter.worldTransform().m11()
        step = self.grid_size * (1 if scale >= 0.6 else 5 if scale >= 0.15 else 25)
        step_px = step * scale
        if step_px < 6:
            return
        # one dotted line per grid row: a dash pattern puts a dot every step (cheap at any size)
        pen = QPen(QColor(self.theme.grid), 2.0, Qt.PenStyle.CustomDashLine, Qt.PenCapStyle.FlatCap)
        pen.setCosmetic(True)
        pen.setDashPattern([1.0, step_px / 2.0 - 1.0])
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(pen)
        left = math.floor(rect.left() / step) * step - step / (2 * step_px)
        y = math.floor(rect.top() / step) * step
        lines = []
        while y <= rect.bottom():
            lines.append(QLineF(left, y, rect.right() + step, y))
            y += step
        painter.drawLines(lines)
        painter.restore()

    # --- selection ---------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        return [i.entity_id for i in self.selectedItems() if isinstance(i, BoardItem) and i.entity_id]

    def _scene_selection_changed(self) -> None:
        if self._syncing_selection or self.selection is None:
            return
        now = set(self.selected_ids())
        ordered = [i for i in self.selection.ids if i in now]
        ordered += [i for i in self.selected_ids() if i not in ordered]
        self.selection.select(ordered)

    def _apply_selection(self, ids: list[str]) -> None:
        self._syncing_selection = True
        try:
            wanted = set(ids)
            for entity_id, item in self._items.items():
                if item.isSelected() != (entity_id in wanted):
                    item.setSelected(entity_id in wanted)
        finally:
            self._syncing_selection = False

    # --- moves: one command per drag (see interactions.MoveInteraction) ------------------

    def movable_selection(self) -> dict[str, QPointF]:
        """Where each selected movable item is: what a drag starting now moves."""
        movable = QGraphicsItem.GraphicsItemFlag.ItemIsMovable
        return {i.entity_id: i.pos() for i in self.selectedItems() if isinstance(i, BoardItem) and i.flags() & movable}

    def commit_drag(self, pressed: dict[str, QPointF]) -> None:
        """Turn where dragged items ended up (from ``pressed``) into one undoable command."""
        if self.editor is None or not pressed:
            return
        moved = {i: self._items[i].pos() for i, p in pressed.items() if i in self._items and self._items[i].pos() != p}
        if not moved:
            return
        nodes = {i: (p.x(), p.y()) for i, p in moved.items() if isinstance(self._items[i], NodeItem)}
        others = {i: p for i, p in moved.items() if not isinstance(self._items[i], NodeItem)}
        if not others:
            self.editor.move_nodes(nodes)
            return
        with self.editor.macro(f"Move {len(moved)} items"):
            if nodes:
                self.editor.move_nodes(nodes)
            for entity_id, p in others.items():
                collection = self._items[entity_id].collection
                self.editor.update(collection, entity_id, x=p.x(), y=p.y())
