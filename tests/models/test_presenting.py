"""Step frames, reveal lists, planned segments and the build plan (Qt-free)."""

from __future__ import annotations

import json

import pytest

from models.board import Board
from models.catalog import default_catalog
from models.document import BoardDocument
from models.entities import Frame, Step
from models.errors import BoardLoadError
from models.fileformat import load_bytes, load_path
from models.presenting import build_plan, exported_annotations, frame_problem
from models.removal import Update, plan_removal


@pytest.fixture
def board(example_path):
    return Board(load_path(example_path))


def test_a_frame_of_zero_size_is_refused_with_its_size():
    with pytest.raises(ValueError, match=r"a frame needs a width and a height above zero \(got 0 × 40\)"):
        Frame(x=0, y=0, width=0, height=40)


def test_a_planned_segment_must_end_after_it_starts():
    with pytest.raises(ValueError, match=r"the planned segment must end after it starts \(it runs 05:00 to 02:00\)"):
        Step(id="s", code="P02", name="x", segment_start="05:00", segment_end="02:00")


def test_a_reveal_list_names_real_layers_once():
    with pytest.raises(ValueError, match="'layer:lasers' is not a layer"):
        Step(id="s", code="P02", name="x", reveal=("layer:lasers",))
    with pytest.raises(ValueError, match="names the same item twice"):
        Step(id="s", code="P02", name="x", reveal=("a", "a"))


def test_a_frame_outside_the_board_is_named(board):
    assert frame_problem(board, Frame(x=0, y=0, width=100, height=100)) is None
    problem = frame_problem(board, Frame(x=50_000, y=0, width=100, height=100))
    assert problem is not None
    assert problem == ("the frame (50000, 0, 100 × 100) lies outside the board, "
                       "which spans (-135, 12) to (1315, 588)")


def test_a_file_whose_reveal_names_a_missing_element_says_where(example_path):
    data = json.loads(example_path.read_text(encoding="utf-8"))
    data["steps"][1]["reveal"].append("ghost")
    with pytest.raises(BoardLoadError) as error:
        load_bytes(json.dumps(data).encode())
    assert "steps[1].reveal[5]: 'ghost' is not" in "; ".join(error.value.problems)


def test_files_without_frames_or_reveals_load_unchanged():
    document = BoardDocument.model_validate({"steps": [{"id": "s1", "code": "P02", "name": "Stakeholders"}]})
    step = document.steps[0]
    assert step.frame is None
    assert step.reveal == ()
    plan = build_plan(Board(document))
    assert [(i.step_id, i.shown, i.frame) for i in plan] == [("s1", 0, None)]


def test_deleting_a_revealed_node_drops_it_from_the_reveal_list(board):
    operations = plan_removal(board, ["cache"])
    updates = {op.entity.id: op.entity for op in operations if isinstance(op, Update) and op.collection == "steps"}
    assert "cache" not in updates["step-de07"].reveal
    assert updates["step-de07"].reveal == ("llm", "engine", "vectordb", "profile")


def test_streamflow_builds_the_board_the_way_the_script_draws_it(board):
    plan = build_plan(board, default_catalog())
    steps = board.items("steps")
    assert [s.code for s in steps] == ["P02", "DE07", "DE06", "DE08", "CO03", "CO12", "RE06", "SY04", "SY01", "SY19"]
    assert all(s.frame is not None and s.reveal for s in steps)
    assert len(plan) == sum(len(s.reveal) + 1 for s in steps)
    at = {(i.step_id, i.shown): i for i in plan}
    assert at["step-p02", 0].visible == frozenset()
    assert at["step-p02", 2].visible == {"users", "gateway", "e-users-gateway"}
    assert {"note-users", "note-product", "note-infra", "note-business"} <= at["step-p02", 6].visible
    # stakeholder notes belong to their step; the bottlenecks come in the script's order
    assert not at["step-de07", 0].visible & {"note-users", "note-business"}
    assert at["step-de07", 1].visible - at["step-de07", 0].visible == {"llm"}
    assert at["step-de07", 2].visible - at["step-de07", 1].visible == {"engine", "e-gateway-engine", "e-engine-llm"}
    assert at["step-de08", 4].drawn(board) >= {"flow-happy", "flow-cache-miss"}
    assert "flow-happy" not in at["step-co12", 0].drawn(board)  # CO12 shows queues, not flows
    assert at["step-co12", 8].drawn(board) >= {"q-engine", "q-gateway-engine", "q-engine-llm", "q-engine-vectordb"}
    assert at["step-sy04", 3].drawn(board) >= {"cascade-llm-rate-limit", "cascade-cache-invalidation",
                                                "cascade-retry-storm"}
    everything = {e.id for c in ("nodes", "edges", "queues", "loops", "cascades") for e in board.items(c)}
    assert at["step-sy01", 1].visible >= everything
    assert at["step-sy19", 1].drawn(board) >= {"note-reflection", *(n.id for n in board.nodes)}


def test_deleting_a_step_deletes_its_annotations_and_their_reveal_entries(board):
    operations = plan_removal(board, ["step-p02"])
    removed = {op.entity_id for op in operations if not isinstance(op, Update)}
    assert removed == {"step-p02", "note-users", "note-product", "note-infra", "note-business"}


def test_exports_draw_the_notes_of_no_step_and_of_the_exported_step_only(board):
    notes = board.items("annotations")
    assert notes
    assert all(note.step for note in notes)  # StreamFlow's notes all belong to a step
    assert exported_annotations(notes) == ()
    p02 = exported_annotations(notes, "step-p02")
    assert {n.id for n in p02} == {"note-users", "note-product", "note-infra", "note-business"}
    loose = notes[0].model_copy(update={"id": "note-loose", "step": None})
    assert [n.id for n in exported_annotations((*notes, loose), "step-sy19")] == ["note-reflection", "note-loose"]
