"""Traces to a board: Jaeger JSON, Zipkin v2 JSON and OTLP/JSON (docs/INTEROP.md, "Traces").

Every file is read into plain spans; all spans of one import are analysed
together. A *visit* is the work one service does for one incoming call: a span
whose parent is in another service (or has none), with its same-service
descendants. Services become nodes, visits calling visits of other services
become edges. Read: services, operations, durations, parent links, error tags,
span kinds. Inferred (and said in the notes): self time (a span's duration
minus the union of its children's), the fitted distributions, call
probabilities (share of the caller's visits that make the call), parallel
groups (children whose intervals overlap), error rates (errors a visit raised
that none of its callees raised), async calls (children that start after the
caller's visit ended), the traffic rate, and the workers.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from models.interop.build import DEFAULT_RATE_RPS
from models.interop.common import MAX_SPANS, EdgeSpec, GraphSpec, InteropError, guess_kind
from models.interop.fit import fit
from models.kinds import CallMode, NodeKind
from models.params import CallParams, NodeSim

JAEGER, ZIPKIN, OTLP = "Jaeger JSON", "Zipkin v2 JSON", "OTLP JSON"
TARGET_UTILISATION = 0.5
"""Workers are set so that the observed (or stated) rate keeps each node about this busy."""


@dataclass
class Span:
    trace: str
    id: str
    parent: str | None
    service: str
    operation: str
    start_us: float
    duration_us: float
    error: bool = False
    kind: str = ""
    peer: str | None = None
    follows: bool = False
    file: str = ""

    @property
    def end_us(self) -> float:
        return self.start_us + self.duration_us


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _number(value: Any, fmt: str, source: str, place: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InteropError(fmt, source, f"expected a number, found {_text(value)[:40]!r}", place) from None
    if not math.isfinite(number):
        raise InteropError(fmt, source, "expected a finite number", place)
    return number


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def detect(data: Any) -> str | None:
    """Which trace format parsed JSON is, or None."""
    if isinstance(data, dict):
        if "resourceSpans" in data or (isinstance(data.get("result"), dict) and "resourceSpans" in data["result"]):
            return OTLP
        if isinstance(data.get("data"), list) and all(isinstance(t, dict) and "spans" in t for t in data["data"]):
            return JAEGER
        if "spans" in data and ("traceID" in data or "processes" in data):
            return JAEGER
    if isinstance(data, list) and data:
        first = data[0][0] if isinstance(data[0], list) and data[0] else data[0]
        if isinstance(first, dict) and "traceId" in first and ("localEndpoint" in first or "timestamp" in first):
            return ZIPKIN
        if isinstance(first, dict) and "spans" in first and "traceID" in first:
            return JAEGER
    return None


def parse(data: Any, fmt: str, source: str) -> list[Span]:
    """Spans of parsed JSON (the JSON parser itself refuses nesting deeper than Python's recursion limit, and
    JSON cannot share values, so no expansion check is needed)."""
    spans = {JAEGER: _jaeger, ZIPKIN: _zipkin, OTLP: _otlp}[fmt](data, source)
    for span in spans:
        span.file = source
    if not spans:
        raise InteropError(fmt, source, "holds no spans")
    return spans


def _jaeger(data: Any, source: str) -> list[Span]:
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        traces = data["data"]
    elif isinstance(data, list):
        traces = data
    else:
        traces = [data]
    spans: list[Span] = []
    for t, trace in enumerate(traces):
        if not isinstance(trace, dict) or not isinstance(trace.get("spans"), list):
            raise InteropError(JAEGER, source, "a trace must be an object with a spans list", f"trace {t}")
        processes = _obj(trace.get("processes"))
        for i, raw in enumerate(trace["spans"]):
            place = f"trace {t}, span {i}"
            if not isinstance(raw, dict) or "spanID" not in raw:
                raise InteropError(JAEGER, source, "a span must be an object with a spanID", place)
            process = raw.get("process") or processes.get(_text(raw.get("processID")), {})
            service = _text(process.get("serviceName") if isinstance(process, dict) else None) or "unknown"
            tags = {tag.get("key"): tag.get("value") for tag in raw.get("tags") or [] if isinstance(tag, dict)}
            parent, follows = raw.get("parentSpanID") or None, False
            refs = [r for r in raw.get("references") or [] if isinstance(r, dict)]
            for ref in sorted(refs, key=lambda r: r.get("refType") != "CHILD_OF"):
                parent, follows = _text(ref.get("spanID")), ref.get("refType") == "FOLLOWS_FROM"
                break
            spans.append(Span(
                trace=_text(raw.get("traceID") or trace.get("traceID") or t), id=_text(raw["spanID"]),
                parent=parent, service=service, operation=_text(raw.get("operationName")),
                start_us=_number(raw.get("startTime"), JAEGER, source, f"{place}.startTime"),
                duration_us=_number(raw.get("duration", 0), JAEGER, source, f"{place}.duration"),
                error=_truthy(tags.get("error")), kind=_text(tags.get("span.kind")).upper(),
                peer=_text(tags.get("peer.service") or tags.get("db.system")) or None, follows=follows,
            ))
    return spans


def _zipkin(data: Any, source: str) -> list[Span]:
    raws = [s for group in data for s in (group if isinstance(group, list) else [group])]
    spans: list[Span] = []
    halves: dict[str, set[tuple[str, str]]] = {"SERVER": set(), "CLIENT": set()}
    for raw in raws:
        if isinstance(raw, dict) and _text(raw.get("kind")) in halves:
            halves[raw["kind"]].add((_text(raw.get("traceId")), _text(raw.get("id"))))
    shared = halves["SERVER"] & halves["CLIENT"]
    for i, raw in enumerate(raws):
        place = f"span {i}"
        if not isinstance(raw, dict) or "id" not in raw or "traceId" not in raw:
            raise InteropError(ZIPKIN, source, "a span must be an object with traceId and id", place)
        trace, span_id = _text(raw["traceId"]), _text(raw["id"])
        parent = _text(raw.get("parentId")) or None
        if (trace, span_id) in shared and raw.get("kind") == "CLIENT":
            span_id = f"{span_id}:client"  # a shared span id: the client half is the server half's parent
        elif (trace, span_id) in shared and raw.get("kind") == "SERVER":
            parent = f"{span_id}:client"
        local, remote, tags = _obj(raw.get("localEndpoint")), _obj(raw.get("remoteEndpoint")), _obj(raw.get("tags"))
        if "timestamp" not in raw:
            raise InteropError(ZIPKIN, source, "a span without a timestamp cannot be placed in time", place)
        spans.append(Span(
            trace=trace, id=span_id, parent=parent, service=_text(local.get("serviceName")) or "unknown",
            operation=_text(raw.get("name")),
            start_us=_number(raw["timestamp"], ZIPKIN, source, f"{place}.timestamp"),
            duration_us=_number(raw.get("duration", 0), ZIPKIN, source, f"{place}.duration"),
            error="error" in tags, kind=_text(raw.get("kind")).upper(),
            peer=_text(remote.get("serviceName")) or None,
        ))
    return spans


_OTLP_KINDS = {1: "INTERNAL", 2: "SERVER", 3: "CLIENT", 4: "PRODUCER", 5: "CONSUMER"}


def _attributes(items: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("value"), dict) and item["value"]:
            values[_text(item.get("key"))] = next(iter(item["value"].values()))
    return values


def _otlp(data: Any, source: str) -> list[Span]:
    if isinstance(data, dict) and isinstance(data.get("result"), dict):
        data = data["result"]
    spans: list[Span] = []
    for r, resource_spans in enumerate(data.get("resourceSpans") or []):
        if not isinstance(resource_spans, dict):
            raise InteropError(OTLP, source, "expected an object", f"resourceSpans[{r}]")
        resource = _attributes((resource_spans.get("resource") or {}).get("attributes"))
        service = _text(resource.get("service.name")) or "unknown"
        scopes = resource_spans.get("scopeSpans") or resource_spans.get("instrumentationLibrarySpans") or []
        for s, scope in enumerate(scopes):
            for i, raw in enumerate((scope or {}).get("spans") or []):
                place = f"resourceSpans[{r}].scopeSpans[{s}].spans[{i}]"
                if not isinstance(raw, dict) or "spanId" not in raw:
                    raise InteropError(OTLP, source, "a span must be an object with a spanId", place)
                start = _number(raw.get("startTimeUnixNano"), OTLP, source, f"{place}.startTimeUnixNano")
                end = _number(raw.get("endTimeUnixNano", start), OTLP, source, f"{place}.endTimeUnixNano")
                attributes = _attributes(raw.get("attributes"))
                status = (raw.get("status") or {}).get("code")
                kind = raw.get("kind")
                kind_name = (_OTLP_KINDS.get(kind, "") if isinstance(kind, int)
                             else _text(kind).replace("SPAN_KIND_", ""))
                spans.append(Span(
                    trace=_text(raw.get("traceId")), id=_text(raw["spanId"]),
                    parent=_text(raw.get("parentSpanId")) or None,
                    service=service, operation=_text(raw.get("name")), start_us=start / 1000.0,
                    duration_us=max(0.0, end - start) / 1000.0, error=status in (2, "STATUS_CODE_ERROR"),
                    kind=kind_name, peer=_text(attributes.get("peer.service") or attributes.get("db.system")) or None,
                ))
    return spans


@dataclass
class _Visit:
    service: str
    root: Span
    spans: list[Span] = field(default_factory=list)
    calls: list[_Visit] = field(default_factory=list)
    caller: _Visit | None = None


def _self_us(span: Span, children: list[Span]) -> float:
    """Duration minus the union of the children's intervals (clipped to the span)."""
    intervals = sorted((max(c.start_us, span.start_us), min(c.end_us, span.end_us)) for c in children)
    covered, reach = 0.0, span.start_us
    for start, end in intervals:
        start = max(start, reach)
        if end > start:
            covered += end - start
            reach = end
    return max(0.0, span.duration_us - covered)


