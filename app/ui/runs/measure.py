"""Measuring interventions through the background-run service: the request
(the baseline and every intervention, N replications on the same seeds) and
the measured change each intervention gets from its result. Used by the
Interventions panel's Measure / Measure all and by File → Export PDF Handout
with Measurements (docs/runs.md)."""

from __future__ import annotations

from typing import NamedTuple

from models.document import BoardDocument
from models.entities import Measurement
from models.runs.replicate import RunsResult, Variant
from models.runs.stats import Estimate


def measuring_variants(intervention_ids: list[str] | tuple[str, ...]) -> tuple[Variant, ...]:
    """The baseline first, then one variant per intervention."""
    return (Variant("baseline"), *(Variant(i, (i,)) for i in intervention_ids))


class Measured(NamedTuple):
    """One intervention measured (``measurement``) or not (``error`` says why)."""

    intervention_id: str
    measurement: Measurement | None
    error: str = ""


def measurements(result: RunsResult) -> list[Measured]:
    """Each intervention's measured change from a run of the baseline (the first variant) and
    the interventions: the means over the replications, which used the same seeds."""
    base = result.variants[0]

    def means(estimates: tuple[Estimate | None, Estimate | None]) -> tuple[float, float] | None:
        p99, errors = estimates
        return None if p99 is None or errors is None else (p99.mean, errors.mean)

    before = means((base.estimate("p99_ms"), base.estimate("error_rate")))
    found = []
    for runs in result.variants[1:]:
        intervention_id = runs.variant.interventions[0]
        after = means((runs.estimate("p99_ms"), runs.estimate("error_rate")))
        if before is None or after is None:
            found.append(Measured(intervention_id, None, "the run finished no requests, so there is no p99"))
            continue
        found.append(Measured(intervention_id, Measurement(
            scenario=result.plan.scenario, seed=result.plan.base_seed, p99_before_ms=before[0],
            p99_after_ms=after[0], error_rate_before=before[1], error_rate_after=after[1])))
    return found


def with_measurements(document: BoardDocument, outcomes: list[Measured]) -> BoardDocument:
    """A copy of ``document`` whose interventions carry the measured changes (the board is not touched)."""
    found = {o.intervention_id: o.measurement for o in outcomes if o.measurement is not None}
    interventions = tuple(item.model_copy(update={"measured": found[item.id]}) if item.id in found else item
                          for item in document.interventions)
    return document.model_copy(update={"interventions": interventions})
