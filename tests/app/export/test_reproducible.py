"""Reproducible output, and the board travels inside the PDF."""

from __future__ import annotations

import datetime
import os
import stat
import subprocess
import sys

from app.export import build_pdf, export_pdf
from models.document import BoardDocument
from models.entities import Intervention, Measurement, Node
from models.fileformat import load_path, save_path
from tests.app.export.conftest import pdf_text
from tests.conftest import ROOT


def test_two_exports_are_byte_identical(streamflow, streamflow_handout):
    assert build_pdf(streamflow).data == streamflow_handout.data


def test_output_is_identical_across_processes(tmp_path, streamflow, streamflow_handout):
    board, out = tmp_path / "board.cboard", tmp_path / "other.pdf"
    save_path(streamflow, board)
    code = (
        "import sys; from app.export import export_pdf; from models.fileformat import load_path; "
        f"export_pdf(load_path({str(board)!r}), {str(out)!r}); "
        "assert 'PySide6' not in sys.modules, 'the PDF export must not import Qt'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, timeout=120)
    assert out.read_bytes() == streamflow_handout.data


def test_date_is_only_printed_when_given(streamflow):
    dated = build_pdf(streamflow, date="27 November 2026").data
    assert "27 November 2026" in pdf_text(dated)
    assert build_pdf(streamflow, date="27 November 2026").data == dated


def test_pdf_opens_again_as_the_same_board(tmp_path, streamflow):
    path = tmp_path / "handout.pdf"
    pages = export_pdf(streamflow, path)
    assert pages >= 10
    assert load_path(path) == streamflow


def test_measured_results_get_charts(tmp_path):
    measured = Measurement(scenario="peak", seed=7, p99_before_ms=2400, p99_after_ms=800,
                           error_rate_before=0.05, error_rate_after=0.004)
    document = BoardDocument(
        nodes=(Node(id="n", label="Engine"),),
        interventions=(
            Intervention(id="a", title="Timeout and fallback", rank=1, measured=measured),
            Intervention(id="b", title="Not measured yet", rank=2, impact="medium", effort="high"),
        ),
    )
    path = tmp_path / "measured.pdf"
    export_pdf(document, path)
    text = " ".join(pdf_text(path.read_bytes()).split())
    assert "p99 latency (ms)" in text
    assert "p99 2,400 ms → 800 ms (-67 %)" in text  # the summary's line
    assert "peak: baseline (N = 1, seed 7)" in text  # the matrix: the baseline row ...
    assert "800 -1,600" in text  # ... and the intervention's p99 with its change under it
    assert "-4.60 pp" in text  # error changes in percentage points, not relative
    assert load_path(path) == document


def test_an_empty_board_exports(tmp_path):
    path = tmp_path / "empty.pdf"
    assert export_pdf(BoardDocument(), path) >= 3
    assert load_path(path) == BoardDocument()


def test_an_iso_date_becomes_the_document_date(streamflow):
    import io

    from pypdf import PdfReader

    dated = PdfReader(io.BytesIO(build_pdf(streamflow, date="2026-11-27").data)).metadata
    assert dated["/CreationDate"] == "D:20261127000000Z"


def test_source_date_epoch_dates_the_pdf_and_fixes_its_bytes(monkeypatch):
    import io

    from pypdf import PdfReader

    document = BoardDocument(nodes=(Node(id="n", label="Engine"),))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    first = build_pdf(document).data
    assert PdfReader(io.BytesIO(first)).metadata["/CreationDate"] == "D:20251201000000Z"
    assert build_pdf(document).data == first
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    today = PdfReader(io.BytesIO(build_pdf(document).data)).metadata["/CreationDate"]
    assert today != "D:20000101000000Z"
    assert today.startswith(f"D:{datetime.datetime.now(tz=datetime.UTC):%Y%m%d}")


def test_the_handout_is_written_with_the_umask_mode(tmp_path):
    saved = os.umask(0o002)
    try:
        path = tmp_path / "shared.pdf"
        export_pdf(BoardDocument(), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o664
        path.chmod(0o640)
        export_pdf(BoardDocument(), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
    finally:
        os.umask(saved)


def test_no_handout_text_refers_to_buttons(streamflow_pages):
    text = " ".join(streamflow_pages).lower()
    for words in ("button", "use “measure”", "menu"):
        assert words not in text
