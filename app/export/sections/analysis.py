"""Stakeholders, bottlenecks and the failure-mode matrix."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from app.export.context import Context
from app.export.fonts import markup
from app.export.sections.common import gap, section
from app.export.styles import HEALTH_FILL, MUTED, SEVERITY, para, rich, table

TITLES = {
    "stakeholders": "Stakeholders",
    "bottlenecks": "Bottlenecks",
    "failure_modes": "Failure-mode matrix",
}
METRIC_NAMES = {"p50_ms": "p50", "p95_ms": "p95", "p99_ms": "p99", "mean_ms": "mean", "error_rate": "error rate"}


def _lines(items: tuple[str, ...] | list[str]) -> str:
    return "<br/>".join(f"• {markup(item)}" for item in items)


def _target(metric: str, value: float) -> str:
    shown = f"{value * 100:g} %" if metric == "error_rate" else f"{value:g} ms"
    return f"{METRIC_NAMES[metric]} ≤ {shown}"


def build_stakeholders(ctx: Context) -> list[Flowable]:
    story = section(TITLES["stakeholders"])
    holders = ctx.document.stakeholders
    if not holders:
        return [*story, para("No stakeholders are mapped on this board.")]
    rows = []
    for holder in holders:
        targets = "<br/>".join(_target(t.metric, t.max) for t in holder.targets)
        rows.append([
            rich(f"<b>{markup(holder.name)}</b>", "cell"),
            holder.wants,
            rich(_lines(holder.success), "cell"),
            holder.good_looks_like,
            rich(targets or "–", "cell"),
        ])
    width = ctx.frame_width
    return [*story, table(["Stakeholder", "Wants", "Success means", "Good looks like", "Measurable target"],
                          rows, [width * f for f in (0.16, 0.18, 0.30, 0.22, 0.14)])]


def build_bottlenecks(ctx: Context) -> list[Flowable]:
    story = section(TITLES["bottlenecks"])
    marked = [n for n in ctx.document.nodes if n.health != "none"]
    marked.sort(key=lambda n: (n.health != "red", -ctx.betweenness(n.id)))
    story.append(para(
        f"Health marks from the analysis. {ctx.utilisation.caption()} Betweenness and fan-in show how central "
        "a node is."
    ))
    if not marked:
        return [*story, para("No node is marked yellow or red.")]
    rows: list[list[Any]] = []
    extra: list[tuple[Any, ...]] = []
    for index, node in enumerate(marked, start=1):
        load = ctx.loads.get(node.id)
        hint = ctx.hints.get(node.id, {})
        notes = [node.notes] if node.notes else []
        if load is not None:
            notes += load.notes
        rows.append([
            rich(f"<b>{markup(node.label)}</b>", "cell"),
            "red" if node.health == "red" else "yellow",
            ctx.utilisation.text(node.id) or "–",
            f"{ctx.betweenness(node.id):.3f}",
            str(hint.get("fan_in", 0)),
            rich("<br/>".join(markup(n) for n in notes) or "–", "cell"),
        ])
        extra.append(("BACKGROUND", (1, index), (1, index), HEALTH_FILL[node.health]))
    width = ctx.frame_width
    story.append(table(["Component", "Health", "Utilisation", "Betweenness", "Fan-in", "Notes"], rows,
                       [width * f for f in (0.19, 0.08, 0.12, 0.13, 0.08, 0.40)], extra))
    return story


def build_failure_modes(ctx: Context) -> list[Flowable]:
    story = section(TITLES["failure_modes"])
    modes = ctx.document.failure_modes
    if not modes:
        return [*story, para("No failure modes are listed on this board.")]
    story.append(para("Each component's failure modes with their effect; severity and likelihood on a 1–5 scale."))
    order = {n.id: i for i, n in enumerate(ctx.document.nodes)}
    ordered = sorted(modes, key=lambda m: order.get(m.node, len(order)))
    rows: list[list[Any]] = []
    extra: list[tuple[Any, ...]] = []
    previous = None
    for index, mode in enumerate(ordered, start=1):
        first = mode.node != previous
        previous = mode.node
        component = rich(f"<b>{markup(ctx.name_of(mode.node))}</b>", "cell") if first else ""
        rows.append([component, rich(f"<b>{markup(mode.name)}</b>", "cell"), mode.effect or mode.description,
                     rich(str(mode.severity), "cell_center"), rich(str(mode.likelihood), "cell_center")])
        extra.append(("BACKGROUND", (3, index), (3, index), SEVERITY[mode.severity]))
        if first and index > 1:
            extra.append(("LINEABOVE", (0, index), (-1, index), 0.9, MUTED))
    width = ctx.frame_width
    story += [table(["Component", "Failure mode", "Effect", "Severity", "Likelihood"], rows,
                    [width * f for f in (0.19, 0.23, 0.36, 0.11, 0.11)], extra), gap()]
    return story
