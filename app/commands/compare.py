"""``cascade-board compare FILE --scenario ID``: the baseline, each
intervention alone and all together, with one seed, side by side."""

from __future__ import annotations

import argparse
from typing import Any

from app.commands.common import load_or_fail, print_json
from app.commands.simulate import run
from models.simulation import SimulationResult


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--scenario", required=True, help="scenario id")
    parser.add_argument("--seed", type=int, default=0, help="random seed used for every run")
    parser.add_argument("--duration", type=float, help="simulated seconds (default: the scenario's)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _row(label: str, ids: list[str], result: SimulationResult, base: SimulationResult | None) -> dict[str, Any]:
    latency = result.latency
    row: dict[str, Any] = {
        "label": label,
        "interventions": ids,
        "p50_ms": latency.p50_ms,
        "p99_ms": latency.p99_ms,
        "error_rate": result.error_rate,
        "goodput_rps": result.goodput_rps,
        "cascade": [c.node for c in result.cascade],
    }
    if base is not None:
        row["change"] = {
            "p50": _relative(latency.p50_ms, base.latency.p50_ms),
            "p99": _relative(latency.p99_ms, base.latency.p99_ms),
            "error_rate": round(result.error_rate - base.error_rate, 6),
            "goodput": _relative(result.goodput_rps, base.goodput_rps),
        }
    return row


def _relative(value: float | None, base: float | None) -> float | None:
    if value is None or not base:
        return None
    return round(value / base - 1.0, 4)


def execute(args: argparse.Namespace) -> int:
    document = load_or_fail(args.file)
    ranked = [i.id for i in sorted(document.interventions, key=lambda i: i.rank)]
    runs: list[tuple[str, list[str]]] = [("baseline", [])]
    runs += [(i, [i]) for i in ranked]
    if len(ranked) > 1:
        runs.append(("all", ranked))
    baseline = None
    rows = []
    for label, ids in runs:
        result = run(document, args.scenario, ids, args.seed, args.duration, args.quiet, label)
        rows.append(_row(label, ids, result, baseline))
        if baseline is None:
            baseline = result
    assert baseline is not None
    compared = {
        "scenario": args.scenario, "seed": args.seed, "duration_s": baseline.duration_s, "runs": rows,
    }
    if args.json:
        print_json(compared)
    else:
        print(render_text(compared))
    return 0


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:+.0f}%"


def render_text(result: dict[str, Any]) -> str:
    lines = [
        f"Scenario {result['scenario']}, seed {result['seed']}, {result['duration_s']:g} s each",
        "",
        f"{'run':<28} {'p50':>9} {'p99':>9} {'errors':>8} {'goodput':>9}   {'Δp99':>6} {'Δerrors':>9}",
    ]
    for row in result["runs"]:
        p50 = "-" if row["p50_ms"] is None else f"{row['p50_ms']:,.0f}ms"
        p99 = "-" if row["p99_ms"] is None else f"{row['p99_ms']:,.0f}ms"
        change = row.get("change")
        delta = f"{_pct(change['p99']):>6} {change['error_rate'] * 100:+8.2f}%" if change else ""
        errors = f"{row['error_rate'] * 100:7.2f}%"
        lines.append(f"{row['label']:<28} {p50:>9} {p99:>9} {errors} {row['goodput_rps']:8.1f}/s   {delta}")
    return "\n".join(lines)
