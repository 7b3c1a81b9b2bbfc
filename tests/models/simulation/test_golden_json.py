"""The JSON of ``simulate --json`` and ``compare --json`` (and the ``--series``
CSV) on the StreamFlow example, byte for byte against files captured before
the result refactor (issue 15): a change of output is deliberate or a bug.

After a deliberate change of semantics, regenerate with
``CASCADE_REGEN_GOLDEN=1 pytest tests/models/simulation/test_golden_json.py``
and say in the commit why and by how much the figures moved.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app import cli

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "resources" / "examples" / "streamflow-ai.cboard"
GOLDEN = ROOT / "tests" / "data" / "golden"
REGENERATE = os.environ.get("CASCADE_REGEN_GOLDEN") == "1"

SIMULATE_CASES = {
    "simulate-off-peak": ["--scenario", "off-peak", "--duration", "60", "--seed", "3"],
    "simulate-peak": ["--scenario", "peak", "--duration", "150"],
    "simulate-llm-rate-limit-with": [
        "--scenario", "llm-rate-limit", "--duration", "200", "--with", "circuit-breakers,queue-limits",
    ],
    "simulate-retry-storm": ["--scenario", "retry-storm", "--duration", "240", "--seed", "1"],
    "simulate-cache-invalidation-all": ["--scenario", "cache-invalidation", "--duration", "180", "--all-interventions"],
}


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if REGENERATE:
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.exists(), f"{path} is missing: run with CASCADE_REGEN_GOLDEN=1 once"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden file"


@pytest.mark.parametrize("name", sorted(SIMULATE_CASES))
def test_simulate_json_is_unchanged(name, capsys):
    code = cli.run(["simulate", str(EXAMPLE), "--json", "--quiet", *SIMULATE_CASES[name]])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    _check(f"{name}.json", captured.out)


def test_simulate_series_csv_is_unchanged(capsys, tmp_path):
    series = tmp_path / "series.csv"
    code = cli.run(["simulate", str(EXAMPLE), "--quiet", "--scenario", "retry-storm", "--duration", "150",
                    "--series", str(series)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    _check("simulate-retry-storm-series.csv", series.read_text(encoding="utf-8"))
    _check("simulate-retry-storm-series.txt", captured.out)


def test_compare_json_is_unchanged(capsys):
    code = cli.run(["compare", str(EXAMPLE), "--json", "--quiet", "--scenario", "peak", "--duration", "40",
                    "--seed", "2", "--replications", "2"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    _check("compare-peak.json", captured.out)
