"""The intervention × scenario matrix: cells, figures with intervals, verdicts."""

from __future__ import annotations

import json

import pytest

from models.entities import Intervention, MeasuredFigure, MeasuredValue, Node, ParamChange
from models.errors import BoardError, BoardLoadError
from models.fileformat import document_from_data, dumps
from models.kinds import MeasuredMetric
from models.params import NodeSim, SimScenario, TrafficProfile
from models.runs.executors import InProcess
from models.runs.matrix import describe_change, matrix_plan, measure_matrix, moved
from tests.models.simulation.boards import board, exponential

BASE = board({"api": {"workers": 1, "service_time": exponential(60.0)}}, rate=8.0, duration_s=60.0)
BUSY = SimScenario(id="busy", name="busy", duration_s=60.0, traffic=TrafficProfile(kind="constant", base_rps=12.0))
DOCUMENT = BASE.model_copy(update={
    "nodes": (*BASE.nodes, Node(id="spare", label="Spare", sim=NodeSim(workers=1))),
    "scenarios": (*BASE.scenarios, BUSY),
    "interventions": (
        Intervention(id="faster", title="More workers", rank=1, scenarios=("s", "busy"),
                     changes=(ParamChange(target="api", path="sim.workers", value=3),)),
        Intervention(id="idle", title="Tune the spare", rank=2, scenarios=("s",),
                     changes=(ParamChange(target="spare", path="sim.workers", value=4),)),
        Intervention(id="shed", title="Shed load", rank=3, scenarios=("busy",),
                     changes=(ParamChange(target="api", path="sim.queue_limit", value=0),)),
        Intervention(id="unplaced", title="Not placed", rank=4),
    ),
})


@pytest.fixture(scope="module")
def measured():
    plan = matrix_plan(DOCUMENT)
    return measure_matrix(DOCUMENT, plan, InProcess(), base_seed=0, replications=3)


def test_the_plan_puts_each_intervention_on_its_scenarios_in_rank_order() -> None:
    plan = matrix_plan(DOCUMENT)
    assert plan.cells == (("s", ("faster", "idle")), ("busy", ("faster", "shed")))
    assert plan.runs == 6
    assert matrix_plan(DOCUMENT, "busy").cells == (("busy", ("faster", "idle", "shed", "unplaced")),)
    with pytest.raises(BoardError, match="nope"):
        matrix_plan(DOCUMENT, "nope")
    with pytest.raises(BoardError, match="nothing to measure"):
        matrix_plan(BASE)


def test_every_cell_keeps_every_figure_with_its_interval(measured) -> None:
    by_id = {item.id: item for item in measured.interventions}
    assert [m.scenario for m in by_id["faster"].measurements] == ["s", "busy"]
    assert by_id["unplaced"].measurements == ()
    cell = by_id["faster"].measurements[1]
    assert cell.replications == 3
    assert cell.seed == 0
    assert {f.metric for f in cell.figures} == set(MeasuredMetric)
    p99 = cell.figure("p99_ms")
    assert p99 is not None
    assert p99.before is not None
    assert p99.after is not None
    assert p99.change is not None
    assert p99.change.half_width is not None
    assert cell.p99_before_ms == pytest.approx(p99.before.mean)
    assert cell.p99_after_ms < cell.p99_before_ms
    assert cell.figure("recover_s").before is None  # no failure in the scenario: nothing to recover from
    assert cell.verdict.startswith("Better: p50 -")
    assert "(N = 3)" in cell.verdict


def test_no_effect_says_why(measured) -> None:
    idle = next(i for i in measured.interventions if i.id == "idle").measurements[0]
    assert idle.verdict.startswith(
        "No measurable effect (N = 3): none of the parameters it changes is on a loaded path")
    assert "spare 0 % busy, queue at most 0, 0 errors" in idle.verdict


def test_more_errors_are_stated_as_a_trade_off_in_pp(measured) -> None:
    shed = next(i for i in measured.interventions if i.id == "shed").measurements[0]
    assert shed.error_rate_after > shed.error_rate_before
    assert shed.verdict.startswith("Trade-off (more fast failures): errors +")
    assert " pp" in shed.verdict
    assert ", but " in shed.verdict
    assert "p99 -" in shed.verdict


def test_measurements_round_trip_through_the_file(measured) -> None:
    text = dumps(measured)
    again = document_from_data(json.loads(text), "m.cboard")
    assert again == measured
    assert dumps(BASE) == dumps(document_from_data(json.loads(dumps(BASE)), "b"))
    assert '"measurements"' not in dumps(BASE)  # unused fields stay out of the file


def test_an_unknown_scenario_is_a_named_field_error() -> None:
    data = json.loads(dumps(DOCUMENT))
    data["interventions"][1]["scenarios"] = ["s", "peek"]
    with pytest.raises(BoardLoadError, match=r"interventions\[1\]\.scenarios\[1\]: 'peek' is not a scenario"):
        document_from_data(data, "bad.cboard")


def test_removing_a_scenario_drops_it_from_interventions(measured) -> None:
    item = next(i for i in measured.interventions if i.id == "faster")
    kept = item.without({"busy"})
    assert kept.scenarios == ("s",)
    assert [m.scenario for m in kept.measurements] == ["s"]


