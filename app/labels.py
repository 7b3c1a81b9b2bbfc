"""Where every label beside the diagram goes: one placement for the canvas, PNG/SVG and the PDF.

Edge labels, queue depths, cascade names, loop names, flow names and a flow's
hop pills are placed together so that no two of them overlap and none covers a
node, a queue, a loop's circle, a stage's title or a sticky note (docs/export.md, "Label
placement"). The routine is plain geometry in board units and knows no toolkit:
each medium passes its own text metrics (``TextMetrics``: ``QFontMetricsF`` on
the canvas, reportlab's ``stringWidth`` in the PDF), so a box is as large as the
text drawn in it, at any presentation scale.

Every label has an anchor and a list of candidate positions in order of
preference (an edge's label slides along its line, then steps beside it; a
loop's name sits under, over or beside its circle…). A label takes the first
candidate that overlaps nothing already placed and crosses the fewest other
lines; when every candidate is taken it searches outward in rings. Positions
are computed for every layer at once, so stepping through a case study (which
shows and hides layers) never moves a label and never makes two collide.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.visual import NODE_H, NODE_W, wrap_words
from models.entities import Annotation, Cascade, Edge, Flow, Loop, Queue, Stage

Point = tuple[float, float]
LabelKey = tuple[str, str, int]
"""(kind, entity id, index): ``("edge", "e1", 0)``, ``("hop", "f1", 2)``…"""

EDGE_BEND = 26.0
"""How far apart two edges between the same pair of nodes are bent (board units)."""
EDGE_LABEL_W = 170.0
"""The widest an edge label grows at scale 1 before it wraps (board units)."""
EDGE_LABEL_LINES = 3
QUEUE_W, QUEUE_H = 34.0, 18.0
LOOP_RADIUS = 17.0
CASCADE_OFFSET, CASCADE_STEP = 22.0, 9.0
"""How far beside the edges cascade arrows run: the first, and each next one."""
NODE_MARGIN = 2.0
"""Labels keep this far from a node's box (its border and badges)."""
GAP = 2.0
"""Labels keep this far from one another."""
GAUGE_R = 17.0
"""The reach of a run's utilisation gauge round a node's top-left corner (the ring's radius and
its outline, ``app.ui.animation.look.RING_RADIUS`` + 2): labels keep off it, so a run never
draws one over a label ("content metadata" under the Content Service's at 1.5×)."""
ROLES = ("edge", "cascade", "loop", "flow", "hop", "queue")


