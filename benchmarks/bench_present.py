"""Presenter-mode performance on the StreamFlow example, in a real main window.

    .venv/bin/python benchmarks/bench_present.py [--repeat N] [--only presenter|camera|ink] [--baseline REV]

Prints, from bench_ink.py, the ink stroke latency (p50/p95) on StreamFlow and
the 500-node board and the laser trail's frames per second; and for presenter
mode, how long entering takes (hiding every dock and bar, full
screen, starting the walk and fitting the step's frame, until the events it
causes are processed) and leaving it (the same target), and how many frames per second the eased
camera move between two steps' frames paints (each animation frame is one
``set_zoom`` and the viewport's repaint). Offscreen, one 1920×1080 screen; each
number is printed with its target (docs/recording.md, "Performance"), in wall
time and in the GUI thread's CPU time (what the machine's other load does not
inflate). ``--baseline REV`` measures commit REV's code in the same run and
prints both side by side. Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import targets  # (benchmarks/targets.py: the code measured, the targets; puts that code first on sys.path)

targets.full_hd_offscreen()

EXAMPLE = Path(__file__).resolve().parent.parent / "resources" / "examples" / "streamflow-ai.cboard"
ENTER_MS, CAMERA_FPS = 150.0, 50.0
"""Targets of issue 10 (docs/recording.md, "Performance")."""


def _window():
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QApplication

    QStandardPaths.setTestModeEnabled(True)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    from app.ui import files

    files.SETTINGS_FILE = str(Path(tempfile.mkdtemp()) / "settings.ini")
    from app.ui.main_window import MainWindow

    window = MainWindow()
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    window.files.open_path(str(EXAMPLE))
    app.processEvents()
    return app, window


def bench_presenter_enter(repeat: int) -> None:
    """Entering and leaving presenter mode, in ms (wall and GUI-thread CPU)."""
    app, window = _window()
    mode = window.presenter.mode
    mode.enter()  # once before measuring: the first time builds what later times reuse
    app.processEvents()
    mode.leave()
    app.processEvents()
    enter, leave, enter_cpu, leave_cpu = [], [], [], []
    for _ in range(repeat):
        began, cpu = time.perf_counter(), time.thread_time()
        mode.enter()
        app.processEvents()
        enter.append((time.perf_counter() - began) * 1000)
        enter_cpu.append((time.thread_time() - cpu) * 1000)
        began, cpu = time.perf_counter(), time.thread_time()
        mode.leave()
        app.processEvents()
        leave.append((time.perf_counter() - began) * 1000)
        leave_cpu.append((time.thread_time() - cpu) * 1000)
    print(f"presenter mode, {repeat} times (worst enter {max(enter):.0f} ms):")
    targets.report("enter presenter mode, wall (median)", statistics.median(enter), "ms", ENTER_MS, False)
    targets.report("enter presenter mode, GUI CPU (median)", statistics.median(enter_cpu), "ms", ENTER_MS, False)
    targets.report("leave presenter mode, wall (median)", statistics.median(leave), "ms", ENTER_MS, False)
    targets.report("leave presenter mode, GUI CPU (median)", statistics.median(leave_cpu), "ms", ENTER_MS, False)
    window.undo_stack.setClean()
    window.close()


def bench_camera_between_steps(repeat: int) -> None:
    """Frames per second of the eased camera move from one step's frame to the next,
    and what the GUI thread's CPU time per frame would allow."""
    app, window = _window()
    walk = window.recording.walk
    window.presenter.mode.enter()
    app.processEvents()
    frames = {"n": 0}
    walk.camera.valueChanged.connect(lambda _v: frames.__setitem__("n", frames["n"] + 1))
    rates, cpu_ms = [], []
    steps = window.recording.session.steps()
    for i in range(repeat):
        step = steps[(i % (len(steps) - 1)) + 1] if i % 2 == 0 else steps[0]
        frames["n"] = 0
        began, cpu = time.perf_counter(), time.thread_time()
        window.recording.session.go_to(step.id)
        while walk.camera.state() == walk.camera.State.Running:
            app.processEvents()
            window.view.viewport().repaint()
        took = time.perf_counter() - began
        if frames["n"] > 1:
            rates.append(frames["n"] / took)
            cpu_ms.append((time.thread_time() - cpu) * 1000 / frames["n"])
    size = window.view.viewport().size()
    if rates:
        print(f"camera move between steps, {len(rates)} moves, viewport {size.width()}×{size.height()}:")
        targets.report("camera move, frames/s wall (median)", statistics.median(rates), "frames/s", CAMERA_FPS)
        per_frame = statistics.median(cpu_ms)
        targets.report("camera move, frames/s the GUI CPU allows", 1000 / per_frame, "frames/s", CAMERA_FPS,
                       note=f"{per_frame:.1f} ms CPU a frame")
    else:
        print("camera move between steps: no animated move (the steps share one frame)")
    window.presenter.mode.leave()
    window.undo_stack.setClean()
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="how many times to measure each (default 10)")
    parser.add_argument("--moves", type=int, default=600, help="pointer moves per ink measurement (default 600)")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds of laser per measurement (default 3)")
    parser.add_argument("--only", choices=("presenter", "camera", "ink"), default="",
                        help="measure only presenter mode (entering and leaving), the camera or ink and laser")
    targets.add_baseline_option(parser)
    args = parser.parse_args()
    if args.only in ("", "presenter"):
        bench_presenter_enter(args.repeat)
    if args.only in ("", "camera"):
        bench_camera_between_steps(args.repeat)
    if args.only not in ("", "ink"):
        targets.finish(args, [str(Path(__file__).resolve()), *sys.argv[1:]])
        return 0
    # ink and laser (benchmarks/bench_ink.py), in the same run
    import bench_ink

    from models.fileformat import load_path

    streamflow = load_path(EXAMPLE)
    bench_ink.ink_latency("StreamFlow", streamflow, args.moves, bench_ink.INK_P95_MS["StreamFlow"])
    bench_ink.ink_latency("500 nodes", bench_ink.generated_board(), args.moves, bench_ink.INK_P95_MS["500 nodes"])
    bench_ink.laser_fps("StreamFlow", streamflow, args.seconds)
    targets.finish(args, [str(Path(__file__).resolve()), *sys.argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
