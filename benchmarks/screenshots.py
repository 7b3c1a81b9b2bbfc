"""Screenshots of the real window as a recording shows it, for looking at by eye.

Starts the program's main window on a 1920×1080 X server (under ``xvfb-run`` when no
display is set), opens the StreamFlow example as a first start does (no saved settings),
and writes PNGs of the whole screen into a folder:

- ``01-first-start.png``: the window as a new user first sees it;
- ``02-present-step01.png`` … : presenter mode at the end of steps 1, 2, 8 and 10;
- ``06-run-laser.png``: the llm-rate-limit scenario running live, mid-run, with the laser's trail;
- ``07-spotlight.png``: the spotlight on the Recommendation Engine;
- ``08-shortcut-sheet.png``: Help → Keyboard Shortcuts in presenter mode;
- ``09-light-after-dark.png``: the Interventions panel after switching dark → light.

Run from the repository's root (see docs/recording.md, "Looking at it")::

    python benchmarks/screenshots.py [-o screenshots] [--scale 1.5] [--board FILE]

It is not a test (it needs an X server); ``tests/app/ui/present/test_screenshots.py`` runs
its shot list and helpers offscreen.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCREEN = (1920, 1080)
STEPS = (1, 2, 8, 10)
"""The steps shown in presenter mode (1-based, in the board's order)."""
RUN_SCENARIO = "llm-rate-limit"
MID_RUN_FRAMES = 120
"""Simulated seconds into the run (one frame a second) before the mid-run picture."""
RUN_TIMEOUT_S = 90.0
CAMERA_TIMEOUT_S = 10.0
"""How long a step's camera move may take on a loaded machine before the picture is taken anyway."""
SETTLE_MS = 400
"""How long the window gets to lay out and repaint before a shot (twice the camera move)."""


@dataclass(frozen=True)
class Shot:
    """One picture: its file name and what it shows."""

    name: str
    what: str


def shot_list(steps: tuple[int, ...] = STEPS) -> list[Shot]:
    """The pictures the script takes, in order, numbered as the files are."""
    shots = [Shot("first-start", "the window as a first start opens it, StreamFlow fitted")]
    shots += [Shot(f"present-step{n:02d}", f"presenter mode at the end of step {n}") for n in steps]
    shots += [Shot("run-laser", f"the {RUN_SCENARIO} scenario running, with the laser's trail"),
              Shot("spotlight", "the spotlight on the Recommendation Engine"),
              Shot("shortcut-sheet", "Help → Keyboard Shortcuts in presenter mode"),
              Shot("light-after-dark", "the Interventions panel after switching dark → light")]
    return shots


def file_names(shots: list[Shot]) -> list[str]:
    return [f"{i:02d}-{shot.name}.png" for i, shot in enumerate(shots, start=1)]


def last_item_of_step(plan: list, step_index: int) -> int:
    """The index in a walk's build plan of the last build item of step ``step_index`` (0-based)."""
    found = [i for i, item in enumerate(plan) if item.step_index == step_index]
    if not found:
        raise ValueError(f"the board has no step {step_index + 1}")
    return found[-1]


def laser_path(centre: tuple[float, float], radius: float, points: int = 40) -> list[tuple[int, int]]:
    """A circle and a half around ``centre``: the gesture a presenter makes round a node."""
    import math

    turns = 1.5
    return [(round(centre[0] + radius * math.cos(2 * math.pi * turns * i / points)),
             round(centre[1] + 0.6 * radius * math.sin(2 * math.pi * turns * i / points)))
            for i in range(points + 1)]


def reexec_under_xvfb(argv: list[str]) -> int:
    """Run this script again on a fresh 1920×1080 X server; the exit code of that run."""
    runner = shutil.which("xvfb-run")
    if runner is None:
        print("screenshots: no display and no xvfb-run; install it: apt-get install -y xvfb xauth",
              file=sys.stderr)
        return 2
    screen = f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24"
    first = str(200 + os.getpid() % 500)  # -a looks upward from here: parallel runs rarely race for one number
    return subprocess.call([runner, "-a", "-n", first, "-s", screen, sys.executable, __file__, *argv])


class Camera:
    """Takes the shots, one after the other, of one window."""

    def __init__(self, out: Path, scale: float, board: Path) -> None:
        from PySide6.QtWidgets import QApplication

        from app.desktop import apply_to_qt
        from app.ui.files import RecoveryStore
        from app.ui.main_window import MainWindow
        from app.ui.theme import apply_app_theme

        self.out, self.scale = out, scale
        existing = QApplication.instance()
        self.app = existing if isinstance(existing, QApplication) else QApplication(["cascade-board"])
        self.app.setApplicationName("Cascade Board")
        apply_to_qt()
        self.window = MainWindow(recovery=RecoveryStore(out / ".recovery"))
        apply_app_theme(self.app, self.window.theme)
        self.window.set_theme(self.window.theme.name)
        self.window.show_as_started()
        self.wait(SETTLE_MS)
        if not self.window.files.open_path(str(board)):
            raise SystemExit(f"screenshots: cannot open {board}")
        self.ink_time = [time.monotonic()]
        self.window.ink.clock = lambda: self.ink_time[0]
        self.shots = iter(zip(shot_list(), file_names(shot_list()), strict=True))
        self.taken: list[Path] = []

    def wait(self, ms: int) -> None:
        from PySide6.QtTest import QTest

        QTest.qWait(ms)

    def until(self, done: Callable[[], bool], timeout_s: float) -> None:
        """Let the window run until ``done()`` (the engine starts in a process of its own, slowly
        on a loaded machine); carry on after ``timeout_s`` with a warning."""
        deadline = time.monotonic() + timeout_s
        while not done():
            if time.monotonic() > deadline:
                print(f"screenshots: still waiting after {timeout_s:g} s; taking the picture anyway", file=sys.stderr)
                return
            self.wait(100)

    def take(self, expected: str, settle_ms: int = SETTLE_MS) -> None:
        shot, name = next(self.shots)
        assert shot.name == expected, f"shot list out of order: {shot.name} != {expected}"
        self.wait(settle_ms)
        path = self.out / name
        screen = self.window.screen() or self.app.primaryScreen()
        screen.grabWindow(0).save(str(path))
        self.taken.append(path)
        print(f"{path}: {shot.what}")

    def action(self, name: str) -> None:
        for actions in (self.window.action_set, self.window.presenter.actions, self.window.recording.actions,
                        self.window.simulation.actions, self.window.ink.actions):
            if name in actions:
                actions[name].trigger()
                return
        raise KeyError(name)

    def run(self) -> list[Path]:
        window = self.window
        self.wait(SETTLE_MS)
        self.take("first-start")
        self.action("present")
        window.presenter.mode.set_scale(self.scale)
        self.wait(SETTLE_MS)
        walk = window.recording.walk
        for number in STEPS:
            index = last_item_of_step(walk.plan, number - 1)
            item = walk.plan[index]
            window.recording.session.go_to(item.step_id, item.shown)
            # on a loaded machine the settle time can end mid-move (a picture of the camera on its
            # way, the legend half out of the frame): the step's picture is of where the camera stops
            self.until(lambda: walk.camera.state() != walk.camera.State.Running, CAMERA_TIMEOUT_S)
            self.take(f"present-step{number:02d}")
        self.run_with_laser()
        self.spotlight()
        sheet = window.show_shortcuts()
        self.take("shortcut-sheet")
        sheet.close()
        self.action("present")
        self.light_after_dark()
        window.undo_stack.setClean()
        window.close()
        return self.taken

    def _node_at(self, label: str) -> tuple[int, int]:
        board = self.window.board
        node = next(n for n in board.nodes if n.label == label)
        point = self.window.view.mapFromScene(node.x, node.y)
        return point.x(), point.y()

    def _pointer(self, points: list[tuple[int, int]], pause_ms: int = 12) -> None:
        """Move the pointer through ``points``, ``pause_ms`` apart on the ink's clock: the pointers
        fade on that clock, which runs as if the gesture took that long however slow the machine."""
        from PySide6.QtCore import QPoint
        from PySide6.QtTest import QTest

        port = self.window.view.viewport()
        for x, y in points:
            self.ink_time[0] += pause_ms / 1000
            QTest.mouseMove(port, QPoint(x, y))
            self.wait(pause_ms)

    def run_with_laser(self) -> None:
        from app.ui.canvas.interactions.ink import InkTool

        window = self.window
        controller = window.simulation.controller
        scenarios = dict(controller.scenarios())
        if RUN_SCENARIO in scenarios:
            controller.set_scenario(RUN_SCENARIO)
        controller.start()
        self.until(lambda: len(controller.history) >= MID_RUN_FRAMES, RUN_TIMEOUT_S)  # the cascade is under way
        window.ink.toggle_pointer(InkTool.LASER)
        self._pointer(laser_path(self._node_at("Recommendation Engine"), 110))
        self.take("run-laser", settle_ms=30)  # the trail fades in 0.9 s
        window.ink.toggle_pointer(InkTool.LASER)
        controller.stop()

    def spotlight(self) -> None:
        from app.ui.canvas.interactions.ink import InkTool

        window = self.window
        window.ink.toggle_pointer(InkTool.SPOTLIGHT)
        x, y = self._node_at("Recommendation Engine")
        self._pointer([(x - 30, y - 10), (x, y)])
        self.take("spotlight")
        window.ink.toggle_pointer(InkTool.SPOTLIGHT)

    def light_after_dark(self) -> None:
        from PySide6.QtCore import Qt

        window = self.window
        window.set_theme("dark")
        self.wait(SETTLE_MS)
        window.set_theme("light")
        dock = window.panels.docks["interventions"]
        dock.show()
        dock.raise_()
        window.resizeDocks([dock], [window.height() * 3 // 4], Qt.Orientation.Vertical)
        window.resizeDocks([dock], [window.width() // 3], Qt.Orientation.Horizontal)
        panel = window.panels.widgets["interventions"]
        panel.detail_tabs.setCurrentWidget(panel.matrix)
        self.take("light-after-dark")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", default="screenshots", help="folder for the PNGs (made if missing)")
    parser.add_argument("--scale", type=float, default=1.5, help="presentation scale, 1 to 2 (default 1.5)")
    parser.add_argument("--board", default=str(ROOT / "resources" / "examples" / "streamflow-ai.cboard"))
    args = parser.parse_args(argv)
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        return reexec_under_xvfb(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(prefix="cascade-board-shots-"))
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[variable] = str(private / variable.lower())  # a first start: no saved layout
    from app.ui import files

    files.SETTINGS_FILE = str(private / "settings.ini")
    taken = Camera(out, args.scale, Path(args.board)).run()
    print(f"{len(taken)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
