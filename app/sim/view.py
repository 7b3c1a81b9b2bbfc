"""What the canvas shows of one simulation frame, flattened from the engine's frame.

The worker converts each engine frame into a ``FrameView`` on its own thread,
so the GUI thread only reads plain numbers. This is the only module that knows
the engine frame's field names.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.simulation.frames import EdgeFrame, Frame, NodeFrame, SimEvent, Totals

HEALTHS = ("idle", "green", "yellow", "red")
"""A node's live health: ``idle`` (no traffic) then the engine's colours."""

BREAKER_STATES = ("closed", "open", "half_open")

RED_EVENT = "node_red"
FAILURE_EVENTS = ("failure_started", "failure_ended")
BREAKER_EVENTS = ("breaker_open", "breaker_half_open", "breaker_closed")


@dataclass(frozen=True, slots=True)
class NodeLook:
    """One node at one frame: rates per second, utilisation 0..1, queue, latency."""

    health: str = "idle"
    rps: float = 0.0
    err_ps: float = 0.0
    utilisation: float = 0.0
    queue_length: int = 0
    queue_limit: int | None = None
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class EdgeLook:
    """One call edge at one frame: calls and failures per second, breaker state."""

    calls_ps: float = 0.0
    err_ps: float = 0.0
    timeouts_ps: float = 0.0
    limited_ps: float = 0.0
    breaker: str | None = None
    flow_ps: float = 0.0
    """Calls per second smoothed over a few seconds: what the line width and dots show,
    so a trickle of traffic does not make the edge blink."""
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


def node_look(frame: NodeFrame) -> NodeLook:
    errors = frame.errors
    return NodeLook(
        health="idle" if frame.health == "none" else frame.health,
        rps=frame.arrivals,
        err_ps=sum(errors.values()),
        utilisation=min(1.0, max(0.0, frame.utilisation)),
        queue_length=frame.queue,
        queue_limit=frame.queue_limit,
        p50_ms=_num(frame.p50_ms),
        p99_ms=_num(frame.p99_ms),
        errors=tuple(sorted((cause, float(v)) for cause, v in errors.items() if v)),
    )


def event_look(event: SimEvent) -> EventLook:
    return EventLook(t=event.t, kind=event.kind, target=event.target, text=event.text)


def overall(totals: Totals) -> Overall:
    requests = totals.requests
    return Overall(
        p50_ms=_num(totals.p50_ms),
        p95_ms=_num(totals.p95_ms),
        p99_ms=_num(totals.p99_ms),
        error_rate=totals.failed / requests if requests > 0 else 0.0,
        goodput=totals.succeeded + totals.degraded,
        rps=totals.offered_rps,
    )


FLOW_SMOOTHING = 0.35
"""Weight of the newest second in the smoothed edge flow (an exponential average)."""
IDLE_HOLD_S = 4.0
"""A node that goes quiet keeps its last colour this long before it shows as idle."""
SETTLE_FRAMES = 2
"""A node's colour changes (other than to red, which shows at once) only after this
many frames in the new colour, so one noisy second does not make it blink."""


class ViewBuilder:
    """Turns a run's engine frames into ``FrameView`` objects, keeping the red order,
    smoothing edge flow and holding a quiet node's colour (see the constants)."""

    def __init__(self, duration_s: float = 0.0) -> None:
        self.duration_s = duration_s
        self._index = 0
        self._red: list[tuple[str, float]] = []
        self._seen_red: set[str] = set()
        self._nodes: dict[str, NodeLook] = {}
        self._edges: dict[str, EdgeLook] = {}
        self._flow: dict[str, tuple[float, float]] = {}
        self._active: dict[str, tuple[str, float]] = {}
        self._settle: dict[str, tuple[str, str, int]] = {}
        self._rows: dict[str, object] = {}
        """Last frame's engine row per node and edge: the engine hands out the same row
        object while a node or edge stays idle, and a settled idle look then stays as it is."""

    def _smooth_edge(self, edge_id: str, row: EdgeFrame) -> EdgeLook:
        calls, errors = row.calls, row.errors
        flow, err = self._flow.get(edge_id, (calls, errors))
        a = FLOW_SMOOTHING
        flow, err = flow + a * (calls - flow), err + a * (errors - err)
        if flow < 0.05:
            flow = err = 0.0
        self._flow[edge_id] = (flow, err)
        breaker = row.breaker
        return EdgeLook(calls_ps=calls, err_ps=errors, timeouts_ps=row.timeouts, limited_ps=row.rate_limited,
                        breaker=None if breaker in ("", "none") else breaker,
                        flow_ps=round(flow, 2), flow_err_ps=round(err, 2))

    def _hold_health(self, node_id: str, look: NodeLook, t: float) -> NodeLook:
        health = look.health
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
        return look if shown == look.health else dataclasses.replace(look, health=shown)

    @staticmethod
    def _reuse(previous: dict[str, Any], fresh: dict[str, Any]) -> dict[str, Any]:
        """Keep last frame's object where nothing changed, so the GUI can compare by identity."""
        for key, look in fresh.items():
            old = previous.get(key)
            if old is not None and old == look:
                fresh[key] = old
        return fresh

    def _node(self, node_id: str, row: NodeFrame, t: float) -> NodeLook:
        previous = self._nodes.get(node_id)
        if previous is not None and previous.health == "idle" and self._rows.get(node_id) is row:
            return previous  # still idle, and shown as idle: nothing to hold or settle
        self._rows[node_id] = row
        return self._hold_health(node_id, node_look(row), t)

    def _edge(self, edge_id: str, row: EdgeFrame) -> EdgeLook:
        previous = self._edges.get(edge_id)
        if previous is not None and previous.flow_ps == 0.0 and previous.flow_err_ps == 0.0 \
                and self._rows.get(edge_id) is row:
            return previous  # still quiet, and its smoothed flow has died down
        self._rows[edge_id] = row
        return self._smooth_edge(edge_id, row)

    def __call__(self, frame: Frame) -> FrameView:
        t = frame.t
        nodes = self._reuse(self._nodes, {node_id: self._node(node_id, nf, t) for node_id, nf in frame.nodes.items()})
        edges = self._reuse(self._edges, {edge_id: self._edge(edge_id, ef) for edge_id, ef in frame.edges.items()})
        self._nodes, self._edges = nodes, edges
        events = tuple(event_look(e) for e in frame.events)
        for event in events:
            if event.kind == RED_EVENT and event.target not in self._seen_red:
                self._seen_red.add(event.target)
                self._red.append((event.target, event.t))
        view = FrameView(
            index=self._index,
            t=t,
            clock=frame.clock,
            phase=frame.phase,
            nodes=nodes,
            edges=edges,
            overall=overall(frame.totals),
            events=events,
            red_order=tuple(self._red),
            duration_s=self.duration_s,
        )
        self._index += 1
        return view
