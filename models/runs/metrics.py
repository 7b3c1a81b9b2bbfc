"""The figures read from each run's summary and estimated over replications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from models.errors import BoardError

Summary = dict[str, Any]


class Unit(Enum):
    """How a figure is shown: a duration, a share (its differences in pp), a rate or a count."""

    MS = "ms"
    SHARE = "%"
    PER_S = "/s"
    S = "s"
    COUNT = ""


def _latency(key: str) -> Callable[[Summary], float | None]:
    def read(summary: Summary) -> float | None:
        value = summary["latency_ms"][key]
        return None if value is None else float(value)

    return read


def _degraded_share(summary: Summary) -> float | None:
    answered = summary["succeeded"] + summary["degraded"] + summary["failed"]
    return summary["degraded"] / answered if answered else None


def _recover_s(summary: Summary) -> float | None:
    recovery = summary.get("recovery")
    if not recovery or not recovery["recovered"]:
        return None
    return float(recovery["recover_s"])


@dataclass(frozen=True)
class Metric:
    """One figure of a run: its key in the output, a label and how to read it."""

    key: str
    label: str
    unit: Unit
    read: Callable[[Summary], float | None]


METRICS: tuple[Metric, ...] = (
    Metric("p50_ms", "p50", Unit.MS, _latency("p50")),
    Metric("p95_ms", "p95", Unit.MS, _latency("p95")),
    Metric("p99_ms", "p99", Unit.MS, _latency("p99")),
    Metric("mean_ms", "mean latency", Unit.MS, _latency("mean")),
    Metric("error_rate", "errors", Unit.SHARE, lambda s: float(s["error_rate"])),
    Metric("degraded_share", "degraded", Unit.SHARE, _degraded_share),
    Metric("goodput_rps", "goodput", Unit.PER_S, lambda s: float(s["goodput_rps"])),
    Metric("recover_s", "recovery", Unit.S, _recover_s),
)
"""Every figure estimated per variant. ``recover_s`` counts only the
replications that recovered after the scenario's failure ended."""

BY_KEY = {metric.key: metric for metric in METRICS}

NODE_FIGURES = ("utilization", "max_queue", "p99_ms")
"""Per-node figures of a summary estimated over replications."""


def node_value(summary: Summary, node_id: str, figure: str) -> float | None:
    value: Any = summary["nodes"].get(node_id, {}).get(figure)
    return None if value is None else float(value)


def not_recovered(summary: Summary) -> bool:
    """The run did not get back to normal after its failure ended (metastable)."""
    recovery: dict[str, Any] | None = summary.get("recovery")
    return recovery is not None and not recovery["recovered"]


def summary_metrics(summary: Summary) -> tuple[float, float]:
    """``(p99 in ms, error rate 0..1)`` of one run's summary, as a measurement records them."""
    p99 = summary["latency_ms"]["p99"]
    if p99 is None:
        raise BoardError("the run finished no requests, so there is no p99 to compare")
    return float(p99), float(summary["error_rate"])
