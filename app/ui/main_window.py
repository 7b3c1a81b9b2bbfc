"""The main window: the canvas in the middle, the palette, inspector, layers
and outline docks, menus, toolbar and status bar; files, recent files,
autosave and recovery.

The window owns ONE ``Board`` for its lifetime: opening, new and revert call
``board.replace_document`` and clear the undo stack, so everything listening
to the board (scene, docks, the analysis panels) stays connected.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QTabBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.desktop import app_icon
from app.ui.actions import (
    CANVAS_SCOPED,
    GESTURES,
    build_actions,
    build_menus,
    build_toolbar,
    fill_context_menu,
    shortcut_rows,
)
from app.ui.animation.install import SimulationUi, install_simulation
from app.ui.autosave import IdleAutosave
from app.ui.canvas.scene import BoardScene
from app.ui.canvas.view import BoardView
from app.ui.docks.inspector import Inspector
from app.ui.docks.layers import LayersPanel
from app.ui.docks.outline import Outline
from app.ui.docks.palette import Palette
from app.ui.editor import BoardEditor
from app.ui.files import RecentFiles, RecoveryStore, settings
from app.ui.gallery import install_gallery
from app.ui.icons import icon as cached_icon
from app.ui.interop import Interop
from app.ui.jobs import JobRunner
from app.ui.panels import Panels, install_panels
from app.ui.pdf_export import PdfExporter
from app.ui.present.ink import InkController, install_ink
from app.ui.present.install import Recording, install_recording
from app.ui.present.presenter import PresenterUi, extra_key_lists, install_presenter
from app.ui.runs.install import RunsUi, install_runs
from app.ui.selection import SelectionModel
from app.ui.theme import apply_app_theme, theme_named
from app.ui.window_edits import EditController
from app.ui.window_files import AUTOSAVE_MS, FileController
from app.visual import KIND_NAMES
from models.board import Board
from models.document import LAYER_NAMES


def readable_tabs(bar: QTabBar) -> None:
    """Whole tab titles ("Stakeholders", not "S…") with scroll arrows when they do not fit."""
    bar.setElideMode(Qt.TextElideMode.ElideNone)
    bar.setUsesScrollButtons(True)


class MainWindow(QMainWindow):
    """One board, one undo stack, one selection; see the module docstring.

    It is the ``WindowHost`` (``app.ui.host``) the panels and the simulation install into.
    """

    def __init__(self, recovery: RecoveryStore | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self._alive = True
        self.board = Board()
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(1000)
        self.editor = BoardEditor(self.board, self.undo_stack)
        self.selection = SelectionModel(self)
        stored = settings()
        self.theme = theme_named(str(stored.value("view/theme", "light")))
        self.scene = BoardScene(self.board, self.editor, self.selection, self.theme, self, chunked=True)
        self.scene.set_theme(self.theme)
        self.view = BoardView(self.scene)
        self.view.context_menu_builder = lambda menu, item, pos: fill_context_menu(self, menu, item, pos)
        self.setCentralWidget(self.view)
        self.jobs = JobRunner(self)
        self.edits = EditController(self, self.board, self.editor, self.selection, self.scene, self.view)
        self.files = FileController(self, self.board, self.undo_stack, self.selection, self.scene, self.view,
                                    RecentFiles(), recovery or RecoveryStore(), self.edits.selected_nodes)
        self.pdf = PdfExporter(self, self.board, self.jobs, lambda: self.files.path)
        self.interop = Interop(self, self.board, self.undo_stack, self.jobs)
        self._menus: dict[str, QMenu] = {}
        self.dock_actions: list[QAction] = []
        self.docks_menu: QMenu | None = None
        self.action_set = build_actions(self)
        """The window's actions by name (not ``actions``, which is ``QWidget.actions()``)."""
        self._menus.update(build_menus(self))
        install_gallery(self)
        self.toolbar = build_toolbar(self)
        self.addToolBar(self.toolbar)
        self._build_docks()
        self._build_status_bar()
        own = set(self.findChildren(QDockWidget))
        self.runs: RunsUi = install_runs(self, self.pdf)
        self.panels: Panels = install_panels(self)
        self.simulation: SimulationUi = install_simulation(self)
        self.panels.show_runs(self.simulation.controller)
        self.recording: Recording = install_recording(self, self.panels.navigator)
        self.ink: InkController = install_ink(self, self.recording)
        self._arrange_docks([d for d in self.findChildren(QDockWidget) if d not in own])
        self.presenter: PresenterUi = install_presenter(self, self.view, self.recording, self.menu("view"),
                                                        self.toolbar)
        self._restore_state()
        self._connect()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.files.autosave)
        self.autosave_timer.start()
        self.idle_autosave = IdleAutosave(self.undo_stack, lambda: self._alive and self.files.autosave(), self)
        self._update_title()
        self._update_actions()
        self._sync_layer_actions()

    # --- WindowHost (app.ui.host) ---------------------------------------------------

    @property
    def path(self) -> str | None:
        """The file the board was opened from or saved to (None: untitled)."""
        return self.files.path

    def widget(self) -> QMainWindow:
        return self

    def menu(self, name: str) -> QMenu:
        return self._menus[name]

    def add_menu(self, name: str, menu: QMenu, before: str | None = None) -> None:
        if before is not None and before in self._menus:
            self.menuBar().insertMenu(self._menus[before].menuAction(), menu)
        else:
            self.menuBar().addMenu(menu)
        self._menus[name] = menu

    def status(self, text: str, timeout_ms: int = 0) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea, menu_text: str,
                 shortcut: str | None = None) -> QAction:
        """Add a dock and its entry in View → Panels. The entry (and its shortcut) brings a
        dock that is closed or behind another tab to the front, and closes it when it is in front."""
        if not dock.objectName():
            dock.setObjectName(f"dock_{menu_text.lower().replace(' ', '_')}")
        self.addDockWidget(area, dock)
        action = QAction(menu_text, self)
        action.setObjectName(f"action_{dock.objectName()}")
        action.setCheckable(True)
        action.setChecked(not dock.isHidden())
        dock.toggleViewAction().toggled.connect(action.setChecked)
        action.triggered.connect(lambda _checked=False: self._show_or_close(dock, action))
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            self.addAction(action)
        if self.docks_menu is not None:
            self.docks_menu.addAction(action)
        self.dock_actions.append(action)
        return action

    @staticmethod
    def _show_or_close(dock: QDockWidget, action: QAction) -> None:
        in_front = dock.isVisible() and not dock.visibleRegion().isEmpty()
        if in_front:
            dock.close()
        else:
            dock.show()
            dock.raise_()
            inner = dock.widget()
            if inner is not None:
                inner.setFocus()
        action.setChecked(not dock.isHidden())

    # --- building -------------------------------------------------------------------

    def icon_colour(self) -> str:
        return "#CFD8DC" if self.theme.dark else "#37474F"

    def _dock(self, title: str, widget: QWidget, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        return dock

    def _build_docks(self) -> None:
        self.palette_panel = Palette(self.icon_colour())
        self.palette_panel.kind_activated.connect(lambda kind: self.view.add_node_at(
            self.view.mapToScene(self.view.viewport().rect().center()), kind,
            KIND_NAMES[kind], edit=True))
        self.inspector = Inspector(self.board, self.editor, self.selection)
        self.layers_panel = LayersPanel(self.board, self.editor)
        self.outline = Outline(self.board, self.selection)
        self.outline.activated.connect(self.edits.reveal)
        self.outline.tree.addActions([self.action_set[name] for name in CANVAS_SCOPED])
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.palette_dock = self._dock("Palette", self.palette_panel, "dock_palette")
        self.outline_dock = self._dock("Outline", self.outline, "dock_outline")
        self.inspector_dock = self._dock("Inspector", self.inspector, "dock_inspector")
        self.layers_dock = self._dock("Layers", self.layers_panel, "dock_layers")
        self.add_dock(self.palette_dock, left, "Palette", "Ctrl+Shift+1")
        self.add_dock(self.outline_dock, left, "Outline", "Ctrl+Shift+2")
        self.add_dock(self.inspector_dock, right, "Inspector", "Ctrl+Shift+3")
        self.add_dock(self.layers_dock, right, "Layers", "Ctrl+Shift+4")
        self.splitDockWidget(self.palette_dock, self.outline_dock, Qt.Orientation.Vertical)
        self.splitDockWidget(self.inspector_dock, self.layers_dock, Qt.Orientation.Vertical)
        self.resizeDocks([self.palette_dock, self.inspector_dock], [190, 330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.palette_dock, self.outline_dock], [300, 400], Qt.Orientation.Vertical)
        self.resizeDocks([self.inspector_dock, self.layers_dock], [520, 240], Qt.Orientation.Vertical)

    def _arrange_docks(self, added: list[QDockWidget]) -> None:
        """Keep the canvas wide: docks added by the panels join the outline's
        tabs on the left; on the right the inspector shares tabs with the
        layers and the panels' tab group sits below."""
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        for dock in added:
            inner = dock.widget()
            if inner is not None and inner.minimumSizeHint().width() > 300:
                inner.setMinimumWidth(300)
            if self.dockWidgetArea(dock) == left:
                self.tabifyDockWidget(self.outline_dock, dock)
        self.tabifyDockWidget(self.inspector_dock, self.layers_dock)
        self.outline_dock.raise_()
        self.inspector_dock.raise_()
        self._right_added = [d for d in added if self.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea]
        self._sized = False

    def _size_docks(self) -> None:
        """First show without a saved layout: give the canvas most of the width."""
        width, height = self.width(), self.height()
        right = max(380, width // 4)
        columns = [self.palette_dock, self.inspector_dock, *self._right_added[:1]]
        self.resizeDocks(columns, [max(200, width // 7), right, right][: len(columns)], Qt.Orientation.Horizontal)
        self.resizeDocks([self.palette_dock, self.outline_dock], [height * 3 // 10, height * 6 // 10],
                         Qt.Orientation.Vertical)
        if self._right_added:
            self.resizeDocks([self.inspector_dock, self._right_added[0]], [height * 5 // 10, height * 4 // 10],
                             Qt.Orientation.Vertical)

    def show_as_started(self) -> None:
        """Show the window as the program starts it. A first start (no saved layout) fills
        the screen's free area and shows only a few docks (``Workspaces.first_start``), so
        the board gets the screen; later starts show the layout saved at the last close."""
        if not self.first_start:
            self.show()
            return
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.availableGeometry())
        self.presenter.workspaces.first_start()
        self._sized = True  # the first-start layout has its own sizes
        self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        self.show()
        self.view.setFocus()
        QTimer.singleShot(0, lambda: self._fit_to_screen(maximized_too=True))  # the frame is known now
        QTimer.singleShot(0, self.view.zoom_to_fit)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self.view.setFocus()  # drawing keys work from the first moment
            if self.first_start:
                self._size_docks()
            QTimer.singleShot(0, self._ensure_canvas_room)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ChildPolished:
            child = event.child()  # type: ignore[attr-defined]
            if isinstance(child, QTabBar):  # the tabs of docks tabbed together
                readable_tabs(child)
        return super().event(event)

    def _ensure_canvas_room(self) -> None:
        """Whatever a saved layout or the panels say, the canvas keeps at least half the width."""
        if self.view.width() < self.width() * 0.45:
            self._size_docks()
        self.view.zoom_to_fit()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.selection_label = QLabel()
        self.snap_label = QLabel()
        self.zoom_label = QLabel()
        for label in (self.selection_label, self.snap_label, self.zoom_label):
            label.setContentsMargins(8, 0, 8, 0)
            label.setTextFormat(Qt.TextFormat.PlainText)
            bar.addPermanentWidget(label)
        # a big board's items are built in steps after the open (BoardScene.building): how far
        self.build_bar = QProgressBar()
        self.build_bar.setMaximumWidth(160)
        self.build_bar.setFormat("Drawing the board… %p%")
        self.build_bar.setVisible(False)
        bar.addPermanentWidget(self.build_bar)
        self.scene.build_progress.connect(self._build_progressed)

    def _build_progressed(self, done: int, total: int) -> None:
        self.build_bar.setVisible(done < total)
        self.build_bar.setRange(0, max(total, 1))
        self.build_bar.setValue(done)

    def _connect(self) -> None:
        self.undo_stack.cleanChanged.connect(self._stack_changed)
        self.undo_stack.indexChanged.connect(self._stack_changed)
        self.selection.changed.connect(lambda _ids: self._update_actions())
        self.view.zoom_changed.connect(lambda _z: self._update_status())
        self.view.status_message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.view.file_dropped.connect(self.files.open_path)
        self.view.files_dropped_for_import.connect(self.interop.import_files)
        self.files.loaded.connect(self.edits.forget_paste)
        self.files.changed.connect(self._update_actions)
        self.board.events.layers_changed.connect(lambda old, new: self._sync_layer_actions())
        self.board.events.reset.connect(self._sync_layer_actions)
        self.board.events.meta_changed.connect(lambda old, new: self._update_title())
        self._prune_timer = QTimer(self, singleShot=True, interval=0)
        self._prune_timer.timeout.connect(self._prune_selection)
        self.board.events.changed.connect(self._prune_timer.start)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._application_state_changed)

    def _prune_selection(self) -> None:
        if self._alive:
            self.edits.prune_selection()

    def _application_state_changed(self, state: Qt.ApplicationState) -> None:
        if self._alive:
            self.files.application_state_changed(state)

    # --- title, status, enabled actions ------------------------------------------------

    def _stack_changed(self, *_args: Any) -> None:
        if self._alive:
            self._update_actions()

    def _teardown(self) -> None:
        """Closed for good: stop the timers and signals that would reach a dead window."""
        if not self._alive:
            return
        self._alive = False
        self.autosave_timer.stop()
        self.idle_autosave.stop()
        self.pdf.wait()
        self.runs.service.shutdown()
        self.jobs.cancel_all()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            with contextlib.suppress(RuntimeError, TypeError):
                app.applicationStateChanged.disconnect(self._application_state_changed)
        for signal in (self.undo_stack.cleanChanged, self.undo_stack.indexChanged):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(self._stack_changed)

    def _update_title(self) -> None:
        name = Path(self.path).name if self.path else "Untitled"
        self.setWindowModified(self.files.is_modified())
        self.setWindowTitle(f"{name}[*] — {self.board.meta.title} — Cascade Board")
        if "revert" in self.action_set:
            self.action_set["revert"].setEnabled(self.path is not None and self.files.is_modified())

    def _update_status(self) -> None:
        ids = self.selection.ids
        counts: dict[str, int] = {}
        for entity_id in ids:
            found = self.board.find(entity_id)
            if found:
                counts[found[0]] = counts.get(found[0], 0) + 1
        if counts:
            parts = [f"{n} {c[:-1] if n == 1 else c}".replace("_", " ") for c, n in counts.items()]
            self.selection_label.setText("Selected: " + ", ".join(parts))
        else:
            self.selection_label.setText(f"{len(self.board.nodes)} nodes, {len(self.board.edges)} edges")
        self.snap_label.setText("Snap: on" if self.scene.snap_enabled else "Snap: off")
        self.zoom_label.setText(f"Zoom {self.view.zoom() * 100:.0f}%")

    def _update_actions(self) -> None:
        ids = self.selection.ids
        nodes = self.edits.selected_nodes()
        has = bool(ids)
        for name in ("cut", "copy", "duplicate"):
            self.action_set[name].setEnabled(bool(nodes))
        self.action_set["delete"].setEnabled(has)
        self.action_set["connect"].setEnabled(len(nodes) >= 2)
        for name in ("align_left", "align_hcenter", "align_right", "align_top", "align_vcenter", "align_bottom"):
            self.action_set[name].setEnabled(len(nodes) >= 2)
        for name in ("distribute_x", "distribute_y"):
            self.action_set[name].setEnabled(len(nodes) >= 3)
        self.action_set["export_selection"].setEnabled(has)
        self._update_status()
        self._update_title()

    def _sync_layer_actions(self) -> None:
        for layer in LAYER_NAMES:
            self.action_set[f"layer_{layer}"].setChecked(bool(getattr(self.board.layers, layer)))

    # --- view toggles -------------------------------------------------------------------------

    def toggle_snap(self) -> None:
        self.scene.snap_enabled = self.action_set["snap"].isChecked()
        self._update_status()

    def toggle_grid(self) -> None:
        self.scene.show_grid = self.action_set["grid"].isChecked()
        self.scene.update()

    def toggle_theme(self) -> None:
        self.set_theme("dark" if self.action_set["dark"].isChecked() else "light")

    def set_theme(self, name: str) -> None:
        self.theme = theme_named(name)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_app_theme(app, self.theme)
        self.scene.set_theme(self.theme)
        self.action_set["dark"].setChecked(self.theme.dark)
        colour = self.icon_colour()

        for action in [*self.action_set.values()]:
            icon = action.data()
            if isinstance(icon, str) and icon.startswith("mdi6."):
                action.setIcon(cached_icon(icon, color=colour))
        self.palette_panel.set_icon_colour(colour)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    def changeEvent(self, event: QEvent) -> None:
        if self._alive and event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.files.autosave()
        super().changeEvent(event)

    # --- help ------------------------------------------------------------------------------------

    def show_shortcuts(self) -> QDialog:
        dialog = QDialog(self)
        dialog.setObjectName("shortcutsSheet")
        dialog.setWindowTitle("Keyboard Shortcuts")
        rows = shortcut_rows(self, extra_key_lists())
        table = QTableWidget(len(rows) + len(GESTURES), 3)
        table.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
        for r, (menu, text, keys) in enumerate(rows):
            for c, value in enumerate((menu, text, keys)):
                table.setItem(r, c, QTableWidgetItem(value))
        for r, (gesture, meaning) in enumerate(GESTURES, start=len(rows)):
            for c, value in enumerate(("Canvas", meaning, gesture)):
                table.setItem(r, c, QTableWidgetItem(value))
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(24)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnToContents(0)
        table.resizeColumnToContents(2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        if self.presenter.mode.active:  # readable on a full-screen recording
            sheet_font = table.font()
            sheet_font.setPointSizeF(sheet_font.pointSizeF() * max(1.4, self.presenter.mode.scale))
            table.setFont(sheet_font)
            table.horizontalHeader().setFont(sheet_font)
            table.verticalHeader().setDefaultSectionSize(int(24 * max(1.4, self.presenter.mode.scale)))
            table.resizeColumnToContents(0)
            table.resizeColumnToContents(2)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        dialog.resize(min(1400 if self.presenter.mode.active else 720, screen.width() if screen else 720),
                      min(900 if self.presenter.mode.active else 640, screen.height() if screen else 640))
        dialog.show()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(self, "About Cascade Board",
                          f"<b>Cascade Board</b> {__version__}<br>Draw distributed systems, simulate how failures "
                          "cascade, hand out the PDF.")

    # --- window state --------------------------------------------------------------------------

    def _restore_state(self) -> None:
        stored = settings()
        geometry = stored.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        state = stored.value("window/state")
        self.first_start = state is None
        """No layout was saved: ``show_as_started`` gives the board the screen."""
        if state is not None:
            self.restoreState(state)
        self._fit_to_screen()
        snap = str(stored.value("view/snap", "false")).lower() == "true"
        self.action_set["snap"].setChecked(snap)
        self.scene.snap_enabled = snap
        self.action_set["grid"].setChecked(True)
        self.action_set["dark"].setChecked(self.theme.dark)

    def _fit_to_screen(self, maximized_too: bool = False) -> None:
        """A layout saved on a bigger screen never makes the window larger than this one's free area
        (``maximized_too``: even when maximized, which without a window manager is only a flag)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None or (self.isMaximized() and not maximized_too) or self.isFullScreen():
            return
        free = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        width = min(self.width(), free.width() - extra_w)
        height = min(self.height(), free.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        frame = self.frameGeometry()
        x = min(max(frame.x(), free.x()), free.right() + 1 - frame.width())
        y = min(max(frame.y(), free.y()), free.bottom() + 1 - frame.height())
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def save_window_state(self) -> None:
        stored = settings()
        stored.setValue("window/geometry", self.saveGeometry())
        stored.setValue("window/state", self.saveState())
        stored.setValue("view/theme", self.theme.name)
        stored.setValue("view/snap", "true" if self.scene.snap_enabled else "false")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        self.save_window_state()
        self.files.recovery.discard(self.path)
        self._teardown()
        event.accept()


