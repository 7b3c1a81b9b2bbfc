"""The view: zoom, pan, and the gestures that draw (double-click to add,
drag from a node's rim to connect, drop a kind from the palette, edit a
label in place, quick-add box). Every edit goes through the editor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QKeyEvent, QMouseEvent, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsLineItem,
    QGraphicsView,
    QMenu,
)

from app.ui.canvas.editors import LabelEditor, QuickAddBox
from app.ui.canvas.items import FAR_LOD, EdgeItem, NodeItem
from app.ui.canvas.marks import AnnotationItem
from app.ui.canvas.scene import BoardScene
from app.ui.canvas.style import KIND_NAMES, snap_point
from models.entities import NODE_KINDS
from models.errors import BoardError

KIND_MIME = "application/x-cascade-board-kind"
MIN_ZOOM, MAX_ZOOM = 0.05, 6.0
class BoardView(QGraphicsView):
    """Shows a ``BoardScene``; wheel zooms under the cursor, space-drag and the
    middle button pan, the rim of a node drags out a connection."""

    zoom_changed = Signal(float)
    status_message = Signal(str)
    file_dropped = Signal(str)

    def __init__(self, scene: BoardScene, parent: Any = None) -> None:
        super().__init__(scene, parent)
        self.board_scene = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setAcceptDrops(True)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSceneRect(QRectF(-50_000, -50_000, 100_000, 100_000))
        self.context_menu_builder: Callable[[QMenu, Any, QPointF], None] | None = None
        self._space = False
        self._pan_from: QPoint | None = None
        self._connect_from: str | None = None
        self._connect_line: QGraphicsLineItem | None = None
        self._connect_target: NodeItem | None = None
        self._last_mouse = QPoint()
        self._mouse_inside = False
        self.label_editor = LabelEditor(self.viewport(), self._commit_label)
        self.quick_add = QuickAddBox(self.viewport())
        self.quick_add.accepted.connect(self._quick_add_accepted)
        self._quick_add_at = QPointF()
        self._quick_add_from: str | None = None
        self.zoom_changed.connect(lambda zoom: scene.set_far(zoom < FAR_LOD))

    @property
    def editor(self) -> Any:
        return self.board_scene.editor

    # --- zoom -------------------------------------------------------------------------

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        centre = anchor if anchor is not None else self.mapToScene(self.viewport().rect().center())
        self.resetTransform()
        self.scale(factor, factor)
        self.centerOn(centre)
        self.zoom_changed.emit(self.zoom())

    def zoom_by(self, step: float) -> None:
        old_anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        factor = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom() * step)) / self.zoom()
        self.scale(factor, factor)
        self.setTransformationAnchor(old_anchor)
        self.zoom_changed.emit(self.zoom())

    def zoom_to_fit(self) -> None:
        self.fit_rect(self.board_scene.content_rect())

    def zoom_to_selection(self) -> None:
        ids = self.board_scene.selected_ids()
        self.fit_rect(self.board_scene.content_rect(ids) if ids else self.board_scene.content_rect())

    def fit_rect(self, rect: QRectF) -> None:
        if rect.isNull() or rect.isEmpty():
            self.set_zoom(1.0, QPointF(0, 0))
            return
        rect = rect.adjusted(-40, -40, 40, 40)
        view = self.viewport().rect()
        factor = min(view.width() / rect.width(), view.height() / rect.height())
        self.set_zoom(min(factor, 2.0), rect.center())

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.angleDelta().x()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - delta)
            return
        if not delta:
            return
        factor = 1.0015 ** delta
        target = max(MIN_ZOOM, min(MAX_ZOOM, self.zoom() * factor))
        pos = event.position().toPoint()
        anchor = self.mapToScene(pos)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.scale(target / self.zoom(), target / self.zoom())
        drift = self.mapToScene(pos) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(drift.x() * self.zoom()))
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(drift.y() * self.zoom()))
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.zoom_changed.emit(self.zoom())
        event.accept()

    # --- mouse: pan, connect, double-click -----------------------------------------------------

    def node_at(self, pos: QPoint) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._last_mouse = event.position().toPoint()
        if self.label_editor.isVisible():
            self.label_editor.finish()
        if self.quick_add.isVisible():
            self.quick_add.hide()
        if event.button() == Qt.MouseButton.MiddleButton or (
                event.button() == Qt.MouseButton.LeftButton and self._space):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton and self.editor is not None \
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            node = self.node_at(event.position().toPoint())
            local = node.mapFromScene(self.mapToScene(event.position().toPoint())) if node else None
            if node is not None and local is not None and node.in_connect_zone(local):
                self._start_connect(node)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._last_mouse = event.position().toPoint()
        self._mouse_inside = True
        if self._pan_from is not None:
            delta = event.position().toPoint() - self._pan_from
            self._pan_from = event.position().toPoint()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        if self._connect_from is not None:
            self._drag_connect(event.position().toPoint())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.LeftButton):
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor if self._space else Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        if self._connect_from is not None:
            self._finish_connect(event.position().toPoint())
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.editor is None:
            super().mouseDoubleClickEvent(event)
            return
        pos = event.position().toPoint()
        node = self.node_at(pos)
        if node is not None:
            self.edit_label(node.entity_id)
            return
        for item in self.items(pos):
            if isinstance(item, (EdgeItem, AnnotationItem)):
                self.edit_label(item.entity_id)
                return
        if self.itemAt(pos) is None:
            self.add_node_at(self.mapToScene(pos), "service", "New service", edit=True)
            return
        super().mouseDoubleClickEvent(event)

    def _start_connect(self, node: NodeItem) -> None:
        self._connect_from = node.entity_id
        line = QGraphicsLineItem()
        line.setPen(QPen(QColor(self.board_scene.theme.selection), 2, Qt.PenStyle.DashLine))
        line.setZValue(50)
        line.setLine(node.pos().x(), node.pos().y(), node.pos().x(), node.pos().y())
        self.board_scene.addItem(line)
        self._connect_line = line
        self.status_message.emit("Drop on another node to connect (Esc cancels)")

    def _drag_connect(self, pos: QPoint) -> None:
        source = self.board_scene.item_for(self._connect_from or "")
        if source is None or self._connect_line is None:
            self._cancel_connect()
            return
        target = self.node_at(pos)
        if target is not None and target.entity_id == self._connect_from:
            target = None
        if target is not self._connect_target:
            if self._connect_target is not None:
                self._connect_target.set_highlight(None)
            if target is not None:
                target.set_highlight(QColor(self.board_scene.theme.selection))
            self._connect_target = target
        end = target.pos() if target is not None else self.mapToScene(pos)
        self._connect_line.setLine(source.pos().x(), source.pos().y(), end.x(), end.y())

    def _finish_connect(self, pos: QPoint) -> None:
        source = self._connect_from
        target = self.node_at(pos)
        self._cancel_connect()
        if source is None:
            return
        if target is None and self.itemAt(pos) is None:
            self._connect_to_new_node(source, self.mapToScene(pos))
            return
        if target is None or target.entity_id == source:
            return
        try:
            edge_id = self.editor.connect(source, target.entity_id)
        except BoardError as error:
            self.status_message.emit(str(error))
            return
        self.board_scene.selection.select([edge_id]) if self.board_scene.selection else None

    def _connect_to_new_node(self, source: str, pos: QPointF) -> None:
        """Dropped on empty canvas: a new node there, called by the source (one undo step)."""
        item = self.board_scene.item_for(source)
        if item is None or (item.pos() - pos).manhattanLength() < 120:
            return
        if self.board_scene.snap_enabled:
            pos = snap_point(pos, self.board_scene.grid_size)
        kind = self.board_scene.board.node(source).kind
        try:
            with self.editor.macro("Add and connect node"):
                node_id = self.editor.add_node(kind if kind != "users" else "gateway", "New service",
                                               round(pos.x(), 1), round(pos.y(), 1))
                self.editor.connect(source, node_id)
        except BoardError as error:
            self.status_message.emit(str(error))
            return
        if self.board_scene.selection is not None:
            self.board_scene.selection.select([node_id])
        self.edit_label(node_id)

    def _cancel_connect(self) -> None:
        if self._connect_line is not None:
            self.board_scene.removeItem(self._connect_line)
        if self._connect_target is not None:
            self._connect_target.set_highlight(None)
        self._connect_line = None
        self._connect_target = None
        self._connect_from = None

    # --- keys ----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.setDragMode(QGraphicsView.DragMode.NoDrag)
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            if self._connect_from is not None:
                self._cancel_connect()
            elif self.board_scene.selection is not None:
                self.board_scene.selection.clear()
            return
        arrows = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if key in arrows and self.editor is not None:
            step = 1.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else \
                (self.board_scene.grid_size if self.board_scene.snap_enabled else 10.0)
            self.nudge(arrows[key][0] * step, arrows[key][1] * step)
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            ids = self.board_scene.selected_ids()
            if len(ids) == 1:
                self.edit_label(ids[0])
                return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self._pan_from = None
            self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
            self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def nudge(self, dx: float, dy: float) -> None:
        board = self.board_scene.board
        nodes = [board.node(i) for i in self.board_scene.selected_ids() if board.is_node(i)]
        if nodes:
            self.editor.move_nodes({n.id: (n.x + dx, n.y + dy) for n in nodes}, nudge=True)

    # --- adding and labels ---------------------------------------------------------------------

    def leaveEvent(self, event: Any) -> None:
        self._mouse_inside = False
        super().leaveEvent(event)

    def cursor_scene_pos(self) -> QPointF:
        """Where the mouse is over the canvas, or the centre of the view."""
        if self._mouse_inside and self.viewport().rect().contains(self._last_mouse):
            return self.mapToScene(self._last_mouse)
        local = self.viewport().mapFromGlobal(QCursor.pos())
        if self.viewport().rect().contains(local):
            return self.mapToScene(local)
        return self.mapToScene(self.viewport().rect().center())

    def add_node_at(self, pos: QPointF, kind: str, label: str, edit: bool = False) -> str | None:
        if self.board_scene.snap_enabled:
            pos = snap_point(pos, self.board_scene.grid_size)
        try:
            node_id = self.editor.add_node(kind, label, round(pos.x(), 1), round(pos.y(), 1))
        except BoardError as error:
            self.status_message.emit(str(error))
            return None
        if self.board_scene.selection is not None:
            self.board_scene.selection.select([node_id])
        if edit:
            self.edit_label(node_id)
        return str(node_id)

    def open_quick_add(self, connected: bool = False) -> None:
        """The quick-add box at the cursor; ``connected``: the new node goes right of
        the one selected node and is called by it."""
        self._quick_add_from = None
        self._quick_add_at = self.cursor_scene_pos()
        if connected:
            board = self.board_scene.board
            nodes = [i for i in self.board_scene.selected_ids() if board.is_node(i)]
            if len(nodes) != 1:
                self.status_message.emit("Select the one node the new node is called by")
                return
            self._quick_add_from = nodes[0]
            self._quick_add_at = self.free_spot_right_of(nodes[0])
        self.quick_add.open_at(self.mapFromScene(self._quick_add_at))

    def free_spot_right_of(self, node_id: str) -> QPointF:
        """Right of a node, moving down past nodes already there."""
        node = self.board_scene.board.node(node_id)
        spot = QPointF(node.x + 260.0, node.y)
        taken = [(n.x, n.y) for n in self.board_scene.board.nodes]
        while any(abs(x - spot.x()) < 170 and abs(y - spot.y()) < 80 for x, y in taken):
            spot += QPointF(0, 100.0)
        return spot

    def _quick_add_accepted(self, label: str, kind: str) -> None:
        self.setFocus()
        source = self._quick_add_from
        if source is None or self.board_scene.board.find(source) is None:
            self.add_node_at(self._quick_add_at, kind, label)
            return
        pos = self._quick_add_at
        try:
            with self.editor.macro(f"Add '{label}' called by '{self.board_scene.board.node(source).label}'"):
                node_id = self.editor.add_node(kind, label, round(pos.x(), 1), round(pos.y(), 1))
                self.editor.connect(source, node_id)
        except BoardError as error:
            self.status_message.emit(str(error))
            return
        if self.board_scene.selection is not None:
            self.board_scene.selection.select([node_id])

    def edit_label(self, entity_id: str) -> None:
        item = self.board_scene.item_for(entity_id)
        if isinstance(item, NodeItem):
            rect = item.sceneBoundingRect()
            body = QRectF(rect.left() + 12, rect.center().y() - 14, rect.width() - 26, 28)
            view_rect = QRectF(self.mapFromScene(body.topLeft()), self.mapFromScene(body.bottomRight()))
            self.label_editor.start(entity_id, item.entity().label, view_rect)
        elif isinstance(item, EdgeItem):
            centre = self.mapFromScene(item.label_rect().center() if item.entity().label else item.midpoint())
            self.label_editor.start(entity_id, item.entity().label, QRectF(centre.x() - 90, centre.y() - 12, 180, 24))
        elif isinstance(item, AnnotationItem) and item.entity().kind in ("text", "sticky"):
            corner = self.mapFromScene(item.sceneBoundingRect().topLeft())
            self.label_editor.start(entity_id, item.entity().text, QRectF(corner.x(), corner.y(), 240, 26))

    def _commit_label(self, entity_id: str, text: str) -> None:
        found = self.board_scene.board.find(entity_id)
        if found is None:
            return
        collection, entity = found
        text = text.strip()
        field = "text" if collection == "annotations" else "label"
        if (collection == "nodes" and not text) or text == getattr(entity, field):
            return
        verb = "Edit note" if collection == "annotations" else f"Rename {collection[:-1]}"
        try:
            from models.board import validated_copy

            # editor.update's own ``text`` (the undo text) would clash with a note's ``text`` field
            self.editor.replace(collection, validated_copy(entity, {field: text}), text=f"{verb} '{text[:40]}'")
        except BoardError as error:
            self.status_message.emit(str(error))

    # --- palette drops and context menu ------------------------------------------------------

    @staticmethod
    def _board_file(data: Any) -> str | None:
        """The first dropped local file that looks like a board (or a PDF handout)."""
        for url in data.urls() if data.hasUrls() else []:
            path = url.toLocalFile()
            if path.lower().endswith((".cboard", ".pdf")):
                return str(path)
        return None

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(KIND_MIME) or self._board_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(KIND_MIME) or self._board_file(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: Any) -> None:
        path = self._board_file(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.file_dropped.emit(path)
            return
        if event.mimeData().hasFormat(KIND_MIME) and self.editor is not None:
            kind = bytes(event.mimeData().data(KIND_MIME)).decode()
            if kind in NODE_KINDS:
                self.add_node_at(self.mapToScene(event.position().toPoint()), kind, KIND_NAMES[kind], edit=True)
            event.acceptProposedAction()
            return
        super().dropEvent(event)

    def contextMenuEvent(self, event: Any) -> None:
        if self.context_menu_builder is None:
            return
        item = None
        for candidate in self.items(event.pos()):
            if getattr(candidate, "entity_id", ""):
                item = candidate
                break
        if item is not None and not item.isSelected() and self.board_scene.selection is not None:
            self.board_scene.selection.select([item.entity_id])
        menu = QMenu(self)
        self.context_menu_builder(menu, item, self.mapToScene(event.pos()))
        if not menu.isEmpty():
            menu.exec(event.globalPos())
