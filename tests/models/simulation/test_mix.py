"""A scenario's traffic mix (``SimScenario.mix``): validation, the share of
requests each entry gets, zero-weight entries never picked, removal."""

from __future__ import annotations

import json
from typing import Any

import pytest

from models.board import Board
from models.document import BoardDocument
from models.entities import Edge, Node
from models.errors import BoardLoadError
from models.fileformat import dumps, load_bytes
from models.params import CallParams, NodeSim, SimScenario, TrafficProfile
from models.removal import Remove, plan_removal
from models.simulation.build import entry_weights
from models.simulation.engine import Simulation
from models.simulation.errors import SimulationError
from tests.models.simulation.boards import PATIENT, constant


def _board(mix: dict[str, float] | None, weights: tuple[float, float, float] = (1.0, 1.0, 1.0)) -> BoardDocument:
    """Users call a, b and c (call weights ``weights``); a also calls b."""
    nodes = [Node(id="users", kind="users", label="Users")] + [
        Node(id=n, label=n, sim=NodeSim(workers=100, service_time=constant(1.0))) for n in ("a", "b", "c")
    ]
    edges = [Edge(id=f"e-{n}", source="users", target=n, call=CallParams(weight=w))
             for n, w in zip(("a", "b", "c"), weights, strict=True)]
    edges.append(Edge(id="e-a-b", source="a", target="b"))
    scenario = SimScenario(id="s", name="s", duration_s=100.0, users=PATIENT, mix=mix or {},
                           traffic=TrafficProfile(kind="constant", base_rps=40.0))
    return BoardDocument(nodes=tuple(nodes), edges=tuple(edges), scenarios=(scenario,))


def _load_problems(document: BoardDocument, **scenario_changes: object) -> list[str]:
    data = json.loads(dumps(document))
    data["scenarios"][0].update(scenario_changes)
    with pytest.raises(BoardLoadError) as caught:
        load_bytes(json.dumps(data).encode())
    return caught.value.problems


@pytest.fixture(scope="module")
def mixed_run() -> dict[str, Any]:
    """One short run with the mix 3 : 1 : 0 over a, b and c."""
    return _run(_board({"e-a": 3.0, "e-b": 1.0, "e-c": 0.0}), seed=5)


def _run(document: BoardDocument, seed: int, duration_s: float | None = None) -> dict[str, Any]:
    return Simulation(document, "s", seed=seed, duration_s=duration_s).result().to_dict()


def _calls(run: dict[str, Any], edge: str) -> int:
    edges = run["edges"]
    return int(edges[edge]["calls"]) if edge in edges else 0


def test_the_mix_sets_each_entrys_share(mixed_run):
    a, b = _calls(mixed_run, "e-a"), _calls(mixed_run, "e-b")
    assert a + b > 3000  # about 4,000 requests in 100 s
    assert a / (a + b) == pytest.approx(0.75, abs=0.03)


def test_an_entry_weighed_zero_is_never_picked(mixed_run):
    assert _calls(mixed_run, "e-c") == 0
    assert mixed_run["nodes"]["c"]["arrivals"] == 0


def test_an_entry_the_mix_does_not_name_gets_nothing():
    assert entry_weights(_board({"e-a": 2.0}), {"e-a": 2.0}) == {"e-a": 2.0, "e-b": 0.0, "e-c": 0.0}
    assert entry_weights(_board(None), None) == {"e-a": 1.0, "e-b": 1.0, "e-c": 1.0}


def test_a_board_without_mix_draws_as_before():
    """Equal weights and no mix: the entries are picked uniformly (one draw
    each); a scenario with the same weights as a mix gives the same run."""
    plain = _run(_board(None), seed=2, duration_s=20.0)
    same = _run(_board({"e-a": 1.0, "e-b": 1.0, "e-c": 1.0}), seed=2, duration_s=20.0)
    assert plain == same


