"""The Scenarios panel: each scenario's traffic mix, edited through the editor (undoable)."""

from __future__ import annotations

from app.ui.panels.scenarios import ScenariosPanel
from tests.app.ui.panels.helpers import cell_text, check_undo_redo


def test_the_mix_is_shown_edited_undone_and_checked(qtbot, make, context):
    panel = make(ScenariosPanel)
    board, editor = context.board, context.editor
    assert cell_text(panel, "batch-contention", "Mix") == "e-users-gateway 70 %, e-batch-engine 30 %"
    assert cell_text(panel, "peak", "Mix") == "the calls' weights"
    before = board.document()
    panel.select_entity("peak")
    field = panel.form.widgets["Traffic mix"]
    field.setPlainText("e-users-gateway: 9\ne-batch-engine: 1")
    assert board.scenario("peak").mix == (("e-users-gateway", 9.0), ("e-batch-engine", 1.0))
    assert cell_text(panel, "peak", "Mix") == "e-users-gateway 90 %, e-batch-engine 10 %"
    check_undo_redo(editor, before, lambda: None)
    editor.stack.undo()
    field = panel.form.widgets["Traffic mix"]
    field.setPlainText("e-gateway-engine: 1")  # not an entry: refused, the board unchanged
    assert "not an entry" in panel.status.text()
    assert board.scenario("peak").mix == ()
    field.setPlainText("e-users-gateway: lots")
    assert "must be a number" in panel.status.text()
    field.setPlainText("e-users-gateway: 0")
    assert "every weight is 0" in panel.status.text()
    assert board.document() == before
