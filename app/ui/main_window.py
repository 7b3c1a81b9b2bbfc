"""The main window: the canvas in the middle, the palette, inspector, layers
and outline docks, menus, toolbar and status bar; files, recent files,
autosave and recovery.

The window owns ONE ``Board`` for its lifetime: opening, new and revert call
``board.replace_document`` and clear the undo stack, so everything listening
to the board (scene, docks, the analysis panels) stays connected.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.ui.actions import build_actions, build_menus, build_toolbar, fill_context_menu, shortcut_rows
from app.ui.canvas.scene import BoardScene
from app.ui.canvas.style import GRID
from app.ui.canvas.view import BoardView
from app.ui.docks.inspector import Inspector
from app.ui.docks.layers import LayersPanel
from app.ui.docks.outline import Outline
from app.ui.docks.palette import Palette
from app.ui.editor import BoardEditor
from app.ui.files import RecentFiles, RecoveryStore, settings
from app.ui.selection import SelectionModel
from app.ui.theme import apply_app_theme, theme_named
from models.board import Board
from models.document import LAYER_NAMES, BoardDocument
from models.errors import BoardError, BoardLoadError
from models.fileformat import SUFFIX, load_path, save_path

FRAGMENT_MIME = "application/x-cascade-board-fragment"
AUTOSAVE_MS = 60_000
FILE_FILTER = "Cascade boards (*.cboard);;PDF handouts with a board (*.pdf);;All files (*)"


class MainWindow(QMainWindow):
    """One board, one undo stack, one selection; see the module docstring."""

    def __init__(self, recovery: RecoveryStore | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self._alive = True
        self.board = Board()
        self.path: str | None = None
        self.undo_stack = self._make_stack()
        self.editor = BoardEditor(self.board, self.undo_stack)
        self.selection = SelectionModel(self)
        stored = settings()
        self.theme = theme_named(str(stored.value("view/theme", "light")))
        self.scene = BoardScene(self.board, self.editor, self.selection, self.theme, self)
        self.scene.set_theme(self.theme)
        self.view = BoardView(self.scene)
        self.view.context_menu_builder = lambda menu, item, pos: fill_context_menu(self, menu, item, pos)
        self.setCentralWidget(self.view)
        self.recent = RecentFiles()
        self.recovery = recovery or RecoveryStore()
        self.menus: dict[str, Any] = {}
        self.dock_actions: list[QAction] = []
        self.recent_menu = self.docks_menu = None
        self.actions = build_actions(self)
        build_menus(self)
        self.toolbar = build_toolbar(self)
        self.addToolBar(self.toolbar)
        self._build_docks()
        self._build_status_bar()
        from app.ui.panels import install_panels

        own = set(self.findChildren(QDockWidget))
        install_panels(self)
        self._arrange_docks([d for d in self.findChildren(QDockWidget) if d not in own])
        self._restore_state()
        self._connect()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self._update_title()
        self._update_actions()
        self._sync_layer_actions()

    def _make_stack(self) -> Any:
        from PySide6.QtGui import QUndoStack

        stack = QUndoStack(self)
        stack.setUndoLimit(1000)
        return stack

    # --- building -------------------------------------------------------------------

    def icon_colour(self) -> str:
        return "#CFD8DC" if self.theme.dark else "#37474F"

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea, menu_text: str,
                 shortcut: str | None = None) -> QAction:
        """Add a dock and a toggle for it in View → Panels (the panels' contract)."""
        if not dock.objectName():
            dock.setObjectName(f"dock_{menu_text.lower().replace(' ', '_')}")
        self.addDockWidget(area, dock)
        action = dock.toggleViewAction()
        action.setText(menu_text)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            self.addAction(action)
        if self.docks_menu is not None:
            self.docks_menu.addAction(action)
        self.dock_actions.append(action)
        return action

    def _dock(self, title: str, widget: QWidget, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        return dock

    def _build_docks(self) -> None:
        self.palette = Palette(self.icon_colour())
        self.palette.kind_activated.connect(lambda kind: self.view.add_node_at(
            self.view.mapToScene(self.view.viewport().rect().center()), kind,
            __import__("app.ui.canvas.style", fromlist=["KIND_NAMES"]).KIND_NAMES[kind], edit=True))
        self.inspector = Inspector(self.board, self.editor, self.selection)
        self.layers_panel = LayersPanel(self.board, self.editor)
        self.outline = Outline(self.board, self.selection)
        self.outline.activated.connect(self.reveal)
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.palette_dock = self._dock("Palette", self.palette, "dock_palette")
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

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            if settings().value("window/state") is None:
                self._size_docks()
            QTimer.singleShot(0, self._ensure_canvas_room)

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
            bar.addPermanentWidget(label)

    def _connect(self) -> None:
        self.undo_stack.cleanChanged.connect(self._stack_changed)
        self.undo_stack.indexChanged.connect(self._stack_changed)
        self.selection.changed.connect(lambda _ids: self._update_actions())
        self.view.zoom_changed.connect(lambda _z: self._update_status())
        self.view.status_message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.board.events.layers_changed.connect(lambda old, new: self._sync_layer_actions())
        self.board.events.reset.connect(self._sync_layer_actions)
        self.board.events.meta_changed.connect(lambda old, new: self._update_title())
        self._prune_timer = QTimer(self, singleShot=True, interval=0)
        self._prune_timer.timeout.connect(self._prune_selection)
        self.board.events.changed.connect(self._prune_timer.start)
        app = QApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._application_state_changed)

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
        app = QApplication.instance()
        if app is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                app.applicationStateChanged.disconnect(self._application_state_changed)
        for signal in (self.undo_stack.cleanChanged, self.undo_stack.indexChanged):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(self._stack_changed)

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def _update_title(self) -> None:
        name = Path(self.path).name if self.path else "Untitled"
        self.setWindowModified(self.is_modified())
        self.setWindowTitle(f"{name}[*] — {self.board.meta.title} — Cascade Board")
        if "revert" in self.actions:
            self.actions["revert"].setEnabled(self.path is not None and self.is_modified())

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
        nodes = self.selected_nodes()
        has = bool(ids)
        for name in ("cut", "copy", "duplicate"):
            self.actions[name].setEnabled(bool(nodes))
        self.actions["delete"].setEnabled(has)
        self.actions["connect"].setEnabled(len(nodes) >= 2)
        for name in ("align_left", "align_hcenter", "align_right", "align_top", "align_vcenter", "align_bottom"):
            self.actions[name].setEnabled(len(nodes) >= 2)
        for name in ("distribute_x", "distribute_y"):
            self.actions[name].setEnabled(len(nodes) >= 3)
        self.actions["export_selection"].setEnabled(has)
        self._update_status()
        self._update_title()

    def _sync_layer_actions(self) -> None:
        for layer in LAYER_NAMES:
            self.actions[f"layer_{layer}"].setChecked(bool(getattr(self.board.layers, layer)))

    # --- selection helpers -----------------------------------------------------------------

    def selected_nodes(self) -> list[str]:
        return [i for i in self.selection.ids if (f := self.board.find(i)) and f[0] == "nodes"]

    def selected_edges(self) -> list[str]:
        return [i for i in self.selection.ids if (f := self.board.find(i)) and f[0] == "edges"]

    def _prune_selection(self) -> None:
        """Whatever was deleted (on the canvas or in a panel) leaves the selection."""
        if self._alive:
            self.selection.prune({i for i in self.selection.ids if self.board.find(i) is not None})

    def reveal(self, entity_id: str) -> None:
        self.selection.select([entity_id])
        item = self.scene.item_for(entity_id)
        if item is not None and item.isVisible():
            self.view.centerOn(item)

    def _try(self, action: Any) -> Any:
        """Run an edit; a domain error goes to the status bar, not a traceback."""
        try:
            return action()
        except BoardError as error:
            self.statusBar().showMessage(str(error), 8000)
            return None

    # --- edit verbs ------------------------------------------------------------------------

    def select_all(self) -> None:
        self.selection.select(list(self.scene.entity_items()))

    def delete_selection(self) -> None:
        ids = [i for i in self.selection.ids if self.board.find(i)]
        if ids:
            self._try(lambda: self.editor.delete(ids))

    def rename_selection(self) -> None:
        ids = self.selection.ids
        if len(ids) == 1:
            self.view.edit_label(ids[0])

    def connect_selection(self) -> None:
        nodes = self.selected_nodes()
        if len(nodes) < 2:
            self.statusBar().showMessage("Select two nodes to connect (the first calls the second)", 5000)
            return

        def connect_all() -> list[str]:
            if len(nodes) == 2:
                return [self.editor.connect(nodes[0], nodes[1])]
            with self.editor.macro(f"Connect {len(nodes)} nodes"):
                return [self.editor.connect(a, b) for a, b in itertools.pairwise(nodes)]

        created = self._try(connect_all)
        if created:
            self.selection.select(created)

    def set_health(self, health: str) -> None:
        nodes = self.selected_nodes()
        if not nodes:
            return
        if len(nodes) == 1:
            self._try(lambda: self.editor.update("nodes", nodes[0], health=health))
            return
        with self.editor.macro(f"Mark {len(nodes)} nodes {health}"):
            for node_id in nodes:
                self._try(lambda n=node_id: self.editor.update("nodes", n, health=health))

    def set_kind(self, kind: str) -> None:
        nodes = self.selected_nodes()
        with self.editor.macro(f"Make {len(nodes)} nodes {kind}"):
            for node_id in nodes:
                self._try(lambda n=node_id: self.editor.update("nodes", n, kind=kind))

    def toggle_dashed(self) -> None:
        edges = self.selected_edges()
        if not edges:
            return
        style = "solid" if all(self.board.edge(e).style == "dashed" for e in edges) else "dashed"
        with self.editor.macro(f"Make {len(edges)} edge{'s' if len(edges) > 1 else ''} {style}"):
            for edge_id in edges:
                self.editor.update("edges", edge_id, style=style)

    def toggle_critical(self) -> None:
        edges = self.selected_edges()
        if not edges:
            return
        on = not all("critical" in self.board.edge(e).marks for e in edges)
        with self.editor.macro(f"{'Mark' if on else 'Unmark'} critical path on {len(edges)} edges"):
            for edge_id in edges:
                marks = [m for m in self.board.edge(edge_id).marks if m != "critical"]
                self.editor.update("edges", edge_id, marks=tuple(([*marks, "critical"]) if on else marks))

    def add_queue(self, exists: bool = True) -> None:
        targets = self.selected_nodes() + self.selected_edges()
        if not targets:
            self.statusBar().showMessage("Select a node or an edge to put a queue on", 5000)
            return
        created = []
        with self.editor.macro(f"Add {'' if exists else 'missing '}queue"):
            for target in targets:
                collection, entity = self.board.find(target)  # type: ignore[misc]
                name = entity.label or f"{entity.source} → {entity.target}" if collection == "edges" else entity.label
                fields: dict[str, Any] = {"name": f"{name} queue", "exists": exists,
                                          "node" if collection == "nodes" else "edge": target}
                if not exists:
                    fields["depth_limit"] = 1000
                    if collection == "edges" and "missing_queue" not in entity.marks:
                        self.editor.update("edges", target, marks=(*entity.marks, "missing_queue"))
                created.append(self._try(lambda f=fields, t=target: self.editor.create("queues", f"q-{t}", **f)))
        self.selection.select([c for c in created if c])

    def add_loop(self) -> None:
        nodes = self.selected_nodes()
        if not nodes:
            self.statusBar().showMessage("Select the nodes the feedback loop runs through", 5000)
            return
        chosen = set(nodes)
        edges = [e.id for e in self.board.edges if e.source in chosen and e.target in chosen]
        name, ok = QInputDialog.getText(self, "Feedback loop", "Name of the loop:", text="Feedback loop")
        if not ok or not name.strip():
            return
        loop_id = self._try(lambda: self.editor.create("loops", f"loop-{name}", name=name.strip(),
                                                       nodes=tuple(nodes), edges=tuple(edges)))
        if loop_id:
            self.selection.select([loop_id])

    def add_cascade(self) -> None:
        nodes = self.selected_nodes()
        if len(nodes) < 2:
            self.statusBar().showMessage("Select the nodes of the cascade in the order it spreads", 5000)
            return
        name, ok = QInputDialog.getText(self, "Cascade", "Name of the cascade:", text="Cascade")
        if not ok or not name.strip():
            return
        first = self.board.node(nodes[0]).label
        cascade_id = self._try(lambda: self.editor.create("cascades", f"cascade-{name}", name=name.strip(),
                                                          trigger=f"{first} fails", path=tuple(nodes)))
        if cascade_id:
            self.selection.select([cascade_id])

    def add_annotation(self, kind: str) -> None:
        pos = self.view.cursor_scene_pos()
        text = "Note" if kind == "sticky" else "Text"
        note_id = self._try(lambda: self.editor.create("annotations", f"note-{kind}", kind=kind, x=round(pos.x()),
                                                       y=round(pos.y()), text=text,
                                                       color="#FFF59D" if kind == "sticky" else "#f5c518"))
        if note_id:
            self.selection.select([note_id])

    def align(self, how: str) -> None:
        self._try(lambda: self.editor.align(self.selected_nodes(), how))

    def distribute(self, axis: str) -> None:
        self._try(lambda: self.editor.distribute(self.selected_nodes(), axis))

    def auto_layout(self, kind: str) -> None:
        nodes = self.selected_nodes()
        self._try(lambda: self.editor.layout(kind, nodes if len(nodes) >= 2 else None))
        if len(nodes) < 2:
            self.view.zoom_to_fit()

    # --- clipboard -------------------------------------------------------------------------

    def copy(self) -> None:
        nodes = self.selected_nodes()
        if not nodes:
            return
        fragment = self.editor.copy_fragment(nodes)
        data = QMimeData()
        payload = json.dumps(fragment, ensure_ascii=False)
        data.setData(FRAGMENT_MIME, QByteArray(payload.encode()))
        data.setText("\n".join(self.board.node(n).label for n in nodes))
        QGuiApplication.clipboard().setMimeData(data)
        self._paste_count = 0
        self.statusBar().showMessage(f"Copied {len(nodes)} node{'s' if len(nodes) != 1 else ''}", 3000)

    def cut(self) -> None:
        nodes = self.selected_nodes()
        if nodes:
            self.copy()
            self._try(lambda: self.editor.delete(nodes, text=f"Cut {len(nodes)} node{'s' if len(nodes) > 1 else ''}"))

    def paste(self) -> None:
        data = QGuiApplication.clipboard().mimeData()
        if data is None or not data.hasFormat(FRAGMENT_MIME):
            if data is not None and data.hasText() and data.text().strip():
                label = data.text().strip().splitlines()[0][:120]
                self.view.add_node_at(self.view.cursor_scene_pos(), "service", label)
            return
        try:
            fragment = json.loads(bytes(data.data(FRAGMENT_MIME)).decode())
        except ValueError:
            self.statusBar().showMessage("The clipboard holds nothing Cascade Board can paste", 5000)
            return
        self._paste_count = getattr(self, "_paste_count", 0) + 1
        shift = 30.0 * self._paste_count
        created = self._try(lambda: self.editor.paste(fragment, (shift, shift)))
        if created:
            self.selection.select(created)

    def duplicate(self) -> None:
        nodes = self.selected_nodes()
        if not nodes:
            return
        fragment = self.editor.copy_fragment(nodes)
        text = f"Duplicate {len(nodes)} node{'s' if len(nodes) > 1 else ''}"
        created = self._try(lambda: self.editor.paste(fragment, (40.0, 40.0), text=text))
        if created:
            self.selection.select(created)

    # --- view toggles -------------------------------------------------------------------------

    def toggle_snap(self) -> None:
        self.scene.snap_enabled = self.actions["snap"].isChecked()
        self._update_status()

    def toggle_grid(self) -> None:
        self.scene.show_grid = self.actions["grid"].isChecked()
        self.scene.update()

    def toggle_theme(self) -> None:
        self.set_theme("dark" if self.actions["dark"].isChecked() else "light")

    def set_theme(self, name: str) -> None:
        self.theme = theme_named(name)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_app_theme(app, self.theme)
        self.scene.set_theme(self.theme)
        self.actions["dark"].setChecked(self.theme.dark)
        colour = self.icon_colour()
        import qtawesome

        for action in [*self.actions.values()]:
            icon = action.data()
            if isinstance(icon, str) and icon.startswith("mdi6."):
                action.setIcon(qtawesome.icon(icon, color=colour))
        self.palette.set_icon_colour(colour)

    def toggle_full_screen(self) -> None:
        self.showNormal() if self.isFullScreen() else self.showFullScreen()

    # --- files -------------------------------------------------------------------------------

    def _load_document(self, document: BoardDocument, path: str | None) -> None:
        self.recovery.discard(self.path)
        self.selection.clear()
        self.board.replace_document(document)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.path = path
        self._paste_count = 0
        self._update_actions()
        QTimer.singleShot(0, self.view.zoom_to_fit)

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False means the user cancelled."""
        if not self.is_modified():
            return True
        name = Path(self.path).name if self.path else "this board"
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to {name} first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_board(self) -> None:
        if self.maybe_save():
            self._load_document(BoardDocument(), None)

    def close_board(self) -> None:
        self.new_board()

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        start = str(Path(self.path).parent) if self.path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Open board", start, FILE_FILTER)
        if path:
            self.open_path(path, ask=False)

    def open_path(self, path: str, ask: bool = True) -> bool:
        """Open a board; a file that cannot be loaded is reported and nothing changes."""
        if ask and not self.maybe_save():
            return False
        try:
            document = load_path(path)
        except BoardLoadError as error:
            problems = "\n".join(f"• {p}" for p in error.problems[:20])
            QMessageBox.warning(self, "Cannot open board", f"{error.source} cannot be opened:\n\n{problems}")
            return False
        self._load_document(document, str(Path(path).resolve()))
        self.recent.add(path)
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def save(self) -> bool:
        if self.path is None or not self.path.endswith(SUFFIX):
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        start = self.path or str(Path.home() / f"{self.board.meta.title or 'board'}{SUFFIX}")
        if start.endswith(".pdf"):
            start = start[:-4] + SUFFIX
        path, _ = QFileDialog.getSaveFileName(self, "Save board as", start, "Cascade boards (*.cboard)")
        if not path:
            return False
        if not path.endswith(SUFFIX):
            path += SUFFIX
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        try:
            save_path(self.board.document(), path)
        except OSError as error:
            QMessageBox.critical(self, "Cannot save", f"{path} could not be written:\n{error}")
            return False
        if self.path != str(Path(path).resolve()):
            self.recovery.discard(self.path)
        self.path = str(Path(path).resolve())
        self.undo_stack.setClean()
        self.recovery.discard(self.path)
        self.recent.add(path)
        self._update_title()
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def revert(self) -> None:
        if self.path is None or not self.is_modified():
            return
        answer = QMessageBox.question(self, "Revert", f"Discard all changes since {Path(self.path).name} was saved?",
                                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Discard:
            path = self.path
            self.undo_stack.setClean()
            self.open_path(path, ask=False)

    def fill_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        paths = self.recent.paths()
        for i, path in enumerate(paths):
            action = menu.addAction(f"&{i + 1} {Path(path).name}" if i < 9 else Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _c=False, p=path: self._open_recent(p))
        if not paths:
            menu.addAction("No recent boards").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear Recent").triggered.connect(self.recent.clear)

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            QMessageBox.warning(self, "Cannot open board", f"{path} no longer exists.")
            self.recent.remove(path)
            return
        self.open_path(path)

    # --- autosave and recovery -----------------------------------------------------------------

    def autosave(self) -> Path | None:
        """Write the recovery copy if there are unsaved changes."""
        if not self.is_modified():
            return None
        try:
            return self.recovery.write(self.board.document(), self.path)
        except OSError as error:
            self.statusBar().showMessage(f"Autosave failed: {error}", 8000)
            return None

    def _application_state_changed(self, state: Qt.ApplicationState) -> None:
        if self._alive and state != Qt.ApplicationState.ApplicationActive:
            self.autosave()

    def changeEvent(self, event: QEvent) -> None:
        if self._alive and event.type() == QEvent.Type.ActivationChange and not self.isActiveWindow():
            self.autosave()
        super().changeEvent(event)

    def offer_recovery(self) -> bool:
        """At start: offer the newest recovery copy newer than its file. True if recovered."""
        for candidate in self.recovery.candidates():
            answer = QMessageBox.question(
                self, "Recover unsaved changes?",
                f"Cascade Board found unsaved changes to {candidate.label} from a session that did not end "
                "normally. Recover them?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Discard,
                QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Discard:
                self.recovery.drop(candidate)
                continue
            if answer != QMessageBox.StandardButton.Yes:
                continue
            try:
                document = self.recovery.load(candidate)
            except BoardLoadError as error:
                QMessageBox.warning(self, "Cannot recover", "\n".join(error.problems[:10]))
                continue
            self._load_document(document, candidate.original)
            self.recovery.drop(candidate)
            self.undo_stack.resetClean()
            self._update_title()
            self.autosave()
            return True
        return False

    # --- export --------------------------------------------------------------------------------

    def export_image(self, path: str, scale: float = 2.0, selection_only: bool = False) -> None:
        from app.ui.render import export_png, export_svg

        ids = self._export_ids() if selection_only else None
        if path.lower().endswith(".svg"):
            export_svg(self.scene, path, ids, self.board.meta.title)
        else:
            export_png(self.scene, path, scale, ids)

    def _export_ids(self) -> list[str]:
        """The selection, plus the edges between selected nodes and the queues on them."""
        ids = list(self.selection.ids)
        nodes = set(self.selected_nodes())
        ids += [e.id for e in self.board.edges if e.source in nodes and e.target in nodes]
        chosen = set(ids)
        ids += [q.id for q in self.board.items("queues") if q.node in chosen or q.edge in chosen]
        return list(dict.fromkeys(ids))

    def export_dialog(self, selection_only: bool = False) -> None:
        base = Path(self.path).with_suffix(".png") if self.path else Path.home() / "board.png"
        path, chosen = QFileDialog.getSaveFileName(self, "Export image", str(base),
                                                   "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        if not path.lower().endswith((".png", ".svg")):
            path += ".svg" if "svg" in chosen.lower() else ".png"
        scale = 2.0
        if path.lower().endswith(".png"):
            scale, ok = QInputDialog.getDouble(self, "Export image", "Scale (pixels per board unit):",
                                               2.0, 0.25, 8.0, 2)
            if not ok:
                return
        try:
            self.export_image(path, scale, selection_only)
        except (OSError, ValueError) as error:
            QMessageBox.critical(self, "Cannot export", str(error))
            return
        self.statusBar().showMessage(f"Exported {path}", 5000)

    # --- help ------------------------------------------------------------------------------------

    def show_shortcuts(self) -> QDialog:
        from app.ui.actions import GESTURES

        dialog = QDialog(self)
        dialog.setObjectName("shortcutsSheet")
        dialog.setWindowTitle("Keyboard Shortcuts")
        rows = shortcut_rows(self)
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
        dialog.resize(720, 640)
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
        if state is not None:
            self.restoreState(state)
        snap = str(stored.value("view/snap", "false")).lower() == "true"
        self.actions["snap"].setChecked(snap)
        self.scene.snap_enabled = snap
        self.actions["grid"].setChecked(True)
        self.actions["dark"].setChecked(self.theme.dark)

    def save_window_state(self) -> None:
        stored = settings()
        stored.setValue("window/geometry", self.saveGeometry())
        stored.setValue("window/state", self.saveState())
        stored.setValue("view/theme", self.theme.name)
        stored.setValue("view/snap", "true" if self.scene.snap_enabled else "false")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.save_window_state()
        self.recovery.discard(self.path)
        self._teardown()
        event.accept()


__all__ = ["GRID", "MainWindow", "QPointF"]
