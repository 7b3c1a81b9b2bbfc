"""Replications of one or more variants of a scenario, with confidence
intervals and a JMT-style stopping rule (docs/runs.md).

Every variant (the baseline, an intervention, a sweep point) runs with the
same replication seeds, so their differences are paired (common random
numbers) and tighter than the figures themselves. With a half-width target
the number of replications is the smallest N (at least ``MIN_REPLICATIONS``,
at most the cap) at which every variant's p99 and error rate have a 95 %
half-width within the target, relative to their mean. N is decided on the
replications in index order, never on which finished first, so it is the
same wherever the jobs ran.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from models.errors import BoardError
from models.runs.executors import Executor
from models.runs.jobs import Override, RunJob, Summary, run_job
from models.runs.metrics import BY_KEY, METRICS, NODE_FIGURES, node_value, not_recovered
from models.runs.seeds import replication_seeds
from models.runs.stats import Estimate, estimate

MIN_REPLICATIONS = 3
DEFAULT_REPLICATIONS = 5
"""Replications of compare and sweep unless asked: on a laptop with 4-8 cores the
StreamFlow comparison (11 rows) stays under a minute, and t(4) keeps intervals usable."""
"""The stopping rule looks at no fewer replications than this."""
DEFAULT_MAX_REPLICATIONS = 30
"""The stopping rule's cap unless one is given."""
MAX_REPLICATIONS = 1000
RULE_METRICS = ("p99_ms", "error_rate")
ERROR_RATE_TOLERANCE = 0.001
"""An error rate whose half-width is under 0.1 pp meets any relative target: a
relative half-width on a rate near zero would ask for endless replications."""

Progress = Callable[[int, int], None]
"""``(runs finished, runs planned)``; with a stopping rule, planned is the cap."""


@dataclass(frozen=True)
class Variant:
    """One configuration to replicate: a label, interventions and overrides."""

    label: str
    interventions: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True)
class RunPlan:
    """How many replications of which scenario: ``replications`` is N, or the
    cap when ``half_width`` (a relative target, 0.05 for 5 %) is set."""

    board: str
    scenario: str
    base_seed: int
    replications: int = 1
    half_width: float | None = None
    duration_s: float | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.replications <= MAX_REPLICATIONS:
            raise BoardError(f"replications must be between 1 and {MAX_REPLICATIONS}, not {self.replications}")
        if self.half_width is not None and (math.isnan(self.half_width) or not 0.0 < self.half_width < 1.0):
            raise BoardError(f"the half-width target must be above 0 and below 100 %, not {self.half_width!r}")


@dataclass(frozen=True)
class VariantRuns:
    """The summaries of one variant's replications, in replication order."""

    variant: Variant
    summaries: tuple[Summary, ...]

    def values(self, key: str) -> list[float | None]:
        return [BY_KEY[key].read(summary) for summary in self.summaries]

    def estimate(self, key: str) -> Estimate | None:
        """Mean ± half-width of a metric over the replications that have it."""
        present = [v for v in self.values(key) if v is not None]
        return estimate(present) if present else None

    def node_estimate(self, node_id: str, figure: str) -> Estimate | None:
        present = [v for s in self.summaries if (v := node_value(s, node_id, figure)) is not None]
        return estimate(present) if present else None

    def not_recovered(self) -> int:
        return sum(1 for summary in self.summaries if not_recovered(summary))

    def to_dict(self) -> dict[str, Any]:
        estimates = {m.key: (e.to_dict() if (e := self.estimate(m.key)) else None) for m in METRICS}
        nodes = {
            node_id: {f: (e.to_dict() if (e := self.node_estimate(node_id, f)) else None) for f in NODE_FIGURES}
            for node_id in (self.summaries[0]["nodes"] if self.summaries else {})
        }
        return {"label": self.variant.label, "interventions": list(self.variant.interventions),
                "overrides": {o.path: o.value for o in self.variant.overrides},
                "metrics": estimates, "nodes": nodes, "not_recovered": self.not_recovered()}


