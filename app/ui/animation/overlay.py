"""Lay a simulation frame over the canvas, and take it off again.

``SimulationOverlay.apply(frame)`` colours nodes and edges through the
scene's overlay hook (``BoardScene.set_overlays``), adds the decoration items
and the wavefront, and sets the clock; ``apply(None)`` removes all of it, so
the board looks exactly as before. Nothing here touches the board.
"""

from __future__ import annotations

import functools
import itertools
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, QTimer
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

from app.labels import Box, LabelKey, OverlayPlacer
from app.sim.view import FrameView, NodeLook
from app.ui.animation import look as lk
from app.ui.animation.clock import ClockBadge
from app.ui.animation.items import (
    BADGE_AT,
    COARSE_LOD,
    NODE_RECT,
    NUMBER_R,
    WAVE_SIDE,
    EdgeDecoration,
    FarNodeLooks,
    NodeDecoration,
    NodeGlow,
    WaveArrow,
    WavefrontItem,
    badge_size,
    edge_items,
    edge_pill_size,
    node_items,
    queue_bar_centre,
    queue_bar_size,
    rank_size,
    shows_queue_bar,
)
from app.ui.canvas.geometry import offset_segment
from app.ui.canvas.items import BoardItem, NodeItem
from app.ui.canvas.marks import AnnotationItem, CascadeItem, LoopItem, QueueItem
from app.ui.canvas.style import Overlay

if TYPE_CHECKING:
    from app.ui.canvas.scene import BoardScene

DOTS_INTERVAL_MS = 40
"""The moving dots advance 25 times a second while a run is shown."""
FLASH_FADE_S = 0.6
FINE_S = 0.1
"""Live counters, gauges and dots redraw at most this often (see ``_flush``)."""
COARSE_S = 0.2
"""Zoomed far out, the board's look changes at most this often (see ``_flush``): the nodes' and
the edges' looks in turn, each half of it after the other (``_apply_half``)."""
HALVES = ("nodes", "edges")
MAX_ANIMATED_EDGES = 150
"""With more busy edges in sight, the dots stand still (zoom in to see them move)."""
RUN_CACHED = (NodeItem, LoopItem, QueueItem, AnnotationItem, CascadeItem)
"""Items drawn from a pixmap while a run is shown (``SimulationOverlay._build``)."""
ANALYST_CASCADE_OPACITY = 0.18
"""The analyst's drawn cascade arrows fade while the simulated wavefront shows."""
WAVE_SIDES = (WAVE_SIDE, -WAVE_SIDE, 2 * WAVE_SIDE, -2 * WAVE_SIDE, 3 * WAVE_SIDE, -3 * WAVE_SIDE)
"""The sides of the line between two red nodes a wavefront arrow may run along, nearest first."""
ALONG = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82)
"""Where along its arrow a step number may sit, the middle first."""
BADGE_SHIFTS = (0.0, 12.0, -12.0, 24.0, -24.0, 40.0, -40.0, 80.0, -80.0)
"""How far sideways a badge over its node (or over its queue bar) may slide, nearest first."""
NUMBER_SHIFTS = (0.0, 7.0, 12.0)
"""How far a step number may sit off its arrow's line (away from the edge), still touching it."""
LABEL_KINDS = ("edge", "queue", "cascade", "loop", "flow", "hop")
"""The labels the canvas draws under a run's flashes and dots (``_under_edge``)."""


def _qrect(box: Box) -> QRectF:
    return QRectF(box.left, box.top, box.width, box.height)


@functools.cache
def node_overlay(health: str) -> Overlay:
    if health in lk.HEALTH_FILL:
        return Overlay(fill=lk.HEALTH_FILL[health], border=lk.HEALTH_BORDER[health],
                       width=4.0 if health == "red" else 3.0, hide_marks=True)
    return Overlay(border=lk.IDLE_BORDER, width=1.5, hide_marks=True)


@functools.cache
def edge_overlay(colour: str, width: float) -> Overlay:
    return Overlay(border=colour, width=width, dashed=False)


IDLE_EDGE = Overlay(border=lk.IDLE_BORDER, width=1.4)


HEALTH_RANK = {"red": 3, "yellow": 2, "green": 1}
WORTH_NAMING_QUEUE = 0.5
WORTH_NAMING_ERRORS = 0.01
"""A green node is named on the HUD only with its queue this full or this share of errors."""


