"""What every analysis panel shares: the context it edits through, board
subscriptions that end with the widget, and the editable entity table.

An ``EntityTablePanel`` shows one board collection as a table. Cells edit
through the ``BoardEditor`` (one undoable command each); the table mirrors
the board by listening to its ``changed`` event; selecting rows selects the
entities and the nodes and edges they refer to in the shared
``SelectionModel``, and a selection made elsewhere highlights matching rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.editor import BoardEditor
from app.ui.panels.forms import DetailForm, FormField
from app.ui.selection import SelectionModel
from models.board import Board
from models.catalog import Catalog, default_catalog
from models.errors import BoardError
from models.events import Event


@dataclass
class PanelContext:
    """What a panel works with: the board it shows, the editor it edits
    through, the shared selection and the model catalog."""

    board: Board
    editor: BoardEditor
    selection: SelectionModel
    catalog: Catalog = field(default_factory=default_catalog)

    @classmethod
    def from_window(cls, window: Any) -> PanelContext:
        catalog = getattr(window, "catalog", None)
        return cls(window.board, window.editor, window.selection, catalog or default_catalog())


def subscribe(owner: QObject, event: Event, listener: Callable[..., Any]) -> None:
    """Connect ``listener`` to a board event until ``owner`` is destroyed."""
    event.connect(listener)
    owner.destroyed.connect(lambda *_: event.disconnect(listener))


class DeferredRefresh(QObject):
    """Runs an expensive ``refresh`` once after a burst of board changes, and
    only while ``widget`` is shown (a hidden panel catches up when shown)."""

    def __init__(self, widget: QWidget, refresh: Callable[[], Any]) -> None:
        super().__init__(widget)
        self.widget, self.refresh = widget, refresh
        self.dirty = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._run)
        widget.installEventFilter(self)

    def schedule(self, *_: Any) -> None:
        self.dirty = True
        if self.widget.isVisible():
            self.timer.start()

    def _run(self) -> None:
        if self.dirty and self.widget.isVisible():
            self.dirty = False
            self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Show and self.dirty:
            self.timer.start()
        return False


def node_label(board: Board, node_id: str) -> str:
    found = board.find(node_id)
    return getattr(found[1], "label", node_id) if found else node_id


def describe_ref(board: Board, entity_id: str) -> str:
    """How an id reads in a table: a node's label, a call as ``A → B``, else a name."""
    found = board.find(entity_id)
    if found is None:
        return entity_id
    collection, entity = found
    if collection == "edges":
        return f"{node_label(board, entity.source)} → {node_label(board, entity.target)}"
    return str(getattr(entity, "label", None) or getattr(entity, "name", None)
               or getattr(entity, "title", None) or entity_id)


def labels(board: Board, ids: Sequence[str], sep: str = " → ") -> str:
    return sep.join(node_label(board, i) for i in ids)


def selected_nodes(context: PanelContext) -> list[str]:
    """The selected node ids, in the order they were selected."""
    return [i for i in context.selection.ids if (f := context.board.find(i)) and f[0] == "nodes"]


def parse_float(text: str, what: str) -> float:
    try:
        return float(str(text).replace("ms", "").strip())
    except ValueError:
        raise BoardError(f"{what}: {text!r} is not a number") from None


def parse_optional_int(text: str, what: str) -> int | None:
    text = str(text).strip()
    if text in ("", "-", "none", "unbounded"):
        return None
    try:
        return int(text)
    except ValueError:
        raise BoardError(f"{what}: {text!r} is not a whole number (leave empty for none)") from None


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

    def __init__(self, panel: EntityTablePanel) -> None:
        super().__init__(panel)
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

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if column.check is not None and column.commit is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif column.commit is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
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
            return column.tooltip(entity) if column.tooltip is not None else column.text(entity) or None
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            color = column.color(entity)
            return QColor(color) if color else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
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

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:
        column = self.columns[index.column()]
        if column.choices:
            combo = QComboBox(parent)
            choices = column.choices() if callable(column.choices) else column.choices
            for value, label in choices:
                combo.addItem(label, value)
            return combo
        return QLineEdit(parent)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
        elif isinstance(editor, QLineEdit):
            value = editor.text()
        else:
            return
        if value != index.data(Qt.ItemDataRole.EditRole):
            model.setData(index, value, Qt.ItemDataRole.EditRole)


