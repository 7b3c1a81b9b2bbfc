"""Pages 1–2: the executive summary a stakeholder reads first.

Page 1: the problem in the stakeholders' terms, the key findings in numbers
and the diagram. Page 2: the interventions in their tiers with the measured
effect (and its confidence interval when replications measured one) and the
trade-off, then what to do first. Each page is kept to one page: a long board
shrinks to fit rather than pushing the summary onto a third page.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepInFrame, NextPageTemplate, PageBreak

from app.export import facts
from app.export.context import Context
from app.export.diagram import topology_drawing
from app.export.fonts import markup
from app.export.sections.common import gap
from app.export.sections.overview import stat_cards
from app.export.styles import ACCENT_LIGHT, bullets, para, rich, table
from app.export.template import HEADER, Heading

TITLES = {"summary": "Executive summary", "priorities": "What to do, in priority order"}
PROBLEM_LINES = 6
FINDING_LINES = 6
DIAGRAM_NODES = 80
"""Larger boards get no summary diagram: at this size it would be noise."""


def _fit(content: list[Flowable], width: float, height: float) -> Flowable:
    return KeepInFrame(width, height, content, mode="shrink", hAlign="LEFT", vAlign="TOP")


def _page_one(ctx: Context) -> list[Flowable]:
    doc = ctx.document
    meta = doc.meta
    head: list[Flowable] = [para(meta.title, "cover_title")]
    byline = " · ".join(part for part in (meta.system, meta.analyst, ctx.date) if part)
    if byline:
        head.append(para(byline, "cover_sub"))
    body: list[Flowable] = [rich("The problem", "label")]
    problem = list(doc.meta.problem[:PROBLEM_LINES])
    if problem:
        body += bullets(problem)
    elif meta.summary:
        body.append(para(meta.summary))
    else:
        body.append(para("No problem statement is written on this board (Meta → Problem)."))
    if meta.goal:
        body.append(rich(f"<b>The goal</b>&nbsp;&nbsp;{markup(meta.goal)}", "body"))
    if meta.source:
        body.append(rich(f"<b>Source</b>&nbsp;&nbsp;{markup(meta.source)}", "body"))
    affected = facts.stakeholder_lines(doc)
    if affected:
        body += [rich("<b>Who is affected</b>&nbsp;&nbsp;" + " · ".join(markup(line) for line in affected), "body")]
    body += [gap(4), rich("Key findings", "label"), stat_cards(facts.key_numbers(doc), ctx.frame_width), gap(6)]
    if doc.findings:
        body += bullets([finding.text for finding in doc.findings[:FINDING_LINES]])
    if 0 < len(doc.nodes) <= DIAGRAM_NODES:
        body += [gap(6), topology_drawing(doc, ctx.frame_width, ctx.frame_width * 0.46, detail=False)]
    elif not doc.nodes:
        body.append(para("The board has no components yet, so there is no diagram."))
    room = ctx.frame_height + HEADER - 120
    return [*head, Heading(TITLES["summary"], 0), _fit(body, ctx.frame_width, room)]


def _priorities_table(ctx: Context) -> Flowable:
    width = ctx.frame_width
    rows: list[list[Any]] = []
    extra: list[tuple[Any, ...]] = []
    for tier, items in facts.by_tier(ctx.document):
        row = len(rows) + 1
        rows.append([rich(f"<b>{markup(tier)}</b>", "cell"), "", "", ""])
        extra += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), ACCENT_LIGHT)]
        for item in items:
            rows.append([rich(f"<b>{item.rank}</b>", "cell_center"), rich(f"<b>{markup(item.title)}</b>", "cell"),
                         facts.measured_effect(facts.headline(item)), item.tradeoff or "not stated"])
    return table(["Rank", "Intervention", "Measured effect", "Trade-off"], rows,
                 [width * f for f in (0.07, 0.33, 0.30, 0.30)], extra)


def _page_two(ctx: Context) -> list[Flowable]:
    doc = ctx.document
    if not doc.interventions:
        return [Heading(TITLES["priorities"], 0),
                para("No interventions are listed on this board yet: the analysis names no change to make.")]
    body = [_priorities_table(ctx)]
    if not any(facts.headline(item) for item in doc.interventions):
        body.append(para("No effect is measured yet: the simulation has not been run against these "
                         "interventions for this handout.", "caption"))
    body += [gap(8), rich("What to do first", "label")]
    for item in facts.first_actions(doc):
        text = f"<b>{item.rank}. {markup(item.title)}</b>"
        if item.description:
            text += f" — {markup(item.description)}"
        body.append(rich(text, "body"))
    return [Heading(TITLES["priorities"], 0), _fit(body, ctx.frame_width, ctx.frame_height - 40)]


def build_summary(ctx: Context) -> list[Flowable]:
    """The first two pages (on the cover template, then normal pages)."""
    return [NextPageTemplate("normal"), *_page_one(ctx), PageBreak(), *_page_two(ctx), PageBreak()]
