"""Ink mode on the canvas: pen, highlighter, line, arrow, rectangle, ellipse and
text, plus the pointers (laser, spotlight, zoom lens) of ``pointers``.

``InkMode`` is a tool (``view.set_tool``); while it is installed the single
keys of ``INK_KEYS`` choose the tool and the colour. They are claimed from
the window's shortcuts only while ink mode runs, so they never fight the
editing keys (R, Y, P, L ... mean something else outside). A drag is a
``StrokeInteraction`` gesture, a click with the text tool a
``TextInteraction``. A finished stroke either goes to the ``InkTarget``
(kept: an annotation of the current step, one undo step) or fades on the
canvas and never touches the board (ephemeral). See docs/recording.md, "Ink".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QPainterPath, QPen, QWheelEvent
from PySide6.QtWidgets import QLineEdit

from app.ui.canvas.interactions.base import Interaction
from app.ui.canvas.interactions.pointers import LaserTrail, Lens, Spotlight
from app.ui.canvas.marks import HIGHLIGHT_SCALE, ink_pen
from app.ui.canvas.style import font
from models.ink import InkShape, Point, is_mark, shape_points, thin_points

if TYPE_CHECKING:
    from app.ui.canvas.view import BoardView


class InkTool(Enum):
    PEN = "pen"
    HIGHLIGHTER = "highlighter"
    LINE = "line"
    ARROW = "arrow"
    RECTANGLE = "rectangle"
    ELLIPSE = "ellipse"
    TEXT = "text"
    LASER = "laser"
    SPOTLIGHT = "spotlight"
    LENS = "lens"


TOOL_NAMES = {InkTool.PEN: "Pen", InkTool.HIGHLIGHTER: "Highlighter", InkTool.LINE: "Straight line",
              InkTool.ARROW: "Arrow", InkTool.RECTANGLE: "Rectangle", InkTool.ELLIPSE: "Ellipse",
              InkTool.TEXT: "Text", InkTool.LASER: "Laser pointer", InkTool.SPOTLIGHT: "Spotlight",
              InkTool.LENS: "Zoom lens"}
TOOL_KEYS = {Qt.Key.Key_P: InkTool.PEN, Qt.Key.Key_H: InkTool.HIGHLIGHTER, Qt.Key.Key_L: InkTool.LINE,
             Qt.Key.Key_A: InkTool.ARROW, Qt.Key.Key_X: InkTool.RECTANGLE, Qt.Key.Key_C: InkTool.ELLIPSE,
             Qt.Key.Key_T: InkTool.TEXT, Qt.Key.Key_D: InkTool.LASER, Qt.Key.Key_S: InkTool.SPOTLIGHT,
             Qt.Key.Key_Z: InkTool.LENS}
COLOURS = {Qt.Key.Key_R: ("#E53935", "red"), Qt.Key.Key_Y: ("#FDD835", "yellow"),
           Qt.Key.Key_G: ("#43A047", "green"), Qt.Key.Key_B: ("#1E88E5", "blue"),
           Qt.Key.Key_O: ("#FB8C00", "orange"), Qt.Key.Key_K: ("#212121", "black")}
SHAPES = {InkTool.PEN: InkShape.FREEHAND, InkTool.HIGHLIGHTER: InkShape.FREEHAND, InkTool.LINE: InkShape.LINE,
          InkTool.ARROW: InkShape.ARROW, InkTool.RECTANGLE: InkShape.RECTANGLE, InkTool.ELLIPSE: InkShape.ELLIPSE}
DRAWING = frozenset(SHAPES) | {InkTool.TEXT}
"""The tools that make strokes (kept or ephemeral); the rest only point."""

ERASE_KEY = Qt.Key.Key_E
KEEP_KEY = Qt.Key.Key_F
WIDER_KEYS = (Qt.Key.Key_Plus, Qt.Key.Key_Equal)
NARROWER_KEYS = (Qt.Key.Key_Minus,)

INK_KEYS: tuple[tuple[str, str], ...] = (
    *((QKeySequence(key).toString(), f"Ink: {TOOL_NAMES[tool].lower()}") for key, tool in TOOL_KEYS.items()),
    *((QKeySequence(key).toString(), f"Ink colour: {name}") for key, (_, name) in COLOURS.items()),
    ("F", "Ink: kept strokes ↔ fading strokes"),
    ("E", "Ink: erase all ink of this step (undoable)"),
    ("Ctrl+Wheel", "Ink: stroke width (lens: plain wheel sets the magnification)"),
    ("+ / -", "Ink: stroke width"),
    ("Shift+drag", "Ink: pen draws a straight line"),
    ("Ctrl+Z", "Ink: undo the last stroke"),
    ("Esc", "Leave ink mode"),
)
"""The keys that act only in ink mode, as (key, what it does), for the shortcut sheet."""

MIN_WIDTH, MAX_WIDTH = 1.0, 40.0
FADE_HOLD_S, FADE_OUT_S = 3.0, 1.0
"""An ephemeral stroke stays this long, then fades out over ``FADE_OUT_S``."""
FRAME_MS = 16
"""The fading and laser animation's frame interval."""
TEXT_PX = 26
"""Ink text's size on screen (pixels) when it is written."""


