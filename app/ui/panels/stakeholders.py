"""P02: stakeholders and what success means to each of them."""

from __future__ import annotations

from typing import Any

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.forms import FormField, split_lines
from app.ui.panels.table import Column
from models.entities import MetricTarget
from models.errors import BoardError

_OPERATORS = ("<=", "<")


def format_targets(targets: tuple[MetricTarget, ...]) -> str:
    return "\n".join(f"{t.metric} < {t.max:g}" for t in targets)


def parse_targets(text: str) -> list[dict[str, Any]]:
    """``p99_ms < 200`` a line: the measurable success criteria."""
    targets = []
    for line in split_lines(text):
        for operator in _OPERATORS:
            if operator in line:
                metric, _, value = line.partition(operator)
                break
        else:
            raise BoardError(f"targets: write each as 'metric < value', e.g. 'p99_ms < 200' (not {line!r})")
        try:
            targets.append({"metric": metric.strip(), "max": float(value.strip())})
        except ValueError:
            raise BoardError(f"targets: {value.strip()!r} is not a number") from None
    return targets


class StakeholdersPanel(EntityTablePanel):
    collection = "stakeholders"
    title = "Stakeholders"
    hint = "Who cares about the system, what they want, and what success looks like for each."
    detail_share = 2
    prefix = "stakeholder"

    def columns(self) -> list[Column]:
        return [
            Column("Stakeholder", lambda s: s.name, commit=lambda s, v: {"name": v}),
            Column("Wants", lambda s: s.wants, commit=lambda s, v: {"wants": v}, stretch=True),
            Column("Good looks like", lambda s: s.good_looks_like,
                   commit=lambda s, v: {"good_looks_like": v}, stretch=True),
            Column("Targets", lambda s: ", ".join(f"{t.metric} < {t.max:g}" for t in s.targets)),
        ]

    def new_fields(self) -> dict[str, Any]:
        return {"name": "New stakeholder"}

    def detail_fields(self) -> list[FormField]:
        return [
            FormField("Success criteria", "lines", lambda s: "\n".join(s.success),
                      lambda s, t: {"success": split_lines(t)}, "one criterion a line"),
            FormField("Measurable targets", "lines", lambda s: format_targets(s.targets),
                      lambda s, t: {"targets": parse_targets(t)}, "p99_ms < 200", height=50),
        ]
