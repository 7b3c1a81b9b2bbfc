"""File → Export PDF Handout: build the handout off the GUI thread and say
how many pages it has when it is done."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from models.document import BoardDocument

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class PdfExportThread(QThread):
    """Writes one handout from an immutable snapshot of the board."""

    exported = Signal(str, int)
    failed = Signal(str)

    def __init__(self, document: BoardDocument, path: str, parent: MainWindow) -> None:
        super().__init__(parent)
        self.document, self.path = document, path

    def run(self) -> None:
        from app.export import export_pdf

        try:
            pages = export_pdf(self.document, self.path)
        except Exception as error:  # any failure must reach the user as a message
            self.failed.emit(f"{type(error).__name__}: {error}")
            return
        self.exported.emit(self.path, pages)


def suggested_pdf_path(window: MainWindow) -> Path:
    if window.path:
        return Path(window.path).with_suffix(".pdf")
    title = "".join(c if c.isalnum() or c in "-_ " else "-" for c in window.board.meta.title).strip()
    return Path.home() / f"{title or 'board'}.pdf"


def start_pdf_export(window: MainWindow, path: str) -> PdfExportThread | None:
    """Export the board as it is now to ``path``; None if one is already running."""
    running = getattr(window, "_pdf_thread", None)
    if running is not None and running.isRunning():
        window.statusBar().showMessage("A PDF export is already running", 4000)
        return None
    if window.path and Path(path).resolve() == Path(window.path).resolve():
        QMessageBox.warning(window, "Cannot export", "The handout would overwrite the board file itself.")
        return None
    thread = PdfExportThread(window.board.document(), path, window)
    thread.exported.connect(lambda out, pages: _done(window, out, pages))
    thread.failed.connect(lambda message: QMessageBox.critical(window, "Cannot export the PDF", message))
    window._pdf_thread = thread  # type: ignore[attr-defined]
    window.statusBar().showMessage(f"Writing {path}…")
    thread.start()
    return thread


def _done(window: MainWindow, path: str, pages: int) -> None:
    window.statusBar().showMessage(f"Exported {path}: {pages} pages", 8000)
    QMessageBox.information(window, "PDF handout written",
                            f"{Path(path).name}: {pages} pages.\n\nThe board travels inside the PDF; "
                            "open the PDF in Cascade Board to edit it again.")


def export_pdf_dialog(window: MainWindow) -> None:
    path, _ = QFileDialog.getSaveFileName(window, "Export PDF handout", str(suggested_pdf_path(window)),
                                          "PDF handout (*.pdf)")
    if not path:
        return
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    start_pdf_export(window, path)