class TextMetrics(Protocol):
    """A medium's text measure, in board units (``role`` is one of ``ROLES``)."""

    @property
    def scale(self) -> float:
        """How much larger text is drawn than at 1:1 (the presentation scale; a PDF's legibility floor)."""
        ...

    def width(self, text: str, role: str) -> float:
        """The advance of one line of ``text``."""
        ...

    def box(self, lines: Sequence[str], role: str) -> tuple[float, float]:
        """The width and height of the pill or box the medium draws around ``lines``."""
        ...


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in board units (y grows downward, as on the canvas)."""

    left: float
    top: float
    width: float
    height: float

    @classmethod
    def around(cls, centre: Point, width: float, height: float) -> Box:
        return cls(centre[0] - width / 2, centre[1] - height / 2, width, height)

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def centre(self) -> Point:
        return self.left + self.width / 2, self.top + self.height / 2

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.top - by, self.width + 2 * by, self.height + 2 * by)

    def overlap(self, other: Box) -> float:
        """The area both cover (0 when they only touch)."""
        w = min(self.left + self.width, other.left + other.width) - max(self.left, other.left)
        if w <= 0:
            return 0.0
        h = min(self.top + self.height, other.top + other.height) - max(self.top, other.top)
        return w * h if h > 0 else 0.0

    def crosses(self, a: Point, b: Point) -> bool:
        """Does the segment a–b pass through the box (Liang–Barsky clipping)?"""
        t0, t1 = 0.0, 1.0
        dx, dy = b[0] - a[0], b[1] - a[1]
        for p, q in ((-dx, a[0] - self.left), (dx, self.right - a[0]), (-dy, a[1] - self.top),
                     (dy, self.bottom - a[1])):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
        return True


@dataclass(frozen=True)
class Placed:
    """A placed label: its box and the lines of text drawn centred in it."""

    key: LabelKey
    box: Box
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class LabelLayout:
    """The outcome: the placed labels, and the fixed things they were placed around."""

    placed: dict[LabelKey, Placed] = field(default_factory=dict)
    fixed: dict[LabelKey, Box] = field(default_factory=dict)
    """Node boxes (``node``), the corners a run's gauges take (``gauge``), queue glyphs
    (``queue-glyph``), loop circles (``loop-glyph``), stage titles (``stage``) and sticky notes
    (``note``)."""

    def get(self, key: LabelKey) -> Placed | None:
        return self.placed.get(key)

    def collisions(self, keys: Iterable[LabelKey] | None = None) -> list[tuple[LabelKey, LabelKey]]:
        """Pairs of boxes that overlap: a label with a label, a node, a queue glyph or a loop circle;
        only among ``keys`` (what is visible) when given. Empty when all is well."""
        wanted = None if keys is None else set(keys)
        boxes = [(key, p.box) for key, p in self.placed.items()]
        boxes += [(key, box) for key, box in self.fixed.items() if key[0] in _FIXED]
        if wanted is not None:
            boxes = [(key, box) for key, box in boxes if key in wanted]
        found = []
        for (key_a, a), (key_b, b) in itertools.combinations(boxes, 2):
            if key_a[0] in _FIXED and key_b[0] in _FIXED:
                continue  # where the analyst put nodes, queues and loops is the drawing, not a label
            if a.overlap(b) > 0.5:
                found.append((key_a, key_b))
        return found


_FIXED = ("node", "queue-glyph", "loop-glyph")


@dataclass(frozen=True)
class LabelInput:
    """What the placement reads: the entities, and where the nodes are now (a drag moves
    them before the board knows). ``bends`` are the canvas's edge bends; by default each edge
    between a pair of nodes that has siblings is bent apart as the canvas does."""

    centres: Mapping[str, Point]
    edges: Sequence[Edge] = ()
    queues: Sequence[Queue] = ()
    loops: Sequence[Loop] = ()
    cascades: Sequence[Cascade] = ()
    flows: Sequence[Flow] = ()
    stages: Sequence[Stage] = ()
    annotations: Sequence[Annotation] = ()
    bends: Mapping[str, float] | None = None


# --- geometry shared with the canvas (app/ui/canvas/geometry.py draws the same lines) ----------


def border_point(centre: Point, toward: Point, gap: float = 3.0) -> Point:
    """Where the line from a node's centre toward a point leaves its box (plus ``gap``)."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    if dx == 0 and dy == 0:
        return centre
    factor = 1.0 / max(abs(dx) / (NODE_W / 2 + gap), abs(dy) / (NODE_H / 2 + gap))
    return centre[0] + dx * factor, centre[1] + dy * factor


def _normal(a: Point, b: Point) -> Point:
    length = math.hypot(b[0] - a[0], b[1] - a[1])
    if length < 1e-9:
        return 0.0, -1.0
    return -(b[1] - a[1]) / length, (b[0] - a[0]) / length


def edge_bends(edges: Sequence[Edge]) -> dict[str, float]:
    """How far each edge bends sideways: apart when several join the same two nodes."""
    def pair(edge: Edge) -> tuple[str, str]:
        return (edge.source, edge.target) if edge.source < edge.target else (edge.target, edge.source)

    pairs: dict[tuple[str, str], list[str]] = {}
    for edge in edges:
        pairs.setdefault(pair(edge), []).append(edge.id)
    bends: dict[str, float] = {}
    for edge in edges:
        siblings = pairs[pair(edge)]
        if len(siblings) < 2:
            bends[edge.id] = 0.0
            continue
        index = siblings.index(edge.id)
        offset = (index - (len(siblings) - 1) / 2) * EDGE_BEND
        if len(siblings) == 2:
            offset = EDGE_BEND / 2 if index else -EDGE_BEND / 2
        bends[edge.id] = offset if edge.source < edge.target else -offset
    return bends


def edge_polyline(a: Point, b: Point, bend: float, samples: int = 16) -> list[Point]:
    """An edge's line between two node centres: straight, or the canvas's quadratic bend."""
    if abs(bend) < 0.5:
        return [border_point(a, b), border_point(b, a)]
    n = _normal(a, b)
    control = ((a[0] + b[0]) / 2 + n[0] * 2 * bend, (a[1] + b[1]) / 2 + n[1] * 2 * bend)
    start, end = border_point(a, control), border_point(b, control)
    points = []
    for i in range(samples + 1):
        t = i / samples
        u = 1 - t
        points.append((u * u * start[0] + 2 * u * t * control[0] + t * t * end[0],
                       u * u * start[1] + 2 * u * t * control[1] + t * t * end[1]))
    return points


