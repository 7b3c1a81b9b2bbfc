"""What every importer shares: the error, size and depth limits, ids, and the
intermediate graph that becomes a board (see docs/INTEROP.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.kinds import EdgeMark, EdgeStyle, Health, NodeKind
from models.params import CallParams, NodeSim

MAX_IMPORT_BYTES = 64 * 1024 * 1024
"""Largest file any importer reads; bigger files are refused before reading (not streamed)."""
MAX_DEPTH = 200
"""Deepest nesting of JSON/YAML/XML an importer accepts."""
MAX_ELEMENTS = 20_000
"""Most nodes or edges one import may produce (a board holds at most 20,000 of a kind)."""
MAX_VALUES = 5_000_000
"""Most values (after YAML aliases are expanded) one file may hold."""
MAX_SPANS = 2_000_000
"""Most spans all trace files of one import may hold together."""


class InteropError(ValueError):
    """A file that cannot be imported: names the format and the place."""

    def __init__(self, fmt: str, source: str, message: str, place: str = "") -> None:
        self.fmt = fmt
        self.source = source
        self.place = place
        where = f" at {place}" if place else ""
        super().__init__(f"{source}: not a valid {fmt} file{where}: {message}")


def read_source(path: Path, fmt: str = "input", limit: int = MAX_IMPORT_BYTES) -> bytes:
    """The bytes of a file, refusing more than ``limit`` before reading it."""
    source = str(path)
    try:
        if not path.is_file():
            raise InteropError(fmt, source, "does not exist or is not a file")
        size = path.stat().st_size
        if size > limit:
            raise InteropError(fmt, source, f"is too large ({size} bytes; the import limit is {limit})")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise InteropError(fmt, source, f"cannot be read: {error.strerror or error}") from None
    if len(data) > limit:
        raise InteropError(fmt, source, f"is too large (more than {limit} bytes)")
    return data


def decode_text(data: bytes, fmt: str, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InteropError(fmt, source, "is not UTF-8 text", f"byte {error.start}") from None


def check_depth(value: Any, fmt: str, source: str, limit: int = MAX_DEPTH) -> None:
    """Refuse data nested deeper than ``limit``, looping (YAML aliases to an ancestor), or expanding to more
    than ``MAX_VALUES`` values (a billion laughs: shared values are sized once and counted each time used)."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(item: Any, depth: int) -> int:
        if not isinstance(item, (dict, list)):
            return 1
        key = id(item)
        if key in sizes:
            return sizes[key]
        if key in on_path:
            raise InteropError(fmt, source, "is nested deeper than any limit: its aliases loop")
        if depth > limit:
            raise InteropError(fmt, source, f"is nested deeper than {limit} levels")
        on_path.add(key)
        children = item.values() if isinstance(item, dict) else item
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_VALUES:
                raise InteropError(fmt, source, f"expands to more than {MAX_VALUES} values (aliases repeated "
                                   "over and over?)")
        on_path.discard(key)
        sizes[key] = total
        return total

    size(value, 0)


_BAD_ID = re.compile(r"[^A-Za-z0-9_.:-]+")


def make_id(text: str, taken: set[str], fallback: str = "n") -> str:
    """A board id from any text: allowed characters, at most 64, unique in ``taken`` (which it extends)."""
    base = _BAD_ID.sub("-", text.strip()).strip("-_.:")[:56] or fallback
    if not base[0].isalnum():
        base = f"{fallback}{base}"[:56]
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


@dataclass
class NodeSpec:
    """A node as an importer read it; ``key`` is the source's own name for it."""

    key: str
    label: str
    kind: NodeKind = NodeKind.SERVICE
    x: float | None = None
    y: float | None = None
    health: Health = Health.NONE
    notes: list[str] = field(default_factory=list)
    sim: NodeSim = field(default_factory=NodeSim)
    group: str | None = None


@dataclass
class EdgeSpec:
    source: str
    target: str
    label: str = ""
    style: EdgeStyle = EdgeStyle.SOLID
    marks: tuple[EdgeMark, ...] = ()
    notes: list[str] = field(default_factory=list)
    call: CallParams = field(default_factory=CallParams)


