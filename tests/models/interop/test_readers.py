"""Mermaid and docker-compose files to boards: the corpus (counts checked by hand against each file, as
stated), syntax errors naming the line, and hostile YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.interop.common import InteropError
from models.interop.importer import import_paths
from models.kinds import EdgeStyle, NodeKind
from tests.models.interop.helpers import CORPUS, pairs, simulates


def test_mermaid_jaeger_architecture() -> None:
    # graph TD: 6 nodes, 8 edges (labels written "--> |HTTP or gRPC|"), 2 nested subgraphs
    result = import_paths([CORPUS / "jaeger-architecture.mmd"])
    document = result.document
    assert result.formats == ("mermaid",)
    assert (len(document.nodes), len(document.edges)) == (6, 8)
    edges = pairs(document)
    assert edges[("OpenTelemetry SDK", "Jaeger Collector")].label == "HTTP or gRPC"
    assert edges[("Jaeger UI", "Jaeger Query Service")].label == "HTTP"
    # the collector ⇄ SDK sampling cycle: one of the two calls was made async, and the notices say so
    assert any("made async" in n for n in result.notices)
    assert {s.name for s in document.stages} >= {"User Application"}
    simulates(document)


def test_mermaid_spm_monitor() -> None:
    # flowchart LR: 10 nodes, 10 edges (2 dotted -.->), 2 subgraphs, style lines, [(db)] shapes, labels over lines
    document = import_paths([CORPUS / "jaeger-spm-monitor.mmd"]).document
    assert (len(document.nodes), len(document.edges)) == (10, 10)
    dashed = [e for e in document.edges if e.style == EdgeStyle.DASHED]
    assert len(dashed) == 2
    kinds = {n.label: n.kind for n in document.nodes}
    assert kinds["Prometheus"] == NodeKind.DATABASE
    assert kinds["Storage"] == NodeKind.DATABASE
    assert {s.name for s in document.stages} == {"Application", "OTel Collector"}
    simulates(document)


@pytest.mark.parametrize(("text", "line"), [
    ("graph TD\n  A --> B\n  B --> \n", "line 3"),
    ("flowchart LR\n  A[open --> B\n", "line 2"),
    ("flowchart LR\n  A --> B\nend\n", "line 3"),
    ("sequenceDiagram\n  A->>B: hi\n", "line 1"),
])
def test_mermaid_syntax_errors_name_the_line(tmp_path: Path, text: str, line: str) -> None:
    path = tmp_path / "bad.mmd"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InteropError, match=line):
        import_paths([path], "mermaid")


def test_compose_voting_app() -> None:
    # 6 services, 5 depends_on entries (some with condition: service_healthy)
    document = import_paths([CORPUS / "example-voting-app.docker-compose.yml"]).document
    assert (len(document.nodes), len(document.edges)) == (6, 5)
    kinds = {n.label: n.kind for n in document.nodes}
    assert kinds["redis"] == NodeKind.CACHE
    assert kinds["db"] == NodeKind.DATABASE
    assert ("worker", "db") in pairs(document)
    simulates(document)


def test_compose_petclinic() -> None:
    # 11 services, 13 depends_on edges
    document = import_paths([CORPUS / "spring-petclinic-microservices.docker-compose.yml"]).document
    assert (len(document.nodes), len(document.edges)) == (11, 13)
    simulates(document)


def test_compose_replicas_and_links(tmp_path: Path) -> None:
    path = tmp_path / "compose.yaml"
    path.write_text("services:\n  web:\n    image: nginx\n    links: ['api:backend']\n"
                    "  api:\n    image: me/api\n    deploy: {replicas: 3}\n    depends_on: [pg]\n"
                    "  pg:\n    image: postgres:16\n", encoding="utf-8")
    document = import_paths([path]).document
    nodes = {n.label: n for n in document.nodes}
    assert nodes["api"].sim.replicas == 3
    assert nodes["pg"].kind == NodeKind.DATABASE
    assert set(pairs(document)) == {("web", "api"), ("api", "pg")}


@pytest.mark.parametrize(("text", "message"), [
    ("services:\n  a: !!python/object/apply:os.system ['echo owned']\n", "could not determine a constructor"),
    ("services: &loop\n  a: *loop\n", "nested deeper"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
     "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
     "services: {x: {image: *h}}\n", "expands to more than"),
    ("services:\n  a: {depends_on: [ghost]}\n", "not a service"),
    ("services: [\n", "line"),
])
def test_hostile_compose_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "compose.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InteropError, match=message):
        import_paths([path], "compose")
