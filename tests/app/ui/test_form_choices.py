"""The generated form offers a closed set (a StrEnum) as choices, like a Literal."""

from __future__ import annotations

from typing import Literal

from app.ui.docks.form import choices
from models.kinds import EdgeMark, Health


def test_choices_of_closed_sets_and_literals():
    assert choices(Health) == ("none", "yellow", "red")
    assert choices(EdgeMark) == ("critical", "missing_queue")
    assert choices(Literal["a", "b"]) == ("a", "b")
    assert choices(int) is None
    assert choices(str) is None
