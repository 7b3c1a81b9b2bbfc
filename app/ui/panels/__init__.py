"""Analysis panels (the HUMMBL steps and one panel per board section).

``install_panels(host)`` adds them to the main window (a ``WindowHost``,
``app.ui.host``) as docks and returns what it built. Panels edit only
through the window's editor and follow the board's events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from app.ui.docks import scrolling
from app.ui.host import WindowHost
from app.ui.panels.bottlenecks import BottlenecksPanel
from app.ui.panels.cascades import CascadesPanel
from app.ui.panels.context import PanelContext
from app.ui.panels.failure_modes import FailureModesPanel
from app.ui.panels.flows import FlowsPanel
from app.ui.panels.interventions import InterventionsPanel
from app.ui.panels.loops import LoopsPanel
from app.ui.panels.queues import QueuesPanel
from app.ui.panels.reflection import ReflectionPanel
from app.ui.panels.scenarios import ScenariosPanel
from app.ui.panels.stages import StagesPanel
from app.ui.panels.stakeholders import StakeholdersPanel
from app.ui.panels.steps import StepNavigator
from app.ui.panels.topology import TopologyPanel
from models.simulation.result import SimulationResult

if TYPE_CHECKING:
    from app.sim.controller import SimulationController

SECTION_PANELS: list[tuple[str, Callable[[PanelContext], QWidget], str, str]] = [
    # (board section, panel class, menu text, shortcut that shows the dock)
    ("stakeholders", StakeholdersPanel, "Stakeholders", "Alt+Shift+1"),
    ("bottlenecks", BottlenecksPanel, "Bottlenecks", "Alt+Shift+2"),
    ("failure_modes", FailureModesPanel, "Failure modes", "Alt+Shift+3"),
    ("flows", FlowsPanel, "Flows", "Alt+Shift+4"),
    ("stages", StagesPanel, "Pipeline stages", "Alt+Shift+5"),
    ("queues", QueuesPanel, "Queues", "Alt+Shift+6"),
    ("loops", LoopsPanel, "Feedback loops", "Alt+Shift+7"),
    ("cascades", CascadesPanel, "Cascades", "Alt+Shift+8"),
    ("topology", TopologyPanel, "Topology", "Alt+Shift+9"),
    ("reflection", ReflectionPanel, "Reflection", "Alt+Shift+0"),
    ("interventions", InterventionsPanel, "Interventions", "Alt+Shift+I"),
    ("scenarios", ScenariosPanel, "Scenarios", "Alt+Shift+C"),
]
STEPS_SHORTCUT = "Alt+Shift+S"


@dataclass(frozen=True)
class Panels:
    """What ``install_panels`` added: the docks and their panels by section (``steps`` for the navigator)."""

    docks: dict[str, QDockWidget]
    widgets: dict[str, QWidget]
    navigator: StepNavigator
    context: PanelContext

    def show_runs(self, controller: SimulationController) -> None:
        """The Bottlenecks panel shows the utilisation of the shown run when it reaches its end."""
        panel = self.widgets.get("bottlenecks")

        def summarised(key: object, result: SimulationResult) -> None:
            if isinstance(panel, BottlenecksPanel) and key == controller.run_key():
                panel.show_run(result)

        controller.summarised.connect(summarised)


def install_panels(host: WindowHost) -> Panels:
    """Add the step navigator and the section panels to ``host`` as docks.

    The section panels share one tab group. Going to a step raises the dock
    of the section that step fills.
    """
    context = PanelContext.from_host(host)
    docks: dict[str, QDockWidget] = {}
    widgets: dict[str, QWidget] = {}
    window = host.widget()

    def dock_for(key: str, widget: QWidget, text: str) -> QDockWidget:
        dock = QDockWidget(text, window)
        dock.setObjectName(f"dock-{key}")
        dock.setWidget(scrolling(widget))
        docks[key], widgets[key] = dock, widget
        return dock

    navigator = StepNavigator(context)
    host.add_dock(dock_for("steps", navigator, "Steps"), Qt.DockWidgetArea.LeftDockWidgetArea,
                  "Steps", STEPS_SHORTCUT)
    first: QDockWidget | None = None
    for section, panel_class, text, shortcut in SECTION_PANELS:
        dock = dock_for(section, panel_class(context), text)
        host.add_dock(dock, Qt.DockWidgetArea.RightDockWidgetArea, text, shortcut)
        if first is None:
            first = dock
        else:
            window.tabifyDockWidget(first, dock)

    def raise_section(section: str) -> None:
        dock = docks.get(section)
        if dock is not None and not window.property("presenting"):  # presenter mode shows no docks
            dock.show()
            dock.raise_()

    navigator.section_requested.connect(raise_section)
    return Panels(docks, widgets, navigator, context)