@dataclass
class GraphSpec:
    """What one importer read: nodes, edges, groups, and notices on what was inferred."""

    fmt: str
    title: str
    nodes: dict[str, NodeSpec] = field(default_factory=dict)
    edges: list[EdgeSpec] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rate_rps: float | None = None
    """Observed request rate at the entries, when the source says it."""

    def node(self, key: str, label: str | None = None, kind: NodeKind | None = None) -> NodeSpec:
        """The node ``key``, added if new."""
        spec = self.nodes.get(key)
        if spec is None:
            if len(self.nodes) >= MAX_ELEMENTS:
                raise InteropError(self.fmt, self.title, f"has more than {MAX_ELEMENTS} nodes")
            spec = self.nodes[key] = NodeSpec(key, label if label is not None else key)
            if kind is not None:
                spec.kind = kind
        return spec

    def edge(self, spec: EdgeSpec) -> None:
        if len(self.edges) >= MAX_ELEMENTS:
            raise InteropError(self.fmt, self.title, f"has more than {MAX_ELEMENTS} edges")
        self.edges.append(spec)


def restore(model: type[NodeSim] | type[CallParams], text: object) -> Any:
    """Simulation parameters a file of ours carried as JSON (GraphML, DOT), or None when absent or invalid."""
    if not isinstance(text, str) or not text.startswith("{"):
        return None
    try:
        return model.model_validate_json(text)
    except ValueError:
        return None


_KIND_WORDS: tuple[tuple[NodeKind, tuple[str, ...]], ...] = (
    (NodeKind.USERS, ()),  # by the whole name: see guess_kind
    (NodeKind.VECTOR_STORE, ("vector", "qdrant", "weaviate", "pinecone", "milvus", "chroma", "faiss")),
    (NodeKind.CACHE, ("redis", "memcache", "cache", "valkey", "hazelcast", "varnish", "session-db")),
    (NodeKind.BROKER, ("kafka", "rabbit", "queue", "sqs", "sns", "nats", "pulsar", "broker", "activemq",
                       "mq", "kinesis", "pubsub", "event")),
    (NodeKind.DATABASE, ("postgres", "mysql", "mariadb", "mongo", "dynamo", "cassandra", "database", "db",
                         "sql", "elasticsearch", "opensearch", "store", "storage", "s3", "bucket", "rds",
                         "prometheus", "cockroach", "couch", "neo4j", "clickhouse", "etcd")),
    (NodeKind.LLM, ("llm", "openai", "gpt", "claude", "anthropic", "ollama", "bedrock", "gemini", "model")),
    (NodeKind.GATEWAY, ("gateway", "ingress", "proxy", "nginx", "envoy", "traefik", "haproxy", "edge",
                        "load balancer", "loadbalancer", "elb", "alb", "api-gw", "front-end", "frontend")),
    (NodeKind.PIPELINE, ("pipeline", "worker", "batch", "etl", "job", "spark", "flink", "airflow")),
    (NodeKind.EXTERNAL, ("external", "third-party", "3rd", "stripe", "paypal", "twilio")),
)


def guess_workload_kind(*texts: str) -> NodeKind:
    """The kind of something deployed: never users (it runs in the cluster), service when nothing says."""
    kind = guess_kind(*texts)
    return NodeKind.SERVICE if kind in (None, NodeKind.USERS) else kind


def guess_kind(*texts: str) -> NodeKind | None:
    """A node kind from names, images or styles, by the first family of words one of them contains;
    None when nothing matches (the caller keeps its default and says so)."""
    words = " ".join(t.lower() for t in texts if t)
    tokens = set(re.split(r"[^a-z0-9]+", words))
    for kind, needles in _KIND_WORDS:
        if kind == NodeKind.USERS:  # "User 1 App 1" and "user-db" are not users; "Users", "User 2" are
            if any(re.fullmatch(r"(users?|clients?|browsers?|actors?|persons?|people|customers?|end users?|"
                                r"mobile( app)?s?|load-test\S*)(\s*\d+)?", t.lower().strip()) for t in texts if t):
                return kind
            continue
        for needle in needles:
            if (needle in tokens) if len(needle) <= 3 else (needle in words):
                return kind
    return None
