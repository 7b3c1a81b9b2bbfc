"""Desktop integration on Linux, per the freedesktop.org specs: the ``.desktop`` entry, the
``application/x-cascade-board`` MIME type for ``.cboard`` files, the icon and the AppStream
metainfo, installed per user into the XDG data folder (``$XDG_DATA_HOME``, by default
``~/.local/share``) so that double-clicking a board opens it. ``cascade-board install-desktop``
runs it; the files themselves ship in ``resources/desktop`` and ``resources/icons``.

See README.md, "Install".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import platformdirs

from app.resources import resource_path

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

APP_ID = "io.github.cascadeboard.CascadeBoard"
"""The program's identity: the desktop entry's and metainfo's name, the icon's name, the
Qt desktop file name (``app/ui/launch.py``) and the PDF's creator (``app/export``)."""

MIME_TYPE = "application/x-cascade-board"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


@dataclass(frozen=True)
class Placement:
    """One file to install: where it comes from and where it goes under the data folder."""

    source: Path
    target: Path  # relative to the XDG data folder


def data_home() -> Path:
    """``$XDG_DATA_HOME`` or ``~/.local/share`` (platformdirs' rule)."""
    return platformdirs.user_data_path()


def placements() -> list[Placement]:
    """Every file ``install-desktop`` writes, relative to the data folder."""
    desktop = resource_path("desktop")
    icons = resource_path("icons")
    files = [
        Placement(desktop / f"{APP_ID}.desktop", Path("applications", f"{APP_ID}.desktop")),
        Placement(desktop / f"{APP_ID}.mime.xml", Path("mime", "packages", f"{APP_ID}.xml")),
        Placement(desktop / f"{APP_ID}.metainfo.xml", Path("metainfo", f"{APP_ID}.metainfo.xml")),
        Placement(icons / "cascade-board.svg", Path("icons", "hicolor", "scalable", "apps", f"{APP_ID}.svg")),
    ]
    for size in ICON_SIZES:
        files.append(Placement(icons / f"{size}x{size}" / "cascade-board.png",
                               Path("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")))
    return files


def command_line() -> list[str]:
    """How the desktop starts this very program: the frozen executable, the installed script,
    or this Python running the entry point."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script = shutil.which("cascade-board-gui", path=str(Path(sys.executable).parent)) or shutil.which(
        "cascade-board", path=str(Path(sys.executable).parent)
    )
    if script:
        return [script]
    return [sys.executable, "-m", "app.main"]


def _exec_value(argv: list[str]) -> str:
    """A desktop-entry ``Exec`` value: each argument quoted as the spec says, then ``%f``."""

    def quote(arg: str) -> str:
        if not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`='):
            return arg
        escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
        return f'"{escaped}"'

    return " ".join(quote(a) for a in argv).replace("\\", "\\\\").replace("%", "%%") + " %f"


def desktop_entry(argv: list[str]) -> str:
    """The shipped ``.desktop`` with ``Exec`` and ``TryExec`` pointing at ``argv``."""
    lines = []
    for line in resource_path("desktop", f"{APP_ID}.desktop").read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={_exec_value(argv)}"
            if Path(argv[0]).is_absolute():
                lines.append(f"TryExec={argv[0]}")
        lines.append(line)
    return "\n".join(lines) + "\n"


def _refresh(home: Path, log: list[str]) -> None:
    """Rebuild the MIME and desktop caches when the tools are there; desktops also do it at login."""
    for tool, folder in (("update-mime-database", home / "mime"), ("update-desktop-database", home / "applications")):
        exe = shutil.which(tool)
        if exe is None or not folder.is_dir():
            log.append(f"({tool} is not installed; the desktop picks the change up at the next login)")
            continue
        result = subprocess.run([exe, str(folder)], capture_output=True, text=True, check=False, timeout=120)
        if result.returncode != 0:
            log.append(f"{tool} {folder}: {result.stderr.strip() or result.returncode}")


def plan(home: Path | None = None) -> Iterator[tuple[Placement, Path]]:
    home = home or data_home()
    for placement in placements():
        yield placement, home / placement.target


def install(home: Path | None = None, argv: list[str] | None = None) -> list[str]:
    """Copy the desktop files into ``home`` (default: the XDG data folder); the lines to print."""
    home = home or data_home()
    argv = argv or command_line()
    log = []
    for placement, target in plan(home):
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix == ".desktop":
            target.write_text(desktop_entry(argv), encoding="utf-8")
        else:
            shutil.copyfile(placement.source, target)
        log.append(f"wrote {target}")
    _refresh(home, log)
    return log


def uninstall(home: Path | None = None) -> list[str]:
    """Remove what ``install`` wrote, and the folders it leaves empty; the lines to print."""
    home = home or data_home()
    log = []
    for _placement, target in plan(home):
        if target.exists():
            target.unlink()
            log.append(f"removed {target}")
        folder = target.parent
        while folder != home and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    _refresh(home, log)
    for generated in (home / "mime", home / "applications"):
        _remove_if_only_caches(generated, log)
    return log


def _remove_if_only_caches(folder: Path, log: list[str]) -> None:
    """Remove what the cache tools generated once nothing is left for them to index: ``mime/``
    without ``packages/`` holds only ``update-mime-database``'s output, and ``applications/``
    with nothing but ``mimeinfo.cache`` only ``update-desktop-database``'s."""
    if not folder.is_dir():
        return
    if folder.name == "mime" and not (folder / "packages").exists():
        shutil.rmtree(folder)
    elif folder.name == "applications" and [p.name for p in folder.iterdir()] == ["mimeinfo.cache"]:
        (folder / "mimeinfo.cache").unlink()
        folder.rmdir()
    else:
        return
    log.append(f"removed {folder} (only caches were left in it)")


def has_xdg() -> bool:
    """True where freedesktop.org desktops read these files: Linux and the BSDs."""
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) or bool(os.environ.get("XDG_DATA_HOME"))


def board_path(argument: str) -> str:
    """A board named by the desktop: a ``file://`` URI (``%u``) becomes its local path; a path stays."""
    if argument.startswith("file://"):
        parts = urlsplit(argument)
        return unquote(parts.path)
    return argument



def app_icon() -> QIcon:
    """The program's icon, every shipped size (the window, the task bar, the dock)."""
    from PySide6.QtGui import QIcon

    icon = QIcon()  # the PNGs, not the SVG: Qt's SVG icon engine is a plugin a bundle may lack
    for size in ICON_SIZES:
        icon.addFile(str(resource_path("icons", f"{size}x{size}", "cascade-board.png")))
    return icon


def apply_to_qt() -> None:
    """Once the Qt application exists: the shipped fonts registered with Qt, so the canvas draws
    in the PDF's DejaVu Sans on every OS (``app/ui/canvas/style.py``), and the program's identity:
    the desktop file name, which Wayland and the task bar match to the installed entry, and the icon."""
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    for font in sorted(resource_path("fonts").glob("*.ttf")):
        if QFontDatabase.addApplicationFont(str(font)) < 0:
            print(f"cascade-board: Qt cannot load the shipped font {font}", file=sys.stderr)
    QGuiApplication.setDesktopFileName(APP_ID)
    QGuiApplication.setWindowIcon(app_icon())
