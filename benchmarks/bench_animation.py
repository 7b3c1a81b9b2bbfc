"""Animation performance: a simulation run shown on the canvas.

    .venv/bin/python benchmarks/bench_animation.py [--seconds S] [--frames N] [--parts P,…] [--baseline REV]

For the StreamFlow example (scenario ``peak``) and for a generated 500-node,
~1,000-edge layered board (15 requests/s), on a 1600×1000 offscreen view zoomed to fit:

- **live**: the real engine (in its child process, driven by the worker thread)
  as fast as it goes, the window's event loop running as in the program. Prints
  frames computed and applied per second, the GUI thread's CPU time per applied
  frame, and the event loop's stalls: gaps over 50 ms between the ticks of a 10 ms
  timer, counted from a second after the first frame is on screen. The engine's own
  speed bounds the applied rate; at maximum speed the worker shortens its steps to
  send 40 frames a second (see docs/recording.md, "Performance").
- **replay**: the GUI side alone. Frames computed beforehand are fed 40 times a
  second (what the worker sends at maximum speed; the target asks for 30 applied),
  with the dots' own animation running; prints the
  frames applied per second, the GUI thread's CPU time per frame and the rate it
  allows, the stalls, and Qt-side counters per frame: viewport repaints, the share
  of the viewport they cover, and item paints by kind. Also at 100 % on the big
  board, where the overlay draws every node's numbers.

- **paced**: the big board's replay at fit and at 100 %, the overlay's clock advancing exactly
  1/30 s a frame (``paced``): the GUI's CPU per frame at 30 frames a second, which the
  machine's load does not change (a slow wall-clock replay repaints every frame).
- **engine-big**: the live run's work per frame on the big board without the window, in CPU
  time: the child's engine step, looks and pickling, and the receiving side's unpickling and
  ``FrameView`` (``engine_side``). The live runs also print the engine process's CPU per frame.

``--parts`` runs some of the parts only (``PARTS``: the StreamFlow replay, the big board's
replays and paced replays at fit and at 100 %, its engine side, the two live runs). Each number
is printed beside its target (docs/recording.md, "Performance"); ``--baseline REV`` measures
commit REV's code in the same run and prints both side by side. The machine's other load
inflates wall-clock numbers, not CPU time. Not a test.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
import targets  # (benchmarks/targets.py: the code measured, the targets; puts that code first on sys.path)

from models.document import BoardDocument
from models.entities import Edge, Node
from models.fileformat import load_path
from models.params import CallParams, Distribution, NodeSim, SimScenario, TrafficProfile

EXAMPLE = Path(__file__).resolve().parent.parent / "resources" / "examples" / "streamflow-ai.cboard"
VIEW_W, VIEW_H = 1600, 1000
APPLIED_FPS, STALL_MS = 30.0, 50.0
"""Targets of issue 10 for the 500-node board (docs/recording.md, "Performance")."""
FEED_FPS = 40.0
"""How fast a replay hands frames to the overlay: what the worker sends running as fast as it
can (``app.sim.worker.FAST_FRAMES_PER_S``, a copy: a ``--baseline`` run measures code that may
not have it). Fed at 30 a second, a replay could not show the 30 it is held to (a late timer
tick is not made up)."""
PROBE_MS = 10


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


def _shown(document: BoardDocument, zoom: float | None = None) -> tuple[Any, Any, Any]:
    """A 1600×1000 view of ``document`` zoomed to fit (or to ``zoom``), shown."""
    from PySide6.QtWidgets import QApplication

    from app.ui.canvas.scene import BoardScene
    from app.ui.canvas.view import BoardView
    from models.board import Board

    app = QApplication.instance() or QApplication([sys.argv[0]])
    scene = BoardScene(Board(document))
    view = BoardView(scene)
    view.resize(VIEW_W, VIEW_H)
    view.show()
    view.zoom_to_fit()
    if zoom is not None:
        view.set_zoom(zoom, scene.content_rect().center())
    app.processEvents()
    return app, scene, view


class Probe:
    """Gaps between the ticks of a ``PROBE_MS`` timer: what the event loop was kept from doing."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[tuple[float, float]] = []
        self.timer = QTimer()
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.began = self.last = time.perf_counter()
        self.first = 0.0
        """Seconds from the start to the animation's first frame (a live run's engine starts first)."""
        self.timer.start()

    def animating(self) -> None:
        """The first frame is on screen: the first second is counted from here."""
        self.first = time.perf_counter() - self.began

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self.began, (now - self.last) * 1000))
        self.last = now

    def stop(self) -> None:
        self.timer.stop()

    def stalls(self) -> list[float]:
        """Gaps over ``STALL_MS`` ending more than a second after the first frame (in a live run
        the engine's process starts and builds the run before that, and the overlay is built
        at the first frame)."""
        return [gap for at, gap in self.gaps if at > self.first + 1.0 and gap > STALL_MS]


