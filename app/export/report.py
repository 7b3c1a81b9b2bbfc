"""The written case study: GitHub-flavoured Markdown with its pictures in a
folder beside it, or one self-contained HTML file (see ``docs/export.md``).

User text is data: every piece of it is escaped before it reaches Markdown
(HTML characters become entities, Markdown punctuation is backslashed), and
the HTML is rendered from that Markdown by markdown-it with raw HTML off, so
no tag, script or link can be injected. This module is Qt-free; the pictures
are drawn by ``app.ui.pictures``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from app.export import facts
from models.analysis import flow_total_ms
from models.catalog import Catalog
from models.document import BoardDocument


@dataclass(frozen=True)
class Picture:
    """One drawing: ``stem`` names its files; ``step`` is the step's index (None for the whole board)."""

    stem: str
    title: str
    step: int | None


def plan(document: BoardDocument) -> list[Picture]:
    """Which pictures a board gets: the whole board, then one per step (its frame, else the whole board)."""
    pictures = [Picture("board", document.meta.title or "The board", None)]
    for index, step in enumerate(document.steps, start=1):
        code = "".join(c for c in step.code if c.isalnum())
        pictures.append(Picture(f"step-{index:02d}-{code}", f"{step.code} {step.name}", index))
    return pictures


_INLINE = re.compile(r"([\\`*_\[\]|~])")
"""Characters that open inline syntax anywhere in a line (links, emphasis, code, tables, strikethrough)."""
_LINE_START = re.compile(r"^(\d+)([.)])|^([#+\-=])")
"""What opens a block (heading, list, setext rule) only at the start of a line."""


def text(value: object) -> str:
    """User text as inline Markdown that renders literally (one line)."""
    plain = " ".join(str(value).split())
    plain = plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    plain = _INLINE.sub(r"\\\1", plain)
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", plain)


def paragraph(value: str) -> str:
    """Multi-line user text as Markdown paragraphs."""
    return "\n\n".join(text(part) for part in re.split(r"\n\s*\n", value) if part.strip())


