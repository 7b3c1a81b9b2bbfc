"""Traces to boards: the corpus files (counts checked by hand against the files), a fixture with
known latencies recovered by the fit, merging, and bad trace files."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from models.interop.common import InteropError
from models.interop.fit import fit
from models.interop.importer import import_paths
from models.kinds import CallMode, DistributionKind, NodeKind
from tests.models.interop.helpers import CORPUS, pairs, simulates


def _by_label(document):
    return {n.label: n for n in document.nodes}



def test_jaeger_genai_trace() -> None:
    # 57 spans over 10 services (processes p1..p10); Users is added; 9 service-to-service pairs plus Users → api-edge.
    result = import_paths([CORPUS / "jaeger-ui-genai-trace.jaeger.json"])
    document = result.document
    assert result.formats == ("jaeger",)
    assert len(document.nodes) == 11
    assert len(document.edges) == 10
    nodes = _by_label(document)
    assert nodes["Users"].kind == NodeKind.USERS
    assert nodes["vector-store"].kind == NodeKind.VECTOR_STORE
    edges = pairs(document)
    assert ("Users", "api-edge") in edges
    assert ("api-edge", "graphql-gateway") in edges
    # coding-agent calls mcp-gateway 7 times and vector-store 3 times in its one visit, overlapping: one group.
    mcp, vector = edges[("coding-agent", "mcp-gateway")], edges[("coding-agent", "vector-store")]
    assert "7 call(s)" in mcp.notes
    assert mcp.call.order == vector.call.order
    assert "KS" in nodes["coding-agent"].notes or "samples" in nodes["coding-agent"].notes
    assert any("no rate" in n for n in result.notices)
    simulates(document)


def test_zipkin_yelp_shared_spans_and_remote_endpoints() -> None:
    # 16 spans; 6 local services (one span has no localEndpoint name: "unknown"); the client spans to blt,
    # memcache and mysql have no server half, so those 3 remoteEndpoint names become nodes; + Users = 10.
    # (yelp-main.mobile_api is only a remote name of a shared span whose server half is yelp_main/api_proxy.)
    result = import_paths([CORPUS / "zipkin-yelp.json"])
    document = result.document
    assert result.formats == ("zipkin",)
    assert len(document.nodes) == 10
    edges = pairs(document)
    # the shared span ids: mobile_api's server half is the child of yelp-main's client half
    assert ("yelp-main", "mobile_api") in edges
    assert ("mobile_api", "spectre") in edges
    # mobile_api calls memcache first, then spectre, then blt (sequential, by their timestamps)
    assert edges[("mobile_api", "memcache")].call.order < edges[("mobile_api", "spectre")].call.order
    nodes = _by_label(document)
    assert nodes["mysql"].kind == NodeKind.DATABASE
    assert nodes["memcache"].kind == NodeKind.CACHE
    assert len(document.edges) == 11
    assert any("remote service" in n for n in result.notices)
    simulates(document)


def test_otlp_hotrod_and_example() -> None:
    hotrod = import_paths([CORPUS / "jaeger-ui-hotrod.otlp.json"]).document
    # 6 resourceSpans, 6 services: frontend → customer, driver, route; customer → mysql; driver → redis-manual.
    assert {n.label for n in hotrod.nodes} == {"Users", "frontend", "customer", "driver", "route", "mysql",
                                               "redis-manual"}
    assert set(pairs(hotrod)) == {("Users", "frontend"), ("frontend", "customer"), ("frontend", "driver"),
                                   ("frontend", "route"), ("customer", "mysql"), ("driver", "redis-manual")}
    simulates(hotrod)
    example = import_paths([CORPUS / "otlp-example-trace.json"])
    assert [n.label for n in example.document.nodes] == ["my.service", "Users"]
    assert any("parent that is not in the files" in n for n in example.notices)
    simulates(example.document)


def test_many_trace_files_merge_into_one_board() -> None:
    result = import_paths([CORPUS / "jaeger-ui-hotrod.otlp.json", CORPUS / "zipkin-yelp.json",
                           CORPUS / "jaeger-ui-genai-trace.jaeger.json"])
    assert set(result.formats) == {"otlp", "zipkin", "jaeger"}
    # 6 + 9 + 10 services, mysql is in both HotROD and the Yelp trace (one node), one Users node
    assert len(result.document.nodes) == 6 + 9 + 10 - 1 + 1
    simulates(result.document)


def _synthetic_jaeger(path: Path, traces: int = 400, seed: int = 7) -> None:
    """frontend (exponential, mean 8 ms) calls auth and then, in parallel, catalog (log-normal, mean 40 ms,
    cv 0.5) and pricing; pricing fails in one trace of 20 (20 of its 300 calls). Traces start 50 ms apart."""
    rng = random.Random(seed)
    sigma2 = 0.5**2
    import math

    mu, sigma = math.log(40.0) - math.log1p(sigma2) / 2, math.sqrt(math.log1p(sigma2))
    data = []
    for t in range(traces):
        start = 1_700_000_000_000_000 + t * 50_000
        front_self = rng.expovariate(1 / 8.0)
        auth = rng.expovariate(1 / 3.0)
        catalog = rng.lognormvariate(mu, sigma)
        pricing = rng.expovariate(1 / 5.0)
        calls_probability = t % 4 != 0  # pricing is called in 3 of 4 requests
        error = calls_probability and t % 20 == 1
        spans = [
            {"traceID": f"t{t}", "spanID": "a", "operationName": "GET /", "references": [], "startTime": start,
             "duration": int((front_self + auth + max(catalog, pricing if calls_probability else 0)) * 1000),
             "processID": "p1", "tags": []},
            {"traceID": f"t{t}", "spanID": "b", "operationName": "check", "processID": "p2", "tags": [],
             "references": [{"refType": "CHILD_OF", "spanID": "a"}], "startTime": start + int(front_self * 1000),
             "duration": int(auth * 1000)},
            {"traceID": f"t{t}", "spanID": "c", "operationName": "list", "processID": "p3", "tags": [],
             "references": [{"refType": "CHILD_OF", "spanID": "a"}],
             "startTime": start + int((front_self + auth) * 1000), "duration": int(catalog * 1000)},
        ]
        if calls_probability:
            spans.append({"traceID": f"t{t}", "spanID": "d", "operationName": "quote", "processID": "p4",
                          "references": [{"refType": "CHILD_OF", "spanID": "a"}],
                          "startTime": start + int((front_self + auth) * 1000), "duration": int(pricing * 1000),
                          "tags": [{"key": "error", "type": "bool", "value": True}] if error else []})
        data.append({"traceID": f"t{t}", "spans": spans, "processes": {
            "p1": {"serviceName": "frontend"}, "p2": {"serviceName": "auth"}, "p3": {"serviceName": "catalog"},
            "p4": {"serviceName": "pricing"}}})
    path.write_text(json.dumps({"data": data}), encoding="utf-8")


def test_known_latencies_are_recovered_within_ten_percent(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.json"
    _synthetic_jaeger(path)
    result = import_paths([path])
    nodes = _by_label(result.document)
    catalog = nodes["catalog"].sim.service_time
    assert catalog.kind == DistributionKind.LOGNORMAL
    assert catalog.mean_ms == pytest.approx(40.0, rel=0.10)
    assert catalog.cv == pytest.approx(0.5, rel=0.10)
    frontend = nodes["frontend"].sim.service_time
    assert frontend.kind == DistributionKind.EXPONENTIAL
    assert frontend.mean_ms == pytest.approx(8.0, rel=0.10)
    assert nodes["pricing"].sim.error_rate == pytest.approx(20 / 300, abs=0.001)
    edges = pairs(result.document)
    assert edges[("frontend", "pricing")].call.probability == pytest.approx(0.75, abs=0.001)
    assert edges[("frontend", "catalog")].call.order == edges[("frontend", "pricing")].call.order
    assert edges[("frontend", "auth")].call.order < edges[("frontend", "catalog")].call.order
    assert edges[("frontend", "auth")].call.mode == CallMode.SYNC
    # 400 traces 50 ms apart: 20 requests a second, observed
    assert result.document.scenario("default").traffic.base_rps == pytest.approx(20.0, rel=0.01)
    simulates(result.document)


def test_fit_rule_picks_the_smaller_ks_statistic() -> None:
    rng = random.Random(1)
    exponential = fit([rng.expovariate(0.1) for _ in range(2000)])
    assert exponential.distribution.kind == DistributionKind.EXPONENTIAL
    assert exponential.ks_exponential is not None
    assert exponential.ks_lognormal is not None
    assert exponential.ks_exponential < exponential.ks_lognormal
    few = fit([3.0, 4.0])
    assert few.distribution.kind == DistributionKind.EXPONENTIAL
    assert "not tested" in few.describe()


@pytest.mark.parametrize(("content", "message"), [
    ("", "is empty"),
    ("[]", "neither Jaeger, Zipkin v2, OTLP"),
    ('{"data": [{"traceID": "x", "spans": []}]}', "holds no spans"),
    ('{"data": [{"traceID": "x", "spans": [{"spanID": "a", "startTime": "soon"}]}]}', "startTime"),
    ('{"resourceSpans": [', "line 1"),
])
def test_bad_trace_files_get_clear_messages(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "trace.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InteropError, match=message):
        import_paths([path], "jaeger" if "startTime" in content or "spans" in content else None)


def test_deeply_nested_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"resourceSpans": [{"resource": ' + "[" * 5000 + "]" * 5000 + "}]}", encoding="utf-8")
    with pytest.raises(InteropError, match="nested"):
        import_paths([path], "otlp")


def test_huge_trace_file_is_refused_by_size_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:  # a sparse 200 MB file: its size is refused, nothing is read
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(InteropError, match="too large"):
        import_paths([path])
