"""The reveal walk: step through the build items of the board's steps.

``models.presenting.build_plan`` says, for each build item, the camera frame,
which elements are revealed and which layers are shown. While the walk is on,
this controller applies that to the canvas as view state (scene item
visibility, the layers the scene draws through a ``LayerLens``, and the
view's camera) and moves the camera between steps with an eased animation of at most
``CAMERA_MS``. The board and the undo stack are never touched. Keys:
PageDown / Right / Space forward, PageUp / Left back (what a presentation
clicker sends). See docs/recording.md.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QEasingCurve, QObject, QPointF, QRectF, QVariantAnimation, Signal

from app.ui.session import RecordingSession
from models.board import Board
from models.catalog import Catalog
from models.document import Layers
from models.entities import Frame
from models.presenting import BuildItem, build_plan

CAMERA_MS = 350
"""How long the camera takes to move between steps (the issue allows at most 400 ms)."""
FIT_MARGIN = 40.0
MAX_FIT_ZOOM = 2.0
"""The same margin and zoom cap as the view's own fit (``BoardView.fit_rect``)."""


def frame_rect(frame: Frame) -> QRectF:
    return QRectF(frame.x, frame.y, frame.width, frame.height)


class LayerLens:
    """The board as the scene draws it during a walk: the same board (every
    read goes to it) except ``layers``, which are the walk's view layers.

    The canvas reads ``scene.board.layers``; until the scene has view layers
    of its own, the walk hands it this lens so that showing a step's layers
    never edits the board (nothing to save, nothing to undo).
    """

    def __init__(self, board: Board) -> None:
        self._board = board
        self.layers: Layers = board.layers

    def __getattr__(self, name: str) -> Any:
        return getattr(self._board, name)


