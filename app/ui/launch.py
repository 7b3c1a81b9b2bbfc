"""Start the Qt application and open the main window."""

from __future__ import annotations

import os
import sys


def launch(path: str | None, qt_args: list[str]) -> int:
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow
    from app.ui.theme import apply_app_theme

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Cascade Board")
    app.setOrganizationName("Cascade Board")
    window = MainWindow()
    apply_app_theme(app, window.theme)
    window.set_theme(window.theme.name)
    window.show()
    recovered = window.offer_recovery()
    if path and not recovered:
        window.open_path(path)
    return int(app.exec())
