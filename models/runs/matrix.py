"""The intervention × scenario matrix: each intervention measured, with
replications, on the scenarios it addresses (``Intervention.scenarios``), and
what the figures say about it (docs/runs.md, "The intervention matrix").

Each scenario runs once as a baseline and once per intervention that targets
it, all with the same replication seeds, so every change is a paired
difference. A measurement keeps p50, p99, error rate, degraded share, goodput
and the time to recover after the scenario's failure, each as mean ± 95 %
half-width, and a verdict: the trade-off an intervention makes when it raises
errors or degraded answers, or, when nothing moved, why (none of the
parameters it changes lies on a path the scenario loads).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.document import BoardDocument
from models.entities import Intervention, MeasuredFigure, MeasuredValue, Measurement
from models.errors import BoardError
from models.kinds import MeasuredMetric
from models.runs.executors import Executor
from models.runs.jobs import Summary, board_text
from models.runs.metrics import BY_KEY, Unit, summary_metrics
from models.runs.replicate import (
    Progress,
    RunPlan,
    RunsResult,
    Variant,
    VariantRuns,
    paired_difference,
    run_replications,
)
from models.runs.stats import Estimate

HIGHER_IS_BETTER = frozenset({MeasuredMetric.GOODPUT_RPS})
"""Every other figure of a measurement is better lower."""
NEGLIGIBLE = {Unit.MS: 1.0, Unit.SHARE: 0.0005, Unit.PER_S: 0.05, Unit.S: 1.0}
"""A change smaller than this is no change, whatever its interval says
(1 ms, 0.05 pp, 0.05/s, 1 s)."""
LOADED_UTILISATION = 0.5
"""A node at least this busy on average is on a loaded path; so is one whose
queue ever held a request or that failed any."""


@dataclass(frozen=True)
class MatrixPlan:
    """What to measure: ``cells`` maps each scenario to the interventions measured on it."""

    cells: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def runs(self) -> int:
        """Runs per replication: a baseline per scenario and one per cell."""
        return sum(1 + len(ids) for _, ids in self.cells)


def matrix_plan(document: BoardDocument, scenario: str | None = None, ids: Iterable[str] | None = None,
                unplaced: str | None = None) -> MatrixPlan:
    """Each scenario some intervention targets, with those interventions in rank
    order; with ``scenario``, that one scenario with every intervention.

    ``ids`` limits the plan to those interventions; ``unplaced`` is where the
    ones that name no scenario are measured (the window's current scenario;
    without it they are left out, as ``export-pdf --measure`` does)."""
    wanted = None if ids is None else set(ids)
    ranked = sorted((i for i in document.interventions if wanted is None or i.id in wanted),
                    key=lambda i: (i.rank, i.title))
    if scenario is not None:
        document.scenario(scenario)  # a BoardError naming the scenario
        cells = [(scenario, tuple(i.id for i in ranked))] if ranked else []
    else:
        if unplaced is not None:
            document.scenario(unplaced)

        def targets(item: Intervention) -> tuple[str, ...]:
            return item.scenarios or ((unplaced,) if unplaced is not None else ())

        cells = [(s.id, row) for s in document.scenarios
                 if (row := tuple(i.id for i in ranked if s.id in targets(i)))]
    if not cells:
        raise BoardError("nothing to measure: no intervention names a scenario it targets "
                         "(give each intervention its scenarios, or measure them all on one scenario)")
    return MatrixPlan(tuple(cells))


def cell_variants(ids: Sequence[str]) -> tuple[Variant, ...]:
    """The runs of one scenario of the matrix: the baseline first, then one variant per intervention."""
    return (Variant("baseline"), *(Variant(i, (i,)) for i in ids))


def scenario_measurements(document: BoardDocument, result: RunsResult) -> list[tuple[str, Measurement]]:
    """Each intervention's cell from the runs of one scenario (``cell_variants``):
    ``(intervention id, measurement)``. A ``BoardError`` when the baseline
    finished no requests (there is no p99 to compare)."""
    by_id = {item.id: item for item in document.interventions}
    base = result.variants[0]
    return [(runs.variant.interventions[0],
             measurement(document, by_id[runs.variant.interventions[0]], result.plan.scenario,
                         result.plan.base_seed, base, runs))
            for runs in result.variants[1:]]


def with_matrix(document: BoardDocument, found: dict[str, list[Measurement]]) -> BoardDocument:
    """A copy of ``document`` whose interventions in ``found`` carry those
    measurements as their matrix row (an older single ``measured`` is dropped)."""
    interventions = tuple(
        item.model_copy(update={"measurements": tuple(found[item.id]), "measured": None}) if item.id in found
        else item for item in document.interventions
    )
    return document.model_copy(update={"interventions": interventions})


def measure_matrix(
    document: BoardDocument, plan: MatrixPlan, executor: Executor, base_seed: int, replications: int,
    duration_s: float | None = None, progress: Progress | None = None, cancel: threading.Event | None = None,
    half_width: float | None = None,
) -> BoardDocument:
    """A copy of ``document`` whose interventions carry their measurements: the
    matrix ``plan`` describes, each cell over ``replications`` paired runs (with
    ``half_width``, until that relative 95 % half-width, at most ``replications``)."""
    text = board_text(document)
    total = plan.runs * replications
    done_before = 0
    found: dict[str, list[Measurement]] = {}
    for scenario, ids in plan.cells:
        def step(done: int, _planned: int, offset: int = done_before) -> None:
            if progress is not None:
                progress(offset + done, total)

        run_plan = RunPlan(text, scenario, base_seed, replications, half_width, duration_s)
        variants = cell_variants(ids)
        result = run_replications(run_plan, variants, executor, step, cancel)
        done_before += len(variants) * replications
        for intervention_id, cell in scenario_measurements(document, result):
            found.setdefault(intervention_id, []).append(cell)
    return with_matrix(document, found)


def _value(found: Estimate | None) -> MeasuredValue | None:
    return None if found is None else MeasuredValue(mean=found.mean, half_width=found.half_width, n=found.n)


def measurement(document: BoardDocument, item: Intervention, scenario: str, seed: int, base: VariantRuns,
                runs: VariantRuns) -> Measurement:
    """One cell of the matrix: ``runs`` (with ``item``) against ``base`` (without)."""
    p99_before, errors_before = _means(base.summaries)
    p99_after, errors_after = _means(runs.summaries)
    figures = tuple(
        MeasuredFigure(metric=metric, before=_value(base.estimate(metric.value)),
                       after=_value(runs.estimate(metric.value)),
                       change=_value(paired_difference(runs, base, metric.value)))
        for metric in MeasuredMetric
    )
    cell = Measurement(
        scenario=scenario, seed=seed, p99_before_ms=p99_before, p99_after_ms=p99_after,
        error_rate_before=errors_before, error_rate_after=errors_after, replications=len(base.summaries),
        figures=figures, not_recovered_before=base.not_recovered(), not_recovered_after=runs.not_recovered(),
    )
    return cell.model_copy(update={"verdict": verdict(document, item, cell, base.summaries)})


def _means(summaries: Sequence[Summary]) -> tuple[float, float]:
    pairs = [summary_metrics(summary) for summary in summaries]
    return (sum(p for p, _ in pairs) / len(pairs), min(1.0, sum(e for _, e in pairs) / len(pairs)))


def moved(figure: MeasuredFigure) -> int:
    """+1 if the figure got significantly better, -1 worse, 0 if the change is
    within its 95 % interval (or negligible, or not measured)."""
    change = figure.change
    if change is None:
        return 0
    unit = BY_KEY[figure.metric.value].unit
    if abs(change.mean) < NEGLIGIBLE[unit]:
        return 0
    if change.half_width is not None and abs(change.mean) <= change.half_width:
        return 0
    better = change.mean > 0 if figure.metric in HIGHER_IS_BETTER else change.mean < 0
    return 1 if better else -1


SHOWN = {Unit.MS: (1.0, " ms", 0), Unit.SHARE: (100.0, " %", 2), Unit.PER_S: (1.0, "/s", 1), Unit.S: (1.0, " s", 0)}
"""How a figure of each unit is shown: scale, unit and decimals (a share in %)."""


def format_value(metric: MeasuredMetric | str, value: MeasuredValue | None, change: bool = False) -> str:
    """``2,400 ± 80 ms``, ``3.10 ± 0.60 %``; a ``change`` signed, a share's in pp
    (``-1.20 ± 0.30 pp``); ``-`` when not measured."""
    if value is None:
        return "-"
    scale, unit, decimals = SHOWN[BY_KEY[MeasuredMetric(metric).value].unit]
    if change and unit == " %":
        unit = " pp"
    text = f"{value.mean * scale:{'+' if change else ''},.{decimals}f}"
    if value.half_width is not None:
        text += f" ± {value.half_width * scale:,.{decimals}f}"
    return text + unit


def describe_change(figure: MeasuredFigure) -> str:
    """``p99 -3,657 ± 410 ms``; a share's change in pp."""
    label = BY_KEY[figure.metric.value].label
    if figure.change is None:
        return f"{label}: not measured"
    return f"{label} {format_value(figure.metric, figure.change, change=True)}"