@dataclass
class InkStyle:
    """What the next stroke looks like; shared by the window's toolbar and ink mode."""

    tool: InkTool = InkTool.PEN
    colour: str = "#E53935"
    width: float = 4.0
    """In screen pixels at the zoom it is drawn at (kept strokes store it in board units)."""
    kept: bool = True


class InkTarget(Protocol):
    """Where kept ink goes (the window's ink controller: the editor, the current step)."""

    def keep_stroke(self, kind: str, points: list[Point], colour: str, width: float) -> None: ...

    def keep_text(self, at: Point, text: str, colour: str, size: float) -> None:
        """Keep a line of text; ``size``: its height in board units."""

    def erase_step(self) -> None: ...

    def changed(self, style: InkStyle) -> None:
        """The style changed from a key or the wheel (toolbars follow)."""


@dataclass
class Fading:
    """An ephemeral stroke or text: board coordinates, painted over the canvas until it fades."""

    points: list[Point]
    colour: str
    width: float
    highlight: bool
    born: float
    text: str = ""
    extra: dict[str, float] = field(default_factory=dict)


def stroke_path(view: BoardView, points: list[Point]) -> QPainterPath:
    """A stroke in board units as a path in viewport pixels."""
    to_view = view.viewportTransform()
    path = QPainterPath()
    if points:
        path.moveTo(to_view.map(QPointF(*points[0])))
        for point in points[1:]:
            path.lineTo(to_view.map(QPointF(*point)))
    return path


