"""Run the engine in a child process, one request per frame.

CPython runs one thread at a time: an engine stepping flat out on a thread
of the window's process makes every repaint wait for its turn, again and
again (the GUI stalls for hundreds of milliseconds). In a child process the
engine runs on its own core; the worker thread only waits on a pipe, which
leaves the GUI thread free. The child works out each frame's looks itself
(``ViewEncoder``) and sends only those that changed since its last frame, as
plain tuples (``FrameChanges``: quick to pickle and unpickle); here
``ViewDecoder`` makes the ``FrameView``, in which unchanged looks stay the same
objects, so the canvas skips them by identity and the history shares them.
The run's summary comes without its per-second ``series``: the window shows
none of it, and on the 500-node board it is 440 000 rows, 37 MB to pickle
and most of a second to unpickle on the worker thread, which holds the
interpreter lock meanwhile and stalled the window at the end of every run.
Qt-free.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import multiprocessing
import multiprocessing.connection
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.sim.view import FrameView, ViewDecoder
from models.document import BoardDocument
from models.params import FailureInjection
from models.runs.seeds import DEFAULT_SEED

if TYPE_CHECKING:
    from models.simulation import SimulationResult

START_TIMEOUT_S = 60.0
"""A child that has not built its simulation by then is treated as broken."""
QUIT_GRACE_S = 0.05
"""How long a child gets to leave on its own before it is terminated."""
AHEAD_STEPS = 2
"""Steps asked for ahead, running as fast as possible: with two, the child finds the next
request waiting when it sends a frame, instead of idling until this process (whose worker
thread shares the interpreter lock with the window) has read the frame and asked again."""


class EngineProcessError(RuntimeError):
    """The engine failed in the child process; the message is the child's."""


def _serve(conn: multiprocessing.connection.Connection, board_json: str, scenario_id: str,
           interventions: tuple[str, ...], seed: int) -> None:
    """The child's loop: build the simulation, then answer step / inject / result / quit."""
    from app.sim.view import ViewEncoder
    from models.fileformat import load_bytes
    from models.simulation import Simulation

    try:
        document = load_bytes(board_json.encode("utf-8"), "board")
        simulation = Simulation(document, scenario_id, interventions=interventions, seed=seed)
        encode = ViewEncoder(simulation.duration_s)
        _quiet_collector()
        conn.send(("ready", simulation.duration_s))
    except Exception as error:
        conn.send(("error", f"{type(error).__name__}: {error}"))
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        kind = message[0]
        try:
            if kind == "step":
                conn.send(("frame", encode(simulation.step(message[1])), simulation.done))
            elif kind == "inject":
                simulation.inject(FailureInjection.model_validate(message[1]))
                conn.send(("injected", None))
            elif kind == "result":
                conn.send(("result", dataclasses.replace(simulation.result(), series=())))
            else:
                return
        except Exception as error:
            conn.send(("error", f"{type(error).__name__}: {error}"))


def _quiet_collector() -> None:
    """The child does nothing but step the engine: what it built to start (modules, board,
    simulation) is moved out of the collector's sight, and young collections stay as rare
    between steps as the engine makes them during one (``GC_YOUNG_THRESHOLD``), so the looks
    of a frame do not pay for walking the engine's young objects (about a tenth of a frame
    of the 500-node board; docs/recording.md, "Performance")."""
    from models.simulation.engine import GC_YOUNG_THRESHOLD

    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, GC_YOUNG_THRESHOLD), middle, old)


