"""``cascade-board compare FILE --scenario ID``: the baseline, each
intervention alone and all together, side by side, every figure as mean ±
95 % half-width over the same replication seeds (so each row's change against
the baseline is a paired difference; error changes are in percentage points)."""

from __future__ import annotations

import argparse
from typing import Any

from app.commands import runs as cli_runs
from app.commands.common import load_or_fail, print_json
from models.runs.jobs import board_text
from models.runs.metrics import BY_KEY
from models.runs.replicate import DEFAULT_REPLICATIONS, RunsResult, Variant, paired_difference

COLUMNS = ("p50_ms", "p99_ms", "error_rate", "goodput_rps")
CHANGES = {"p50": "p50_ms", "p99": "p99_ms", "error_rate": "error_rate", "goodput": "goodput_rps"}
"""The JSON's ``change`` keys → the metric each is the paired difference of."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--scenario", required=True, help="scenario id")
    cli_runs.add_seed_argument(parser)
    parser.add_argument("--duration", type=float, help="simulated seconds (default: the scenario's)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    cli_runs.add_run_arguments(parser, default_replications=DEFAULT_REPLICATIONS)


def variants(ranked: list[str]) -> list[Variant]:
    """The baseline, each intervention alone (by rank), and all together."""
    runs = [Variant("baseline"), *(Variant(i, (i,)) for i in ranked)]
    if len(ranked) > 1:
        runs.append(Variant("all", tuple(ranked)))
    return runs


def execute(args: argparse.Namespace) -> int:
    document = load_or_fail(args.file)
    cli_runs.check_scenario(document, args.scenario)
    plan = cli_runs.plan_from(args, board_text(document))
    ranked = [i.id for i in sorted(document.interventions, key=lambda i: i.rank)]
    result = cli_runs.replicate(args, plan, variants(ranked), f"comparing on {args.scenario}")
    if args.json:
        print_json(comparison_data(result))
    else:
        print(render_text(result))
    return 0


def comparison_data(result: RunsResult) -> dict[str, Any]:
    base = result.variants[0]
    rows = []
    for runs in result.variants:
        found = runs.to_dict()
        row: dict[str, Any] = {"label": found["label"], "interventions": found["interventions"],
                               **found["metrics"], "not_recovered": found["not_recovered"]}
        if runs is not base:
            row["change"] = {
                name: (e.to_dict() if (e := paired_difference(runs, base, key)) else None)
                for name, key in CHANGES.items()
            }
        rows.append(row)
    first = base.summaries[0]
    return {
        "scenario": first["scenario"], "base_seed": result.plan.base_seed, "replications": result.replications,
        "seeds": list(result.seeds), "stopped": result.stopped, "confidence": 0.95,
        "duration_s": first["duration_s"], "runs": rows,
    }


def render_text(result: RunsResult) -> str:
    base = result.variants[0]
    first = base.summaries[0]
    lines = [
        f"Scenario {first['scenario']}, {first['duration_s']:g} s each, the same seeds in every row",
        cli_runs.header(result),
        "Δ: paired difference against the baseline (errors in percentage points, pp)",
        "",
    ]
    head = ["run", "p50", "p99", "errors", "goodput", "Δp99", "Δerrors"]
    rows = []
    for runs in result.variants:
        cells = [runs.variant.label,
                 *(cli_runs.format_estimate(runs.estimate(key), BY_KEY[key].unit) for key in COLUMNS)]
        if runs is base:
            cells += ["", ""]
        else:
            cells += [cli_runs.format_estimate(paired_difference(runs, base, key), BY_KEY[key].unit, difference=True)
                      for key in ("p99_ms", "error_rate")]
        rows.append(cells)
    lines += cli_runs.render_table(head, rows)
    return "\n".join(lines)