def polyline_length(points: Sequence[Point]) -> float:
    return sum(math.dist(p, q) for p, q in itertools.pairwise(points))


def point_along(points: Sequence[Point], distance: float) -> tuple[Point, Point]:
    """The point ``distance`` along a polyline, and the unit direction there."""
    distance = max(0.0, distance)
    for p, q in itertools.pairwise(points):
        step = math.dist(p, q)
        if step > 1e-9 and (distance <= step or q == points[-1]):
            t = min(1.0, distance / step)
            return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t), ((q[0] - p[0]) / step, (q[1] - p[1]) / step)
        distance -= step
    return points[0], (1.0, 0.0)


def cascade_segments(cascade: Cascade, centres: Mapping[str, Point], rank: int) -> list[tuple[Point, Point]]:
    """A cascade's arrows, hop by hop, ``CASCADE_OFFSET`` (plus a step per rank) beside the edges."""
    offset = CASCADE_OFFSET + CASCADE_STEP * rank
    segments = []
    for a_id, b_id in itertools.pairwise(cascade.path):
        a, b = centres.get(a_id), centres.get(b_id)
        if a is None or b is None or a == b:
            continue
        nx, ny = _normal(a, b)
        start, end = border_point(a, b, gap=8.0), border_point(b, a, gap=10.0)
        segments.append(((start[0] + nx * offset, start[1] + ny * offset),
                         (end[0] + nx * offset, end[1] + ny * offset)))
    return segments


def loop_centre(loop: Loop, centres: Mapping[str, Point]) -> Point:
    """Where a loop's circle is drawn: where the analyst put it, else among its nodes,
    just above a box when the middle falls on one."""
    if loop.x is not None and loop.y is not None:
        return loop.x, loop.y
    members = [centres[n] for n in loop.nodes if n in centres]
    if not members:
        return 0.0, 0.0
    x = sum(p[0] for p in members) / len(members)
    y = sum(p[1] for p in members) / len(members)
    for px, py in members:
        if abs(px - x) < NODE_W / 2 + 20 and abs(py - y) < NODE_H / 2 + 20:
            y = py - NODE_H / 2 - 34
    return x, y


def queue_text(queue: Queue) -> str:
    return "unbounded" if queue.depth_limit is None else f"max {queue.depth_limit:,}"


def node_queue_point(centre: Point, slot: int) -> Point:
    """Where the ``slot``-th queue of a node sits: along its bottom edge."""
    return centre[0] - NODE_W / 2 + 22 + slot * 96, centre[1] + NODE_H / 2 + 12


def edge_queue_point(line: Sequence[Point], labelled: bool) -> Point:
    """Where a queue on an edge sits: the middle, a little past it when the edge has a label."""
    length = polyline_length(line)
    return point_along(line, length / 2 + (10 if labelled and length > 150 else 0))[0]


def flow_points(flow: Flow, centres: Mapping[str, Point], rank: int) -> list[Point]:
    """A flow's route: its hops' centres, shifted so that flows sharing a node run apart."""
    dx, dy = -12.0 + 10.0 * rank, -8.0 + 8.0 * rank
    return [(c[0] + dx, c[1] + dy) for c in (centres.get(h.node) for h in flow.hops) if c is not None]


def hop_text(index: int, latency_ms: float) -> str:
    return f"{index + 1} · {latency_ms:g} ms" if latency_ms else str(index + 1)


def flow_text(flow: Flow) -> str:
    return f"{flow.name} · {sum(h.latency_ms for h in flow.hops):g} ms"


def cascade_text(cascade: Cascade) -> str:
    return f"⚡ {cascade.name}"


# --- the placement ---------------------------------------------------------------------------


