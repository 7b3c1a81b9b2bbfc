"""A Graphviz DOT reader: our own small parser, because DOT needs only a tokenizer and a dozen grammar
rules, and our own gives errors with the line (pydot's pyparsing grammar prints its failures and returns
None). Reads nodes, edges (chains, subgraph endpoints), labels, ``style=dashed``, red colours and
subgraphs (which become groups). Ports and HTML labels are accepted; positions (``pos``) are read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.interop.common import EdgeSpec, GraphSpec, InteropError, guess_kind, restore
from models.interop.xmlformats import colour_family, plain_label
from models.kinds import EdgeMark, EdgeStyle, Health, NodeKind
from models.params import CallParams, NodeSim

DOT = "Graphviz DOT"
_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\f\v]+) | (?P<newline>\n) | (?P<comment>//[^\n]*|\#[^\n]*|/\*.*?\*/)
    | (?P<string>"(?:\\.|[^"\\])*") | (?P<html><) | (?P<op>->|--|[{}\[\];,=:])
    | (?P<id>[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))
""", re.VERBOSE | re.DOTALL)
NAMED_COLOURS = {"red": "#ff0000", "firebrick": "#b22222", "crimson": "#dc143c", "darkred": "#8b0000",
                 "yellow": "#ffff00", "gold": "#ffd700", "orange": "#ffa500"}
MAX_NESTING = 100


@dataclass
class _Token:
    kind: str
    text: str
    line: int