def verdict(document: BoardDocument, item: Intervention, cell: Measurement, baseline: Sequence[Summary]) -> str:
    """What the measured figures say: the gains, the trade-off when errors or
    degraded answers rise, or why nothing changed."""
    n = cell.replications
    better = [f for f in cell.figures if moved(f) > 0]
    worse = [f for f in cell.figures if moved(f) < 0]
    recovery = _recovery_text(cell)
    if not better and not worse and not recovery:
        loaded = loaded_targets(document, item, baseline)
        if not loaded[0]:
            return (f"No measurable effect (N = {n}): none of the parameters it changes is on a loaded path in "
                    f"this scenario ({'; '.join(loaded[1])}).")
        return (f"No measurable effect (N = {n}): its changes act on a loaded path ({'; '.join(loaded[1])}), "
                "but every change stays within its 95 % interval.")
    gains = [describe_change(f) for f in better] + ([recovery] if recovery else [])
    costs = [describe_change(f) for f in worse]
    if not costs:
        return f"Better: {', '.join(gains)} (N = {n})."
    errors_up = any(f.metric == MeasuredMetric.ERROR_RATE for f in worse)
    kind = "more fast failures" if errors_up else "a cost"
    if gains:
        return f"Trade-off ({kind}): {', '.join(costs)}, but {', '.join(gains)} (N = {n})."
    return f"Worse, with no measured gain: {', '.join(costs)} (N = {n})."


