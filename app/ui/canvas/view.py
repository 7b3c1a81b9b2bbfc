"""The view: zoom, palette drops, labels edited in place, and the gestures and
tools of ``interactions`` (select, move, rubber band, connect, pan, quick add),
to which it hands its mouse and key events. Every edit goes through the editor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QCursor,
    QDragEnterEvent,
    QDragMoveEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmapCache,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QMenu

from app.ui.canvas.editors import LabelEditor, QuickAddBox
from app.ui.canvas.interactions import Interaction, PanInteraction, QuickAddInteraction, SelectTool
from app.ui.canvas.items import FAR_LOD, BoardItem, EdgeItem, NodeItem
from app.ui.canvas.marks import AnnotationItem
from app.ui.canvas.scene import BoardScene
from app.ui.canvas.style import KIND_NAMES, snap_point
from models.entities import NODE_KINDS
from models.errors import BoardError

KIND_MIME = "application/x-cascade-board-kind"
MIN_ZOOM, MAX_ZOOM = 0.05, 6.0
PIXMAP_CACHE_KB = 128 * 1024
"""Room for the items' device caches (``DeviceCoordinateCache`` keeps them in ``QPixmapCache``,
10 MB by default). At 100 % a full-HD view of a busy board shows some 70 nodes; a node, its halo
and its live decoration during a run take about 0.3 MB: with 10 MB each picture was dropped
before it was drawn again, and every repaint redrew every cached item (see docs/recording.md,
Performance). Only pictures of what was shown are kept, the least recently used go first."""


class BoardView(QGraphicsView):
    """Shows a ``BoardScene``; wheel zooms under the cursor. Mouse, key and wheel
    events go to the gesture in progress, else to the tool (``set_tool``); what
    they leave, Space and the middle button (pan) and ``QGraphicsView`` handle."""

    zoom_changed = Signal(float)
    tool_changed = Signal(object)
    """The tool now installed (an ``Interaction``; ``SelectTool`` when back to the default)."""
    status_message = Signal(str)
    file_dropped = Signal(str)
    files_dropped_for_import = Signal(list)
    """Dropped local files that are not boards: traces, diagrams, deployments to import."""

    def __init__(self, scene: BoardScene, parent: Any = None) -> None:
        super().__init__(scene, parent)
        self.board_scene = scene
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)  # the rubber band is an interaction
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, False)
        self.setAcceptDrops(True)
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSceneRect(QRectF(-50_000, -50_000, 100_000, 100_000))
        # the scene's background fills every exposed pixel (BoardScene.drawBackground): no fill before it
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        if QPixmapCache.cacheLimit() < PIXMAP_CACHE_KB:
            QPixmapCache.setCacheLimit(PIXMAP_CACHE_KB)
        self.context_menu_builder: Callable[[QMenu, Any, QPointF], None] | None = None
        self._tool: Interaction = SelectTool(self)
        self._gesture: Interaction | None = None
        self._tool.start()
        self._last_mouse = QPoint()
        self._mouse_inside = False
        self.label_editor = LabelEditor(self.viewport(), self._commit_label)
        self.quick_add = QuickAddBox(self.viewport())
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
        # a new zoom repaints the whole view anyway: no scroll of the old picture on the way
        # (``centerOn`` would move it, a copy of the full viewport on each frame of a camera move)
        mode = self.viewportUpdateMode()
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.NoViewportUpdate)
        try:
            self.resetTransform()
            self.scale(factor, factor)
            self.centerOn(centre)
        finally:
            self.setViewportUpdateMode(mode)
        self.viewport().update()
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
        if self._dispatch(lambda i: i.wheel, event):
            event.accept()
            return
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

    # --- interactions: the tool and the gesture in progress ----------------------------------

    def tool(self) -> Interaction:
        """The installed tool (``SelectTool`` unless another was set)."""
        return self._tool

    def set_tool(self, tool: Interaction | None) -> None:
        """Install ``tool`` until it is cancelled (Esc) or replaced; None: the default
        ``SelectTool``. A gesture in progress is cancelled first."""
        if self._gesture is not None:
            self._gesture.cancel()
        old, self._tool = self._tool, tool if tool is not None else SelectTool(self)
        if old is not self._tool:
            old.cancel()
        if not self._tool.running:
            self._tool.start()
        self.tool_changed.emit(self._tool)

    def gesture(self) -> Interaction | None:
        """The gesture in progress (a drag, a held key), if any."""
        return self._gesture

    def start_gesture(self, gesture: Interaction) -> None:
        """Run ``gesture``: it gets every event first until it finishes or is cancelled."""
        if self._gesture is not None:
            self._gesture.cancel()
        self._gesture = gesture
        gesture.start()

    def interaction_ended(self, interaction: Interaction) -> None:
        """Called by an interaction that finished or was cancelled."""
        if interaction is self._gesture:
            self._gesture = None
            if self._tool.cursor is not None:
                self.viewport().setCursor(self._tool.cursor)  # a pan over a tool showed its own
        elif interaction is self._tool:
            self.set_tool(None)

    def _dispatch(self, hook: Callable[[Interaction], Callable[[Any], bool]], event: Any) -> bool:
        """Hand ``event`` to the gesture in progress, else to the tool; True if handled.
        What a running gesture leaves unhandled goes to ``QGraphicsView``, not to the tool."""
        gesture = self._gesture
        if gesture is not None:
            handled = hook(gesture)(event)
            if handled or self._gesture is gesture:
                return handled
        return hook(self._tool)(event)

    # --- events, handed to the interactions ------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._last_mouse = event.position().toPoint()
        if self.label_editor.isVisible():
            self.label_editor.finish()
        if self._dispatch(lambda i: i.mouse_press, event):
            event.accept()
        elif event.button() == Qt.MouseButton.MiddleButton and self._gesture is None:
            self.start_gesture(PanInteraction(self, at=event.position().toPoint()))
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._last_mouse = event.position().toPoint()
        self._mouse_inside = True
        if self._dispatch(lambda i: i.mouse_move, event):
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._dispatch(lambda i: i.mouse_release, event):
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if not self._dispatch(lambda i: i.mouse_double_click, event):
            super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._dispatch(lambda i: i.key_press, event):
            event.accept()
        elif event.key() == Qt.Key.Key_Space and not event.isAutoRepeat() and self._gesture is None:
            self.start_gesture(PanInteraction(self, hold_key=True))
            event.accept()
        else:
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and self._dispatch(lambda i: i.claims_key, event):
            event.accept()
            return True
        return super().event(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if self._dispatch(lambda i: i.key_release, event):
            event.accept()
        else:
            super().keyReleaseEvent(event)

    def forward_mouse(self, event: QMouseEvent) -> None:
        """``QGraphicsView``'s own handling of a mouse event: item selection, grabs and drags."""
        handlers = {QMouseEvent.Type.MouseButtonPress: super().mousePressEvent,
                    QMouseEvent.Type.MouseMove: super().mouseMoveEvent,
                    QMouseEvent.Type.MouseButtonRelease: super().mouseReleaseEvent,
                    QMouseEvent.Type.MouseButtonDblClick: super().mouseDoubleClickEvent}
        handlers[event.type()](event)

    def update_foreground(self, rect: QRect | QRectF) -> None:
        """Repaint part of the viewport (viewport coordinates) an interaction draws on."""
        self.viewport().update(QRectF(rect).toAlignedRect().adjusted(-2, -2, 2, 2))

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawForeground(painter, rect)
        painter.save()
        painter.resetTransform()
        exposed = self.mapFromScene(QRectF(rect)).boundingRect()
        for interaction in (self._tool, self._gesture):
            if interaction is not None:
                interaction.paint_foreground(painter, QRectF(exposed))
        painter.restore()

    def node_at(self, pos: QPoint) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None
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

    def add_node_at(self, pos: QPointF, kind: str, label: str, edit: bool = False, called_by: str | None = None,
                    undo_text: str = "", snap: bool = True) -> str | None:
        """Add a node at ``pos`` (on the grid when ``snap`` and snapping is on) and select it.
        ``called_by``: an edge from that node too, one undo step named ``undo_text``;
        ``edit``: then rename it in place. The new id, or None (the reason is in the status bar)."""
        if snap and self.board_scene.snap_enabled:
            pos = snap_point(pos, self.board_scene.grid_size)
        x, y = round(pos.x(), 1), round(pos.y(), 1)
        try:
            if called_by is None:
                node_id = self.editor.add_node(kind, label, x, y)
            else:
                with self.editor.macro(undo_text or f"Add '{label}'"):
                    node_id = self.editor.add_node(kind, label, x, y)
                    self.editor.connect(called_by, node_id)
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
        if not connected:
            self.start_gesture(QuickAddInteraction(self, self.cursor_scene_pos()))
            return
        board = self.board_scene.board
        nodes = [i for i in self.board_scene.selected_ids() if board.is_node(i)]
        if len(nodes) != 1:
            self.status_message.emit("Select the one node the new node is called by")
            return
        self.start_gesture(QuickAddInteraction(self, self.free_spot_right_of(nodes[0]), source=nodes[0]))

    def free_spot_right_of(self, node_id: str) -> QPointF:
        """Right of a node, moving down past nodes already there."""
        node = self.board_scene.board.node(node_id)
        spot = QPointF(node.x + 260.0, node.y)
        taken = [(n.x, n.y) for n in self.board_scene.board.nodes]
        while any(abs(x - spot.x()) < 170 and abs(y - spot.y()) < 80 for x, y in taken):
            spot += QPointF(0, 100.0)
        return spot

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

    @staticmethod
    def _other_files(data: Any) -> list[str]:
        """Dropped local files that are not boards (to import)."""
        paths = [url.toLocalFile() for url in data.urls()] if data.hasUrls() else []
        return [p for p in paths if p and not p.lower().endswith((".cboard", ".pdf"))]

    def _accept_drag(self, event: QDragMoveEvent) -> bool:
        """Take a dragged palette kind or board file (entering or moving over the canvas)."""
        data = event.mimeData()
        if data.hasFormat(KIND_MIME) or self._board_file(data) or self._other_files(data):
            event.acceptProposedAction()
            return True
        return False

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self._accept_drag(event):
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if not self._accept_drag(event):
            super().dragMoveEvent(event)

    def dropEvent(self, event: Any) -> None:
        path = self._board_file(event.mimeData())
        if path is not None:
            event.acceptProposedAction()
            self.file_dropped.emit(path)
            return
        others = self._other_files(event.mimeData())
        if others:
            event.acceptProposedAction()
            self.files_dropped_for_import.emit(others)
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
        if isinstance(item, BoardItem) and not item.isSelected() and self.board_scene.selection is not None:
            self.board_scene.selection.select([item.entity_id])
        menu = QMenu(self)
        self.context_menu_builder(menu, item, self.mapToScene(event.pos()))
        if not menu.isEmpty():
            menu.exec(event.globalPos())