def _visit_self_us(visit: _Visit) -> float:
    """A visit's own time: from its first span's start to its last span's end, minus the time its calls cover
    (same-service spans that run side by side are not counted twice)."""
    whole = Span(visit.root.trace, visit.root.id, None, visit.service, "", visit.root.start_us,
                 max(s.end_us for s in visit.spans) - visit.root.start_us)
    return _self_us(whole, [c.root for c in visit.calls])


def _groups(calls: list[_Visit]) -> dict[int, int]:
    """Parallel group index of each call (by id): a new group starts when a call begins after all before it ended."""
    result: dict[int, int] = {}
    group, reach = -1, -math.inf
    for call in sorted(calls, key=lambda c: c.root.start_us):
        if call.root.start_us >= reach:
            group += 1
        reach = max(reach, call.root.end_us)
        result[id(call)] = group
    return result


def analyse(spans: list[Span], sources: str, stated_rate: float | None = None) -> GraphSpec:
    """The board graph of all these spans."""
    fmt = "traces"
    if len(spans) > MAX_SPANS:
        raise InteropError(fmt, sources, f"holds {len(spans)} spans; the limit is {MAX_SPANS}")
    graph = GraphSpec(fmt=fmt, title=f"Imported traces ({sources})"[:500])
    by_trace: dict[str, dict[str, Span]] = defaultdict(dict)
    for span in spans:
        by_trace[span.trace][span.id] = span
    orphans = 0
    synthetic = 0
    visits: list[_Visit] = []
    roots: list[_Visit] = []
    op_self: dict[tuple[str, str], list[float]] = defaultdict(list)
    for trace_spans in by_trace.values():
        children: dict[str | None, list[Span]] = defaultdict(list)
        for span in list(trace_spans.values()):
            if span.parent is not None and span.parent not in trace_spans:
                orphans += 1
                span.parent = None
            children[span.parent].append(span)
        for span in list(trace_spans.values()):
            if span.kind == "CLIENT" and span.peer and span.peer != span.service and not children.get(span.id):
                ghost = Span(span.trace, f"{span.id}:peer", span.id, span.peer, span.operation, span.start_us,
                             span.duration_us, False, "SERVER", file=span.file)
                children[span.id].append(ghost)
                synthetic += 1
        visit_of: dict[str, _Visit] = {}
        queue = sorted(children.get(None, []), key=lambda s: s.start_us)
        while queue:
            span = queue.pop()
            parent_visit = visit_of.get(span.parent) if span.parent else None
            if parent_visit is not None and parent_visit.service == span.service:
                visit = parent_visit
            else:
                visit = _Visit(span.service, span, caller=parent_visit)
                visits.append(visit)
                if parent_visit is None:
                    roots.append(visit)
                else:
                    parent_visit.calls.append(visit)
                    visit.root.follows = visit.root.follows or span.follows
            visit.spans.append(span)
            visit_of[span.id] = visit
            kids = children.get(span.id, [])
            op_self[(span.service, span.operation)].append(_self_us(span, kids) / 1000.0)
            queue.extend(kids)
    if orphans:
        graph.notices.append(f"{orphans} span(s) name a parent that is not in the files; they were taken as roots")
    if synthetic:
        graph.notices.append(f"{synthetic} client span(s) name a remote service that sent no spans "
                             "(Zipkin remoteEndpoint, peer.service or db.system); it became a node timed by the "
                             "client span, network included")
    rate = _rate(roots)
    graph.rate_rps = rate
    if rate is None:
        graph.notices.append("the traces do not span enough time to measure a rate (one trace, or all at once)")
    used_rate = stated_rate or rate or DEFAULT_RATE_RPS
    per_service: dict[str, list[_Visit]] = defaultdict(list)
    for visit in visits:
        per_service[visit.service].append(visit)
    requests = max(1, len(roots))
    for service, own in per_service.items():
        times = [_visit_self_us(v) / 1000.0 for v in own]
        service_fit = fit(times)
        errors = sum(1 for v in own if any(s.error for s in v.spans) and not any(
            any(s.error for s in w.spans) for w in v.calls))
        held_s = sum(max(s.end_us for s in v.spans) - v.root.start_us for v in own) / len(own) / 1e6
        load = used_rate * len(own) / requests * held_s
        workers = max(1, min(100_000, math.ceil(load / TARGET_UTILISATION)))
        node = graph.node(service, service, guess_kind(service) or NodeKind.SERVICE)
        node.sim = NodeSim(workers=workers, service_time=service_fit.distribution,
                           error_rate=round(errors / len(own), 4))
        notes = [
            f"Imported from traces: {len(own)} visit(s) in {requests} request(s).",
            f"Service time (own time per visit: its span, less the time its calls cover): {service_fit.describe()}.",
            f"Error rate {errors}/{len(own)}: visits with an error tag that none of their callees raised.",
            f"Workers {workers}: inferred so that {used_rate:g} requests/s keep it about "
            f"{TARGET_UTILISATION:.0%} busy, a visit holding a worker {held_s * 1000:.4g} ms (callees included) "
            "on average; not read from the traces.",
        ]
        for (svc, operation), values in sorted(op_self.items()):
            if svc == service:
                notes.append(f"Operation {operation or '(unnamed)'}: {fit(values).describe()}.")
        if guess_kind(service) is None:
            notes.append("Kind: service (nothing in the name says otherwise).")
        node.notes.extend(notes)
    _edges(graph, per_service)
    entry_services = Counter(v.service for v in roots)
    users = graph.node("users", "Users", NodeKind.USERS)
    users.notes.append("Added on import: sends the requests that start the traces "
                       f"({', '.join(f'{s} {n}' for s, n in entry_services.most_common())}).")
    for service in entry_services:
        graph.edge(EdgeSpec("users", service, notes=["Added on import: where traces start."]))
    return graph


