"""Generated boards of a given shape and size, for benchmarks and stress tests.

``chain`` is one long line of synchronous calls, ``star`` one hub calling
every other node, ``tree`` a binary tree of calls, ``dag`` a dense layered
acyclic graph (every node calls every later node, up to ``fan_out`` of them),
and ``async_cycle`` a ring of asynchronous calls. Every board has a users node
in front and a ``peak`` scenario, so ``analyze`` and ``simulate`` run on it.
"""

from __future__ import annotations

from typing import Any

SHAPES = ("chain", "star", "tree", "dag", "async_cycle")


def _edges(shape: str, n: int, fan_out: int) -> list[tuple[int, int]]:
    if shape == "chain":
        return [(i, i + 1) for i in range(n - 1)]
    if shape == "star":
        return [(0, i) for i in range(1, n)]
    if shape == "tree":
        return [((i - 1) // 2, i) for i in range(1, n)]
    if shape == "dag":
        return [(i, j) for i in range(n) for j in range(i + 1, min(n, i + 1 + fan_out))]
    if shape == "async_cycle":
        return [(i, (i + 1) % n) for i in range(n)]
    raise ValueError(f"unknown shape {shape!r} (known: {', '.join(SHAPES)})")


def board_data(shape: str, n: int, fan_out: int = 1_000_000, rps: float = 5.0) -> dict[str, Any]:
    """A board of ``n`` service nodes (plus one users node) as parsed JSON."""
    mode = "async" if shape == "async_cycle" else "sync"
    nodes: list[dict[str, Any]] = [{"id": "users", "kind": "users", "label": "Users"}]
    nodes += [
        {"id": f"n{i}", "label": f"Node {i}", "x": float(i % 100) * 10, "y": float(i // 100) * 10,
         "sim": {"workers": 8, "service_time": {"kind": "constant", "mean_ms": 1.0}}}
        for i in range(n)
    ]
    edges: list[dict[str, Any]] = [{"id": "e-in", "source": "users", "target": "n0"}]
    made: dict[int, int] = {}
    for a, b in _edges(shape, n, fan_out):
        order = made[a] = made.get(a, -1) + 1
        call = {"mode": mode, "order": min(order, 10_000)}
        edges.append({"id": f"e{a}-{b}", "source": f"n{a}", "target": f"n{b}", "call": call})
    return {
        "format_version": 1,
        "meta": {"title": f"{shape} of {n}"},
        "nodes": nodes,
        "edges": edges,
        "scenarios": [{"id": "peak", "name": "Peak", "duration_s": 2.0,
                       "traffic": {"kind": "constant", "base_rps": rps, "peak_rps": rps}}],
    }