def _recovery_text(cell: Measurement) -> str:
    """Said when the intervention changes whether runs recover at all (metastability)."""
    before, after, n = cell.not_recovered_before, cell.not_recovered_after, cell.replications
    if before == after:
        return ""
    return f"recovers in {n - after} of {n} runs (baseline {n - before} of {n})"


def loaded_targets(document: BoardDocument, item: Intervention,
                   baseline: Sequence[Summary]) -> tuple[bool, list[str]]:
    """Whether any entity the intervention changes is on a loaded path in the
    baseline runs, and one line per entity saying how loaded it was."""
    queues = {q.id: q for q in document.queues}
    edges = {e.id: e for e in document.edges}
    seen: list[str] = []
    for change in item.changes:
        target = change.target
        if target in queues:  # a queue is loaded when the node or edge it sits on is
            target = queues[target].node or queues[target].edge or target
        if target not in seen:
            seen.append(target)
    any_loaded = False
    lines = []
    for target in seen:
        if target in edges:
            edge = edges[target]
            calls = sum(int(s["edges"].get(target, {}).get("calls", 0)) for s in baseline) / max(1, len(baseline))
            failing = sum(_edge_failures(s, target) for s in baseline)
            callee_loaded, callee = _node_load(edge.target, baseline)
            loaded = calls > 0 and (failing > 0 or callee_loaded)
            lines.append(f"{target}: {calls:,.0f} calls a run, {failing} failed, callee {callee}")
        else:
            loaded, text = _node_load(target, baseline)
            lines.append(f"{target}: {text}")
        any_loaded = any_loaded or loaded
    return any_loaded, lines


def _edge_failures(summary: Summary, edge_id: str) -> int:
    stats = summary["edges"].get(edge_id, {})
    return int(sum(stats.get(key, 0) for key in ("errors", "timeouts", "rate_limited", "rejected")))


def _node_load(node_id: str, baseline: Iterable[Summary]) -> tuple[bool, str]:
    rows = [s["nodes"][node_id] for s in baseline if node_id in s["nodes"]]
    if not rows:
        return False, f"{node_id} not simulated"
    busy = sum(float(r["utilization"]) for r in rows) / len(rows)
    queue = max(int(r["max_queue"]) for r in rows)
    errors = sum(sum(r["errors"].values()) for r in rows)
    loaded = busy >= LOADED_UTILISATION or queue > 0 or errors > 0
    return loaded, f"{node_id} {busy * 100:.0f} % busy, queue at most {queue}, {errors} errors"
