"""The frames of one run, kept for the timeline slider.

The worker appends from its thread; the GUI reads. A lock makes each append
and each read whole; frames themselves are immutable.

A run's frames live as long as its history, and they are many small objects
the cyclic garbage collector never stops tracking: the looks are named tuples,
and CPython untracks only exact tuples. A 300-second run of the 500-node board
keeps about 300,000 of them, and each full collection walked them all: 40 to
70 ms, the last event-loop stalls of the live animation. So every
``FREEZE_EVERY`` frames the young generations are collected and what is left
is frozen out of the collector's sight (``gc.freeze``), as the window does
with its start (``settle_heap``) and a big board with its items. Frozen frames
are still freed by reference count when the history is dropped.
"""

from __future__ import annotations

import gc
import threading

from app.sim.view import FrameView

FREEZE_EVERY = 32
"""Frames appended between two freezes (about 30,000 looks on the 500-node board; each
freeze costs a young collection, a millisecond or two)."""


class FrameHistory:
    """Every frame computed so far, in order."""

    def __init__(self) -> None:
        self._frames: list[FrameView] = []
        self._lock = threading.Lock()

    def append(self, frame: FrameView) -> int:
        with self._lock:
            self._frames.append(frame)
            count = len(self._frames)
        if count % FREEZE_EVERY == 0:
            gc.collect(1)  # young garbage first: only what lives on is frozen
            gc.freeze()
        return count

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
