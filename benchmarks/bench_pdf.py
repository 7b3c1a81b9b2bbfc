"""Time the PDF handout export: the StreamFlow example and a generated 500-node board.

Run: ``.venv/bin/python benchmarks/bench_pdf.py [--repeat N] [--nodes N]``.
Prints the best and median wall time of each export and its page count.
Targets (issue 6): under 2 s for StreamFlow, under 10 s for 500 nodes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.export import export_pdf  # noqa: E402
from app.resources import example_path  # noqa: E402
from models.document import BoardDocument, Meta  # noqa: E402
from models.entities import (  # noqa: E402
    Cascade,
    CascadeEffect,
    Edge,
    FailureMode,
    Flow,
    Hop,
    Intervention,
    Loop,
    Node,
    Queue,
    Stakeholder,
    Step,
)
from models.fileformat import load_path  # noqa: E402

KINDS = ("service", "database", "cache", "vector_store", "llm", "broker", "pipeline", "external")


def generated_board(count: int, seed: int = 1) -> BoardDocument:
    """A layered call graph of ``count`` nodes with every section filled."""
    rng = random.Random(seed)
    columns = 25
    nodes = [Node(id="users", kind="users", label="Users", x=-300, y=0)]
    for index in range(count - 1):
        layer, row = divmod(index, columns)
        nodes.append(Node(id=f"n{index}", kind=rng.choice(KINDS), label=f"Service {index}",
                          x=layer * 260.0, y=row * 120.0,
                          health=rng.choices(("none", "yellow", "red"), (8, 2, 1))[0]))
    edges = [Edge(id=f"e-users-{r}", source="users", target=f"n{r}", marks=("critical",)) for r in range(3)]
    for index in range(count - 1 - columns):
        for target in rng.sample(range(columns), 2):
            target_index = (index // columns + 1) * columns + target
            if target_index < count - 1:
                edges.append(Edge(id=f"e{index}-{target_index}", source=f"n{index}", target=f"n{target_index}",
                                  label=f"call {rng.randint(5, 400)} ms",
                                  style=rng.choice(("solid", "solid", "dashed"))))
    ids = [n.id for n in nodes[1:]]
    return BoardDocument(
        meta=Meta(title=f"Generated board ({count} nodes)", system="benchmark", analyst="bench_pdf.py"),
        nodes=tuple(nodes),
        edges=tuple(edges),
        queues=tuple(Queue(id=f"q{i}", name=f"Queue {i}", node=ids[i * 7], exists=i % 3 != 0,
                           depth_limit=rng.choice((None, 100, 1000))) for i in range(40)),
        loops=tuple(Loop(id=f"l{i}", name=f"Loop {i}", kind=rng.choice(("reinforcing", "balancing")),
                         nodes=(ids[i * 11], ids[i * 11 + 1])) for i in range(20)),
        flows=tuple(Flow(id=f"f{i}", name=f"Flow {i}",
                         hops=tuple(Hop(node=ids[i * 25 + h * 25 % len(ids)], action=f"hop {h}",
                                        latency_ms=rng.uniform(1, 200)) for h in range(12)))
                    for i in range(5)),
        stakeholders=tuple(Stakeholder(id=f"s{i}", name=f"Stakeholder {i}", wants="uptime",
                                       success=("fast", "correct")) for i in range(6)),
        failure_modes=tuple(FailureMode(id=f"fm{i}", node=ids[i % len(ids)], name=f"Mode {i}",
                                        effect="requests fail", severity=rng.randint(1, 5))
                            for i in range(300)),
        cascades=tuple(Cascade(id=f"c{i}", name=f"Cascade {i}", trigger="overload",
                               effects=(CascadeEffect(order="primary", text="errors"),
                                        CascadeEffect(order="first", text="timeouts")),
                               path=tuple(ids[i * 25 + k * 25] for k in range(4)),
                               style=("red", "orange", "dashed")[i % 3]) for i in range(6)),
        interventions=tuple(Intervention(id=f"i{i}", title=f"Intervention {i}", rank=i + 1,
                                         impact=rng.choice(("low", "medium", "high")),
                                         effort=rng.choice(("low", "medium", "high")),
                                         targets=(ids[i],)) for i in range(30)),
        steps=tuple(Step(id=f"st{i}", code=f"DE{i:02d}", name=f"Step {i}", segment_start=f"{i * 3:02d}:00")
                    for i in range(10)),
    )


def timed(document: BoardDocument, repeat: int) -> tuple[float, float, int]:
    times = []
    pages = 0
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeat):
            start = time.perf_counter()
            pages = export_pdf(document, Path(folder) / "out.pdf")
            times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=500)
    args = parser.parse_args()
    export_pdf(BoardDocument(), Path(tempfile.gettempdir()) / "bench-warmup.pdf")  # font loading
    cases = [
        ("StreamFlow example", load_path(example_path("streamflow-ai.cboard"))),
        (f"generated {args.nodes}-node board", generated_board(args.nodes)),
    ]
    for name, document in cases:
        best, median, pages = timed(document, args.repeat)
        print(f"{name:<28} best {best:6.2f} s   median {median:6.2f} s   {pages} pages")


if __name__ == "__main__":
    main()
