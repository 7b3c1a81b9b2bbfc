"""Ink in the window: one call, ``install_ink(host, recording)``.

It adds Present → Ink (ink mode, the laser, the spotlight and the lens with
their keys, the drawing tools, the colours, kept/fading, erase) and a small
Ink toolbar beside the main one, and keeps the strokes: a kept stroke
is an annotation of the recording's current step, drawn through the editor
(one undo step each). The keys that act only inside ink mode are
``app.ui.canvas.interactions.ink.INK_KEYS``. See docs/recording.md, "Ink".
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import QMenu, QToolBar

from app.ui.canvas.interactions.ink import COLOURS, TOOL_NAMES, InkMode, InkStyle, InkTool
from app.ui.host import WindowHost
from app.ui.session import RecordingSession
from models.entities import Annotation
from models.errors import BoardError
from models.ink import Point

if TYPE_CHECKING:
    from app.ui.present.install import Recording

INK_SHORTCUT = "Ctrl+Alt+I"
LASER_SHORTCUT = "Ctrl+Alt+L"
SPOTLIGHT_SHORTCUT = "Ctrl+Alt+S"
LENS_SHORTCUT = "Ctrl+Alt+Z"
POINTER_SHORTCUTS = {InkTool.LASER: LASER_SHORTCUT, InkTool.SPOTLIGHT: SPOTLIGHT_SHORTCUT,
                     InkTool.LENS: LENS_SHORTCUT}
DRAW_TOOLS = (InkTool.PEN, InkTool.HIGHLIGHTER, InkTool.LINE, InkTool.ARROW, InkTool.RECTANGLE, InkTool.ELLIPSE,
              InkTool.TEXT)
TOOL_ICONS = {InkTool.PEN: "mdi6.pen", InkTool.HIGHLIGHTER: "mdi6.marker", InkTool.LINE: "mdi6.vector-line",
              InkTool.ARROW: "mdi6.arrow-top-right", InkTool.RECTANGLE: "mdi6.rectangle-outline",
              InkTool.ELLIPSE: "mdi6.ellipse-outline", InkTool.TEXT: "mdi6.format-text",
              InkTool.LASER: "mdi6.laser-pointer", InkTool.SPOTLIGHT: "mdi6.spotlight-beam",
              InkTool.LENS: "mdi6.magnify-plus-outline"}


class InkController(QObject):
    """Ink mode for one window: the style, the actions, and where kept strokes go."""

    style_changed = Signal()

    def __init__(self, host: WindowHost, session: RecordingSession) -> None:
        super().__init__(host.widget())
        self.host, self.session = host, session
        self.style = InkStyle()
        self.clock: Callable[[], float] = time.monotonic
        """Seconds for fading and the laser (injectable for tests)."""
        self.actions: dict[str, QAction] = {}
        self.mode: InkMode | None = None
        host.view.tool_changed.connect(self._tool_changed)

    # --- ink mode on and off ----------------------------------------------------------------

    def active(self) -> bool:
        return self.mode is not None and self.host.view.tool() is self.mode

    def set_active(self, on: bool) -> None:
        if on == self.active():
            return
        if on:
            self.mode = InkMode(self.host.view, self.style, self, self.clock)
            self.host.view.set_tool(self.mode)
            self.host.view.setFocus()
        else:
            self.host.view.set_tool(None)

    def use(self, tool: InkTool) -> None:
        """Ink mode with ``tool`` (the pointer actions and the tool menu)."""
        if self.active() and self.mode is not None:
            self.mode.set_tool(tool)
        else:
            self.style.tool = tool
            self.set_active(True)
        self.changed(self.style)

    def toggle_pointer(self, tool: InkTool) -> None:
        """A pointer's shortcut turns it on, and off again (back to the pen) when it is on."""
        if self.active() and self.style.tool is tool:
            self.set_active(False)
            self.style.tool = InkTool.PEN
            self.changed(self.style)
        else:
            self.use(tool)

    def _tool_changed(self, tool: Any) -> None:
        if self.mode is not None and tool is not self.mode:
            self.mode = None
        self.changed(self.style)

    # --- InkTarget: where kept ink goes ------------------------------------------------------

    def _kept(self) -> None:
        if not self.host.scene.layers.annotations:
            self.host.status("Kept on this step, but the Annotations layer is hidden (View → Layers)", 8000)

    def _note(self, **fields: Any) -> Annotation:
        return Annotation(id=self.host.board.new_id("ink"), step=self.session.current_id, **fields)

    def keep_stroke(self, kind: str, points: list[Point], colour: str, width: float) -> None:
        try:
            note = self._note(kind=kind, points=tuple(points), color=colour, width=max(0.1, min(50.0, width)))
            self.host.editor.draw_ink(note, "highlighter stroke" if kind == "highlight" else "ink stroke")
            self._kept()
        except (BoardError, ValueError) as error:
            self.host.status(f"Ink not kept: {error}", 8000)

    def keep_text(self, at: Point, text: str, colour: str, size: float) -> None:
        try:
            note = self._note(kind="text", x=at[0], y=at[1], text=text, color=colour, width=max(1.0, min(200.0, size)))
            self.host.editor.draw_ink(note, f"ink text '{text[:30]}'")
            self._kept()
        except (BoardError, ValueError) as error:
            self.host.status(f"Text not kept: {error}", 8000)

    def erase_step(self) -> None:
        step = self.session.current_step()
        if step is None:
            self.host.status("This board has no steps: there is no step ink to erase", 8000)
            return
        erased = self.host.editor.erase_step_ink(step.id)
        self.host.status(f"Erased {erased} ink mark(s) of step {step.code} (Undo brings them back)" if erased
                         else f"Step {step.code} has no ink", 8000)

    def changed(self, style: InkStyle) -> None:
        self.style_changed.emit()


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def _icon(name: str) -> QIcon:
    try:
        from app.ui.icons import icon as cached_icon

        return cached_icon(name)
    except Exception:  # an icon missing from the installed font set is not worth a crash
        return QIcon()