def paired_difference(runs: VariantRuns, base: VariantRuns, key: str) -> Estimate | None:
    """Mean ± half-width of ``runs`` minus ``base`` replication by replication
    (same seeds), over the replications where both have the metric."""
    pairs = [(a - b) for a, b in zip(runs.values(key), base.values(key), strict=True)
             if a is not None and b is not None]
    return estimate(pairs) if pairs else None


@dataclass(frozen=True)
class RunsResult:
    """Every variant's replications; ``stopped`` says why N is what it is:
    ``"count"`` (asked for), ``"target"`` (the half-width was met) or ``"cap"``."""

    plan: RunPlan
    seeds: tuple[int, ...]
    variants: tuple[VariantRuns, ...]
    stopped: str
    where: str
    """The executor's name: where the jobs ran."""

    @property
    def replications(self) -> int:
        return len(self.seeds)


def rule_met(variants: Sequence[VariantRuns], target: float) -> bool:
    """Every variant's p99 and error rate are within the relative half-width target."""
    for runs in variants:
        for key in RULE_METRICS:
            found = runs.estimate(key)
            if found is None:
                continue
            if key == "error_rate" and found.half_width is not None and found.half_width <= ERROR_RATE_TOLERANCE:
                continue
            relative = found.relative_half_width
            if relative is None or relative > target:
                return False
    return True


def _jobs(plan: RunPlan, variants: Sequence[Variant], seeds: Sequence[int], first: int, last: int) -> list[RunJob]:
    return [
        RunJob(plan.board, plan.scenario, seeds[index], variant.interventions, plan.duration_s, variant.overrides)
        for index in range(first, last) for variant in variants
    ]


def run_replications(
    plan: RunPlan, variants: Sequence[Variant], executor: Executor,
    progress: Progress | None = None, cancel: threading.Event | None = None,
) -> RunsResult:
    """Run every variant ``plan.replications`` times, or until the stopping rule holds."""
    if not variants:
        raise BoardError("nothing to run: no variants")
    cap = plan.replications
    seeds = replication_seeds(plan.base_seed, cap)
    summaries: list[list[Summary]] = [[] for _ in variants]
    planned = cap * len(variants)
    finished = 0

    def one_done(_index: int, _result: Summary) -> None:
        nonlocal finished
        finished += 1
        if progress is not None:
            progress(finished, planned)

    if progress is not None:
        progress(0, planned)
    done = 0
    goal = cap if plan.half_width is None else min(cap, MIN_REPLICATIONS)
    while True:
        results = executor.map(run_job, _jobs(plan, variants, seeds, done, goal), one_done, cancel)
        for offset, summary in enumerate(results):
            summaries[offset % len(variants)].append(summary)
        checked_from, done = max(done + 1, MIN_REPLICATIONS), goal
        if plan.half_width is None:
            return _result(plan, variants, summaries, seeds, done, "count", executor)
        for n in range(checked_from, done + 1):
            prefix = [VariantRuns(v, tuple(s[:n])) for v, s in zip(variants, summaries, strict=True)]
            if rule_met(prefix, plan.half_width):
                return _result(plan, variants, summaries, seeds, n, "target", executor)
        if done >= cap:
            return _result(plan, variants, summaries, seeds, done, "cap", executor)
        goal = min(cap, done + max(1, math.ceil(executor.workers / len(variants))))


def _result(plan: RunPlan, variants: Sequence[Variant], summaries: list[list[Summary]], seeds: list[int], n: int,
            stopped: str, executor: Executor) -> RunsResult:
    return RunsResult(
        plan, tuple(seeds[:n]),
        tuple(VariantRuns(v, tuple(s[:n])) for v, s in zip(variants, summaries, strict=True)),
        stopped, executor.name,
    )
