"""The meta-model reflection."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.export.context import Context
from app.export.fonts import markup
from app.export.sections.common import section
from app.export.styles import bullets, para, rich

TITLES = {"reflection": "Meta-model reflection"}
REFLECTION_PARTS = (
    ("most_useful", "Most useful models"),
    ("insights", "Insights"),
    ("worked_well", "What worked well"),
    ("felt_heavy", "What felt heavy"),
    ("surprises", "Surprises"),
    ("next_models", "Models to apply next"),
)


def build_reflection(ctx: Context) -> list[Flowable]:
    story = section(TITLES["reflection"])
    reflection = ctx.document.reflection
    any_part = False
    for field, title in REFLECTION_PARTS:
        items = getattr(reflection, field)
        if items:
            any_part = True
            story += [rich(title, "label"), *bullets(items)]
    suggestions = ctx.catalog.suggest_next([s.code for s in ctx.document.steps], 5) if ctx.catalog else []
    named = " ".join(reflection.next_models)
    suggestions = [m for m in suggestions if m.code not in named]  # the analyst's own list already has them
    if suggestions:
        any_part = True
        story += [rich("What the catalog suggests next", "label"),
                  *bullets([f"{m.code} ({m.name}): {m.question}" for m in suggestions])]
    if reflection.time_saved:
        any_part = True
        story += [rich(f"<b>Time saved</b>&nbsp;&nbsp;{markup(reflection.time_saved)}", "body")]
    if not any_part:
        story.append(para("No reflection is written on this board yet."))
    return story