def _tokens(text: str, source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos, line = 0, 1
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise InteropError(DOT, source, f"unexpected character {text[pos]!r}", f"line {line}")
        kind = match.lastgroup or ""
        if kind == "html":
            depth, end = 0, pos
            while end < len(text):
                depth += {"<": 1, ">": -1}.get(text[end], 0)
                end += 1
                if depth == 0:
                    break
            if depth:
                raise InteropError(DOT, source, "an HTML label <...> is not closed", f"line {line}")
            tokens.append(_Token("id", plain_label(text[pos + 1:end - 1]), line))
            line += text.count("\n", pos, end)
            pos = end
            continue
        value = match.group(0)
        if kind == "string":
            body = value[1:-1].replace("\\\n", "")
            tokens.append(_Token("id", re.sub(r'\\(["\\])', r"\1", body), line))
        elif kind in ("op", "id"):
            tokens.append(_Token(kind if kind == "op" else "id", value, line))
        line += value.count("\n")
        pos = match.end()
    return tokens


@dataclass
class _Parser:
    tokens: list[_Token]
    source: str
    graph: GraphSpec
    directed: bool = True
    pos: int = 0
    groups: list[str] = field(default_factory=list)

    def error(self, message: str) -> InteropError:
        token = self.tokens[min(self.pos, len(self.tokens) - 1)] if self.tokens else _Token("", "", 1)
        return InteropError(DOT, self.source, message, f"line {token.line}")

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self, text: str | None = None) -> _Token:
        token = self.peek()
        if token is None:
            raise self.error(f"the file ends where {text or 'more'} was expected")
        if text is not None and token.text != text:
            raise self.error(f"expected {text!r}, found {token.text!r}")
        self.pos += 1
        return token

    def attributes(self) -> dict[str, str]:
        attrs: dict[str, str] = {}
        while self.peek() is not None and self.peek().text == "[":  # type: ignore[union-attr]
            self.take("[")
            while self.peek() is not None and self.peek().text != "]":  # type: ignore[union-attr]
                key = self.take()
                value = "true"
                if self.peek() is not None and self.peek().text == "=":  # type: ignore[union-attr]
                    self.take("=")
                    value = self.take().text
                attrs[key.text.lower()] = value
                if self.peek() is not None and self.peek().text in (",", ";"):  # type: ignore[union-attr]
                    self.pos += 1
            self.take("]")
        return attrs

    def statements(self) -> None:
        self.take("{")
        while True:
            token = self.peek()
            if token is None:
                raise self.error("a '{' is not closed with '}'")
            if token.text == "}":
                self.pos += 1
                return
            if token.text == ";":
                self.pos += 1
                continue
            self.statement()

    def statement(self) -> None:
        token = self.take()
        if token.kind == "id" and token.text.lower() in ("graph", "node", "edge") and self.peek() is not None \
                and self.peek().text == "[":  # type: ignore[union-attr]
            self.attributes()
            return
        following = self.peek()
        if token.kind == "id" and following is not None and following.text == "=":
            self.take("=")
            value = self.take().text
            if token.text.lower() == "label" and self.groups:
                self.groups[-1] = value
            return
        self.pos -= 1
        ends = self.endpoint()
        chain: list[tuple[list[str], str]] = []
        while self.peek() is not None and self.peek().text in ("->", "--"):  # type: ignore[union-attr]
            op = self.take().text
            chain.append((self.endpoint(), op))
        attrs = self.attributes()
        if not chain:
            if len(ends) == 1 and ends[0] in self.graph.nodes:
                self.node_attributes(ends[0], attrs)
            return
        previous = ends
        for targets, _op in chain:
            for a in previous:
                for b in targets:
                    self.edge(a, b, attrs)
            previous = targets

    def endpoint(self) -> list[str]:
        token = self.peek()
        if token is None:
            raise self.error("the file ends where a node was expected")
        if token.text in ("subgraph", "{") or token.text.lower() == "subgraph":
            return self.subgraph()
        if token.kind != "id":
            raise self.error(f"expected a node id, found {token.text!r}")
        self.pos += 1
        while self.peek() is not None and self.peek().text == ":":  # type: ignore[union-attr]
            self.take(":")
            self.take()  # a port or compass point: the node is the same
        self.declare(token.text)
        return [token.text]

    def subgraph(self) -> list[str]:
        if len(self.groups) >= MAX_NESTING:
            raise self.error(f"subgraphs are nested deeper than {MAX_NESTING}")
        name = ""
        if self.peek() is not None and self.peek().text.lower() == "subgraph":  # type: ignore[union-attr]
            self.take()
            if self.peek() is not None and self.peek().kind == "id":  # type: ignore[union-attr]
                name = self.take().text
        before = set(self.graph.nodes)
        self.groups.append(name.removeprefix("cluster_") or f"subgraph {len(self.groups) + 1}")
        self.statements()
        label = self.groups.pop()
        members = [k for k in self.graph.nodes if k not in before]
        for key in members:
            if self.graph.nodes[key].group is None:
                self.graph.nodes[key].group = label
        return members

    def declare(self, key: str) -> None:
        if key not in self.graph.nodes:
            node = self.graph.node(key, key)
            node.kind = guess_kind(key) or NodeKind.SERVICE
            if self.groups:
                node.group = self.groups[-1]

    def node_attributes(self, key: str, attrs: dict[str, str]) -> None:
        node = self.graph.nodes[key]
        if self.groups and node.group is None:
            node.group = self.groups[-1]
        if not attrs:
            return
        if "label" in attrs:
            node.label = attrs["label"].replace("\\n", " ").replace("\\l", " ").strip() or key
        shape = attrs.get("shape", "")
        node.kind = (NodeKind(attrs["kind"]) if attrs.get("kind") in set(NodeKind)
                     else NodeKind.DATABASE if shape in ("cylinder",) else NodeKind.USERS if shape == "egg"
                     else guess_kind(node.label, key) or NodeKind.SERVICE)
        fill = colour_family(NAMED_COLOURS.get(attrs.get("fillcolor", ""), attrs.get("fillcolor", "")))
        if attrs.get("health") in set(Health):
            node.health = Health(attrs["health"])
        elif fill:
            node.health = Health.RED if fill == "red" else Health.YELLOW
        if "pos" in attrs:
            parts = attrs["pos"].rstrip("!").split(",")
            try:
                node.x, node.y = float(parts[0]), -float(parts[1])
            except (ValueError, IndexError):
                raise self.error(f"pos {attrs['pos']!r} is not 'x,y'") from None
        if attrs.get("notes"):
            node.notes.extend(attrs["notes"].split("\\n"))
        node.sim = restore(NodeSim, attrs.get("sim")) or node.sim

    def edge(self, a: str, b: str, attrs: dict[str, str]) -> None:
        colour = NAMED_COLOURS.get(attrs.get("color", ""), attrs.get("color", ""))
        marks = [EdgeMark(m) for m in attrs.get("marks", "").split(",") if m in set(EdgeMark)]
        if colour_family(colour) == "red" and EdgeMark.CRITICAL not in marks:
            marks.append(EdgeMark.CRITICAL)
        self.graph.edge(EdgeSpec(
            a, b, label=attrs.get("label", "").replace("\\n", " "),
            style=EdgeStyle.DASHED if "dashed" in attrs.get("style", "") or "dotted" in attrs.get("style", "")
            else EdgeStyle.SOLID, marks=tuple(marks),
            notes=attrs["notes"].split("\\n") if attrs.get("notes") else [],
            call=restore(CallParams, attrs.get("call")) or CallParams(),
        ))
        if not self.directed:
            self.graph.notices.append(f"undirected edge {a} -- {b} taken as {a} calling {b}")


def read_dot(text: str, source: str) -> GraphSpec:
    tokens = _tokens(text, source)
    graph = GraphSpec(fmt=DOT, title=source.rsplit("/", 1)[-1])
    parser = _Parser(tokens, source, graph)
    if parser.peek() is not None and parser.peek().text.lower() == "strict":  # type: ignore[union-attr]
        parser.take()
    head = parser.take()
    if head.text.lower() not in ("graph", "digraph"):
        raise parser.error(f"expected 'graph' or 'digraph', found {head.text!r}")
    parser.directed = head.text.lower() == "digraph"
    if parser.peek() is not None and parser.peek().kind == "id":  # type: ignore[union-attr]
        graph.title = parser.take().text or graph.title
    parser.statements()
    if parser.peek() is not None:
        raise parser.error(f"unexpected {parser.peek().text!r} after the graph's closing '}}'")  # type: ignore[union-attr]
    return graph


def sniff_dot(text: str, data: object) -> str | None:
    stripped = re.sub(r"^(\s|//[^\n]*\n|#[^\n]*\n|/\*.*?\*/)*", "", text[:4000], flags=re.DOTALL)
    return "dot" if re.match(r"(strict\s+)?(di)?graph\b[^{]*\{", stripped, re.IGNORECASE) else None
