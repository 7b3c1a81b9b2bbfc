"""The same jobs give bit-identical results in this process, in a local
process pool and on a Dask cluster (an in-process LocalCluster here)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from models.runs.executors import DaskCluster, InProcess, LocalPool, RunsCancelled, SchedulerError
from models.runs.jobs import Override, RunJob, board_text, run_job
from models.runs.replicate import RunPlan, Variant, run_replications
from models.runs.seeds import replication_seeds
from tests.models.simulation.boards import board, exponential

ROOT = Path(__file__).resolve().parents[3]
TEXT = board_text(board({"api": {"workers": 2, "service_time": exponential(150.0)}}, rate=10.0, duration_s=60.0))
JOBS = [RunJob(TEXT, "s", seed, (), None, (Override("nodes.api.sim.workers", w),))
        for seed in replication_seeds(9, 3) for w in (2, 3)]


@pytest.fixture(scope="module")
def expected() -> list[dict]:
    return InProcess().map(run_job, JOBS)


@pytest.mark.slow
def test_local_pool_gives_the_same_results_in_order(expected: list[dict]) -> None:
    done: list[int] = []
    with LocalPool(2) as pool:
        assert pool.map(run_job, JOBS, lambda index, _result: done.append(index)) == expected
    assert sorted(done) == list(range(len(JOBS)))


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_results(expected: list[dict]) -> None:
    distributed = pytest.importorskip("distributed")
    plan = RunPlan(TEXT, "s", 9, replications=3, half_width=None)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None)
    with cluster, DaskCluster(cluster.scheduler_address) as executor:
        assert executor.workers == 2
        assert executor.map(run_job, JOBS) == expected
        remote = run_replications(plan, [Variant("w2")], executor)
    local = run_replications(plan, [Variant("w2")], InProcess())
    assert remote.variants == local.variants


def test_a_scheduler_that_does_not_answer_is_named_quickly() -> None:
    pytest.importorskip("distributed")
    started = time.perf_counter()
    with pytest.raises(SchedulerError, match=r"no Dask scheduler answered at tcp://127\.0\.0\.1:9"):
        DaskCluster("tcp://127.0.0.1:9", connect_timeout_s=1.0)
    assert time.perf_counter() - started < 15.0


@pytest.mark.slow
def test_cancelling_a_pool_drops_the_rest_and_stops_the_workers() -> None:
    cancel = threading.Event()
    pool = LocalPool(2)
    with pytest.raises(RunsCancelled):
        pool.map(run_job, JOBS * 3, lambda _index, _result: cancel.set(), cancel)
    assert pool._pool is None  # stopped, not left running
    pool.close()


@pytest.mark.slow
def test_ctrl_c_on_the_cli_stops_cleanly(tmp_path) -> None:
    board_file = tmp_path / "b.cboard"
    board_file.write_text(TEXT, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.main", "compare", str(board_file), "--scenario", "s", "--replications", "50",
         "--jobs", "2", "--duration", "600"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert process.stderr is not None
    first = process.stderr.readline()  # the first progress line: the pool is running
    assert "of 50 runs" in first
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted" in err
    assert "Traceback" not in err