def worst_node(frame: FrameView) -> str | None:
    """The node in the worst state: by health, then how full its queue is, then its error share."""
    def badness(item: tuple[str, NodeLook]) -> tuple[int, float, float]:
        look = item[1]
        return (HEALTH_RANK.get(look.health, 0), lk.queue_share(look.queue_length, look.queue_limit),
                look.err_ps / max(look.rps, 1e-9))
    if not frame.nodes:
        return None
    worst = max(frame.nodes.items(), key=badness)  # the first of equals, as a stable sort's first
    health, queue, errors = badness(worst)
    troubled = health >= HEALTH_RANK["yellow"] or queue >= WORTH_NAMING_QUEUE or errors >= WORTH_NAMING_ERRORS
    return worst[0] if troubled else None


def health_line(frame: FrameView, name_of: Callable[[str], str]) -> tuple[str, str]:
    """``("errors 12.4 % · worst: Recommendation Engine, queue 990/1000", "red")``: the system's
    health for the HUD and its level (the worst node's health), so the clock's phase word is
    never read as the system's state."""
    worst = worst_node(frame)
    errors = f"errors {frame.overall.error_rate * 100:.1f} %"
    if worst is None:
        return f"{errors} · all nodes healthy", "green"
    look = frame.nodes[worst]
    detail = []
    if look.queue_limit is not None and look.queue_length > 0:
        detail.append(f"queue {look.queue_length}/{look.queue_limit}")
    elif look.queue_length > 0:
        detail.append(f"queue {look.queue_length}")
    if look.err_ps > 0:
        detail.append(f"{lk.rate_text(look.err_ps)} err/s")
    if not detail:
        detail.append(f"{round(look.utilisation * 100)} % busy")
    level = look.health if look.health in HEALTH_RANK else "green"
    if level == "green" and frame.overall.error_rate >= 0.01:
        level = "yellow"
    return f"{errors} · worst: {name_of(worst)}, {', '.join(detail)}", level