class _Index:
    """Boxes and segments in a coarse grid, for the overlap and crossing tests."""

    CELL = 80.0

    def __init__(self) -> None:
        self.boxes: dict[tuple[int, int], list[tuple[LabelKey, Box]]] = {}
        self.lines: dict[tuple[int, int], list[tuple[str, Point, Point]]] = {}

    def _cells(self, left: float, top: float, right: float, bottom: float) -> Iterator[tuple[int, int]]:
        c = self.CELL
        for i in range(math.floor(left / c), math.floor(right / c) + 1):
            for j in range(math.floor(top / c), math.floor(bottom / c) + 1):
                yield i, j

    def add_box(self, key: LabelKey, box: Box) -> None:
        for cell in self._cells(box.left, box.top, box.right, box.bottom):
            self.boxes.setdefault(cell, []).append((key, box))

    def add_line(self, owner: str, a: Point, b: Point) -> None:
        if math.dist(a, b) > 4 * self.CELL:  # long lines: in pieces, so a cell holds only what is near
            pieces = math.ceil(math.dist(a, b) / (2 * self.CELL))
            points = [(a[0] + (b[0] - a[0]) * i / pieces, a[1] + (b[1] - a[1]) * i / pieces) for i in range(pieces + 1)]
            for p, q in itertools.pairwise(points):
                self.add_line(owner, p, q)
            return
        for cell in self._cells(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])):
            self.lines.setdefault(cell, []).append((owner, a, b))

    def touches(self, box: Box) -> bool:
        """Does ``box`` overlap anything here? (``overlap(box) > 0``, stopping at the first.)"""
        left, top, right, bottom = box.left, box.top, box.left + box.width, box.top + box.height
        for cell in self._cells(left, top, right, bottom):
            for _key, other in self.boxes.get(cell, ()):
                if min(right, other.left + other.width) > max(left, other.left) \
                        and min(bottom, other.top + other.height) > max(top, other.top):
                    return True
        return False

    def covered(self, box: Box) -> float:
        """The area of ``box`` that boxes here cover (counted once per box)."""
        seen: dict[LabelKey, float] = {}
        for cell in self._cells(box.left, box.top, box.right, box.bottom):
            for key, other in self.boxes.get(cell, ()):
                if key not in seen:
                    seen[key] = box.overlap(other)
        return sum(seen.values())

    def crossed(self, a: Point, b: Point) -> dict[LabelKey, Box]:
        """The boxes here that the segment a–b passes through."""
        found: dict[LabelKey, Box] = {}
        for cell in self._cells(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])):
            for key, box in self.boxes.get(cell, ()):
                if key not in found and box.crosses(a, b):
                    found[key] = box
        return found

    def crossings(self, box: Box, own: str) -> float:
        """How many other lines pass through ``box``; one drawn over the labels (a cascade's) counts
        ``STRIKE_WEIGHT`` times."""
        seen: set[str] = set()
        for cell in self._cells(box.left, box.top, box.right, box.bottom):
            for owner, a, b in self.lines.get(cell, ()):
                if owner != own and owner not in seen and box.crosses(a, b):
                    seen.add(owner)
        return sum(STRIKE_WEIGHT if owner.startswith(STRIKES) else 1.0 for owner in seen)


@dataclass
class _Request:
    key: LabelKey
    lines: tuple[str, ...]
    size: tuple[float, float]
    candidates: list[Point]
    owner: str
    """The line this label belongs to (crossing it costs nothing)."""


CROSSING_COST = 8.0
"""A label over another line costs as much as falling back eight candidates: at three, a label
sat on a neighbour's line while a clear place a little further along its own was free (its box
hides a piece of that line, which then reads as ending at the label)."""
STRIKES = ("cascade:",)
STRIKE_WEIGHT = 3.0
"""A cascade's arrow is drawn over the labels (it would strike through the text, where an edge
runs under a label's pill): a label over one costs as much as falling back nine candidates."""


RING_LOOKAHEAD = 3
"""Rings searched past the first with a free place, for a place over no other line: a label
pushed off all its candidates took the first free place even when a line ran through it
(the cascade through "similarity search · 200 ms" at a presentation scale of 1.5)."""
RINGS = 16
"""How many rings round its first candidate a label's search goes: past that a place is too far
from its line to be read as its label, and on a board too dense for its labels the search went
29 rings for each of them (4 s for 978 edge labels on 500 crowded nodes; 1.6 s now, and 0
collisions still at the usual spacing, where 12 rings left 2: ``benchmarks/bench_labels.py``)."""
STAY_REACH = 40.0
"""How far from its first candidate a mark that must ``stay`` near its place may be searched for."""


