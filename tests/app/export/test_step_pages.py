"""The handout's "board step by step": each step with notes or ink of its own gets its diagram."""

from __future__ import annotations

import pytest
from reportlab.graphics.shapes import Drawing, Group, PolyLine, String
from reportlab.lib import colors

from app.export import build_pdf
from app.export.context import Context
from app.export.diagram import ClippedDrawing, TopologyDiagram, step_drawing, step_size, topology_drawing
from app.export.sections.steps import MAX_HEIGHT, TITLES, build_steps
from models.document import BoardDocument, Layers
from models.entities import Annotation, Edge, Frame, Node, Step
from tests.app.export.conftest import pdf_text

INK = "#e53935"


def _board(annotations_on: bool = True) -> BoardDocument:
    return BoardDocument(
        nodes=(Node(id="a", label="Gateway", x=0, y=0), Node(id="b", label="Engine", x=400, y=0),
               Node(id="c", label="Far away", x=2000, y=900)),
        edges=(Edge(id="ab", source="a", target="b"),),
        steps=(Step(id="s1", code="P02", name="Stakeholder Mapping", segment_start="02:00", segment_end="05:00",
                    frame=Frame(x=-120, y=-120, width=700, height=300)),
               Step(id="s2", code="DE07", name="Bottleneck Finding"),
               Step(id="s3", code="DE06", name="Failure Modes")),
        annotations=(Annotation(id="ink1", kind="ink", points=((0, 60), (200, 90), (400, 60)), color=INK, width=4,
                                step="s1"),
                     Annotation(id="note3", kind="sticky", x=100, y=200, text="Premortem: the LLM is down", step="s3"),
                     Annotation(id="shared", kind="text", x=0, y=-100, text="Seen at every step")),
        layers=Layers(annotations=annotations_on),
    )


def _walk(group: Group | Drawing, kind: type) -> list:
    found = []
    for item in group.contents:
        if isinstance(item, kind):
            found.append(item)
        elif isinstance(item, Group):
            found += _walk(item, kind)
    return found


def _lines(drawing: Drawing) -> list[PolyLine]:
    return _walk(drawing, PolyLine)


def _strings(drawing: Drawing) -> set[str]:
    return {item.text for item in _walk(drawing, String)}


def test_steps_with_their_own_ink_or_notes_get_a_titled_diagram():
    board = _board()
    text = " ".join(pdf_text(build_pdf(board).data).split())
    assert TITLES["steps"] in text
    assert "Step 1: P02 Stakeholder Mapping" in text
    assert "Step 3: DE06 Failure Modes" in text
    assert "Step 2: DE07" not in text  # nothing of its own: no diagram
    assert "Drawn at this step: 1 ink stroke, shown on its frame. Planned 02:00–05:00." in text
    assert "Premortem: the LLM is down" in text

    framed = step_drawing(board, board.steps[0], 400, 200)
    assert isinstance(framed, ClippedDrawing)  # the frame's outside stays off the page
    assert [line for line in _lines(framed.drawing) if line.strokeColor == colors.HexColor(INK)]
    other = step_drawing(board, board.steps[2], 400, 200)  # another step: not step 1's ink
    assert not [line for line in _lines(other) if line.strokeColor == colors.HexColor(INK)]


def test_with_the_annotations_layer_off_no_step_ink_and_no_section():
    board = _board(annotations_on=False)
    assert build_steps(Context(board, "", 480, 700, 700, 480)) == []  # the handout leaves the section out
    assert build_steps(Context(_board(), "", 480, 700, 700, 480))
    framed = step_drawing(board, board.steps[0], 400, 200)
    assert not [line for line in _lines(framed.drawing) if line.strokeColor == colors.HexColor(INK)]


def test_a_step_frame_fills_its_drawing_and_no_legend_covers_its_bottom(streamflow, streamflow_pages):
    """The legend lies under the system topology diagram; a step's diagram is its frame, edge to
    edge, in the frame's shape (issue 10: the legend used to cover the frame's bottom)."""
    assert "Legend" in _strings(topology_drawing(streamflow, 700, 480))
    context = Context(streamflow, "", 480, 700, 700, 480)
    for step in streamflow.steps:
        frame = step.frame
        assert frame is not None
        width, height = step_size(step, context.frame_width, context.frame_height * MAX_HEIGHT)
        assert width <= context.frame_width + 1e-9
        assert height <= context.frame_height * MAX_HEIGHT + 1e-9
        assert height / width == pytest.approx(frame.height / frame.width)
        diagram = TopologyDiagram(streamflow, width, height, True, step.id, frame, legend=False)
        assert diagram.frame.point(frame.x, frame.y) == pytest.approx((0.0, height))  # top left
        assert diagram.frame.point(frame.x + frame.width, frame.y + frame.height) == pytest.approx((width, 0.0))
        drawn = step_drawing(streamflow, step, width, height)
        assert isinstance(drawn, ClippedDrawing)
        assert "Legend" not in _strings(drawn.drawing)
        assert (drawn.width, drawn.height) == (width, height)
    text = " ".join(" ".join(streamflow_pages).split())
    assert "in the symbols of the legend under the system topology diagram" in text
