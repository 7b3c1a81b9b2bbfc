"""``cascade-board install-desktop`` against a temporary XDG data folder, and the desktop files
themselves (freedesktop.org's desktop entry, shared MIME info and AppStream specs)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

from app import desktop
from app.cli import run
from app.resources import resource_path

MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "xdg data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_install_then_uninstall_leaves_no_file_behind(data_home, capsys):
    assert run(["install-desktop", "--user"]) == 0
    out = capsys.readouterr().out
    entry = data_home / "applications" / f"{desktop.APP_ID}.desktop"
    assert entry.is_file()
    assert (data_home / "mime" / "packages" / f"{desktop.APP_ID}.xml").is_file()
    assert (data_home / "metainfo" / f"{desktop.APP_ID}.metainfo.xml").is_file()
    assert (data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{desktop.APP_ID}.svg").is_file()
    for size in desktop.ICON_SIZES:
        assert (data_home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{desktop.APP_ID}.png").is_file()
    assert f"wrote {entry}" in out
    if shutil.which("update-mime-database"):
        # the MIME database now knows .cboard files by name
        globs = (data_home / "mime" / "globs2").read_text(encoding="utf-8")
        assert f"{desktop.MIME_TYPE}:*.cboard" in globs

    assert run(["install-desktop", "--uninstall"]) == 0
    assert files_under(data_home) == []


def test_uninstall_keeps_what_others_installed(data_home):
    other = data_home / "applications" / "other.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n", encoding="utf-8")
    desktop.install(data_home, ["/usr/bin/cascade-board"])
    desktop.uninstall(data_home)
    assert other.is_file()
    assert not (data_home / "applications" / f"{desktop.APP_ID}.desktop").exists()


def test_the_installed_entry_starts_this_program_even_from_a_path_with_spaces(data_home):
    desktop.install(data_home, ["/opt/my tools/bin/cascade-board"])
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(data_home / "applications" / f"{desktop.APP_ID}.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Exec"] == '"/opt/my tools/bin/cascade-board" %f'
    assert entry["TryExec"] == "/opt/my tools/bin/cascade-board"
    assert entry["MimeType"] == f"{desktop.MIME_TYPE};"
    assert entry["Icon"] == desktop.APP_ID


def test_command_line_of_a_python_without_the_script(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "bin" / "python"))
    assert desktop.command_line() == [str(tmp_path / "bin" / "python"), "-m", "app.main"]


def test_without_xdg_it_says_what_it_would_write(monkeypatch, data_home, capsys):
    monkeypatch.setattr(desktop.sys, "platform", "darwin")
    monkeypatch.delenv("XDG_DATA_HOME")
    assert run(["install-desktop"]) == 1
    out = capsys.readouterr().out
    assert "no freedesktop.org (XDG) desktop" in out
    assert f"{desktop.APP_ID}.desktop" in out
    assert not data_home.exists()


def test_dry_run_writes_nothing(data_home, capsys):
    assert run(["install-desktop", "--dry-run"]) == 0
    assert str(data_home / "applications" / f"{desktop.APP_ID}.desktop") in capsys.readouterr().out
    assert not data_home.exists()


def test_mime_type_matches_cboard_by_name_and_by_content():
    root = ElementTree.parse(resource_path("desktop", f"{desktop.APP_ID}.mime.xml")).getroot()
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert mime.get("type") == desktop.MIME_TYPE
    assert mime.find(f"{MIME_NS}glob").get("pattern") == "*.cboard"
    match = mime.find(f"{MIME_NS}magic/{MIME_NS}match")
    assert match.get("value") == '"format_version"'
    start, _sep, end = match.get("offset").partition(":")
    example = resource_path("examples", "streamflow-ai.cboard").read_bytes()
    assert b'"format_version"' in example[int(start):int(end) + len(b'"format_version"')]


def test_metainfo_names_the_entry_and_the_type():
    root = ElementTree.parse(resource_path("desktop", f"{desktop.APP_ID}.metainfo.xml")).getroot()
    assert root.findtext("id") == desktop.APP_ID
    assert root.findtext("launchable") == f"{desktop.APP_ID}.desktop"
    assert root.findtext("provides/mediatype") == desktop.MIME_TYPE


@pytest.mark.parametrize(("tool", "args", "name"), [
    ("desktop-file-validate", [], f"{desktop.APP_ID}.desktop"),
    ("appstreamcli", ["validate", "--no-net"], f"{desktop.APP_ID}.metainfo.xml"),
])
def test_desktop_files_pass_the_freedesktop_validators(tool, args, name):
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed (packaging/setup.sh installs it on Debian)")
    result = subprocess.run([exe, *args, str(resource_path("desktop", name))], capture_output=True, text=True,
                            check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower().replace("validation was successful", ""), result.stdout


@pytest.mark.parametrize(("argument", "path"), [
    ("file:///home/ana/My%20Boards/a%20b.cboard", "/home/ana/My Boards/a b.cboard"),
    ("/home/ana/My Boards/a b.cboard", "/home/ana/My Boards/a b.cboard"),
    ("relative.cboard", "relative.cboard"),
])
def test_a_board_from_the_desktop_is_a_local_path(argument, path):
    assert desktop.board_path(argument) == path


def test_qt_gets_the_shipped_fonts_and_the_icon(qapp):
    from PySide6.QtGui import QFontDatabase, QGuiApplication

    desktop.apply_to_qt()
    families = set(QFontDatabase.families())
    assert {"DejaVu Sans", "Symbola"} <= families
    assert QGuiApplication.desktopFileName() == desktop.APP_ID
    assert not QGuiApplication.windowIcon().isNull()
    assert {s.width() for s in desktop.app_icon().availableSizes()} >= set(desktop.ICON_SIZES)