def test_a_zero_call_weight_without_mix_is_never_picked():
    run = _run(_board(None, weights=(1.0, 0.0, 2.0)), seed=1, duration_s=20.0)
    assert _calls(run, "e-b") == 0
    assert "e-b" not in run["edges"]


def test_weights_must_be_numbers_at_least_zero():
    document = _board(None)
    problems = _load_problems(document, mix={"e-a": -1})
    assert any(p.startswith("scenarios[0].mix:") and "'e-a'" in p and "between 0" in p
               for p in problems), problems
    problems = _load_problems(document, mix={"e-a": "lots"})
    assert any("scenarios[0].mix:" in p and "must be a number" in p for p in problems), problems


def test_a_mix_of_zeros_is_refused():
    problems = _load_problems(_board(None), mix={"e-a": 0, "e-b": 0.0})
    assert any(p.startswith("scenarios[0].mix:") and "every weight is 0" in p for p in problems), problems


def test_the_mix_names_entries_on_this_board():
    problems = _load_problems(_board(None), mix={"e-a": 1, "e-nowhere": 1, "e-a-b": 2})
    assert "scenarios[0].mix['e-nowhere']: 'e-nowhere' is not an edge on this board" in problems
    assert any(p.startswith("scenarios[0].mix['e-a-b']:") and "not an entry" in p for p in problems), problems


def test_the_engine_refuses_a_mix_on_a_document_not_checked():
    document = _board({"e-a-b": 1.0})
    with pytest.raises(SimulationError, match="'e-a-b', which is not a call from a users node"):
        Simulation(document, "s")


def test_the_mix_round_trips_and_boards_without_it_save_as_before():
    document = _board({"e-a": 7.0, "e-b": 3.0})
    text = dumps(document)
    assert '"mix": {\n' in text or '"mix": {"e-a"' in text
    assert load_bytes(text.encode()) == document
    assert '"mix"' not in dumps(_board(None))


def test_removing_an_entry_drops_it_from_the_mix():
    board = Board(_board({"e-a": 7.0, "e-b": 3.0}))
    assert board.references_to("e-b") == [("scenarios", "s", "mix['e-b']")]
    _remove(board, "e-b")
    assert board.scenario("s").mix == (("e-a", 7.0),)
    _remove(board, "e-a")
    assert board.scenario("s").mix == ()
    assert board.check() == []


def _remove(board: Board, entity_id: str) -> None:
    for operation in plan_removal(board, [entity_id]):
        if isinstance(operation, Remove):
            board.remove(operation.collection, operation.entity_id)
        else:
            board.replace(operation.collection, operation.entity)


def test_background_requests_load_the_system_but_not_the_users_figures():
    document = _board({"e-a": 1.0, "e-b": 1.0})
    document = document.model_copy(update={"scenarios": (
        document.scenarios[0].model_copy(update={"background": ("e-b",)}),)})
    run = _run(document, seed=3, duration_s=20.0)
    background, users = run["nodes"]["b"]["arrivals"] - _calls(run, "e-a-b"), _calls(run, "e-a")
    assert background == _calls(run, "e-b") > 300
    assert run["requests"] == users  # only the users' requests are counted
    problems = _load_problems(_board(None), background=["e-a-b"])
    assert any(p.startswith("scenarios[0].background[0]:") and "not an entry" in p for p in problems), problems


def test_validate_names_a_bad_mix(tmp_path, capsys):
    from app.cli import run as cli

    data = json.loads(dumps(_board(None)))
    data["scenarios"][0]["mix"] = {"e-a-b": 1, "e-a": -2}
    path = tmp_path / "bad-mix.cboard"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert cli(["validate", str(path)]) == 1
    assert "scenarios[0].mix: the weight of 'e-a' must be between 0 and 1,000,000, not -2" in capsys.readouterr().err
    data["scenarios"][0]["mix"] = {"e-a-b": 1}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert cli(["validate", str(path)]) == 1
    assert "scenarios[0].mix['e-a-b']: 'e-a-b' is not an entry" in capsys.readouterr().err
