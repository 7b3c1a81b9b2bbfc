"""The recording session: which step (and build item) is current, the clock,
and when each step started. All of it is view state: nothing here changes the
board. Keeping the times is the editor's explicit, undoable
``keep_recording_times``. See docs/recording.md."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from models.board import Board
from models.entities import Step


class RecordingSession(QObject):
    """Current step and build item, recording clock and step stamps, with signals.

    ``clock`` is injectable (seconds, monotonic) so tests can drive time.
    """

    step_changed = Signal(str)
    """The current step's id ("" when the board has no steps)."""
    build_changed = Signal(int)
    """How many entries of the current step's reveal list are shown."""
    recording_changed = Signal(bool)
    stamped = Signal(str, float)
    """A step was first shown during this recording, at this many seconds."""

    def __init__(self, board: Board, clock: Callable[[], float] = time.monotonic,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.board = board
        self.clock = clock
        self.current_id: str | None = None
        self.shown = 0
        self.started_at: float | None = None
        self.stopped_elapsed: float | None = None
        self.stamps: dict[str, float] = {}
        self.step_arrived_at: float | None = None
        self.defer_first_stamp = False
        """Set while a reveal walk runs: a recording started on a step's empty
        arrival stamps that step at the first click that builds it, so the
        talk's opening becomes the Introduction chapter."""
        self._pending: str | None = None
        board.events.reset.connect(self._board_reset)
        board.events.changed.connect(self._board_changed)
        self._board_reset()

    # --- steps ------------------------------------------------------------------------

    def steps(self) -> tuple[Step, ...]:
        return self.board.items("steps")

    def current_step(self) -> Step | None:
        found = self.board.find(self.current_id) if self.current_id else None
        return found[1] if found is not None and isinstance(found[1], Step) else None

    def current_index(self) -> int:
        ids = [s.id for s in self.steps()]
        return ids.index(self.current_id) if self.current_id in ids else -1

    def next_step(self) -> Step | None:
        steps, index = self.steps(), self.current_index()
        return steps[index + 1] if 0 <= index < len(steps) - 1 else None

    def go_to(self, step_id: str | None, shown: int = 0) -> None:
        """Make a step current with ``shown`` reveal entries; stamps it while recording."""
        if step_id is not None:
            self.board.get("steps", step_id)
        changed = step_id != self.current_id
        self.current_id = step_id
        if self._pending is not None and (changed or shown > 0):
            if not changed:
                self._stamp(self._pending)
                self.step_arrived_at = self.clock()
            self._pending = None
        if changed:
            self.step_arrived_at = self.clock()
            if step_id is not None and self.started_at is not None and step_id not in self.stamps:
                self._stamp(step_id)
            self.step_changed.emit(step_id or "")
        if changed or shown != self.shown:
            self.shown = shown
            self.build_changed.emit(shown)

    def _stamp(self, step_id: str) -> None:
        self.stamps[step_id] = round(self.elapsed() or 0.0, 3)
        self.stamped.emit(step_id, self.stamps[step_id])

    def _board_reset(self) -> None:
        steps = self.steps()
        self.stamps.clear()
        self.current_id = None
        self.go_to(steps[0].id if steps else None)

    def _board_changed(self) -> None:
        if self.current_id is not None and self.current_step() is None:
            steps = self.steps()
            self.go_to(steps[0].id if steps else None)
        step = self.current_step()
        if step is not None and self.shown > len(step.reveal):
            self.shown = len(step.reveal)
            self.build_changed.emit(self.shown)

    # --- the clock ------------------------------------------------------------------------

    @property
    def recording(self) -> bool:
        return self.started_at is not None

    def elapsed(self) -> float | None:
        """Seconds since "Start recording" (frozen at the stop), or None before any recording."""
        if self.started_at is None:
            return self.stopped_elapsed
        return max(0.0, self.clock() - self.started_at)

    def step_elapsed(self) -> float | None:
        """Seconds on the current step during this recording."""
        if self.started_at is None or self.step_arrived_at is None:
            return None
        return max(0.0, self.clock() - max(self.step_arrived_at, self.started_at))

    def start(self) -> None:
        """t = 0: forget earlier stamps and stamp the current step at 0."""
        if self.started_at is not None:
            return
        self.started_at = self.clock()
        self.stopped_elapsed = None
        self.stamps = {}
        self.step_arrived_at = self.started_at
        self.recording_changed.emit(True)
        if self.current_id is None:
            return
        if self.defer_first_stamp and self.shown == 0:
            self._pending = self.current_id
        else:
            self._stamp(self.current_id)

    def stop(self) -> dict[str, float]:
        """Stop the clock; returns the stamps (kept until the next start)."""
        if self.started_at is not None:
            self.stopped_elapsed = self.elapsed()
            self.started_at = None
            self._pending = None
            self.recording_changed.emit(False)
        return dict(self.stamps)
