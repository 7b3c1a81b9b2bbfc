"""What the canvas shows of one simulation frame, flattened from the engine's frame.

``ViewEncoder`` works out the looks next to the engine (in its child process,
see ``app.sim.process``) and keeps only those that changed, as plain tuples
(``FrameChanges``); ``ViewDecoder`` makes the ``FrameView`` on the worker's
thread, so the GUI thread only reads plain numbers. ``ViewBuilder`` does both in
one process. This is the only module that knows the engine frame's field names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from models.simulation.frames import Frame, Totals

HEALTHS = ("idle", "green", "yellow", "red")
"""A node's live health: ``idle`` (no traffic) then the engine's colours."""

BREAKER_STATES = ("closed", "open", "half_open")

RED_EVENT = "node_red"
FAILURE_EVENTS = ("failure_started", "failure_ended")
BREAKER_EVENTS = ("breaker_open", "breaker_half_open", "breaker_closed")


class NodeLook(NamedTuple):
    """One node at one frame: rates per second, utilisation 0..1, queue, latency.

    A named tuple rather than a frozen dataclass: a frame of the 500-node board makes and
    ships about a thousand looks, and a tuple is built from the child's plain values in a
    fraction of a dataclass's time (docs/recording.md, "Performance")."""

    health: str = "idle"
    rps: float = 0.0
    err_ps: float = 0.0
    utilisation: float = 0.0
    queue_length: int = 0
    queue_limit: int | None = None
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: tuple[tuple[str, float], ...] = ()


class EdgeLook(NamedTuple):
    """One call edge at one frame: calls and failures per second, breaker state.

    ``flow_ps`` is the calls per second smoothed over a few seconds: what the line width and
    dots show, so a trickle of traffic does not make the edge blink."""

    calls_ps: float = 0.0
    err_ps: float = 0.0
    timeouts_ps: float = 0.0
    limited_ps: float = 0.0
    breaker: str | None = None
    flow_ps: float = 0.0
    flow_err_ps: float = 0.0


@dataclass(frozen=True, slots=True)
class EventLook:
    """Something that happened: a node turned red, a breaker opened, a failure was injected."""

    t: float
    kind: str
    target: str
    text: str


@dataclass(frozen=True, slots=True)
class Overall:
    """End-to-end numbers of the frame's last second."""

    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    error_rate: float = 0.0
    goodput: float = 0.0
    rps: float = 0.0


@dataclass(frozen=True, slots=True)
class FrameView:
    """One frame as the canvas, the charts and the timeline read it.

    ``red_order`` is the cascade so far: ``(node id, time)`` in the order
    nodes first turned red (the engine's ``node_red`` events), so scrubbing
    back shows the wavefront as it was.
    """

    index: int
    t: float
    clock: str
    phase: str
    nodes: dict[str, NodeLook]
    edges: dict[str, EdgeLook]
    overall: Overall
    events: tuple[EventLook, ...] = ()
    red_order: tuple[tuple[str, float], ...] = ()
    duration_s: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """``21:14 · peak traffic`` — the clock as the canvas shows it: the phase is named as the
        traffic's, so that nobody reads "steady" as the system's health (the HUD's next line)."""
        return f"{self.clock} · {self.phase} traffic" if self.phase else self.clock


def _num(value: Any) -> float:
    return float(value) if value is not None else 0.0


def _errors(errors: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((cause, float(v)) for cause, v in errors.items() if v)) if errors else ()


def _overall_values(totals: Totals) -> tuple[float, float, float, float, float, float]:
    requests = totals.requests
    return (_num(totals.p50_ms), _num(totals.p95_ms), _num(totals.p99_ms),
            totals.failed / requests if requests > 0 else 0.0, totals.succeeded + totals.degraded, totals.offered_rps)


FLOW_SMOOTHING = 0.35
"""Weight of the newest second in the smoothed edge flow (an exponential average)."""
IDLE_HOLD_S = 4.0
"""A node that goes quiet keeps its last colour this long before it shows as idle."""
SETTLE_FRAMES = 2
"""A node's colour changes (other than to red, which shows at once) only after this
many frames in the new colour, so one noisy second does not make it blink."""

