"""Coalesce frame redraws: apply only the latest frame, on a single-shot timer.

Like qutebrowser's ``throttle``: the first frame after a quiet spell shows at
once; frames arriving faster than ``min_interval_ms`` replace each other and
only the newest is applied when the interval has passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from app.sim.view import FrameView

MIN_INTERVAL_MS = 12
"""At most about 80 applied frames a second: more than a screen or a video shows."""


class FrameAnimator(QObject):
    """Calls ``apply(frame)`` with the newest frame at most every ``min_interval_ms``."""

    def __init__(
        self, apply: Callable[[FrameView | None], None], min_interval_ms: int = MIN_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._apply = apply
        self._interval_s = min_interval_ms / 1000.0
        self._pending: FrameView | None = None
        self._has_pending = False
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)
        self.applied_count = 0

    def show(self, frame: FrameView | None) -> None:
        """Ask for ``frame`` to be shown (``None``: show the board as it is)."""
        self._pending = frame
        self._has_pending = True
        if self._timer.isActive():
            return
        wait = self._last + self._interval_s - time.monotonic()
        self._timer.start(max(0, int(wait * 1000)))

    def flush(self) -> None:
        """Apply the pending frame now (tests, exports, the end of a run)."""
        if self._has_pending:
            self._timer.stop()
            self._fire()

    def _fire(self) -> None:
        if not self._has_pending:
            return
        frame, self._pending, self._has_pending = self._pending, None, False
        self._last = time.monotonic()
        self._apply(frame)
        self.applied_count += 1
