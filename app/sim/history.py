"""The frames of one run, kept for the timeline slider.

The worker appends from its thread; the GUI reads. A lock makes each append
and each read whole; frames themselves are immutable.
"""

from __future__ import annotations

import threading

from app.sim.view import FrameView


class FrameHistory:
    """Every frame computed so far, in order."""

    def __init__(self) -> None:
        self._frames: list[FrameView] = []
        self._lock = threading.Lock()

    def append(self, frame: FrameView) -> int:
        with self._lock:
            self._frames.append(frame)
            return len(self._frames)

    def __len__(self) -> int:
        with self._lock:
            return len(self._frames)

    def __getitem__(self, index: int) -> FrameView:
        with self._lock:
            return self._frames[index]

    def latest(self) -> FrameView | None:
        with self._lock:
            return self._frames[-1] if self._frames else None

    def frames(self) -> list[FrameView]:
        """A copy of the list, safe to iterate while the run goes on."""
        with self._lock:
            return list(self._frames)

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()
