"""Export: every format gives the same graph back on import (topology, labels, kinds, health, styles,
marks), for the StreamFlow example and for random boards (Hypothesis)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.resources import example_path
from models.document import BoardDocument
from models.entities import Edge, Node
from models.fileformat import load_path
from models.interop.exporters import EXPORTERS, export
from models.interop.importer import import_paths
from models.kinds import EdgeMark, EdgeStyle, Health, NodeKind

Graph = tuple[list[tuple[str, str, str]], list[tuple[str, str, str, str, tuple[str, ...]]]]


def _graph(document: BoardDocument) -> Graph:
    labels = {n.id: n.label for n in document.nodes}
    nodes = sorted((n.label, str(n.kind), str(n.health)) for n in document.nodes)
    edges = sorted((labels[e.source], labels[e.target], e.label, str(e.style), tuple(sorted(e.marks)))
                   for e in document.edges)
    return nodes, edges


def _round_trip(document: BoardDocument, fmt: str) -> BoardDocument:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"board{EXPORTERS[fmt][1]}"
        path.write_text(export(document, fmt), encoding="utf-8")
        return import_paths([path]).document


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_streamflow_round_trips(fmt: str) -> None:
    document = load_path(example_path("streamflow-ai.cboard"))
    back = _round_trip(document, fmt)
    assert _graph(back) == _graph(document)
    if fmt in ("graphml", "dot", "drawio"):  # these keep positions
        assert {n.label: (n.x, n.y) for n in back.nodes} == {n.label: (n.x, n.y) for n in document.nodes}
    if fmt in ("graphml", "dot"):  # and these every simulation parameter
        assert {n.label: n.sim for n in back.nodes} == {n.label: n.sim for n in document.nodes}
        labels = {n.id: n.label for n in document.nodes}
        back_labels = {n.id: n.label for n in back.nodes}
        assert {(back_labels[e.source], back_labels[e.target]): e.call for e in back.edges} == {
            (labels[e.source], labels[e.target]): e.call for e in document.edges}
    stages = {s.name for s in document.stages if s.nodes}
    assert stages <= {s.name for s in back.stages}


def test_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import run

    out = tmp_path / "board.mmd"
    board = str(example_path("streamflow-ai.cboard"))
    assert run(["export", board, "--format", "mermaid", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("flowchart LR\n")
    assert run(["export", board, "--format", "mermaid", "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err


_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20).map(
    lambda s: " ".join(s.split())).filter(bool)


@st.composite
def boards(draw: st.DrawFn) -> BoardDocument:
    labels = draw(st.lists(_text, min_size=1, max_size=8, unique=True))
    nodes = [Node(id=f"n{i}", label=label, kind=draw(st.sampled_from(list(NodeKind))),
                  health=draw(st.sampled_from(list(Health))), x=100.0 * i, y=50.0 * (i % 3))
             for i, label in enumerate(labels)]
    pairs = draw(st.lists(st.tuples(st.integers(0, len(nodes) - 1), st.integers(0, len(nodes) - 1))
                          .filter(lambda p: p[0] != p[1]), unique=True, max_size=12))
    edges = [Edge(id=f"e{i}", source=f"n{a}", target=f"n{b}", label=draw(st.one_of(st.just(""), _text)),
                  style=draw(st.sampled_from(list(EdgeStyle))),
                  marks=tuple(draw(st.lists(st.sampled_from(list(EdgeMark)), unique=True, max_size=2))))
             for i, (a, b) in enumerate(pairs)]
    return BoardDocument(nodes=tuple(nodes), edges=tuple(edges))


@pytest.mark.parametrize("fmt", ["mermaid", "graphml", "dot", "drawio"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=boards())
def test_random_boards_round_trip(fmt: str, document: BoardDocument) -> None:
    assert _graph(_round_trip(document, fmt)) == _graph(document)
