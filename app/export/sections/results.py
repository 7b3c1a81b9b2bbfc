"""Measured simulation results and the prioritised interventions."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from app.export.charts import before_after_chart, impact_effort_matrix
from app.export.context import Context
from app.export.fonts import markup
from app.export.sections.common import gap, section, subsection
from app.export.styles import LEVEL_TEXT, fmt_rate, grid, para, rich, table

TITLES = {
    "measured": "Measured simulation results",
    "interventions": "Prioritised interventions",
    "matrix": "Impact / effort matrix",
}


def _change(before: float, after: float) -> str:
    if before == 0:
        return "–" if after == 0 else "new"
    return f"{(after - before) / before * 100:+.0f} %"


def _points(before: float, after: float) -> str:
    """A change of a share in percentage points, never relative (issue 11)."""
    return f"{(after - before) * 100:+.2f} pp"


def build_measured(ctx: Context) -> list[Flowable]:
    story = section(TITLES["measured"])
    measured = [i for i in sorted(ctx.document.interventions, key=lambda i: i.rank) if i.measured is not None]
    if not measured:
        return [*story, para(
            "No intervention carries a measured result yet. Measuring runs the scenario without and with each "
            "intervention; the p99 latency and error rate before and after then appear here."
        )]
    scenarios = {s.id: s.name for s in ctx.document.scenarios}
    rows = []
    for item in measured:
        m = item.measured
        assert m is not None
        rows.append([f"#{item.rank}", rich(f"<b>{markup(item.title)}</b>", "cell"),
                     f"{scenarios.get(m.scenario, m.scenario)} (seed {m.seed})",
                     rich(f"{m.p99_before_ms:,.0f} → {m.p99_after_ms:,.0f}", "cell_right"),
                     rich(_change(m.p99_before_ms, m.p99_after_ms), "cell_right"),
                     rich(f"{fmt_rate(m.error_rate_before)} → {fmt_rate(m.error_rate_after)}", "cell_right"),
                     rich(_points(m.error_rate_before, m.error_rate_after), "cell_right")])
    width = ctx.frame_width
    story.append(para("Each intervention simulated against its baseline with the same seed (one run each)."))
    story.append(table(["Rank", "Intervention", "Scenario", "p99 ms, before → after", "Δ p99",
                        "Errors, before → after", "Δ errors (pp)"], rows,
                       [width * f for f in (0.07, 0.25, 0.16, 0.17, 0.08, 0.18, 0.09)]))
    names = [str(i.rank) for i in measured]
    half = (width - 12) / 2
    p99 = before_after_chart("p99 latency (ms)", names, [i.measured.p99_before_ms for i in measured if i.measured],
                             [i.measured.p99_after_ms for i in measured if i.measured], half, 190, "")
    errors = before_after_chart("Error rate (%)", names,
                                [i.measured.error_rate_before * 100 for i in measured if i.measured],
                                [i.measured.error_rate_after * 100 for i in measured if i.measured], half, 190, "")
    charts = grid([[p99, errors]], [half + 6, half + 6])
    story += [gap(8), charts, para("Bars are labelled by intervention rank.", "caption")]
    return story


def build_interventions(ctx: Context) -> list[Flowable]:
    story = section(TITLES["interventions"])
    items = sorted(ctx.document.interventions, key=lambda i: i.rank)
    if not items:
        return [*story, para("No interventions are listed on this board.")]
    rows = []
    for item in items:
        body = f"<b>{markup(item.title)}</b>"
        if item.description:
            body += f"<br/>{markup(item.description)}"
        targets = ", ".join(ctx.name_of(t) for t in item.targets)
        rows.append([rich(f"<b>{item.rank}</b>", "cell_center"), rich(body, "cell"), LEVEL_TEXT[item.impact],
                     LEVEL_TEXT[item.effort], item.tier or "–", targets or "–"])
    width = ctx.frame_width
    story.append(table(["Rank", "Intervention", "Impact", "Effort", "Tier", "Targets"], rows,
                       [width * f for f in (0.07, 0.36, 0.09, 0.09, 0.16, 0.23)]))
    matrix = impact_effort_matrix(items, width * 0.58, 250)
    key = [rich(f"<b>{item.rank}</b>&nbsp;&nbsp;{markup(item.title)}", "small") for item in items[:40]]
    side = grid([[matrix, key]], [width * 0.6, width * 0.4],
                [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    story += [gap(6), KeepTogether([*subsection(TITLES["matrix"]), side,
                                    para("Numbers are ranks; dots on a dividing line are medium impact or effort.",
                                         "caption")])]
    return story
