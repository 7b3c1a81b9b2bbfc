"""Workspaces: named dock layouts (View → Workspaces). "Recording" is the layout the
case-study script suggests (the system summary and stakeholders on the left, the
canvas in the centre, the steps with their notes and the operator reference on the
right); "Analysis" is the window's full layout. Layouts the user saves are kept in
the settings, never in the board: a workspace is view state. See docs/recording.md.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMainWindow, QMenu

from app.ui.files import settings

BUILT_IN = ("Recording", "Analysis")
KEY = "workspaces"
RECORDING_SHORTCUT = "Ctrl+Alt+1"
ANALYSIS_SHORTCUT = "Ctrl+Alt+2"
RECORDING_LEFT = ("dock-stakeholders",)
RECORDING_RIGHT = ("dock-steps",)
SIDE_SHARE = 0.2
"""Each side column's share of the window's width in the Recording workspace."""
FIRST_START_LEFT = ("dock_palette", "dock-steps", "dock_outline")
FIRST_START_RIGHT = ("dock_inspector", "dock-simulation", "dock_layers")
FIRST_START_FRONT = ("dock-steps", "dock_inspector")
"""A first start (no saved layout) shows only these docks, in two narrow columns, so the
canvas gets most of the screen; the analysis panels open from View → Panels, their keys,
or by going to their step. ``FIRST_START_FRONT`` are the tabs in front."""
FIRST_START_WIDTHS = (0.19, 0.17)
"""The left and right columns' shares of the window's width on a first start."""


class Workspaces:
    """Apply, save and delete named layouts of ``window``'s docks."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.analysis = window.saveState()
        """The full layout as the window built it (taken before any saved layout is restored)."""

    def _docks(self) -> dict[str, QDockWidget]:
        return {d.objectName(): d for d in self.window.findChildren(QDockWidget) if d.parent() is self.window}

    def saved_names(self) -> list[str]:
        store = settings()
        store.beginGroup(KEY)
        try:
            return sorted(store.childKeys())
        finally:
            store.endGroup()

    def apply(self, name: str) -> bool:
        """Show the workspace ``name``; False if there is none of that name."""
        if name == "Recording":
            self.recording()
            return True
        if name == "Analysis":
            return bool(self.window.restoreState(self.analysis))
        state = settings().value(f"{KEY}/{name}")
        return isinstance(state, QByteArray) and bool(self.window.restoreState(state))

    def recording(self) -> None:
        window = self.window
        docks = self._docks()
        for dock in docks.values():
            dock.hide()
        placed = []
        for names, area in ((RECORDING_LEFT, Qt.DockWidgetArea.LeftDockWidgetArea),
                            (RECORDING_RIGHT, Qt.DockWidgetArea.RightDockWidgetArea)):
            for name in names:
                found = docks.get(name)
                if found is None:
                    continue
                dock = found
                dock.setFloating(False)
                window.addDockWidget(area, dock)
                dock.show()
                placed.append(dock)
        if placed:
            width = max(260, int(window.width() * SIDE_SHARE))
            window.resizeDocks(placed, [width] * len(placed), Qt.Orientation.Horizontal)

    def first_start(self) -> None:
        """The layout of a first start: ``FIRST_START_LEFT`` and ``FIRST_START_RIGHT`` shown
        where the window built them (each column's tabs stay together), everything else hidden."""
        window = self.window
        docks = self._docks()
        shown = set(FIRST_START_LEFT + FIRST_START_RIGHT)
        for name, dock in docks.items():
            if dock.isFloating():
                dock.setFloating(False)
            dock.setVisible(name in shown)
        for name in FIRST_START_FRONT:
            if name in docks:
                docks[name].raise_()
        columns = [docks[names[0]] for names in (FIRST_START_LEFT, FIRST_START_RIGHT) if names[0] in docks]
        widths = [max(220, int(window.width() * share)) for share in FIRST_START_WIDTHS][: len(columns)]
        window.resizeDocks(columns, widths, Qt.Orientation.Horizontal)

    def save(self, name: str) -> str | None:
        """Keep the current layout as ``name``; an error message if the name cannot be used."""
        name = name.strip()
        if not name:
            return "A workspace needs a name"
        if name in BUILT_IN:
            return f"'{name}' is a built-in workspace: choose another name"
        if "/" in name or "\\" in name:
            return "A workspace name cannot contain / or \\"
        settings().setValue(f"{KEY}/{name}", self.window.saveState())
        return None

    def delete(self, name: str) -> None:
        settings().remove(f"{KEY}/{name}")


def install_workspaces(window: QMainWindow, view_menu: QMenu, say: object) -> tuple[Workspaces, dict[str, QAction]]:
    """Add View → Workspaces to ``view_menu``; ``say(text)`` reports to the status bar."""
    spaces = Workspaces(window)
    menu = view_menu.addMenu("&Workspaces")
    menu.setObjectName("menu_workspaces")
    actions: dict[str, QAction] = {}

    def report(text: str) -> None:
        if callable(say):
            say(text)

    def apply(name: str) -> None:
        report(f"Workspace: {name}" if spaces.apply(name) else f"There is no workspace named '{name}'")

    def forget(name: str) -> None:
        spaces.delete(name)
        report(f"Deleted workspace '{name}'")

    for name, shortcut in (("Recording", RECORDING_SHORTCUT), ("Analysis", ANALYSIS_SHORTCUT)):
        action = QAction(f"&{name}", window)
        action.setObjectName(f"action_workspace_{name.lower()}")
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _c=False, n=name: apply(n))
        window.addAction(action)
        actions[f"workspace_{name.lower()}"] = action

    def save_current() -> None:
        name, ok = QInputDialog.getText(window, "Save Workspace", "Name of this layout:")
        if not ok:
            return
        problem = spaces.save(name)
        report(problem or f"Saved workspace '{name.strip()}'")

    save = QAction("&Save Current Layout as…", window)
    save.setObjectName("action_workspace_save")
    save.triggered.connect(save_current)
    actions["workspace_save"] = save

    def fill() -> None:
        menu.clear()
        menu.addAction(actions["workspace_recording"])
        menu.addAction(actions["workspace_analysis"])
        names = spaces.saved_names()
        if names:
            menu.addSeparator()
        for name in names:
            made = menu.addAction(name)
            made.triggered.connect(lambda _c=False, n=name: apply(n))
        menu.addSeparator()
        menu.addAction(save)
        delete = menu.addMenu("&Delete")
        delete.setEnabled(bool(names))
        for name in names:
            made = delete.addAction(name)
            made.triggered.connect(lambda _c=False, n=name: forget(n))

    fill()
    menu.aboutToShow.connect(fill)
    return spaces, actions