def table(header: list[str], rows: list[list[str]]) -> str:
    """A GFM table; cells are user text."""
    lines = ["| " + " | ".join(text(h) for h in header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(text(cell) or " " for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def bullets(items: list[str] | tuple[str, ...]) -> str:
    return "\n".join(f"- {text(item)}" for item in items)


def image(picture: Picture, folder: str) -> str:
    return f"![{text(picture.title)}]({quote(folder)}/{quote(picture.stem)}.svg)"


def _step_details(document: BoardDocument) -> dict[str, Callable[[], str]]:
    """The analysis a HUMMBL model produced, as Markdown, by model code."""
    doc = document
    labels = {n.id: n.label for n in doc.nodes}

    def bottlenecks() -> str:
        marked = [n for n in doc.nodes if n.health != "none"]
        return table(["Component", "Health", "Notes"], [[n.label, str(n.health), n.notes] for n in marked])

    return {
        "P02": lambda: table(["Stakeholder", "Wants", "Success looks like"],
                             [[h.name, h.wants, "; ".join(h.success)] for h in doc.stakeholders]),
        "DE07": bottlenecks,
        "DE06": lambda: table(["Component", "Failure mode", "Effect", "Severity", "Likelihood"],
                              [[labels.get(f.node, f.node), f.name, f.effect, str(f.severity), str(f.likelihood)]
                               for f in doc.failure_modes]),
        "DE08": lambda: "\n\n".join(
            f"**{text(flow.name)}** ({text(f'{flow_total_ms(flow):,.0f} ms')})\n\n"
            + table(["Component", "Action", "Latency (ms)"],
                    [[labels.get(h.node, h.node), h.action, f"{h.latency_ms:g}"] for h in flow.hops])
            for flow in doc.flows),
        "CO03": lambda: table(["Stage", "Components"],
                              [[s.name, ", ".join(labels.get(n, n) for n in s.nodes)] for s in doc.stages]),
        "CO12": lambda: table(["Queue", "Exists", "Notes"],
                              [[q.name, "yes" if q.exists else "missing", q.notes] for q in doc.queues]),
        "RE06": lambda: table(["Loop", "Kind", "Chain", "Fix"],
                              [[lp.name, str(lp.kind), " → ".join(lp.chain), lp.fix] for lp in doc.loops]),
        "SY04": lambda: "\n\n".join(
            f"**{text(c.name)}**: {text(c.trigger)}\n\n" + bullets([f"{e.order}: {e.text}" for e in c.effects])
            for c in doc.cascades),
        "SY19": lambda: bullets(list(doc.reflection.insights) + list(doc.reflection.most_useful)),
    }


def _summary(document: BoardDocument, folder: str, pictures: list[Picture]) -> list[str]:
    doc = document
    out = ["## Executive summary", "### The problem"]
    out.append(bullets(doc.meta.problem) if doc.meta.problem else "No problem statement is written on this board.")
    if doc.stakeholders:
        out.append("**Who is affected:** " + " · ".join(text(line) for line in facts.stakeholder_lines(doc)))
    out += ["### Key findings", table(["Number", "What it counts"], [list(row) for row in facts.key_numbers(doc)])]
    if doc.findings:
        out.append(bullets([f.text for f in doc.findings]))
    if doc.nodes:
        out.append(image(pictures[0], folder))
    out.append("### What to do, in priority order")
    if not doc.interventions:
        out.append("No interventions are listed on this board yet.")
        return out
    rows = [[str(i.rank), i.title, tier, facts.measured_effect(facts.headline(i)), i.tradeoff or "not stated"]
            for tier, items in facts.by_tier(doc) for i in items]
    out += [table(["Rank", "Intervention", "Tier", "Measured effect", "Trade-off"], rows), "### What to do first"]
    out.append("\n".join(f"{n}. **{text(i.title)}**" + (f": {text(i.description)}" if i.description else "")
                         for n, i in enumerate(facts.first_actions(doc), start=1)))
    return out


def _steps(document: BoardDocument, folder: str, pictures: list[Picture], catalog: Catalog | None) -> list[str]:
    if not document.steps:
        return ["## Analysis", "No analysis steps are recorded on this board, so the report has no step sections."]
    details = _step_details(document)
    out: list[str] = []
    for index, step in enumerate(document.steps, start=1):
        out.append(f"## {index}. {text(step.code)}: {text(step.name)}")
        model = catalog.get(step.code) if catalog else None
        if model is not None:
            out.append(f"*{text(model.question)}*")
        times = [f"planned {facts.planned(step)}"]
        if step.recorded_at_s is not None:
            times.append(f"recorded at {facts.clock(step.recorded_at_s)}")
        out.append(text("; ".join(times).capitalize() + "."))
        if step.notes:
            out.append(paragraph(step.notes))
        out.append(image(pictures[index], folder))
        detail = details.get(step.code)
        if detail is not None:
            out.append(detail())
    return out


CHARTS = (("measured-p99", "p99 latency before and after (ms)"),
          ("measured-errors", "Error rate before and after (%)"))
"""The measured results' charts: file stem and title."""


def chart_svgs(document: BoardDocument) -> dict[str, bytes]:
    """The measured interventions' before/after charts as SVG (by stem, see ``CHARTS``); none when
    nothing is measured. Drawn by the handout's chart code, so they match the PDF."""
    measured = [(i, m) for i in facts.ranked(document) if (m := facts.headline(i)) is not None]
    if not measured:
        return {}
    from reportlab.graphics import renderSVG

    from app.export.charts import before_after_chart

    names = [str(i.rank) for i, _ in measured]
    values = {"measured-p99": ([m.p99_before_ms for _, m in measured], [m.p99_after_ms for _, m in measured]),
              "measured-errors": ([m.error_rate_before * 100 for _, m in measured],
                                  [m.error_rate_after * 100 for _, m in measured])}
    return {stem: renderSVG.drawToString(before_after_chart(title, names, *values[stem], 360, 220, "")).encode("utf-8")
            for stem, title in CHARTS}


def _measured(document: BoardDocument, folder: str) -> list[str]:
    measured = [i for i in facts.ranked(document) if facts.headline(i) is not None]
    if not measured:
        return []
    out = ["### Measured results", text("Each intervention simulated against its baseline with the same seed; "
                                        "grey before, blue after; bars are labelled by rank.")]
    out += [f"![{text(title)}]({quote(folder)}/{quote(stem)}.svg)" for stem, title in CHARTS]
    return out


def _closing(document: BoardDocument, folder: str) -> list[str]:
    doc = document
    out = ["## Interventions"]
    if doc.interventions:
        out.append(table(["Rank", "Intervention", "Impact", "Effort", "Targets", "Description"],
                         [[str(i.rank), i.title, str(i.impact), str(i.effort),
                           ", ".join(i.targets), i.description] for i in facts.ranked(doc)]))
        out += _measured(doc, folder)
    else:
        out.append("No interventions are listed on this board.")
    out += ["## Appendix", "### Model assumptions and calibration notes"]
    found = facts.assumptions(doc)
    out.append(table(["Component or call", "Assumptions"], [[a.subject, a.text] for a in found]) if found
               else "No modelling assumptions are written on this board.")
    out.append("### Scenarios")
    rows = facts.scenario_rows(doc)
    out.append(table(["Scenario", "Duration", "Traffic", "Users", "Failures"], rows) if rows
               else "No simulation scenarios are defined on this board.")
    out.append("### Seeds and replications")
    seeds = facts.seed_rows(doc)
    out.append(table(["Intervention", "Scenario", "Seed", "Replications"], seeds) if seeds
               else "No intervention is measured yet.")
    return out


def markdown(document: BoardDocument, folder: str, date: str, catalog: Catalog | None = None) -> str:
    """The report as GitHub-flavoured Markdown; pictures are ``folder/<stem>.svg``."""
    meta = document.meta
    pictures = plan(document)
    byline = " · ".join(text(part) for part in (meta.system, meta.analyst, date) if part)
    parts = [f"# {text(meta.title)}", *([byline] if byline else []),
             *_summary(document, folder, pictures), *_steps(document, folder, pictures, catalog),
             *_closing(document, folder)]
    return "\n\n".join(parts) + "\n"


STYLE = """
:root { color-scheme: light dark; --ink: #1f2a30; --paper: #ffffff; --muted: #5f6b73; --accent: #1e4e79;
        --rule: #c9d1d6; --zebra: #f4f6f8; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e4e9ec; --paper: #14191c; --muted: #9aa6ad; --accent: #8cb8e6; --rule: #3a4448;
          --zebra: #1c2327; }
}
body { margin: 0; background: var(--paper); color: var(--ink);
       font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
h1, h2, h3 { color: var(--accent); line-height: 1.25; }
p, li, td, th, h1, h2, h3 { overflow-wrap: anywhere; unicode-bidi: plaintext; }
img { max-width: 100%; height: auto; background: #ffffff; border: 1px solid var(--rule); border-radius: 4px; }
table { border-collapse: collapse; display: block; overflow-x: auto; max-width: 100%; font-size: 0.9rem; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: var(--accent); color: var(--paper); }
tr:nth-child(even) td { background: var(--zebra); }
"""


def html(document: BoardDocument, svgs: dict[str, bytes], date: str, catalog: Catalog | None = None) -> str:
    """One self-contained HTML page: the Markdown rendered with raw HTML off, pictures inlined."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True, "linkify": False}).enable("table")
    body = parser.render(markdown(document, "inline", date, catalog))
    for stem, data in svgs.items():
        uri = "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")
        body = body.replace(f'src="inline/{quote(stem)}.svg"', f'src="{uri}"')
    title = document.meta.title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
            "<meta name=\"color-scheme\" content=\"light dark\" />\n"
            f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n"
            "</body>\n</html>\n")