def install_ink(host: WindowHost, recording: Recording) -> InkController:
    """Add ink mode to the window behind ``host``; kept ink goes to ``recording``'s current step."""
    window = host.widget()
    ink = InkController(host, recording.session)
    actions = ink.actions

    def action(name: str, text: str, slot: Any, shortcut: str | None = None, checkable: bool = False,
               icon: QIcon | None = None) -> QAction:
        made = QAction(text, window)
        made.setObjectName(f"action_ink_{name}")
        if shortcut:
            made.setShortcut(QKeySequence(shortcut))
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        made.setCheckable(checkable)
        if icon is not None:
            made.setIcon(icon)
        made.triggered.connect(slot)
        window.addAction(made)
        actions[name] = made
        return made

    action("mode", "&Ink Mode", ink.set_active, INK_SHORTCUT, checkable=True, icon=_icon("mdi6.draw"))
    for tool, shortcut in POINTER_SHORTCUTS.items():
        action(tool.value, f"{TOOL_NAMES[tool]}", lambda _=False, t=tool: ink.toggle_pointer(t), shortcut,
               checkable=True, icon=_icon(TOOL_ICONS[tool]))
    tools = QActionGroup(window)
    for tool in DRAW_TOOLS:
        tools.addAction(action(tool.value, TOOL_NAMES[tool], lambda _=False, t=tool: ink.use(t), checkable=True,
                               icon=_icon(TOOL_ICONS[tool])))
    colours = QActionGroup(window)
    for hex_colour, name in COLOURS.values():
        colours.addAction(action(f"colour_{name}", name.capitalize(), lambda _=False, c=hex_colour: _colour(ink, c),
                                 checkable=True, icon=_swatch(hex_colour)))
    action("kept", "&Keep Strokes on This Step", lambda on: _keep(ink, on), checkable=True,
           icon=_icon("mdi6.pin-outline"))
    action("erase", "&Erase Ink of This Step", ink.erase_step, icon=_icon("mdi6.eraser"))

    menu = QMenu("&Ink", window)
    menu.setObjectName("menu_ink")
    _fill(menu, actions, ("mode", None, "laser", "spotlight", "lens", None, *(t.value for t in DRAW_TOOLS), None))
    colour_menu = menu.addMenu("&Colour")
    for _, name in COLOURS.values():
        colour_menu.addAction(actions[f"colour_{name}"])
    menu.addSeparator()
    menu.addAction(actions["kept"])
    menu.addAction(actions["erase"])
    recording.menu.addSeparator()
    recording.menu.addMenu(menu)

    toolbar = QToolBar("Ink", window)
    toolbar.setObjectName("toolbar_ink")
    _fill(toolbar, actions, ("mode", None, *(t.value for t in DRAW_TOOLS), None, "laser", "spotlight", "lens", None))
    for _, name in COLOURS.values():
        toolbar.addAction(actions[f"colour_{name}"])
    toolbar.addSeparator()
    toolbar.addAction(actions["kept"])
    toolbar.addAction(actions["erase"])
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)  # always there: no layout jump on camera

    def follow() -> None:
        on, style = ink.active(), ink.style
        actions["mode"].setChecked(on)
        for tool in (*DRAW_TOOLS, *POINTER_SHORTCUTS):
            actions[tool.value].setChecked(on and style.tool is tool if tool in POINTER_SHORTCUTS
                                           else style.tool is tool)
        for hex_colour, name in COLOURS.values():
            actions[f"colour_{name}"].setChecked(style.colour == hex_colour)
        actions["kept"].setChecked(style.kept)

    ink.style_changed.connect(follow)
    follow()
    return ink


def _fill(container: QMenu | QToolBar, actions: dict[str, QAction], names: tuple[str | None, ...]) -> None:
    """Add the named actions in order; None is a separator."""
    for entry in names:
        if entry is None:
            container.addSeparator()
        else:
            container.addAction(actions[entry])


def _colour(ink: InkController, colour: str) -> None:
    ink.style.colour = colour
    if ink.style.tool not in DRAW_TOOLS:
        ink.use(InkTool.PEN)
    ink.changed(ink.style)


def _keep(ink: InkController, on: bool) -> None:
    ink.style.kept = on
    ink.changed(ink.style)
