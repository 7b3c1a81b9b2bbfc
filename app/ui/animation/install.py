"""Put the simulation into the main window: its docks, its menu, its keys, the overlay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QScrollArea,
    QWidget,
)

from app.sim.controller import SimulationController
from app.sim.live import LIVE_FAILURES
from app.ui.animation.charts_panel import ChartsPanel
from app.ui.animation.control_panel import SimulationPanel
from app.ui.animation.overlay import SimulationOverlay

SHORTCUTS = {
    "toggle": "F5", "step": "F6", "restart": "Ctrl+F5", "stop": "Shift+F5",
    "dock": "Ctrl+Shift+M", "charts": "Ctrl+Shift+K", "export": "Ctrl+Alt+E",
}


@dataclass
class SimulationUi:
    """What ``install_simulation`` added, kept on the window as ``window.simulation``."""

    controller: SimulationController
    overlay: SimulationOverlay
    panel: SimulationPanel
    charts: ChartsPanel
    dock: QDockWidget
    charts_dock: QDockWidget
    menu: QMenu
    actions: dict[str, QAction]


def install_simulation(window: Any) -> SimulationUi:
    """Add the simulation dock, the charts dock, the Simulation menu and the overlay to ``window``.

    The window provides ``board``, ``selection``, ``scene``, ``view`` and
    ``add_dock(dock, area, menu_text, shortcut)``.
    """
    controller = SimulationController(lambda: window.board, parent=window)
    overlay = SimulationOverlay(window.scene, window.view, parent=window)
    controller.displayed.connect(overlay.apply)
    panel = SimulationPanel(controller, window.selection)
    charts = ChartsPanel(controller, window.selection)
    dock = QDockWidget("Simulation", window)
    dock.setObjectName("dock-simulation")
    dock.setWidget(_scrolling(panel))
    charts_dock = QDockWidget("Simulation charts", window)
    charts_dock.setObjectName("dock-simulation-charts")
    charts_dock.setWidget(_scrolling(charts))
    window.add_dock(dock, Qt.DockWidgetArea.RightDockWidgetArea, "Simulation", SHORTCUTS["dock"])
    window.add_dock(charts_dock, Qt.DockWidgetArea.BottomDockWidgetArea, "Simulation charts", SHORTCUTS["charts"])
    inspector = getattr(window, "inspector_dock", None)
    if isinstance(inspector, QDockWidget):
        window.tabifyDockWidget(inspector, dock)
        inspector.raise_()
    charts_dock.hide()
    charts_dock.visibilityChanged.connect(
        lambda visible: visible and window.resizeDocks([charts_dock], [max(260, window.height() // 3)],
                                                       Qt.Orientation.Vertical))
    controller.run_started.connect(dock.raise_)
    status = window.statusBar()
    panel.message.connect(lambda text: status.showMessage(text, 6000))
    actions = _build_actions(window, controller, panel)
    menu = _build_menu(window, actions)
    app = QApplication.instance()
    if app is not None:  # the engine's child processes and threads end with the program
        app.aboutToQuit.connect(controller.shutdown)
    window.destroyed.connect(lambda *_: controller.shutdown())
    ui = SimulationUi(controller, overlay, panel, charts, dock, charts_dock, menu, actions)
    window.simulation = ui
    return ui


def _scrolling(widget: QWidget) -> QScrollArea:
    """A dock's content in a scroll area, so the dock never forces the window taller."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


def _build_actions(window: Any, controller: SimulationController, panel: SimulationPanel) -> dict[str, QAction]:
    def action(name: str, text: str, slot: Any, shortcut: str | None = None) -> QAction:
        made = QAction(text, window)
        if shortcut:
            made.setShortcut(QKeySequence(shortcut))
        made.triggered.connect(lambda _checked=False: slot())
        window.addAction(made)
        actions[name] = made
        return made

    actions: dict[str, QAction] = {}
    action("toggle", "&Play / Pause", controller.toggle, SHORTCUTS["toggle"])
    action("step", "&Step One Frame", controller.step, SHORTCUTS["step"])
    action("restart", "&Restart (Same Seed)", controller.restart, SHORTCUTS["restart"])
    action("stop", "St&op and Show the Board", controller.stop, SHORTCUTS["stop"])
    action("compare", "&Compare Baseline and Interventions", panel_charts_compare(window), None)
    for failure in LIVE_FAILURES:
        action(f"live_{failure.key}", failure.text, lambda f=failure: panel.fire(f), failure.key)
    action("export", "&Export Animation…", lambda: export_animation_dialog(window), SHORTCUTS["export"])
    return actions


def panel_charts_compare(window: Any) -> Any:
    def compare() -> None:
        ui = window.simulation
        ui.charts_dock.show()
        ui.charts.compare()

    return compare


def _build_menu(window: Any, actions: dict[str, QAction]) -> QMenu:
    menu = QMenu("&Simulation", window)
    menu.setObjectName("menu_simulation")
    for name in ("toggle", "step", "restart", "stop"):
        menu.addAction(actions[name])
    menu.addSeparator()
    live = menu.addMenu("&Live Failures")
    for failure in LIVE_FAILURES:
        live.addAction(actions[f"live_{failure.key}"])
    menu.addSeparator()
    menu.addAction(actions["compare"])
    menu.addAction(actions["export"])
    bar = window.menuBar()
    help_menu = getattr(window, "menus", {}).get("help")
    if help_menu is not None:
        bar.insertMenu(help_menu.menuAction(), menu)
    else:
        bar.addMenu(menu)
    menus = getattr(window, "menus", None)
    if isinstance(menus, dict):
        menus["simulation"] = menu
    return menu


def export_animation_dialog(window: Any) -> None:
    """Ask where, then render the current scenario and interventions to a GIF (or MP4)."""
    from app.ui.animation.export import AnimationError, ExportSettings, export_animation

    controller: SimulationController = window.simulation.controller
    if not controller.scenarios():
        QMessageBox.information(window, "Export animation", "This board has no simulation scenario.")
        return
    path, _ = QFileDialog.getSaveFileName(window, "Export animation", "cascade.gif",
                                          "GIF animation (*.gif);;MP4 video (*.mp4)")
    if not path:
        return
    settings = ExportSettings(scenario_id=controller.scenario_id or controller.scenarios()[0][0],
                              interventions=controller.interventions, seed=controller.seed)
    progress = QProgressDialog("Rendering the animation…", "Cancel", 0, 100, window)
    progress.setWindowModality(Qt.WindowModality.WindowModal)

    def report(done: int, total: int) -> bool:
        progress.setMaximum(total)
        progress.setValue(done)
        return not progress.wasCanceled()

    try:
        export_animation(window.board.document(), path, settings, report)
    except AnimationError as error:
        QMessageBox.warning(window, "Export animation", str(error))
    finally:
        progress.close()