class InkMode(Interaction):
    """Ink mode: the single keys choose tool and colour, drags draw, the pointers point."""

    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, view: BoardView, style: InkStyle, target: InkTarget,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(view)
        self.style, self.target, self.clock = style, target, clock
        self.fading: list[Fading] = []
        self.laser = LaserTrail(view, clock)
        self.spotlight = Spotlight(view)
        self.lens = Lens(view)
        self.timer = QTimer(view)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.tick)

    # --- life ---------------------------------------------------------------------------

    def start(self) -> None:
        super().start()
        self._apply_cursor()
        self.view.status_message.emit("Ink mode: P H L A X C T draw, D laser, S spotlight, Z lens, "
                                      "R Y G B O K colour, F kept/fading, E erase, Esc leaves")

    def cleanup(self) -> None:
        self.timer.stop()
        self.fading.clear()
        self.laser.clear()
        self.view.viewport().update()

    def set_tool(self, tool: InkTool) -> None:
        if tool is not self.style.tool:
            self.style.tool = tool
            self.laser.clear()
            self._apply_cursor()
            self.view.viewport().update()

    def _apply_cursor(self) -> None:
        pointing = self.style.tool in (InkTool.LASER, InkTool.LENS)
        shape = Qt.CursorShape.BlankCursor if pointing else Qt.CursorShape.IBeamCursor \
            if self.style.tool is InkTool.TEXT else Qt.CursorShape.ArrowCursor \
            if self.style.tool is InkTool.SPOTLIGHT else Qt.CursorShape.CrossCursor
        self.view.viewport().setCursor(shape)

    # --- keys -----------------------------------------------------------------------------

    def claims_key(self, event: QKeyEvent) -> bool:
        """The single keys of ink mode win over the window's shortcuts while it runs."""
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                                | Qt.KeyboardModifier.MetaModifier):
            return False
        key = event.key()
        return key in TOOL_KEYS or key in COLOURS or key in (ERASE_KEY, KEEP_KEY, *WIDER_KEYS, *NARROWER_KEYS) \
            or key == Qt.Key.Key_Escape  # Esc leaves ink mode first (then, say, presenter mode)

    def key_press(self, event: QKeyEvent) -> bool:
        if not self.claims_key(event) or event.key() == Qt.Key.Key_Escape:
            return super().key_press(event)
        key = Qt.Key(event.key())
        if key in TOOL_KEYS:
            self.set_tool(TOOL_KEYS[key])
            self.view.status_message.emit(f"Ink: {TOOL_NAMES[self.style.tool].lower()}")
        elif key in COLOURS:
            self.style.colour = COLOURS[key][0]
            if self.style.tool not in DRAWING:
                self.set_tool(InkTool.PEN)
            self.view.status_message.emit(f"Ink colour: {COLOURS[key][1]}")
        elif key == KEEP_KEY:
            self.style.kept = not self.style.kept
            self.view.status_message.emit("Ink strokes are kept on this step" if self.style.kept
                                          else "Ink strokes fade after a few seconds")
        elif key == ERASE_KEY:
            self.fading.clear()
            self.view.viewport().update()
            self.target.erase_step()
        else:
            self.change_width(1.0 if key in WIDER_KEYS else -1.0)
        self.target.changed(self.style)
        return True

    def change_width(self, step: float) -> None:
        self.style.width = max(MIN_WIDTH, min(MAX_WIDTH, self.style.width + step))
        self.view.status_message.emit(f"Ink width {self.style.width:g} px")

    def wheel(self, event: QWheelEvent) -> bool:
        delta = event.angleDelta().y()
        if self.style.tool is InkTool.LENS and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.lens.change_factor(delta)
            return True
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if delta:
                self.change_width(1.0 if delta > 0 else -1.0)
                self.target.changed(self.style)
            return True
        return False

    # --- the mouse ------------------------------------------------------------------------

    def mouse_press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return event.button() != Qt.MouseButton.MiddleButton  # the middle button still pans
        tool, pos = self.style.tool, event.position().toPoint()
        if tool in SHAPES:
            shape = InkShape.LINE if tool is InkTool.PEN and event.modifiers() & Qt.KeyboardModifier.ShiftModifier \
                else SHAPES[tool]
            self.view.start_gesture(StrokeInteraction(self.view, self, shape, pos))
        elif tool is InkTool.TEXT:
            self.view.start_gesture(TextInteraction(self.view, self, pos))
        elif tool is InkTool.SPOTLIGHT:
            self.spotlight.pick(pos)
        return True

    def mouse_move(self, event: QMouseEvent) -> bool:
        pos = event.position().toPoint()
        tool = self.style.tool
        if tool is InkTool.LASER:
            self.laser.add(pos)
            self._animate()
        elif tool is InkTool.SPOTLIGHT:
            self.spotlight.hover(pos)
        elif tool is InkTool.LENS:
            self.lens.move_to(pos)
        return True

    def mouse_release(self, event: QMouseEvent) -> bool:
        return True

    def mouse_double_click(self, event: QMouseEvent) -> bool:
        return True

    # --- ephemeral ink and the laser's animation --------------------------------------------

    def add_fading(self, stroke: Fading) -> None:
        self.fading.append(stroke)
        self._animate()

    def _animate(self) -> None:
        if not self.timer.isActive():
            self.timer.start()

    def opacity(self, stroke: Fading, now: float) -> float:
        age = now - stroke.born
        if age <= FADE_HOLD_S:
            return 1.0
        return max(0.0, 1.0 - (age - FADE_HOLD_S) / FADE_OUT_S)

    def tick(self) -> None:
        """One animation frame: fade what fades, drop what is gone, stop when nothing moves."""
        now = self.clock()
        fading_rect = QRectF()
        for stroke in self.fading:
            if now - stroke.born > FADE_HOLD_S:
                fading_rect = fading_rect.united(self._stroke_rect(stroke))
        alive = [s for s in self.fading if now - s.born < FADE_HOLD_S + FADE_OUT_S]
        if len(alive) != len(self.fading):
            for gone in self.fading:
                if gone not in alive:
                    fading_rect = fading_rect.united(self._stroke_rect(gone))
            self.fading = alive
        if not fading_rect.isEmpty():
            self.view.update_foreground(fading_rect)
        laser_moving = self.laser.tick()
        if not self.fading and not laser_moving:
            self.timer.stop()

    def _stroke_rect(self, stroke: Fading) -> QRectF:
        if stroke.text:
            corner = self.view.viewportTransform().map(QPointF(*stroke.points[0]))
            return QRectF(corner.x() - 4, corner.y() - 4, stroke.extra.get("w", 600) + 8, TEXT_PX * 2 + 8)
        rect = stroke_path(self.view, stroke.points).boundingRect()
        pad = stroke.width * (HIGHLIGHT_SCALE if stroke.highlight else 1) + 4
        return rect.adjusted(-pad, -pad, pad, pad)

    # --- painting ---------------------------------------------------------------------------

    def paint_foreground(self, painter: QPainter, rect: QRectF) -> None:
        now = self.clock()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in self.fading:
            painter.setOpacity(self.opacity(stroke, now))
            if stroke.text:
                paint_text(painter, self.view.viewportTransform().map(QPointF(*stroke.points[0])), stroke.text,
                           stroke.colour)
            else:
                painter.setPen(screen_pen(stroke.colour, stroke.width, stroke.highlight))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(stroke_path(self.view, stroke.points))
        painter.setOpacity(1.0)
        tool = self.style.tool
        if tool is InkTool.LASER:
            self.laser.paint(painter)
        elif tool is InkTool.SPOTLIGHT:
            self.spotlight.paint(painter)
        elif tool is InkTool.LENS:
            self.lens.paint(painter)


