"""Start the Qt application and open the main window."""

from __future__ import annotations

import gc
import os
import sys

NO_DISPLAY = (
    "cascade-board: there is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset).\n"
    "Run it on a desktop, under Xvfb (xvfb-run cascade-board FILE), or use the headless commands:\n"
    "validate, analyze, simulate, compare, export-pdf, export-image, export-animation (see --help)."
)


def launch(path: str | None, qt_args: list[str]) -> int:
    headless = not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and headless and not os.environ.get("QT_QPA_PLATFORM"):
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from app.desktop import apply_to_qt
    from app.ui.main_window import MainWindow
    from app.ui.theme import apply_app_theme

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Cascade Board")
    apply_to_qt()
    app.setOrganizationName("Cascade Board")
    window = MainWindow()
    apply_app_theme(app, window.theme)
    window.set_theme(window.theme.name)
    window.show_as_started()
    settle_heap()
    recovered = window.files.offer_recovery()
    if path and not recovered:
        window.files.open_path(path)
    try:
        return int(app.exec())
    finally:
        release_clipboard()


def settle_heap() -> None:
    """Keep the garbage collector off what the program built to start.

    A full collection walks every object the collector tracks: with Qt,
    pydantic and the window loaded that is about 100,000 objects and 50 ms,
    a visible hitch in an animation whenever one falls due. What exists once
    the window is up lives as long as the program, so it is moved out of the
    collector's sight (``gc.freeze``); what the program creates later, boards
    and simulation frames included, is collected as usual.
    """
    gc.collect()
    gc.freeze()


def release_clipboard() -> None:
    """Empty the clipboard while Python is still running.

    PySide6 (6.11) crashes the interpreter at exit when the clipboard still
    owns a QMimeData the program put there (copy on the canvas): Qt deletes
    it after Python has shut down. Emptying it first avoids the crash; the
    copied nodes do not outlive the program anyway.
    """
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()
