"""Kept ink is in PNG, SVG and PDF exports while the annotations layer is on, and
nowhere when it is off."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from reportlab.graphics.shapes import PolyLine
from reportlab.lib import colors

from app.export.diagram import topology_drawing
from app.ui.canvas.scene import BoardScene
from app.ui.render import export_rect, export_svg, render_image
from models.board import Board
from models.entities import Annotation
from models.fileformat import load_path
from models.ink import InkShape, shape_points

RED = "#E53935"


def inked(example_path, annotations_on: bool):
    document = load_path(example_path)
    arrow = Annotation(id="ink-arrow", kind="ink", points=tuple(shape_points(InkShape.ARROW, (100, -300), (400, -300),
                                                                            8)),
                       color=RED, width=8, step="step-de07")
    note = Annotation(id="ink-text", kind="text", x=100, y=-380, text="peak here", color=RED, step="step-de07")
    layers = document.layers.model_copy(update={"annotations": annotations_on})
    return document.model_copy(update={"annotations": (*document.annotations, arrow, note), "layers": layers})


def _polylines(drawing) -> list[PolyLine]:
    found, stack = [], [drawing]
    while stack:
        item = stack.pop()
        if isinstance(item, PolyLine):
            found.append(item)
        stack.extend(getattr(item, "contents", []))
    return found


@pytest.mark.parametrize("on", [True, False])
def test_kept_ink_follows_the_annotations_layer_into_png_svg_and_pdf(qapp, example_path, tmp_path, on):
    document = inked(example_path, on)
    scene = BoardScene(Board(document))
    try:
        image = render_image(scene, 1.0)
        corner = export_rect(scene).topLeft()
        at = (QPointF(250, -300) - corner).toPoint()  # on the arrow's shaft
        drawn = image.rect().contains(at) and image.pixelColor(at).red() > 200 and image.pixelColor(at).green() < 90
        assert drawn is on
        export_svg(scene, tmp_path / "board.svg")
        svg = (tmp_path / "board.svg").read_text(encoding="utf-8").lower()
        assert (RED.lower() in svg) is on
    finally:
        scene.detach()
    red = [p for p in _polylines(topology_drawing(document, 760, 450)) if p.strokeColor == colors.HexColor(RED)]
    assert len(red) == (1 if on else 0)
