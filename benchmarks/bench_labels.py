"""Label placement (``app.labels.place_labels``) on a generated 500-node board whose 978 edges
all carry a label, at its drawn spacing and squeezed closer, where labels no longer fit and
each one searches round its line for room.

    .venv/bin/python benchmarks/bench_labels.py [--repeat N] [--baseline REV]

Qt-free: a fixed-width text measure (6 units a character, 16 a line), so the numbers are the
routine's alone. Prints the milliseconds of one placement (median of ``--repeat``), the
labels' collisions, and how many labels sit further than 60 units from their line (read as
another line's). ``--baseline REV`` measures commit REV's code in the same run and
prints both side by side. Not a test.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import targets  # (benchmarks/targets.py: the code measured; puts that code first on sys.path)

from app.labels import LabelInput, place_labels
from models.entities import Edge

FAR = 60.0
"""A label whose centre is this far from its line is counted as far (read as another line's)."""


def _distance(point: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """From ``point`` to the segment a–b."""
    (px, py), (ax, ay), (bx, by) = point, a, b
    length2 = (bx - ax) ** 2 + (by - ay) ** 2 or 1e-9
    t = max(0.0, min(1.0, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length2))
    return math.dist(point, (ax + t * (bx - ax), ay + t * (by - ay)))


class FixedMetrics:
    scale = 1.0

    def width(self, text: str, role: str) -> float:
        return 6.0 * len(text)

    def box(self, lines: list[str], role: str) -> tuple[float, float]:
        return max(6.0 * len(line) for line in lines) + 10, 16.0 * len(lines) + 2


def board(spacing: float, nodes: int = 500, width: int = 20, seed: int = 1) -> LabelInput:
    """Users → layers of ``width`` services, each calling two of the next layer; ``spacing`` 1 is
    240 × 130 units between nodes (``bench_animation.generated_board``'s grid)."""
    rng = random.Random(seed)
    centres = {"users": (-300.0 * spacing, width * 65.0 * spacing)}
    for i in range(nodes - 1):
        layer, slot = divmod(i, width)
        centres[f"n{i}"] = (layer * 240.0 * spacing, slot * 130.0 * spacing)
    edges = [Edge(id=f"users-n{slot}", source="users", target=f"n{slot}", label=f"requests {slot}")
             for slot in range(width)]
    for i in range(nodes - 1 - width):
        layer = i // width
        for target in rng.sample(range((layer + 1) * width, min((layer + 2) * width, nodes - 1)), 2):
            edges.append(Edge(id=f"n{i}-n{target}", source=f"n{i}", target=f"n{target}", label=f"call {i} · 20 ms"))
    return LabelInput(centres=centres, edges=edges)


def measure(name: str, data: LabelInput, repeat: int) -> None:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        layout = place_labels(data, FixedMetrics())
        times.append(time.perf_counter() - started)
    ends = {edge.id: (data.centres[edge.source], data.centres[edge.target]) for edge in data.edges}
    far = sum(1 for key, placed in layout.placed.items()
              if key[0] == "edge" and _distance(placed.box.centre, *ends[key[1]]) > FAR)
    labelled = sum(1 for edge in data.edges if edge.label)
    targets.report(f"{name}: place {labelled} labels (median)", statistics.median(times) * 1000, "ms",
                   higher_is_better=False)
    targets.report(f"{name}: collisions", len(layout.collisions()), "pairs", higher_is_better=False)
    targets.report(f"{name}: labels over {FAR:g} from their line", far, "labels", higher_is_better=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    targets.add_baseline_option(parser)
    args = parser.parse_args()
    for spacing in (1.0, 0.8, 0.6):
        measure(f"500 nodes at {spacing:g}× spacing", board(spacing), args.repeat)
    targets.finish(args, [str(Path(__file__).resolve()), *sys.argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
