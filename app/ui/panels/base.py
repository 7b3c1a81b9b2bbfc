"""The analysis panel for one board collection: a toolbar, the editable
table, an optional detail form for the current row and a status line.

Cells and forms edit through the ``BoardEditor`` (one undoable command
each); the table mirrors the board's events; selecting rows selects the
entities and the nodes and edges they refer to in the shared
``SelectionModel``, and a selection made elsewhere highlights matching rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.ui.panels.context import PanelContext, accent, describe_ref, subscribe, tool_button
from app.ui.panels.forms import DetailForm, FormField
from app.ui.panels.table import Column, ColumnDelegate, EntityTableModel, FittedTable
from models.errors import BoardError


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

        self.model = EntityTableModel(self, parent=self)
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
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # messages quote user text
        self.status.setWordWrap(True)

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
        """The table's columns. By default one: how each entity reads elsewhere (a node's
        label, a call as ``A → B``, a name or title); the section panels list more."""
        board = self.context.board
        return [Column("Name", lambda item: describe_ref(board, item.id), stretch=True)]

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
        self.status.setStyleSheet(f"color: {accent('red')};")
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
        return str(new_id) if new_id else None

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
        self.table.fit_later()  # a column per event-loop turn: a big board's table does not freeze the window
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
