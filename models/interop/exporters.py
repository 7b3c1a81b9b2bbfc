"""Write a board as Mermaid, GraphML, Graphviz DOT or draw.io (docs/INTEROP.md, "Export").

Each keeps the topology, labels, kinds, health, edge styles and marks, so that
importing the result gives the same graph back. GraphML and DOT carry every
node and edge attribute (the simulation parameters as JSON); Mermaid and
draw.io carry what they can show, plus our kinds and marks where the format
has room for them (``%% cboard`` comments, ``cboardKind`` style keys).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote
from xml.etree.ElementTree import Element, SubElement, indent, tostring

import networkx as nx

from models.document import BoardDocument
from models.entities import Edge, Node
from models.kinds import EdgeMark, EdgeStyle, Health, NodeKind

HEALTH_FILL = {Health.RED: ("#f8cecc", "#b85450"), Health.YELLOW: ("#fff2cc", "#d6b656")}
CRITICAL_COLOUR = "#d62728"
NODE_W, NODE_H = 150.0, 56.0


def _groups(document: BoardDocument) -> dict[str, str]:
    """Each node's first stage (a node drawn in one group only)."""
    group: dict[str, str] = {}
    for stage in document.stages:
        for node in stage.nodes:
            group.setdefault(node, stage.name)
    return group


# --- Mermaid ----------------------------------------------------------------------

_MERMAID_SHAPES = {NodeKind.DATABASE: ("[(", ")]"), NodeKind.USERS: ("([", "])"), NodeKind.CACHE: ("[(", ")]"),
                   NodeKind.BROKER: ("[[", "]]"), NodeKind.EXTERNAL: ("{{", "}}")}


def _mermaid_text(text: str) -> str:
    escaped = text.replace("#", "#35;").replace('"', "#quot;").replace("|", "#124;").replace("%", "#37;")
    return '"' + escaped.replace("\n", " ") + '"'


def to_mermaid(document: BoardDocument) -> str:
    """A ``flowchart LR`` block: stages as subgraphs, dashed edges ``-.->``, critical edges ``==>``, health as
    classes; kinds and the missing-queue mark in ``%% cboard`` comments (Mermaid ignores them)."""
    short = {node.id: f"n{i}" for i, node in enumerate(document.nodes)}
    lines = ["flowchart LR", f"  %% Exported by Cascade Board: {document.meta.title.replace(chr(10), ' ')}"]
    group = _groups(document)

    def declare(node: Node) -> str:
        opener, closer = _MERMAID_SHAPES.get(node.kind, ("[", "]"))
        return f"{short[node.id]}{opener}{_mermaid_text(node.label)}{closer}"

    grouped: dict[str, list[Node]] = {}
    for node in document.nodes:
        if node.id in group:
            grouped.setdefault(group[node.id], []).append(node)
        else:
            lines.append(f"  {declare(node)}")
    for index, (name, members) in enumerate(grouped.items()):
        lines.append(f"  subgraph g{index}[{_mermaid_text(name)}]")
        lines.extend(f"    {declare(node)}" for node in members)
        lines.append("  end")
    for edge in document.edges:
        arrow = "==>" if EdgeMark.CRITICAL in edge.marks else "-.->" if edge.style == EdgeStyle.DASHED else "-->"
        label = f"|{_mermaid_text(edge.label)}|" if edge.label else ""
        lines.append(f"  {short[edge.source]} {arrow}{label} {short[edge.target]}")
        if edge.style == EdgeStyle.DASHED and EdgeMark.CRITICAL in edge.marks:
            lines.append(f"  %% cboard-style {short[edge.source]} {short[edge.target]} dashed")
        if EdgeMark.MISSING_QUEUE in edge.marks:
            lines.append(f"  %% cboard-marks {short[edge.source]} {short[edge.target]} missing_queue")
    for health, (fill, stroke) in HEALTH_FILL.items():
        coloured = [short[n.id] for n in document.nodes if n.health == health]
        if coloured:
            lines.append(f"  classDef health_{health} fill:{fill},stroke:{stroke}")
            lines.append(f"  class {','.join(coloured)} health_{health}")
    lines.extend(f"  %% cboard-kind {short[n.id]} {n.kind}" for n in document.nodes)
    return "\n".join(lines) + "\n"


# --- GraphML and DOT ----------------------------------------------------------------


def _node_data(node: Node, group: dict[str, str]) -> dict[str, str | float]:
    data: dict[str, str | float] = {"label": node.label, "kind": str(node.kind), "x": node.x, "y": node.y,
                                    "health": str(node.health), "notes": node.notes,
                                    "sim": node.sim.model_dump_json()}
    if node.id in group:
        data["group"] = group[node.id]
    return data


def _edge_data(edge: Edge) -> dict[str, str | float]:
    return {"id": edge.id, "label": edge.label, "style": str(edge.style), "marks": ",".join(edge.marks),
            "notes": edge.notes, "call": edge.call.model_dump_json()}


