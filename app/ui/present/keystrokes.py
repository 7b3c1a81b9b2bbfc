"""The keystroke overlay: the shortcut just pressed, shown at the bottom of the canvas
for a moment, as screencast tools do (for tutorial videos). View state only; toggled
from View → Show Keystrokes. See docs/recording.md, "Presenter mode".
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QFontMetricsF, QKeyEvent, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from app.ui.canvas.style import font

SHOW_MS = 1600
"""How long a keystroke stays on screen."""
MODIFIER_KEYS = {Qt.Key.Key_Control, Qt.Key.Key_Shift, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr}
KEYS_FONT = font(22, bold=True)
NAME_FONT = font(14)


def key_text(event: QKeyEvent) -> str:
    """``Ctrl+Shift+Z`` for a key event (the platform's own spelling)."""
    combination = event.keyCombination()
    return QKeySequence(combination).toString(QKeySequence.SequenceFormat.NativeText)


class KeystrokeBadge(QWidget):
    """A dark pill at the bottom centre of the view: the keys, and the command they ran."""

    MARGIN = 28

    def __init__(self, view: QAbstractScrollArea) -> None:
        super().__init__(view)
        self.view = view
        self.setObjectName("keystrokeBadge")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        self.keys = ""
        self.name = ""
        self.timer = QTimer(self, singleShot=True, interval=SHOW_MS)
        self.timer.timeout.connect(self.hide)
        self.hide()

    def show_keys(self, keys: str, name: str) -> None:
        self.keys, self.name = keys, name.replace("&", "")
        big, small = QFontMetricsF(KEYS_FONT), QFontMetricsF(NAME_FONT)
        width = max(big.horizontalAdvance(self.keys), small.horizontalAdvance(self.name)) + 48
        height = big.height() + (small.height() + 4 if self.name else 0) + 24
        self.resize(int(width), int(height))
        port = self.view.viewport().geometry()
        self.move(port.center().x() - self.width() // 2, port.bottom() - self.height() - self.MARGIN)
        self.show()
        self.raise_()
        self.update()
        self.timer.start()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(27, 31, 36, 230))
            painter.drawRoundedRect(QRectF(self.rect()), 12, 12)
            big = QFontMetricsF(KEYS_FONT)
            painter.setFont(KEYS_FONT)
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(QRectF(0, 10, self.width(), big.height()), Qt.AlignmentFlag.AlignCenter, self.keys)
            if self.name:
                painter.setFont(NAME_FONT)
                painter.setPen(QColor("#CFD8DC"))
                painter.drawText(QRectF(0, 14 + big.height(), self.width(), self.height() - big.height() - 22),
                                 Qt.AlignmentFlag.AlignCenter, self.name)
        finally:
            painter.end()


class KeystrokeOverlay(QObject):
    """Watches the keys pressed in ``window`` while ``enabled`` and shows each shortcut on
    the badge: key combinations with Ctrl, Alt or Meta, function keys, and any key that is a
    window shortcut (single letters on the canvas, the walk keys). Plain typing is not shown."""

    def __init__(self, window: QWidget, view: QAbstractScrollArea) -> None:
        super().__init__(window)
        self.window = window
        self.badge = KeystrokeBadge(view)
        self.enabled = False
        self._last: tuple[int, str] | None = None

    def set_enabled(self, on: bool) -> None:
        if on == self.enabled:
            return
        self.enabled = on
        app = QApplication.instance()
        if app is None:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
            self.badge.hide()

    def _command(self, keys: QKeySequence) -> str:
        for action in self.window.findChildren(QAction):
            if action.isEnabled() and any(s.matches(keys) == QKeySequence.SequenceMatch.ExactMatch
                                          for s in action.shortcuts()):
                return action.text()
        return ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            self.seen(event)
        return False

    def seen(self, event: QKeyEvent) -> None:
        """Show ``event``'s keys if they are a shortcut (each key press once)."""
        if event.key() in MODIFIER_KEYS or event.isAutoRepeat():
            return
        keys = key_text(event)
        stamp = (event.timestamp(), keys)
        if stamp == self._last or not keys:
            return
        self._last = stamp
        command = self._command(QKeySequence(event.keyCombination()))
        modified = event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                                        | Qt.KeyboardModifier.MetaModifier)
        function_key = Qt.Key.Key_F1 <= event.key() <= Qt.Key.Key_F35 or event.key() == Qt.Key.Key_Escape
        if command or modified or function_key:
            self.badge.show_keys(keys, command)
