"""Zoomed far out, the edges are drawn together (one item, grouped by pen), and
the canvas looks as before once zoomed back in or exported."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from app.ui.canvas.items import FAR_LOD, EdgeItem
from app.ui.canvas.scene import BoardScene
from app.ui.canvas.view import BoardView
from app.ui.editor import BoardEditor
from app.ui.selection import SelectionModel
from models.board import Board
from models.fileformat import load_path

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")]
NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


@pytest.fixture
def shown(qapp, example_path):
    board = Board(load_path(example_path))
    scene = BoardScene(board, BoardEditor(board), SelectionModel())
    view = BoardView(scene)
    view.resize(800, 500)
    view.show()
    yield scene, view
    view.close()
    scene.detach()


def edges(scene: BoardScene) -> list[EdgeItem]:
    return [i for i in scene.entity_items().values() if isinstance(i, EdgeItem)]


def grab(view: BoardView) -> QImage:
    image = QImage(800, 500, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        view.render(painter, QRectF(image.rect()), view.viewport().rect())
    finally:
        painter.end()
    return image


def test_far_out_the_edges_paint_as_one_item_and_come_back(shown):
    scene, view = shown
    centre = scene.content_rect().center()
    view.set_zoom(1.0, centre)
    near = grab(view)
    view.set_zoom(FAR_LOD / 2, centre)
    assert scene.far_edges.isVisible()
    assert all(item.flags() & NO_CONTENTS for item in edges(scene))
    far = grab(view)
    colours = {far.pixelColor(x, y).name() for x in range(0, 800, 2) for y in range(0, 500, 2)}
    assert {QColor(scene.theme.edge).name(), QColor(scene.theme.critical).name()} <= colours
    view.set_zoom(1.0, centre)
    assert not scene.far_edges.isVisible()
    assert not any(item.flags() & NO_CONTENTS for item in edges(scene))
    assert grab(view) == near


def test_exports_draw_every_edge_itself(shown):
    scene, view = shown
    view.set_zoom(FAR_LOD / 2)
    scene.printing = True
    assert not scene.far_edges.isVisible()
    assert not any(item.flags() & NO_CONTENTS for item in edges(scene))
    scene.printing = False
    assert scene.far_edges.isVisible()


def test_far_drawing_follows_edits_and_selection(shown):
    scene, view = shown
    view.set_zoom(FAR_LOD / 2)
    grab(view)
    item = edges(scene)[0]
    scene.selection.select([item.entity_id])
    grab(view)
    assert len(scene.far_edges._glows) == 1
    edge = scene.board.edge(item.entity_id)
    scene.editor.delete([edge.id])
    grab(view)
    assert not scene.far_edges._glows
    scene.editor.stack.undo()
    assert scene.item_for(edge.id).flags() & NO_CONTENTS
    grab(view)
    drawn = sum(len(straight) + len(curved) for _, straight, curved in scene.far_edges._lines)
    assert drawn == len(scene.board.edges)


def test_far_drawing_follows_a_replaced_document(shown, example_path):
    scene, view = shown
    view.set_zoom(FAR_LOD / 2, scene.content_rect().center())
    grab(view)
    document = load_path(example_path)
    scene.board.replace_document(document.__class__(nodes=document.nodes[:4], edges=()))
    grab(view)
    assert not any(straight or curved for _, straight, curved in scene.far_edges._lines)
    scene.board.replace_document(document)
    assert all(item.flags() & NO_CONTENTS for item in edges(scene))
    grab(view)
    drawn = sum(len(straight) + len(curved) for _, straight, curved in scene.far_edges._lines)
    assert drawn == len(document.edges)


def test_a_selection_far_out_repaints_where_the_edge_is_not_the_board(shown, qapp):
    """Selecting, highlighting or hovering one edge repaints around it (a whole-board repaint
    stalled a 20,000-node board for a second per step); what is drawn is what a full regroup draws."""
    scene, view = shown
    view.set_zoom(FAR_LOD / 2, scene.content_rect().center())
    grab(view)
    qapp.processEvents()  # the zoom's own repaint
    item = edges(scene)[0]
    changed: list[QRectF] = []
    scene.changed.connect(changed.extend)
    around = item.boundingRect().adjusted(-3, -3, 3, 3)
    for change in (lambda: scene.selection.select([item.entity_id]),
                   lambda: scene.set_highlight([item.entity_id], QColor("orange")),
                   lambda: scene.set_highlight([], None),
                   lambda: scene.selection.select([])):
        changed.clear()
        change()
        qapp.processEvents()
        assert changed, "nothing repainted"
        assert all(around.contains(rect) for rect in changed), (changed, around)
        incremental = grab(view)
        scene.far_edges.invalidate()  # everything regrouped from scratch draws the same
        assert grab(view) == incremental
        qapp.processEvents()  # (that full repaint)
    scene.selection.select([item.entity_id])
    grab(view)
    assert [line for _, line in scene.far_edges._glows] == [item.far_line() or item.far_path()]
