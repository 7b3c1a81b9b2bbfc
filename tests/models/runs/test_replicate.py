"""Replications: seeds per replication, paired differences, the stopping rule."""

from __future__ import annotations

import threading

import pytest

from models.errors import BoardError
from models.runs.executors import InProcess, RunsCancelled
from models.runs.jobs import Override, RunJob, board_text, run_job
from models.runs.replicate import MIN_REPLICATIONS, RunPlan, Variant, paired_difference, rule_met, run_replications
from models.runs.seeds import replication_seeds
from models.simulation import simulate
from tests.models.simulation.boards import board, exponential

DOCUMENT = board({"api": {"workers": 1, "service_time": exponential(60.0)}}, rate=8.0, duration_s=120.0)
TEXT = board_text(DOCUMENT)


class WideExecutor(InProcess):
    """In process, but claims many workers, so the rule runs in bigger batches."""

    workers = 7


def test_each_replication_runs_with_its_derived_seed() -> None:
    result = run_replications(RunPlan(TEXT, "s", 5, replications=4), [Variant("base")], InProcess())
    assert result.seeds == tuple(replication_seeds(5, 4))
    summaries = result.variants[0].summaries
    assert [s["seed"] for s in summaries] == list(result.seeds)
    assert summaries[0] == simulate(DOCUMENT, "s", (), 5).to_dict()  # N = 1 is the single run
    assert result.stopped == "count"
    p99 = result.variants[0].estimate("p99_ms")
    assert p99 is not None
    assert p99.n == 4
    assert p99.half_width is not None
    assert p99.half_width > 0


def test_a_job_is_the_summary_of_one_run_with_its_overrides() -> None:
    job = RunJob(TEXT, "s", 3, (), 60.0, (Override("nodes.api.sim.workers", 4),))
    faster = DOCUMENT.model_copy(update={"nodes": (DOCUMENT.nodes[0], DOCUMENT.nodes[1].model_copy(
        update={"sim": DOCUMENT.nodes[1].sim.model_copy(update={"workers": 4})}))})
    assert run_job(job) == simulate(faster, "s", (), 3, 60.0).to_dict()


def test_variants_share_seeds_so_an_identical_variant_differs_by_exactly_zero() -> None:
    plan = RunPlan(TEXT, "s", 1, replications=3)
    result = run_replications(plan, [Variant("a"), Variant("b"), Variant("c", (), (
        Override("nodes.api.sim.workers", 3),))], InProcess())
    a, b, c = result.variants
    same = paired_difference(b, a, "p99_ms")
    assert same is not None
    assert (same.mean, same.half_width) == (0.0, 0.0)
    faster = paired_difference(c, a, "p99_ms")
    assert faster is not None
    assert faster.half_width is not None
    assert faster.mean + faster.half_width < 0  # three workers: a shorter p99, significantly


def test_the_stopping_rule_stops_at_the_first_n_meeting_the_target() -> None:
    loose = run_replications(RunPlan(TEXT, "s", 0, replications=20, half_width=0.5), [Variant("x")], InProcess())
    assert loose.stopped == "target"
    assert loose.replications == MIN_REPLICATIONS
    tight = RunPlan(TEXT, "s", 0, replications=6, half_width=0.001)
    capped = run_replications(tight, [Variant("x")], InProcess())
    assert (capped.stopped, capped.replications) == ("cap", 6)
    assert not rule_met(capped.variants, 0.001)


def test_the_rule_decides_n_the_same_whatever_the_batch_size() -> None:
    plan = RunPlan(TEXT, "s", 4, replications=12, half_width=0.08)
    one = run_replications(plan, [Variant("x")], InProcess())
    wide = run_replications(plan, [Variant("x")], WideExecutor())
    assert one.replications == wide.replications
    assert one.variants == wide.variants
    if one.stopped == "target":
        shorter = [type(v)(v.variant, v.summaries[:-1]) for v in one.variants]
        assert one.replications == MIN_REPLICATIONS or not rule_met(shorter, 0.08)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"replications": 0}, "between 1 and"),
    ({"replications": -3}, "between 1 and"),
    ({"replications": 5, "half_width": 0.0}, "above 0"),
    ({"replications": 5, "half_width": float("nan")}, "above 0"),
])
def test_bad_plans_are_refused(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(BoardError, match=message):
        RunPlan(TEXT, "s", 0, **kwargs)  # type: ignore[arg-type]


def test_progress_counts_runs_and_cancel_stops() -> None:
    seen: list[tuple[int, int]] = []
    run_replications(RunPlan(TEXT, "s", 0, replications=2), [Variant("a"), Variant("b")], InProcess(),
                     lambda done, total: seen.append((done, total)))
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(RunsCancelled):
        run_replications(RunPlan(TEXT, "s", 0, replications=2), [Variant("a")], InProcess(), cancel=cancel)
