"""Sweep ranges: parsing, the grid, and paths checked against the board."""

from __future__ import annotations

import pytest

from models.entities import Intervention, ParamChange
from models.errors import BoardError
from models.runs.jobs import Override, apply_overrides
from models.runs.sweep import Sweep, check_sweep, parse_range
from tests.models.simulation.boards import board, exponential


def small_board():
    document = board({"api": {"workers": 2, "service_time": exponential(50.0)}}, rate=5.0, duration_s=60.0)
    return document.model_copy(update={"interventions": (
        Intervention(id="more", title="More", rank=1,
                     changes=(ParamChange(target="api", path="sim.workers", value=8),)),
    )})


def test_ranges_up_down_and_fractional() -> None:
    assert parse_range("nodes.engine.sim.workers=8..32:4").values == (8, 12, 16, 20, 24, 28, 32)
    assert parse_range("a.b.c=3..1").values == (3, 2, 1)
    assert parse_range("a.b.c=0..1:0.25").values == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert parse_range("a.b.c=1..0.5:-0.25").values == (1.0, 0.75, 0.5)
    assert parse_range("a.b.c=5..5").values == (5,)


@pytest.mark.parametrize(("text", "message"), [
    ("a.b.c=5..1:1", "wrong sign"),
    ("a.b.c=1..5:-1", "wrong sign"),
    ("a.b.c=1..5:0", "other than 0"),
    ("workers=8-32", "is not PATH=FROM..TO:STEP"),
    ("a.b.c=0..100000:1", "at most"),
])
def test_bad_ranges_are_named(text: str, message: str) -> None:
    with pytest.raises(BoardError, match=message):
        parse_range(text)


def test_the_grid_is_the_product_first_range_slowest() -> None:
    sweep = Sweep((parse_range("nodes.api.sim.workers=1..2"), parse_range("nodes.api.sim.queue_limit=10..20:10")))
    assert sweep.points() == [(1, 10), (1, 20), (2, 10), (2, 20)]
    variants = sweep.variants(("more",))
    assert variants[1].label == "nodes.api.sim.workers=1, nodes.api.sim.queue_limit=20"
    assert variants[1].overrides == (Override("nodes.api.sim.workers", 1), Override("nodes.api.sim.queue_limit", 20))
    assert variants[1].interventions == ("more",)


@pytest.mark.parametrize(("path", "message"), [
    ("workers", "names no parameter"),
    ("nodes.api.sim.nope", "has no field 'nope'"),
    ("nodes.ghost.sim.workers", "no node 'ghost'"),
    ("nodes.api.label", "names no number"),
    ("nodes.api.sim", "names no number"),
    ("flows.x.latency", "names no parameter"),
])
def test_paths_must_name_a_number_on_the_board(path: str, message: str) -> None:
    with pytest.raises(BoardError, match=message):
        check_sweep(small_board(), Sweep((parse_range(f"{path}=1..2"),)))


def test_invalid_values_and_overridden_paths_are_refused() -> None:
    document = small_board()
    with pytest.raises(BoardError, match="workers"):
        check_sweep(document, Sweep((parse_range("nodes.api.sim.workers=0..2"),)))
    with pytest.raises(BoardError, match="'more' sets it too"):
        check_sweep(document, Sweep((parse_range("nodes.api.sim.workers=1..2"),)), ("more",))
    check_sweep(document, Sweep((parse_range("nodes.api.sim.workers=1..2"),)))


def test_overrides_change_a_copy_only() -> None:
    document = small_board()
    changed = apply_overrides(document, (Override("nodes.api.sim.workers", 5),))
    assert changed.nodes[1].sim.workers == 5
    assert document.nodes[1].sim.workers == 2
