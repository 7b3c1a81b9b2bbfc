"""Auto-layouts: callers left of callees, no overlapping boxes, big boards too."""

from __future__ import annotations

import itertools

import pytest

from app.ui.layout import GAP_X, GAP_Y, force_directed, layered
from models.board import Board
from models.fileformat import load_path

pytestmark = pytest.mark.gui


def overlapping(positions):
    return [(a, b) for (a, pa), (b, pb) in itertools.combinations(positions.items(), 2)
            if abs(pa[0] - pb[0]) < 150 and abs(pa[1] - pb[1]) < 56]


def test_layered_puts_callers_left_of_callees(example_path):
    board = Board(load_path(example_path))
    positions = layered(board)
    for edge in board.edges:
        assert positions[edge.source][0] < positions[edge.target][0], edge.id
    assert not overlapping(positions)
    assert positions["pipeline"][0] == positions["engine"][0]  # a caller of nothing else sits next to its callee


def test_force_directed_leaves_no_box_on_another(example_path):
    board = Board(load_path(example_path))
    positions = force_directed(board)
    assert set(positions) == {n.id for n in board.nodes}
    assert not overlapping(positions)
    assert force_directed(board) == positions  # deterministic


def test_layout_of_a_selection_stays_where_it_was(example_path):
    board = Board(load_path(example_path))
    chosen = ["engine", "cache", "vectordb", "llm"]
    positions = layered(board, chosen)
    assert set(positions) == set(chosen)
    assert min(x for x, _ in positions.values()) == min(board.node(n).x for n in chosen)
    assert min(y for _, y in positions.values()) == min(board.node(n).y for n in chosen)


def test_big_boards_lay_out_without_scipy():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "benchmarks"))
    from bench_canvas import generated_board

    board = Board(generated_board())
    positions = force_directed(board)
    assert len(positions) == 500
    assert GAP_X > 150
    assert GAP_Y > 56