def _rate(roots: list[_Visit]) -> float | None:
    """Requests a second: within each file, traces less one over the time from the first start to the last;
    the files' rates add up (each file is taken as its own capture window)."""
    by_file: dict[str, list[float]] = defaultdict(list)
    for visit in roots:
        by_file[visit.root.file].append(visit.root.start_us)
    rates = []
    for starts in by_file.values():
        starts.sort()
        if len(starts) >= 2 and starts[-1] > starts[0]:
            rates.append((len(starts) - 1) / ((starts[-1] - starts[0]) / 1e6))
    return float(f"{sum(rates):.4g}") if rates else None


def _edges(graph: GraphSpec, per_service: dict[str, list[_Visit]]) -> None:
    for caller, own in per_service.items():
        calls_with: Counter[str] = Counter()
        call_total: Counter[str] = Counter()
        group_votes: dict[str, Counter[int]] = defaultdict(Counter)
        late: Counter[str] = Counter()
        for visit in own:
            groups = _groups(visit.calls)
            seen: set[str] = set()
            visit_end = max(s.end_us for s in visit.spans)
            for call in sorted(visit.calls, key=lambda c: c.root.start_us):
                call_total[call.service] += 1
                if call.root.start_us >= visit_end or call.root.follows or call.root.kind == "CONSUMER":
                    late[call.service] += 1
                if call.service not in seen:
                    seen.add(call.service)
                    calls_with[call.service] += 1
                    group_votes[call.service][groups[id(call)]] += 1
        modes = {callee: votes.most_common(1)[0][0] for callee, votes in group_votes.items()}
        ranks = {g: i for i, g in enumerate(sorted(set(modes.values())))}
        for callee, with_count in calls_with.items():
            probability = round(with_count / len(own), 4)
            per_visit = call_total[callee] / with_count
            asynchronous = late[callee] * 2 > call_total[callee]
            order = ranks[modes[callee]]
            shared = [c for c, g in modes.items() if g == modes[callee] and c != callee]
            notes = [
                f"Imported from traces: {call_total[callee]} call(s) in {with_count} of {len(own)} visit(s) of "
                f"{caller}; probability {probability:g} (share of visits that call).",
            ]
            if per_visit > 1.0:
                notes.append(f"Called {per_visit:.2f} times per calling visit on average; the board's call "
                             "happens once per visit.")
            if shared:
                notes.append(f"Runs in parallel with {', '.join(sorted(shared))} (their spans overlap); order {order}.")
            if asynchronous:
                notes.append("Async: most of these calls start after the caller's visit ended, or follow from it.")
            graph.edge(EdgeSpec(caller, callee, notes=notes, call=CallParams(
                order=order, probability=probability, mode=CallMode.ASYNC if asynchronous else CallMode.SYNC,
            )))


def load_json(data: bytes, source: str) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError as error:
        raise InteropError("JSON", source, error.msg, f"line {error.lineno}, column {error.colno}") from None
    except RecursionError:
        raise InteropError("JSON", source, "is nested too deeply") from None

