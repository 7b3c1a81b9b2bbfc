"""The inspector's "several nodes" form: a change that fails part-way leaves nothing behind and says why."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox

from app.ui.docks.inspector import Inspector
from app.ui.editor import BoardEditor
from app.ui.selection import SelectionModel
from models.board import Board
from models.errors import BoardError
from models.fileformat import load_path

pytestmark = pytest.mark.gui


def test_a_change_that_fails_part_way_is_rolled_back_and_told(qtbot, monkeypatch, example_path):
    board = Board(load_path(example_path))
    editor = BoardEditor(board)
    selection = SelectionModel()
    inspector = Inspector(board, editor, selection)
    qtbot.addWidget(inspector)
    selection.select(["cache", "llm", "engine"])
    before, history = board.document(), editor.stack.count()
    real_update = editor.update

    def update(collection, entity_id, **fields):
        if entity_id == "engine":
            raise BoardError("the engine refuses")
        return real_update(collection, entity_id, **fields)

    monkeypatch.setattr(editor, "update", update)
    combo = inspector.findChild(QComboBox, "many_health")
    combo.setCurrentIndex(combo.findData("red"))
    combo.activated.emit(combo.currentIndex())
    assert board.document() == before  # cache and llm were changed, then put back
    assert editor.stack.count() == history  # no partial step in the history, nothing to redo
    assert not editor.stack.canRedo()
    assert inspector.problem.isVisibleTo(inspector)
    assert inspector.problem.text() == "Cannot set health to red: the engine refuses"
    shown = inspector.findChild(QComboBox, "many_health")
    assert shown.currentData() is None  # the form shows the nodes' real, mixed health again

    monkeypatch.setattr(editor, "update", real_update)
    shown.setCurrentIndex(shown.findData("yellow"))
    shown.activated.emit(shown.currentIndex())
    assert {board.node(n).health for n in ("cache", "llm", "engine")} == {"yellow"}
    assert editor.stack.count() == history + 1
    assert not inspector.problem.isVisibleTo(inspector)