def tool_button(text: str, tip: str, slot: Callable[[], Any], icon: str | None = None,
                icon_only: bool = False, icon_color: str | None = None) -> QToolButton:
    """A toolbar button with text and an icon; ``icon_only`` hides the text
    (kept for accessibility) when the icon says it all."""
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    if icon:
        try:
            import qtawesome

            button.setIcon(qtawesome.icon(icon, color=icon_color) if icon_color else qtawesome.icon(icon))
        except Exception:  # an icon font problem must not cost the button
            icon_only = False
        if icon_only:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    button.clicked.connect(lambda *_: slot())
    return button


class FittedTable(QTableView):
    """A table whose text columns share the width left by the others, but
    never shrink below ``MIN_STRETCH`` (narrow docks scroll instead)."""

    MAX_COLUMN_WIDTH = 160
    MIN_STRETCH = 170

    DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)

    def __init__(self, stretch: list[int], parent: QWidget | None = None,
                 delete_rows: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self.stretch = stretch
        self.delete_rows = delete_rows

    def event(self, event: QEvent) -> bool:
        # Delete in a table removes its rows only; without this, the window's
        # Delete shortcut would also delete the nodes the rows select.
        if (event.type() == QEvent.Type.ShortcutOverride and self.delete_rows is not None
                and event.key() in self.DELETE_KEYS):  # type: ignore[attr-defined]
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: Any) -> None:
        if self.delete_rows is not None and event.key() in self.DELETE_KEYS and self.state() != self.State.EditingState:
            self.delete_rows()
            return
        super().keyPressEvent(event)

    def fit(self) -> None:
        """Size the fixed columns to their contents (capped), then the text columns."""
        model = self.model()
        if model is None:
            return
        for i in range(model.columnCount()):
            if i not in self.stretch:
                self.resizeColumnToContents(i)
                if self.columnWidth(i) > self.MAX_COLUMN_WIDTH:
                    self.setColumnWidth(i, self.MAX_COLUMN_WIDTH)
        self._share_width()

    def _share_width(self) -> None:
        model = self.model()
        if model is None or not self.stretch:
            return
        fixed = sum(self.columnWidth(i) for i in range(model.columnCount()) if i not in self.stretch)
        share = (self.viewport().width() - fixed) // len(self.stretch)
        for i in self.stretch:
            self.setColumnWidth(i, max(self.MIN_STRETCH, share))

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._share_width()


