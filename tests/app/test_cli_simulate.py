"""``simulate`` and ``compare`` on the StreamFlow example: the case study's
symptoms at peak, and the interventions removing them (issue 3, point 7)."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app import cli
from models.fileformat import load_path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "examples" / "streamflow-ai.cboard"
EXE = shutil.which("cascade-board", path=str(Path(sys.executable).parent)) or "cascade-board"
HIGH_IMPACT_LOW_EFFORT = ["llm-timeout-fallback", "circuit-breakers", "queue-limits"]

_cache: dict[tuple[str, ...], dict[str, Any]] = {}


def simulate(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    """``cascade-board simulate EXAMPLE --json ARGS``, run in this process (cached)."""
    key = tuple(args)
    if key not in _cache:
        code = cli.run(["simulate", str(EXAMPLE), "--json", "--quiet", *args])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        _cache[key] = json.loads(captured.out)
    return _cache[key]


def read_series(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


# --- the symptoms ------------------------------------------------------------------


def test_off_peak_median_is_a_cache_hit_and_the_mean_mixes_in_the_misses(capsys):
    result = simulate(capsys, "--scenario", "off-peak")
    assert 60.0 <= result["latency_ms"]["p50"] <= 100.0  # the 75 ms happy path
    assert 200.0 <= result["latency_ms"]["mean"] <= 250.0  # 80 % at 75 ms, 20 % at 835 ms
    assert result["error_rate"] == 0.0


def test_peak_shows_the_scripts_symptoms(capsys, tmp_path):
    series = tmp_path / "series.csv"
    result = simulate(capsys, "--scenario", "peak", "--series", str(series))
    assert result["latency_ms"]["p50"] <= 1000.0  # the median is still a cache hit ...
    assert result["latency_ms"]["p99"] > 2000.0  # ... but the tail passes 2 s
    assert 0.01 <= result["error_rate"] <= 0.05  # "error rates up to 5 %"
    engine = result["nodes"]["engine"]
    assert engine["utilization"] > 0.6
    assert result["nodes"]["llm"]["errors"]["429"] > 1000  # hitting the 500/min limit
    assert result["nodes"]["vectordb"]["p50_ms"] > 500.0  # "up to 1 second during peak"
    # the engine runs hot but keeps up: its queue spikes and drains, it never overflows (that is
    # the LLM rate-limit cascade), and it is no longer than it was in the peak's first minute
    assert engine["max_queue"] < 1000
    assert "rejected" not in engine["errors"]
    queue = {float(r["t"]): float(r["queue"]) for r in read_series(series) if r["id"] == "engine"}
    assert max(q for t, q in queue.items() if t > 180) < 1000
    assert mean([q for t, q in queue.items() if 180 < t <= 240]) < 200


def test_llm_rate_limit_cascades_llm_then_engine_then_gateway(capsys):
    result = simulate(capsys, "--scenario", "llm-rate-limit")
    order: list[str] = []
    first: dict[str, float] = {}
    for entry in result["cascade"]:
        if entry["node"] not in first:
            order.append(entry["node"])
            first[entry["node"]] = entry["t"]
    assert [node for node in order if node in ("llm", "engine", "gateway")] == ["llm", "engine", "gateway"]
    assert first["llm"] < first["engine"] <= first["gateway"]  # one second apart at most: listed callee first
    assert result["nodes"]["engine"]["max_queue"] == 1000  # "Engine queue fills up (1000+ requests)"
    gateway = result["nodes"]["gateway"]["errors"]
    assert gateway["timeout"] > 200  # the gateway's 504s
    assert gateway["rejected"] > 200  # and the overflowing engine's refusals, passed on
    assert result["recovery"]["recovered"] is True  # the engine drains its queue once the limit is back


def test_cache_invalidation_drops_the_hit_rate_and_slows_the_vector_db(capsys, tmp_path):
    series = tmp_path / "series.csv"
    simulate(capsys, "--scenario", "cache-invalidation", "--series", str(series))
    rows = read_series(series)
    cache = {float(r["t"]): r for r in rows if r["id"] == "cache" and r["hit_ratio"]}
    vector = {float(r["t"]): r for r in rows if r["id"] == "vectordb" and r["p99_ms"]}
    before = mean([float(r["hit_ratio"]) for t, r in cache.items() if 20 < t <= 60])
    after = mean([float(r["hit_ratio"]) for t, r in cache.items() if 60 < t <= 70])
    assert before == pytest.approx(0.8, abs=0.04)
    assert after == pytest.approx(0.2, abs=0.08)
    slow_before = mean([float(r["p99_ms"]) for t, r in vector.items() if 20 < t <= 60])
    slow_after = mean([float(r["p99_ms"]) for t, r in vector.items() if 65 < t <= 120])
    assert slow_after > 3.0 * slow_before  # "200 ms -> 1 s": several times slower
    median_before = mean([float(r["p50_ms"]) for t, r in vector.items() if 20 < t <= 60])
    median_after = mean([float(r["p50_ms"]) for t, r in vector.items() if 65 < t <= 120])
    assert median_before < 250.0  # the 200 ms search, before
    assert median_after > 3.0 * median_before  # the typical search too, not just the tail


def test_retry_storm_fails_requests_while_the_llm_is_slow(capsys, tmp_path):
    series = tmp_path / "series.csv"
    simulate(capsys, "--scenario", "retry-storm", "--series", str(series))
    users = [r for r in read_series(series) if r["kind"] == "users"]

    def error_share(start: float, end: float) -> float:
        window = [r for r in users if start < float(r["t"]) <= end]
        return sum(float(r["errors"]) for r in window) / sum(float(r["arrivals"]) for r in window)

    # the LLM is ten times slower from 60 s to 180 s; users give up after 5 s and retry. The script's
    # metastability (still down long after) does not hold with the engine sized for the peak: see
    # test_streamflow_calibration.py, test_the_retry_storm_is_metastable (a strict xfail)
    assert error_share(30, 60) < 0.05
    assert error_share(90, 180) > 0.1


# --- the interventions ---------------------------------------------------------------


def test_three_quick_wins_remove_the_errors_and_halve_p99(capsys):
    baseline = simulate(capsys, "--scenario", "peak")
    fixed = simulate(capsys, "--scenario", "peak", "--with", ",".join(HIGH_IMPACT_LOW_EFFORT))
    assert fixed["interventions"] == HIGH_IMPACT_LOW_EFFORT
    assert fixed["error_rate"] < 0.001
    assert fixed["latency_ms"]["p99"] <= 0.5 * baseline["latency_ms"]["p99"]


def test_all_nine_meet_the_stakeholders_targets_at_peak(capsys):
    result = simulate(capsys, "--scenario", "peak", "--all-interventions")
    assert len(result["interventions"]) == 9
    assert result["latency_ms"]["p50"] < 200.0
    assert result["error_rate"] < 0.001
    assert result["latency_ms"]["p99"] < 1000.0
    metrics = {"p50_ms": result["latency_ms"]["p50"], "p95_ms": result["latency_ms"]["p95"],
               "p99_ms": result["latency_ms"]["p99"], "mean_ms": result["latency_ms"]["mean"],
               "error_rate": result["error_rate"]}
    targets = [t for s in load_path(EXAMPLE).stakeholders for t in s.targets]
    assert targets
    for target in targets:
        assert metrics[target.metric] < target.max, target


def test_compare_runs_baseline_each_intervention_and_all(capsys):
    code = cli.run(["compare", str(EXAMPLE), "--scenario", "peak", "--duration", "60", "--json", "--quiet",
                    "--replications", "2"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    labels = [run["label"] for run in result["runs"]]
    assert labels[0] == "baseline"
    assert labels[-1] == "all"
    assert len(labels) == 11
    assert "change" not in result["runs"][0]
    for run in result["runs"][1:]:
        assert {"p50", "p99", "error_rate", "goodput"} <= set(run["change"])
    code = cli.run(["compare", str(EXAMPLE), "--scenario", "off-peak", "--duration", "20", "--quiet",
                    "--replications", "2"])
    text = capsys.readouterr().out
    assert code == 0
    assert "baseline" in text
    assert "llm-timeout-fallback" in text


# --- the command itself ---------------------------------------------------------------


def test_same_seed_gives_identical_json_across_processes():
    args = [EXE, "simulate", str(EXAMPLE), "--scenario", "llm-rate-limit", "--seed", "7", "--duration", "90", "--json"]
    first = subprocess.run(args, capture_output=True, text=True, timeout=120, env={"PYTHONHASHSEED": "1"} | _env())
    second = subprocess.run(args, capture_output=True, text=True, timeout=120, env={"PYTHONHASHSEED": "2"} | _env())
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    data = json.loads(first.stdout)
    for field in ("scenario", "interventions", "seed", "duration_s", "requests", "succeeded", "degraded", "failed",
                  "error_rate", "latency_ms", "nodes", "cascade"):
        assert field in data
    assert set(data["latency_ms"]) >= {"mean", "p50", "p95", "p99"}
    assert set(data["nodes"]["engine"]) >= {"utilization", "max_queue", "errors"}


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}


def test_text_output_and_progress_on_stderr(capsys, monkeypatch):
    from app.commands import simulate as command

    monkeypatch.setattr(command, "PROGRESS_AFTER_S", 0.0)
    code = cli.run(["simulate", str(EXAMPLE), "--scenario", "peak", "--duration", "30"])
    captured = capsys.readouterr()
    assert code == 0
    assert "error rate" in captured.out
    assert "cascade:" in captured.out
    assert "simulating peak" in captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scenario", "nope"], "unknown scenario 'nope'"),
        (["--scenario", "peak", "--with", "nope"], "unknown intervention 'nope'"),
        (["--scenario", "peak", "--duration", "0"], "duration"),
    ],
)
def test_bad_ids_are_clear_errors(capsys, args, message):
    code = cli.run(["simulate", str(EXAMPLE), *args])
    assert code == 2
    assert message in capsys.readouterr().err


def _broken_board(tmp_path: Path, edit: Any) -> Path:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "broken.cboard"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_zero_workers_and_negative_rates_are_load_errors(capsys, tmp_path):
    def zero_workers(data: dict[str, Any]) -> None:
        data["nodes"][1]["sim"]["workers"] = 0

    def negative_rate(data: dict[str, Any]) -> None:
        data["scenarios"][1]["traffic"]["peak_rps"] = -5

    for edit, place in ((zero_workers, "nodes[1].sim.workers"), (negative_rate, "scenarios[1].traffic.peak_rps")):
        code = cli.run(["simulate", str(_broken_board(tmp_path, edit)), "--scenario", "peak"])
        assert code == 1
        assert place in capsys.readouterr().err


@pytest.mark.timeout(60)
def test_a_synchronous_cycle_is_refused_not_run_forever(capsys, tmp_path):
    def cycle(data: dict[str, Any]) -> None:
        back = dict(data["edges"][-1], id="e-llm-engine", source="llm", target="engine", call={"mode": "sync"})
        forth = dict(back, id="e-engine-llm-2", source="engine", target="llm")
        data["edges"] += [back, forth]

    code = cli.run(["simulate", str(_broken_board(tmp_path, cycle)), "--scenario", "peak"])
    assert code == 2
    assert "synchronous call cycle without a bound" in capsys.readouterr().err
