"""The topology diagram as vector art, drawn from the board like the canvas.

Nodes are rounded boxes with their kind and label in their health colours;
edges are arrows (dashed when dashed, thicker on the critical path), two
opposite edges between one pair are drawn apart; cascade paths are separate
red, orange or dashed arrows beside the edges; queues are small stacks of
bars with their depth limit (dashed when missing); feedback loops are
circular arrows with their R/B sign. The board is scaled to fit the frame.
Node positions are taken as box centres, as on the canvas.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, PolyLine, Rect
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from app.export import shapes
from app.export.fonts import SANS_BOLD, string_width
from app.export.styles import (
    CASCADE,
    CRITICAL,
    EDGE,
    HEALTH_BORDER,
    HEALTH_FILL,
    INK,
    LOOP,
    MUTED,
    QUEUE,
    RULE,
    WHITE,
)
from app.labels import LabelInput, LabelLayout, loop_centre, place_labels
from app.visual import CASCADE_W, CRITICAL_W, EDGE_W, HEALTH_W, KIND_NAMES, NODE_H, NODE_W
from models.document import BoardDocument
from models.entities import Annotation, Edge, Loop, Node, Step
from models.entities import Frame as Crop
from models.presenting import exported_annotations

LEGEND_H = 46.0
STICKY = (170.0, 110.0)
TEXT_W = 320.0
"""Sticky notes and text annotations, in board units, as the canvas draws them."""


@dataclass(frozen=True)
class Frame:
    """Board → page transform: scale, then flip y so the board reads top-down."""

    scale: float
    min_x: float
    max_y: float
    offset_x: float
    offset_y: float

    def point(self, x: float, y: float) -> shapes.Point:
        return (self.offset_x + (x - self.min_x) * self.scale, self.offset_y + (self.max_y - y) * self.scale)


def _loop_centre(loop: Loop, nodes: dict[str, Node]) -> tuple[float, float]:
    return loop_centre(loop, {n.id: (n.x, n.y) for n in nodes.values()})


class PdfMetrics:
    """The handout's text measure for the label placement (``app.labels``), in board units:
    reportlab's ``stringWidth`` of the shipped DejaVu at the diagram's sizes, and the pills
    ``shapes.label_box`` draws around them."""

    SIZES: ClassVar[dict[str, float]] = {"edge": 10.0, "cascade": 9.5, "loop": 10.0, "flow": 9.5, "hop": 9.5,
                                         "queue": 9.5}

    def __init__(self, diagram: TopologyDiagram) -> None:
        self.unit = diagram.unit
        self.sizes = {role: diagram.pt(size) for role, size in self.SIZES.items()}
        self.scale = self.sizes["edge"] / (10.0 * self.unit)

    def width(self, text: str, role: str) -> float:
        return string_width(text, self.sizes[role]) / self.unit

    def box(self, lines: Sequence[str], role: str) -> tuple[float, float]:
        size = self.sizes[role]
        width = max((string_width(line, size) for line in lines), default=0.0) + 2 * size * 0.55
        return width / self.unit, (size * 1.2 * len(lines) + size * 0.35) / self.unit


def _fit(document: BoardDocument, width: float, height: float, legend_h: float, step: str | None = None,
         crop: Crop | None = None) -> Frame:
    nodes = {n.id: n for n in document.nodes}
    xs: list[float] = []
    ys: list[float] = []
    if crop is not None:  # a step's frame: that rectangle of the board fills the drawing
        xs, ys = [crop.x, crop.x + crop.width], [crop.y, crop.y + crop.height]
    for node in document.nodes if crop is None else ():
        xs += [node.x - NODE_W / 2, node.x + NODE_W / 2]
        ys += [node.y - NODE_H / 2, node.y + NODE_H / 2]
    for loop in document.loops if crop is None else ():
        x, y = _loop_centre(loop, nodes)
        xs += [x - 40, x + 40]
        ys += [y - 30, y + 50]
    for note in _shown_annotations(document, step) if crop is None else ():
        if note.kind in ("ink", "highlight"):
            xs += [p[0] for p in note.points]
            ys += [p[1] for p in note.points]
        else:
            note_w, note_h = STICKY if note.kind == "sticky" else (TEXT_W, 30.0)
            xs += [note.x, note.x + note_w]
            ys += [note.y, note.y + note_h]
    if not xs:
        xs, ys = [0.0, NODE_W], [0.0, NODE_H]
    pad = 24.0 if crop is None else 0.0
    min_x, max_x = min(xs) - pad, max(xs) + pad
    min_y, max_y = min(ys) - pad, max(ys) + pad
    usable_h = height - legend_h
    scale = min(width / (max_x - min_x), usable_h / (max_y - min_y))
    drawn_w, drawn_h = (max_x - min_x) * scale, (max_y - min_y) * scale
    return Frame(scale, min_x, max_y, (width - drawn_w) / 2, legend_h + (usable_h - drawn_h) / 2)


def _shown_annotations(document: BoardDocument, step: str | None = None) -> tuple[Annotation, ...]:
    """The annotations drawn: those of no step, and step ``step``'s; none with the annotations layer off."""
    return exported_annotations(document.annotations, step) if document.layers.annotations else ()


