"""Feedback loops and cascade scenarios."""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Line
from reportlab.platypus import Flowable, KeepTogether

from app.export.context import Context
from app.export.fonts import markup
from app.export.sections.common import gap, section, subsection
from app.export.shapes import new_drawing
from app.export.styles import CASCADE, LOOP, grid, para, rich, rich_bullet, table

TITLES = {"loops": "Feedback loops", "cascades": "Cascade scenarios"}
ORDER_NAMES = {
    "trigger": "Trigger", "primary": "Primary effect", "first": "First-order effects",
    "second": "Second-order effects", "third": "Third-order effects",
}


def build_loops(ctx: Context) -> list[Flowable]:
    story = section(TITLES["loops"])
    loops = ctx.document.loops
    if not loops:
        return [*story, para("No feedback loops are drawn on this board.")]
    rows = []
    for loop in loops:
        sign = "R" if loop.kind == "reinforcing" else "B"
        color = LOOP[loop.kind].hexval()[2:]
        kind = f'<font color="#{color}"><b>{sign}</b></font> {loop.kind}'
        status = "implemented" if loop.implemented else "<i>not implemented</i>"
        chain = " → ".join(markup(step) for step in loop.chain) or ", ".join(
            markup(ctx.name_of(n)) for n in loop.nodes)
        details = [f"<b>Stabiliser:</b> {markup(loop.stabiliser)}" if loop.stabiliser else "",
                   f"<b>Fix:</b> {markup(loop.fix)}" if loop.fix else "", markup(loop.notes)]
        rows.append([rich(f"<b>{markup(loop.name)}</b>", "cell"), rich(f"{kind}<br/>{status}", "cell"),
                     loop.growth, rich(chain, "cell"), rich("<br/>".join(d for d in details if d) or "–", "cell")])
    width = ctx.frame_width
    story.append(table(["Loop", "Type", "Growth", "Chain", "Stabiliser and fix"], rows,
                       [width * f for f in (0.16, 0.15, 0.13, 0.29, 0.27)]))
    return story


def _swatch(style: str) -> Drawing:
    drawing = new_drawing(26, 8)
    line = Line(1, 4, 25, 4, strokeColor=CASCADE[style], strokeWidth=2.2)
    if style == "dashed":
        line.strokeDashArray = [4, 3]
    drawing.add(line)
    return drawing


def build_cascades(ctx: Context) -> list[Flowable]:
    story = section(TITLES["cascades"])
    cascades = ctx.document.cascades
    if not cascades:
        return [*story, para("No cascade scenarios are mapped on this board.")]
    for cascade in cascades:
        block: list[Flowable] = [*subsection(cascade.name)]
        path = " → ".join(markup(ctx.name_of(n)) for n in cascade.path)
        header = grid([[_swatch(cascade.style), rich(f"<b>Trigger:</b> {markup(cascade.trigger)}", "body")]],
                      [32, ctx.frame_width - 32],
                      [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        block.append(header)
        for order in ORDER_NAMES:
            effects = [e.text for e in cascade.effects if e.order == order]
            if effects:
                block.append(rich(ORDER_NAMES[order], "small_label"))
                block += [rich_bullet(markup(text)) for text in effects]
        if path:
            block.append(rich(f"<b>Path:</b> {path}", "body"))
        if cascade.chain:
            block.append(rich(f"<b>Chain:</b> {' → '.join(markup(c) for c in cascade.chain)}", "small"))
        story += [KeepTogether(block[:4]), *block[4:], gap(4)]
    return story
