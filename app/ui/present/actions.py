"""One way for the recording and presenter installers to make a window-wide action."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget


def window_action(window: QWidget, actions: dict[str, QAction], name: str, text: str, slot: Callable[..., object],
                  shortcut: str | tuple[str, ...] | None = None, checkable: bool = False) -> QAction:
    """An action on ``window`` (so its keys work wherever the focus is), kept in ``actions`` under ``name``."""
    made = QAction(text, window)
    made.setObjectName(f"action_{name}")
    if isinstance(shortcut, tuple):
        made.setShortcuts([QKeySequence(k) for k in shortcut])
    elif shortcut:
        made.setShortcut(QKeySequence(shortcut))
    made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    made.setCheckable(checkable)
    made.triggered.connect(slot)
    window.addAction(made)
    actions[name] = made
    return made
