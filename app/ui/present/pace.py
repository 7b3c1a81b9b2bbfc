"""The pace bar: time spent against time planned, for the current step and for
the whole talk. Amber from ``AMBER_AT`` of the plan, red past it. Reads the
``RecordingSession`` (view state) and the steps' planned segments
(docs/recording.md)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.ui.panels.context import accent
from app.ui.session import RecordingSession
from models.chapters import clock
from models.entities import Step, clock_seconds

AMBER_AT = 0.9
"""The share of the planned time from which a bar turns amber."""
TICK_MS = 500


def planned_step_s(step: Step | None) -> float | None:
    """The planned length of a step's segment, in seconds, or None when it has none."""
    if step is None or not step.segment_start or not step.segment_end:
        return None
    return float(clock_seconds(step.segment_end) - clock_seconds(step.segment_start))


def planned_talk_s(steps: tuple[Step, ...]) -> float | None:
    """The talk's target length: the latest planned segment end."""
    ends = [clock_seconds(s.segment_end) for s in steps if s.segment_end]
    return float(max(ends)) if ends else None


def pace_colour(fraction: float | None) -> str:
    """Green under ``AMBER_AT`` of the plan, amber up to it, red past it."""
    if fraction is None or fraction < AMBER_AT:
        return "green"
    return "orange" if fraction <= 1.0 else "red"


@dataclass(frozen=True)
class PaceLine:
    label: str
    elapsed: float
    planned: float | None

    @property
    def fraction(self) -> float | None:
        return None if not self.planned else self.elapsed / self.planned

    @property
    def text(self) -> str:
        planned = clock(self.planned) if self.planned else "no plan"
        return f"{self.label}  {clock(self.elapsed)} / {planned}"


class PaceBar(QWidget):
    """Two thin bars, step and talk, each with ``elapsed / planned``."""

    def __init__(self, session: RecordingSession, parent: QWidget | None = None, large: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("paceBar")
        self.session = session
        self.large = large
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Pace: time on this step and in the whole talk against the plan "
                        "(amber at 90 %, red past 100 %)")
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.update)
        session.recording_changed.connect(self._recording_changed)
        session.step_changed.connect(lambda _id: self.update())
        self._recording_changed(session.recording)

    def _recording_changed(self, on: bool) -> None:
        if on:
            self.ticker.start()
        else:
            self.ticker.stop()
        self.update()

    def lines(self) -> list[PaceLine]:
        step = self.session.current_step()
        name = f"Step {step.code}" if step is not None else "Step"
        return [PaceLine(name, self.session.step_elapsed() or 0.0, planned_step_s(step)),
                PaceLine("Talk", self.session.elapsed() or 0.0, planned_talk_s(self.session.steps()))]

    def sizeHint(self) -> QSize:
        return QSize(420 if self.large else 260, 58 if self.large else 34)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            font = QFont(self.font())
            font.setPixelSize(17 if self.large else 11)
            font.setBold(True)
            painter.setFont(font)
            lines = self.lines()
            row = self.height() / len(lines)
            text_w = painter.fontMetrics().horizontalAdvance("Step DE07  00:00 / 00:00  ") + 6
            for i, line in enumerate(lines):
                top = i * row
                colour = QColor(accent(pace_colour(line.fraction)))
                painter.setPen(self.palette().color(self.foregroundRole()))
                painter.drawText(QRectF(2, top, text_w, row), Qt.AlignmentFlag.AlignVCenter, line.text)
                track = QRectF(text_w, top + row * 0.3, max(10.0, self.width() - text_w - 4), row * 0.4)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(128, 128, 128, 60))
                painter.drawRoundedRect(track, 3, 3)
                filled = QRectF(track)
                filled.setWidth(track.width() * min(1.0, line.fraction or 0.0))
                painter.setBrush(colour)
                painter.drawRoundedRect(filled, 3, 3)
        finally:
            painter.end()
