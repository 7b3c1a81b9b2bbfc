"""The topology diagram on its own landscape page."""

from __future__ import annotations

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from app.export.context import Context
from app.export.diagram import topology_drawing
from app.export.sections.common import plural
from app.export.styles import para
from app.export.template import Heading

TITLES = {"topology": "System topology"}
CAPTION_ROOM = 56.0


def build_topology(ctx: Context) -> list[Flowable]:
    doc = ctx.document
    caption = (
        f"{plural(len(doc.nodes), 'node')}, {plural(len(doc.edges), 'dependency', 'dependencies')}, "
        f"{plural(len(doc.queues), 'queue')}, {plural(len(doc.loops), 'feedback loop')} and "
        f"{plural(len(doc.cascades), 'cascade path')}. Thick arrows mark the critical path; coloured arrows "
        "beside the calls show how failures spread."
    )
    drawing = topology_drawing(doc, ctx.wide_width, ctx.wide_height - CAPTION_ROOM)
    return [
        NextPageTemplate("landscape"),
        PageBreak(),
        Heading(TITLES["topology"], 0),
        drawing,
        para(caption, "caption"),
        NextPageTemplate("normal"),
        PageBreak(),
    ]
