"""export-animation: a GIF with the requested frames, the red area growing as the cascade spreads."""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from app.cli import run
from app.ui.animation.export import ExportSettings, export_animation
from models.fileformat import load_path

pytestmark = pytest.mark.gui


def red_pixels(image: Image.Image) -> int:
    data = image.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3) if data[i] > 170 and data[i + 1] < 110 and data[i + 2] < 110)


def test_gif_has_the_frames_asked_for_and_red_grows(qapp, tmp_path, example_path):
    out = tmp_path / "cascade.gif"
    settings = ExportSettings("llm-rate-limit", frames=8, fps=4, duration_s=96.0, width=800)
    assert export_animation(load_path(example_path), out, settings) == 8
    with Image.open(out) as gif:
        assert gif.n_frames == 8
        assert gif.info["duration"] == 250
        reds = []
        for i in range(gif.n_frames):
            gif.seek(i)
            reds.append(red_pixels(gif))
    assert reds[-1] > 1.5 * reds[0], reds
    assert max(reds[:2]) < min(reds[-2:]), reds


def test_cli_writes_a_gif_and_never_touches_the_board(tmp_path, example_path, capsys):
    board = tmp_path / "b.cboard"
    shutil.copyfile(example_path, board)
    before = board.read_bytes()
    out = tmp_path / "a.gif"
    code = run(["export-animation", str(board), "--scenario", "peak", "--with", "llm-timeout-fallback",
                "-o", str(out), "--frames", "3", "--duration", "30", "--width", "400"])
    assert code == 0
    assert "3 frames" in capsys.readouterr().out
    with Image.open(out) as gif:
        assert gif.n_frames == 3
    assert board.read_bytes() == before


def test_cli_explains_bad_requests(tmp_path, example_path, capsys):
    out = str(tmp_path / "a.gif")
    assert run(["export-animation", str(example_path), "--scenario", "nope", "-o", out]) == 2
    assert "unknown scenario 'nope'" in capsys.readouterr().err
    assert run(["export-animation", str(example_path), "--scenario", "peak", "--with", "x", "-o", out]) == 2
    assert "unknown intervention 'x'" in capsys.readouterr().err
    assert run(["export-animation", str(example_path), "--scenario", "peak", "-o", str(tmp_path / "a.avi")]) == 2
    assert ".gif or .mp4" in capsys.readouterr().err


def test_mp4_without_an_encoder_is_a_clear_error(tmp_path, example_path, capsys, monkeypatch):
    from app.ui.animation import export

    monkeypatch.setattr(export, "find_ffmpeg", lambda: None)
    code = run(["export-animation", str(example_path), "--scenario", "peak", "-o", str(tmp_path / "a.mp4"),
                "--frames", "2"])
    assert code == 2
    assert "MP4 needs ffmpeg" in capsys.readouterr().err
    assert not (tmp_path / "a.mp4").exists()


def test_mp4_has_the_frames_asked_for(tmp_path, example_path, capsys):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg", reason="the video extra is not installed")
    out = tmp_path / "cascade.mp4"
    code = run(["export-animation", str(example_path), "--scenario", "llm-rate-limit", "-o", str(out),
                "--frames", "6", "--fps", "3", "--duration", "60", "--width", "480"])
    assert code == 0
    assert "6 frames" in capsys.readouterr().out
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert frames == 6
    assert seconds == pytest.approx(2.0, abs=0.1)


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_menu_action_exports_the_current_run_settings(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    import app.ui.animation.export as export

    out = tmp_path / "menu.gif"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    monkeypatch.setattr(export, "DEFAULT_SECONDS", 0.4)  # 4 frames at 10 fps
    controller = window.simulation.controller
    controller.set_scenario("cache-invalidation")
    before = window.board.document()
    window.simulation.actions["export"].trigger()
    with Image.open(out) as gif:
        assert gif.n_frames == 4
    assert window.board.document() == before
    assert window.simulation.menu.title() == "&Simulation"
