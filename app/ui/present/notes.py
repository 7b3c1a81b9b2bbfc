"""The presenter notes window: a separate top-level window (for a second
screen, or outside the captured area) with the current step's notes and
guiding question, the next step, the pace timers and the operator sequence
from the catalog. It follows the ``RecordingSession`` and drives it back, with
or without the reveal walk (docs/recording.md). All user text is plain text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.present.pace import PaceBar
from app.ui.session import RecordingSession
from models.catalog import Catalog

FORWARD_KEYS = (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_Down)
BACK_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up)


def _label(name: str, size: int, bold: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = QFont(label.font())
    font.setPixelSize(size)
    font.setBold(bold)
    label.setFont(font)
    return label


class NotesWindow(QWidget):
    """What the presenter reads while talking; never part of the recorded canvas."""

    def __init__(self, session: RecordingSession, catalog: Catalog, forward: Callable[[], Any],
                 back: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presenterNotes")
        self.setWindowTitle("Presenter notes")
        self.session, self.catalog = session, catalog
        self.forward, self.back = forward, back
        self.position = _label("position", 14)
        self.title = _label("title", 28, bold=True)
        self.question = _label("question", 19)
        self.question.setStyleSheet("font-style: italic;")
        self.notes = _label("notes", 19)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.build = _label("build", 14)
        self.next_label = _label("next", 17)
        self.pace = PaceBar(session, self, large=True)
        self.sequence = QListWidget()
        self.sequence.setObjectName("sequence")
        font = QFont(self.sequence.font())
        font.setPixelSize(16)
        self.sequence.setFont(font)
        self.sequence.setWordWrap(True)
        self.sequence.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sequence.itemActivated.connect(self._sequence_activated)
        previous = QPushButton("◀ Back")
        previous.clicked.connect(lambda: self.back())
        following = QPushButton("Forward ▶")
        following.clicked.connect(lambda: self.forward())
        for button in (previous, following):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons = QHBoxLayout()
        buttons.addWidget(previous)
        buttons.addStretch(1)
        buttons.addWidget(self.position)
        buttons.addStretch(1)
        buttons.addWidget(following)
        left = QVBoxLayout()
        left.addLayout(buttons)
        left.addWidget(self.title)
        left.addWidget(self.question)
        left.addWidget(self.notes, 1)
        left.addWidget(self.build)
        left.addWidget(self.next_label)
        left.addWidget(self.pace)
        right = QVBoxLayout()
        right.addWidget(_label("sequenceTitle", 15, bold=True, wrap=False))
        right.itemAt(0).widget().setText("Operator sequence")  # type: ignore[union-attr]
        right.addWidget(self.sequence, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.resize(1000, 600)
        session.step_changed.connect(lambda _id: self.refresh())
        session.build_changed.connect(lambda _n: self.refresh())
        session.board.events.changed.connect(self._board_changed)
        self.refresh()

    def _board_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        steps = self.session.steps()
        step = self.session.current_step()
        index = self.session.current_index()
        if step is None:
            self.position.setText("No steps")
            for label in (self.title, self.question, self.notes, self.build, self.next_label):
                label.setText("")
            self.sequence.clear()
            return
        model = self.catalog.get(step.code)
        self.position.setText(f"Step {index + 1} of {len(steps)}")
        self.title.setText(f"{step.code} · {step.name}")
        self.question.setText(model.question if model else "This model is not in the catalog.")
        self.notes.setText(step.notes or "No notes for this step.")
        total = len(step.reveal)
        self.build.setText(f"Build {self.session.shown} of {total}" if total else "Nothing to reveal at this step")
        following = self.session.next_step()
        self.next_label.setText(f"Next: {following.code} · {following.name}" if following else "Next: end of the talk")
        self._fill_sequence(steps, index)
        self.pace.update()

    def _fill_sequence(self, steps: tuple[Any, ...], index: int) -> None:
        self.sequence.clear()
        for i, step in enumerate(steps):
            model = self.catalog.get(step.code)
            planned = f"  [{step.segment_start}–{step.segment_end}]" if step.segment_start else ""
            item = QListWidgetItem(f"{'▶ ' if i == index else '   '}{step.code} {step.name}{planned}")
            item.setData(Qt.ItemDataRole.UserRole, step.id)
            if model is not None:
                item.setToolTip(model.question)
            if i == index:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.sequence.addItem(item)
        if index >= 0:
            self.sequence.setCurrentRow(index)

    def _sequence_activated(self, item: QListWidgetItem) -> None:
        self.session.go_to(str(item.data(Qt.ItemDataRole.UserRole)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in FORWARD_KEYS:
            self.forward()
        elif event.key() in BACK_KEYS:
            self.back()
        else:
            super().keyPressEvent(event)
