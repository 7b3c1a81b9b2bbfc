"""The cover, the contents and the key findings in numbers."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Spacer, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from app.export.context import Context
from app.export.diagram import topology_drawing
from app.export.fonts import SANS, markup
from app.export.sections.common import gap, section
from app.export.styles import ACCENT_LIGHT, RULE, WHITE, bullets, fmt_ms, grid, para, rich, styles
from models.analysis import flow_total_ms

COVER_SUMMARY_CHARS = 800
"""A longer summary opens the key findings instead of crowding the cover."""
COVER_DIAGRAM_NODES = 60
"""Larger boards get no cover thumbnail: it would be noise, and costs a second rendering."""
TITLES = {
    "contents": "Contents",
    "findings": "Key findings",
}


def build_cover(ctx: Context) -> list[Flowable]:
    meta = ctx.document.meta
    story: list[Flowable] = [NextPageTemplate("normal"), Spacer(1, 28 * mm), para("ANALYSIS HANDOUT", "caption"),
                             para(meta.title, "cover_title")]
    if meta.system:
        story.append(para(meta.system, "cover_sub"))
    rows = [("Analyst", meta.analyst), ("Date", ctx.date)]
    details = [f"<b>{label}</b>&nbsp;&nbsp;{markup(value)}" for label, value in rows if value]
    for line in details:
        story.append(rich(line, "cover_meta"))
    if meta.summary and len(meta.summary) <= COVER_SUMMARY_CHARS:
        story += [Spacer(1, 8 * mm), para(meta.summary, "cover_summary")]
    if 0 < len(ctx.document.nodes) <= COVER_DIAGRAM_NODES:
        story += [Spacer(1, 10 * mm), topology_drawing(ctx.document, ctx.frame_width, ctx.frame_width * 0.5,
                                                                   detail=False)]
    story.append(PageBreak())
    return story


def build_contents(ctx: Context) -> list[Flowable]:
    toc = TableOfContents()
    toc.levelStyles = [styles()["toc1"], styles()["toc2"]]
    toc.dotsMinLevel = 0
    toc.tableStyle = TableStyle([("FONT", (0, 0), (-1, -1), SANS, 9), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    return [rich(TITLES["contents"], "h1"), toc, PageBreak()]


def _stat_cards(stats: list[tuple[str, str]], width: float) -> Flowable:
    columns = 4
    cells: list[Any] = [[para(value, "stat_number"), para(label, "stat_label")] for value, label in stats]
    rows: list[list[Any]] = []
    for start in range(0, len(cells), columns):
        row = cells[start:start + columns]
        row += [""] * (columns - len(row))
        rows.append(row)
    return grid(rows, [width / columns] * columns, [
        ("BACKGROUND", (0, 0), (-1, -1), ACCENT_LIGHT),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("INNERGRID", (0, 0), (-1, -1), 2, WHITE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ])


def build_key_findings(ctx: Context) -> list[Flowable]:
    doc = ctx.document
    marked = [n for n in doc.nodes if n.health != "none"]
    missing = [q for q in doc.queues if not q.exists]
    reinforcing = [loop for loop in doc.loops if loop.kind == "reinforcing"]
    severe = [f for f in doc.failure_modes if f.severity >= 4]
    stats = [
        (str(len([n for n in doc.nodes if n.kind != "users"])), "components"),
        (str(len(marked)), "health-marked bottlenecks"),
        (str(len(doc.failure_modes)), f"failure modes ({len(severe)} severe)"),
        (str(len(doc.cascades)), "cascade scenarios"),
        (str(len(reinforcing)), "reinforcing loops"),
        (str(len(missing)), "missing queues"),
        (str(len(doc.interventions)), "prioritised interventions"),
    ]
    stats += [(fmt_ms(flow_total_ms(flow)), flow.name) for flow in doc.flows[:1]]
    story: list[Flowable] = [*section(TITLES["findings"])]
    if len(doc.meta.summary) > COVER_SUMMARY_CHARS:
        story.append(para(doc.meta.summary))
    story += [_stat_cards(stats, ctx.frame_width), gap(10)]
    if doc.findings:
        story += [rich("Findings", "label"), *bullets([finding.text for finding in doc.findings])]
    if doc.meta.problem:
        story += [gap(4), rich("The problem", "label"), *bullets(doc.meta.problem)]
    if doc.meta.goal:
        story += [gap(4), rich("The goal", "label"), para(doc.meta.goal)]
    flows = [f"{markup(flow.name)}: <b>{fmt_ms(flow_total_ms(flow))}</b>" for flow in doc.flows]
    if flows:
        story += [gap(4), rich("<b>Request latency by flow</b>&nbsp;&nbsp;" + " · ".join(flows), "body")]
    return story
