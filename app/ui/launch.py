"""Start the Qt application and open the main window."""

from __future__ import annotations

import sys


def launch(path: str | None, qt_args: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Cascade Board")
    app.setOrganizationName("Cascade Board")
    window = MainWindow()
    window.show()
    if path:
        window.open_path(path)
    return int(app.exec())
