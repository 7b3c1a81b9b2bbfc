"""The simulation scenarios: name, length, traffic, and each scenario's traffic
mix over the entry calls (docs/SIMULATION.md, "Traffic and users")."""

from __future__ import annotations

from typing import Any

from app.ui.panels.base import EntityTablePanel
from app.ui.panels.forms import FormField, split_lines
from app.ui.panels.table import Column
from models.errors import BoardError
from models.params import SimScenario


def format_mix(scenario: SimScenario) -> str:
    """One ``edge id: weight`` a line."""
    return "\n".join(f"{edge_id}: {weight:g}" for edge_id, weight in scenario.mix)


def parse_mix(text: str) -> dict[str, float]:
    """``e-users-gateway: 70`` a line (``=`` works too); empty text removes the mix."""
    mix: dict[str, float] = {}
    for line in split_lines(text):
        separator = ":" if ":" in line else "="
        edge_id, found, value = line.rpartition(separator)
        if not found or not edge_id.strip():
            raise BoardError(f"mix: write each line as 'entry edge id: weight', e.g. 'e-users-gateway: 70' "
                             f"(not {line!r})")
        edge_id, value = edge_id.strip(), value.strip()
        try:
            mix[edge_id] = float(value)
        except ValueError:
            raise BoardError(f"mix: the weight of {edge_id!r} must be a number, not {value!r}") from None
    return mix


def mix_summary(scenario: SimScenario) -> str:
    """``e-users-gateway 70 %, e-batch-engine 30 %``, or the calls' own weights."""
    total = sum(weight for _, weight in scenario.mix)
    if not scenario.mix or total <= 0:
        return "the calls' weights"
    return ", ".join(f"{edge_id} {weight / total * 100:.0f} %" for edge_id, weight in scenario.mix)


def parse_seconds(text: str) -> float:
    try:
        return float(text.strip().removesuffix("s").strip())
    except ValueError:
        raise BoardError(f"duration: {text.strip()!r} is not a number of seconds") from None


class ScenariosPanel(EntityTablePanel):
    collection = "scenarios"
    title = "Scenarios"
    hint = ("The simulation's scenarios. A scenario's traffic mix weighs the entry calls (the calls from a users "
            "node) for that scenario only; entries it does not name get no traffic.")
    prefix = "scenario"
    detail_share = 2

    def columns(self) -> list[Column]:
        return [
            Column("Scenario", lambda s: s.name, commit=lambda s, v: {"name": v}, stretch=True),
            Column("Duration (s)", lambda s: f"{s.duration_s:g}", commit=lambda s, v: {"duration_s": parse_seconds(v)},
                   align_right=True),
            Column("Traffic", lambda s: f"{s.traffic.kind} {s.traffic.base_rps:g}/s"),
            Column("Mix", mix_summary, stretch=True),
            Column("Failures", lambda s: str(len(s.failures)), align_right=True),
        ]

    def related_ids(self, entity: Any) -> list[str]:
        return [edge_id for edge_id, _ in entity.mix] + [f.target for f in entity.failures]

    def new_fields(self) -> dict[str, Any]:
        return {"name": "New scenario"}

    def detail_fields(self) -> list[FormField]:
        return [
            FormField("Description", "text", lambda s: s.description, lambda s, t: {"description": t}, height=60),
            FormField("Traffic mix", "lines", format_mix, lambda s, t: {"mix": parse_mix(t)},
                      "entry edge id: weight, one a line (empty: the calls' own weights)", height=50),
            FormField("Background entries", "lines", lambda s: "\n".join(s.background),
                      lambda s, t: {"background": split_lines(t)},
                      "entry edge ids whose requests are batch work, left out of the users' figures", height=40),
        ]
