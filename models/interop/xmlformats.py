"""XML readers: draw.io and GraphML, both parsed through defusedxml (no DTDs, so no entity expansion
and no external entities; nothing is fetched). See docs/INTEROP.md."""

from __future__ import annotations

import base64
import binascii
import colorsys
import html
import re
import zlib
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
import networkx as nx
from defusedxml import DefusedXmlException

from models.interop.common import MAX_ELEMENTS, EdgeSpec, GraphSpec, InteropError, guess_kind, restore
from models.kinds import EdgeMark, EdgeStyle, Health, NodeKind
from models.params import CallParams, NodeSim

DRAWIO = "draw.io"
GRAPHML = "GraphML"
MAX_INFLATED = 64 * 1024 * 1024
"""Largest a compressed draw.io page may inflate to."""
MAX_XML_DEPTH = 200


def parse_xml(text: str, fmt: str, source: str) -> Element:
    """The root element, through defusedxml: a DTD (and so any entity) is refused."""
    try:
        root = SafeET.fromstring(text, forbid_dtd=True)
    except DefusedXmlException as error:
        raise InteropError(fmt, source, "declares a DTD or entities, which are refused for safety "
                           f"({type(error).__name__})") from None
    except SafeET.ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise InteropError(fmt, source, "is not well-formed XML", f"line {line}, column {column + 1}") from None
    _check_xml_depth(root, fmt, source)
    return root


def _check_xml_depth(root: Element, fmt: str, source: str) -> None:
    stack = [(root, 0)]
    count = 0
    while stack:
        element, depth = stack.pop()
        count += 1
        if depth > MAX_XML_DEPTH:
            raise InteropError(fmt, source, f"is nested deeper than {MAX_XML_DEPTH} elements")
        if count > 10 * MAX_ELEMENTS:
            raise InteropError(fmt, source, f"has more than {10 * MAX_ELEMENTS} elements")
        stack.extend((child, depth + 1) for child in element)


# --- draw.io ----------------------------------------------------------------------


