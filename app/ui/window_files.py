"""The window's files: new, open, save, revert, recent files, autosave and
recovery, and image export. The board object stays the same throughout;
a new document replaces its contents and clears the undo stack. The main
window owns one ``FileController`` as ``window.files``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMenu, QMessageBox

from app.ui.plain import plain_markup
from models.document import BoardDocument
from models.errors import BoardLoadError
from models.fileformat import SUFFIX, load_path, save_path

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from app.ui.canvas.scene import BoardScene
    from app.ui.canvas.view import BoardView
    from app.ui.files import RecentFiles, RecoveryStore
    from app.ui.selection import SelectionModel
    from models.board import Board

AUTOSAVE_MS = 60_000
FILE_FILTER = "Cascade boards (*.cboard);;PDF handouts with a board (*.pdf);;All files (*)"


class FileController(QObject):
    """The file verbs of the window's one board; ``path`` is the file it was opened from or saved to."""

    loaded = Signal()
    """A new document replaced the board's contents."""
    changed = Signal()
    """The path or the saved state changed: the title and the enabled actions follow."""

    def __init__(self, parent: QMainWindow, board: Board, undo_stack: QUndoStack, selection: SelectionModel,
                 scene: BoardScene, view: BoardView, recent: RecentFiles, recovery: RecoveryStore,
                 selected_nodes: Callable[[], list[str]]) -> None:
        super().__init__(parent)
        self._parent = parent
        self.board, self.undo_stack, self.selection = board, undo_stack, selection
        self.scene, self.view = scene, view
        self.recent, self.recovery = recent, recovery
        self._selected_nodes = selected_nodes
        self.path: str | None = None
        self.recent_menu: QMenu | None = None
        """File → Open Recent, filled each time it opens."""

    def is_modified(self) -> bool:
        return not self.undo_stack.isClean()

    def _status(self, text: str, timeout_ms: int = 0) -> None:
        self._parent.statusBar().showMessage(text, timeout_ms)

    # --- files -------------------------------------------------------------------------------

    def _load_document(self, document: BoardDocument, path: str | None) -> None:
        self.recovery.discard(self.path)
        self.selection.clear()
        self.board.replace_document(document)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.path = path
        self.loaded.emit()
        self.changed.emit()
        QTimer.singleShot(0, self.view.zoom_to_fit)

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False means the user cancelled."""
        if not self.is_modified():
            return True
        name = Path(self.path).name if self.path else "this board"
        answer = QMessageBox.question(
            self._parent, "Unsaved changes", plain_markup(f"Save the changes to {name} first?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_board(self) -> None:
        if self.maybe_save():
            self._load_document(BoardDocument(), None)

    def open_copy(self, document: BoardDocument, what: str) -> bool:
        """Load ``document`` untitled (a copy of a shipped example): Save asks for a path, so the
        original is never written. The caller has already asked about unsaved changes."""
        self._load_document(document, None)
        self._status(f"Opened a copy of {what}; Save asks where to keep it", 8000)
        return True

    def close_board(self) -> None:
        self.new_board()

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        start = str(Path(self.path).parent) if self.path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self._parent, "Open board", start, FILE_FILTER)
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
            QMessageBox.warning(self._parent, "Cannot open board",
                                plain_markup(f"{error.source} cannot be opened:\n\n{problems}"))
            return False
        if path.lower().endswith(".pdf"):
            # The board inside a handout opens untitled: saving must never write JSON over the PDF.
            self._load_document(document, None)
            self.undo_stack.resetClean()
            self.changed.emit()
            self._status(f"Opened the board inside {path}; Save As to keep it as a .cboard", 8000)
            return True
        self._load_document(document, str(Path(path).resolve()))
        self.recent.add(path)
        self._status(f"Opened {path}", 4000)
        return True

    def save(self) -> bool:
        if self.path is None or not self.path.endswith(SUFFIX):
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        start = self.path or str(Path.home() / f"{self.board.meta.title or 'board'}{SUFFIX}")
        if start.endswith(".pdf"):
            start = start[:-4] + SUFFIX
        path, _ = QFileDialog.getSaveFileName(self._parent, "Save board as", start, "Cascade boards (*.cboard)")
        if not path:
            return False
        if not path.endswith(SUFFIX):
            path += SUFFIX
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        try:
            save_path(self.board.document(), path)
        except OSError as error:
            QMessageBox.critical(self._parent, "Cannot save", plain_markup(f"{path} could not be written:\n{error}"))
            return False
        if self.path != str(Path(path).resolve()):
            self.recovery.discard(self.path)
        self.path = str(Path(path).resolve())
        self.undo_stack.setClean()
        self.recovery.discard(self.path)
        self.recent.add(path)
        self.changed.emit()
        self._status(f"Saved {path}", 4000)
        return True

    def revert(self) -> None:
        if self.path is None or not self.is_modified():
            return
        answer = QMessageBox.question(self._parent, "Revert",
                                      plain_markup(f"Discard all changes since {Path(self.path).name} was saved?"),
                                      QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                                      QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Discard:
            path = self.path
            self.undo_stack.setClean()
            self.open_path(path, ask=False)

    def fill_recent_menu(self) -> None:
        menu = self.recent_menu
        if menu is None:
            return
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
            QMessageBox.warning(self._parent, "Cannot open board", plain_markup(f"{path} no longer exists."))
            self.recent.remove(path)
            return
        self.open_path(path)

    # --- autosave and recovery -----------------------------------------------------------------

    def autosave(self) -> Path | None:
        """Write the recovery copy if there are unsaved changes."""
        if not self.is_modified():
            return None
        try:
            written = self.recovery.write(self.board.document(), self.path)
        except OSError as error:
            self._status(f"Autosave failed: {error}", 8000)
            return None
        if not self._parent.statusBar().currentMessage():
            self._status("Unsaved changes kept in a recovery copy", 2500)
        return written

    def application_state_changed(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.autosave()

    def offer_recovery(self) -> bool:
        """At start: offer the newest recovery copy newer than its file. True if recovered."""
        for candidate in self.recovery.candidates():
            answer = QMessageBox.question(
                self._parent, "Recover unsaved changes?",
                plain_markup(f"Cascade Board found unsaved changes to {candidate.label} from a session that did not "
                             "end normally. Recover them?"),
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
                QMessageBox.warning(self._parent, "Cannot recover", plain_markup("\n".join(error.problems[:10])))
                continue
            self._load_document(document, candidate.original)
            self.recovery.drop(candidate)
            self.undo_stack.resetClean()
            self.changed.emit()
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
        nodes = set(self._selected_nodes())
        ids += [e.id for e in self.board.edges if e.source in nodes and e.target in nodes]
        chosen = set(ids)
        ids += [q.id for q in self.board.items("queues") if q.node in chosen or q.edge in chosen]
        return list(dict.fromkeys(ids))

    def export_dialog(self, selection_only: bool = False) -> None:
        base = Path(self.path).with_suffix(".png") if self.path else Path.home() / "board.png"
        path, chosen = QFileDialog.getSaveFileName(self._parent, "Export image", str(base),
                                                   "PNG image (*.png);;SVG drawing (*.svg)")
        if not path:
            return
        if not path.lower().endswith((".png", ".svg")):
            path += ".svg" if "svg" in chosen.lower() else ".png"
        scale = 2.0
        if path.lower().endswith(".png"):
            scale, ok = QInputDialog.getDouble(self._parent, "Export image", "Scale (pixels per board unit):",
                                               2.0, 0.25, 8.0, 2)
            if not ok:
                return
        try:
            self.export_image(path, scale, selection_only)
        except (OSError, ValueError) as error:
            QMessageBox.critical(self._parent, "Cannot export", plain_markup(str(error)))
            return
        self._status(f"Exported {path}", 5000)

