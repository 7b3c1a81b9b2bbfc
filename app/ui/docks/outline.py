"""The outline: a searchable tree of everything on the board; picking a row
selects it (and the canvas shows it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.ui.commands import describe
from models.document import COLLECTIONS


class Outline(QWidget):
    activated = Signal(str)

    def __init__(self, board: Any, selection: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board, self.selection = board, selection
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Search the board…")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self._rows: dict[str, QTreeWidgetItem] = {}
        self._syncing = False
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.rebuild)
        board.events.changed.connect(self._timer.start)
        self.filter.textChanged.connect(lambda _t: self.rebuild())
        self.tree.itemSelectionChanged.connect(self._picked)
        self.tree.itemActivated.connect(lambda item, _c: self._activate(item))
        selection.changed.connect(self._show_selection)
        self.rebuild()

    def rebuild(self) -> None:
        needle = self.filter.text().strip().lower()
        self._syncing = True
        try:
            tops = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
            expanded = {top.data(0, Qt.ItemDataRole.UserRole + 1)
                        for top in tops if top is not None and top.isExpanded()}
            self.tree.clear()
            self._rows.clear()
            for collection in COLLECTIONS:
                entities = self.board.items(collection)
                rows = []
                for entity in entities:
                    text = describe(collection, entity).split(" ", 1)[1].strip("'")
                    if needle and needle not in text.lower() and needle not in entity.id.lower():
                        continue
                    row = QTreeWidgetItem([text])
                    row.setData(0, Qt.ItemDataRole.UserRole, entity.id)
                    row.setToolTip(0, entity.id)
                    rows.append(row)
                    self._rows[entity.id] = row
                if not rows:
                    continue
                group = QTreeWidgetItem([f"{collection.replace('_', ' ').capitalize()} ({len(rows)})"])
                group.setData(0, Qt.ItemDataRole.UserRole + 1, collection)
                group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                group.addChildren(rows)
                self.tree.addTopLevelItem(group)
                group.setExpanded(bool(needle) or collection in expanded or collection in ("nodes", "edges"))
        finally:
            self._syncing = False
        self._show_selection(self.selection.ids)

    def _picked(self) -> None:
        if self._syncing:
            return
        ids = [item.data(0, Qt.ItemDataRole.UserRole) for item in self.tree.selectedItems()]
        self.selection.select([i for i in ids if i])

    def _activate(self, item: QTreeWidgetItem) -> None:
        entity_id = item.data(0, Qt.ItemDataRole.UserRole)
        if entity_id:
            self.activated.emit(entity_id)

    def _show_selection(self, ids: list[str]) -> None:
        self._syncing = True
        try:
            wanted = set(ids)
            for entity_id, row in self._rows.items():
                row.setSelected(entity_id in wanted)
            if ids and ids[-1] in self._rows:
                self.tree.scrollToItem(self._rows[ids[-1]])
        finally:
            self._syncing = False
