from __future__ import annotations

import json

from models.board import Board
from models.fileformat import dumps, load_path, save_path


def test_example_round_trips_every_field(example_path, tmp_path):
    original = load_path(example_path)
    target = tmp_path / "copy.cboard"
    save_path(original, target)
    again = load_path(target)
    assert again == original
    assert json.loads(dumps(again)) == json.loads(example_path.read_text(encoding="utf-8"))


def test_board_snapshot_equals_loaded_document(example_path):
    document = load_path(example_path)
    assert Board(document).document() == document
