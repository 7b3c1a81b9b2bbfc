"""Measuring interventions in the window: the intervention × scenario matrix
of ``export-pdf --measure`` (``models.runs.matrix``), run through the
background-run service as one request per scenario (its baseline and the
interventions measured there, on the same seeds), and gathered into each
intervention's row. Used by the Interventions panel's Measure / Measure all
and by File → Export PDF Handout with Measurements (docs/runs.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from app.ui.runs.service import RunRequest, RunService, RunTicket
from models.document import BoardDocument
from models.entities import Measurement
from models.errors import BoardError
from models.runs.jobs import board_text
from models.runs.matrix import MatrixPlan, cell_variants, scenario_measurements
from models.runs.replicate import RunsResult


@dataclass(frozen=True)
class MatrixResult:
    """Every intervention's row (its measurements in scenario order) and the runs behind them."""

    rows: dict[str, list[Measurement]]
    results: tuple[RunsResult, ...]

    def describe(self) -> str:
        """``on 2 scenarios: N = 5, base seed 0, on 2 worker processes``."""
        counts = sorted({r.replications for r in self.results})
        n = f"N = {counts[0]}" if len(counts) == 1 else f"N = {counts[0]} to {counts[-1]} (the half-width rule)"
        spread = "one run each way" if counts == [1] else f"means of {n} paired replications"
        scenarios = len(self.results)
        first = self.results[0]
        return (f"on {scenarios} scenario{'s' if scenarios != 1 else ''}: {spread}, base seed "
                f"{first.plan.base_seed}, on {first.where}")


class MatrixRun:
    """One Measure: the cells of ``plan`` on ``document``, each scenario a request
    to ``service``. Exactly one callback runs, once: ``on_done`` with every row
    when the last scenario finishes, ``on_error`` with a message naming the
    scenario, or ``on_cancelled`` (Cancel, or an edit of the board)."""

    def __init__(self, service: RunService, document: BoardDocument, plan: MatrixPlan, base_seed: int,
                 duration_s: float | None, label: str) -> None:
        self.service, self.document, self.plan = service, document, plan
        self.base_seed, self.duration_s, self.label = base_seed, duration_s, label
        self.tickets: list[RunTicket] = []
        self._results: dict[str, RunsResult] = {}
        self._over = False

    def start(self, on_done: Callable[[MatrixResult], None], on_error: Callable[[str], None],
              on_cancelled: Callable[[], None]) -> None:
        text = board_text(self.document)
        total = len(self.plan.cells)
        self._on_done, self._on_error, self._on_cancelled = on_done, on_error, on_cancelled
        for index, (scenario, ids) in enumerate(self.plan.cells, start=1):
            run_plan = self.service.plan(text, scenario, self.base_seed, self.duration_s)
            where = f"on {scenario}" + (f" ({index} of {total})" if total > 1 else "")
            request = RunRequest(f"{self.label} {where}", run_plan, cell_variants(ids))
            self.tickets.append(self.service.submit(request, on_done=partial(self._scenario_done, scenario),
                                                    on_error=partial(self._scenario_failed, scenario),
                                                    on_cancelled=self._cancelled))

    def cancel(self) -> None:
        for ticket in self.tickets:
            ticket.cancel()

    def _scenario_done(self, scenario: str, result: RunsResult) -> None:
        if self._over:
            return
        self._results[scenario] = result
        if len(self._results) < len(self.plan.cells):
            return
        rows: dict[str, list[Measurement]] = {}
        results = tuple(self._results[s] for s, _ in self.plan.cells)
        for found in results:
            try:
                cells = scenario_measurements(self.document, found)
            except BoardError as error:
                self._fail(f"{found.plan.scenario}: {error}")
                return
            for intervention_id, cell in cells:
                rows.setdefault(intervention_id, []).append(cell)
        self._over = True
        self._on_done(MatrixResult(rows, results))

    def _scenario_failed(self, scenario: str, message: str) -> None:
        self._fail(f"{scenario}: {message}")

    def _fail(self, message: str) -> None:
        if self._over:
            return
        self._over = True
        self.cancel()
        self._on_error(message)

    def _cancelled(self) -> None:
        if self._over:
            return
        self._over = True
        self.cancel()
        self._on_cancelled()
