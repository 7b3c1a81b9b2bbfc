"""The Windows ``.cboard`` association (app/desktop_windows.py), against an in-memory registry:
the real one exists only on Windows, where .github/workflows/package.yml runs the wheel."""

from __future__ import annotations

import argparse
import shlex
import sys

import pytest
from PIL import Image

from app import desktop_windows
from app.commands import install_desktop
from app.desktop import APP_ID, MIME_TYPE


class FakeRegistry:
    """HKEY_CURRENT_USER as a dict of key → {name: value}; keys are case-insensitive as on Windows."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, str]] = {"software": {}, "software\\classes": {}}  # always there
        self.notified = 0

    def set_value(self, key: str, name: str, value: str) -> None:
        parts = key.split("\\")
        for depth in range(1, len(parts) + 1):  # creating a key creates its parents, like CreateKeyEx
            self.keys.setdefault("\\".join(parts[:depth]).lower(), {})
        self.keys[key.lower()][name] = value

    def get_value(self, key: str, name: str) -> str | None:
        return self.keys.get(key.lower(), {}).get(name)

    def delete_tree(self, key: str) -> bool:
        prefix = key.lower()
        doomed = [k for k in self.keys if k == prefix or k.startswith(prefix + "\\")]
        for k in doomed:
            del self.keys[k]
        return bool(doomed)

    def notify(self) -> None:
        self.notified += 1


ARGV = [r"C:\Users\Ana Lyst\pipx\venvs\cascade-board\Scripts\cascade-board.exe"]


def test_install_registers_the_extension_with_our_progid_icon_and_command():
    registry = FakeRegistry()
    desktop_windows.install(registry, ARGV, icon=r"C:\icons\cascade-board.ico")
    ext = r"Software\Classes\.cboard"
    prog = r"Software\Classes\CascadeBoard.Board"
    assert registry.get_value(ext, "") == "CascadeBoard.Board"
    assert registry.get_value(ext, "Content Type") == MIME_TYPE
    assert registry.get_value(prog, "AppUserModelID") == APP_ID
    assert registry.get_value(prog + r"\DefaultIcon", "") == r"C:\icons\cascade-board.ico"
    command = registry.get_value(prog + r"\shell\open\command", "")
    # the program's path has a space: it is quoted, and the clicked file comes last as "%1"
    assert command == rf'"{ARGV[0]}" "%1"'
    assert shlex.split(command.replace("\\", "/")) == [ARGV[0].replace("\\", "/"), "%1"]
    assert registry.notified == 1


def test_uninstall_removes_every_key_install_wrote():
    registry = FakeRegistry()
    registry.set_value(r"Software\Classes\.txt", "", "txtfile")  # somebody else's
    before = set(registry.keys)
    desktop_windows.install(registry, ARGV, icon="x.ico")
    log = desktop_windows.uninstall(registry)
    assert set(registry.keys) == before
    assert any("CascadeBoard.Board" in line for line in log)


def test_uninstall_leaves_the_extension_to_a_program_that_took_it_over():
    registry = FakeRegistry()
    desktop_windows.install(registry, ARGV, icon="x.ico")
    registry.set_value(r"Software\Classes\.cboard", "", "Other.Program")
    desktop_windows.uninstall(registry)
    assert registry.get_value(r"Software\Classes\.cboard", "") == "Other.Program"
    assert registry.get_value(r"Software\Classes\CascadeBoard.Board", "") is None


def test_the_shipped_icon_carries_every_size_windows_asks_for():
    with Image.open(desktop_windows.icon_value()) as icon:
        sizes = set(icon.info["sizes"])
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes


def _args(**overrides: bool) -> argparse.Namespace:
    return argparse.Namespace(**{"user": True, "uninstall": False, "dry_run": False, **overrides})


def test_install_desktop_on_windows_writes_the_registry_and_dry_run_only_prints(monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "win32")
    registry = FakeRegistry()
    empty = dict(registry.keys)
    assert install_desktop._windows(_args(dry_run=True), registry) == 0
    printed = capsys.readouterr().out
    assert "HKEY_CURRENT_USER" in printed
    assert r"Software\Classes\.cboard" in printed
    assert registry.keys == empty
    assert install_desktop._windows(_args(), registry) == 0
    assert registry.get_value(r"Software\Classes\.cboard", "") == "CascadeBoard.Board"
    assert "Explorer" in capsys.readouterr().out
    assert install_desktop._windows(_args(uninstall=True), registry) == 0
    assert registry.keys == empty


def test_the_real_registry_is_refused_off_windows():
    if sys.platform == "win32":
        pytest.skip("this is Windows")
    with pytest.raises(OSError, match="only on Windows"):
        desktop_windows.WinRegistry()