def _choose(request: _Request, index: _Index, stay: bool = False) -> Box:
    """The box for ``request``: its best free candidate, else the nearest free place in ``RINGS``
    rings around its first candidate (with ``stay`` no further than ``STAY_REACH``), else its
    least covered candidate."""
    w, h = request.size
    best: tuple[float, Box] | None = None
    for rank, centre in enumerate(request.candidates):
        box = Box.around(centre, w, h)
        if index.touches(box.grown(GAP / 2)):
            continue
        cost = rank + CROSSING_COST * index.crossings(box, request.owner)
        if best is None or cost < best[0]:
            best = (cost, box)
        if cost <= rank:  # free and over no other line: nothing later can beat it
            break
    if best is not None:
        return best[1]
    # every candidate is taken: search outward in rings around the first (with ``stay``, only
    # ``STAY_REACH`` far: then the least covered of its candidates)
    x0, y0 = request.candidates[0]
    found: tuple[float, Box] | None = None
    first = 0
    """The first ring with a free place: the search goes ``RING_LOOKAHEAD`` rings on from it
    for one over no other line (a ring further costs one)."""
    for ring in range(1, RINGS + 1):
        radius = ring * max(8.0, h * 0.75)
        if stay and radius > STAY_REACH:
            break
        if first and (ring > first + RING_LOOKAHEAD or (found is not None and found[0] <= ring - first)):
            break
        steps = 12 + 4 * ring
        for step in range(steps):
            angle = 2 * math.pi * step / steps + (math.pi / 2)
            box = Box.around((x0 + radius * math.cos(angle), y0 + radius * math.sin(angle)), w, h)
            if index.touches(box.grown(GAP / 2)):
                continue
            first = first or ring
            cost = (ring - first) + CROSSING_COST * index.crossings(box, request.owner)
            if found is None or cost < found[0]:
                found = (cost, box)
    if found is not None:
        return found[1]
    # nowhere free near it (a board too dense for its labels): the least covered of its own
    # places, rather than a far one that would be read as another line's
    return min((Box.around(centre, w, h) for centre in request.candidates), key=index.covered)


def _edge_requests(data: LabelInput, metrics: TextMetrics, lines_of: dict[str, list[Point]]) -> Iterator[_Request]:
    for edge in data.edges:
        line = lines_of.get(edge.id)
        if not edge.label or line is None:
            continue
        length = polyline_length(line)
        room = max(80.0, length - 16) if length > 1 else 80.0
        cap = EDGE_LABEL_W * metrics.scale
        if metrics.width(edge.label, "edge") <= min(room, cap):
            lines = [edge.label]
        else:
            # as wide as the gap between the boxes (never narrower than a word), at most ``cap``
            widest = max(metrics.width(word, "edge") for word in edge.label.split())
            target = min(cap, max(room, widest))
            parts = [part.strip() for part in edge.label.split(" · ")]
            if 1 < len(parts) <= EDGE_LABEL_LINES and all(metrics.width(p, "edge") <= cap for p in parts):
                lines = parts  # "similarity search · 200 ms": what, then how long
            else:
                lines = wrap_words(edge.label, target, lambda text: metrics.width(text, "edge"), EDGE_LABEL_LINES)
                lines = [_elide(line, cap, metrics) for line in lines]
        size = metrics.box(lines, "edge")
        candidates = []
        for t in (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8):
            (x, y), (ux, uy) = point_along(line, length * t)
            candidates.append((x, y))
        for t in (0.5, 0.38, 0.62, 0.28, 0.72):
            (x, y), (ux, uy) = point_along(line, length * t)
            # beside the line: far enough that the box clears it whatever the slope
            away = (size[1] * abs(ux) + size[0] * abs(uy)) / 2 + 4
            candidates += [(x - uy * away, y + ux * away), (x + uy * away, y - ux * away)]
        yield _Request(("edge", edge.id, 0), tuple(lines), size, candidates, edge.id)


