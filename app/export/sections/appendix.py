"""The appendix: what a modeller needs to check the numbers — assumptions
and calibration, the scenarios' parameters, seeds and replications, and the
steps with their planned and recorded times."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable

from app.export import facts
from app.export.context import Context
from app.export.fonts import markup
from app.export.sections.common import section, subsection
from app.export.styles import para, rich, table

TITLES = {
    "appendix": "Appendix",
    "assumptions": "A. Model assumptions and calibration notes",
    "scenarios": "B. Scenarios and their parameters",
    "seeds": "C. Seeds and replications",
    "steps": "D. Analysis steps: planned and recorded times",
}


def _part(ctx: Context, title: str, rows: list[list[Any]], missing: str, header: list[str],
          fractions: tuple[float, ...]) -> list[Flowable]:
    """One appendix part: its table, or a sentence saying what the board lacks."""
    if not rows:
        return [*subsection(title), para(missing)]
    return [*subsection(title), table(header, rows, [ctx.frame_width * f for f in fractions])]


def _assumptions(ctx: Context) -> list[Flowable]:
    rows: list[list[Any]] = [[rich(f"<b>{markup(item.subject)}</b>", "cell"), item.text]
                             for item in facts.assumptions(ctx.document)]
    return _part(ctx, TITLES["assumptions"], rows,
                 "No modelling assumptions are written on this board's components or calls.",
                 ["Component or call", "Assumptions and calibration"], (0.22, 0.78))


def _scenarios(ctx: Context) -> list[Flowable]:
    return _part(ctx, TITLES["scenarios"], list(facts.scenario_rows(ctx.document)),
                 "No simulation scenarios are defined on this board, so nothing was simulated.",
                 ["Scenario", "Duration", "Traffic", "Users", "Failures injected"], (0.17, 0.13, 0.22, 0.2, 0.28))


def _seeds(ctx: Context) -> list[Flowable]:
    story = subsection(TITLES["seeds"])
    rows = facts.seed_rows(ctx.document)
    if not rows:
        return [*story, para("No intervention is measured yet, so no seed or replication stands behind a number "
                             "in this handout.")]
    width = ctx.frame_width
    story.append(para("Every measured number comes from these runs; a run is deterministic for its seed."))
    return [*story, table(["Intervention", "Scenario", "Seed", "Replications"], rows,
                          [width * f for f in (0.5, 0.24, 0.12, 0.14)])]


def _steps(ctx: Context) -> list[Flowable]:
    story = subsection(TITLES["steps"])
    steps = ctx.document.steps
    if not steps:
        return [*story, para("No analysis steps are recorded on this board.")]
    rows = []
    for index, step in enumerate(steps, start=1):
        model = ctx.catalog.get(step.code) if ctx.catalog else None
        name = markup(step.name)
        if model is not None:
            name += f'<br/><font size="7" color="#5F6B73"><i>{markup(model.question)}</i></font>'
        rows.append([str(index), rich(f"<b>{markup(step.code)}</b>", "cell"), rich(name, "cell"),
                     facts.planned(step), facts.clock(step.recorded_at_s) or "–", step.notes])
    width = ctx.frame_width
    return [*story, table(["#", "Code", "Model", "Planned", "Recorded", "Notes"], rows,
                          [width * f for f in (0.05, 0.08, 0.27, 0.13, 0.11, 0.36)])]


def build_appendix(ctx: Context) -> list[Flowable]:
    return [*section(TITLES["appendix"]), *_assumptions(ctx), *_scenarios(ctx), *_seeds(ctx), *_steps(ctx)]
