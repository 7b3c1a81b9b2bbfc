"""Presenter-mode performance on the StreamFlow example, in a real main window.

    .venv/bin/python benchmarks/bench_present.py [--repeat N]

Prints, from bench_ink.py, the ink stroke latency (p50/p95) on StreamFlow and
the 500-node board and the laser trail's frames per second; and for presenter
mode, how long entering takes (hiding every dock and bar, full
screen, starting the walk and fitting the step's frame, until the events it
causes are processed) and leaving it, and how many frames per second the eased
camera move between two steps' frames paints (each animation frame is one
``set_zoom`` and the viewport's repaint). Offscreen, 1600×1000; the machine's
other load shows in these numbers. Not a test. See docs/recording.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EXAMPLE = Path(__file__).resolve().parent.parent / "resources" / "examples" / "streamflow-ai.cboard"


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
    """Entering and leaving presenter mode, in ms."""
    app, window = _window()
    mode = window.presenter.mode
    enter, leave = [], []
    for _ in range(repeat):
        began = time.perf_counter()
        mode.enter()
        app.processEvents()
        enter.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        mode.leave()
        app.processEvents()
        leave.append((time.perf_counter() - began) * 1000)
    print(f"enter presenter mode: median {statistics.median(enter):.1f} ms, worst {max(enter):.1f} ms "
          f"(leave: median {statistics.median(leave):.1f} ms) over {repeat}")
    window.undo_stack.setClean()
    window.close()


def bench_camera_between_steps(repeat: int) -> None:
    """Frames per second of the eased camera move from one step's frame to the next."""
    app, window = _window()
    walk = window.recording.walk
    window.presenter.mode.enter()
    app.processEvents()
    frames = {"n": 0}
    walk.camera.valueChanged.connect(lambda _v: frames.__setitem__("n", frames["n"] + 1))
    rates = []
    steps = window.recording.session.steps()
    for i in range(repeat):
        step = steps[(i % (len(steps) - 1)) + 1] if i % 2 == 0 else steps[0]
        frames["n"] = 0
        began = time.perf_counter()
        window.recording.session.go_to(step.id)
        while walk.camera.state() == walk.camera.State.Running:
            app.processEvents()
            window.view.viewport().repaint()
        took = time.perf_counter() - began
        if frames["n"] > 1:
            rates.append(frames["n"] / took)
    if rates:
        print(f"camera move between steps: median {statistics.median(rates):.0f} frames/s, "
              f"worst {min(rates):.0f} frames/s over {len(rates)} moves")
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
    args = parser.parse_args()
    bench_presenter_enter(args.repeat)
    bench_camera_between_steps(args.repeat)
    # ink and laser (benchmarks/bench_ink.py), in the same run
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_ink

    from models.fileformat import load_path

    streamflow = load_path(EXAMPLE)
    bench_ink.ink_latency("StreamFlow", streamflow, args.moves)
    bench_ink.ink_latency("500 nodes / 1,000 edges", bench_ink.generated_board(), args.moves)
    bench_ink.laser_fps("StreamFlow", streamflow, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
