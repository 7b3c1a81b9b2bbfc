"""Diagram and deployment readers: Mermaid flowcharts, Graphviz DOT, docker-compose (docs/INTEROP.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from models.interop import deployments, dot, xmlformats
from models.interop.common import EdgeSpec, GraphSpec, InteropError, check_depth, guess_kind, guess_workload_kind
from models.interop.xmlformats import colour_family
from models.kinds import EdgeMark, EdgeStyle, Health, NodeKind
from models.params import CallParams, NodeSim

MAX_LINES = 100_000
MAX_LINE = 10_000

# --- Mermaid ------------------------------------------------------------------

MERMAID = "Mermaid flowchart"
_M_HEADER = re.compile(r"^\s*(flowchart|graph)\b(\s+(TD|TB|BT|LR|RL))?\s*;?\s*$", re.IGNORECASE)
_M_NODE = re.compile(
    r"""([A-Za-z0-9_][\w.-]*)\s*(\[\(|\(\[|\[\[|\(\(|\[/|\[\\|\[|\(|\{\{|\{|>)?""",
)
_SHAPE_CLOSE = {"[(": ")]", "([": "])", "[[": "]]", "((": "))", "[/": "/]", "[\\": "\\]", "[": "]", "(": ")",
                "{{": "}}", "{": "}", ">": "]"}
_M_ARROW = re.compile(r"\s*(<?(?:-\.+-?>?|-{2,}>|={2,}>|-{3,}|={3,}|--o|--x|-\.-|~~~))\s*(\|([^|]*)\|)?\s*")
_M_TEXT_ARROW = re.compile(r"\s*--\s+([^-]+?)\s+-->\s*|\s*-\.\s+([^.]+?)\s+\.->\s*")


def _unescape(text: str) -> str:
    """Mermaid's entity codes: ``#quot;``, ``#35;``."""
    text = text.replace("#quot;", '"')
    return re.sub(r"#(\d{1,6});", lambda m: chr(int(m.group(1))) if int(m.group(1)) < 0x110000 else m.group(0), text)


def _edge_label(raw: str) -> str:
    """An edge label between pipes: quotes around it dropped, entity codes decoded."""
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    return _unescape(raw)


def _mermaid_node(text: str, pos: int, graph: GraphSpec, source: str, line: int) -> tuple[str, int] | None:
    match = _M_NODE.match(text, pos)
    if not match:
        return None
    key, opener = match.group(1), match.group(2)
    end = match.end()
    label = None
    if opener:
        close = _SHAPE_CLOSE[opener]
        if text.startswith('"', end):
            quote_end = text.find('"', end + 1)
            if quote_end < 0:
                raise InteropError(MERMAID, source, f"the label of {key!r} opens a quote it does not close",
                                   f"line {line}")
            label = _unescape(text[end + 1:quote_end])
            if not text.startswith(close, quote_end + 1):
                raise InteropError(MERMAID, source, f"expected {close!r} after the label of {key!r}",
                                   f"line {line}")
            end = quote_end + 1
        stop = text.find(close, end)
        if stop < 0:
            raise InteropError(MERMAID, source, f"the shape of {key!r} opened with {opener!r} is not closed",
                               f"line {line}")
        label = label if label is not None else _unescape(text[end:stop].strip())
        end = stop + len(close)
    node = graph.node(key, label or key)
    if label:
        node.label = label.replace("<br>", " ").replace("<br/>", " ")
    if opener in ("[(",):
        node.kind = NodeKind.DATABASE
    elif guessed := guess_kind(node.label, key):
        node.kind = guessed
    return key, end


def read_mermaid(text: str, source: str) -> GraphSpec:
    """``flowchart``/``graph``: nodes with shapes and labels, edges (``-.->`` dashed) with labels, subgraphs
    (which become stages). ``style``, ``classDef``, ``class``, ``click`` and ``linkStyle`` lines are skipped."""
    graph = GraphSpec(fmt=MERMAID, title=source.rsplit("/", 1)[-1])
    lines = _joined_lines(text, source)
    header_seen = False
    groups: list[str] = []
    fills: dict[str, str] = {}
    extras: list[list[str]] = []
    for number, raw in lines:
        if raw.strip().startswith("%% cboard-"):
            extras.append(raw.strip()[len("%% cboard-"):].split())
        line = raw.split("%%", 1)[0].strip().rstrip(";")
        if not line:
            continue
        if not header_seen:
            if not _M_HEADER.match(line):
                raise InteropError(MERMAID, source, "expected 'flowchart' or 'graph' with a direction",
                                   f"line {number}")
            header_seen = True
            continue
        word = line.split(None, 1)[0].lower()
        if word in ("style", "classdef", "class"):
            _mermaid_colours(word, line.split()[1:], fills, graph)
            continue
        if word in ("click", "linkstyle", "direction"):
            continue
        if word == "subgraph":
            rest = line[len("subgraph"):].strip()
            match = re.match(r"([\w.-]+)\s*\[(.*)\]\s*$", rest)
            groups.append(_unescape(match.group(2).strip('" ') if match else rest.strip('"')) or f"group {number}")
            continue
        if word == "end":
            if not groups:
                raise InteropError(MERMAID, source, "'end' without a subgraph", f"line {number}")
            groups.pop()
            continue
        _mermaid_statement(line, graph, source, number, groups[-1] if groups else None)
    if not header_seen:
        raise InteropError(MERMAID, source, "no 'flowchart' or 'graph' line")
    if groups:
        raise InteropError(MERMAID, source, f"subgraph {groups[-1]!r} is not closed with 'end'")
    _mermaid_extras(extras, graph)
    return graph


def _mermaid_colours(word: str, args: list[str], fills: dict[str, str], graph: GraphSpec) -> None:
    """``classDef`` remembers a class's fill; ``class`` and ``style`` give nodes red or yellow health."""
    if len(args) < 2:
        return
    if word in ("classdef", "style"):
        fill = re.search(r"fill:\s*(#[0-9a-fA-F]{6})", " ".join(args[1:]))
        if word == "classdef":
            fills[args[0]] = fill.group(1) if fill else ""
            return
        targets, colour = [args[0]], fill.group(1) if fill else ""
    else:
        targets, colour = args[0].split(","), fills.get(args[1], "")
    family = colour_family(colour) if colour else None
    for key in targets:
        if family and key in graph.nodes:
            graph.nodes[key].health = Health.RED if family == "red" else Health.YELLOW


def _mermaid_extras(extras: list[list[str]], graph: GraphSpec) -> None:
    """Our ``%% cboard-kind ID KIND``, ``%% cboard-marks A B MARKS`` and ``%% cboard-style A B dashed`` lines."""
    for words in extras:
        if words[:1] == ["kind"] and len(words) == 3 and words[1] in graph.nodes and words[2] in set(NodeKind):
            graph.nodes[words[1]].kind = NodeKind(words[2])
        elif words[:1] in (["marks"], ["style"]) and len(words) == 4:
            for edge in graph.edges:
                if (edge.source, edge.target) == (words[1], words[2]):
                    if words[0] == "style" and words[3] == "dashed":
                        edge.style = EdgeStyle.DASHED
                    elif words[0] == "marks":
                        marks = tuple(EdgeMark(m) for m in words[3].split(",") if m in set(EdgeMark))
                        edge.marks = tuple(dict.fromkeys((*edge.marks, *marks)))


def _joined_lines(text: str, source: str) -> list[tuple[int, str]]:
    """Lines, with a line whose brackets or quotes are still open joined to the next (labels over several lines)."""
    raw_lines = text.splitlines()
    if len(raw_lines) > MAX_LINES:
        raise InteropError(MERMAID, source, f"has more than {MAX_LINES} lines")
    result: list[tuple[int, str]] = []
    buffer, start = "", 0
    for number, line in enumerate(raw_lines, 1):
        if len(line) > MAX_LINE:
            raise InteropError(MERMAID, source, f"a line is longer than {MAX_LINE} characters", f"line {number}")
        if not buffer:
            start = number
        buffer = f"{buffer} {line.strip()}" if buffer else line
        unquoted = re.sub(r'"[^"]*"', "", buffer)
        depth = sum(unquoted.count(c) for c in "[({") - sum(unquoted.count(c) for c in "])}")
        if (depth > 0 or unquoted.count('"') % 2 == 1) and number - start < 20:
            continue
        result.append((start, buffer))
        buffer = ""
    if buffer:
        result.append((start, buffer))
    return result


def _mermaid_statement(line: str, graph: GraphSpec, source: str, number: int, group: str | None) -> None:
    pos = 0
    previous: list[str] = []
    pending: tuple[str, EdgeStyle, bool] | None = None
    while pos < len(line):
        current: list[str] = []
        while True:
            found = _mermaid_node(line, pos, graph, source, number)
            if found is None:
                raise InteropError(MERMAID, source, f"expected a node id at column {pos + 1}: {line[pos:pos + 30]!r}",
                                   f"line {number}")
            key, pos = found
            current.append(key)
            amp = re.match(r"\s*&\s*", line[pos:])
            if not amp:
                break
            pos += amp.end()
        if group:
            for key in current:
                graph.nodes[key].group = group
        if pending is not None:
            label, style, thick = pending
            for a in previous:
                for b in current:
                    graph.edge(EdgeSpec(a, b, label=label, style=style, marks=(EdgeMark.CRITICAL,) if thick else ()))
        previous, pending = current, None
        rest = line[pos:]
        if not rest.strip():
            break
        text_arrow = _M_TEXT_ARROW.match(rest)
        arrow = _M_ARROW.match(rest)
        if text_arrow:
            dashed = text_arrow.group(2) is not None
            pending = ((text_arrow.group(1) or text_arrow.group(2) or "").strip(),
                       EdgeStyle.DASHED if dashed else EdgeStyle.SOLID, False)
            pos += text_arrow.end()
        elif arrow:
            pending = (_edge_label(arrow.group(3) or ""),
                       EdgeStyle.DASHED if "." in arrow.group(1) else EdgeStyle.SOLID, "=" in arrow.group(1))
            pos += arrow.end()
        else:
            raise InteropError(MERMAID, source, f"expected an arrow at column {pos + 1}: {rest.strip()[:30]!r}",
                               f"line {number}")
    if pending is not None:
        raise InteropError(MERMAID, source, "an arrow has no node after it", f"line {number}")


def sniff_mermaid(text: str, data: Any) -> str | None:
    for line in text.splitlines()[:20]:
        stripped = line.split("%%", 1)[0].strip()
        if stripped:
            return "mermaid" if _M_HEADER.match(stripped.rstrip(";")) else None
    return None


# --- docker-compose -------------------------------------------------------------

COMPOSE = "docker-compose"


class _SafeLoader(yaml.SafeLoader):
    """The safe loader: no Python tags. Aliases that loop or expand without end (a billion laughs) are caught
    by ``check_depth``, which bounds both the nesting and the number of values walked."""


MAX_ALIASES = 1_000


def load_yaml(text: str, fmt: str, source: str) -> list[Any]:
    """Every document of a YAML text, through the safe loader, with alias and depth limits."""
    aliases = text.count("*")
    if aliases > MAX_ALIASES and re.search(r"\*[A-Za-z0-9_-]+", text):
        raise InteropError(fmt, source, f"uses more than {MAX_ALIASES} YAML aliases")
    try:
        documents = [d for d in yaml.load_all(text, Loader=_SafeLoader) if d is not None]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise InteropError(fmt, source, str(getattr(error, "problem", None) or error), place) from None
    except RecursionError:
        raise InteropError(fmt, source, "is nested too deeply") from None
    for document in documents:
        check_depth(document, fmt, source)
    return documents


def read_compose(text: str, source: str) -> GraphSpec:
    """Services → nodes (kinds from image and name), ``depends_on`` and ``links`` → edges (the dependant calls
    what it depends on: inferred), ``deploy.replicas`` → replicas."""
    documents = load_yaml(text, COMPOSE, source)
    if len(documents) != 1 or not isinstance(documents[0], dict) or not isinstance(documents[0].get("services"), dict):
        raise InteropError(COMPOSE, source, "has no 'services' mapping at the top")
    graph = GraphSpec(fmt=COMPOSE, title=source.rsplit("/", 1)[-1])
    services: dict[str, Any] = documents[0]["services"]
    for name, body in services.items():
        body = body if isinstance(body, dict) else {}
        image = str(body.get("image") or "")
        build = body.get("build")
        node = graph.node(str(name), str(name))
        kind = guess_kind(image.split(":")[0].rsplit("/", 1)[-1], str(name))
        node.kind = guess_workload_kind(image.split(":")[0].rsplit("/", 1)[-1], str(name))
        node.notes.append(f"From {COMPOSE}: image {image or '(built from ' + str(build) + ')'}.")
        node.notes.append(f"Kind {node.kind}: " + ("guessed from the image and name." if kind else
                                                   "nothing in the image or name says otherwise."))
        replicas = (body.get("deploy") or {}).get("replicas") if isinstance(body.get("deploy"), dict) else None
        if isinstance(replicas, int) and 1 <= replicas <= 10_000:
            node.sim = NodeSim(replicas=replicas)
            node.notes.append(f"Replicas {replicas} from deploy.replicas.")
        else:
            node.notes.append("Service times and workers are defaults, not read from the file.")
    for name, body in services.items():
        body = body if isinstance(body, dict) else {}
        depends = body.get("depends_on") or []
        targets = list(depends) if isinstance(depends, (list, dict)) else []
        for link in body.get("links") or []:
            targets.append(str(link).split(":", 1)[0])
        for target in dict.fromkeys(str(t) for t in targets):
            if target not in services:
                raise InteropError(COMPOSE, source, f"depends on {target!r}, which is not a service",
                                   f"services.{name}")
            graph.edge(EdgeSpec(str(name), target, notes=[
                f"From depends_on/links of {name}: taken as {name} calling {target} (compose says only that it "
                "starts after it)."], call=CallParams()))
    graph.notices.append("compose gives no traffic, latencies or call rates: the edges come from depends_on "
                         "and links, the parameters are defaults")
    return graph


def sniff_compose(text: str, data: Any) -> str | None:
    if data is None and re.search(r"^services\s*:", text, re.MULTILINE):
        return "compose"
    return None


def read_kubernetes(text: str, source: str) -> GraphSpec:
    documents = load_yaml(text, deployments.KUBERNETES, source)
    for index, document in enumerate(documents):
        if not isinstance(document, dict):
            raise InteropError(deployments.KUBERNETES, source, "a document is not a mapping", f"document {index + 1}")
    return deployments.read_kubernetes(documents, source)


def read_kiali(text: str, source: str) -> GraphSpec:
    from models.interop.traces import load_json

    return deployments.read_kiali(load_json(text.encode("utf-8"), source), source)


READERS: dict[str, Callable[[str, str], GraphSpec]] = {
    "mermaid": read_mermaid, "compose": read_compose, "drawio": xmlformats.read_drawio,
    "graphml": xmlformats.read_graphml, "dot": dot.read_dot, "kubernetes": read_kubernetes, "kiali": read_kiali,
}
SNIFFERS: list[Callable[[str, Any], str | None]] = [
    xmlformats.sniff_xml, dot.sniff_dot, deployments.sniff_kiali, deployments.sniff_kubernetes, sniff_mermaid,
    sniff_compose,
]
