"""Render a simulation run offscreen, frame by frame, with the same look as the
canvas, and write it as an animated GIF (Pillow) or, with ffmpeg, an MP4.

The run uses a copy of the board in a read-only scene; the caller's board is
never touched.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from app.sim.view import FrameView, ViewBuilder
from app.ui.animation.clock import paint_clock
from app.ui.animation.look import CLOCK_SUB_FONT
from app.ui.animation.overlay import SimulationOverlay, health_line
from app.ui.canvas.scene import BoardScene
from app.ui.render import export_rect, hide_unexported_annotations
from app.ui.theme import LIGHT
from models.board import Board
from models.document import BoardDocument
from models.errors import BoardError
from models.params import SimScenario
from models.runs.seeds import DEFAULT_SEED

HEADER_H = 104
"""Pixels above the board for the clock and the run's title."""
DEFAULT_FPS = 10
DEFAULT_SECONDS = 20.0
"""A default export lasts this long when played back (frames = fps × seconds)."""
MAX_FRAMES = 5_000


class AnimationError(Exception):
    """An export that cannot be made (no encoder, bad settings); the message says why."""


@dataclass(frozen=True)
class ExportSettings:
    scenario_id: str
    interventions: Sequence[str] = ()
    seed: int = DEFAULT_SEED
    fps: int = DEFAULT_FPS
    frames: int | None = None
    """How many frames; by default ``fps × DEFAULT_SECONDS``."""
    duration_s: float | None = None
    """Simulated seconds covered; by default the scenario's duration."""
    width: int = 1280
    extra: dict[str, str] = field(default_factory=dict)


Progress = Callable[[int, int], bool]
"""Called with (frames done, frames in all); returning False cancels."""


def _scenario(document: BoardDocument, scenario_id: str) -> SimScenario:
    try:
        return document.scenario(scenario_id)
    except BoardError as error:
        raise AnimationError(str(error)) from None


class FrameRenderer:
    """A read-only scene of a board copy with the simulation overlay, rendered to images."""

    def __init__(self, document: BoardDocument, width: int = 1280, title: str = "") -> None:
        self.board = Board(document)
        self.scene = BoardScene(self.board, theme=LIGHT)
        self.scene.set_theme(LIGHT)
        self.scene.show_grid = False
        self.overlay = SimulationOverlay(self.scene, view=None, animate=False)
        hide_unexported_annotations(self.scene)  # the whole board: no step's notes
        self.rect = export_rect(self.scene).adjusted(-30, -40, 30, 30)
        scale = width / self.rect.width()
        self.size = QSize(width, round(self.rect.height() * scale) + HEADER_H)
        self.title = title

    def close(self) -> None:
        """Take the overlay off and let go of the scene (before Qt shuts down)."""
        self.overlay.apply(None)
        self.scene.detach()
        self.scene.clear()

    def render(self, frame: FrameView | None, wall_s: float = 0.0) -> QImage:
        self.overlay.apply(frame)
        if frame is not None:
            self.overlay.set_phase(wall_s)
        image = QImage(self.size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(LIGHT.background))
        painter = QPainter(image)
        try:
            painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
            self.scene.printing = True
            target = QRectF(0, HEADER_H, self.size.width(), self.size.height() - HEADER_H)
            self.scene.render(painter, target, self.rect, Qt.AspectRatioMode.KeepAspectRatio)
            self.scene.printing = False
            if frame is not None:
                paint_clock(painter, QPointF(14, 10), frame.label, SimulationOverlay.clock_sub(frame), frame.phase,
                            *health_line(frame, self.overlay.node_label))
            painter.setFont(CLOCK_SUB_FONT)
            painter.setPen(QColor("#37474F"))
            painter.drawText(QRectF(0, 10, self.size.width() - 16, HEADER_H - 20),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.title)
        finally:
            painter.end()
        return image