@functools.cache
def _context() -> Any:  # a ForkServerContext or a SpawnContext
    """Where the platform has it, a fork server: started once, clean of the window's
    threads, with the engine already imported, it starts each run in milliseconds.
    Elsewhere (Windows) a fresh interpreter per run."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["app.sim.process", "models.simulation", "models.fileformat"])
        return context
    return multiprocessing.get_context("spawn")


class ProcessStepper:
    """A ``Stepper`` whose engine runs in a child process (see the module docstring)."""

    def __init__(self, document: BoardDocument, scenario_id: str, interventions: Sequence[str] = (),
                 seed: int = DEFAULT_SEED) -> None:
        from models.fileformat import dumps

        context = _context()
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, dumps(document), scenario_id, tuple(interventions), seed),
            name="cascade-board-engine", daemon=True,
        )
        self._process.start()
        child.close()
        self._done = False
        self._decode = ViewDecoder()
        self._ahead = 0
        """Steps asked for ahead whose frames are still to be read (at most ``AHEAD_STEPS``)."""
        self._acks = 0
        """Acknowledgements of injections still to be read."""
        self.duration_s = float(self._call(None, START_TIMEOUT_S, expect="ready"))

    def _call(self, message: tuple[Any, ...] | None, timeout: float | None = None, expect: str = "") -> Any:
        if message is not None:
            self._conn.send(message)
        if timeout is not None and not self._conn.poll(timeout):
            self.close()
            raise EngineProcessError("the simulation process did not answer")
        while True:
            try:
                kind, *payload = self._conn.recv()
            except (EOFError, OSError):
                raise EngineProcessError("the simulation process ended unexpectedly") from None
            if kind == "injected" and expect != "injected" and self._acks:
                self._acks -= 1  # an injection sent while a step was under way: done
                continue
            break
        if kind == "error":
            raise EngineProcessError(payload[0])
        if expect and kind != expect:
            raise EngineProcessError(f"the simulation process answered {kind!r} instead of {expect!r}")
        return payload[0] if len(payload) == 1 else payload

    @property
    def done(self) -> bool:
        return self._done

    def step(self, dt_s: float, ahead: float | None = None) -> FrameView:
        """The next frame (``dt_s`` on, or the one asked for ahead). With ``ahead``, the child is
        kept ``AHEAD_STEPS`` steps (of ``ahead`` seconds) ahead as soon as this frame has arrived,
        before it is unpickled and turned into a ``FrameView``: the child computes while this
        process works, instead of waiting for the next request. A frame that ends the run ends
        the asking; frames asked for past the end are read (``_drain``)."""
        if not self._ahead:
            self._conn.send(("step", dt_s))
        else:
            self._ahead -= 1
        changes, self._done = self._call(None, expect="frame")
        if ahead is not None and not self._done:
            while self._ahead < AHEAD_STEPS:
                self._conn.send(("step", ahead))
                self._ahead += 1
        frame = self._decode(changes)
        if self._done:
            self._drain()
        return frame

    def _drain(self) -> None:
        """Read the frames asked for ahead that the run no longer needs (it ended, or its
        summary is asked for): the child answers in order, so they come before anything else.
        Each is decoded all the same: the child sends only what changed since its last frame."""
        while self._ahead:
            self._ahead -= 1
            changes, done = self._call(None, expect="frame")
            self._done = self._done or done
            self._decode(changes)

    def inject(self, failure: FailureInjection) -> None:
        """Inject before the next step the child computes (after the steps asked ahead)."""
        if self._ahead:  # the child answers those steps first: its acknowledgement is read later
            self._conn.send(("inject", failure.model_dump()))
            self._acks += 1
            return
        self._call(("inject", failure.model_dump()), expect="injected")

    def result(self) -> SimulationResult:
        """The run's summary, its ``series`` left out (see the module's docstring)."""
        self._drain()  # not asked for when the run is done, but a caller may ask before the end
        return self._call(("result",), expect="result")  # type: ignore[no-any-return]

    def abort(self) -> None:
        """End the child at once, from any thread: a step waiting for it gets EOF and ends."""
        with contextlib.suppress(OSError, ValueError, AttributeError):
            self._process.terminate()

    def close(self) -> None:
        """End the child: ask, then insist; never waits long."""
        with contextlib.suppress(OSError, ValueError):
            self._conn.send(("quit",))
        self._process.join(QUIT_GRACE_S)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(QUIT_GRACE_S)
        self._conn.close()
