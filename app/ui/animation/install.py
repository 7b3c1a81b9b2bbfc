"""Put the simulation into the main window (a ``WindowHost``, ``app.ui.host``):
its docks, its menu, its keys, the overlay."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from app.sim.controller import SimulationController
from app.sim.live import LIVE_FAILURES
from app.ui.animation.charts_panel import ChartsPanel
from app.ui.animation.control_panel import SimulationPanel
from app.ui.animation.overlay import SimulationOverlay
from app.ui.docks import scrolling
from app.ui.host import WindowHost
from app.ui.plain import plain_markup

SHORTCUTS = {
    "toggle": "F5", "step": "F6", "restart": "Ctrl+F5", "stop": "Shift+F5",
    "dock": "Ctrl+Shift+M", "charts": "Ctrl+Shift+K", "export": "Ctrl+Alt+E",
}


@dataclass
class SimulationUi:
    """What ``install_simulation`` added; the main window keeps it as ``window.simulation``."""

    controller: SimulationController
    overlay: SimulationOverlay
    panel: SimulationPanel
    charts: ChartsPanel
    dock: QDockWidget
    charts_dock: QDockWidget
    menu: QMenu
    actions: dict[str, QAction]


def install_simulation(host: WindowHost) -> SimulationUi:
    """Add the simulation dock, the charts dock, the Simulation menu and the overlay to ``host``."""
    window = host.widget()
    board = host.board
    controller = SimulationController(lambda: board, parent=window)
    overlay = SimulationOverlay(host.scene, host.view, parent=window)
    controller.displayed.connect(overlay.apply)
    panel = SimulationPanel(controller, host.selection)
    charts = ChartsPanel(controller, host.selection, host.runs.service)
    dock = QDockWidget("Simulation", window)
    dock.setObjectName("dock-simulation")
    dock.setWidget(scrolling(panel))
    charts_dock = QDockWidget("Simulation charts", window)
    charts_dock.setObjectName("dock-simulation-charts")
    charts_dock.setWidget(scrolling(charts))
    host.add_dock(dock, Qt.DockWidgetArea.RightDockWidgetArea, "Simulation", SHORTCUTS["dock"])
    host.add_dock(charts_dock, Qt.DockWidgetArea.BottomDockWidgetArea, "Simulation charts", SHORTCUTS["charts"])
    window.tabifyDockWidget(host.inspector_dock, dock)
    host.inspector_dock.raise_()
    charts_dock.hide()

    def size_charts(visible: bool) -> None:
        if visible:
            window.resizeDocks([charts_dock], [max(260, window.height() // 3)], Qt.Orientation.Vertical)

    charts_dock.visibilityChanged.connect(size_charts)
    controller.run_started.connect(dock.raise_)
    panel.message.connect(lambda text: host.status(text, 6000))

    def compare() -> None:
        charts_dock.show()
        charts.compare()

    actions = _build_actions(window, controller, panel, compare, lambda: export_animation_dialog(host, controller))
    menu = _build_menu(host, actions)
    app = QApplication.instance()
    if app is not None:  # the engine's child processes and threads end with the program
        app.aboutToQuit.connect(controller.shutdown)
    window.destroyed.connect(lambda *_: controller.shutdown())
    return SimulationUi(controller, overlay, panel, charts, dock, charts_dock, menu, actions)


def _build_actions(window: QWidget, controller: SimulationController, panel: SimulationPanel,
                   compare: Callable[[], None], export: Callable[[], None]) -> dict[str, QAction]:
    def action(name: str, text: str, slot: Callable[[], object], shortcut: str | None = None) -> QAction:
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
    action("compare", "&Compare Baseline and Interventions", compare, None)
    for failure in LIVE_FAILURES:
        action(f"live_{failure.key}", failure.text, functools.partial(panel.fire, failure), failure.key)
    action("export", "&Export Animation…", export, SHORTCUTS["export"])
    return actions


def _build_menu(host: WindowHost, actions: dict[str, QAction]) -> QMenu:
    menu = QMenu("&Simulation", host.widget())
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
    menu.addSeparator()
    for name in ("sweep", "run_settings", "cancel_runs"):  # the background-run service (app.ui.runs)
        menu.addAction(host.runs.actions[name])
    host.add_menu("simulation", menu, before="help")
    return menu


def export_animation_dialog(host: WindowHost, controller: SimulationController) -> None:
    """Ask where, then render the current scenario and interventions to a GIF (or MP4)."""
    from app.ui.animation.export import AnimationError, ExportSettings, export_animation

    window = host.widget()
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
        export_animation(host.board.document(), path, settings, report)
    except AnimationError as error:
        QMessageBox.warning(window, "Export animation", plain_markup(str(error)))
    finally:
        progress.close()
