"""The editable entity table: columns, the model over one board collection,
the cell editors, and a table view that keeps its text columns readable.

The model mirrors the board by listening to its ``changed`` event: a single
insert or removal moves rows, anything else resets; cell edits go through
the panel's editor as one undoable command each.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate, QTableView, QWidget

from app.ui.panels.context import subscribe
from app.ui.plain import plain_tooltip
from models.errors import BoardError

Index = QModelIndex | QPersistentModelIndex

if TYPE_CHECKING:
    from app.ui.panels.context import PanelContext


class TablePanel(Protocol):
    """What the table model asks of the panel that owns it (``EntityTablePanel``)."""

    collection: str
    context: PanelContext

    def columns(self) -> list[Column]: ...
    def accept(self, entity: Any) -> bool: ...
    def board_changed(self) -> None: ...
    def before_rows_change(self) -> None: ...
    def after_rows_change(self) -> None: ...
    def show_error(self, message: str) -> None: ...


@dataclass
class Column:
    """One table column: how to show a cell and, if editable, how to change it.

    ``commit(entity, value)`` returns the field changes for ``editor.update``;
    ``choices`` are ``(value, label)`` pairs edited with a combo box;
    ``check`` makes a checkbox column.
    """

    header: str
    text: Callable[[Any], str]
    edit: Callable[[Any], Any] | None = None
    commit: Callable[[Any, Any], dict[str, Any]] | None = None
    choices: Sequence[tuple[str, str]] | Callable[[], Sequence[tuple[str, str]]] = ()
    check: Callable[[Any], bool] | None = None
    tooltip: Callable[[Any], str] | None = None
    color: Callable[[Any], str | None] | None = None
    stretch: bool = False
    align_right: bool = False


class EntityTableModel(QAbstractTableModel):
    """Rows are the board entities of one collection that ``accept`` takes."""

    def __init__(self, panel: TablePanel, parent: QObject) -> None:
        super().__init__(parent)
        self.panel = panel
        self.board = panel.context.board
        self.columns = panel.columns()
        self.ids: list[str] = self._current_ids()
        subscribe(self, self.board.events.changed, self._board_changed)

    def _current_ids(self) -> list[str]:
        return [e.id for e in self.board.items(self.panel.collection) if self.panel.accept(e)]

    def entity(self, row: int) -> Any:
        """The entity of a row, or None while the row is being removed."""
        found = self.board.find(self.ids[row])
        return found[1] if found is not None and found[0] == self.panel.collection else None

    def row_of(self, entity_id: str) -> int:
        return self.ids.index(entity_id) if entity_id in self.ids else -1

    def _board_changed(self) -> None:
        self.panel.board_changed()
        new = self._current_ids()
        old = self.ids
        if new == old:
            if new:
                self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, len(self.columns) - 1))
            return
        self.panel.before_rows_change()
        if len(new) == len(old) + 1 and [i for i in new if i in old] == old:
            row = next(r for r, i in enumerate(new) if r >= len(old) or old[r] != i)
            self.beginInsertRows(QModelIndex(), row, row)
            self.ids = new
            self.endInsertRows()
        elif len(new) == len(old) - 1 and [i for i in old if i in new] == new:
            row = next(r for r, i in enumerate(old) if r >= len(new) or new[r] != i)
            self.beginRemoveRows(QModelIndex(), row, row)
            self.ids = new
            self.endRemoveRows()
        else:
            self.beginResetModel()
            self.ids = new
            self.endResetModel()
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(self.columns) - 1))
        self.panel.after_rows_change()

    # --- Qt model ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if column.check is not None and column.commit is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif column.commit is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.ids):
            return None
        column = self.columns[index.column()]
        entity = self.entity(index.row())
        if entity is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return None if column.check is not None else column.text(entity)
        if role == Qt.ItemDataRole.EditRole:
            return column.edit(entity) if column.edit is not None else column.text(entity)
        if role == Qt.ItemDataRole.CheckStateRole and column.check is not None:
            return Qt.CheckState.Checked if column.check(entity) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = column.tooltip(entity) if column.tooltip is not None else column.text(entity)
            return plain_tooltip(tip) or None  # user text: never taken as markup
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            color = column.color(entity)
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        column = self.columns[index.column()]
        if column.commit is None:
            return False
        if role == Qt.ItemDataRole.CheckStateRole:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        entity = self.entity(index.row())
        if entity is None:
            return False
        try:
            changes = column.commit(entity, value)
            if changes:
                self.panel.context.editor.update(self.panel.collection, entity.id, **changes)
        except BoardError as error:
            self.panel.show_error(str(error))
            return False
        self.panel.show_error("")
        return True


class ColumnDelegate(QStyledItemDelegate):
    """A combo box for choice columns, a line edit for everything else."""

    def __init__(self, columns: list[Column], parent: QObject) -> None:
        super().__init__(parent)
        self.columns = columns

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:
        column = self.columns[index.column()]
        if column.choices:
            combo = QComboBox(parent)
            choices = column.choices() if callable(column.choices) else column.choices
            for value, label in choices:
                combo.addItem(label, value)
            return combo
        return QLineEdit(parent)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
        elif isinstance(editor, QLineEdit):
            value = editor.text()
        else:
            return
        if value != index.data(Qt.ItemDataRole.EditRole):
            model.setData(index, value, Qt.ItemDataRole.EditRole)


class FittedTable(QTableView):
    """A table whose text columns share the width left by the others, but
    never shrink below ``MIN_STRETCH`` (narrow docks scroll instead)."""

    MAX_COLUMN_WIDTH = 160
    MIN_STRETCH = 170
    FIT_ROWS = 50
    """Fitting a column reads the rows in view and at most this many more (Qt's default is
    1,000: on a board of thousands of nodes that took seconds per column)."""

    DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)

    def __init__(self, stretch: list[int], parent: QWidget | None = None,
                 delete_rows: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self.stretch = stretch
        self.delete_rows = delete_rows
        self.horizontalHeader().setResizeContentsPrecision(self.FIT_ROWS)
        # what QTableView.sizeHintForColumn reads: the vertical header's precision counts rows
        self.verticalHeader().setResizeContentsPrecision(self.FIT_ROWS)
        self._fit_when_shown = False
        self._fit_queue: list[int] = []
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self._fit_step)

    def event(self, event: QEvent) -> bool:
        # Delete in a table removes its rows only; without this, the window's
        # Delete shortcut would also delete the nodes the rows select.
        if (event.type() == QEvent.Type.ShortcutOverride and self.delete_rows is not None
                and event.key() in self.DELETE_KEYS):  # type: ignore[attr-defined]
            event.accept()
            return True
        return super().event(event)

    activate: Callable[[int], Any] | None = None
    """Called with the current row on Enter (when Enter does not edit)."""

    def keyPressEvent(self, event: Any) -> None:
        if (self.activate is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.state() != self.State.EditingState and self.currentIndex().isValid()):
            self.activate(self.currentIndex().row())
            return
        if self.delete_rows is not None and event.key() in self.DELETE_KEYS and self.state() != self.State.EditingState:
            self.delete_rows()
            return
        super().keyPressEvent(event)

    def fit(self) -> None:
        """Size the fixed columns to their contents (capped), then the text columns."""
        model = self.model()
        if model is None:
            return
        self._fit_queue = []
        for i in range(model.columnCount()):
            if i not in self.stretch:
                self.resizeColumnToContents(i)
                if self.columnWidth(i) > self.MAX_COLUMN_WIDTH:
                    self.setColumnWidth(i, self.MAX_COLUMN_WIDTH)
        self._share_width()

    def fit_later(self) -> None:
        """``fit`` from the event loop, a column a turn: after a big board's rows changed, fitting
        every column at once held the GUI thread for seconds (a hidden table fits when shown)."""
        model = self.model()
        if model is None:
            return
        if not self.isVisible():
            self._fit_when_shown = True
            return
        self._fit_queue = [i for i in range(model.columnCount()) if i not in self.stretch]
        self._fit_timer.start()

    def _fit_step(self) -> None:
        model = self.model()
        if model is None or not self._fit_queue:
            return
        column = self._fit_queue.pop(0)
        if column < model.columnCount():
            self.resizeColumnToContents(column)
            self.setColumnWidth(column, min(self.columnWidth(column), self.MAX_COLUMN_WIDTH))
        if self._fit_queue:
            self._fit_timer.start()
        else:
            self._share_width()

    def _share_width(self) -> None:
        model = self.model()
        if model is None or not self.stretch:
            return
        fixed = sum(self.columnWidth(i) for i in range(model.columnCount()) if i not in self.stretch)
        share = (self.viewport().width() - fixed) // len(self.stretch)
        for i in self.stretch:
            self.setColumnWidth(i, max(self.MIN_STRETCH, share))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._fit_when_shown:
            self._fit_when_shown = False
            self.fit_later()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._share_width()