def _style(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for part in text.split(";"):
        if "=" in part:
            key, value = part.split("=", 1)
            result[key.strip()] = value.strip()
        elif part.strip():
            result[part.strip()] = ""
    return result


def _label(value: str, style: dict[str, str]) -> str:
    """The label: as it is when the style says it is not HTML, else as plain text."""
    return value if style.get("html") == "0" else plain_label(value)


def plain_label(value: str) -> str:
    """draw.io labels are often HTML: line breaks become spaces, tags are dropped, entities decoded."""
    text = re.sub(r"<br\s*/?>|</(div|p)>", " ", value, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]*>", "", text)
    return " ".join(html.unescape(text).split())


def colour_family(value: str) -> str | None:
    """"red", "yellow" or None for a ``#rrggbb`` colour, by hue (pastel fills count)."""
    match = re.fullmatch(r"#?([0-9a-fA-F]{6})", value.strip())
    if not match:
        return None
    r, g, b = (int(match.group(1)[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hue, saturation, _value = colorsys.rgb_to_hsv(r, g, b)
    if saturation < 0.15:
        return None
    degrees = hue * 360
    if degrees < 15 or degrees >= 340:
        return "red"
    if 40 <= degrees < 65:
        return "yellow"
    return None


def _pages(root: Element, source: str) -> list[tuple[str, Element]]:
    if root.tag == "mxGraphModel":
        return [("Page-1", root)]
    if root.tag != "mxfile":
        raise InteropError(DRAWIO, source, f"the top element is <{root.tag}>, not <mxfile> or <mxGraphModel>")
    pages = []
    for index, diagram in enumerate(root.findall("diagram")):
        name = diagram.get("name") or f"Page-{index + 1}"
        model = diagram.find("mxGraphModel")
        if model is None:
            model = _inflate(diagram.text or "", source, f"diagram {name!r}")
        pages.append((name, model))
    if not pages:
        raise InteropError(DRAWIO, source, "has no <diagram> page")
    return pages


def _inflate(text: str, source: str, place: str) -> Element:
    """A compressed page: base64, then raw deflate, then URL-encoding."""
    try:
        packed = base64.b64decode(text.strip(), validate=True)
        inflater = zlib.decompressobj(-15)
        data = inflater.decompress(packed, MAX_INFLATED)
        if inflater.unconsumed_tail:
            raise InteropError(DRAWIO, source, f"the compressed page inflates to more than {MAX_INFLATED} bytes",
                               place)
        xml = unquote(data.decode("utf-8"))
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError) as error:
        if isinstance(error, InteropError):
            raise
        raise InteropError(DRAWIO, source, f"the compressed page is corrupt ({error})", place) from None
    try:
        model = parse_xml(xml, DRAWIO, source)
    except InteropError as error:
        reason = str(error).split(f"not a valid {DRAWIO} file", 1)[-1].strip(" :")
        raise InteropError(DRAWIO, source, f"the compressed page is corrupt: it inflates to XML that {reason}",
                           place) from None
    if model.tag != "mxGraphModel":
        raise InteropError(DRAWIO, source, f"the page holds <{model.tag}>, not <mxGraphModel>", place)
    return model


def _cells(model: Element) -> list[tuple[dict[str, str], Element | None]]:
    """Every cell's attributes (an <object>/<UserObject> wrapper gives the id and label) and geometry."""
    root = model.find("root")
    cells = []
    for element in root if root is not None else []:
        attrs = dict(element.attrib)
        cell = element
        if element.tag in ("object", "UserObject"):
            inner = element.find("mxCell")
            if inner is None:
                continue
            attrs = {**inner.attrib, "id": element.get("id", ""), "value": element.get("label", "")}
            cell = inner
        elif element.tag != "mxCell":
            continue
        cells.append((attrs, cell.find("mxGeometry")))
    return cells


def _number(value: str | None) -> float:
    try:
        return float(value) if value else 0.0
    except ValueError:
        return 0.0


Cells = dict[str, tuple[dict[str, str], Element | None]]


def _origin(cell_id: str | None, by_id: Cells, absolute: dict[str, tuple[float, float]], seen: int = 0
            ) -> tuple[float, float]:
    """A vertex's top-left on the page: draw.io geometry is relative to the parent container."""
    if not cell_id or cell_id not in by_id or seen > 50:
        return (0.0, 0.0)
    if cell_id in absolute:
        return absolute[cell_id]
    attrs, geometry = by_id[cell_id]
    px, py = _origin(attrs.get("parent"), by_id, absolute, seen + 1) if attrs.get("vertex") == "1" else (0.0, 0.0)
    x = px + _number(geometry.get("x") if geometry is not None else None)
    y = py + _number(geometry.get("y") if geometry is not None else None)
    absolute[cell_id] = (x, y)
    return x, y


def read_drawio(text: str, source: str) -> GraphSpec:
    """Pages → groups (each page is laid beside the previous); labelled shapes → nodes (kind from the shape
    style and label), containers → groups, connectors with both ends → edges; positions and labels kept;
    dashed → dashed edges, red strokes on connectors → critical, red/yellow fills → red/yellow health."""
    graph = GraphSpec(fmt=DRAWIO, title=source.rsplit("/", 1)[-1])
    pages = _pages(parse_xml(text, DRAWIO, source), source)
    offset_x = 0.0
    skipped_shapes = skipped_edges = 0
    for page_name, model in pages:
        cells = _cells(model)
        by_id = {attrs.get("id", ""): (attrs, geometry) for attrs, geometry in cells}
        parents_of_vertices = {attrs.get("parent") for attrs, _g in cells if attrs.get("vertex") == "1"}
        absolute: dict[str, tuple[float, float]] = {}

        keys: dict[str, str] = {}
        groups: dict[str, str] = {}
        page_right = 0.0
        for attrs, geometry in cells:
            if attrs.get("vertex") != "1":
                continue
            cell_id = attrs.get("id", "")
            style = _style(attrs.get("style", ""))
            label = _label(attrs.get("value", ""), style)
            container = cell_id in parents_of_vertices or ("container" in style and style.get("container") == "1") \
                or "swimlane" in style or style.get("shape") == "mxgraph.aws4.group" or "group" in style
            if container:
                groups[cell_id] = label or f"group {cell_id}"
                continue
            if not label or "text" in style or style.get("shape") in ("image", "note"):
                skipped_shapes += 1
                continue
            x, y = _origin(cell_id, by_id, absolute)
            width = _number(geometry.get("width") if geometry is not None else None) or 120.0
            height = _number(geometry.get("height") if geometry is not None else None) or 60.0
            page_right = max(page_right, x + width)
            key = f"{page_name}/{cell_id}" if len(pages) > 1 else cell_id
            node = graph.node(key, label)
            node.x, node.y = offset_x + x + width / 2, y + height / 2
            node.kind = _drawio_kind(style, label)
            node.notes.append(f"From {DRAWIO} page {page_name!r}, shape {attrs.get('style', '')[:200]!r}.")
            fill = colour_family(style.get("fillColor", ""))
            if fill:
                node.health = Health.RED if fill == "red" else Health.YELLOW
                node.notes.append(f"Health {fill}: read from the fill colour {style.get('fillColor')}.")
            keys[cell_id] = key
            if style.get("cboardGroup"):
                node.group = unquote(style["cboardGroup"])
        for cell_id, key in keys.items():
            parent = by_id[cell_id][0].get("parent")
            while parent in by_id and parent not in groups:
                parent = by_id[parent][0].get("parent")
            if graph.nodes[key].group:
                continue
            if parent in groups:
                graph.nodes[key].group = groups[parent] if len(pages) == 1 else f"{page_name}: {groups[parent]}"
            elif len(pages) > 1:
                graph.nodes[key].group = f"page {page_name}"
        for attrs, _geometry in cells:
            if attrs.get("edge") != "1":
                continue
            source_key, target_key = keys.get(attrs.get("source", "")), keys.get(attrs.get("target", ""))
            if source_key is None or target_key is None:
                skipped_edges += 1
                continue
            style = _style(attrs.get("style", ""))
            marks = (EdgeMark.CRITICAL,) if colour_family(style.get("strokeColor", "")) == "red" else ()
            if style.get("cboardMissingQueue") == "1":
                marks = (*marks, EdgeMark.MISSING_QUEUE)
            graph.edge(EdgeSpec(
                source_key, target_key, label=_label(attrs.get("value", ""), style),
                style=EdgeStyle.DASHED if style.get("dashed") == "1" else EdgeStyle.SOLID, marks=marks,
                notes=[f"From a {DRAWIO} connector; the call's parameters are defaults."],
            ))
        offset_x += page_right + 300.0
    if len(pages) > 1:
        graph.notices.append(f"{len(pages)} pages were imported side by side, each a group: "
                             + ", ".join(name for name, _m in pages))
    if skipped_shapes:
        graph.notices.append(f"{skipped_shapes} shape(s) without a label, text boxes, notes or images were "
                             "left out")
    if skipped_edges:
        graph.notices.append(f"{skipped_edges} connector(s) not attached to two shapes at both ends were left out")
    return graph


_SHAPE_KINDS = {
    "cylinder": NodeKind.DATABASE, "cylinder3": NodeKind.DATABASE, "datastore": NodeKind.DATABASE,
    "umlActor": NodeKind.USERS, "actor": NodeKind.USERS, "cloud": NodeKind.EXTERNAL, "queue": NodeKind.BROKER,
}


def _drawio_kind(style: dict[str, str], label: str) -> NodeKind:
    kind = style.get("cboardKind")
    if kind in set(NodeKind):
        return NodeKind(kind)
    for key in (style.get("shape", ""), style.get("resIcon", ""), *style):
        if key in _SHAPE_KINDS:
            return _SHAPE_KINDS[key]
    return guess_kind(label, style.get("resIcon", ""), style.get("shape", "").replace("mxgraph.", "")) \
        or NodeKind.SERVICE


def sniff_xml(text: str, data: Any) -> str | None:
    head = text.lstrip()[:2000]
    if head.startswith("<"):
        if "<mxfile" in head or "<mxGraphModel" in head:
            return "drawio"
        if "<graphml" in head:
            return "graphml"
    return None


# --- GraphML ----------------------------------------------------------------------


def read_graphml(text: str, source: str) -> GraphSpec:
    """Nodes and edges with their data keys: ``label``, ``kind``, ``x``, ``y``, ``health``, ``style``,
    ``marks`` (comma-separated) and ``notes`` are read when present (as this program writes them); any
    other key goes into the notes. Parsed by defusedxml first, then by networkx."""
    parse_xml(text, GRAPHML, source)
    try:
        g = nx.parse_graphml(text, force_multigraph=False)
    except (nx.NetworkXError, ValueError, KeyError) as error:
        raise InteropError(GRAPHML, source, str(error)) from None
    graph = GraphSpec(fmt=GRAPHML, title=str(g.graph.get("title") or source.rsplit("/", 1)[-1]))
    for key, data in g.nodes(data=True):
        node = graph.node(str(key), str(data.get("label") or key))
        kind = data.get("kind")
        node.kind = NodeKind(kind) if kind in set(NodeKind) else guess_kind(node.label) or NodeKind.SERVICE
        if isinstance(data.get("x"), (int, float)) and isinstance(data.get("y"), (int, float)):
            node.x, node.y = float(data["x"]), float(data["y"])
        if data.get("health") in set(Health):
            node.health = Health(data["health"])
        if data.get("group"):
            node.group = str(data["group"])
        node.notes.extend(str(data["notes"]).splitlines() if data.get("notes") else [])
        node.sim = restore(NodeSim, data.get("sim")) or node.sim
        extra = {k: v for k, v in data.items()
                 if k not in ("label", "kind", "x", "y", "health", "notes", "group", "sim")}
        if extra:
            node.notes.append("GraphML data: " + ", ".join(f"{k}={v}" for k, v in sorted(extra.items())))
    for a, b, data in g.edges(data=True):
        marks = tuple(EdgeMark(m) for m in str(data.get("marks") or "").split(",") if m in set(EdgeMark))
        graph.edge(EdgeSpec(
            str(a), str(b), label=str(data.get("label") or ""),
            style=EdgeStyle.DASHED if data.get("style") == "dashed" else EdgeStyle.SOLID, marks=marks,
            notes=str(data["notes"]).splitlines() if data.get("notes") else [],
            call=restore(CallParams, data.get("call")) or CallParams(),
        ))
    return graph