def screen_pen(colour: str, width: float, highlight: bool) -> QPen:
    """The pen of a stroke being drawn, in screen pixels, as the canvas will draw it kept."""
    return ink_pen(colour, width, highlight)


def paint_text(painter: QPainter, at: QPoint | QPointF, text: str, colour: str) -> None:
    painter.setFont(text_font())
    painter.setPen(QColor(colour))
    painter.drawText(QPointF(at) + QPointF(0, TEXT_PX * 1.05), text)


def text_font() -> QFont:
    return font(TEXT_PX, bold=True)


class StrokeInteraction(Interaction):
    """One drag of a drawing tool: the stroke follows the mouse (painted over the
    canvas), and on release it is kept or left to fade."""

    def __init__(self, view: BoardView, mode: InkMode, shape: InkShape, at: QPoint) -> None:
        super().__init__(view)
        self.mode, self.shape = mode, shape
        self.style = InkStyle(mode.style.tool, mode.style.colour, mode.style.width, mode.style.kept)
        self.highlight = self.style.tool is InkTool.HIGHLIGHTER
        self.screen: list[QPointF] = [QPointF(at)]
        self.board: list[Point] = [self._board(at)]
        self._drawn = QRectF()

    def _board(self, pos: QPoint | QPointF) -> Point:
        scene = self.view.mapToScene(QPointF(pos).toPoint())
        return (scene.x(), scene.y())

    def _pad(self) -> float:
        return self.style.width * (HIGHLIGHT_SCALE if self.highlight else 1) + 3

    def points(self) -> list[Point]:
        """The stroke so far, in board units."""
        if self.shape is InkShape.FREEHAND:
            return self.board
        return shape_points(self.shape, self.board[0], self.board[-1], self.style.width / self.view.zoom())

    def mouse_move(self, event: QMouseEvent) -> bool:
        pos = event.position()
        last = self.screen[-1]
        if self.shape is InkShape.FREEHAND:
            self.screen.append(QPointF(pos))
            self.board.append(self._board(pos))
            pad = self._pad()
            self.view.update_foreground(QRectF(last, pos).normalized().adjusted(-pad, -pad, pad, pad))
            return True
        self.screen[1:] = [QPointF(pos)]
        self.board[1:] = [self._board(pos)]
        pad = self._pad() + 40  # an arrow head reaches past the end
        old, self._drawn = self._drawn, stroke_path(self.view, self.points()).boundingRect()
        self.view.update_foreground(old.united(self._drawn).adjusted(-pad, -pad, pad, pad))
        return True

    def mouse_release(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return True
        self.finish()
        points = thin_points(self.board) if self.shape is InkShape.FREEHAND else self.points()
        if not is_mark(points):
            return True
        if self.style.kept:
            self.mode.target.keep_stroke("highlight" if self.highlight else "ink", points, self.style.colour,
                                         round(self.style.width / self.view.zoom(), 2))
        else:
            self.mode.add_fading(Fading(points, self.style.colour, self.style.width, self.highlight,
                                        self.mode.clock()))
        return True

    def key_press(self, event: QKeyEvent) -> bool:
        return super().key_press(event) or True  # no tool or colour change in the middle of a stroke

    def cleanup(self) -> None:
        self.view.viewport().update()

    def paint_foreground(self, painter: QPainter, rect: QRectF) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(screen_pen(self.style.colour, self.style.width, self.highlight))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.shape is InkShape.FREEHAND:
            path = QPainterPath(self.screen[0])
            for point in self.screen[1:]:
                path.lineTo(point)
            painter.drawPath(path)
        else:
            painter.drawPath(stroke_path(self.view, self.points()))


class InkTextBox(QLineEdit):
    """The text tool's box; Esc drops what was typed."""

    cancelled = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)


