"""File → Export PDF Handout: build the handout as a job off the GUI thread
(``app.ui.jobs``) and say how many pages it has when it is done."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from app.ui.jobs import BackgroundRunner, JobControl, JobHandle
from app.ui.plain import plain_markup
from models.board import Board
from models.document import BoardDocument


def write_handout(_control: JobControl[None], document: BoardDocument, path: str) -> tuple[str, int]:
    """The job: one handout from an immutable snapshot of the board; ``(path, pages)``."""
    from app.export import export_pdf

    return path, export_pdf(document, path)


class PdfExporter:
    """Exports the window's board as a PDF handout; one export at a time."""

    def __init__(self, parent: QMainWindow, board: Board, jobs: BackgroundRunner,
                 board_path: Callable[[], str | None]) -> None:
        self._parent, self._board, self._jobs = parent, board, jobs
        self._board_path = board_path
        self._running: JobHandle | None = None

    def suggested_path(self) -> Path:
        board_path = self._board_path()
        if board_path:
            return Path(board_path).with_suffix(".pdf")
        title = "".join(c if c.isalnum() or c in "-_ " else "-" for c in self._board.meta.title).strip()
        return Path.home() / f"{title or 'board'}.pdf"

    def start(self, path: str, document: BoardDocument | None = None) -> JobHandle | None:
        """Export the board as it is now (or ``document``, a measured copy of it) to ``path``;
        None if one is already running."""
        status = self._parent.statusBar()
        if self._running is not None and self._running.is_running():
            status.showMessage("A PDF export is already running", 4000)
            return None
        board_path = self._board_path()
        if board_path and Path(path).resolve() == Path(board_path).resolve():
            QMessageBox.warning(self._parent, "Cannot export", "The handout would overwrite the board file itself.")
            return None
        status.showMessage(f"Writing {path}…")
        snapshot = self._board.document() if document is None else document
        self._running = self._jobs.submit(write_handout, snapshot, path, on_done=self._done,
                                          on_error=self._failed, owner=self._parent)
        return self._running

    def _failed(self, message: str) -> None:
        self._parent.statusBar().clearMessage()
        QMessageBox.critical(self._parent, "Cannot export the PDF", plain_markup(message))

    def wait(self) -> None:
        """Let a handout being written finish: it is never left half done."""
        if self._running is not None:
            self._running.wait()

    def _done(self, written: tuple[str, int]) -> None:
        path, pages = written
        self._parent.statusBar().showMessage(f"Exported {path}: {pages} pages", 8000)
        QMessageBox.information(self._parent, "PDF handout written",
                                plain_markup(f"{Path(path).name}: {pages} pages.\n\nThe board travels inside the "
                                             "PDF; open the PDF in Cascade Board to edit it again."))

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self._parent, "Export PDF handout", str(self.suggested_path()),
                                              "PDF handout (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.start(path)
