"""File → Export Report… and File → Export Everything…: the written case
study and every artefact at once, from the window (see ``docs/export.md``).

Both draw the canvas offscreen (pictures, animation frames), which Qt allows
only on the GUI thread, so they run there behind a modal progress dialog
whose Cancel stops them between pictures or frames — the pattern of
Simulation → Export Animation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from app.ui.plain import plain_markup


def _suggested(window: Any, suffix: str) -> str:
    path = window.files.path
    if path:
        return str(Path(path).with_suffix(suffix))
    title = "".join(c if c.isalnum() or c in "-_ " else "-" for c in window.board.meta.title).strip()
    return str(Path.home() / f"{title or 'board'}{suffix}")


def _progress(window: QWidget, text: str) -> QProgressDialog:
    dialog = QProgressDialog(text, "Cancel", 0, 100, window)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    return dialog


def export_report_dialog(window: Any) -> None:
    """Ask where, then write the report as Markdown (with its pictures) or one HTML file."""
    from app.ui.report_files import ExportCancelledError, export_report

    path, chosen = QFileDialog.getSaveFileName(window, "Export report", _suggested(window, ".md"),
                                               "Markdown report (*.md);;HTML report, one file (*.html)")
    if not path:
        return
    if Path(path).suffix.lower() not in (".md", ".html"):
        path += ".html" if "html" in chosen else ".md"
    dialog = _progress(window, "Writing the report…")
    drawn = [0]

    def cancelled() -> bool:
        drawn[0] += 1
        dialog.setValue(min(99, drawn[0] * 100 // (len(window.board.document().steps) + 2)))
        return dialog.wasCanceled()

    try:
        written = export_report(window.board.document(), path, cancelled=cancelled)
    except ExportCancelledError:
        window.statusBar().showMessage("Report export cancelled", 4000)
        return
    except (OSError, ValueError) as error:
        QMessageBox.critical(window, "Cannot export the report", plain_markup(str(error)))
        return
    finally:
        dialog.close()
    window.statusBar().showMessage(f"Exported {path} ({len(written)} files)", 8000)


def export_everything_dialog(window: Any) -> None:
    """Ask for an empty folder, then write every artefact and its MANIFEST there."""
    from app.ui.export_all import MANIFEST, CancelledError, ExportAllError, check_folder, export_all

    folder = QFileDialog.getExistingDirectory(window, "Export everything into a folder", str(Path.home()))
    if not folder:
        return
    force = False
    try:
        check_folder(Path(folder), force=False)
    except ExportAllError as error:
        answer = QMessageBox.question(window, "Export everything", plain_markup(f"{error}.\n\nWrite into it anyway, "
                                                   "replacing files of the same names?"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        force = True
    dialog = _progress(window, "Exporting everything…")

    def progress(what: str, done: float) -> bool:
        dialog.setLabelText(f"Writing {what}…")
        dialog.setValue(min(99, round(done * 100)))
        return not dialog.wasCanceled()

    try:
        written = export_all(window.board.document(), folder, force=force, progress=progress)
    except CancelledError as error:
        window.statusBar().showMessage(str(error), 6000)
        return
    except (ExportAllError, OSError) as error:
        QMessageBox.critical(window, "Cannot export everything", plain_markup(str(error)))
        return
    finally:
        dialog.close()
    window.statusBar().showMessage(f"Exported {len(written)} files into {folder} (see {MANIFEST})", 8000)
