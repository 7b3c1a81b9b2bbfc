"""Autosave soon after editing stops: a crash loses at most the last few seconds.

Every edit goes through the undo stack, so a change of its index is an edit
(or an undo or redo). The recovery copy is written ``IDLE_MS`` after the last
one, and at the latest ``CEILING_MS`` after the first unsaved one, so a long
drag or a stream of typing is still saved while it goes on. Nothing is written
when nothing changed since the last write.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QUndoStack

IDLE_MS = 3_000
"""Quiet time after an edit before the recovery copy is written."""

CEILING_MS = 10_000
"""The longest an edit waits to be written while editing goes on."""


class IdleAutosave(QObject):
    """Calls ``write`` ``IDLE_MS`` after the last edit, or ``CEILING_MS`` after the first unwritten one."""

    def __init__(self, stack: QUndoStack, write: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._write = write
        self.due = False
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(IDLE_MS)
        self.idle.timeout.connect(self.flush)
        self.ceiling = QTimer(self)
        self.ceiling.setSingleShot(True)
        self.ceiling.setInterval(CEILING_MS)
        self.ceiling.timeout.connect(self.flush)
        stack.indexChanged.connect(self.edited)

    def edited(self, *_args: object) -> None:
        self.due = True
        self.idle.start()
        if not self.ceiling.isActive():
            self.ceiling.start()

    def flush(self) -> None:
        """Write now if anything changed since the last write."""
        self.idle.stop()
        self.ceiling.stop()
        if self.due:
            self.due = False
            self._write()

    def stop(self) -> None:
        self.due = False
        self.idle.stop()
        self.ceiling.stop()
