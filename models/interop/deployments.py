"""Kubernetes manifests and Kiali service graphs (docs/INTEROP.md).

Kubernetes says what runs, not who calls whom. Read: Deployments,
StatefulSets, DaemonSets and their replicas, Services and the workloads their
selectors pick, images. Inferred (and said): calls from environment
variables, args and commands that name another Service as a host; calls from
names such as ``carts-db`` (used by ``carts``); kinds from images and names.
Kiali graphs carry measured request rates and error shares per edge.
"""

from __future__ import annotations

import re
from typing import Any

from models.interop.common import EdgeSpec, GraphSpec, InteropError, guess_kind, guess_workload_kind
from models.kinds import NodeKind
from models.params import CallParams, NodeSim

KUBERNETES = "Kubernetes"
KIALI = "Kiali graph JSON"
WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")
_SUFFIXES = ("-db", "-database", "-redis", "-cache", "-mongo", "-mysql", "-postgres", "-queue")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    """Every string inside a container spec's env, args and command."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def read_kubernetes(documents: list[Any], source: str) -> GraphSpec:
    graph = GraphSpec(fmt=KUBERNETES, title=source.rsplit("/", 1)[-1])
    workloads: dict[str, dict[str, Any]] = {}
    services: dict[str, dict[str, Any]] = {}
    for index, document in enumerate(documents):
        items = document.get("items") if document.get("kind") == "List" else [document]
        for item in items if isinstance(items, list) else []:
            item = _mapping(item)
            kind, name = item.get("kind"), str(_mapping(item.get("metadata")).get("name") or "")
            if kind in WORKLOADS or kind == "Service":
                if not name:
                    raise InteropError(KUBERNETES, source, f"a {kind} has no metadata.name",
                                       f"document {index + 1}")
                (workloads if kind in WORKLOADS else services)[name] = item
    if not workloads and not services:
        raise InteropError(KUBERNETES, source, "has no Deployment, StatefulSet, DaemonSet or Service")
    host_of: dict[str, str] = {}
    for name, body in services.items():
        selector = _mapping(_mapping(body.get("spec")).get("selector"))
        chosen = [w for w, body in workloads.items() if selector and all(
            _mapping(_mapping(_mapping(_mapping(body.get("spec")).get("template")).get("metadata")).get("labels"))
            .get(k) == v for k, v in selector.items())]
        host_of[name] = chosen[0] if chosen else name
    serves = {w: [s for s, host in host_of.items() if host == w] for w in workloads}
    for name, body in workloads.items():
        spec = _mapping(body.get("spec"))
        containers = _mapping(_mapping(spec.get("template")).get("spec")).get("containers") or []
        images = [str(_mapping(c).get("image") or "") for c in containers if isinstance(c, dict)]
        node = graph.node(name, (serves.get(name) or [name])[0])
        kind = guess_kind(name, *(i.split(":")[0].rsplit("/", 1)[-1] for i in images))
        node.kind = guess_workload_kind(name, *(i.split(":")[0].rsplit("/", 1)[-1] for i in images))
        replicas = spec.get("replicas", 1)
        if isinstance(replicas, int) and 1 <= replicas <= 10_000:
            node.sim = NodeSim(replicas=replicas)
        node.notes.append(f"From {KUBERNETES}: {body.get('kind')} {name}, images {', '.join(images) or 'none'}, "
                          f"replicas {replicas}; served by Service(s) {', '.join(serves.get(name) or []) or 'none'}.")
        node.notes.append(f"Kind {node.kind}: " + ("guessed from the name and images." if kind
                                                   else "nothing in the name or images says otherwise."))
    for name, host in host_of.items():
        if host == name and name not in workloads:
            node = graph.node(name, name, guess_kind(name) or NodeKind.EXTERNAL)
            node.notes.append(f"A Service without a workload in these files ({KUBERNETES}).")
    inferred = 0
    for name, body in workloads.items():
        containers = _mapping(_mapping(_mapping(body.get("spec")).get("template")).get("spec")).get("containers") or []
        texts = _strings([[_mapping(c).get(k) for k in ("env", "args", "command")] for c in containers])
        for service, host in host_of.items():
            if host == name:
                continue
            pattern = re.compile(rf"(?<![\w.-]){re.escape(service)}(?=$|[:./\s])")
            named = [t for t in texts if pattern.search(t)]
            if named:
                graph.edge(EdgeSpec(name, host, notes=[
                    f"Inferred: {name}'s env/args name the Service {service} ({named[0][:80]!r})."]))
                inferred += 1
            elif any(service == f"{name}{suffix}" for suffix in _SUFFIXES):
                graph.edge(EdgeSpec(name, host, notes=[f"Inferred from the names: {service} serves {name}."]))
                inferred += 1
    graph.notices.append(
        f"Kubernetes does not say who calls whom: {inferred} call(s) were inferred from env vars, args or "
        "commands naming a Service and from names like <app>-db; other calls (made through DNS names inside "
        "the images) cannot be seen and are missing")
    return graph


def read_kiali(data: Any, source: str) -> GraphSpec:
    elements = _mapping(_mapping(data).get("elements"))
    name = source.rsplit("/", 1)[-1]
    graph = GraphSpec(fmt=KIALI, title=f"Kiali {_mapping(data).get('graphType', 'graph')} ({name})")
    boxes: dict[str, str] = {}
    raw_nodes = [_mapping(_mapping(n).get("data")) for n in elements.get("nodes") or []]
    for data_ in raw_nodes:
        if data_.get("isBox"):
            boxes[str(data_.get("id"))] = f"{data_.get('isBox')} {data_.get('app') or data_.get('namespace')}"
    for index, data_ in enumerate(raw_nodes):
        if "id" not in data_:
            raise InteropError(KIALI, source, "a node has no id", f"elements.nodes[{index}]")
        if data_.get("isBox"):
            continue
        node_type = str(data_.get("nodeType") or "")
        name = str(data_.get("app") or data_.get("service") or data_.get("workload") or node_type or data_["id"])
        if data_.get("version"):
            name = f"{name} {data_['version']}"
        namespace = str(data_.get("namespace") or "")
        label = f"{name} ({namespace})" if namespace and namespace != "unknown" else name
        node = graph.node(str(data_["id"]), label)
        node.kind = NodeKind.USERS if node_type == "unknown" else guess_kind(name) or NodeKind.SERVICE
        node.notes.append(f"From {KIALI}: {node_type} node" + (f", workload {data_['workload']}"
                                                              if data_.get("workload") else "") + ".")
        if data_.get("parent") in boxes:
            node.group = boxes[str(data_["parent"])]
    incoming: dict[str, float] = {}
    outgoing: dict[str, float] = {}
    errors: dict[str, float] = {}
    rated: list[tuple[str, str, float, float]] = []
    for index, raw in enumerate(elements.get("edges") or []):
        data_ = _mapping(_mapping(raw).get("data"))
        a, b = str(data_.get("source")), str(data_.get("target"))
        if a not in graph.nodes or b not in graph.nodes:
            raise InteropError(KIALI, source, "an edge names a node that is not in the graph",
                               f"elements.edges[{index}]")
        rates = _mapping(_mapping(data_.get("traffic")).get("rates"))
        protocol = str(_mapping(data_.get("traffic")).get("protocol") or "")
        try:
            rate = float(rates.get(protocol) or rates.get("http") or rates.get("grpc") or rates.get("tcp") or 0.0)
            error = float(rates.get("httpPercentErr") or rates.get("grpcPercentErr") or 0.0) / 100.0
        except (TypeError, ValueError):
            raise InteropError(KIALI, source, "a rate is not a number", f"elements.edges[{index}]") from None
        if a == b:
            continue
        incoming[b] = incoming.get(b, 0.0) + rate
        outgoing[a] = outgoing.get(a, 0.0) + rate
        errors[b] = errors.get(b, 0.0) + rate * error
        rated.append((a, b, rate, error))
    for a, b, rate, error in rated:
        base = incoming.get(a) or outgoing.get(a) or 0.0
        probability = min(1.0, rate / base) if base > 0 else 1.0
        graph.edge(EdgeSpec(a, b, label=f"{rate:g}/s" if rate else "",
                            call=CallParams(probability=round(probability, 4)),
                            notes=[f"From {KIALI}: {rate:g} requests/s, {error:.1%} errors; probability "
                                   f"{probability:.3g} = this rate over the caller's incoming rate (inferred)."]))
    for key, node in graph.nodes.items():
        if incoming.get(key):
            share = min(1.0, errors.get(key, 0.0) / incoming[key])
            node.sim = NodeSim(error_rate=round(share, 4))
            node.notes.append(f"Error rate {share:.1%}: the rate-weighted error share of its incoming edges.")
    roots = [k for k in graph.nodes if not incoming.get(k)]
    graph.rate_rps = sum(outgoing.get(k, 0.0) for k in roots) or None
    graph.notices.append("Kiali gives rates and error shares, not latencies: service times are defaults")
    return graph


def sniff_kiali(text: str, data: Any) -> str | None:
    elements = _mapping(data).get("elements")
    if isinstance(elements, dict) and "nodes" in elements:
        return "kiali"
    return None


def sniff_kubernetes(text: str, data: Any) -> str | None:
    if data is None and re.search(r"^apiVersion\s*:", text, re.MULTILINE) and re.search(r"^kind\s*:", text,
                                                                                        re.MULTILINE):
        return "kubernetes"
    return None
