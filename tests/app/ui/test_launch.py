"""Starting and quitting the program the way a user does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

QUIT_AFTER_COPY = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import app.ui.main_window as mw
from app.ui.launch import launch

shown = mw.MainWindow.show

def show_then_copy_and_quit(window):
    shown(window)
    def act():
        import gc
        print("frozen", gc.get_freeze_count(), flush=True)  # what start-up built, out of the collector's way
        window.selection.select(["engine", "llm"])
        window.action_set["copy"].trigger()
        window.undo_stack.setClean()
        QApplication.instance().quit()
    QTimer.singleShot(300, act)

mw.MainWindow.show = show_then_copy_and_quit
raise SystemExit(launch("resources/examples/streamflow-ai.cboard", []))
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(extra)
    return env


def test_quitting_after_a_copy_exits_cleanly_and_start_up_kept_the_collector_off_the_window():
    done = subprocess.run([sys.executable, "-c", QUIT_AFTER_COPY], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=_env(QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr[-2000:]
    frozen = int(done.stdout.split("frozen", 1)[1].split()[0])
    assert frozen > 10_000


def test_without_a_display_the_window_explains_and_exits():
    exe = Path(sys.executable).parent / "cascade-board"
    done = subprocess.run([str(exe), "resources/examples/streamflow-ai.cboard"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=_env())
    assert done.returncode == 2
    assert "no display" in done.stderr
    assert "xvfb-run" in done.stderr
