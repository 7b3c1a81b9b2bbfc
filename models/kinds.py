"""The closed sets of the domain, as string enums.

Each member *is* its string (``Health.RED == "red"``), so JSON, the
``.cboard`` format and comparisons with plain strings stay as they were.
Fields typed with a ``Choice`` accept the same strings as the ``Literal`` they
replace, give the same messages (``models.validation``) and the same JSON
Schema (an inline ``enum``), and hold the enum member afterwards.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema


class Choice(StrEnum):
    """A closed set of strings, checked by pydantic's own enum validator and
    described in JSON Schema as an inline ``enum``, as a ``Literal`` is."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.enum_schema(cls, list(cls.__members__.values()), sub_type="str")

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"enum": [member.value for member in cls], "type": "string"}


class Collection(StrEnum):
    """The lists of entities on a board, in file order."""

    NODES = "nodes"
    EDGES = "edges"
    QUEUES = "queues"
    LOOPS = "loops"
    FLOWS = "flows"
    STAGES = "stages"
    STAKEHOLDERS = "stakeholders"
    FAILURE_MODES = "failure_modes"
    CASCADES = "cascades"
    INTERVENTIONS = "interventions"
    SCENARIOS = "scenarios"
    STEPS = "steps"
    ANNOTATIONS = "annotations"
    FINDINGS = "findings"


# --- entities -------------------------------------------------------------------


class NodeKind(Choice):
    GATEWAY = "gateway"
    SERVICE = "service"
    DATABASE = "database"
    CACHE = "cache"
    VECTOR_STORE = "vector_store"
    LLM = "llm"
    BROKER = "broker"
    PIPELINE = "pipeline"
    USERS = "users"
    EXTERNAL = "external"


class Health(Choice):
    """The analyst's health mark on a node."""

    NONE = "none"
    YELLOW = "yellow"
    RED = "red"


class EdgeStyle(Choice):
    SOLID = "solid"
    DASHED = "dashed"


class EdgeMark(Choice):
    CRITICAL = "critical"
    MISSING_QUEUE = "missing_queue"


class Level(Choice):
    """An intervention's impact or effort."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class LoopKind(Choice):
    REINFORCING = "reinforcing"
    BALANCING = "balancing"


class Growth(Choice):
    NONE = "none"
    LINEAR = "linear"
    EXPONENTIAL = "exponential"


class StageMode(Choice):
    SERIAL = "serial"
    PARALLEL = "parallel"


class Metric(Choice):
    """A result metric a stakeholder's target can bound."""

    P50_MS = "p50_ms"
    P95_MS = "p95_ms"
    P99_MS = "p99_ms"
    MEAN_MS = "mean_ms"
    ERROR_RATE = "error_rate"


class EffectOrder(Choice):
    """Where an effect sits in a cascade."""

    TRIGGER = "trigger"
    PRIMARY = "primary"
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"


class CascadeStyle(Choice):
    RED = "red"
    ORANGE = "orange"
    DASHED = "dashed"


class AnnotationKind(Choice):
    INK = "ink"
    HIGHLIGHT = "highlight"
    TEXT = "text"
    STICKY = "sticky"


class LayerName(Choice):
    """The canvas overlays, each switched by a field of ``Layers``."""

    HEALTH = "health"
    FLOWS = "flows"
    QUEUES = "queues"
    LOOPS = "loops"
    CASCADES = "cascades"
    ANNOTATIONS = "annotations"
    STAGES = "stages"
    CRITICAL = "critical"
    LEGEND = "legend"


class Section(Choice):
    """The board section a catalog model fills."""

    STAKEHOLDERS = "stakeholders"
    BOTTLENECKS = "bottlenecks"
    FAILURE_MODES = "failure_modes"
    FLOWS = "flows"
    STAGES = "stages"
    QUEUES = "queues"
    LOOPS = "loops"
    CASCADES = "cascades"
    TOPOLOGY = "topology"
    REFLECTION = "reflection"
    INTERVENTIONS = "interventions"
    NOTES = "notes"


# --- simulation parameters ------------------------------------------------------


class DistributionKind(Choice):
    CONSTANT = "constant"
    EXPONENTIAL = "exponential"
    LOGNORMAL = "lognormal"
    UNIFORM = "uniform"


class QueueDiscipline(Choice):
    """The order a replica's waiting line is served in (docs/SIMULATION.md, "A node")."""

    FIFO = "fifo"
    PRIORITY = "priority"
    LIFO = "lifo"
    CODEL = "codel"


class LoadBasis(Choice):
    """What load-dependent latency counts: busy workers, or every request in the node (queued too)."""

    BUSY = "busy"
    IN_NODE = "in_node"


class LoadBalancer(Choice):
    ROUND_ROBIN = "round_robin"
    RANDOM = "random"
    LEAST_CONNECTIONS = "least_connections"


class Backoff(Choice):
    NONE = "none"
    FIXED = "fixed"
    EXPONENTIAL = "exponential"


class Jitter(Choice):
    NONE = "none"
    FULL = "full"
    EQUAL = "equal"
    DECORRELATED = "decorrelated"


class BreakerPreset(Choice):
    CUSTOM = "custom"
    RESILIENCE4J = "resilience4j"
    HYSTRIX = "hystrix"
    POLLY = "polly"


class CallCondition(Choice):
    """Which outcome of the caller's cache lookup a call depends on."""

    ALWAYS = "always"
    CACHE_MISS = "cache_miss"
    CACHE_HIT = "cache_hit"


class CallMode(Choice):
    SYNC = "sync"
    ASYNC = "async"


class TrafficKind(Choice):
    CONSTANT = "constant"
    RAMP = "ramp"
    PEAK_WINDOW = "peak_window"
    BURST = "burst"
    POINTS = "points"


class MeasuredMetric(Choice):
    """The figures a measurement keeps for each scenario (``models.runs.metrics`` keys)."""

    P50_MS = "p50_ms"
    P99_MS = "p99_ms"
    ERROR_RATE = "error_rate"
    DEGRADED_SHARE = "degraded_share"
    GOODPUT_RPS = "goodput_rps"
    RECOVER_S = "recover_s"


class FailureKind(Choice):
    CRASH = "crash"
    LATENCY_SPIKE = "latency_spike"
    CAPACITY_CUT = "capacity_cut"
    PARTITION = "partition"
    CACHE_FLUSH = "cache_flush"
    CACHE_INVALIDATION = "cache_invalidation"
    ERROR_RATE = "error_rate"
    RATE_LIMIT_CHANGE = "rate_limit_change"