def qimage_to_pil(image: QImage) -> Image.Image:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    data = bytes(rgb.constBits())[: rgb.sizeInBytes()]
    return Image.frombuffer("RGB", (rgb.width(), rgb.height()), data, "raw", "RGB", rgb.bytesPerLine(), 1).copy()


def render_frames(document: BoardDocument, settings: ExportSettings,
                  progress: Progress | None = None) -> Iterator[Image.Image]:
    """Yield one PIL image per exported frame."""
    from models.simulation import Simulation

    scenario = _scenario(document, settings.scenario_id)
    if settings.fps < 1 or settings.fps > 60:
        raise AnimationError("--fps must be between 1 and 60")
    frames = settings.frames if settings.frames is not None else round(settings.fps * DEFAULT_SECONDS)
    if not 1 <= frames <= MAX_FRAMES:
        raise AnimationError(f"the number of frames must be between 1 and {MAX_FRAMES}")
    duration = settings.duration_s if settings.duration_s is not None else scenario.duration_s
    try:
        simulation = Simulation(document, scenario.id, interventions=tuple(settings.interventions),
                                seed=settings.seed, duration_s=duration)
    except Exception as error:
        raise AnimationError(str(error)) from error
    with_text = f" with {', '.join(settings.interventions)}" if settings.interventions else ""
    renderer = FrameRenderer(document, settings.width, f"{scenario.name}{with_text} · seed {settings.seed}")
    builder = ViewBuilder(simulation.duration_s)
    dt = simulation.duration_s / frames
    try:
        for i in range(frames):
            view = builder(simulation.run_until((i + 1) * dt))
            yield qimage_to_pil(renderer.render(view, i / settings.fps))
            if progress is not None and not progress(i + 1, frames):
                raise AnimationError("cancelled")
    finally:
        renderer.close()


def export_animation(document: BoardDocument, out: str | Path, settings: ExportSettings,
                     progress: Progress | None = None) -> int:
    """Write the animation to ``out`` (.gif, or .mp4 when ffmpeg is installed); returns the frame count."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise AnimationError(f"{path.name}: the output must end in .gif or .mp4")
    if suffix == ".mp4":
        return _write_mp4(document, path, settings, progress)
    images = list(render_frames(document, settings, progress))
    palette_images = [image.convert("P", palette=Image.Palette.ADAPTIVE, colors=128) for image in images]
    palette_images[0].save(path, save_all=True, append_images=palette_images[1:], loop=0,
                           duration=round(1000 / settings.fps), optimize=False, disposal=1)
    return len(images)


def find_ffmpeg() -> str | None:
    """The ffmpeg of the system, else the one the ``video`` extra (imageio-ffmpeg) ships."""
    found = shutil.which("ffmpeg")
    if found is not None:
        return found
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError:
        return None


def _write_mp4(document: BoardDocument, path: Path, settings: ExportSettings, progress: Progress | None) -> int:
    ffmpeg = find_ffmpeg()
    if ffmpeg is None:
        raise AnimationError("MP4 needs ffmpeg, which is not installed here; export a .gif instead, or "
                             "install it (pip install 'cascade-board[video]', or the system's ffmpeg)")
    count = 0
    process: subprocess.Popen[bytes] | None = None
    try:
        for image in render_frames(document, settings, progress):
            if process is None:
                w, h = image.size[0] // 2 * 2, image.size[1] // 2 * 2
                process = subprocess.Popen(
                    [ffmpeg, "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
                     "-r", str(settings.fps), "-i", "-", "-pix_fmt", "yuv420p", "-vcodec", "libx264", str(path)],
                    stdin=subprocess.PIPE,
                )
            assert process.stdin is not None
            process.stdin.write(image.crop((0, 0, w, h)).tobytes())
            count += 1
    finally:
        if process is not None and process.stdin is not None:
            process.stdin.close()
            if process.wait() != 0:
                raise AnimationError("ffmpeg could not write the video")
    return count