def _border_point(centre: shapes.Point, toward: shapes.Point, half_w: float, half_h: float) -> shapes.Point:
    """Where the line from a box's centre toward a point leaves the box."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    if dx == 0 and dy == 0:
        return centre
    factor = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return centre[0] + dx * factor, centre[1] + dy * factor


def _segment(a: shapes.Point, b: shapes.Point, offset: float, half_w: float,
             half_h: float) -> tuple[shapes.Point, shapes.Point]:
    """The visible part of a connection between two boxes, shifted sideways by ``offset``."""
    length = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
    nx, ny = -(b[1] - a[1]) / length * offset, (b[0] - a[0]) / length * offset
    a2, b2 = (a[0] + nx, a[1] + ny), (b[0] + nx, b[1] + ny)
    return _border_point(a2, b2, half_w, half_h), _border_point(b2, a2, half_w, half_h)


class TopologyDiagram:
    """Builds the ``Drawing`` for one board at one size."""

    def __init__(self, document: BoardDocument, width: float, height: float, detail: bool = True,
                 step: str | None = None, crop: Crop | None = None, legend: bool = True) -> None:
        self.document = document
        self.width = width
        self.height = height
        self.detail = detail
        self.legend = detail and legend
        self.annotations = _shown_annotations(document, step)
        self.frame = _fit(document, width, height, LEGEND_H if self.legend else 0.0, step, crop)
        self.unit = self.frame.scale  # one board unit in points
        self.nodes = {n.id: n for n in document.nodes}
        self.centres = {n.id: self.frame.point(n.x, n.y) for n in document.nodes}
        self.half_w = NODE_W / 2 * self.unit
        self.half_h = NODE_H / 2 * self.unit
        pairs = {(e.source, e.target) for e in document.edges}
        self.two_way = {pair for pair in pairs if (pair[1], pair[0]) in pairs}
        self.queued_edges = {q.edge for q in document.queues if q.edge is not None}
        self.labels = self._place_labels()

    def _place_labels(self) -> LabelLayout:
        """Every label's place, by the same routine as the canvas (``app.labels``), measured
        with the handout's fonts. The two opposite edges between a pair are drawn apart.
        Without ``detail`` only the queues' limits are drawn, so only they are placed (beside
        their glyph by default, "unbounded" ran over the Vector DB on the summary page)."""
        document = self.document
        bends = {e.id: (-7.0 if e.source < e.target else 7.0) if (e.source, e.target) in self.two_way else 0.0
                 for e in document.edges}
        edges = document.edges if self.detail else tuple(e.model_copy(update={"label": ""}) for e in document.edges)
        data = LabelInput(centres={n.id: (n.x, n.y) for n in document.nodes}, edges=edges,
                          queues=document.queues, loops=document.loops, cascades=document.cascades,
                          annotations=self.annotations, bends=bends)
        layout = place_labels(data, PdfMetrics(self))
        if not self.detail:  # loop and cascade names are not drawn: they take no room either
            layout.placed = {key: placed for key, placed in layout.placed.items() if key[0] == "queue"}
        return layout

    def _label_centre(self, kind: str, entity_id: str) -> tuple[shapes.Point, tuple[str, ...]] | None:
        placed = self.labels.get((kind, entity_id, 0))
        if placed is None:
            return None
        return self.frame.point(*placed.box.centre), placed.lines

    def build(self) -> Drawing:
        drawing = shapes.new_drawing(self.width, self.height)
        drawing.add(Rect(0, 0, self.width, self.height, fillColor=WHITE, strokeColor=RULE, strokeWidth=0.5))
        edge_layer, label_layer = Group(), Group()
        for edge in self.document.edges:
            self._edge(edge, edge_layer, label_layer)
        drawing.add(edge_layer)
        drawing.add(self._cascades())
        for node in self.document.nodes:
            drawing.add(self._node(node))
        drawing.add(label_layer)
        drawing.add(self._queues())
        drawing.add(self._loops())
        drawing.add(self._annotations())
        if self.legend:
            drawing.add(self._legend())
        return drawing

    def pt(self, board_size: float, floor: float = 5.0) -> float:
        """A text size: ``board_size`` board units, raised toward ``floor`` points when tiny.

        Text may grow up to 60 % beyond the scale so labels stay legible on
        paper; on very large boards it keeps to the scale and stays inside its box.
        """
        scaled = board_size * self.unit
        return max(scaled, min(floor, scaled * 1.6))

    # --- edges ----------------------------------------------------------

    def _edge_ends(self, edge: Edge, extra: float = 0.0) -> tuple[shapes.Point, shapes.Point]:
        offset = 7.0 * self.unit if (edge.source, edge.target) in self.two_way else 0.0
        return _segment(self.centres[edge.source], self.centres[edge.target], offset + extra,
                        self.half_w, self.half_h)

    def line_width(self, board_width: float) -> float:
        return board_width * max(self.unit, 0.3)

    def _edge(self, edge: Edge, lines: Group, labels: Group) -> None:
        start, end = self._edge_ends(edge)
        critical = "critical" in edge.marks
        width = self.line_width(CRITICAL_W if critical else EDGE_W)
        color = CRITICAL if critical else EDGE
        dashed = edge.style == "dashed" or "missing_queue" in edge.marks
        pattern = ([4.0, 2.5] if critical else [6.0, 4.0]) if dashed else None
        lines.add(shapes.arrow(start, end, color, width, dash=pattern, head=11 * self.unit))
        placed = self._label_centre("edge", edge.id)
        if placed is not None and self.unit >= 0.25:
            (mx, my), lines = placed
            labels.add(shapes.label_box(mx, my, list(lines), self.pt(10.0), INK, WHITE,
                                        border=colors.Color(color.red, color.green, color.blue, alpha=0.35)))

    def _queue_limit(self, depth_limit: int | None) -> str:
        return "unbounded" if depth_limit is None else f"max {depth_limit:,}"

    def _cascades(self) -> Group:
        group = Group()
        names = Group()
        for index, cascade in enumerate(self.document.cascades):
            color = CASCADE[cascade.style]
            shift = (22.0 + 9.0 * (index % 4)) * self.unit
            segments = [
                _segment(self.centres[a], self.centres[b], -shift, self.half_w, self.half_h)
                for a, b in zip(cascade.path, cascade.path[1:], strict=False)
                if a in self.centres and b in self.centres and self.centres[a] != self.centres[b]
            ]
            for start, end in segments:
                group.add(shapes.arrow(start, end, color, self.line_width(CASCADE_W),
                                       dash=[3.0, 2.0] if cascade.style == "dashed" else None, head=11 * self.unit))
            placed = self._label_centre("cascade", cascade.id) if segments else None
            if placed is not None:
                (x, y), lines = placed
                names.add(shapes.label_box(x, y, list(lines), self.pt(9.5), color, WHITE, border=color))
        group.add(names)
        return group

    # --- nodes ----------------------------------------------------------

    def _node(self, node: Node) -> Group:
        cx, cy = self.centres[node.id]
        group = Group()
        radius = 8 * self.unit
        health = node.health if self.document.layers.health else "none"
        width = self.line_width(HEALTH_W[health])
        inset = width / 2
        group.add(Rect(cx - self.half_w + inset, cy - self.half_h + inset, 2 * (self.half_w - inset),
                       2 * (self.half_h - inset), rx=radius, ry=radius, fillColor=HEALTH_FILL[health],
                       strokeColor=HEALTH_BORDER[health], strokeWidth=width))
        kind_size = min(self.pt(9.0, 4.0), 10.0 * self.unit)
        group.add(shapes.text(cx - self.half_w + 9 * self.unit, cy + self.half_h - 4 * self.unit - kind_size,
                              KIND_NAMES[node.kind].upper(), kind_size, MUTED, anchor="start"))
        if health != "none":
            group.add(shapes.badge(cx + self.half_w - 3 * self.unit, cy + self.half_h - 3 * self.unit, health,
                                   self.unit, HEALTH_BORDER[health]))
        size = min(self.pt(12.5, 6.5), 17.0 * self.unit)  # kind and two lines still fit the box
        room = 2 * self.half_w - 12 * self.unit
        widest = max((string_width(word, size, SANS_BOLD) for word in node.label.split()), default=0.0)
        if widest > room:  # a long word shrinks the label rather than losing letters
            size = max(size * room / widest, size * 0.7)
        lines = shapes.wrap(node.label, size, room, 2, SANS_BOLD)
        middle = cy - kind_size * 0.55
        top = middle + (len(lines) - 1) * size * 1.15 / 2
        for index, line in enumerate(lines):
            group.add(shapes.text(cx, top - index * size * 1.15 - size * 0.35, line, size, INK, base=SANS_BOLD))
        return group

    # --- queues and loops -------------------------------------------------

    def _queues(self) -> Group:
        group = Group()
        edges = {e.id: e for e in self.document.edges}
        slots: dict[str, int] = {}
        for queue in self.document.queues:
            limit = self._queue_limit(queue.depth_limit)
            place = queue.node or queue.edge or ""
            slot = slots.get(place, 0)
            slots[place] = slot + 1
            if queue.node is not None and queue.node in self.centres:
                # along the node's bottom edge, as on the canvas
                x, y = self.frame.point(self.nodes[queue.node].x - NODE_W / 2 + 22 + slot * 96,
                                        self.nodes[queue.node].y + NODE_H / 2 + 12)
            elif queue.edge is not None and queue.edge in edges:
                start, end = self._edge_ends(edges[queue.edge])
                # the glyph and its pill together centred on the line, clear of both boxes
                # as on the canvas: the middle of the line, a little past it beside a label
                length = math.hypot(end[0] - start[0], end[1] - start[1]) or 1.0
                past = 10 * self.unit if edges[queue.edge].label and length / self.unit > 150 else 0.0
                at = (length / 2 + past) / length
                x = start[0] + (end[0] - start[0]) * at
                y = start[1] + (end[1] - start[1]) * at - 22 * slot * self.unit
            else:
                continue
            glyph = self.labels.fixed.get(("queue-glyph", queue.id, 0))
            if glyph is not None:  # where the label placement put it (the same as above, on the shared line)
                x, y = self.frame.point(*glyph.centre)
            placed = self._label_centre("queue", queue.id)
            group.add(shapes.queue_glyph(x, y, self.unit, QUEUE, not queue.exists, limit, WHITE,
                                         label_size=self.pt(9.5), label_at=placed[0] if placed else None))
        return group

    def _loops(self) -> Group:
        group = Group()
        for loop in self.document.loops:
            x, y = self.frame.point(*_loop_centre(loop, self.nodes))
            sign = "R" if loop.kind == "reinforcing" else "B"
            placed = self._label_centre("loop", loop.id)
            group.add(shapes.loop_glyph(x, y, 17.0 * self.unit, LOOP[loop.kind], sign, "", not loop.implemented, WHITE))
            if placed is not None:
                (name_x, name_y), lines = placed
                color = LOOP[loop.kind]
                group.add(shapes.label_box(name_x, name_y, list(lines), self.pt(10.0), color, WHITE,
                                           border=colors.Color(color.red, color.green, color.blue, alpha=0.55)))
        return group

    # --- annotations --------------------------------------------------------

    def _annotations(self) -> Group:
        group = Group()
        for note in self.annotations:
            color = colors.HexColor(note.color)
            if note.kind in ("ink", "highlight"):
                if len(note.points) < 2:
                    continue
                points = [self.frame.point(x, y) for x, y in note.points]
                highlight = note.kind == "highlight"
                line = PolyLine(shapes.polyline_points(points), strokeColor=color, fillColor=None,
                                strokeWidth=note.width * (4 if highlight else 1) * self.unit,
                                strokeOpacity=0.43 if highlight else 1.0, strokeLineCap=1, strokeLineJoin=1)
                group.add(line)
                continue
            left, top = self.frame.point(note.x, note.y)
            written = max(12.0, note.width) if note.kind == "text" and note.step is not None else 12.0  # ink text
            size = self.pt(written, 5.0)
            if note.kind == "sticky":
                width, height = STICKY[0] * self.unit, STICKY[1] * self.unit
                group.add(Rect(left, top - height, width, height, fillColor=color,
                               strokeColor=colors.Color(color.red * 0.77, color.green * 0.77, color.blue * 0.77),
                               strokeWidth=0.6))
                lines = shapes.wrap(note.text, size, width - 16 * self.unit, max(1, int(height / (size * 1.2)) - 1))
                text_left, text_color = left + 8 * self.unit, INK
            else:
                lines = shapes.wrap(note.text, size, TEXT_W * written / 12.0 * self.unit, 6)
                text_left, text_color = left, color if note.step is not None else INK  # ink text keeps its colour
            for index, line_text in enumerate(lines):
                group.add(shapes.text(text_left, top - 8 * self.unit - size * (1 + 1.2 * index), line_text, size,
                                      text_color, anchor="start"))
        return group

    # --- legend -----------------------------------------------------------

    def _legend(self) -> Group:
        group = Group()
        size = 7.0
        y1, y2 = LEGEND_H - 16, LEGEND_H - 34
        x = 10.0

        def swatch(health: str, name: str) -> None:
            nonlocal x
            group.add(Rect(x, y1 - 2, 16, 10, rx=2, ry=2, fillColor=HEALTH_FILL[health],
                           strokeColor=HEALTH_BORDER[health], strokeWidth=HEALTH_W[health] * 0.5))
            group.add(shapes.text(x + 20, y1, name, size, INK, anchor="start"))
            x += 26 + string_width(name, size)

        def line(color: Color, width: float, dashed: bool, name: str, row: float) -> None:
            nonlocal x
            group.add(shapes.arrow((x, row + 2.5), (x + 26, row + 2.5), color, width,
                                   dash=[3.0, 2.0] if dashed else None, head=5))
            group.add(shapes.text(x + 30, row, name, size, INK, anchor="start"))
            x += 38 + string_width(name, size)

        group.add(shapes.text(x, y1, "Legend", size, INK, base=SANS_BOLD, anchor="start"))
        x += 40
        swatch("none", "healthy")
        swatch("yellow", "strained")
        swatch("red", "bottleneck")
        line(EDGE, 0.8, False, "call", y1)
        line(EDGE, 0.8, True, "dashed call", y1)
        line(CRITICAL, 1.6, False, "critical path", y1)
        x = 50.0
        line(CASCADE["red"], 1.3, False, "cascade", y2)
        line(CASCADE["orange"], 1.3, False, "cascade (secondary)", y2)
        line(CASCADE["dashed"], 1.3, True, "cascade (feedback)", y2)
        group.add(shapes.queue_glyph(x + 8, y2 + 3, 0.45, QUEUE, False, "queue, depth limit", WHITE, label_size=size))
        x += 100
        group.add(shapes.queue_glyph(x + 8, y2 + 3, 0.45, QUEUE, True, "missing queue", WHITE, label_size=size))
        x += 86
        group.add(shapes.loop_glyph(x + 8, y2 + 4, 7, LOOP["reinforcing"], "R", "", False, WHITE))
        group.add(shapes.text(x + 19, y2, "reinforcing", size, INK, anchor="start"))
        x += 70
        group.add(shapes.loop_glyph(x + 8, y2 + 4, 7, LOOP["balancing"], "B", "", False, WHITE))
        group.add(shapes.text(x + 19, y2, "balancing (dashed: not implemented)", size, INK, anchor="start"))
        natural = x + 19 + string_width("balancing (dashed: not implemented)", size) + 8
        if natural > self.width - 8:
            factor = (self.width - 8) / natural
            group.transform = (factor, 0, 0, factor, 4 * (1 - factor), (LEGEND_H / 2) * (1 - factor))
        framed = Group(group)
        framed.add(Rect(4, 4, self.width - 8, LEGEND_H - 8, fillColor=None, strokeColor=RULE, strokeWidth=0.5))
        return framed


def topology_drawing(document: BoardDocument, width: float, height: float, detail: bool = True) -> Drawing:
    """The board's topology diagram, scaled to fit ``width`` × ``height`` points.

    Without ``detail`` (a thumbnail) it leaves out the legend, edge labels and loop names.
    """
    return TopologyDiagram(document, width, height, detail).build()


class ClippedDrawing(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A drawing that paints nothing outside its own rectangle: a step's frame shows part of the
    board, and what lies beyond the frame must not spill onto the page around it."""

    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        path = canvas.beginPath()
        path.rect(-1, -1, self.width + 2, self.height + 2)  # the border line whole
        canvas.clipPath(path, stroke=0, fill=0)
        renderPDF.draw(self.drawing, canvas, 0, 0)
        canvas.restoreState()


def step_drawing(document: BoardDocument, step: Step, width: float, height: float) -> Flowable:
    """Step ``step`` as its pictures show it: its frame (the whole board without one), drawn with
    the annotations of no step and the step's own (``exported_annotations``), the layers as saved.

    A frame fills the drawing to its edges when ``width`` × ``height`` has the frame's shape
    (``step_size``). No legend: the system topology diagram carries it, and under a frame it
    would only take room from what the step shows (docs/recording.md, "Exports")."""
    drawing = TopologyDiagram(document, width, height, True, step.id, step.frame, legend=False).build()
    if step.frame is None:
        return drawing
    clipped = ClippedDrawing(drawing)
    clipped.hAlign = "CENTER"
    return clipped


def step_size(step: Step, width: float, max_height: float) -> tuple[float, float]:
    """The size of step ``step``'s drawing at most ``width`` × ``max_height``: its frame's shape,
    so the frame and nothing beyond it fills the drawing (the board's usual shape without one)."""
    frame = step.frame
    if frame is None:
        return width, min(width * 0.55, max_height)
    aspect = frame.height / frame.width
    if width * aspect <= max_height:
        return width, width * aspect
    return max_height / aspect, max_height
