"""The main window (a plain placeholder-free shell until the canvas lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QMainWindow, QMessageBox

from models.board import Board
from models.errors import BoardLoadError
from models.fileformat import load_path


class MainWindow(QMainWindow):
    """Shows the open board's nodes and edges."""

    def __init__(self) -> None:
        super().__init__()
        self.board = Board()
        self.path: str | None = None
        self.list = QListWidget()
        self.setCentralWidget(self.list)
        self.resize(1200, 800)
        self._refresh()

    def open_path(self, path: str) -> bool:
        try:
            document = load_path(path)
        except BoardLoadError as error:
            QMessageBox.warning(self, "Cannot open board", "\n".join([error.source, *error.problems]))
            return False
        self.board = Board(document)
        self.path = path
        self._refresh()
        return True

    def _refresh(self) -> None:
        self.setWindowTitle(f"{self.board.meta.title} — Cascade Board")
        self.list.clear()
        for node in self.board.nodes:
            self.list.addItem(f"{node.label} ({node.kind})")
        for edge in self.board.edges:
            self.list.addItem(f"{edge.source} → {edge.target}  {edge.label}")
