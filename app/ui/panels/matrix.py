"""The 2 × 2 impact/effort matrix of the interventions.

Impact high or medium counts as high; effort medium or high counts as high,
so "high impact, medium effort" sits with the big bets, marked "(medium)".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

QUADRANTS = {
    ("high", "low"): ("High impact · quick wins", "high impact, low effort", "rgba(67, 160, 71, 45)"),
    ("high", "high"): ("High impact · big bets", "high or medium impact, more effort", "rgba(30, 136, 229, 40)"),
    ("low", "low"): ("Low impact · fill-ins", "low impact, low effort", "rgba(251, 192, 45, 40)"),
    ("low", "high"): ("Low impact · reconsider", "low impact, medium or high effort", "rgba(229, 57, 53, 35)"),
}


def quadrant(intervention: Any) -> tuple[str, str]:
    impact = "low" if intervention.impact == "low" else "high"
    effort = "low" if intervention.effort == "low" else "high"
    return impact, effort


class ImpactEffortMatrix(QWidget):
    """Four lists, one a quadrant; clicking an intervention calls ``picked``."""

    def __init__(self, picked: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picked = picked
        self.lists: dict[tuple[str, str], QListWidget] = {}
        self.frames: list[QFrame] = []
        self._text_colour = ""
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        grid.addWidget(QLabel("Low effort"), 0, 0, Qt.AlignmentFlag.AlignHCenter)
        grid.addWidget(QLabel("More effort"), 0, 1, Qt.AlignmentFlag.AlignHCenter)
        for (impact, effort), (title, subtitle, colour) in QUADRANTS.items():
            frame = QFrame()
            frame.setObjectName("quadrant")
            frame.setProperty("tint", colour)
            self.frames.append(frame)
            box = QVBoxLayout(frame)
            box.setContentsMargins(6, 4, 6, 4)
            box.setSpacing(2)
            heading = QLabel(f"<b>{title}</b>")
            heading.setTextFormat(Qt.TextFormat.RichText)
            heading.setToolTip(subtitle)
            frame.setToolTip(subtitle)
            listing = QListWidget()
            listing.setWordWrap(True)
            listing.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            listing.setMinimumHeight(70)
            listing.itemClicked.connect(lambda item: self.picked(item.data(Qt.ItemDataRole.UserRole)))
            box.addWidget(heading)
            box.addWidget(listing, 1)
            self.lists[(impact, effort)] = listing
            grid.addWidget(frame, 1 if impact == "high" else 2, 0 if effort == "low" else 1)

        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 2)
        self._restyle()

    def _restyle(self) -> None:
        """Tinted quadrants with the theme's text colour. A style sheet fixes the colours it
        was given when set, so a theme switch sets it again (``changeEvent``)."""
        text = self.palette().color(QPalette.ColorRole.WindowText).name()
        if text == self._text_colour:
            return
        self._text_colour = text
        for frame in self.frames:
            frame.setStyleSheet(f"QFrame#quadrant {{ background: {frame.property('tint')}; border-radius: 4px; }}"
                                f"QFrame#quadrant QLabel {{ color: {text}; }}"
                                f"QListWidget {{ background: transparent; border: none; color: {text}; }}")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()

    def show_interventions(self, interventions: tuple[Any, ...], current: str | None = None) -> None:
        for listing in self.lists.values():
            listing.clear()
        for item in sorted(interventions, key=lambda i: i.rank):
            extra = [level for level in (item.impact, item.effort) if level == "medium"]
            text = f"{item.rank}. {item.title}" + (" (medium)" if extra else "")
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, item.id)
            self.lists[quadrant(item)].addItem(entry)
            if item.id == current:
                entry.setSelected(True)

    def titles(self, impact: str, effort: str) -> list[str]:
        listing = self.lists[(impact, effort)]
        return [listing.item(i).text() for i in range(listing.count())]
