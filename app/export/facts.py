"""What every written output says about a board, as plain text and numbers.

The PDF's executive summary and appendix and the Markdown/HTML report
(``app.export.report``) print the same facts; they are worked out here once,
free of any layout (see ``docs/export.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from models.analysis import flow_total_ms
from models.document import BoardDocument
from models.entities import Intervention, Measurement, Step

NO_TIER = "Other interventions"
FIRST_ACTIONS = 3
"""How many interventions "what to do first" names at most."""


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 or value == int(value) else f"{value:.1f} ms"


def _rate(value: float) -> str:
    return f"{value * 100:.2f} %"


def change(before: float, after: float) -> str:
    """The relative change from ``before`` to ``after`` ("-67 %")."""
    if before == 0:
        return "–" if after == 0 else "new"
    return f"{(after - before) / before * 100:+.0f} %"


def headline(item: Intervention) -> Measurement | None:
    """The measurement a one-line summary quotes: the first scenario of the
    intervention's matrix row, else the single measurement the panel stored."""
    return item.measurements[0] if item.measurements else item.measured


def measurements(item: Intervention) -> tuple[Measurement, ...]:
    """Every measurement of an intervention: its matrix row, else the panel's single one."""
    if item.measurements:
        return item.measurements
    return (item.measured,) if item.measured is not None else ()


def _half_width(measurement: Measurement, metric: str) -> float | None:
    """The 95 % half-width of the figure after the intervention (None: one run)."""
    figure = measurement.figure(metric)
    if figure is None or figure.after is None:
        return None
    return figure.after.half_width


def points(change: float) -> str:
    """A change of a share (0..1) in percentage points, never relative."""
    return f"{change * 100:+.2f} pp"


def measured_effect(measurement: Measurement | None) -> str:
    """The measured effect in one line: p99 and error rate, before → after
    (errors' change in pp), with the 95 % half-width, scenario, N and seed."""
    if measurement is None:
        return "not measured yet"
    p99_ci = _half_width(measurement, "p99_ms")
    err_ci = _half_width(measurement, "error_rate")
    p99_after = _ms(measurement.p99_after_ms) + (f" ± {_ms(p99_ci)}" if p99_ci is not None else "")
    errors_after = _rate(measurement.error_rate_after) + (f" ± {_rate(err_ci)}" if err_ci is not None else "")
    return (f"{measurement.scenario}: p99 {_ms(measurement.p99_before_ms)} → {p99_after} "
            f"({change(measurement.p99_before_ms, measurement.p99_after_ms)}); "
            f"errors {_rate(measurement.error_rate_before)} → {errors_after} "
            f"({points(measurement.error_rate_after - measurement.error_rate_before)}); "
            f"N = {replications(measurement)}, seed {measurement.seed}")


def replications(measurement: Measurement) -> int:
    """How many paired runs each way a measurement averages."""
    return measurement.replications


def ranked(document: BoardDocument) -> list[Intervention]:
    return sorted(document.interventions, key=lambda i: (i.rank, i.title))


def by_tier(document: BoardDocument) -> list[tuple[str, list[Intervention]]]:
    """The interventions in rank order, grouped by tier in the order tiers first appear."""
    groups: dict[str, list[Intervention]] = {}
    for item in ranked(document):
        groups.setdefault(item.tier or NO_TIER, []).append(item)
    return list(groups.items())


def first_actions(document: BoardDocument) -> list[Intervention]:
    """What to do first: the top tier's interventions (at most ``FIRST_ACTIONS``)."""
    tiers = by_tier(document)
    return tiers[0][1][:FIRST_ACTIONS] if tiers else []


def key_numbers(document: BoardDocument) -> list[tuple[str, str]]:
    """The key findings in numbers: (value, what it counts)."""
    severe = [f for f in document.failure_modes if f.severity >= 4]
    numbers = [
        (str(len([n for n in document.nodes if n.kind != "users"])), "components"),
        (str(len([n for n in document.nodes if n.health != "none"])), "health-marked bottlenecks"),
        (str(len(document.failure_modes)), f"failure modes ({len(severe)} severe)"),
        (str(len(document.cascades)), "cascade scenarios"),
        (str(len([loop for loop in document.loops if loop.kind == "reinforcing"])), "reinforcing loops"),
        (str(len([q for q in document.queues if not q.exists])), "missing queues"),
        (str(len(document.interventions)), "prioritised interventions"),
    ]
    numbers += [(_ms(flow_total_ms(flow)), flow.name) for flow in document.flows[:2]]
    return numbers


def stakeholder_lines(document: BoardDocument) -> list[str]:
    """Who is affected and what they want, one line each."""
    return [f"{holder.name}: {holder.wants}" if holder.wants else holder.name for holder in document.stakeholders]


@dataclass(frozen=True)
class Assumption:
    """A modelling assumption written on a node or an edge."""

    subject: str
    text: str


def assumptions(document: BoardDocument) -> list[Assumption]:
    labels = {n.id: n.label for n in document.nodes}
    found = [Assumption(n.label, n.assumptions) for n in document.nodes if n.assumptions]
    found += [Assumption(f"{labels.get(e.source, e.source)} → {labels.get(e.target, e.target)}", e.assumptions)
              for e in document.edges if e.assumptions]
    return found


def scenario_rows(document: BoardDocument) -> list[list[str]]:
    """Each scenario's parameters: name, duration, traffic, users, failures."""
    labels = {n.id: n.label for n in document.nodes} | {e.id: e.id for e in document.edges}
    rows = []
    for scenario in document.scenarios:
        traffic = scenario.traffic
        load = f"{traffic.kind}: {traffic.base_rps:g} req/s"
        if traffic.peak_rps != traffic.base_rps:
            load += f", peak {traffic.peak_rps:g} req/s"
        users = scenario.users
        patience = f"give up after {users.timeout_s:g} s"
        if users.retry_probability:
            patience += f", retry {users.retry_probability * 100:g} % (up to {users.max_retries})"
        failures = "; ".join(f"{f.kind} on {labels.get(f.target, f.target)} at {f.at_s:g} s for {f.duration_s:g} s"
                             for f in scenario.failures) or "none"
        duration = f"{scenario.duration_s:g} s" + (f" (warm-up {scenario.warmup_s:g} s)" if scenario.warmup_s else "")
        rows.append([scenario.name, duration, load, patience, failures])
    return rows


def seed_rows(document: BoardDocument) -> list[list[str]]:
    """Every measured number's scenario, base seed and replications."""
    names = {s.id: s.name for s in document.scenarios}
    return [[f"#{item.rank} {item.title}", names.get(m.scenario, m.scenario), str(m.seed), str(replications(m))]
            for item in ranked(document) for m in measurements(item)]


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def planned(step: Step) -> str:
    return "–".join(s for s in (step.segment_start, step.segment_end) if s) or "–"
