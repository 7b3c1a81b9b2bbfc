"""``WindowHost``: what the main window offers the features installed into it.

The analysis panels (``app.ui.panels.install_panels``) and the simulation
(``app.ui.animation.install.install_simulation``) are given a ``WindowHost``
and use nothing else of the window; each returns what it built, and the
window keeps that under a declared attribute. See docs/ARCHITECTURE.md,
"Where each feature lives".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

    from app.ui.canvas.scene import BoardScene
    from app.ui.canvas.view import BoardView
    from app.ui.editor import BoardEditor
    from app.ui.jobs import BackgroundRunner
    from app.ui.runs.install import RunsUi
    from app.ui.selection import SelectionModel
    from models.board import Board


class WindowHost(Protocol):
    """The main window as a feature sees it."""

    @property
    def board(self) -> Board:
        """The one board of the window; it stays the same object for the window's life."""

    @property
    def editor(self) -> BoardEditor:
        """Every edit goes through it (one undo step each)."""

    @property
    def selection(self) -> SelectionModel: ...

    @property
    def scene(self) -> BoardScene: ...

    @property
    def view(self) -> BoardView: ...

    @property
    def jobs(self) -> BackgroundRunner:
        """Where short jobs run off the GUI thread (``app.ui.jobs``)."""

    @property
    def runs(self) -> RunsUi:
        """The background-run service and its controls (``app.ui.runs``): every run that is not animated."""

    @property
    def inspector_dock(self) -> QDockWidget:
        """The right-hand dock that features may share tabs with."""

    def widget(self) -> QMainWindow:
        """The window itself: the parent of docks, actions and dialogs."""

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea, menu_text: str,
                 shortcut: str | None = None) -> QAction:
        """Add ``dock`` and its toggle under View → Panels; ``shortcut`` shows the dock and brings it to the front."""

    def menu(self, name: str) -> QMenu:
        """A menu of the menu bar by its plain name (``file``, ``edit``, ``view``, ``help``...)."""

    def add_menu(self, name: str, menu: QMenu, before: str | None = None) -> None:
        """Put ``menu`` on the menu bar (before the menu named ``before``) and make it ``menu(name)``."""

    def status(self, text: str, timeout_ms: int = 0) -> None:
        """Show ``text`` (plain) in the status bar."""