class SimulationOverlay(QObject):
    """Everything a shown frame adds to one scene (and, if given, one view's clock)."""

    def __init__(self, scene: BoardScene, view: QGraphicsView | None = None, animate: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scene = scene
        self.view = view
        self.frame: FrameView | None = None
        self._nodes: dict[str, tuple[NodeGlow, NodeDecoration]] = {}
        self._edges: dict[str, EdgeDecoration] = {}
        self._wave: WavefrontItem | None = None
        self._far: tuple[FarNodeLooks, FarNodeLooks] | None = None
        self._overlaid: set[str] = set()
        self._applied: dict[str, Overlay | None] = {}
        self._edge_styles: dict[str, tuple[str, float]] = {}
        self._held: dict[str, Overlay | None] = {}
        self._stale: list[QGraphicsItem] = []
        self._held_until = 0.0
        self._pending: FrameView | None = None
        self._halves: dict[str, FrameView | None] = dict.fromkeys(HALVES)
        """Zoomed far out during a run: the frame each half of the look was last worked out from."""
        self._next_half = HALVES[0]
        self._styled: dict[str, object] = {}
        self._placer: OverlayPlacer | None = None
        """Where the badges and pills go, clear of the labels (``_place_overlays``)."""
        """The look each edge's overlay was last worked out from."""
        """A frame whose looks wait for the next flush (zoomed far out, see ``apply``)."""
        self._cache_modes: dict[str, QGraphicsItem.CacheMode] = {}
        self._update_mode: QGraphicsView.ViewportUpdateMode | None = None
        self._node_overlay_cache: dict[str, Overlay] = {}
        self.clock = ClockBadge(view) if view is not None else None
        self._timer = QTimer(self)
        self._timer.setInterval(DOTS_INTERVAL_MS)
        self._timer.timeout.connect(self._tick)
        self._animate = animate
        self._last_tick = time.monotonic()
        self._coarse = False
        self._partial = False
        """Built while the scene was still building a big board's items (``BoardScene.building``):
        the items that came later get their decorations when the build ends (``_scene_built``)."""
        scene.build_progress.connect(self._scene_built)

    @property
    def active(self) -> bool:
        return self.frame is not None

    # --- applying ---------------------------------------------------------------

    def apply(self, frame: FrameView | None) -> None:
        if frame is None:
            self.clear()
            return
        if self.frame is None:
            self._build()
        self.frame = frame
        coarse = self._follow_zoom()
        if coarse and self._animate:
            # far out the board's look changes at most every ``COARSE_S`` (``_flush``): walking
            # every node and edge for a frame that cannot show yet is wasted; the newest waits
            # for the next due flush (here or in ``_tick``), and only the flashes start now
            self._pending = frame
            self._flash(frame)
            if time.monotonic() >= self._held_until:
                self._apply_half(coarse)
        else:
            self._pending = None
            self._apply_looks(frame, coarse)
        assert self._wave is not None
        self._wave.set_state(frame.red_order, frame.t, self._centres)
        if self.clock is not None:
            self.clock.set_text(frame.label, self.clock_sub(frame), frame.phase,
                                *health_line(frame, self.node_label))
            self.clock.show()
            self.clock.raise_()

    def _flash(self, frame: FrameView) -> None:
        """Start the flash of each edge with 429s or timeouts in ``frame`` (looks of the
        rest wait for the next flush)."""
        for edge_id, edge_look in frame.edges.items():
            if edge_look.limited_ps > 0 or edge_look.timeouts_ps > 0:
                edge_deco = self._edges.get(edge_id)
                if edge_deco is not None and edge_deco.set_look(edge_look, True, repaint=False):
                    self._stale.append(edge_deco)

    def _apply_half(self, coarse: bool) -> None:
        """Zoomed far out: work out one half of the board's look (the nodes', then the edges')
        from the newest frame; the other half follows at the next due flush. Walking, restyling
        and repainting a big board's nodes and edges at once held the window for longer than a
        frame of video (docs/recording.md, "Performance"); each half is about half of that."""
        frame = self._pending
        if frame is None:
            return
        half = self._next_half
        if self._halves[half] is frame:
            half = HALVES[1 - HALVES.index(half)]
        self._halves[half] = frame
        self._next_half = HALVES[1 - HALVES.index(half)]
        if all(seen is frame for seen in self._halves.values()):
            self._pending = None
        self._apply_looks(frame, coarse, nodes=half == "nodes", edges=half == "edges")

    def _apply_looks(self, frame: FrameView, coarse: bool, nodes: bool = True, edges: bool = True) -> None:
        """Give every node (``nodes``) and edge (``edges``) its look in ``frame`` and lay the
        changed overlays (held while far out, see ``_flush``)."""
        overlays: dict[str, Overlay | None] = {}
        live = self._animate  # an export draws every frame in full
        if self._placer is None or self._placer.layout is not self.scene.label_layout():
            self._place_overlays(frame)  # the labels moved (or the run starts): badges and pills follow
        placed = self._placer.placed if self._placer is not None else {}
        for node_id, (glow, deco) in self._nodes.items() if nodes else ():
            node_look = frame.nodes.get(node_id)
            if node_look is deco.look and node_id in self._applied:
                continue  # the same look object: nothing changed (see ViewBuilder)
            if shows_queue_bar(node_look) and ("queue-bar", node_id, 0) not in placed:
                self._place_bar(node_id, deco)  # a queue grew where none was: its bar finds room now
            if glow.set_look(node_look, repaint=not coarse):
                self._stale.append(glow)
            if deco.set_look(node_look, coarse, repaint=not live):
                self._stale.append(deco)
            overlays[node_id] = node_overlay(node_look.health if node_look else "idle")
        styled = self._styled
        sticky = lk.FAR_STICKY if coarse else lk.STICKY
        for edge_id, edge_deco in self._edges.items() if edges else ():
            edge_look = frame.edges.get(edge_id)
            if edge_id in styled and styled[edge_id] is edge_look:
                continue  # the same look object: nothing changed (a flash may have taken it already)
            styled[edge_id] = edge_look
            if edge_deco.set_look(edge_look, coarse, repaint=not live):
                self._stale.append(edge_deco)
            if edge_look is None:
                overlays[edge_id] = IDLE_EDGE
            else:
                style = lk.sticky_edge_style(edge_look.flow_ps, edge_look.flow_err_ps, self._edge_styles.get(edge_id),
                                             sticky)
                self._edge_styles[edge_id] = style
                overlays[edge_id] = edge_overlay(*style)
        applied = self._applied
        changed = {i: o for i, o in overlays.items() if applied.get(i) is not o}
        if coarse:
            self._held.update(changed)
            changed = {}
        changed.update(self._flush(coarse))
        if changed:
            self.scene.set_overlays(changed)
            applied.update(changed)
            self._overlaid.update(changed)

    def _flush(self, coarse: bool) -> dict[str, Overlay | None]:
        """Repaint the decorations whose numbers changed, at most every ``FINE_S`` (numbers
        that change faster cannot be read anyway); zoomed far out, change the whole look
        at most every ``COARSE_S``, since scattered small updates add up to repainting a
        big board. Returns the held overlays due now."""
        now = time.monotonic()
        if now < self._held_until or not (self._stale or self._held):
            return {}
        due, self._held = self._held, {}
        for item in self._stale:
            item.update()
        if coarse and self._stale and self._far is not None:
            for far in self._far:  # the parts are hidden: their batch shows the change
                far.invalidate(self._stale)
        self._stale.clear()
        self._held_until = now + (COARSE_S / len(HALVES) if coarse and self._animate else FINE_S)
        return due

    def _follow_zoom(self) -> bool:
        """Is the view zoomed out below ``COARSE_LOD``? Tells the edge decorations when that
        flips, and swaps the nodes' glows and decorations for the two ``FarNodeLooks``."""
        coarse = self.view is not None and self.view.transform().m11() < COARSE_LOD
        if coarse != self._coarse:
            self._coarse = coarse
            for deco in self._edges.values():
                deco.set_coarse(coarse)
            for glow, node_deco in self._nodes.values():
                glow.setVisible(not coarse)
                node_deco.setVisible(not coarse)
            if self._far is not None:
                for far in self._far:
                    far.setVisible(coarse)
                    if coarse:
                        far.fit()
        return coarse

    # --- badges and pills clear of the labels (app/labels.py, ``OverlayPlacer``) ----------

    def _place_overlays(self, frame: FrameView | None = None) -> None:
        """A placer over the scene's label layout; the queue bar of each node that shows one in
        ``frame`` (else its present look) placed (under the node unless a label, such as its own
        queue's depth, is there), then every node's badge (above the node unless a label or its
        bar is there); every node's gauge then as an obstacle for the edges' pills, placed when
        first shown (``_place_pill``), like the bar of a queue that grows later (``_place_bar``),
        and the wavefront's arrows, numbers and ranks (``_place_wave_arrow``, ``_place_rank``).

        A bar is placed only once shown: a box kept for every node's bar, most of which a run
        never shows, pushed badges a hundred pixels from their nodes."""
        items = self._entity_items()

        def shown(key: LabelKey) -> bool:
            item = items.get(key[1])
            return item is None or item.isVisible()

        placer = self._placer = OverlayPlacer(self.scene.label_layout(), shown)
        for node_id, (_glow, deco) in self._nodes.items():
            look = frame.nodes.get(node_id) if frame is not None else deco.look
            if shows_queue_bar(look):
                self._place_bar(node_id, deco)
        w, h = badge_size()
        bar_bottom = queue_bar_centre().y() + queue_bar_size()[1] / 2  # where an unplaced bar would end
        # Above the node, a badge grown by the presentation scale keeps the left end and the
        # bottom it has at 1x and grows right and up: centred, it reached under the node's gauge,
        # which hid its first figures (at 1x the gauge covers only the pill's rounded end)
        w1, h1 = badge_size(scaled=False)
        home = QPointF(BADGE_AT.x() - w1 / 2 + w / 2, BADGE_AT.y() + h1 / 2 - h / 2)
        for node_id, (_glow, deco) in self._nodes.items():
            at = deco.pos()
            x, y = at.x(), at.y()
            top, bottom = NODE_RECT.top(), NODE_RECT.bottom()
            half_w = NODE_RECT.width() / 2
            bar = placer.placed.get(("queue-bar", node_id, 0))
            under = bar.bottom if bar is not None else y + bar_bottom
            higher = min(y + top - h - 8, bar.top - 3 - h / 2) if bar is not None else y + top - h - 8
            candidates = [
                (x + home.x(), y + home.y()),  # above, as always
                *((x + home.x() + dx, higher) for dx in BADGE_SHIFTS),  # over the bar if it is there
                (x + half_w + 4 + w / 2, y + top + h / 2),  # beside, at the top right
                (x, under + 4 + h / 2),  # under the queue bar (or where it would be)
                (x + half_w + 4 + w / 2, y + bottom - h / 2),
                (x - half_w - 4 - w / 2, y + bottom - h / 2),
            ]
            box = placer.place(("badge", node_id, 0), (w, h), candidates)
            deco.set_badge_at(QPointF(*box.centre) - at)
        obstacles = []
        for _glow, deco in self._nodes.values():
            r = lk.RING_RADIUS + 2
            ring = QPointF(NODE_RECT.left() - 2, NODE_RECT.top() + 2) + deco.pos()
            obstacles.append(Box(ring.x() - r, ring.y() - r, 2 * r, 2 * r))
        placer.add_obstacles(obstacles)  # after the badges: a node's gauge is drawn over its own badge's end
        for edge_deco in self._edges.values():
            edge_deco.forget_pills()
            edge_deco.forget_under(self._under_edge)
        if self._wave is not None:
            self._wave.place_again()

    def _place_bar(self, node_id: str, deco: NodeDecoration) -> None:
        """Node ``node_id``'s queue bar: under it, else over it, else lower (past its queues' labels)."""
        placer = self._ensure_placer()
        bar_w, bar_h = queue_bar_size()  # grown with the presentation scale
        home = queue_bar_centre()
        at = deco.pos()
        x, y = at.x() + home.x(), at.y() + home.y()
        down = [(x, y + step * (bar_h + 3)) for step in range(3)]  # under, lower, past the node's queues
        up = (x + 10, at.y() + NODE_RECT.top() - 4 - bar_h / 2)  # over the node, clear of its gauge
        box = placer.place(("queue-bar", node_id, 0), (bar_w, bar_h), [down[0], up, *down[1:]], stay=True)
        deco.set_bar_at(QPointF(*box.centre) - at)

    def _ensure_placer(self) -> OverlayPlacer:
        if self._placer is None:
            self._place_overlays()
        assert self._placer is not None
        return self._placer

    def _under_edge(self, deco: EdgeDecoration) -> list[QRectF]:
        """The labels an edge's line passes under (its own among them): its flash and its dots
        leave them out, so a run never covers a label's text."""
        placer = self._ensure_placer()
        item = deco.edge_item
        points = [item.point_at(i / 16) for i in range(17)]
        found: dict[LabelKey, Box] = {}
        for a, b in itertools.pairwise(points):
            found.update(placer.crossed((a.x(), a.y()), (b.x(), b.y())))
        return [_qrect(box) for key, box in found.items() if key[0] in LABEL_KINDS]

    def _place_wave_arrow(self, a_id: str, b_id: str, a: QPointF, b: QPointF) -> WaveArrow:
        """The arrow from red node ``a_id`` to the next, ``b_id``: on the side of the line between
        them that passes under the fewest labels and marks, its number on it where nothing is."""
        placer = self._ensure_placer()
        pair = f"{a_id}>{b_id}"
        candidates = []
        for side in WAVE_SIDES:
            start, end = offset_segment(a, b, side)
            candidates.append(((start.x(), start.y()), (end.x(), end.y())))
        route = placer.route(("wave", pair, 0), candidates, self._wave_skip(a_id, b_id))
        (sx, sy), (ex, ey) = route
        side = WAVE_SIDES[candidates.index(route)] if route in candidates else WAVE_SIDE
        length = math.hypot(ex - sx, ey - sy) or 1.0
        away = (-(ey - sy) / length * math.copysign(1.0, side), (ex - sx) / length * math.copysign(1.0, side))
        size = 2 * NUMBER_R - 4  # a fresh number grows over what is beside it for a few seconds
        along = [(sx + (ex - sx) * t + away[0] * shift, sy + (ey - sy) * t + away[1] * shift)
                 for shift in NUMBER_SHIFTS for t in ALONG]  # on the arrow, or just off it, away from the edge
        box = placer.place(("wave-step", pair, 0), (size, size), along, stay=True)
        return WaveArrow(QPointF(sx, sy), QPointF(ex, ey), QPointF(*box.centre))

    @staticmethod
    def _wave_skip(a_id: str, b_id: str) -> list[LabelKey]:
        return [("node", a_id, 0), ("node", b_id, 0), ("wave-step", f"{a_id}>{b_id}", 0)]

    def _place_rank(self, node_id: str, centre: QPointF) -> QPointF:
        """A red node's rank (``#2``): beside its bottom right corner unless something is there."""
        w, h = rank_size()
        x, y = centre.x(), centre.y()
        right, left = x + NODE_RECT.right() + 2 + w / 2, x + NODE_RECT.left() - 2 - w / 2
        low, high = y + NODE_RECT.bottom() - h / 2, y + NODE_RECT.top() + h / 2
        under = y + NODE_RECT.bottom() + 3 + h / 2
        candidates = [(right, low), (left, low), (right, high), (right, y), (left, y),
                      (x + NODE_RECT.right() - w / 2, under), (x + NODE_RECT.left() + w / 2, under)]
        box = self._ensure_placer().place(("wave-rank", node_id, 0), (w, h), candidates, stay=True)
        return QPointF(*box.centre)

    def _under_wave(self, a_id: str, b_id: str, arrow: WaveArrow) -> list[QRectF]:
        """What the arrow from ``a_id`` to ``b_id`` passes under: every label, mark and box it crosses."""
        crossed = self._ensure_placer().crossed((arrow.start.x(), arrow.start.y()), (arrow.end.x(), arrow.end.y()),
                                                self._wave_skip(a_id, b_id))
        return [_qrect(box) for box in crossed.values()]

    def _place_pill(self, deco: EdgeDecoration, kind: str) -> QRectF:
        """The box of an edge's pill (``kind``: ``breaker`` or a form of the flash, see
        ``WIDEST_PILL``): near its usual place on the edge, clear of the labels, badges and
        other pills."""
        placer = self._ensure_placer()
        item = deco.edge_item
        size = edge_pill_size(kind)
        along: tuple[float, ...]
        shifts: tuple[float, ...]
        if kind != "breaker":  # over the line a third of the way along, as always, else nearby
            along, shifts = (0.3, 0.4, 0.2, 0.5, 0.6, 0.7, 0.8), (-16.0, 16.0, -30.0, 30.0, -44.0, 44.0)
        else:  # under its middle
            along, shifts = (0.5, 0.6, 0.4, 0.7, 0.3), (22.0, -22.0, 36.0, -36.0, 50.0, -50.0)
        candidates = []
        for shift in shifts:
            for t in along:
                point = item.point_at(t)
                candidates.append((point.x(), point.y() + shift))
        box = placer.place((kind, deco.edge_id, 0), size, candidates)
        if self._wave is not None and self._wave.arrows:
            self._wave.update()  # an arrow over the new pill passes under it
        return _qrect(box)

    def node_label(self, node_id: str) -> str:
        board = self.scene.board
        return str(board.node(node_id).label) if board.is_node(node_id) else node_id

    @staticmethod
    def clock_sub(frame: FrameView) -> str:
        total = f" of {frame.duration_s:.0f}" if frame.duration_s else ""
        return f"simulated t = {frame.t:.0f} s{total}"

    def _centres(self) -> dict[str, QPointF]:
        return {node_id: item.pos() for node_id, item in node_items(self.scene).items()}

    def _scene_built(self, done: int, total: int) -> None:
        """A chunked build ended while a run was shown: build the overlay again over every item."""
        if done == total and self._partial and self.frame is not None:
            frame = self.frame
            self.clear()
            self.apply(frame)

    def _build(self) -> None:
        scene = self.scene
        self._partial = scene.building
        if self.view is not None:
            # a frame changes many small items all over the board: one bounding rectangle
            # repaints faster than a region of hundreds of rectangles (each item clipped to it)
            self._update_mode = self.view.viewportUpdateMode()
            self.view.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)
        for entity_id, entity_item in self._entity_items().items():
            # the dots and counters repaint around the board's own drawing many times a second:
            # keep the nodes and the small marks in pixmaps meanwhile, so that costs a blit
            # (edges, flows and stages span the board: their pixmaps would be big; the analyst's
            # cascades are faded and few)
            if isinstance(entity_item, RUN_CACHED):
                self._cache_modes[entity_id] = entity_item.cacheMode()
                entity_item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        for node_id, item in node_items(scene).items():
            glow, deco = NodeGlow(node_id), NodeDecoration(node_id)
            for part in (glow, deco):
                part.setPos(item.pos())
                scene.addItem(part)
            self._nodes[node_id] = (glow, deco)
        for edge_id, edge_item in edge_items(scene).items():
            edge_deco = EdgeDecoration(edge_item)
            edge_deco.placer = self._place_pill
            scene.addItem(edge_deco)
            self._edges[edge_id] = edge_deco
        parts = list(self._nodes.values())
        self._far = (FarNodeLooks(lambda: [glow for glow, _ in parts], glows=True),
                     FarNodeLooks(lambda: [deco for _, deco in parts], glows=False))
        for far in self._far:
            far.setVisible(False)  # until the view is zoomed far out (``_follow_zoom``)
            scene.addItem(far)
        self._wave = WavefrontItem()
        self._wave.placer, self._wave.ranker, self._wave.under = \
            self._place_wave_arrow, self._place_rank, self._under_wave
        scene.addItem(self._wave)
        fade: dict[str, Overlay | None] = {
            i: Overlay(opacity=ANALYST_CASCADE_OPACITY)
            for i, item in self._entity_items().items() if isinstance(item, CascadeItem)
        }
        scene.set_overlays(fade)
        self._overlaid.update(fade)
        if self._animate:
            self._last_tick = time.monotonic()
            self._timer.start()

    def _entity_items(self) -> dict[str, BoardItem]:
        return self.scene.entity_items()

    def _tick(self) -> None:
        """Move the dots on the edges in sight (zoomed far out, or on a crowded view, they
        rest), and repaint what a paused run still owes."""
        coarse = self._follow_zoom()
        if self._pending is not None and time.monotonic() >= self._held_until:
            if coarse:
                self._apply_half(coarse)
            else:  # zoomed in since: the whole look at once
                pending, self._pending = self._pending, None
                self._apply_looks(pending, coarse)
        due = self._flush(coarse)
        if due:
            self.scene.set_overlays(due)
            self._applied.update(due)
            self._overlaid.update(due)
        now = time.monotonic()
        fade = (now - self._last_tick) / FLASH_FADE_S
        self._last_tick = now
        if coarse:  # from afar only the flashes fade; the dots rest
            busy = [d for d in self._edges.values() if d.flash > 0]
        else:
            busy = [d for d in self._edges.values() if d.flash > 0 or d.moving]
        if self.view is not None:
            visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
            busy = [d for d in busy if d.sceneBoundingRect().intersects(visible)]
        if len(busy) > MAX_ANIMATED_EDGES:
            busy = [d for d in busy if d.flash > 0][:MAX_ANIMATED_EDGES]
        for deco in busy:
            deco.advance_to(now, fade)

    def set_phase(self, wall_s: float) -> None:
        """Place the dots as at ``wall_s`` (exports step this themselves)."""
        for deco in self._edges.values():
            deco.advance_to(wall_s, 0.0)

    # --- clearing -----------------------------------------------------------------

    def clear(self) -> None:
        """Take everything off: the scene shows the board as it is."""
        self._timer.stop()
        if self.view is not None and self._update_mode is not None:
            # first: the view adds the repaints below to the pending rectangle of its present
            # mode, and flushes by the mode it has when it paints; switched after them, the
            # bounding rectangle they went to is dropped unpainted (rings left on screen)
            self.view.setViewportUpdateMode(self._update_mode)
            self._update_mode = None
        scene = self.scene
        parts: list[QGraphicsItem] = [part for pair in self._nodes.values() for part in pair]
        parts.extend(self._edges.values())
        parts.extend(item for item in (self._wave, *(self._far or ())) if item is not None)
        for part in parts:
            # Qt repaints a removed item where a view last painted it, and a cached item
            # painted through the bounding-rectangle update mode is not always recorded
            # there: without this, arcs of the rings and halos stay on screen after a run
            if part.isVisible():
                scene.update(part.sceneBoundingRect())
            scene.removeItem(part)
        self._far = None
        self._nodes.clear()
        self._edges.clear()
        self._coarse = False
        self._wave = None
        scene.set_overlays(dict.fromkeys(self._overlaid))
        self._overlaid.clear()
        self._applied.clear()
        self._edge_styles.clear()
        self._held.clear()
        self._stale.clear()
        self._pending = None
        self._halves = dict.fromkeys(HALVES)
        self._styled.clear()
        self._placer = None
        items = self._entity_items()
        for entity_id, mode in self._cache_modes.items():
            item = items.get(entity_id)
            if item is not None:
                item.setCacheMode(mode)
        self._cache_modes.clear()
        self.frame = None
        if self.clock is not None:
            self.clock.hide()
