"""One utilisation (issue 14): the Bottlenecks panel, the handout and ``simulate`` show the same
figure with the same source, estimated before a run and simulated after one."""

from __future__ import annotations

import re

from app.commands.simulate import render_text, run
from app.export.context import Context
from app.export.sections.analysis import build_bottlenecks
from app.ui.panels.bottlenecks import BottlenecksPanel
from models.utilisation import estimated, simulated
from tests.app.ui.panels.helpers import cell_text


def _pdf_cells(document) -> tuple[str, list[list[str]]]:
    """The handout's Bottlenecks section: its opening paragraph and its table's cells as text."""
    ctx = Context(document, "2026-12-01", 480.0, 700.0, 700.0, 480.0)
    story = build_bottlenecks(ctx)
    intro = next(f.getPlainText() for f in story if hasattr(f, "getPlainText") and "Utilisation" in f.getPlainText())
    table = next(f for f in story if hasattr(f, "_cellvalues"))
    cells = [[c.getPlainText() if hasattr(c, "getPlainText") else str(c) for c in row] for row in table._cellvalues]
    return intro, cells


def test_the_panel_the_handout_and_simulate_agree(make, context):
    document = context.board.document()
    expected = estimated(document)
    panel = make(BottlenecksPanel)
    # before a run: the estimate, with its rate, in the panel and in the handout
    assert panel.source.text() == "Utilisation: estimated at 50 req/s"
    assert cell_text(panel, "engine", "Utilisation") == expected.text("engine") == "12 %"
    intro, cells = _pdf_cells(document)
    assert "estimated at 50 req/s" in intro
    header = cells[0]
    column = header.index("Utilisation")
    by_name = {row[0]: row[column] for row in cells[1:]}
    assert by_name["Recommendation Engine"] == "12 %"
    for node in document.nodes:
        if node.label in by_name:
            assert by_name[node.label] == cell_text(panel, node.id, "Utilisation").split(" · ")[0]
    # after a run: the run's figure, with its scenario and seed, in the panel and in `simulate`
    result = run(document, "peak", [], 0, 6.0, True)
    panel.show_run(result)
    figure = simulated(result)
    assert panel.source.text() == "Utilisation: simulated, peak, seed 0"
    text = render_text(result)
    assert "simulated, peak, seed 0" in text
    for node_id in ("engine", "llm", "vectordb"):
        line = next(line for line in text.splitlines() if re.match(rf"\s+{node_id}\s", line))
        assert cell_text(panel, node_id, "Utilisation") == figure.text(node_id)
        assert f" {figure.text(node_id)} " in line
    # an edit makes the run stale: back to the estimate
    context.editor.update("nodes", "auth", health="yellow")
    assert panel.source.text() == "Utilisation: estimated at 50 req/s"
