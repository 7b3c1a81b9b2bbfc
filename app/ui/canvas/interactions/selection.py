"""Selecting and moving: the rubber band, dragging the selection, and the default
``SelectTool`` that decides which gesture a press starts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPainterPath
from PySide6.QtWidgets import QApplication, QRubberBand, QStyle, QStyleHintReturnMask, QStyleOptionRubberBand

from app.ui.canvas.interactions.base import Interaction
from app.ui.canvas.interactions.connect import ConnectInteraction
from app.ui.canvas.items import EdgeItem
from app.ui.canvas.marks import AnnotationItem

if TYPE_CHECKING:
    from app.ui.canvas.view import BoardView

ARROWS: dict[int, tuple[int, int]] = {Qt.Key.Key_Left.value: (-1, 0), Qt.Key.Key_Right.value: (1, 0),
                                     Qt.Key.Key_Up.value: (0, -1), Qt.Key.Key_Down.value: (0, 1)}
"""Which way an arrow key nudges the selection, by key code."""


class RubberBandInteraction(Interaction):
    """A drag on empty canvas selects what the band touches; with Ctrl it adds to the selection."""

    def __init__(self, view: BoardView, origin: QPoint, extend: bool) -> None:
        super().__init__(view)
        self._origin = origin
        self._origin_scene = view.mapToScene(origin)
        self._operation = Qt.ItemSelectionOperation.AddToSelection if extend \
            else Qt.ItemSelectionOperation.ReplaceSelection
        self.rect = QRect()
        """The band in viewport coordinates (empty until the mouse has moved far enough)."""

    def mouse_move(self, event: QMouseEvent) -> bool:
        pos = event.position().toPoint()
        if (pos - self._origin).manhattanLength() < QApplication.startDragDistance():
            return True
        corner = self.view.mapFromScene(self._origin_scene)
        old, self.rect = self.rect, QRect(min(corner.x(), pos.x()), min(corner.y(), pos.y()),
                                          abs(corner.x() - pos.x()) + 1, abs(corner.y() - pos.y()) + 1)
        self.view.update_foreground(old.united(self.rect))
        area = QPainterPath()
        area.addPolygon(self.view.mapToScene(self.rect))
        area.closeSubpath()
        self.scene.setSelectionArea(area, self._operation, self.view.rubberBandSelectionMode(),
                                    self.view.viewportTransform())
        return True

    def mouse_release(self, event: QMouseEvent) -> bool:
        self.finish()
        return False  # the scene sees the release too

    def cleanup(self) -> None:
        self.view.update_foreground(self.rect)
        self.rect = QRect()

    def paint_foreground(self, painter: QPainter, rect: QRectF) -> None:
        if self.rect.isEmpty():
            return
        viewport = self.view.viewport()
        option = QStyleOptionRubberBand()
        option.initFrom(viewport)
        option.rect = self.rect
        option.shape = QRubberBand.Shape.Rectangle
        mask = QStyleHintReturnMask()
        if viewport.style().styleHint(QStyle.StyleHint.SH_RubberBand_Mask, option, viewport, mask):
            painter.setClipRegion(mask.region, Qt.ClipOperation.IntersectClip)
        viewport.style().drawControl(QStyle.ControlElement.CE_RubberBand, option, painter, viewport)


class MoveInteraction(Interaction):
    """Dragging selected items: Qt moves them (snapping in ``itemChange``); on release
    the moves become one undoable command. Esc puts them back."""

    def __init__(self, view: BoardView, pressed: dict[str, QPointF]) -> None:
        super().__init__(view)
        self.pressed = pressed
        """Where each dragged item was when the button went down."""

    def mouse_release(self, event: QMouseEvent) -> bool:
        self.view.forward_mouse(event)
        self.finish()
        self.scene.commit_drag(self.pressed)
        return True

    def cancel(self) -> None:
        grabber = self.scene.mouseGrabberItem()
        if grabber is not None:
            grabber.ungrabMouse()
        for entity_id, pos in self.pressed.items():
            item = self.scene.item_for(entity_id)
            if item is not None:
                item.setPos(pos)
        super().cancel()


class SelectTool(Interaction):
    """The default tool. A press on a node's rim connects; on an item selects it and
    drags the selection; on empty canvas draws a rubber band. Double-click adds a
    node or edits a label; arrows nudge; Enter or F2 renames; Esc clears the selection."""

    def mouse_press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        view, scene = self.view, self.scene
        pos = event.position().toPoint()
        extend = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if view.editor is not None and not extend:
            node = view.node_at(pos)
            if node is not None and node.in_connect_zone(node.mapFromScene(view.mapToScene(pos))):
                view.start_gesture(ConnectInteraction(view, node))
                return True
        view.forward_mouse(event)  # selection and the item's mouse grab
        if scene.mouseGrabberItem() is None:
            view.start_gesture(RubberBandInteraction(view, pos, extend))
        elif view.editor is not None and (pressed := scene.movable_selection()):
            view.start_gesture(MoveInteraction(view, pressed))
        return True

    def mouse_double_click(self, event: QMouseEvent) -> bool:
        view = self.view
        if event.button() != Qt.MouseButton.LeftButton or view.editor is None:
            return False
        pos = event.position().toPoint()
        node = view.node_at(pos)
        if node is not None:
            view.edit_label(node.entity_id)
            return True
        for item in view.items(pos):
            if isinstance(item, (EdgeItem, AnnotationItem)):
                view.edit_label(item.entity_id)
                return True
        if view.itemAt(pos) is None:
            view.add_node_at(view.mapToScene(pos), "service", "New service", edit=True)
            return True
        return False

    def key_press(self, event: QKeyEvent) -> bool:
        view, scene = self.view, self.scene
        key = event.key()
        if key == Qt.Key.Key_Escape:
            if scene.selection is None or not scene.selection.ids:
                return False  # nothing to cancel: Esc goes on to the window (presenter mode)
            scene.selection.clear()
            return True
        arrow = ARROWS.get(int(key))
        if arrow is not None and view.editor is not None:
            step = 1.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else \
                (scene.grid_size if scene.snap_enabled else 10.0)
            view.nudge(arrow[0] * step, arrow[1] * step)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            ids = scene.selected_ids()
            if len(ids) == 1:
                view.edit_label(ids[0])
                return True
        return False
