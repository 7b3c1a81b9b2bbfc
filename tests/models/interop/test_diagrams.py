"""draw.io, DOT, GraphML, Kubernetes and Kiali files to boards: the corpus (counts checked by hand
against each file, as stated), and hostile XML."""

from __future__ import annotations

import base64
import zlib
from pathlib import Path

import pytest

from models.interop.common import InteropError
from models.interop.importer import import_paths
from models.kinds import EdgeStyle, Health, NodeKind
from tests.models.interop.helpers import CORPUS, pairs, simulates


def test_drawio_aws_retail_store() -> None:
    # 16 vertices: 10 labelled ellipses (5 services, 5 stores/brokers), 3 unlabelled legend boxes and 3 legend
    # texts (left out); 10 connectors, 9 with both ends. Orders → SQS/RabbitMQ is dashed.
    result = import_paths([CORPUS / "aws-retail-store.drawio"])
    document = result.document
    assert result.formats == ("drawio",)
    assert (len(document.nodes), len(document.edges)) == (10, 9)
    nodes = {n.label: n for n in document.nodes}
    assert nodes["UI"].x == 460.0
    assert nodes["UI"].y == 220.0  # box centre: 420 + 80/2, 180 + 80/2
    assert nodes["Redis"].kind == NodeKind.CACHE
    assert nodes["PostgreSQL"].kind == NodeKind.DATABASE
    assert nodes["SQS / RabbitMQ"].kind == NodeKind.BROKER
    assert nodes["SQS / RabbitMQ"].health == Health.RED  # fill #f8cecc, draw.io's red
    assert pairs(document)[("Orders", "SQS / RabbitMQ")].style == EdgeStyle.DASHED
    assert any("6 shape(s)" in n for n in result.notices)
    assert any("1 connector" in n for n in result.notices)
    simulates(document)


def test_drawio_compressed_with_containers() -> None:
    # compressed page; 12 vertices: 3 VM containers holding 9 services; no edges
    document = import_paths([CORPUS / "spring-petclinic-vm-distribution.drawio"]).document
    assert (len(document.nodes), len(document.edges)) == (9, 0)
    stages = {s.name: len(s.nodes) for s in document.stages}
    assert stages == {"VM1 - IP: 141.22.10.81": 4, "VM2 - IP: 141.22.10.82": 3, "VM3 - IP: 141.22.10.83": 2}
    simulates(document)


def _drawio(page_xml: str) -> str:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    from urllib.parse import quote

    data = packer.compress(quote(page_xml).encode()) + packer.flush()
    return f'<mxfile><diagram name="P">{base64.b64encode(data).decode()}</diagram></mxfile>'


def test_drawio_corrupt_compressed_page(tmp_path: Path) -> None:
    path = tmp_path / "bad.drawio"
    good = _drawio('<mxGraphModel><root><mxCell id="0"/></root></mxGraphModel>')
    path.write_text(good.replace(good[40:60], "A" * 20), encoding="utf-8")
    with pytest.raises(InteropError, match=r"draw.io.*diagram 'P'.*corrupt"):
        import_paths([path])


def test_dot_servicehub() -> None:
    # 9 nodes, 11 edges (the auth ⇄ oidc cycle), 1 plain subgraph and 2 nested clusters
    result = import_paths([CORPUS / "servicehub-architecture.dot"])
    document = result.document
    assert (len(document.nodes), len(document.edges)) == (9, 11)
    stages = {s.name: len(s.nodes) for s in document.stages}
    assert stages == {"Human Brain Project": 1, "ServiceHub VM": 4, "Managed Docker Containers": 2}
    assert {n.label: n.kind for n in document.nodes}["User 1"] == NodeKind.USERS
    assert any("made async" in n for n in result.notices)
    simulates(document)


@pytest.mark.parametrize(("text", "message"), [
    ("digraph { a -> }", "line 1"),
    ("digraph {\n a -> b\n c [label=\"x\"\n", "line"),
    ("digraph {\n a -> b;\n}\n}", "line 4"),
])
def test_dot_syntax_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.dot"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InteropError, match=message):
        import_paths([path], "dot")


def test_kubernetes_sock_shop() -> None:
    # 29 documents: 14 Deployments, 14 Services (each selecting one Deployment), 1 Namespace. No env var names a
    # Service as a host; carts-db, catalogue-db, orders-db and user-db serve carts, catalogue, orders and user.
    result = import_paths([CORPUS / "sock-shop.complete-demo.kubernetes.yaml"])
    document = result.document
    assert (len(document.nodes), len(document.edges)) == (14, 4)
    kinds = {n.label: n.kind for n in document.nodes}
    assert kinds["user"] == NodeKind.SERVICE
    assert kinds["user-db"] == NodeKind.DATABASE
    assert kinds["rabbitmq"] == NodeKind.BROKER
    assert any("cannot be seen" in n for n in result.notices)
    simulates(document)


def test_kubernetes_env_names_services(tmp_path: Path) -> None:
    path = tmp_path / "k8s.yaml"
    path.write_text("""apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: me/web:1
        env: [{name: API_ADDR, value: "api.default.svc:8080"}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: api-0}
spec:
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: me/api}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {selector: {app: api}}
""", encoding="utf-8")
    document = import_paths([path]).document
    nodes = {n.label: n for n in document.nodes}
    assert nodes["web"].sim.replicas == 3
    assert ("web", "api") in pairs(document)


def test_kiali_bookinfo() -> None:
    # 14 nodes: 1 app box (a group), 13 others; 18 edges, of which 3 are self-loops (left out)
    result = import_paths([CORPUS / "kiali-bookinfo-versioned-app-graph.json"])
    document = result.document
    assert (len(document.nodes), len(document.edges)) == (13, 15)
    assert [s.name for s in document.stages] == ["app reviews"]
    assert document.scenario("default").traffic.base_rps > 0
    simulates(document)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<mxfile><diagram name="x">&lol3;</diagram></mxfile>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">
<node id="&xxe;"/></graph></graphml>"""


@pytest.mark.parametrize(("name", "text", "fmt"), [
    ("laughs.drawio", BILLION_LAUGHS, None), ("xxe.graphml", EXTERNAL, None), ("laughs.graphml", BILLION_LAUGHS,
                                                                                 "graphml"),
])
def test_hostile_xml_is_refused(tmp_path: Path, name: str, text: str, fmt: str | None) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.cboard"
    with pytest.raises(InteropError, match="DTD or entities"):
        import_paths([path], fmt)
    assert not out.exists()


def test_deep_xml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.drawio"
    path.write_text("<mxfile>" + "<a>" * 1000 + "</a>" * 1000 + "</mxfile>", encoding="utf-8")
    with pytest.raises(InteropError, match="nested deeper"):
        import_paths([path])