Values = tuple[Any, ...]
"""A look's fields as a plain tuple, in the look's field order."""


class FrameChanges(NamedTuple):
    """One frame as plain data, with only the looks that changed since the encoder's last
    frame: what the engine's child process sends (a few kilobytes of tuples, quick to
    pickle and unpickle), and what ``ViewDecoder`` turns back into a ``FrameView``."""

    number: int
    """The frame's index in the run."""
    t: float
    clock: str
    phase: str
    overall: tuple[float, ...]
    events: tuple[tuple[float, str, str, str], ...]
    red: tuple[tuple[str, float], ...]
    """Nodes that first turned red in this frame, with the time."""
    duration_s: float
    nodes: dict[str, Values]
    edges: dict[str, Values]
    whole: bool
    """``nodes`` and ``edges`` hold every look of the frame (the decoder drops the others)."""


class ViewEncoder:
    """Turns a run's engine frames into ``FrameChanges``, keeping the red order, smoothing
    edge flow and holding a quiet node's colour (see the constants).

    Incremental: a node or edge whose engine row is the same object as last frame's (the
    engine reuses the row of an idle node or a quiet edge) and whose look has settled is
    skipped; a look equal to the last one sent is not sent again. ``shortcuts=False``
    works every look out again and sends them all (what the tests compare with)."""

    def __init__(self, duration_s: float = 0.0, shortcuts: bool = True) -> None:
        self.duration_s = duration_s
        self.shortcuts = shortcuts
        self._index = 0
        self._seen_red: set[str] = set()
        self._nodes: dict[str, Values] = {}
        self._edges: dict[str, Values] = {}
        self._flow: dict[str, tuple[float, float]] = {}
        self._active: dict[str, tuple[str, float]] = {}
        self._settle: dict[str, tuple[str, str, int]] = {}
        self._node_rows: dict[str, object] = {}
        self._edge_rows: dict[str, object] = {}
        """Last frame's engine row per node and edge (see the class docstring)."""

    def _held_health(self, node_id: str, health: str, t: float) -> str:
        """The colour shown: a quiet node's held a while, a change settled (but red at once)."""
        if health == "idle":
            held = self._active.get(node_id)
            if held is not None and t - held[1] <= IDLE_HOLD_S:
                health = held[0]
        else:
            self._active[node_id] = (health, t)
        shown, pending, count = self._settle.get(node_id, (health, health, SETTLE_FRAMES))
        if health == shown or health == "red" or shown == "idle":
            shown, pending, count = health, health, SETTLE_FRAMES
        elif health == pending:
            count += 1
            if count >= SETTLE_FRAMES:
                shown = health
        else:
            pending, count = health, 1
        self._settle[node_id] = (shown, pending, count)
        return shown

    def _changed_nodes(self, frame: Frame) -> dict[str, Values]:
        """Each node's look from its row, its colour held and settled, written out in the loop: a frame
        of a big board has hundreds of nodes with traffic."""
        t, last, rows, shortcuts, held = frame.t, self._nodes, self._node_rows, self.shortcuts, self._held_health
        changed: dict[str, Values] = {}
        for node_id, row in frame.nodes.items():
            previous = last.get(node_id)
            if shortcuts and previous is not None and previous[0] == "idle" and rows.get(node_id) is row:
                continue  # still idle, and shown as idle: nothing to hold or settle
            rows[node_id] = row
            health, errors, p50, p99 = row.health, row.errors, row.p50_ms, row.p99_ms
            values = (held(node_id, "idle" if health == "none" else health, t), row.arrivals, sum(errors.values()),
                      min(1.0, max(0.0, row.utilisation)), row.queue, row.queue_limit,
                      float(p50) if p50 is not None else 0.0, float(p99) if p99 is not None else 0.0,
                      _errors(errors))
            if values != previous or not shortcuts:
                last[node_id] = changed[node_id] = values
        return changed

    def _changed_edges(self, frame: Frame) -> dict[str, Values]:
        """Each edge's look, its flow smoothed (``FLOW_SMOOTHING``), written out in the loop: a
        frame of a big board smooths hundreds of edges."""
        last, rows, shortcuts, flows, a = self._edges, self._edge_rows, self.shortcuts, self._flow, FLOW_SMOOTHING
        changed: dict[str, Values] = {}
        for edge_id, row in frame.edges.items():
            previous = last.get(edge_id)
            if shortcuts and previous is not None and previous[5] == 0.0 and previous[6] == 0.0 \
                    and rows.get(edge_id) is row:
                continue  # still quiet, and its smoothed flow has died down
            rows[edge_id] = row
            calls, errors = row.calls, row.errors
            flow, err = flows.get(edge_id, (calls, errors))
            flow, err = flow + a * (calls - flow), err + a * (errors - err)
            if flow < 0.05:
                flow = err = 0.0
            flows[edge_id] = (flow, err)
            breaker = row.breaker
            values = (calls, errors, row.timeouts, row.rate_limited, None if breaker in ("", "none") else breaker,
                      round(flow, 2), round(err, 2))
            if values != previous or not shortcuts:
                last[edge_id] = changed[edge_id] = values
        return changed

    def __call__(self, frame: Frame) -> FrameChanges:
        nodes, edges = self._changed_nodes(frame), self._changed_edges(frame)
        whole = not self.shortcuts
        if len(self._nodes) != len(frame.nodes) or len(self._edges) != len(frame.edges):
            # ids went away (not in one engine run, but a fake's frames may do it): send every look
            whole = True
            self._nodes = {k: self._nodes[k] for k in frame.nodes}
            self._edges = {k: self._edges[k] for k in frame.edges}
        if whole:
            nodes, edges = dict(self._nodes), dict(self._edges)
        events = tuple((e.t, e.kind, e.target, e.text) for e in frame.events)
        red = []
        for t, kind, target, _ in events:
            if kind == RED_EVENT and target not in self._seen_red:
                self._seen_red.add(target)
                red.append((target, t))
        changes = FrameChanges(self._index, frame.t, frame.clock, frame.phase, _overall_values(frame.totals), events,
                               tuple(red), self.duration_s, nodes, edges, whole)
        self._index += 1
        return changes