class EntityTablePanel(QWidget):
    """A panel with a toolbar, an editable table of one collection, an
    optional detail form for the current row and a status line."""

    collection = ""
    title = ""
    hint = ""
    prefix = "item"
    can_add = True
    can_delete = True
    can_reorder = True
    detail_share = 1
    """How much of the spare height the detail form gets, against the table's 3."""

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._syncing = False
        self._restore: list[str] = []
        self._restore_current: str | None = None
        self.setObjectName(f"panel-{self.collection or type(self).__name__}")

        self.heading = QLabel(self.hint)
        self.heading.setWordWrap(True)
        self.toolbar = QHBoxLayout()
        self.toolbar.setContentsMargins(0, 0, 0, 0)
        if self.can_add:
            self.add_button = tool_button("Add", f"Add a {self.prefix}", self.add_entity, "fa5s.plus")
            self.toolbar.addWidget(self.add_button)
        if self.can_delete:
            self.delete_button = tool_button("Delete", "Delete the selected rows", self.delete_selected,
                                             "fa5s.trash-alt", icon_only=True)
            self.toolbar.addWidget(self.delete_button)
        if self.can_reorder:
            self.up_button = tool_button("Up", "Move the row up", lambda: self.move_current(-1), "fa5s.arrow-up",
                                         icon_only=True)
            self.down_button = tool_button("Down", "Move the row down", lambda: self.move_current(1),
                                           "fa5s.arrow-down", icon_only=True)
            self.toolbar.addWidget(self.up_button)
            self.toolbar.addWidget(self.down_button)
        self.add_tools(self.toolbar)
        self.toolbar.addStretch(1)

        self.model = EntityTableModel(self)
        self.table = FittedTable([i for i, c in enumerate(self.model.columns) if c.stretch],
                                 delete_rows=self.delete_selected if self.can_delete else None)
        self.table.setModel(self.model)
        self.table.setItemDelegate(ColumnDelegate(self.model.columns, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(not self.table.stretch)
        self.fit_columns()
        self.table.selectionModel().selectionChanged.connect(self._rows_selected)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._current_changed())

        self.form = DetailForm(self.detail_fields(), self._commit_detail)
        self.status = QLabel("")
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b3261e;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        if self.hint:
            layout.addWidget(self.heading)
        layout.addLayout(self.toolbar)
        self.add_above_table(layout)
        details = self.details_widget()
        if details is None:
            layout.addWidget(self.table, 1)
        else:
            self.splitter = QSplitter(Qt.Orientation.Vertical)
            self.splitter.setChildrenCollapsible(False)
            self.splitter.addWidget(self.table)
            self.splitter.addWidget(details)
            self.splitter.setStretchFactor(0, 3)
            self.splitter.setStretchFactor(1, self.detail_share)
            layout.addWidget(self.splitter, 1)
        self.add_below_table(layout)
        layout.addWidget(self.status)

        context.selection.changed.connect(self._selection_changed)
        subscribe(self, context.board.events.changed, self._refresh_form)
        if self.model.ids:
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._current_changed()

    def fit_columns(self) -> None:
        self.table.fit()

    # --- what subclasses describe ----------------------------------------------

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def accept(self, entity: Any) -> bool:
        return True

    def board_changed(self) -> None:
        """The board changed; called before the table refreshes (drop caches here)."""

    def related_ids(self, entity: Any) -> list[str]:
        """Nodes and edges a row stands for (selected with it on the canvas)."""
        return []

    def new_fields(self) -> dict[str, Any]:
        """Fields of a new entity; raise ``BoardError`` to say why not now."""
        return {}

    def detail_fields(self) -> list[FormField]:
        return []

    def details_widget(self) -> QWidget | None:
        """What goes under the table: the detail form, if there are fields."""
        return self.form if self.form.fields else None

    def add_tools(self, toolbar: QHBoxLayout) -> None:
        """Add panel-specific buttons to the toolbar."""

    def add_above_table(self, layout: QVBoxLayout) -> None:
        """Add widgets between the toolbar and the table."""

    def add_below_table(self, layout: QVBoxLayout) -> None:
        """Add widgets below the table (and its form)."""

    # --- actions ------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.status.setText(message)

    def run(self, action: Callable[[], Any]) -> Any:
        """Run an edit; a ``BoardError`` goes to the status line, not up."""
        try:
            result = action()
        except BoardError as error:
            self.show_error(str(error))
            return None
        self.show_error("")
        return result

    def add_entity(self) -> str | None:
        def create() -> str:
            new_id = self.context.editor.create(self.collection, self.prefix, **self.new_fields())
            return new_id

        new_id = self.run(create)
        if new_id:
            self.select_entity(new_id)
        return new_id

    def current_entity(self) -> Any:
        row = self.table.currentIndex().row()
        if row < 0 or row >= len(self.model.ids):
            return None
        return self.model.entity(row)

    def selected_entities(self) -> list[Any]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        entities = [self.model.entity(r) for r in rows if r < len(self.model.ids)]
        return [e for e in entities if e is not None]

    def delete_selected(self) -> None:
        ids = [e.id for e in self.selected_entities()]
        if ids:
            self.run(lambda: self.context.editor.delete(ids))

    def move_current(self, delta: int) -> None:
        entity = self.current_entity()
        if entity is None:
            return
        index = self.context.board.index_of(self.collection, entity.id)
        target = index + delta
        if 0 <= target < len(self.context.board.items(self.collection)):
            self.run(lambda: self.reorder(entity.id, target))
            self.select_entity(entity.id)

    def reorder(self, entity_id: str, index: int) -> None:
        self.context.editor.reorder(self.collection, entity_id, index)

    def select_entity(self, entity_id: str, publish: bool = True) -> None:
        """Make an entity's row current and selected; with ``publish`` the
        shared selection follows, otherwise only this table changes."""
        row = self.model.row_of(entity_id)
        if row < 0:
            return
        syncing, self._syncing = self._syncing, self._syncing or not publish
        try:
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.selectRow(row)
        finally:
            self._syncing = syncing
        if publish:
            self._rows_selected()

    # --- selection both ways ------------------------------------------------------

    def _rows_selected(self, *_: Any) -> None:
        if self._syncing:
            return
        ids: list[str] = []
        for entity in self.selected_entities():
            ids += [entity.id, *self.related_ids(entity)]
        self._syncing = True
        try:
            self.context.selection.select(ids)
        finally:
            self._syncing = False

    def _selection_changed(self, ids: list[str]) -> None:
        if self._syncing:
            return
        wanted = set(ids)
        rows = [r for r, i in enumerate(self.model.ids) if i in wanted]
        if not rows and wanted:
            rows = [r for r, i in enumerate(self.model.ids)
                    if (e := self.model.entity(r)) is not None and wanted & set(self.related_ids(e))]
        self._select_rows(rows)

    def _select_rows(self, rows: list[int]) -> None:
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        self._syncing = True
        try:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().select(selection, flags)
            if rows and self.table.currentIndex().row() not in rows:
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)
                self.table.scrollTo(self.model.index(rows[0], 0))
        finally:
            self._syncing = False

    def selected_ids(self) -> list[str]:
        """The entity ids of the highlighted rows."""
        return [e.id for e in self.selected_entities()]

    def before_rows_change(self) -> None:
        self._restore = self.selected_ids()
        current = self.current_entity()
        self._restore_current = None if current is None else current.id

    def after_rows_change(self) -> None:
        rows = [self.model.row_of(i) for i in self._restore if self.model.row_of(i) >= 0]
        self._select_rows(rows)
        current_row = self.model.row_of(self._restore_current) if self._restore_current else -1
        if current_row < 0 and not self.table.currentIndex().isValid() and self.model.ids:
            current_row = 0
        if current_row >= 0:
            self.table.selectionModel().setCurrentIndex(self.model.index(current_row, 0),
                                                        QItemSelectionModel.SelectionFlag.NoUpdate)
        self.fit_columns()
        self._current_changed()

    # --- the detail form --------------------------------------------------------------

    def _current_changed(self) -> None:
        self.form.show_entity(self.current_entity())
        self.current_changed(self.current_entity())

    def current_changed(self, entity: Any) -> None:
        """The current row changed (or its entity did)."""

    def _refresh_form(self) -> None:
        entity = self.current_entity()
        self.form.show_entity(entity)
        self.current_changed(entity)

    def _commit_detail(self, form_field: FormField, value: Any) -> None:
        entity = self.current_entity()
        if entity is None:
            return

        def update() -> None:
            changes = form_field.commit(entity, value)
            if changes:
                self.context.editor.update(self.collection, entity.id, merge=True, **changes)

        self.run(update)
