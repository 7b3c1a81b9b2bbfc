"""File → Export PDF Handout with Measurements: the window's ``export-pdf
--measure [SCENARIO]``. The interventions are measured through the
background-run service, each on the scenarios it names (or all on one chosen
scenario), N replications or the half-width rule on the same seeds, then the
handout is written from a copy of the board that carries the intervention ×
scenario matrix; the board itself is not touched. See docs/runs.md."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from app.ui.host import WindowHost
from app.ui.pdf_export import PdfExporter
from app.ui.plain import plain_markup
from app.ui.runs.measure import MatrixResult, MatrixRun
from app.ui.runs.service import RunService
from models.document import BoardDocument
from models.errors import BoardError
from models.runs.matrix import matrix_plan, with_matrix
from models.runs.seeds import DEFAULT_SEED

OWN_SCENARIOS = "Each intervention on the scenarios it names"
"""The dialog's first choice: ``export-pdf --measure`` without a scenario."""


class MeasuredHandout:
    """Measures, then hands the measured copy to the PDF exporter."""

    def __init__(self, host: WindowHost, service: RunService, pdf: PdfExporter) -> None:
        self.host, self.service, self.pdf = host, service, pdf
        self.duration_s: float | None = None
        """Simulated seconds of each run; None runs the scenario's whole duration (tests shorten it)."""

    def dialog(self) -> MatrixRun | None:
        """Ask where to measure and for the file, then start."""
        window = self.host.widget()
        document = self.host.board.document()
        scenarios = [(s.id, s.name) for s in document.scenarios]
        if not scenarios or not document.interventions:
            QMessageBox.information(window, "Export PDF handout with measurements",
                                    "This board needs a simulation scenario and at least one intervention.")
            return None
        choices = [("", OWN_SCENARIOS)] if any(i.scenarios for i in document.interventions) else []
        choices += [(scenario_id, f"Every intervention on {name}") for scenario_id, name in scenarios]
        names = [name for _id, name in choices]
        default = 0 if choices[0][0] == "" else next(
            (i for i, (scenario_id, _n) in enumerate(choices) if scenario_id == "peak"), 0)
        name, chosen = QInputDialog.getItem(window, "Measure the interventions",
                                            f"Where ({self.service.settings.describe()})", names, default, False)
        if not chosen:
            return None
        path, _ = QFileDialog.getSaveFileName(window, "Export PDF handout with measurements",
                                              str(self.pdf.suggested_path()), "PDF handout (*.pdf)")
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            return self.start(path, choices[names.index(name)][0] or None)
        except BoardError as error:
            self._failed(str(error))
            return None

    def start(self, path: str, scenario_id: str | None) -> MatrixRun:
        """Measure (each on its scenarios, or all on ``scenario_id``), then write ``path``."""
        document = self.host.board.document()
        if not document.interventions:
            raise BoardError("this board has no interventions to measure")
        plan = matrix_plan(document, scenario_id)  # a BoardError names an unknown scenario
        where = scenario_id or "their scenarios"
        self.host.status(f"Measuring {len(document.interventions)} interventions on {where} for the handout…")
        measuring = MatrixRun(self.service, document, plan, DEFAULT_SEED, self.duration_s,
                              "Measuring for the handout")
        measuring.start(
            on_done=lambda result: self._write(document, result, path), on_error=self._failed,
            on_cancelled=lambda: self.host.status("The handout was not written: measuring was cancelled", 8000))
        return measuring

    def _write(self, document: BoardDocument, result: MatrixResult, path: str) -> None:
        self.pdf.start(path, with_matrix(document, result.rows))

    def _failed(self, message: str) -> None:
        self.host.status("")
        QMessageBox.critical(self.host.widget(), "Cannot measure for the handout", plain_markup(message))
