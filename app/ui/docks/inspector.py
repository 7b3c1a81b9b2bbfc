"""The inspector: every property of the selected entity (simulation
parameters included), edited through the editor and validated as you type;
with nothing selected, the board's title and summary."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.ui.docks.form import ModelForm
from models.document import COLLECTIONS, Meta
from models.errors import BoardError


class Inspector(QWidget):
    """Shows one form at a time, for ``selection.ids`` (one entity, several nodes, or the board)."""

    def __init__(self, board: Any, editor: Any, selection: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.board, self.editor, self.selection = board, editor, selection
        self.title = QLabel()
        self.title.setObjectName("inspectorTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        title_font = self.title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.1)
        self.title.setFont(title_font)  # a font, not a style sheet, so the theme's palette still applies
        self.title.setContentsMargins(2, 4, 2, 4)
        self.title.setWordWrap(True)
        self.problem = QLabel()
        """Why the last change could not be made (plain text); empty and hidden otherwise."""
        self.problem.setObjectName("inspectorProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.hide()
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.problem)
        layout.addWidget(self.scroller)
        self.form: ModelForm | None = None
        self._shown: tuple[str, str] | None = None
        self._pending = QTimer(self, singleShot=True, interval=0)
        self._pending.timeout.connect(self.refresh)
        selection.changed.connect(lambda _ids: self.show_selection())
        board.events.changed.connect(self._pending.start)
        board.events.reset.connect(self.show_selection)
        self.show_selection()

    def _commit_entity(self, collection: str, entity_id: str) -> Any:
        def commit(path: tuple[str, ...], value: Any) -> None:
            self.editor.set_field(collection, entity_id, path, value)
        return commit

    def _commit_meta(self, path: tuple[str, ...], value: Any) -> None:
        self.editor.set_meta(merge=True, **{path[0]: value})

    def show_selection(self) -> None:
        ids = [i for i in self.selection.ids if self.board.find(i) is not None]
        if len(ids) == 1:
            collection, entity = self.board.find(ids[0])
            key = (collection, entity.id)
            if key != self._shown:
                singular = COLLECTIONS[collection][1].replace("_", " ")
                form = ModelForm(type(entity), self._commit_entity(collection, entity.id))
                self._set_form(form, key, f"{singular.capitalize()} · {entity.id}")
        elif len(ids) > 1:
            key = ("many", ",".join(ids))
            if key != self._shown:
                self._set_form(self._many_form(ids), key, f"{len(ids)} items selected")
        elif self._shown != ("meta", ""):
            self._set_form(ModelForm(Meta, self._commit_meta, skip=()), ("meta", ""), "Board")
        self.refresh()

    def _set_form(self, form: QWidget, key: tuple[str, str], title: str) -> None:
        self._shown = key
        self.problem.hide()
        self.title.setText(title)
        old = self.scroller.takeWidget()
        if old is not None:
            old.deleteLater()
        self.form = form if isinstance(form, ModelForm) else None
        self.scroller.setWidget(form)

    def _many_form(self, ids: list[str]) -> QWidget:
        """Several items: the health and kind of the selected nodes, set at once."""
        widget = QWidget()
        layout = QFormLayout(widget)
        nodes = [i for i in ids if self.board.is_node(i)]
        if not nodes:
            layout.addRow(QLabel("Select one item to see its properties."))
            return widget
        for field, options in (("health", ("none", "yellow", "red")),
                               ("kind", ("gateway", "service", "database", "cache", "vector_store", "llm",
                                         "broker", "pipeline", "users", "external"))):
            combo = QComboBox()
            combo.setObjectName(f"many_{field}")
            combo.addItem("(mixed)", None)
            for option in options:
                combo.addItem(option.replace("_", " "), option)
            values = {getattr(self.board.node(n), field) for n in nodes}
            if len(values) == 1:
                combo.setCurrentIndex(combo.findData(values.pop()))
            combo.activated.connect(lambda _i, c=combo, f=field: self._set_many(nodes, f, c.currentData()))
            layout.addRow(f"{field.capitalize()} of {len(nodes)} nodes", combo)
        return widget

    def _set_many(self, nodes: list[str], field: str, value: Any) -> None:
        if value is None:
            return
        stack = self.editor.stack
        before = stack.index()
        try:
            with self.editor.macro(f"Set {field} of {len(nodes)} nodes to {value}"):
                for node_id in nodes:
                    self.editor.update("nodes", node_id, **{field: value})
        except BoardError as error:
            partial = stack.command(before) if stack.index() > before else None
            if partial is not None:  # undo what the macro did change, then drop it from the history
                partial.undo()
                partial.setObsolete(True)  # an obsolete command is deleted by the stack, not undone again
                stack.undo()
            self._shown = None  # rebuild: the combo shows the value the nodes really have
            self.show_selection()
            self.problem.setText(f"Cannot set {field} to {value}: {error}")
            self.problem.show()
            return
        self.problem.hide()

    def refresh(self) -> None:
        if self._shown is None:
            return
        collection, entity_id = self._shown
        if collection == "meta" and self.form is not None:
            self.form.refresh(self.board.meta)
        elif collection == "many":
            if any(self.board.find(i) is None for i in entity_id.split(",")):
                self.show_selection()
        elif self.form is not None:
            found = self.board.find(entity_id)
            if found is None:
                self._shown = None
                self.show_selection()
            else:
                self.form.refresh(found[1])