def run_loop(seconds: float, done: Any = None) -> None:
    """The event loop, as the program runs it, for ``seconds`` (or until ``done`` fires)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    if done is not None:
        done.connect(loop.quit)
    loop.exec()


def live(name: str, document: BoardDocument, scenario: str, seconds: float, target: bool) -> None:
    """The real engine as fast as it goes, shown."""
    from PySide6.QtCore import QObject, Signal

    from app.sim.controller import SimulationController
    from app.sim.worker import MAX_SPEED
    from app.ui.animation.overlay import SimulationOverlay
    from app.ui.launch import settle_heap

    app, scene, view = _shown(document)
    settle_heap()  # as the program does once its window is up
    overlay = SimulationOverlay(scene, view)
    controller = SimulationController(scene.board)
    controller.scenario_id = scenario
    controller.set_speed(MAX_SPEED)
    applied = [0]
    first: list[float] = []
    """When the first frame was on screen, and its simulated time."""
    engine = EngineCpu(controller)

    def apply(frame: Any) -> None:
        overlay.apply(frame)
        applied[0] += 1
        engine.sample()
        if applied[0] == 1:
            engine.start()
            probe.animating()
            first[:] = [time.perf_counter(), frame.t]

    controller.displayed.connect(apply)

    class Ended(QObject):
        fired = Signal()

    ended = Ended()
    controller.state_changed.connect(lambda s: s in ("finished", "error") and ended.fired.emit())
    probe = Probe()
    started, cpu = time.perf_counter(), time.thread_time()
    probe.start()
    controller.play()
    run_loop(seconds, ended.fired)
    probe.stop()
    ended_at = time.perf_counter()
    wall, cpu = ended_at - started, time.thread_time() - cpu
    computed = len(controller.history)
    last = controller.history.latest()
    shown_s = ended_at - first[0] if first else 0.0
    engine.stop()
    controller.stop()
    controller.shutdown()
    app.processEvents()
    stalls = probe.stalls()
    print(f"{name}, live run ({len(document.nodes)} nodes, {len(document.edges)} edges, scenario {scenario!r}, "
          f"{wall:.1f} s, the first frame after {wall - shown_s:.1f} s): {computed} frames computed "
          f"({computed / wall:.1f}/s), {applied[0]} applied ({applied[0] / wall:.1f}/s over the whole run)")
    goal = APPLIED_FPS if target else None
    if first and last is not None and shown_s > 0:
        targets.report(f"{name} live: frames applied from the first, wall", (applied[0] - 1) / shown_s, "frames/s",
                       goal)
        steps = computed / max(last.t, 1e-9)
        targets.report(f"{name} live: simulated seconds a second (the engine's pace)", (last.t - first[1]) / shown_s,
                       "sim s/s", note=f"{steps:.1f} frames a simulated second")
    if applied[0]:
        targets.report(f"{name} live: GUI CPU per applied frame", 1000 * cpu / applied[0], "ms",
                       1000 / APPLIED_FPS if target else None, False)
    targets.report(f"{name} live: stalls over {STALL_MS:g} ms after 1 s", len(stalls), "stalls",
                   higher_is_better=False, note=f"worst {max(stalls, default=0):.0f} ms")
    engine.report(name, target)
    overlay.apply(None)
    scene.detach()


class EngineCpu:
    """CPU time per frame of the engine's child process and of the window's process apart from
    its GUI thread (the worker receiving frames), from the first frame applied on: what the
    machine's other load does not change. Linux only (``/proc``); elsewhere it reports nothing."""

    def __init__(self, controller: Any) -> None:
        self.controller = controller
        self.child: int | None = None
        self.begun: tuple[float, float, float, int] | None = None
        self.spent: tuple[float, float, float, int] | None = None
        self.last: tuple[float, float, float, int] | None = None

    @staticmethod
    def _child_cpu(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _now(self) -> tuple[float, float, float, int] | None:
        if self.child is None:
            return None
        try:
            return (self._child_cpu(self.child), time.process_time(), time.thread_time(), len(self.controller.history))
        except (OSError, IndexError, ValueError):
            return None

    def start(self) -> None:
        worker = self.controller.worker
        process = getattr(getattr(worker, "_stepper", None), "_process", None)
        self.child = process.pid if process is not None else None
        self.begun = self.last = self._now()

    def sample(self) -> None:
        """Read the counters while the child is alive (it ends with the run, before ``stop``)."""
        self.last = self._now() or self.last

    def stop(self) -> None:
        now = self._now() or self.last
        if self.begun is not None and now is not None:
            self.spent = tuple(b - a for a, b in zip(self.begun, now, strict=True))  # type: ignore[assignment]

    def report(self, name: str, target: bool) -> None:
        if self.spent is None or self.spent[3] <= 0:
            print(f"  {name} live: the engine's CPU time is not measured here (no /proc, or no child process)")
            return
        import inspect

        from app.sim.process import ProcessStepper

        child, process, gui, frames = self.spent
        child_ms, receive_ms = 1000 * child / frames, 1000 * (process - gui) / frames
        targets.report(f"{name} live: engine process CPU per frame", child_ms, "ms",
                       1000 / APPLIED_FPS if target else None, False,
                       note=f"{frames} frames; the window's process besides its GUI thread {receive_ms:.1f} ms a frame")
        # asked one step ahead, the child computes while the worker receives; else they take turns
        ahead = "ahead" in inspect.signature(ProcessStepper.step).parameters
        allowed = 1000 / max((max if ahead else sum)((child_ms, receive_ms)), 1e-9)
        targets.report(f"{name} live: frames a second the engine side's CPU allows", allowed, "frames/s",
                       APPLIED_FPS if target else None,
                       note=("child and worker overlap" if ahead else "child and worker take turns")
                       + "; the GUI's share: the paced parts")


def precomputed(document: BoardDocument, scenario: str, count: int) -> list[Any]:
    """``count`` frames of a run, computed in this process beforehand (as the child sends them)."""
    from app.sim.view import ViewBuilder
    from models.simulation import Simulation

    simulation = Simulation(document, scenario)
    build = ViewBuilder(simulation.duration_s)
    frames = []
    while not simulation.done and len(frames) < count:
        frames.append(build(simulation.step(1.0)))
    return frames


class PaintCounter:
    """Counts the paints of every item class of the canvas and the overlay, and the viewport's repaints."""

    def __init__(self, viewport: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        import app.ui.animation.items as overlay_items
        import app.ui.canvas.items as canvas_items
        import app.ui.canvas.marks as marks

        self.items: collections.Counter[str] = collections.Counter()
        self.repaints = 0
        self.area = 0.0
        counter = self
        self._wrapped: list[tuple[type, Any]] = []
        for module in (canvas_items, marks, overlay_items):
            for kind in vars(module).values():
                if isinstance(kind, type) and "paint" in vars(kind):
                    original = kind.paint

                    def paint(item: Any, *args: Any, _original: Any = original, _name: str = kind.__name__) -> None:
                        counter.items[_name] += 1
                        _original(item, *args)

                    self._wrapped.append((kind, original))
                    kind.paint = paint
        size = viewport.width() * viewport.height()

        class Filter(QObject):
            def eventFilter(self, watched: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint:
                    counter.repaints += 1
                    rect = event.region().boundingRect()
                    counter.area += rect.width() * rect.height() / size
                return False

        self._filter = Filter()
        viewport.installEventFilter(self._filter)

    def reset(self) -> None:
        self.items.clear()
        self.repaints, self.area = 0, 0.0

    def remove(self) -> None:
        for kind, original in self._wrapped:
            kind.paint = original


def replay(name: str, document: BoardDocument, scenario: str, count: int, zoom: float | None, target: bool) -> None:
    """Frames computed beforehand, fed ``FEED_FPS`` times a second: the GUI's side alone."""
    from PySide6.QtCore import Qt, QTimer

    from app.ui.animation.overlay import SimulationOverlay

    frames = precomputed(document, scenario, count)
    app, scene, view = _shown(document, zoom)
    overlay = SimulationOverlay(scene, view)
    counter = PaintCounter(view.viewport())
    queue = list(frames)
    measured = {"from": 0.0, "cpu": 0.0, "applied": 0}
    warm = 5

    def next_frame() -> None:
        if not queue:
            return
        overlay.apply(queue.pop(0))
        if len(frames) - len(queue) == warm:  # the overlay is built and the caches are warm: measure from here
            measured.update({"from": time.perf_counter(), "cpu": time.thread_time()})
            counter.reset()
        elif len(frames) - len(queue) > warm:
            measured["applied"] += 1
            measured["last"] = time.perf_counter()

    feeder = QTimer()
    feeder.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer fed 29.4 frames a second, not 30
    feeder.setInterval(round(1000 / FEED_FPS))
    feeder.timeout.connect(next_frame)
    probe = Probe()
    probe.start()
    feeder.start()
    run_loop((len(frames) + 2) / FEED_FPS)
    deadline = time.perf_counter() + 30
    while queue and time.perf_counter() < deadline:  # a slow machine: let every frame be applied
        run_loop(0.1)
    run_loop(0.05)
    feeder.stop()
    probe.stop()
    cpu = time.thread_time() - measured["cpu"]
    wall = measured.get("last", time.perf_counter()) - measured["from"]  # to the last frame applied
    n = max(1, measured["applied"])
    where = "fit" if zoom is None else f"{zoom * 100:.0f} %"
    stalls = probe.stalls()
    print(f"{name}, replay of {len(frames)} frames fed at {FEED_FPS:g}/s, zoom {where} ({view.zoom():.2f}):")
    goal = APPLIED_FPS if target else None
    targets.report(f"{name} replay {where}: frames applied, wall", measured["applied"] / wall, "frames/s", goal)
    targets.report(f"{name} replay {where}: GUI CPU per frame", 1000 * cpu / n, "ms",
                   1000 / APPLIED_FPS if target else None, False,
                   note=f"allows {n / max(cpu, 1e-9):.0f} frames/s")
    targets.report(f"{name} replay {where}: stalls over {STALL_MS:g} ms after 1 s", len(stalls), "stalls",
                   higher_is_better=False, note=f"worst {max(stalls, default=0):.0f} ms")
    targets.report(f"{name} replay {where}: viewport repaints per frame", counter.repaints / n, "repaints",
                   higher_is_better=False, note=f"{counter.area / n:.2f} viewports painted a frame")
    targets.report(f"{name} replay {where}: item paints per frame", sum(counter.items.values()) / n, "paints",
                   higher_is_better=False,
                   note=", ".join(f"{kind} {c / n:.1f}" for kind, c in counter.items.most_common(6)))
    counter.remove()
    overlay.apply(None)
    app.processEvents()
    scene.detach()


PARTS = ("replay-streamflow", "replay-fit", "replay-100", "paced-fit", "paced-100", "engine-big", "live-streamflow",
         "live-big")


def engine_side(name: str, document: BoardDocument, scenario: str, count: int, target: bool) -> None:
    """The live run's work per frame without the window, each part in CPU time: the child's
    engine step, its looks and its pickling, then the receiving side's unpickling and rebuilding
    of the ``FrameView`` (as ``app.sim.process`` does them, for the code measured: a
    ``--baseline`` before the compact frames takes its own path)."""
    import gc
    from multiprocessing.reduction import ForkingPickler

    import app.sim.process as process
    import app.sim.view as views
    from models.simulation import Simulation

    simulation = Simulation(document, scenario)
    if hasattr(views, "ViewEncoder"):
        encode, decode = views.ViewEncoder(simulation.duration_s), views.ViewDecoder()
    else:  # before the compact frames: whole looks, the changed ones sent as FrameView objects
        builder, shipped, last = views.ViewBuilder(simulation.duration_s), [None], [None]

        def encode(frame: Any) -> Any:
            view = builder(frame)
            changes, shipped[0] = process.changes_since(shipped[0], view), view
            return changes

        def decode(changes: Any) -> Any:
            last[0] = process.merge_changes(last[0], changes)
            return last[0]

    spent = dict.fromkeys(("step", "looks", "pickle", "unpickle", "view"), 0.0)
    sent: list[bytes] = []
    warm = 5
    threshold = gc.get_threshold()
    if hasattr(process, "_quiet_collector"):
        process._quiet_collector()  # as the child does once its simulation is built
    else:
        gc.collect()
    for _ in range(count + warm):  # the child's side
        if simulation.done:
            break
        t0 = time.thread_time()
        frame = simulation.step(1.0)
        t1 = time.thread_time()
        changes = encode(frame)
        t2 = time.thread_time()
        sent.append(bytes(ForkingPickler.dumps(("frame", changes, simulation.done))))
        t3 = time.thread_time()
        if len(sent) > warm:
            for part, took in zip(("step", "looks", "pickle"), (t1 - t0, t2 - t1, t3 - t2), strict=True):
                spent[part] += took
    del simulation, frame, changes  # the receiving side, as in the window's process: without the engine's heap
    gc.unfreeze()
    gc.set_threshold(*threshold)
    gc.collect()
    for index, wire in enumerate(sent):
        t3 = time.thread_time()
        received = ForkingPickler.loads(wire)
        t4 = time.thread_time()
        decode(received[1])
        t5 = time.thread_time()
        if index >= warm:
            spent["unpickle"] += t4 - t3
            spent["view"] += t5 - t4
    measured, size = len(sent) - warm, sum(len(wire) for wire in sent[warm:])
    n = max(1, measured)
    ms = {part: 1000 * took / n for part, took in spent.items()}
    child = ms["step"] + ms["looks"] + ms["pickle"]
    print(f"{name}, the engine's side of {n} frames in this process (CPU time):")
    targets.report(f"{name} engine side: engine step per frame", ms["step"], "ms", higher_is_better=False)
    targets.report(f"{name} engine side: looks per frame (child)", ms["looks"], "ms", higher_is_better=False)
    targets.report(f"{name} engine side: pickling per frame (child)", ms["pickle"], "ms", higher_is_better=False,
                   note=f"{size / n / 1000:.0f} kB a frame")
    targets.report(f"{name} engine side: child's CPU per frame", child, "ms",
                   1000 / APPLIED_FPS if target else None, False, note=f"allows {1000 / max(child, 1e-9):.0f} frames/s")
    targets.report(f"{name} engine side: receiving per frame (worker)", ms["unpickle"] + ms["view"], "ms",
                   higher_is_better=False, note=f"unpickle {ms['unpickle']:.1f}, FrameView {ms['view']:.1f} ms")


def paced(name: str, document: BoardDocument, scenario: str, count: int, zoom: float | None, target: bool) -> None:
    """The replay's work at exactly 30 frames a second of the overlay's own clock: each frame is
    applied, the dots tick 25 times a simulated second, and the view repaints, one after the
    other; the overlay reads a clock that advances 1/30 s a frame. On a loaded machine a
    wall-clock replay runs slower than 30 frames a second, and then every frame falls due
    for a repaint that a quiet machine would batch; here the load changes nothing but the
    CPU time itself."""
    import app.ui.animation.overlay as overlay_module

    class Clock:
        now = 1000.0

        def monotonic(self) -> float:
            return self.now

    clock = Clock()
    frames = precomputed(document, scenario, count)
    app, scene, view = _shown(document, zoom)
    real_time, overlay_module.time = overlay_module.time, clock  # type: ignore[assignment]
    try:
        overlay = overlay_module.SimulationOverlay(scene, view)
        overlay._timer.stop()  # the dots tick on the paced clock below
        counter = PaintCounter(view.viewport())
        spent = {"apply": 0.0, "tick": 0.0, "paint": 0.0}
        warm = 5
        for index, frame in enumerate(frames):
            before = clock.now
            clock.now += 1 / APPLIED_FPS
            cpu = time.thread_time()
            overlay.apply(frame)
            applied = time.thread_time()
            if int(clock.now * 25) != int(before * 25):
                overlay._tick()
            ticked = time.thread_time()
            app.processEvents()
            painted = time.thread_time()
            if index == warm:
                counter.reset()
                spent = dict.fromkeys(spent, 0.0)
            elif index > warm:
                spent["apply"] += applied - cpu
                spent["tick"] += ticked - applied
                spent["paint"] += painted - ticked
        n = max(1, len(frames) - warm - 1)
        total = sum(spent.values())
        where = "fit" if zoom is None else f"{zoom * 100:.0f} %"
        print(f"{name}, paced replay of {len(frames)} frames at {APPLIED_FPS:g}/s of the overlay's clock, "
              f"zoom {where} ({view.zoom():.2f}):")
        targets.report(f"{name} paced {where}: GUI CPU per frame", 1000 * total / n, "ms",
                       1000 / APPLIED_FPS if target else None, False,
                       note=f"allows {n / max(total, 1e-9):.0f} frames/s; apply {1000 * spent['apply'] / n:.1f}, "
                            f"dots {1000 * spent['tick'] / n:.1f}, repaint {1000 * spent['paint'] / n:.1f} ms")
        targets.report(f"{name} paced {where}: viewport repaints per frame", counter.repaints / n, "repaints",
                       higher_is_better=False, note=f"{counter.area / n:.2f} viewports painted a frame")
        counter.remove()
        overlay.apply(None)
        app.processEvents()
    finally:
        overlay_module.time = real_time  # type: ignore[assignment]
    scene.detach()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="wall seconds per live run at most (default 8)")
    parser.add_argument("--frames", type=int, default=60, help="frames per replay (default 60)")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"comma-separated parts to run (default all: {', '.join(PARTS)})")
    targets.add_baseline_option(parser)
    args = parser.parse_args()
    parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    unknown = [part for part in parts if part not in PARTS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    streamflow, big = load_path(EXAMPLE), generated_board()
    runs = {
        "replay-streamflow": lambda: replay("StreamFlow", streamflow, "peak", args.frames, None, False),
        "replay-fit": lambda: replay("500 nodes", big, "peak", args.frames, None, True),
        "replay-100": lambda: replay("500 nodes", big, "peak", args.frames, 1.0, False),
        "paced-fit": lambda: paced("500 nodes", big, "peak", args.frames, None, True),
        "paced-100": lambda: paced("500 nodes", big, "peak", args.frames, 1.0, False),
        "engine-big": lambda: engine_side("500 nodes", big, "peak", args.frames, True),
        "live-streamflow": lambda: live("StreamFlow", streamflow, "peak", args.seconds, False),
        "live-big": lambda: live("500 nodes", big, "peak", args.seconds, True),
    }
    for part in parts:
        runs[part]()
    targets.finish(args, [str(Path(__file__).resolve()), *sys.argv[1:]])
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
