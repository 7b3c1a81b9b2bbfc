"""The layers panel: show or hide health marks, flows, queues, loops,
cascades, annotations, stages, critical-path emphasis and the legend.
Layer visibility is part of the board (saved, undoable)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from models.document import LAYER_NAMES

LAYER_TITLES = {
    "health": "Health marks (yellow / red)", "flows": "Request flows", "queues": "Queues",
    "loops": "Feedback loops", "cascades": "Cascade paths", "annotations": "Annotations",
    "stages": "Pipeline stages", "critical": "Critical path emphasis", "legend": "Legend",
}


class LayersPanel(QWidget):
    def __init__(self, board: Any, editor: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board, self.editor = board, editor
        layout = QVBoxLayout(self)
        self.boxes: dict[str, QCheckBox] = {}
        for i, name in enumerate(LAYER_NAMES):
            box = QCheckBox(f"{LAYER_TITLES[name]}   (Alt+{i + 1})")
            box.setObjectName(f"layer_{name}")
            box.toggled.connect(lambda on, n=name: self.editor.set_layers(**{n: on}))
            self.boxes[name] = box
            layout.addWidget(box)
        layout.addStretch()
        board.events.layers_changed.connect(lambda old, new: self.refresh())
        board.events.reset.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        for name, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(bool(getattr(self.board.layers, name)))
            box.blockSignals(False)
