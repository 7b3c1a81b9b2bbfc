"""``cascade-board analyze FILE [--json]``: the static analysis of a board."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import CliError
from app.commands.common import load_or_fail, print_json, visible
from models.analysis import analyze
from models.errors import BoardError
from models.utilisation import MEANING, percent


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--scenario", help="scenario whose highest rate drives the load estimate (default: peak)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def execute(args: argparse.Namespace) -> int:
    document = load_or_fail(args.file)
    if args.scenario:
        try:
            document.scenario(args.scenario)
        except BoardError as error:
            raise CliError(str(error), 2) from None
    result = analyze(document, args.scenario)
    if args.json:
        print_json(result)
    else:
        print(render_text(result))
    return 0


def render_text(result: dict[str, Any]) -> str:
    lines = [f"{result['board']}", ""]
    lines.append("Flows")
    for flow in result["flows"]:
        lines.append(f"  {flow['name']}: {flow['total_ms']:g} ms over {len(flow['hops'])} hops")
    if not result["flows"]:
        lines.append("  none declared on this board")
    path = result["critical_path"]
    lines += ["", f"Critical path ({path['total_ms']:g} ms): " + " → ".join(path["labels"])]
    lines += ["", f"Load: arrivals and utilisation ({MEANING}), estimated at {result['load']['entry_rps']:g} req/s"]
    for load in result["load"]["nodes"]:
        note = f"  ! {'; '.join(load['notes'])}" if load["notes"] else ""
        lines.append(
            f"  {load['node']:<16} λ={load['arrival_rps']:8.2f}/s"
            f"  utilisation {percent(load['holding_utilisation']):>6}{note}"
        )
    lines += ["", "Bottleneck hints (betweenness, fan-in, fan-out)"]
    for hint in result["bottleneck_hints"][:8]:
        lines.append(f"  {hint['label']:<24} {hint['betweenness']:.3f}  in {hint['fan_in']}  out {hint['fan_out']}")
    lines += ["", "Cycles (candidate feedback loops)"]
    lines += [f"  {' → '.join(c)}" for c in result["cycles"]] or ["  none in the call graph"]
    lines += ["", "Stages from the call plans"]
    for stage in result["stages"]:
        hint = "  (could run in parallel with the next)" if stage["parallelisable_with_next"] else ""
        cond = "" if stage["condition"] == "always" else f" [{stage['condition']}]"
        targets = ", ".join(stage["targets"])
        lines.append(f"  {stage['caller']} #{stage['order']} {stage['mode']}: {targets}{cond}{hint}")
    if result["limits"]:
        lines += ["", "Limits of this analysis (kept fast on big boards)"]
        lines += [f"  {limit}" for limit in result["limits"]]
    return "\n".join(visible(line) for line in lines)