def _elide(line: str, width: float, metrics: TextMetrics) -> str:
    """A line cut with "…" to ``width``: what a 10,000-character word becomes."""
    if metrics.width(line, "edge") <= width:
        return line
    while len(line) > 1 and metrics.width(line + "…", "edge") > width:
        line = line[: max(1, len(line) * 9 // 10 if len(line) > 40 else len(line) - 1)]
    return line + "…"


def _queue_request(queue: Queue, at: Point, metrics: TextMetrics) -> _Request:
    """A queue's depth pill: right of its glyph, else left, under or over it."""
    text = queue_text(queue)
    w, h = metrics.box([text], "queue")
    x, y = at
    side = QUEUE_W / 2 + 3 + w / 2
    down = QUEUE_H / 2 + h / 2 + GAP
    candidates = [(x + side, y), (x - side, y), (x, y + down), (x, y - down), (x + side, y + down),
                  (x - side, y + down), (x + side, y - down), (x - side, y - down)]
    return _Request(("queue", queue.id, 0), (text,), (w, h), candidates, queue.edge or f"queue:{queue.id}")


def _cascade_requests(data: LabelInput, metrics: TextMetrics) -> Iterator[_Request]:
    for rank, cascade in enumerate(data.cascades):
        segments = cascade_segments(cascade, data.centres, rank % 4)
        if not segments:
            continue
        text = cascade_text(cascade)
        w, h = metrics.box([text], "cascade")
        candidates = []
        for a, b in segments:
            length = math.dist(a, b) or 1.0
            ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
            for along in (min(8 + w / 2, length / 2), length / 2, length * 0.3, length * 0.7):
                x, y = a[0] + ux * along, a[1] + uy * along
                away = (h * abs(ux) + w * abs(uy)) / 2 + 3
                candidates += [(x, y), (x - uy * away, y + ux * away), (x + uy * away, y - ux * away)]
        yield _Request(("cascade", cascade.id, 0), (text,), (w, h), candidates, f"cascade:{cascade.id}")


LOOP_REACH = (0.0, 6.0, 12.0, 20.0)
"""How far past touching its circle's box a loop's name may sit, tried nearest first."""
LOOP_ANGLES = (90, 270, 0, 180, 45, 135, 315, 225, 68, 112, 292, 248, 22, 158, 338, 202)
"""Directions round a loop's circle for its name, in degrees (y downward: 90 is under it)."""


def ring_candidates(centre: Point, half: float, size: tuple[float, float], reach: Sequence[float] = LOOP_REACH,
                    angles: Sequence[int] = LOOP_ANGLES) -> list[Point]:
    """Centres for a box of ``size`` around a square of half-width ``half`` at ``centre``: for
    each distance of ``reach`` (past touching it, ``GAP`` apart) every direction of ``angles``."""
    x, y = centre
    w, h = size
    candidates = []
    for extra in reach:
        for degrees in angles:
            dx, dy = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
            # the shortest step along (dx, dy) that clears the square on one axis
            steps = [(half + side + GAP) / abs(d) for d, side in ((dx, w / 2), (dy, h / 2)) if abs(d) > 1e-9]
            step = min(steps) + extra
            candidates.append((x + dx * step, y + dy * step))
    return candidates


def _loop_requests(data: LabelInput, metrics: TextMetrics, centres: Mapping[str, Point]) -> Iterator[_Request]:
    """A loop's name right beside its circle: under, over or beside it, then round it, a few
    steps further out only when every place touching it is taken."""
    for loop in data.loops:
        w, h = metrics.box([loop.name], "loop")
        candidates = ring_candidates(centres[loop.id], LOOP_RADIUS + 4, (w, h))
        yield _Request(("loop", loop.id, 0), (loop.name,), (w, h), candidates, f"loop:{loop.id}")


def _flow_requests(data: LabelInput, metrics: TextMetrics) -> Iterator[_Request]:
    for rank, flow in enumerate(data.flows):
        points = flow_points(flow, data.centres, rank)
        hops = [h for h in flow.hops if h.node in data.centres]
        if not points:
            continue
        owner = f"flow:{flow.id}"
        text = flow_text(flow)
        w, h = metrics.box([text], "flow")
        fx, fy = points[0]
        up = NODE_H / 2 + 16 + 19 * rank
        candidates = [(fx, fy - up), (fx, fy + up), (fx, fy - up - h - 4), (fx, fy + up + h + 4),
                      (fx - NODE_W / 2 - w / 2 - 6, fy - 19 * rank), (fx + NODE_W / 2 + w / 2 + 6, fy - 19 * rank)]
        yield _Request(("flow", flow.id, 0), (text,), (w, h), candidates, owner)
        for i, (hop, centre) in enumerate(zip(hops, points, strict=False)):
            toward = points[i + 1] if i + 1 < len(points) else (points[i - 1] if i else (centre[0] + 1, centre[1]))
            hop_label = hop_text(i, hop.latency_ms)
            hw, hh = metrics.box([hop_label], "hop")
            first = border_point(centre, toward, gap=16.0) if toward != centre else centre
            candidates = [(first[0], first[1] + 19 * rank)]
            for gap in (16.0, 16.0 + hh):
                for angle in (math.radians(a) for a in range(0, 360, 45)):
                    aim = (centre[0] + math.cos(angle) * 100, centre[1] + math.sin(angle) * 100)
                    candidates.append(border_point(centre, aim, gap=gap + hw / 4))
            yield _Request(("hop", flow.id, i), (hop_label,), (hw, hh), candidates, owner)


def place_labels(data: LabelInput, metrics: TextMetrics) -> LabelLayout:
    """Place every label of ``data`` clear of one another and of the nodes (see the module's text)."""
    layout = LabelLayout()
    index = _Index()
    centres = data.centres
    bends = data.bends if data.bends is not None else edge_bends(data.edges)
    lines_of = {e.id: edge_polyline(centres[e.source], centres[e.target], bends.get(e.id, 0.0))
                for e in data.edges if e.source in centres and e.target in centres}
    loop_at = {loop.id: loop_centre(loop, centres) for loop in data.loops}

    def fix(key: LabelKey, box: Box) -> None:
        layout.fixed[key] = box
        index.add_box(key, box)

    for node_id, (x, y) in centres.items():
        fix(("node", node_id, 0), Box.around((x, y), NODE_W, NODE_H).grown(NODE_MARGIN))
        # a run's utilisation gauge sits on the node's top-left corner, half outside it
        fix(("gauge", node_id, 0), Box.around((x - NODE_W / 2 - 2, y - NODE_H / 2 + 2), 2 * GAUGE_R, 2 * GAUGE_R))
    labelled = {e.id for e in data.edges if e.label}
    requests: list[_Request] = []
    slots: dict[str, int] = {}
    for queue in data.queues:
        place = queue.node or queue.edge or ""
        slot = slots.get(place, 0)
        slots[place] = slot + 1
        if queue.node is not None and queue.node in centres:
            at = node_queue_point(centres[queue.node], slot)
        elif queue.edge is not None and queue.edge in lines_of:
            x, y = edge_queue_point(lines_of[queue.edge], queue.edge in labelled)
            at = (x, y + 22 * slot)
        else:
            continue
        fix(("queue-glyph", queue.id, 0), Box.around(at, QUEUE_W, QUEUE_H))
        requests.append(_queue_request(queue, at, metrics))
    queued = {q.edge for q in data.queues if q.edge is not None}
    for edge in data.edges:
        if "missing_queue" in edge.marks and edge.id not in queued and edge.id in lines_of:
            fix(("queue-glyph", edge.id, 1), Box.around(edge_queue_point(lines_of[edge.id], bool(edge.label)),
                                                         QUEUE_W, QUEUE_H))
    for loop_id, at in loop_at.items():
        fix(("loop-glyph", loop_id, 0), Box.around(at, 2 * LOOP_RADIUS + 8, 2 * LOOP_RADIUS + 8))
    for stage in data.stages:
        members = [centres[n] for n in stage.nodes if n in centres]
        if members:
            left = min(p[0] for p in members) - NODE_W / 2 - 14
            top = min(p[1] for p in members) - NODE_H / 2 - 30
            title_w = metrics.width(f"99. {stage.name}  ·  ∥ parallel", "flow")
            fix(("stage", stage.id, 0), Box(left + 8, top + 4, title_w + 4, 20))
    for note in data.annotations:
        if note.kind == "sticky":
            fix(("note", note.id, 0), Box(note.x, note.y, 170, 110))
    for edge_id, line in lines_of.items():
        for a, b in itertools.pairwise(line):
            index.add_line(edge_id, a, b)
    for rank, cascade in enumerate(data.cascades):
        for a, b in cascade_segments(cascade, centres, rank % 4):
            index.add_line(f"cascade:{cascade.id}", a, b)
    for rank, flow in enumerate(data.flows):
        for a, b in itertools.pairwise(flow_points(flow, centres, rank)):
            index.add_line(f"flow:{flow.id}", a, b)

    # a loop's name is read with its circle: it goes before the labels that can slide along a line
    requests += [*_loop_requests(data, metrics, loop_at), *_edge_requests(data, metrics, lines_of),
                 *_cascade_requests(data, metrics), *_flow_requests(data, metrics)]
    for request in requests:
        box = _choose(request, index)
        layout.placed[request.key] = Placed(request.key, box, request.lines)
        index.add_box(request.key, box)
    return layout


# --- a live run's badges and pills, placed around the labels (docs/recording.md, "Run overlays") --


class OverlayPlacer:
    """Places a simulation run's marks clear of every placed label, the fixed boxes of ``layout``
    (nodes, queue glyphs, loop circles, stage titles, notes), the obstacles added (the run's
    utilisation gauges) and of one another: a node's queue bar and rate badge, an edge's pill
    (429s, timeouts, breaker), and the wavefront's arrows (``route``: the side of the line
    between two nodes that crosses the fewest boxes), their step numbers and each red node's
    rank (``#2``). The labels stay where they are, so starting a run moves none of them; what
    an arrow still crosses is drawn under it (``crossed`` gives the boxes to leave out).

    Only the labels and boxes ``shown`` (all by default) take room: the run's marks keep clear of
    what the canvas shows when the run starts, not of a hidden layer's labels.

    A box is placed once per key and kept (``place``): its size is a bound on the texts it will
    show, so changing numbers never move it; a new layout (the board moved) takes a new placer."""

    def __init__(self, layout: LabelLayout, shown: Callable[[LabelKey], bool] | None = None) -> None:
        self.layout = layout
        self.placed: dict[LabelKey, Box] = {}
        self.routes: dict[LabelKey, tuple[Point, Point]] = {}
        self._index = _Index()
        self._obstacles = 0
        for key, placed in layout.placed.items():
            if shown is None or shown(key):  # a hidden layer's labels (flows, say) take no room
                self._index.add_box(key, placed.box)
        for key, box in layout.fixed.items():
            if key[0] in ("stage", "gauge") or (shown is not None and not shown(key)):
                # a stage's title lies under everything (and its layer is mostly hidden in a run);
                # the gauges are added by the overlay, after the badges, which may touch their own
                continue
            # a badge may touch its node (labels keep ``NODE_MARGIN`` off it)
            self._index.add_box(key, box.grown(-NODE_MARGIN) if key[0] == "node" else box)

    def add_obstacles(self, boxes: Iterable[Box]) -> None:
        """Boxes that what is placed from now on keeps clear of."""
        for box in boxes:
            self._index.add_box(("run-obstacle", "", self._obstacles), box)
            self._obstacles += 1

    def place(self, key: LabelKey, size: tuple[float, float], candidates: Sequence[Point], stay: bool = False) -> Box:
        """The box of ``key``: the first of ``candidates`` (centres) that overlaps nothing placed,
        else the nearest free place around the first; with ``stay`` only near it, else the
        candidate least covered (a badge or queue bar far from its node, or a step number off its
        arrow, would be read as something else's); kept for the next call."""
        box = self.placed.get(key)
        if box is None:
            box = _choose(_Request(key, (), size, list(candidates), key[1]), self._index, stay)
            self.placed[key] = box
            self._index.add_box(key, box)
        return box

    def crossed(self, a: Point, b: Point, skip: Iterable[LabelKey] = ()) -> dict[LabelKey, Box]:
        """Every box (label, fixed box, obstacle or placed mark) the segment a–b passes through,
        but those of ``skip``."""
        found = self._index.crossed(a, b)
        for key in skip:
            found.pop(key, None)
        return found

    def route(self, key: LabelKey, candidates: Sequence[tuple[Point, Point]],
              skip: Iterable[LabelKey] = ()) -> tuple[Point, Point]:
        """The segment of ``key``: the first of ``candidates`` that passes through the fewest
        boxes (but ``skip``'s), kept for the next call; later placements keep off its line."""
        segment = self.routes.get(key)
        if segment is None:
            skipped = list(skip)
            segment = min(candidates, key=lambda ab: len(self.crossed(ab[0], ab[1], skipped)))
            self.routes[key] = segment
            self._index.add_line(f"{key[0]}:{key[1]}", *segment)
        return segment