def to_graphml(document: BoardDocument) -> str:
    """GraphML with every node and edge attribute (``sim`` and ``call`` as JSON)."""
    graph = nx.DiGraph(title=document.meta.title)
    group = _groups(document)
    for node in document.nodes:
        graph.add_node(node.id, **_node_data(node, group))
    for edge in document.edges:
        graph.add_edge(edge.source, edge.target, **_edge_data(edge))
    return "\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n"


def _dot_quote(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def to_dot(document: BoardDocument) -> str:
    """A ``digraph`` with every attribute; stages as ``cluster_`` subgraphs, dashed and red edges drawn so."""
    group = _groups(document)
    lines = [f"digraph {_dot_quote(document.meta.title)} {{", "  rankdir=LR;", "  node [shape=box];"]

    def attributes(data: dict[str, str | float]) -> str:
        return ", ".join(f"{key}={_dot_quote(value)}" for key, value in data.items() if value != "")

    def node_line(node: Node, indent_: str) -> str:
        data = _node_data(node, group)
        data.pop("group", None)
        data["pos"] = f"{node.x:g},{-node.y:g}"
        data.pop("x")
        data.pop("y")
        if node.kind in (NodeKind.DATABASE, NodeKind.CACHE):
            data["shape"] = "cylinder"
        if node.health in HEALTH_FILL:
            data["style"], data["fillcolor"] = "filled", HEALTH_FILL[node.health][0]
        return f"{indent_}{_dot_quote(node.id)} [{attributes(data)}];"

    clusters: dict[str, list[Node]] = {}
    for node in document.nodes:
        if node.id in group:
            clusters.setdefault(group[node.id], []).append(node)
        else:
            lines.append(node_line(node, "  "))
    for index, (name, members) in enumerate(clusters.items()):
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label={_dot_quote(name)};")
        lines.extend(node_line(node, "    ") for node in members)
        lines.append("  }")
    for edge in document.edges:
        data = _edge_data(edge)
        if EdgeMark.CRITICAL in edge.marks:
            data["color"] = CRITICAL_COLOUR
        lines.append(f"  {_dot_quote(edge.source)} -> {_dot_quote(edge.target)} [{attributes(data)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- draw.io --------------------------------------------------------------------------

_DRAWIO_SHAPES = {NodeKind.DATABASE: "shape=cylinder3;boundedLbl=1;size=10;", NodeKind.CACHE: "shape=cylinder3;",
                  NodeKind.USERS: "shape=umlActor;verticalLabelPosition=bottom;verticalAlign=top;",
                  NodeKind.EXTERNAL: "ellipse;shape=cloud;", NodeKind.BROKER: "shape=process;"}


def to_drawio(document: BoardDocument) -> str:
    """An uncompressed draw.io file, one page; our colours and dashes in the styles, kinds and stages in
    ``cboardKind``/``cboardGroup`` style keys (containers would change the nodes' coordinates)."""
    mxfile = Element("mxfile", host="Cascade Board", type="device")
    diagram = SubElement(mxfile, "diagram", id="cascade-board", name=document.meta.title[:100] or "Board")
    model = SubElement(diagram, "mxGraphModel", grid="1", gridSize="10", page="0")
    root = SubElement(model, "root")
    SubElement(root, "mxCell", id="0")
    SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    group = _groups(document)
    for node in document.nodes:
        style = "rounded=1;whiteSpace=wrap;html=0;" + _DRAWIO_SHAPES.get(node.kind, "") + f"cboardKind={node.kind};"
        if node.id in group:
            style += f"cboardGroup={quote(group[node.id])};"
        if node.health in HEALTH_FILL:
            fill, stroke = HEALTH_FILL[node.health]
            style += f"fillColor={fill};strokeColor={stroke};"
        cell = SubElement(root, "mxCell", {"id": f"node-{node.id}", "value": node.label, "style": style,
                                           "vertex": "1", "parent": "1"})
        SubElement(cell, "mxGeometry", {"x": f"{node.x - NODE_W / 2:g}", "y": f"{node.y - NODE_H / 2:g}",
                                        "width": f"{NODE_W:g}", "height": f"{NODE_H:g}", "as": "geometry"})
    for edge in document.edges:
        style = "endArrow=block;html=0;"
        if edge.style == EdgeStyle.DASHED:
            style += "dashed=1;"
        if EdgeMark.CRITICAL in edge.marks:
            style += f"strokeColor={CRITICAL_COLOUR};strokeWidth=3;"
        if EdgeMark.MISSING_QUEUE in edge.marks:
            style += "cboardMissingQueue=1;"
        cell = SubElement(root, "mxCell", {"id": f"edge-{edge.id}", "value": edge.label, "style": style, "edge": "1",
                                           "parent": "1", "source": f"node-{edge.source}",
                                           "target": f"node-{edge.target}"})
        SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})
    indent(mxfile)
    return tostring(mxfile, encoding="unicode") + "\n"


EXPORTERS: dict[str, tuple[Callable[[BoardDocument], str], str]] = {
    "mermaid": (to_mermaid, ".mmd"), "graphml": (to_graphml, ".graphml"), "dot": (to_dot, ".dot"),
    "drawio": (to_drawio, ".drawio"),
}
"""Format → (writer, usual suffix)."""


def export(document: BoardDocument, fmt: str) -> str:
    return EXPORTERS[fmt][0](document)

