"""One utilisation figure (models/utilisation.py): its meaning, its source, its text."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from models.fileformat import load_path
from models.utilisation import MEANING, Utilisation, estimated, percent, simulated
from tests.conftest import EXAMPLE


def test_the_estimate_counts_held_workers_at_the_stated_rate():
    document = load_path(EXAMPLE)
    figure = estimated(document)
    assert figure.source == "estimated at 50 req/s"
    # the engine does almost nothing itself but holds its workers while it waits on its calls
    # (52 workers since the recalibration: about 127 ms held per request at 50 req/s)
    assert figure.values["engine"] == pytest.approx(0.122, abs=0.005)
    assert figure.text("engine") == "12 %"
    assert figure.text("nowhere") == ""
    assert figure.caption() == f"Utilisation is {MEANING}, estimated at 50 req/s."
    assert estimated(document, 100.0).values["engine"] == pytest.approx(2 * figure.values["engine"], rel=0.01)
    assert estimated(document.model_copy(update={"scenarios": ()})).values == {}


def test_a_run_names_its_scenario_seed_and_interventions():
    run = SimpleNamespace(scenario="peak", seed=7, interventions=("more-workers",),
                          nodes={"engine": SimpleNamespace(utilization=0.789)})
    figure = simulated(run)  # type: ignore[arg-type]
    assert figure.source == "simulated, peak, seed 7, with more-workers"
    assert figure.text("engine") == "79 %" == percent(0.789)
    plain = simulated(SimpleNamespace(scenario="peak", seed=0, interventions=(), nodes={}))  # type: ignore[arg-type]
    assert plain.source == "simulated, peak, seed 0"
    assert Utilisation({}, plain.source).text("engine") == ""
