"""Request flows with per-hop latency, pipeline stages, queues."""

from __future__ import annotations

import itertools
from typing import Any

from reportlab.platypus import Flowable, KeepTogether

from app.export.context import Context
from app.export.fonts import markup
from app.export.sections.common import gap, section, subsection
from app.export.styles import ACCENT_LIGHT, fmt_ms, para, rich, table
from models.analysis import flow_total_ms
from models.entities import Flow, Queue

TITLES = {
    "flows": "Request flows",
    "stages": "Pipeline stages",
    "queues": "Queues and buffers",
}


def _flow_table(ctx: Context, flow: Flow, width: float) -> Flowable:
    rows: list[list[Any]] = []
    elapsed = 0.0
    for group, grouped in itertools.groupby(flow.hops, key=lambda h: h.parallel_group):
        hops = list(grouped)
        step = max(h.latency_ms for h in hops) if group is not None else None
        for hop in hops:
            if group is None:
                elapsed += hop.latency_ms
            action = markup(hop.action) + (f" <i>(parallel: {markup(group)})</i>" if group else "")
            rows.append([str(len(rows) + 1), ctx.name_of(hop.node), rich(action, "cell"), hop.outcome,
                         rich(fmt_ms(hop.latency_ms), "cell_right"),
                         rich(fmt_ms(elapsed if group is None else elapsed + (step or 0.0)), "cell_right")])
        if step is not None:
            elapsed += step
    rows.append(["", rich("<b>Total</b>", "cell"), "", "", "",
                 rich(f"<b>{fmt_ms(flow_total_ms(flow))}</b>", "cell_right")])
    last = len(rows)
    return table(["#", "Node", "Action", "Outcome", "Latency", "Cumulative"], rows,
                 [width * f for f in (0.05, 0.22, 0.37, 0.1, 0.12, 0.14)],
                 [("BACKGROUND", (0, last), (-1, last), ACCENT_LIGHT)])


def build_flows(ctx: Context) -> list[Flowable]:
    story = section(TITLES["flows"])
    if not ctx.document.flows:
        return [*story, para("No request flows are traced on this board.")]
    for flow in ctx.document.flows:
        story += subsection(f"{flow.name} · {fmt_ms(flow_total_ms(flow))}")
        if flow.description:
            story.append(para(flow.description))
        story += [_flow_table(ctx, flow, ctx.frame_width), gap()]
    return story


def build_stages(ctx: Context) -> list[Flowable]:
    story = section(TITLES["stages"])
    stages = ctx.document.stages
    if not stages:
        return [*story, para("No pipeline stages are defined on this board.")]
    rows = [[str(index), rich(f"<b>{markup(stage.name)}</b>", "cell"), stage.mode,
             "yes" if stage.parallelisable else "no", ", ".join(ctx.name_of(n) for n in stage.nodes),
             stage.notes]
            for index, stage in enumerate(stages, start=1)]
    width = ctx.frame_width
    return [*story, table(["#", "Stage", "Mode", "Could run in parallel", "Nodes", "Notes"], rows,
                          [width * f for f in (0.05, 0.16, 0.08, 0.12, 0.19, 0.40)])]


def _place(ctx: Context, queue: Queue) -> str:
    return ctx.name_of(queue.node if queue.node is not None else queue.edge or "")


def _queue_rows(ctx: Context, queues: list[Queue]) -> list[list[object]]:
    return [[rich(f"<b>{markup(q.name)}</b>", "cell"), _place(ctx, q),
             "none" if q.depth_limit is None else f"{q.depth_limit:,}", q.technology or "–", q.notes]
            for q in queues]


def build_queues(ctx: Context) -> list[Flowable]:
    story = section(TITLES["queues"])
    queues = ctx.document.queues
    if not queues:
        return [*story, para("No queues are drawn on this board.")]
    width = ctx.frame_width
    widths = [width * f for f in (0.2, 0.2, 0.1, 0.14, 0.36)]
    header = ["Queue", "On", "Depth limit", "Technology", "Notes"]
    current = [q for q in queues if q.exists]
    missing = [q for q in queues if not q.exists]
    if current:
        story += [*subsection("Current queues"), table(header, _queue_rows(ctx, current), widths)]
    if missing:
        story.append(KeepTogether([*subsection("Missing queues (proposed)"),
                                   table(header, _queue_rows(ctx, missing), widths)]))
    return story
