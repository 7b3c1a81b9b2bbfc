"""Put the background-run service into the main window (a ``WindowHost``):
the service itself, its progress with Cancel in the status bar, the run
settings dialog and the Sweep panel's dock. The Simulation menu lists the
actions (``app.ui.animation.install``); the panels and the PDF export take
the service from ``window.runs.service``. See docs/runs.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMenu, QWidget
from shiboken6 import isValid

from app.ui.docks import scrolling
from app.ui.host import WindowHost
from app.ui.pdf_export import PdfExporter
from app.ui.runs.handout import MeasuredHandout
from app.ui.runs.progress import RunProgress
from app.ui.runs.service import RunService
from app.ui.runs.settings import RunSettingsDialog
from app.ui.runs.sweep_panel import SweepPanel

SWEEP_SHORTCUT = "Alt+Shift+W"
CANCEL_SHORTCUT = "Ctrl+Alt+X"
MEASURED_PDF_SHORTCUT = "Ctrl+Alt+M"


@dataclass
class RunsUi:
    """What ``install_runs`` added; the main window keeps it as ``window.runs``."""

    service: RunService
    progress: RunProgress
    sweep: SweepPanel
    sweep_dock: QDockWidget
    handout: MeasuredHandout
    actions: dict[str, QAction]

    def settings_dialog(self) -> RunSettingsDialog:
        """Simulation → Run Settings: shown (not modal, so tests can drive it); OK keeps the choice."""
        dialog = RunSettingsDialog(self.service.settings, self.progress.window())
        dialog.accepted.connect(lambda: self._chosen(dialog))
        dialog.show()
        return dialog

    def _chosen(self, dialog: RunSettingsDialog) -> None:
        self.service.set_settings(dialog.chosen())
        self.sweep.replications.setValue(self.service.settings.replications)
        self.service.notice.emit(f"Runs: {self.service.settings.describe()}")


def install_runs(host: WindowHost, pdf: PdfExporter) -> RunsUi:
    """Add the service, the status bar's progress, the settings action, the Sweep panel and
    File → Export PDF Handout with Measurements (through ``pdf``) to ``host``."""
    window = host.widget()
    service = RunService(host.board, parent=window)
    service.notice.connect(lambda text: host.status(text, 8000))
    service.prepare()
    progress = RunProgress(service)
    window.statusBar().addPermanentWidget(progress)
    sweep = SweepPanel(host.board, service)
    dock = QDockWidget("Sweep", window)
    dock.setObjectName("dock-sweep")
    dock.setWidget(scrolling(sweep))
    actions: dict[str, QAction] = {
        "sweep": host.add_dock(dock, Qt.DockWidgetArea.BottomDockWidgetArea, "Sweep", SWEEP_SHORTCUT)}
    dock.hide()
    runs = RunsUi(service, progress, sweep, dock, MeasuredHandout(host, service, pdf), actions)
    _action(window, actions, "run_settings", "Run &Settings…", runs.settings_dialog)
    _action(window, actions, "cancel_runs", "&Cancel Background Runs", service.cancel_all, CANCEL_SHORTCUT)
    measured = _action(window, actions, "export_measured_pdf", "Export PDF Handout with &Measurements…",
                       runs.handout.dialog, MEASURED_PDF_SHORTCUT)
    file_menu = host.menu("file")
    following = next((a for a in file_menu.actions() if a.objectName() == "action_export_pdf"), None)
    below = _after(file_menu, following)
    if below is None:
        file_menu.addAction(measured)
    else:
        file_menu.insertAction(below, measured)
    app = QApplication.instance()
    if app is not None:  # the window's teardown shuts it down too; after that the service is gone
        app.aboutToQuit.connect(lambda: _shutdown(service))
    return runs


def _action(window: QWidget, actions: dict[str, QAction], name: str, text: str, slot: Callable[[], object],
            shortcut: str | None = None) -> QAction:
    """A window-wide action (its keys work wherever the focus is), kept in ``actions`` under ``name``."""
    made = actions[name] = QAction(text, window, shortcut=QKeySequence(shortcut or ""),
                                   shortcutContext=Qt.ShortcutContext.WindowShortcut)
    made.setObjectName(f"action_{name}")
    made.triggered.connect(lambda _checked=False: slot())
    window.addAction(made)
    return made


def _after(menu: QMenu, action: QAction | None) -> QAction | None:
    """The entry after ``action`` in ``menu`` (None: the end), to insert an action just below it."""
    entries = menu.actions()
    if action is None or action not in entries:
        return None
    index = entries.index(action) + 1
    return entries[index] if index < len(entries) else None


def _shutdown(service: RunService) -> None:
    if isValid(service):
        service.shutdown()
