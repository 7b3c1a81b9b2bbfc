"""The topology diagram is vector art drawn from the board."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.export.diagram import topology_drawing
from models.document import BoardDocument
from models.entities import Edge, Node


def _images(page) -> list[str]:
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    return [name for name, ref in xobjects.items() if ref.get_object().get("/Subtype") == "/Image"]


def test_diagram_page_is_vector(streamflow_handout):
    reader = PdfReader(io.BytesIO(streamflow_handout.data))
    pages = [p for p in reader.pages if "System topology" in p.extract_text()[:200]]
    assert len(pages) == 1
    page = pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height), "the diagram page is landscape"
    assert _images(page) == []
    text = page.extract_text()
    for label in ("Recommendation", "LLM Service", "Vector DB", "Retry loop"):
        assert label in text
    assert all(_images(p) == [] for p in reader.pages)


def _strings(drawing) -> list[str]:
    found = []
    stack = [drawing]
    while stack:
        item = stack.pop()
        if hasattr(item, "contents"):
            stack.extend(item.contents)
        elif hasattr(item, "text"):
            found.append(item.text)
    return found


def test_diagram_is_built_from_the_board(streamflow):
    drawing = topology_drawing(streamflow, 760, 450)
    strings = " ".join(_strings(drawing))
    for node in streamflow.nodes:
        assert node.label.split()[0] in strings
    for loop in streamflow.loops:
        assert loop.name in strings
    assert "max 1,000" in strings
    assert "max 500" in strings


def test_opposite_edges_are_drawn_apart():
    document = BoardDocument(
        nodes=(Node(id="a", label="A", x=0, y=0), Node(id="b", label="B", x=400, y=0)),
        edges=(Edge(id="ab", source="a", target="b"), Edge(id="ba", source="b", target="a")),
    )
    from app.export.diagram import TopologyDiagram

    diagram = TopologyDiagram(document, 600, 300)
    forward = diagram._edge_ends(document.edges[0])
    back = diagram._edge_ends(document.edges[1])
    assert abs(forward[0][1] - back[1][1]) > 3, "the two arrows share no line"


def test_empty_board_draws():
    drawing = topology_drawing(BoardDocument(), 500, 300)
    assert drawing.width == 500


def test_annotations_are_drawn_when_their_layer_is_on(streamflow):
    from models.entities import Annotation

    notes = (Annotation(id="s", kind="sticky", x=1150, y=560, text="Fix the LLM timeout first"),
             Annotation(id="i", kind="ink", points=((600, 250), (700, 230)), color="#D32F2F"))
    shown = streamflow.model_copy(update={"annotations": notes})
    assert "Fix the LLM timeout first" in " ".join(_strings(topology_drawing(shown, 760, 450)))
    hidden = shown.model_copy(update={"layers": shown.layers.model_copy(update={"annotations": False})})
    assert "Fix the LLM timeout first" not in " ".join(_strings(topology_drawing(hidden, 760, 450)))
