"""Presenter mode: one key hides every dock, toolbar, menu and status bar, goes full
screen on the window's screen and shows the current step's frame; Esc brings back
exactly the layout before. The presentation scale (1×–2×) enlarges the canvas's
text, badges, legend and HUD. All of it is view state: the board and the undo stack
are never touched. See docs/recording.md, "Presenter mode".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractAnimation,
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar, QWidget

from app.ui.canvas.interactions.ink import INK_KEYS
from app.ui.canvas.view import BoardView
from app.ui.icons import icon as cached_icon
from app.ui.present.actions import window_action
from app.ui.present.install import Recording
from app.ui.present.keystrokes import KeystrokeOverlay
from app.ui.present.workspaces import Workspaces, install_workspaces

DIRECT = Qt.FindChildOption.FindDirectChildrenOnly
"""Docks and toolbars are the window's own children: no search through every panel's widgets."""
WINDOW_MANAGER_MS = 250
"""How long a window manager gets to make the window full screen before we do it ourselves."""
SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)
"""The presentation scales offered (View → Presentation Scale)."""


@dataclass
class SavedLayout:
    """Everything presenter mode changes about the window, to put back on Esc."""

    state: QByteArray
    normal: QRect
    full_screen: bool
    maximized: bool
    docks: dict[str, bool] = field(default_factory=dict)
    bars: dict[str, bool] = field(default_factory=dict)
    raised: list[QDockWidget] = field(default_factory=list)
    """The front tab of each group of tabbed docks."""
    sizes: dict[QDockWidget, QSize] = field(default_factory=dict)
    """Each docked area's size (one dock per tab group): shown again, an area's docks share
    its height anew, so the splits are put back by ``resizeDocks``."""
    walk_was_active: bool = False


class PresenterMode(QObject):
    """Enter and leave presenter mode on ``window``; ``active_changed`` follows."""

    active_changed = Signal(bool)
    scale_changed = Signal(float)

    def __init__(self, window: QMainWindow, view: BoardView, recording: Recording) -> None:
        super().__init__(window)
        self.window, self.view, self.recording = window, view, recording
        self.saved: SavedLayout | None = None
        self.scale = 1.0
        self.scrollbars = (view.horizontalScrollBarPolicy(), view.verticalScrollBarPolicy())
        window.installEventFilter(self)
        view.viewport().installEventFilter(self)

    @property
    def active(self) -> bool:
        return self.saved is not None

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def set_active(self, on: bool) -> None:
        if on != self.active:
            self.toggle()

    # --- entering and leaving -----------------------------------------------------------------

    def _bars(self) -> dict[str, QWidget]:
        window = self.window
        bars: dict[str, QWidget] = {"menu": window.menuBar(), "status": window.statusBar()}
        for bar in window.findChildren(QToolBar, options=DIRECT):
            bars[f"toolbar:{bar.objectName()}"] = bar
        return bars

    def _docks(self) -> list[QDockWidget]:
        return self.window.findChildren(QDockWidget, options=DIRECT)

    def enter(self) -> None:
        if self.active:
            return
        window = self.window
        walk = self.recording.walk
        docks = self._docks()
        self.saved = SavedLayout(
            state=window.saveState(), normal=window.normalGeometry(),
            full_screen=window.isFullScreen(), maximized=window.isMaximized(),
            docks={d.objectName(): not d.isHidden() for d in docks},
            bars={name: not bar.isHidden() for name, bar in self._bars().items()},
            raised=[d for d in docks if d.isVisible() and window.tabifiedDockWidgets(d)
                    and not d.visibleRegion().isEmpty()],
            sizes={d: d.size() for d in docks if d.isVisible() and not d.isFloating()
                   and not d.visibleRegion().isEmpty()},
            walk_was_active=walk.active)
        for dock in docks:
            dock.hide()
        for bar in self._bars().values():
            bar.hide()
        screen = window.screen()
        if screen is not None and window.windowHandle() is not None:
            window.windowHandle().setScreen(screen)
        window.setProperty("presenting", True)
        window.showFullScreen()
        QTimer.singleShot(WINDOW_MANAGER_MS, self._cover_screen)
        self.scrollbars = (self.view.horizontalScrollBarPolicy(), self.view.verticalScrollBarPolicy())
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFocus()
        if self.recording.session.steps() and not walk.active:
            walk.set_active(True)
        self.fit_step()
        self.active_changed.emit(True)

    def _cover_screen(self) -> None:
        """Without a window manager (a bare X server, Xvfb) full screen is only a flag: cover
        the screen by hand, then show the step's frame again in the larger view."""
        screen = self.window.screen()
        if self.active and screen is not None and self.window.geometry() != screen.geometry():
            self.window.setGeometry(screen.geometry())
            self.fit_step()

    def fit_step(self) -> None:
        """Show the current step's frame (the whole board when it has none)."""
        item = self.recording.walk.current_item() if self.recording.walk.active else None
        if item is not None and item.frame is not None:
            self.recording.walk.move_camera(self.recording.walk.step_target(item), animate=False)
        else:
            self.view.zoom_to_fit()

    def leave(self) -> None:
        """Back to the layout before: full screen left first, then only the bars and docks that
        ``enter`` hid are shown again, in their places (a hidden dock keeps its place and size in
        the window's layout), with the window's updates held so the layout settles once. The
        whole saved state is restored only when that did not give it back exactly (a dock moved
        or added while presenting): ``restoreState`` rebuilds every dock area and costs several
        times as much."""
        saved = self.saved
        if saved is None:
            return
        self.saved = None
        window = self.window
        window.setProperty("presenting", False)
        window.setUpdatesEnabled(False)
        try:
            if saved.full_screen:
                window.showFullScreen()
            elif saved.maximized:
                window.showMaximized()
            else:
                window.showNormal()
                window.setGeometry(saved.normal)  # not restoreGeometry: it would fit the frame to the screen anew
            self.view.setHorizontalScrollBarPolicy(self.scrollbars[0])
            self.view.setVerticalScrollBarPolicy(self.scrollbars[1])
            if not saved.walk_was_active:
                self.recording.walk.set_active(False)
            for name, bar in self._bars().items():  # first: the bars take their height from the docks
                bar.setVisible(saved.bars.get(name, True))
            for dock in self._docks():  # a dock added since: as it was (hidden)
                dock.setVisible(saved.docks.get(dock.objectName(), False))
            for dock in saved.raised:
                dock.raise_()
            self._relayout()
            self._resize_docks(saved.sizes)
            if window.saveState() != saved.state:
                window.restoreState(saved.state)
            QCoreApplication.sendPostedEvents()  # the resizes and relayouts it caused, before one repaint
        finally:
            window.setUpdatesEnabled(True)
        self.active_changed.emit(False)

    def _relayout(self) -> None:
        """Lay the window out now (while its updates are held) rather than at the next event."""
        layout = self.window.layout()
        if layout is not None:
            layout.activate()

    def _resize_docks(self, sizes: dict[QDockWidget, QSize]) -> None:
        """Give the docks their sizes back. ``resizeDocks`` counts a tab group's tab bar in its
        own way, so a second pass corrects by what the first one missed."""
        if not sizes:
            return
        window, docks = self.window, list(sizes)
        for orientation, side in ((Qt.Orientation.Horizontal, QSize.width), (Qt.Orientation.Vertical, QSize.height)):
            wanted = [side(s) for s in sizes.values()]
            window.resizeDocks(docks, wanted, orientation)
            self._relayout()
            got = [side(d.size()) for d in docks]
            if got != wanted:
                window.resizeDocks(docks, [2 * w - g for w, g in zip(wanted, got, strict=True)], orientation)
                self._relayout()

    # --- the presentation scale ----------------------------------------------------------------

    def set_scale(self, factor: float) -> None:
        factor = min(SCALES[-1], max(SCALES[0], factor))
        if factor == self.scale:
            return
        self.scale = factor
        self.view.board_scene.set_text_scale(factor)
        if self.active:  # the legend grew or shrank: show the step's frame with all of it again
            self.fit_step()
        self.scale_changed.emit(factor)

    def bigger(self) -> None:
        self.set_scale(next((s for s in SCALES if s > self.scale), SCALES[-1]))

    def smaller(self) -> None:
        self.set_scale(next((s for s in reversed(SCALES) if s < self.scale), SCALES[0]))

    # --- Esc ----------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc leaves presenter mode only when nothing before the window used it: a gesture,
        a tool, the label editor and the selection all take Esc first (the key reaches the
        window only when the canvas left it unaccepted). While presenting, the canvas shows
        no tooltips and fits the step again when it changes size."""
        if (self.active and watched is self.window and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape):
            self.leave()
            return True
        if self.active and watched is self.view.viewport() and event.type() == QEvent.Type.ToolTip:
            return True  # a hover's tooltip would pop up on the recording
        if self.active and watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            # the canvas grows once the bars are gone and the window covers the screen (both
            # arrive after ``enter``, the latter when a window manager says so): fit it again
            QTimer.singleShot(0, self._refit)
        return False

    def _refit(self) -> None:
        if self.active and self.recording.walk.camera.state() != QAbstractAnimation.State.Running:
            self.fit_step()


PRESENT_SHORTCUT = "Ctrl+Alt+P"
BIGGER_SHORTCUT = "Ctrl+Alt+="
SMALLER_SHORTCUT = "Ctrl+Alt+-"
KEYSTROKES_SHORTCUT = "Ctrl+Alt+O"
PRESENTER_KEYS = [
    ("Esc", "Leave presenter mode (after cancelling a gesture, a tool or the selection)"),
    ("PageDown, Right, Space", "Next build item, then the next step (presenter mode walks the steps)"),
    ("PageUp, Left", "Previous build item"),
]
"""Keys that act in presenter mode without a menu entry of their own (for the shortcut sheet)."""


@dataclass
class PresenterUi:
    """What ``install_presenter`` adds to a window."""

    mode: PresenterMode
    keystrokes: KeystrokeOverlay
    workspaces: Workspaces
    actions: dict[str, QAction]


def install_presenter(window: QMainWindow, view: BoardView, recording: Recording, view_menu: QMenu,
                      toolbar: QToolBar | None = None) -> PresenterUi:
    """Presenter mode, the presentation scale, the keystroke overlay and the workspaces,
    under View (and presenter mode on ``toolbar``)."""
    mode = PresenterMode(window, view, recording)
    keystrokes = KeystrokeOverlay(window, view)
    actions: dict[str, QAction] = {}

    def say(text: str) -> None:
        window.statusBar().showMessage(text, 6000)

    def action(name: str, text: str, shortcut: str | None, slot: Callable[..., object],
               checkable: bool = False) -> QAction:
        return window_action(window, actions, name, text, slot, shortcut, checkable)

    present = action("present", "&Present", PRESENT_SHORTCUT, lambda _c=False: mode.toggle(), checkable=True)
    present.setIcon(cached_icon("mdi6.presentation-play", color="#37474F"))
    present.setToolTip(f"Presenter mode: full screen, no panels ({PRESENT_SHORTCUT}; Esc leaves)")
    mode.active_changed.connect(present.setChecked)
    action("scale_bigger", "Presentation Scale &Bigger", BIGGER_SHORTCUT, lambda _c=False: mode.bigger())
    action("scale_smaller", "Presentation Scale &Smaller", SMALLER_SHORTCUT, lambda _c=False: mode.smaller())
    keys = action("keystrokes", "Show &Keystrokes", KEYSTROKES_SHORTCUT, keystrokes.set_enabled, checkable=True)
    keys.setToolTip("Show each shortcut on the canvas as it is pressed (for tutorial videos)")

    view_menu.addSeparator()
    view_menu.addAction(present)
    scale_menu = view_menu.addMenu("Presentation S&cale")
    scale_menu.setObjectName("menu_presentation_scale")
    group = QActionGroup(window)
    for factor in SCALES:
        made = scale_menu.addAction(f"{factor:g}×")
        made.setObjectName(f"action_scale_{factor:g}")
        made.setCheckable(True)
        made.setChecked(factor == mode.scale)
        made.triggered.connect(lambda _c=False, f=factor: mode.set_scale(f))
        group.addAction(made)
        actions[f"scale_{factor:g}"] = made
    scale_menu.addSeparator()
    scale_menu.addAction(actions["scale_bigger"])
    scale_menu.addAction(actions["scale_smaller"])
    mode.scale_changed.connect(lambda f: actions[f"scale_{f:g}"].setChecked(True))
    mode.scale_changed.connect(lambda f: say(f"Presentation scale {f:g}×"))
    view_menu.addAction(keys)
    spaces, space_actions = install_workspaces(window, view_menu, say)
    actions.update(space_actions)
    if toolbar is not None:
        toolbar.addSeparator()
        toolbar.addAction(present)
    return PresenterUi(mode, keystrokes, spaces, actions)


def extra_key_lists() -> list[tuple[str, list[tuple[str, str]]]]:
    """The keys without a menu entry, for the shortcut sheet: presenter mode's, and the keys
    that act only in ink mode (``INK_KEYS``, kept beside the ink tools)."""
    return [("Presenter mode", PRESENTER_KEYS), ("Ink mode", list(INK_KEYS))]