class TextInteraction(Interaction):
    """A line of text typed where the text tool clicked; Enter keeps it (or lets it fade), Esc drops it."""

    def __init__(self, view: BoardView, mode: InkMode, at: QPoint) -> None:
        super().__init__(view)
        self.mode, self.at = mode, at
        self.colour, self.kept = mode.style.colour, mode.style.kept
        self.box = InkTextBox(view.viewport())
        self.box.setObjectName("ink_text")
        self.box.setFont(text_font())
        self.box.setFrame(False)
        self.box.setPlaceholderText("Type, Enter to place")
        self.box.setStyleSheet(f"QLineEdit {{ color: {self.colour}; background: rgba(255, 255, 255, 150); }}")

    def start(self) -> None:
        super().start()
        self.box.setGeometry(self.at.x() - 1, self.at.y() - 2, 600, round(TEXT_PX * 1.5))
        self.box.returnPressed.connect(self._place)
        self.box.cancelled.connect(self.cancel)
        self.box.show()
        self.box.setFocus()

    def _place(self) -> None:
        text = self.box.text().strip()
        scene = self.view.mapToScene(self.at)
        width = self.box.fontMetrics().horizontalAdvance(text) + 8
        self.finish()
        if not text:
            return
        if self.kept:
            self.mode.target.keep_text((round(scene.x(), 1), round(scene.y(), 1)), text, self.colour,
                                       round(TEXT_PX / self.view.zoom(), 1))
        else:
            self.mode.add_fading(Fading([(scene.x(), scene.y())], self.colour, 1.0, False, self.mode.clock(),
                                        text=text, extra={"w": float(width)}))

    def mouse_press(self, event: QMouseEvent) -> bool:
        self._place()  # a click elsewhere places what was typed, then draws on
        return False

    def cleanup(self) -> None:
        self.box.hide()
        self.box.deleteLater()
        self.view.setFocus()
