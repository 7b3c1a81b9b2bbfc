"""Desktop integration on Windows: the ``.cboard`` file association, per user.

Windows reads file types from ``HKEY_CURRENT_USER\\Software\\Classes`` for the current user, so
no administrator rights are needed: the extension ``.cboard`` names a ProgID, and the ProgID
says what the file is called in Explorer, its icon and the command that opens it. This is what
an installer would write; ``cascade-board install-desktop`` writes it (and ``--uninstall``
removes it) so that a wheel installed with pipx gets the same double-click as the bundle.

The values are a plain list (``registry_values``) so that they can be shown with ``--dry-run``
and tested on any system; only ``WinRegistry`` touches the real registry, through ``winreg``.
See README.md, "Install on a laptop".
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from typing import Protocol

from app.desktop import APP_ID, MIME_TYPE
from app.resources import resource_path

CLASSES = r"Software\Classes"
PROG_ID = "CascadeBoard.Board"
"""The ProgID of a board: ``Program.Type``, as Windows recommends (no version: one program)."""
EXTENSION = ".cboard"


@dataclass(frozen=True)
class RegistryValue:
    """One value under ``HKEY_CURRENT_USER``: ``key`` relative to it, ``name`` empty for the
    key's default value."""

    key: str
    name: str
    value: str


class Registry(Protocol):
    """What install and uninstall need of the registry."""

    def set_value(self, key: str, name: str, value: str) -> None: ...

    def get_value(self, key: str, name: str) -> str | None:
        """The value, or None when the key or the value is not there."""
        ...

    def delete_tree(self, key: str) -> bool:
        """Remove ``key`` and everything under it; False when it was not there."""
        ...

    def notify(self) -> None:
        """Tell Explorer the associations changed."""
        ...


def _quote(argument: str) -> str:
    """One argument of a Windows command line, quoted the way ``CommandLineToArgvW`` reads it."""
    return subprocess.list2cmdline([argument]) if argument else '""'


def open_command(argv: list[str]) -> str:
    """The ``shell\\open\\command`` value: the program, then the clicked file as ``"%1"``."""
    return " ".join(_quote(a) for a in argv) + ' "%1"'


def registry_values(argv: list[str], icon: str) -> list[RegistryValue]:
    """Every value ``install`` writes, in order."""
    ext = rf"{CLASSES}\{EXTENSION}"
    prog = rf"{CLASSES}\{PROG_ID}"
    return [
        RegistryValue(ext, "", PROG_ID),
        RegistryValue(ext, "Content Type", MIME_TYPE),
        RegistryValue(ext, "PerceivedType", "document"),
        RegistryValue(rf"{ext}\OpenWithProgids", PROG_ID, ""),
        RegistryValue(prog, "", "Cascade Board whiteboard"),
        RegistryValue(prog, "AppUserModelID", APP_ID),
        RegistryValue(rf"{prog}\DefaultIcon", "", icon),
        RegistryValue(rf"{prog}\shell\open", "", "Open with Cascade Board"),
        RegistryValue(rf"{prog}\shell\open\command", "", open_command(argv)),
    ]


def owned_keys(registry: Registry) -> list[str]:
    """The keys ``uninstall`` removes: the ProgID, and the extension's key while it still names
    our ProgID (another program may have taken ``.cboard`` over since; then it stays its own)."""
    keys = [rf"{CLASSES}\{PROG_ID}"]
    ext = rf"{CLASSES}\{EXTENSION}"
    if registry.get_value(ext, "") in (PROG_ID, None):
        keys.append(ext)
    return keys


def icon_value() -> str:
    """``DefaultIcon``: the shipped ``.ico`` (every size from 16 to 256 px)."""
    return str(resource_path("icons", "cascade-board.ico"))


def install(registry: Registry, argv: list[str], icon: str | None = None) -> list[str]:
    """Write the association; the lines to print."""
    log = []
    for value in registry_values(argv, icon or icon_value()):
        registry.set_value(value.key, value.name, value.value)
        log.append(f"set HKCU\\{value.key} {value.name or '(default)'} = {value.value}")
    registry.notify()
    return log


def uninstall(registry: Registry) -> list[str]:
    """Remove the association's keys; the lines to print."""
    log = []
    for key in owned_keys(registry):
        if registry.delete_tree(key):
            log.append(f"removed HKCU\\{key}")
    registry.notify()
    return log


class WinRegistry:
    """The current user's registry through ``winreg`` (Windows only)."""

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise OSError("the Windows registry exists only on Windows")
        import winreg  # Windows only

        self._winreg = winreg

    def set_value(self, key: str, name: str, value: str) -> None:
        winreg = self._winreg
        with winreg.CreateKeyEx(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
            winreg.SetValueEx(handle, name or None, 0, winreg.REG_SZ, value)

    def get_value(self, key: str, name: str) -> str | None:
        winreg = self._winreg
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                value, _kind = winreg.QueryValueEx(handle, name or None)
        except FileNotFoundError:
            return None
        return str(value)

    def delete_tree(self, key: str) -> bool:
        winreg = self._winreg
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_ALL_ACCESS) as handle:
                while True:
                    try:
                        child = winreg.EnumKey(handle, 0)
                    except OSError:
                        break
                    self.delete_tree(rf"{key}\{child}")
            winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)
        except FileNotFoundError:
            return False
        return True

    def notify(self) -> None:
        import ctypes  # Windows only

        shcne_assocchanged, shcnf_idlist = 0x08000000, 0x0000
        ctypes.windll.shell32.SHChangeNotify(shcne_assocchanged, shcnf_idlist, None, None)  # type: ignore[attr-defined]