class RevealWalk(QObject):
    """Applies the build plan to a scene and a view while ``active``."""

    active_changed = Signal(bool)
    camera_finished = Signal()

    def __init__(self, board: Board, session: RecordingSession, scene: Any, view: Any,
                 catalog: Catalog | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.board, self.session, self.scene, self.view = board, session, scene, view
        self.catalog = catalog
        self.lens = LayerLens(board)
        self.active = False
        self.plan: list[BuildItem] = []
        self.hidden: set[str] = set()
        self.camera = QVariantAnimation(self)
        self.camera.setDuration(CAMERA_MS)
        self.camera.setStartValue(0.0)
        self.camera.setEndValue(1.0)
        self.camera.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self.camera.valueChanged.connect(self._camera_frame)
        self.camera.finished.connect(self._camera_done)
        self._from: tuple[float, QPointF] | None = None
        self._to: tuple[float, QPointF] | None = None
        self._target: QRectF | None = None
        self._shown_step: str | None = None
        session.step_changed.connect(lambda _id: self._follow())
        session.build_changed.connect(lambda _n: self._follow())
        board.events.changed.connect(self._board_changed)

    # --- on and off ------------------------------------------------------------------------

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        self.active = on
        self.session.defer_first_stamp = on
        if on:
            self.plan = build_plan(self.board, self.catalog)
            self._shown_step = None
            self.lens.layers = self.board.layers
            self.scene.board = self.lens
            self._apply(animate=False)
        else:
            self.camera.stop()
            self.scene.board = self.board
            self._show_all()
        self.active_changed.emit(on)

    # --- where we are ------------------------------------------------------------------------

    def position(self) -> int:
        """The index of the current build item in the plan, or -1."""
        index = self.session.current_index()
        for i, item in enumerate(self.plan):
            if item.step_index == index and item.shown == self.session.shown:
                return i
        return -1

    def current_item(self) -> BuildItem | None:
        i = self.position()
        return self.plan[i] if i >= 0 else None

    def advance(self) -> bool:
        """Show the next build item (the next reveal entry, else the next step); False at the end."""
        return self._go(self.position() + 1)

    def back(self) -> bool:
        """Show the previous build item; False at the start."""
        return self._go(self.position() - 1)

    def _go(self, index: int) -> bool:
        if not self.active:
            self.set_active(True)
        if not 0 <= index < len(self.plan):
            return False
        item = self.plan[index]
        self.session.go_to(item.step_id, item.shown)
        return True

    # --- applying ------------------------------------------------------------------------------

    def _follow(self) -> None:
        if self.active:
            self._apply(animate=True)

    def reapply(self) -> None:
        """Lay the current build item over the scene again (after something else showed items)."""
        if self.active:
            self._apply(animate=False, camera=False)

    def _board_changed(self) -> None:
        if self.active:  # the scene has re-synced its items by now: lay the walk over them again
            self.plan = build_plan(self.board, self.catalog)
            self._apply(animate=False, camera=False)

    def _apply(self, animate: bool, camera: bool = True) -> None:
        item = self.current_item()
        if item is None:
            self._show_all()
            return
        layers = Layers(**item.layers)
        if layers != self.lens.layers:
            self.lens.layers = layers
            self.scene.apply_layers()
        self._set_visible(item.visible)
        step_moved = item.step_id != self._shown_step
        self._shown_step = item.step_id
        if camera and item.frame is not None and (step_moved or self._target is None):
            self.move_camera(self.step_target(item), animate)

    def _set_visible(self, visible: frozenset[str]) -> None:
        for entity_id, graphic in self.scene.entity_items().items():
            if entity_id in visible:
                if entity_id in self.hidden:
                    self.hidden.discard(entity_id)
                    graphic.setVisible(True)
                    graphic.sync()  # the board's layers still decide for layer items
            elif graphic.isVisible() or entity_id not in self.hidden:
                self.hidden.add(entity_id)
                graphic.setVisible(False)

    def _show_all(self) -> None:
        """Show what the walk hid. When the walk's layers were the board's, only those items are
        synced again (the board's layers decide for layer items); else every item is."""
        items = self.scene.entity_items()
        hidden = [items[i] for i in self.hidden if i in items]
        self.hidden.clear()
        for graphic in hidden:
            graphic.setVisible(True)
        if self.lens.layers != self.board.layers:
            self.lens.layers = self.board.layers
            self.scene.apply_layers()
            return
        for graphic in hidden:
            graphic.sync()

    def visible_ids(self) -> set[str]:
        """The elements whose canvas items are shown now (for tests and the notes window)."""
        return {i for i, graphic in self.scene.entity_items().items() if graphic.isVisible()}

    # --- the camera ------------------------------------------------------------------------------

    def fit_of(self, rect: QRectF) -> tuple[float, QPointF]:
        """The zoom and centre that show ``rect`` the way ``BoardView.fit_rect`` does."""
        padded = rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        port = self.view.viewport().rect()
        zoom = min(port.width() / padded.width(), port.height() / padded.height(), MAX_FIT_ZOOM)
        return zoom, padded.center()

    def step_target(self, item: BuildItem) -> QRectF:
        """What the camera fits for ``item``'s step (its frame must be set): the same for every
        build item of the step, with room for the legend if any of them shows it, so the camera
        never jumps in the middle of a step when a click reveals the legend."""
        assert item.frame is not None
        shows_legend = any(i.layers.get("legend", False) for i in self.plan if i.step_index == item.step_index)
        return self.target_of(frame_rect(item.frame), shows_legend)

    def target_of(self, frame: QRectF, legend_shown: bool | None = None) -> QRectF:
        """What the camera fits for a step's ``frame``: the frame, widened to hold the whole
        legend when the view of the frame would show only part of it (the legend sits right of
        the board and grows with the presentation scale, so no frame saved in a file can know
        where it ends). ``legend_shown`` says whether the legend counts (default: whether it is
        shown now); the scene places it even while it is hidden."""
        legend = getattr(self.scene, "legend", None)
        if legend is None or not (legend.isVisible() if legend_shown is None else legend_shown):
            return QRectF(frame)
        box = legend.sceneBoundingRect()
        zoom, centre = self.fit_of(frame)
        port = self.view.viewport().rect()
        width, height = port.width() / zoom, port.height() / zoom
        seen = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
        return frame.united(box) if seen.intersects(box) and not seen.contains(box) else QRectF(frame)

    def camera_rect(self) -> QRectF:
        """The board rectangle the view shows now."""
        rect: QRectF = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        return rect

    def move_camera(self, rect: QRectF, animate: bool = True) -> None:
        """Move the camera to show ``rect``, eased over ``CAMERA_MS`` (or at once)."""
        self.camera.stop()
        self._target = QRectF(rect)
        self._from = (self.view.zoom(), self.camera_rect().center())
        self._to = self.fit_of(rect)
        if not animate or not self.view.isVisible():
            self._camera_done()
            return
        self.camera.start()

    def _camera_frame(self, value: Any) -> None:
        if self._from is None or self._to is None:
            return
        t = float(value)
        (z0, c0), (z1, c1) = self._from, self._to
        zoom = math.exp(math.log(z0) + (math.log(z1) - math.log(z0)) * t)
        self.view.set_zoom(zoom, c0 + (c1 - c0) * t)

    def _camera_done(self) -> None:
        if self._target is not None:  # fitted anew: the viewport may have changed size during the move
            self.view.set_zoom(*self.fit_of(self._target))
        self.camera_finished.emit()
