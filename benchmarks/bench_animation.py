"""Animation performance: a simulation run at full speed shown on the canvas.

    .venv/bin/python benchmarks/bench_animation.py [--seconds S]

For the StreamFlow example (scenario ``peak``) and for a generated 500-node,
~1,000-edge layered board (15 requests/s), runs the real engine (in its child
process, driven by the worker thread) as fast as it goes, with the overlay on a
1600×1000 offscreen view zoomed to fit, and prints: frames computed and applied
per second, the time to apply one frame (the overlay update, not counting the
repaint that follows), and the longest stall of the GUI event loop (the worst
delay of a zero-interval timer, which includes the repaints), also counted after
the first second (once the overlay is built). The machine's
other load shows in these numbers; run it on a quiet machine. Not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.document import BoardDocument
from models.entities import Edge, Node
from models.fileformat import load_path
from models.params import CallParams, Distribution, NodeSim, SimScenario, TrafficProfile

EXAMPLE = Path(__file__).resolve().parent.parent / "resources" / "examples" / "streamflow-ai.cboard"
VIEW_W, VIEW_H = 1600, 1000


def generated_board(nodes: int = 500, width: int = 20, seed: int = 1) -> BoardDocument:
    """Users → a layered call graph: each service calls two of the next layer, each with
    probability one half, so a request visits about one node per layer."""
    rng = random.Random(seed)
    kinds = ("service", "database", "cache", "vector_store", "llm", "broker", "external")
    made = [Node(id="users", kind="users", label="Users", x=-300.0, y=width * 65.0)]
    for i in range(nodes - 1):
        layer, slot = divmod(i, width)
        made.append(Node(
            id=f"n{i}", label=f"Service {i}", kind="gateway" if layer == 0 else rng.choice(kinds),
            x=layer * 240.0, y=slot * 130.0,
            sim=NodeSim(workers=rng.choice((4, 8, 16)), queue_limit=rng.choice((None, 200)),
                        service_time=Distribution(kind="exponential", mean_ms=rng.uniform(2, 12))),
        ))
    links = [Edge(id=f"u-n{i}", source="users", target=f"n{i}") for i in range(width)]
    count = nodes - 1
    for i in range(count - width):
        layer = i // width
        nxt = list(range((layer + 1) * width, min(count, (layer + 2) * width)))
        for order, j in enumerate(rng.sample(nxt, min(2, len(nxt)))):
            links.append(Edge(id=f"e{i}-{j}", source=f"n{i}", target=f"n{j}",
                              call=CallParams(order=order, probability=0.5, timeout_ms=2000.0)))
    scenario = SimScenario(id="peak", name="Peak", duration_s=300.0,
                           traffic=TrafficProfile(kind="constant", base_rps=15.0))
    return BoardDocument(nodes=tuple(made), edges=tuple(links), scenarios=(scenario,))


def measure(name: str, document: BoardDocument, scenario: str, seconds: float) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from app.sim.controller import SimulationController
    from app.sim.worker import MAX_SPEED
    from app.ui.animation.overlay import SimulationOverlay
    from app.ui.canvas.scene import BoardScene
    from app.ui.canvas.view import BoardView
    from app.ui.launch import settle_heap
    from models.board import Board

    app = QApplication.instance() or QApplication([sys.argv[0]])
    board = Board(document)
    scene = BoardScene(board)
    view = BoardView(scene)
    view.resize(VIEW_W, VIEW_H)
    view.show()
    view.zoom_to_fit()
    app.processEvents()
    settle_heap()  # as the program does once its window is up
    overlay = SimulationOverlay(scene, view)
    controller = SimulationController(board)
    controller.scenario_id = scenario
    controller.set_speed(MAX_SPEED)
    apply_ms: list[float] = []

    def apply(frame: object) -> None:
        started = time.perf_counter()
        overlay.apply(frame)  # type: ignore[arg-type]
        apply_ms.append((time.perf_counter() - started) * 1000)

    controller.displayed.connect(apply)
    stalls: list[float] = []
    clock = QElapsedTimer()
    probe = QTimer()
    probe.setInterval(0)

    stamps: list[float] = []

    def tick() -> None:
        stalls.append(clock.nsecsElapsed() / 1e6)
        stamps.append(time.perf_counter() - started)
        clock.restart()

    probe.timeout.connect(tick)
    done = {"at": None}
    controller.state_changed.connect(
        lambda s: s in ("finished", "error") and done.__setitem__("at", time.perf_counter()))
    started = time.perf_counter()
    clock.start()
    probe.start()
    controller.play()
    while done["at"] is None and time.perf_counter() - started < seconds:
        app.processEvents()
    probe.stop()
    wall = (done["at"] or time.perf_counter()) - started
    computed = len(controller.history)
    applied = len(apply_ms)
    controller.stop()
    controller.shutdown()
    app.processEvents()
    late = [s for s, at in zip(stalls, stamps, strict=True) if at > 1.0]
    stalls = stalls[3:] or [0.0]
    ordered = sorted(apply_ms) or [0.0]
    print(f"{name}: {len(document.nodes)} nodes, {len(document.edges)} edges, scenario {scenario!r}")
    print(f"  frames computed: {computed} in {wall:.2f} s ({computed / wall:.0f}/s, {computed / wall:.0f}× real time)")
    print(f"  frames applied:  {applied} ({applied / wall:.1f}/s)")
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"  apply one frame: mean {statistics.fmean(ordered):.2f} ms, p95 {p95:.2f} ms, max {ordered[-1]:.2f} ms")
    slow = sorted(stalls)[-5:]
    print(f"  event-loop stall: worst {max(stalls):.1f} ms, p99 {sorted(stalls)[int(0.99 * (len(stalls) - 1))]:.1f} ms,"
          f" over 50 ms: {sum(s > 50 for s in stalls)} of {len(stalls)}; worst five {[round(s) for s in slow]}")
    print(f"  after the first second: {sum(s > 50 for s in late)} stalls over 50 ms"
          f" (worst {max(late, default=0.0):.0f} ms)")
    scene.detach()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="wall seconds per run at most (default 8)")
    args = parser.parse_args()
    measure("StreamFlow", load_path(EXAMPLE), "peak", args.seconds)
    measure("generated", generated_board(), "peak", args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
