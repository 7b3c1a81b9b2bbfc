"""The meta-model reflection and the analysis steps with their timestamps."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.export.context import Context
from app.export.fonts import markup
from app.export.sections.common import section
from app.export.styles import bullets, para, rich, table

TITLES = {"reflection": "Meta-model reflection", "steps": "Analysis steps"}
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


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def build_steps(ctx: Context) -> list[Flowable]:
    story = section(TITLES["steps"])
    steps = ctx.document.steps
    if not steps:
        return [*story, para("No analysis steps are recorded on this board.")]
    rows = []
    for index, step in enumerate(steps, start=1):
        segment = "–".join(s for s in (step.segment_start, step.segment_end) if s) or "–"
        model = ctx.catalog.get(step.code) if ctx.catalog else None
        name = markup(step.name)
        if model is not None:
            name += f'<br/><font size="7" color="#5F6B73"><i>{markup(model.question)}</i></font>'
        rows.append([str(index), rich(f"<b>{markup(step.code)}</b>", "cell"), rich(name, "cell"), segment,
                     _clock(step.recorded_at_s) or "–", step.notes])
    width = ctx.frame_width
    story.append(table(["#", "Code", "Model", "Segment", "Recorded", "Notes"], rows,
                       [width * f for f in (0.05, 0.08, 0.27, 0.13, 0.11, 0.36)]))
    return story
