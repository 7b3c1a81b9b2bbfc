"""Kept ink is in its step's PNG and SVG pictures while the annotations layer is on, and
nowhere when it is off; a picture of the whole board (PNG, SVG, the PDF diagram) draws
only the annotations of no step, so the notes of ten steps never pile up in one picture."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF
from reportlab.graphics.shapes import PolyLine
from reportlab.lib import colors

from app.export.diagram import topology_drawing
from app.ui.canvas.scene import BoardScene
from app.ui.render import export_svg, render_image
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


AROUND_ARROW = QRectF(0, -420, 600, 200)
ON_SHAFT = QPointF(250, -300)


def red_on_shaft(scene, step) -> bool:
    image = render_image(scene, 1.0, crop=AROUND_ARROW, step=step)
    colour = image.pixelColor((ON_SHAFT - AROUND_ARROW.topLeft()).toPoint())
    return colour.red() > 200 and colour.green() < 90


@pytest.mark.parametrize("on", [True, False])
def test_kept_ink_follows_the_annotations_layer_into_its_steps_png_and_svg(qapp, example_path, tmp_path, on):
    document = inked(example_path, on)
    scene = BoardScene(Board(document))
    try:
        assert red_on_shaft(scene, "step-de07") is on
        assert not red_on_shaft(scene, None)
        assert not red_on_shaft(scene, "step-p02")
        export_svg(scene, tmp_path / "step.svg", step="step-de07")
        assert (RED.lower() in (tmp_path / "step.svg").read_text(encoding="utf-8").lower()) is on
        export_svg(scene, tmp_path / "board.svg")
        assert RED.lower() not in (tmp_path / "board.svg").read_text(encoding="utf-8").lower()
        export_svg(scene, tmp_path / "other.svg", step="step-p02")
        assert RED.lower() not in (tmp_path / "other.svg").read_text(encoding="utf-8").lower()
        assert all(item.isVisible() is on for i, item in scene.entity_items().items() if i.startswith("ink-"))
    finally:
        scene.detach()
    red = [p for p in _polylines(topology_drawing(document, 760, 450)) if p.strokeColor == colors.HexColor(RED)]
    assert red == []  # the PDF's diagram is of the whole board
