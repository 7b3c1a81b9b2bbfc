"""Measured simulation results and the prioritised interventions."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from app.export import facts
from app.export.charts import before_after_chart, impact_effort_matrix
from app.export.context import Context
from app.export.fonts import markup
from app.export.sections.common import gap, section, subsection
from app.export.styles import ACCENT_LIGHT, LEVEL_TEXT, grid, para, rich, rich_bullet, table
from models.entities import Intervention, MeasuredValue, Measurement

TITLES = {
    "measured": "Measured simulation results",
    "interventions": "Prioritised interventions",
    "matrix": "Impact / effort matrix",
}


FIGURES = (("p50_ms", "p50 ms", 1.0, 0, ""), ("p99_ms", "p99 ms", 1.0, 0, ""),
           ("error_rate", "Errors %", 100.0, 2, " pp"), ("degraded_share", "Degraded %", 100.0, 2, " pp"),
           ("goodput_rps", "Goodput /s", 1.0, 1, ""), ("recover_s", "Recovery s", 1.0, 0, ""))
"""The matrix's columns: metric, heading, scale, decimals, the unit of a change."""


def _estimate(value: MeasuredValue | None, scale: float, decimals: int, sign: str = "", unit: str = "") -> str:
    if value is None:
        return "–"
    text = f"{value.mean * scale:{sign},.{decimals}f}"
    if value.half_width is not None:
        text += f" ± {value.half_width * scale:,.{decimals}f}"
    return text + unit


def _legacy(m: Measurement, metric: str) -> tuple[float, float] | None:
    """Before/after of a measurement stored without figures (one run, p99 and errors only)."""
    return {"p99_ms": (m.p99_before_ms, m.p99_after_ms),
            "error_rate": (m.error_rate_before, m.error_rate_after)}.get(metric)


def _cell(m: Measurement, metric: str, scale: float, decimals: int, unit: str, before: bool) -> str:
    figure = m.figure(metric)
    value: MeasuredValue | None
    change: MeasuredValue | None
    if figure is None:
        pair = _legacy(m, metric)
        if pair is None:
            return "–"
        value = MeasuredValue(mean=pair[0] if before else pair[1])
        change = None if before else MeasuredValue(mean=pair[1] - pair[0])
    else:
        value = figure.before if before else figure.after
        change = None if before else figure.change
    text = _estimate(value, scale, decimals)
    if change is not None:
        text += f"<br/><font size=6.5>{_estimate(change, scale, decimals, '+', unit)}</font>"
    if metric == "recover_s":
        lost = m.not_recovered_before if before else m.not_recovered_after
        if lost:
            text += f"<br/><font size=6.5>{lost} of {m.replications} never</font>"
    return text


def build_measured(ctx: Context) -> list[Flowable]:
    story = section(TITLES["measured"])
    ranked = sorted(ctx.document.interventions, key=lambda i: (i.rank, i.title))
    cells = [(item, m) for item in ranked for m in facts.measurements(item)]
    if not cells:
        return [*story, para(
            "No intervention carries a measured result yet. Measuring runs each intervention on the scenarios it "
            "targets, with and without it over the same seeds; the figures before and after then appear here."
        )]
    order = {s.id: i for i, s in enumerate(ctx.document.scenarios)}
    names = {s.id: s.name for s in ctx.document.scenarios}
    by_scenario: dict[str, list[tuple[Intervention, Measurement]]] = {}
    for item, m in sorted(cells, key=lambda cell: order.get(cell[1].scenario, len(order))):
        by_scenario.setdefault(m.scenario, []).append((item, m))
    width = ctx.frame_width
    rows: list[list[object]] = []
    shaded: list[int] = []
    for scenario, group in by_scenario.items():
        first = group[0][1]
        shaded.append(len(rows) + 1)
        rows.append([rich(f"<b>{markup(names.get(scenario, scenario))}</b>: baseline "
                          f"(N = {first.replications}, seed {first.seed})", "cell"),
                     *(rich(_cell(first, key, scale, dec, unit, True), "cell_right")
                       for key, _, scale, dec, unit in FIGURES)])
        for item, m in group:
            rows.append([rich(f"#{item.rank} {markup(item.title)}", "cell"),
                         *(rich(_cell(m, key, scale, dec, unit, False), "cell_right")
                           for key, _, scale, dec, unit in FIGURES)])
    story.append(para(
        "Each intervention simulated on the scenarios it targets, with and without it over the same seeds "
        "(paired runs). Every figure is the mean ± 95 % half-width (Student t) over N replications from the "
        "base seed shown; under each figure, the paired change against the baseline. Changes of error and "
        "degraded shares are in percentage points (pp). Recovery is the time from the end of the scenario's "
        "failure until the users' view is back to normal, over the runs that recovered."))
    story.append(table(["Scenario / intervention", *(head for _, head, *_ in FIGURES)], rows,
                       [width * f for f in (0.22, 0.11, 0.13, 0.15, 0.15, 0.12, 0.12)],
                       [("BACKGROUND", (0, r), (-1, r), ACCENT_LIGHT) for r in shaded]))
    verdicts = [f"<b>#{item.rank} {markup(item.title)}</b>, {markup(names.get(m.scenario, m.scenario))}: "
                f"{markup(m.verdict)}" for item, m in cells if m.verdict]
    if verdicts:
        story += [gap(6), *subsection("What the measurements say"), *(rich_bullet(v) for v in verdicts)]
    headline = [(item, found) for item in ranked if (found := facts.headline(item)) is not None]
    labels = [str(item.rank) for item, _ in headline]
    half = (width - 12) / 2
    p99 = before_after_chart("p99 latency (ms)", labels, [m.p99_before_ms for _, m in headline],
                             [m.p99_after_ms for _, m in headline], half, 190, "")
    errors = before_after_chart("Error rate (%)", labels, [m.error_rate_before * 100 for _, m in headline],
                                [m.error_rate_after * 100 for _, m in headline], half, 190, "")
    charts = grid([[p99, errors]], [half + 6, half + 6])
    story += [gap(8), KeepTogether([charts, para(
        "Bars are labelled by intervention rank: each intervention's means on the first scenario it targets.",
        "caption")])]
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
