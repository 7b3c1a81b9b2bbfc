"""The status bar's progress of the background-run service: what runs, how
many runs of it are done, and Cancel. Hidden while nothing runs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from app.ui.runs.service import RunService

BAR_WIDTH = 160


class RunProgress(QWidget):
    """Follows a ``RunService``; Cancel cancels what runs and what is queued."""

    def __init__(self, service: RunService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runProgress")
        self.service = service
        self.label = QLabel("")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar()
        self.bar.setFixedWidth(BAR_WIDTH)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the background runs (the worker processes end within a second)")
        self.cancel_button.clicked.connect(service.cancel_all)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        service.started.connect(self._started)
        service.progressed.connect(self._progressed)
        service.idle.connect(self.hide)
        self.hide()

    def _started(self, label: str) -> None:
        self.label.setText(label)
        self.bar.setRange(0, 0)  # busy until the first count arrives
        self.show()

    def _progressed(self, done: int, planned: int) -> None:
        if planned <= 0:
            self.bar.setRange(0, 0)
            return
        self.bar.setRange(0, planned)
        self.bar.setValue(done)
        self.bar.setFormat(f"{done} of {planned} runs")
