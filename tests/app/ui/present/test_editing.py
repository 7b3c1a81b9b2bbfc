"""The editor's presenting verbs: each is one undoable edit, refused with a
message when it would break a rule (do → undo → redo, board compared)."""

from __future__ import annotations

import pytest

from app.ui.editor import BoardEditor
from models.board import Board
from models.entities import Annotation, Frame
from models.errors import BoardError
from models.fileformat import load_path


@pytest.fixture
def editor(qapp, example_path):
    return BoardEditor(Board(load_path(example_path)))


def test_set_frame_undo_redo(editor):
    before = editor.board.document()
    editor.set_step_frame("step-de06", Frame(x=0, y=0, width=300, height=200))
    after = editor.board.document()
    assert editor.stack.undoText() == "Frame step DE06"
    editor.stack.undo()
    assert editor.board.document() == before
    editor.stack.redo()
    assert editor.board.document() == after
    editor.set_step_frame("step-de06", None)
    assert editor.board.get("steps", "step-de06").frame is None
    assert editor.stack.undoText() == "Clear the frame of step DE06"


def test_bad_frames_and_reveals_change_nothing(editor):
    before, count = editor.board.document(), editor.stack.count()
    with pytest.raises(BoardError, match=r"step DE06: the frame .* lies outside the board"):
        editor.set_step_frame("step-de06", Frame(x=90_000, y=90_000, width=10, height=10))
    with pytest.raises(BoardError, match=r"reveal\[0\]: 'ghost' is not"):
        editor.set_step_reveal("step-de06", ["ghost"])
    with pytest.raises(BoardError, match="'layer:lasers' is not a layer"):
        editor.set_step_reveal("step-de06", ["layer:lasers"])
    with pytest.raises(BoardError, match="the planned segment must end after it starts"):
        editor.update("steps", "step-de06", segment_end="07:00")
    assert editor.board.document() == before
    assert editor.stack.count() == count


def test_set_reveal_and_save_view(editor):
    editor.set_step_reveal("step-sy19", ["note-reflection", "layer:legend"])
    assert editor.board.get("steps", "step-sy19").reveal == ("note-reflection", "layer:legend")
    assert editor.stack.undoText() == "Set the reveal of step SY19"
    editor.save_view_to_board("step-de08", {**editor.board.layers.model_dump(), "flows": True})
    assert editor.board.layers.flows
    assert editor.stack.undoText() == "Save view of step DE08 to board"


def test_erase_the_ink_of_a_step_is_one_undo_step(editor):
    for i in range(3):
        editor.add("annotations", Annotation(id=f"ink-{i}", kind="ink", points=((0, 0), (i, 10)), step="step-p02"))
    editor.add("annotations", Annotation(id="ink-other", kind="ink", points=((0, 0), (5, 5)), step="step-de07"))
    before = editor.board.document()
    assert editor.erase_step_ink("step-p02") == 3
    assert editor.stack.undoText() == "Erase the ink of step P02"
    ids = {a.id for a in editor.board.items("annotations")}
    assert "ink-other" in ids
    assert not ids & {"ink-0", "ink-1", "ink-2"}
    assert "note-users" in ids  # sticky notes are not ink
    editor.stack.undo()
    assert editor.board.document() == before


def test_keep_recording_times_is_one_undo_step(editor):
    before = editor.board.document()
    assert editor.keep_recording_times({"step-p02": 0.0, "step-de07": 183.25}) == 2
    assert editor.board.get("steps", "step-de07").recorded_at_s == 183.2
    assert editor.stack.count() == 1
    assert editor.keep_recording_times({"step-p02": 0.0}) == 0
    editor.stack.undo()
    assert editor.board.document() == before


def test_deleting_a_step_takes_its_notes_and_undo_brings_both_back(editor):
    before = editor.board.document()
    editor.delete(["step-sy19"])
    assert editor.board.find("note-reflection") is None
    assert editor.board.find("step-sy19") is None
    editor.stack.undo()
    assert editor.board.document() == before
    editor.stack.redo()
    assert editor.board.find("note-reflection") is None
