"""File → Export PDF Handout with Measurements: the window's ``export-pdf
--measure``. Every intervention is measured on a scenario through the
background-run service (N replications, the same seeds), then the handout is
written from a copy of the board that carries the measurements; the board
itself is not touched. See docs/runs.md."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from app.ui.host import WindowHost
from app.ui.pdf_export import PdfExporter
from app.ui.runs.measure import measurements, measuring_variants, with_measurements
from app.ui.runs.service import RunRequest, RunService, RunTicket
from models.document import BoardDocument
from models.errors import BoardError
from models.runs.jobs import board_text
from models.runs.replicate import RunsResult
from models.runs.seeds import DEFAULT_SEED


class MeasuredHandout:
    """Measures, then hands the measured copy to the PDF exporter."""

    def __init__(self, host: WindowHost, service: RunService, pdf: PdfExporter) -> None:
        self.host, self.service, self.pdf = host, service, pdf
        self.duration_s: float | None = None
        """Simulated seconds of each run; None runs the scenario's whole duration (tests shorten it)."""

    def dialog(self) -> RunTicket | None:
        """Ask for the scenario and the file, then start."""
        window = self.host.widget()
        document = self.host.board.document()
        scenarios = [(s.id, s.name) for s in document.scenarios]
        if not scenarios or not document.interventions:
            QMessageBox.information(window, "Export PDF handout with measurements",
                                    "This board needs a simulation scenario and at least one intervention.")
            return None
        names = [name for _id, name in scenarios]
        default = next((i for i, (scenario_id, _n) in enumerate(scenarios) if scenario_id == "peak"), 0)
        name, chosen = QInputDialog.getItem(window, "Measure the interventions",
                                            f"Scenario ({self.service.settings.describe()})", names, default, False)
        if not chosen:
            return None
        path, _ = QFileDialog.getSaveFileName(window, "Export PDF handout with measurements",
                                              str(self.pdf.suggested_path()), "PDF handout (*.pdf)")
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        return self.start(path, scenarios[names.index(name)][0])

    def start(self, path: str, scenario_id: str) -> RunTicket:
        document = self.host.board.document()
        document.scenario(scenario_id)  # a BoardError names the known ones
        if not document.interventions:
            raise BoardError("this board has no interventions to measure")
        plan = self.service.plan(board_text(document), scenario_id, DEFAULT_SEED, self.duration_s)
        ids = [item.id for item in document.interventions]
        self.host.status(f"Measuring {len(ids)} interventions on {scenario_id} for the handout…")
        return self.service.submit(
            RunRequest(f"Measuring for the handout on {scenario_id}", plan, measuring_variants(ids)),
            on_done=lambda result: self._write(document, result, path), on_error=self._failed,
            on_cancelled=lambda: self.host.status("The handout was not written: measuring was cancelled", 8000))

    def _write(self, document: BoardDocument, result: RunsResult, path: str) -> None:
        outcomes = measurements(result)
        failed = [f"{o.intervention_id}: {o.error}" for o in outcomes if o.measurement is None]
        if failed:
            self._failed("; ".join(failed))
            return
        self.pdf.start(path, with_measurements(document, outcomes))

    def _failed(self, message: str) -> None:
        self.host.status("")
        QMessageBox.critical(self.host.widget(), "Cannot measure for the handout", message)
