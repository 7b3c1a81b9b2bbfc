"""The board step by step: a diagram for each step that has notes or ink of its own.

A whole-board diagram draws only the annotations of no step (``exported_annotations``), so
the sticky notes, text and kept ink strokes drawn at a step would otherwise be missing from
the handout. Each step that owns some gets its picture here, as its PNG and SVG show it: its
frame (the whole board without one), with the annotations of no step and its own, under the
step's title. With the annotations layer off there is nothing of a step's own to show, and
the section is left out. See docs/recording.md, "Exports".
"""

from __future__ import annotations

from collections import Counter

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from app.export import facts
from app.export.context import Context
from app.export.diagram import step_drawing, step_size
from app.export.sections.common import gap, plural, section, subsection
from app.export.styles import bullets, para
from models.entities import Annotation, Step

TITLES = {"steps": "The board step by step"}
KINDS = {"sticky": ("sticky note", None), "text": ("text", "texts"), "ink": ("ink stroke", None),
         "highlight": ("highlighter stroke", None)}
"""How a caption counts each kind of annotation (singular, plural when not singular + s)."""
MAX_HEIGHT = 0.42
"""A step's diagram takes at most this share of the page's height: two steps fit a page."""


def own_annotations(step: Step, annotations: tuple[Annotation, ...]) -> list[Annotation]:
    return [note for note in annotations if note.step == step.id]


def step_title(index: int, step: Step) -> str:
    return f"Step {index}: {step.code} {step.name}".strip()


def _caption(step: Step, own: list[Annotation]) -> str:
    counts = Counter(str(note.kind) for note in own)
    parts = [plural(counts[kind], *KINDS[kind]) for kind in KINDS if counts[kind]]
    shown = "its frame" if step.frame is not None else "the whole board"
    planned = facts.planned(step)
    timing = f" Planned {planned}." if planned != "–" else ""
    return f"Drawn at this step: {', '.join(parts)}, shown on {shown}.{timing}"


def build_steps(ctx: Context) -> list[Flowable]:
    doc = ctx.document
    if not doc.layers.annotations:
        return []
    drawn = [(index, step, own) for index, step in enumerate(doc.steps, start=1)
             if (own := own_annotations(step, doc.annotations))]
    if not drawn:
        return []
    width = ctx.frame_width
    story = [*section(TITLES["steps"]),
             para("The diagrams above leave out what was drawn at one step only: its sticky notes, texts and "
                  "ink. Here is each step that has some, as it was shown, in the symbols of the legend under "
                  "the system topology diagram.")]
    for index, step, own in drawn:
        size = step_size(step, width, ctx.frame_height * MAX_HEIGHT)
        height = size[1]
        notes = [note.text.replace("\n", " — ") for note in own if note.kind in ("sticky", "text") and note.text]
        story += [CondPageBreak(height + 70), *subsection(step_title(index, step))]  # the title stays with it
        story.append(KeepTogether([step_drawing(doc, step, *size), gap(3),
                                   para(_caption(step, own), "caption")]))
        story += bullets(notes)
    return story