def test_moved_ignores_changes_inside_their_interval_or_negligible() -> None:
    def figure(metric: str, mean: float, half: float | None) -> MeasuredFigure:
        return MeasuredFigure(metric=metric, change=MeasuredValue(mean=mean, half_width=half))

    assert moved(figure("p99_ms", -50.0, 10.0)) == 1
    assert moved(figure("p99_ms", -50.0, 60.0)) == 0
    assert moved(figure("p99_ms", 0.5, None)) == 0
    assert moved(figure("goodput_rps", 2.0, 1.0)) == 1
    assert moved(figure("error_rate", 0.01, 0.002)) == -1
    assert moved(MeasuredFigure(metric="p50_ms")) == 0
    assert describe_change(figure("error_rate", 0.0123, 0.004)) == "errors +1.23 ± 0.40 pp"
    assert describe_change(MeasuredFigure(metric="recover_s")) == "recovery: not measured"


def test_a_loaded_path_is_read_from_the_baseline_nodes_and_edges() -> None:
    from models.entities import Edge, Queue
    from models.runs.matrix import loaded_targets

    document = DOCUMENT.model_copy(update={
        "nodes": (*DOCUMENT.nodes, Node(id="db", label="DB")),
        "edges": (*DOCUMENT.edges, Edge(id="e-api-db", source="api", target="db")),
        "queues": (Queue(id="q", name="Queue", edge="e-api-db", exists=False),),
    })
    item = Intervention(id="x", title="x", rank=1, changes=(
        ParamChange(target="q", path="exists", value=True), ParamChange(target="e-api-db", path="call.timeout_ms",
                                                                        value=100.0),
        ParamChange(target="ghost-node", path="sim.workers", value=2)))
    idle = {"utilization": 0.1, "max_queue": 0, "errors": {}}
    quiet = {"nodes": {"db": idle}, "edges": {"e-api-db": {"calls": 50, "errors": 0}}}
    loaded, lines = loaded_targets(document, item, [quiet, quiet])
    assert not loaded
    assert lines == ["e-api-db: 50 calls a run, 0 failed, callee db 10 % busy, queue at most 0, 0 errors",
                     "ghost-node: ghost-node not simulated"]
    failing = {"nodes": {"db": idle}, "edges": {"e-api-db": {"calls": 50, "errors": 0, "timeouts": 3}}}
    assert loaded_targets(document, item, [quiet, failing])[0]


def test_a_change_in_recovery_is_said_in_runs() -> None:
    from models.entities import Measurement
    from models.runs.matrix import verdict

    cell = Measurement(scenario="s", seed=0, p99_before_ms=1.0, p99_after_ms=1.0, error_rate_before=0.0,
                       error_rate_after=0.0, replications=5, not_recovered_before=5, not_recovered_after=1)
    item = DOCUMENT.interventions[0]
    assert verdict(DOCUMENT, item, cell, []) == "Better: recovers in 4 of 5 runs (baseline 0 of 5) (N = 5)."
    worse = cell.model_copy(update={"figures": (
        MeasuredFigure(metric="goodput_rps", change=MeasuredValue(mean=-3.0, half_width=1.0)),),
        "not_recovered_before": 0, "not_recovered_after": 0})
    assert verdict(DOCUMENT, item, worse, []) == "Worse, with no measured gain: goodput -3.0 ± 1.0/s (N = 5)."
    costly = worse.model_copy(update={"figures": (
        MeasuredFigure(metric="degraded_share", change=MeasuredValue(mean=0.02, half_width=0.01)),
        MeasuredFigure(metric="p99_ms", change=MeasuredValue(mean=-400.0, half_width=50.0)))})
    assert verdict(DOCUMENT, item, costly, []) == \
        "Trade-off (a cost): degraded +2.00 ± 1.00 pp, but p99 -400 ± 50 ms (N = 5)."


def test_the_window_plan_takes_some_interventions_and_measures_the_unplaced_on_its_scenario() -> None:
    plan = matrix_plan(DOCUMENT, ids=["shed", "unplaced"], unplaced="s")
    assert plan.cells == (("s", ("unplaced",)), ("busy", ("shed",)))
    assert matrix_plan(DOCUMENT, "busy", ids=["idle"]).cells == (("busy", ("idle",)),)
    with pytest.raises(BoardError, match="peek"):
        matrix_plan(DOCUMENT, unplaced="peek")
    with pytest.raises(BoardError, match="nothing to measure"):
        matrix_plan(DOCUMENT, ids=["unplaced"])


def test_values_are_shown_with_their_interval_and_shares_change_in_pp() -> None:
    from models.runs.matrix import format_value

    assert format_value("p99_ms", MeasuredValue(mean=2400.4, half_width=80.2)) == "2,400 ± 80 ms"
    assert format_value("error_rate", MeasuredValue(mean=0.031, half_width=0.006)) == "3.10 ± 0.60 %"
    assert format_value("error_rate", MeasuredValue(mean=-0.012), change=True) == "-1.20 pp"
    assert format_value("goodput_rps", MeasuredValue(mean=1.25, half_width=0.5), change=True) == "+1.2 ± 0.5/s"
    assert format_value("recover_s", None) == "-"


def test_a_value_keeps_its_n_and_one_written_without_it_still_loads(measured) -> None:
    cell = next(i for i in measured.interventions if i.id == "faster").measurements[0]
    assert cell.figure("p99_ms").after.n == 3
    data = json.loads(dumps(measured))
    for item in data["interventions"]:
        for stored in item.get("measurements", []):
            for figure in stored["figures"]:
                for side in ("before", "after", "change"):
                    if figure[side] is not None:
                        del figure[side]["n"]  # as files written before n was kept
    older = document_from_data(data, "older.cboard")
    assert next(i for i in older.interventions if i.id == "faster").measurements[0].figure("p99_ms").after.n is None
    assert '"n"' not in dumps(older)
