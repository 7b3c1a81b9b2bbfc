"""The outline: a searchable tree of everything on the board; picking a row
selects it (and the canvas shows it).

The tree is a model over the board (``OutlineModel``): a row holds an id, and
its text is read from the board when the view shows it; a group lists its
first ``BATCH`` rows and fetches more as the view scrolls to its end (Qt's
``canFetchMore``/``fetchMore``). A 20,000-node board costs a list of ids, not
20,000 tree items laid out at once (docs/LIMITS.md, "Big boards in the window")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from models.document import COLLECTIONS

Index = QModelIndex | QPersistentModelIndex
GROUP = 0
"""The internal id of a group's index; an entity row's is its group's row plus one."""
COLLECTION_ROLE = Qt.ItemDataRole.UserRole + 1
BATCH = 200
"""Rows a group lists at first, and adds each time the view scrolls to its end."""


def entity_text(entity: Any) -> str:
    """How an entity reads in the outline: its label, name, title or code, else its id."""
    return str(getattr(entity, "label", None) or getattr(entity, "name", None) or getattr(entity, "title", None)
               or getattr(entity, "code", None) or entity.id)


class OutlineModel(QAbstractItemModel):
    """Groups (one per collection with rows) of entity ids, filtered by a search text."""

    def __init__(self, board: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.board = board
        self.groups: list[tuple[str, list[str]]] = []
        self.fetched: list[int] = []
        """How many rows of each group the view has been given."""
        self.places: dict[str, tuple[int, int]] = {}
        """Entity id → (group row, row)."""

    def refill(self, needle: str) -> None:
        """The board's entities now, those matching ``needle`` (lower case) if it is not empty."""
        self.beginResetModel()
        self.groups = []
        for collection in COLLECTIONS:
            entities = self.board.items(collection)
            if needle:
                ids = [e.id for e in entities if needle in entity_text(e).lower() or needle in e.id.lower()]
            else:
                ids = [e.id for e in entities]
            if ids:
                self.groups.append((str(collection), ids))
        self.fetched = [min(BATCH, len(ids)) for _c, ids in self.groups]
        self.places = {entity_id: (g, r) for g, (_c, ids) in enumerate(self.groups) for r, entity_id in enumerate(ids)}
        self.endResetModel()

    def _fetch_to(self, group: int, rows: int) -> None:
        """List the first ``rows`` rows of ``group`` (more if fewer are listed)."""
        have = self.fetched[group]
        rows = min(rows, len(self.groups[group][1]))
        if rows > have:
            self.beginInsertRows(self.createIndex(group, 0, GROUP), have, rows - 1)
            self.fetched[group] = rows
            self.endInsertRows()

    def index_of(self, entity_id: str) -> QModelIndex:
        """The row of an entity (listed first if the view has not fetched it yet)."""
        place = self.places.get(entity_id)
        if place is None:
            return QModelIndex()
        self._fetch_to(place[0], place[1] + 1)
        return self.createIndex(place[1], 0, place[0] + 1)

    def canFetchMore(self, parent: Index) -> bool:
        return parent.isValid() and parent.internalId() == GROUP \
            and self.fetched[parent.row()] < len(self.groups[parent.row()][1])

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._fetch_to(parent.row(), self.fetched[parent.row()] + BATCH)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() or parent.internalId() == GROUP

    def group_index(self, collection: str) -> QModelIndex:
        for row, (name, _ids) in enumerate(self.groups):
            if name == collection:
                return self.createIndex(row, 0, GROUP)
        return QModelIndex()

    def entity_id(self, index: Index) -> str | None:
        if not index.isValid() or index.internalId() == GROUP:
            return None
        return self.groups[index.internalId() - 1][1][index.row()]

    # --- Qt model ---------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, GROUP) if row < len(self.groups) else QModelIndex()
        if parent.internalId() != GROUP or row >= self.fetched[parent.row()]:
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == GROUP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.groups)
        return self.fetched[parent.row()] if parent.internalId() == GROUP else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and index.internalId() == GROUP:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == GROUP:
            collection, ids = self.groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{collection.replace('_', ' ').capitalize()} ({len(ids)})"
            return collection if role == COLLECTION_ROLE else None
        entity_id = self.entity_id(index)
        if role in (Qt.ItemDataRole.UserRole, Qt.ItemDataRole.ToolTipRole):
            return entity_id
        if role == Qt.ItemDataRole.DisplayRole and entity_id is not None:
            found = self.board.find(entity_id)
            return entity_text(found[1]) if found is not None else entity_id
        return None


class Outline(QWidget):
    activated = Signal(str)

    def __init__(self, board: Any, selection: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board, self.selection = board, selection
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Search the board…")
        self.filter.setClearButtonEnabled(True)
        self.model = OutlineModel(board, self)
        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)  # the view lays out only what it shows
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self._syncing = False
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.rebuild)
        board.events.changed.connect(self._timer.start)
        self.filter.textChanged.connect(lambda _t: self.rebuild())
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._picked())
        self.tree.activated.connect(self._activate)
        selection.changed.connect(self._show_selection)
        self.rebuild()

    def rebuild(self) -> None:
        needle = self.filter.text().strip().lower()
        self._syncing = True
        try:
            expanded = {collection for row, (collection, _ids) in enumerate(self.model.groups)
                        if self.tree.isExpanded(self.model.index(row, 0))}
            scrolled = self.tree.verticalScrollBar().value()
            self.model.refill(needle)
            for row, (collection, _ids) in enumerate(self.model.groups):
                if needle or collection in expanded or collection in ("nodes", "edges"):
                    self.tree.setExpanded(self.model.index(row, 0), True)
            self.tree.verticalScrollBar().setValue(scrolled)
        finally:
            self._syncing = False
        self._show_selection(self.selection.ids)

    def row_ids(self, collection: str) -> list[str]:
        """The ids listed under ``collection`` (after the search)."""
        return next((ids for name, ids in self.model.groups if name == collection), [])

    def select_rows(self, ids: list[str]) -> None:
        """Pick rows as a user does (the selection follows)."""
        chosen = QItemSelection()
        for entity_id in ids:
            index = self.model.index_of(entity_id)
            if index.isValid():
                chosen.select(index, index)
        self.tree.selectionModel().select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _picked(self) -> None:
        if self._syncing:
            return
        ids = [self.model.entity_id(index) for index in self.tree.selectionModel().selectedIndexes()]
        self.selection.select([i for i in ids if i])

    def _activate(self, index: QModelIndex) -> None:
        entity_id = self.model.entity_id(index)
        if entity_id:
            self.activated.emit(entity_id)

    def _show_selection(self, ids: list[str]) -> None:
        self._syncing = True
        try:
            self.select_rows(ids)
            if ids:
                last = self.model.index_of(ids[-1])
                if last.isValid():
                    self.tree.scrollTo(last)
        finally:
            self._syncing = False