class ViewDecoder:
    """Turns ``FrameChanges`` back into ``FrameView`` objects: a look that did not change is
    the same object as in the last frame, so the canvas and the history share it and the
    canvas skips it by identity."""

    def __init__(self) -> None:
        self.last: FrameView | None = None
        self._red: list[tuple[str, float]] = []

    def __call__(self, changes: FrameChanges) -> FrameView:
        last = self.last
        if last is None or changes.whole:
            nodes = _kept(last.nodes if last is not None else {}, changes.nodes, NodeLook._make)
            edges = _kept(last.edges if last is not None else {}, changes.edges, EdgeLook._make)
        else:
            nodes, edges = last.nodes.copy(), last.edges.copy()
            make_node, make_edge = NodeLook._make, EdgeLook._make
            for node_id, values in changes.nodes.items():
                nodes[node_id] = make_node(values)
            for edge_id, values in changes.edges.items():
                edges[edge_id] = make_edge(values)
        if changes.red:
            self._red.extend(changes.red)
        self.last = view = FrameView(
            index=changes.number, t=changes.t, clock=changes.clock, phase=changes.phase, nodes=nodes, edges=edges,
            overall=Overall(*changes.overall), events=tuple(EventLook(*e) for e in changes.events),
            red_order=tuple(self._red), duration_s=changes.duration_s,
        )
        return view


def _kept(last: dict[str, Any], values: dict[str, Values], make: Any) -> dict[str, Any]:
    """Looks from ``values``, keeping ``last``'s object where it is equal."""
    looks = {}
    for key, value in values.items():
        old = last.get(key)
        looks[key] = old if old is not None and old == value else make(value)
    return looks


class ViewBuilder:
    """Engine frames to ``FrameView`` objects in one process: ``ViewEncoder`` then ``ViewDecoder``."""

    def __init__(self, duration_s: float = 0.0, shortcuts: bool = True) -> None:
        self.encode = ViewEncoder(duration_s, shortcuts)
        self.decode = ViewDecoder()

    @property
    def duration_s(self) -> float:
        return self.encode.duration_s

    def __call__(self, frame: Frame) -> FrameView:
        return self.decode(self.encode(frame))
