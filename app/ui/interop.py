"""File → Import… (and files dropped on the canvas) and File → Export Diagram…: traces, diagrams and
deployment files become part of the board, and the board goes out as Mermaid, GraphML, DOT or draw.io
(docs/INTEROP.md). Reading runs off the GUI thread (``app.ui.jobs``); the import lands as one undoable step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from app.ui.jobs import BackgroundRunner, JobControl, JobHandle
from app.ui.plain import plain_markup
from models.board import Board
from models.document import BoardDocument
from models.fileformat import write_atomically
from models.interop.common import InteropError
from models.interop.exporters import EXPORTERS, export
from models.interop.importer import ImportResult, import_paths

IMPORT_FILTER = ("Traces, diagrams and deployments (*.json *.drawio *.xml *.mmd *.mermaid *.dot *.gv *.graphml "
                 "*.yml *.yaml);;All files (*)")
EXPORT_FILTERS = {"Mermaid flowchart (*.mmd)": "mermaid", "GraphML (*.graphml)": "graphml",
                  "Graphviz DOT (*.dot)": "dot", "draw.io (*.drawio)": "drawio"}


class ReplaceDocument(QUndoCommand):
    """The whole board before and after an import: undo puts the old one back."""

    def __init__(self, board: Board, new: BoardDocument, text: str) -> None:
        super().__init__(text)
        self.board, self.new, self.old = board, new, board.document()

    def redo(self) -> None:
        self.board.replace_document(self.new)

    def undo(self) -> None:
        self.board.replace_document(self.old)


def read_files(_control: JobControl[None], paths: list[str], into: BoardDocument) -> ImportResult | str:
    """The job: the board with the files merged in, or the message saying why they cannot be."""
    try:
        return import_paths(paths, into=into)
    except InteropError as error:
        return str(error)


class Interop:
    """The window's import and diagram export; one import at a time."""

    def __init__(self, parent: QMainWindow, board: Board, undo_stack: QUndoStack, jobs: BackgroundRunner) -> None:
        self._parent, self._board, self._stack, self._jobs = parent, board, undo_stack, jobs
        self._running: JobHandle | None = None
        self._started_at = 0
        self.notices: tuple[str, ...] = ()
        """What the last import inferred rather than read."""

    def import_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self._parent, "Import traces, diagrams or deployments",
                                                str(Path.home()), IMPORT_FILTER)
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str]) -> JobHandle | None:
        """Read ``paths`` off the GUI thread and merge them into the board; None if an import is running."""
        status = self._parent.statusBar()
        if self._running is not None and self._running.is_running():
            status.showMessage("An import is already running", 4000)
            return None
        names = ", ".join(Path(p).name for p in paths)
        status.showMessage(f"Importing {names}…")
        self._started_at = self._stack.index()
        self._running = self._jobs.submit(
            read_files, list(paths), self._board.document(), owner=self._parent,
            on_done=lambda result: self._done(result, names), on_error=self._failed,
        )
        return self._running

    def wait(self) -> None:
        if self._running is not None:
            self._running.wait()

    def _failed(self, message: str) -> None:
        self._parent.statusBar().clearMessage()
        QMessageBox.warning(self._parent, "Cannot import", plain_markup(message))

    def _done(self, result: ImportResult | str, names: str) -> None:
        if isinstance(result, str):
            self._failed(result)
            return
        if self._stack.index() != self._started_at:
            self._failed("The board changed while the files were read; import them again.")
            return
        self._stack.push(ReplaceDocument(self._board, result.document, f"Import {names}"))
        self.notices = result.notices
        document = result.document
        self._parent.statusBar().showMessage(
            f"Imported {names} ({', '.join(result.formats)}): the board has {len(document.nodes)} nodes and "
            f"{len(document.edges)} edges; {len(result.notices)} note(s) on what was inferred", 10000)

    def export_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(self._parent, "Export diagram", str(Path.home() / "board.mmd"),
                                                   ";;".join(EXPORT_FILTERS))
        if path:
            fmt = EXPORT_FILTERS.get(chosen) or next(
                (f for f, (_w, suffix) in EXPORTERS.items() if path.lower().endswith(suffix)), "mermaid")
            self.export_to(path, fmt)

    def export_to(self, path: str, fmt: str) -> bool:
        """Write the board as ``fmt`` (the dialog has already asked about overwriting)."""
        suffix = EXPORTERS[fmt][1]
        if not path.lower().endswith(suffix):
            path += suffix
        try:
            write_atomically(export(self._board.document(), fmt).encode("utf-8"), Path(path))
        except OSError as error:
            QMessageBox.warning(self._parent, "Cannot export",
                                plain_markup(f"{path} cannot be written: {error.strerror or error}"))
            return False
        self._parent.statusBar().showMessage(f"Exported {path} ({fmt})", 6000)
        return True
