"""Checks a run's parameters and builds the run-time objects from a board.

Bad parameters give a ``SimulationError`` that says what to change, before
any simulated time passes: an unknown scenario, a failure aimed at nothing,
a board with no entry, a synchronous call cycle with no bound.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import simpy

from models.analysis import deepest_call_chain, entry_nodes, holding_ms
from models.document import BoardDocument
from models.entities import Edge
from models.errors import BoardError
from models.interventions import apply_interventions
from models.params import CallParams, FailureInjection, SimScenario
from models.simulation.calls import CallRuntime
from models.simulation.errors import SimulationError
from models.simulation.node import NodeRuntime, PlanStep

NODE_FAILURES = ("crash", "latency_spike", "capacity_cut", "cache_flush", "cache_invalidation", "error_rate",
                 "rate_limit_change")
EDGE_FAILURES = ("partition", "latency_spike", "error_rate")
REPLICA_FAILURES = ("crash", "error_rate")
MAX_CYCLES_CHECKED = 1_000
MAX_CYCLE_REPEAT = 0.9
"""The highest chance a request may have of going round a call cycle again."""
MAX_CALL_DEPTH = 100
"""The most synchronous calls one request may nest (each nests generators in the engine)."""


def find_scenario(document: BoardDocument, scenario_id: str) -> SimScenario:
    try:
        return document.scenario(scenario_id)
    except BoardError as error:
        raise SimulationError(str(error)) from None


def prepare(document: BoardDocument, interventions: Sequence[str]) -> BoardDocument:
    """The board with the interventions applied (unknown ids are an error)."""
    duplicates = [i for i in dict.fromkeys(interventions) if list(interventions).count(i) > 1]
    if duplicates:
        raise SimulationError(f"intervention {duplicates[0]!r} is named twice")
    return apply_interventions(document, tuple(interventions))


def check_failure(document: BoardDocument, failure: FailureInjection) -> None:
    nodes = {n.id: n for n in document.nodes}
    edges = {e.id for e in document.edges}
    if failure.target in nodes:
        if failure.kind not in NODE_FAILURES:
            raise SimulationError(f"a {failure.kind} failure targets an edge, and {failure.target!r} is a node")
        node = nodes[failure.target]
        if failure.kind in ("cache_flush", "cache_invalidation") and node.sim.cache is None:
            raise SimulationError(f"{failure.kind} on {failure.target!r}: that node has no cache")
        if failure.kind == "rate_limit_change" and node.sim.rate_limit is None:
            raise SimulationError(f"rate_limit_change on {failure.target!r}: that node has no rate limit")
        if failure.kind == "rate_limit_change" and failure.value <= 0.0:
            raise SimulationError("rate_limit_change needs a positive rate (value)")
        if failure.kind in ("error_rate",) and failure.value > 1.0:
            raise SimulationError("error_rate needs a probability between 0 and 1 (value)")
        if failure.replica is not None:
            if failure.kind not in REPLICA_FAILURES:
                raise SimulationError(f"a {failure.kind} failure cannot target one replica (only "
                                      f"{' or '.join(REPLICA_FAILURES)} can)")
            if failure.replica >= node.sim.replicas:
                raise SimulationError(f"{failure.kind} on replica {failure.replica} of {failure.target!r}: that node "
                                      f"has {node.sim.replicas} replica(s), counted from 0")
    elif failure.target in edges:
        if failure.replica is not None:
            raise SimulationError(f"{failure.kind} on {failure.target!r}: an edge has no replicas")
        if failure.kind not in EDGE_FAILURES:
            raise SimulationError(f"a {failure.kind} failure targets a node, and {failure.target!r} is an edge")
    else:
        raise SimulationError(f"failure {failure.kind!r} targets {failure.target!r}, which is not on this board")


def check_cycles(document: BoardDocument) -> None:
    """Refuse call cycles that nothing bounds, and call chains too deep to run.

    A request going round such a cycle would call itself forever (through
    synchronous calls) or start new work forever (through asynchronous ones).
    A cycle is bounded when the chance of going round it once more (the
    product of its calls' probabilities) is at most ``MAX_CYCLE_REPEAT``, so
    requests nest a few levels deep on average, never thousands.
    """
    chain = deepest_call_chain(document)
    if len(chain) > MAX_CALL_DEPTH:
        raise SimulationError(
            f"a chain of {len(chain)} synchronous calls ({chain[0]} → … → {chain[-1]}) is deeper than the "
            f"simulation follows ({MAX_CALL_DEPTH}); make some of these calls async"
        )
    graph = nx.MultiDiGraph()
    users = {n.id for n in document.nodes if n.kind == "users"}
    for edge in document.edges:
        if edge.source not in users:
            graph.add_edge(edge.source, edge.target, key=edge.id, probability=edge.call.probability,
                           mode=edge.call.mode)
    for cycle in itertools.islice(nx.simple_cycles(nx.DiGraph(graph)), MAX_CYCLES_CHECKED):
        pairs = list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))
        again = math.prod(
            max(data["probability"] for data in graph.get_edge_data(a, b).values()) for a, b in pairs
        )
        if again > MAX_CYCLE_REPEAT:
            path = " → ".join([*cycle, cycle[0]])
            modes = {data["mode"] for a, b in pairs for data in graph.get_edge_data(a, b).values()}
            kind = "synchronous" if modes == {"sync"} else "asynchronous" if modes == {"async"} else "mixed"
            effect = "call itself forever" if modes == {"sync"} else "start new work forever"
            raise SimulationError(
                f"{kind} call cycle without a bound: {path}; every request would {effect}. "
                f"Lower these calls' probabilities so that going round again "
                f"has a chance of at most {MAX_CYCLE_REPEAT:g} (now {again:g})"
                + (", or make one of them async" if modes == {"sync"} else "")
            )


@dataclass
class Runtime:
    nodes: dict[str, NodeRuntime]
    calls: dict[str, CallRuntime]
    entries: list[CallRuntime]
    nominal_s: dict[str, float]


def stream(seed: int, name: str) -> random.Random:
    """An independent random stream for one purpose (string seeds are stable)."""
    return random.Random(f"{seed}:{name}")


def entry_weights(document: BoardDocument, mix: Mapping[str, float] | None) -> dict[str, float]:
    """Each entry call's weight in a run: the scenario's ``mix`` when it has
    one (entries it does not name get 0), else the calls' own ``weight``."""
    users = {n.id for n in document.nodes if n.kind == "users"}
    entries = {e.id: e.call.weight for e in document.edges if e.source in users and e.target not in users}
    if mix is None:
        return entries
    strangers = [edge_id for edge_id in mix if edge_id not in entries]
    if strangers:
        raise SimulationError(f"the scenario's mix names {strangers[0]!r}, which is not a call from a users node "
                              "on this board")
    weights = {edge_id: float(mix.get(edge_id, 0.0)) for edge_id in entries}
    if not any(w > 0.0 for w in weights.values()):
        raise SimulationError("the scenario's mix gives no entry a weight above 0")
    return weights


def build(
    env: simpy.Environment, document: BoardDocument, seed: int, on_breaker: Callable[[str, str, float], None],
    mix: Mapping[str, float] | None = None,
) -> Runtime:
    """Node and call objects for a board already checked. An entry whose weight
    is 0 (``entry_weights``) gets no traffic, so it is not built, unless every
    entry weighs 0 (then they share the traffic equally, as they always did)."""
    weights = entry_weights(document, mix)
    idle = {edge_id for edge_id, w in weights.items() if w <= 0.0} if any(w > 0 for w in weights.values()) else set()
    users = {n.id for n in document.nodes if n.kind == "users"}
    nodes = {
        n.id: NodeRuntime(env, n, stream(seed, f"node:{n.id}"), stream(seed, f"cache:{n.id}"))
        for n in document.nodes if n.id not in users
    }
    edge_queues = {q.edge: q.depth_limit for q in document.queues if q.edge is not None and q.exists}
    calls: dict[str, CallRuntime] = {}
    entries: list[CallRuntime] = []
    for edge in document.edges:
        if edge.target in users or edge.id in idle:
            continue  # calls back to the users are answers, not work; an idle entry gets no traffic
        if edge.source in users and weights[edge.id] != edge.call.weight:
            edge = edge.model_copy(update={"call": edge.call.model_copy(update={"weight": weights[edge.id]})})
        caller = nodes.get(edge.source)
        call = CallRuntime(
            env, edge, caller, nodes[edge.target], stream(seed, f"edge:{edge.id}"),
            edge.id in edge_queues, edge_queues.get(edge.id), on_breaker,
        )
        calls[edge.id] = call
        if edge.source in users:
            entries.append(call)
    if not entries:
        for entry in entry_nodes(document):
            if entry in nodes:
                edge = Edge.model_construct(id=f"entry:{entry}", source="users", target=entry, call=CallParams())
                entries.append(CallRuntime(env, edge, None, nodes[entry], stream(seed, f"edge:{edge.id}"),
                                           False, None, on_breaker))
    if not entries:
        raise SimulationError("the board has no entry node: draw a users node and its calls, or a node nothing calls")
    for node_id, node in nodes.items():
        plan = sorted((c for c in calls.values() if c.edge.source == node_id), key=lambda c: c.edge.call.order)
        steps = []
        for order, group in itertools.groupby(plan, key=lambda c: c.edge.call.order):
            members = list(group)
            sync = tuple(c for c in members if c.edge.call.mode == "sync")
            steps.append(PlanStep(
                order=order, sync=sync, async_=tuple(c for c in members if c.edge.call.mode == "async"),
                queued=any(c.queue is not None for c in sync),
            ))
        node.steps = tuple(steps)
        node.miss_after = _miss_after(node)
    nominal = {node_id: ms / 1000.0 for node_id, ms in holding_ms(document).items()}
    return Runtime(nodes=nodes, calls=calls, entries=entries, nominal_s=nominal)


def _miss_after(node: NodeRuntime) -> int:
    """After which plan step a miss's own work (and the write-back) happens:
    after the last step with cache-miss calls; with none, after the lookup;
    -1 before the plan (the node's own cache); -2 never."""
    last = -2
    for index, step in enumerate(node.steps):
        if any(c.condition == "cache_miss" for c in (*step.sync, *step.async_)):
            last = index
    if last >= 0:
        return last
    if node.cache is not None:
        return -1
    for index, step in enumerate(node.steps):
        if any(c.callee.cache is not None for c in step.sync):
            return index
    return -2
