"""Recent files (QSettings) and crash recovery (platformdirs).

A window with unsaved changes writes its board to a recovery file in the
user data directory a few seconds after editing stops (``app.ui.autosave``)
and whenever it loses focus; saving or closing cleanly deletes it. At the
next start, a recovery file whose board differs from the file it belongs to
(or belonging to an unsaved board) is offered back, whatever the timestamps
say; it is deleted only when the user says so, or when it holds exactly what
the file holds.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

from models.document import BoardDocument
from models.errors import BoardLoadError
from models.fileformat import clean_stale_temps, load_path, save_path

APP_NAME = "cascade-board"
MAX_RECENT = 10


SETTINGS_FILE: str | None = None
"""An INI file to keep settings in instead of the platform's place (tests set it)."""


def settings() -> QSettings:
    if SETTINGS_FILE is not None:
        return QSettings(SETTINGS_FILE, QSettings.Format.IniFormat)
    return QSettings("Cascade Board", "Cascade Board")


class RecentFiles:
    """The most recently opened or saved boards, newest first."""

    KEY = "files/recent"

    def paths(self) -> list[str]:
        value = settings().value(self.KEY, [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list | tuple) else []

    def add(self, path: str | os.PathLike[str]) -> None:
        path = str(Path(path).resolve())
        paths = [path, *(p for p in self.paths() if p != path)][:MAX_RECENT]
        settings().setValue(self.KEY, paths)

    def remove(self, path: str) -> None:
        settings().setValue(self.KEY, [p for p in self.paths() if p != path])

    def clear(self) -> None:
        settings().setValue(self.KEY, [])


@dataclass(frozen=True)
class Recovery:
    """A recovery copy: where it is, the file it belongs to (None: never saved), when written."""

    recovery_path: Path
    original: str | None
    saved_at: float

    @property
    def label(self) -> str:
        return self.original or "an unsaved board"


def _same_board(copy: Path, original: Path) -> bool:
    """Whether a recovery copy holds exactly the board its file holds (unreadable: no)."""
    try:
        if copy.read_bytes() == original.read_bytes():
            return True
        return load_path(copy) == load_path(original)
    except (OSError, BoardLoadError):
        return False


def recovery_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "recovery"


class RecoveryStore:
    """Writes and finds recovery copies; one per document (by path, or per
    session for a board that was never saved)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or recovery_dir()
        self.session = f"untitled-{os.getpid()}-{int(time.time() * 1000)}"

    def _stem(self, original: str | None) -> str:
        if original is None:
            return self.session
        return "file-" + hashlib.sha1(str(Path(original).resolve()).encode()).hexdigest()[:16]

    def path_for(self, original: str | None) -> Path:
        return self.directory / f"{self._stem(original)}.cboard"

    def write(self, document: BoardDocument, original: str | None) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path_for(original)
        save_path(document, target, backup=False)
        meta = {"original": str(Path(original).resolve()) if original else None, "saved_at": time.time()}
        target.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
        return target

    def discard(self, original: str | None) -> None:
        target = self.path_for(original)
        for path in (target, target.with_suffix(".json")):
            path.unlink(missing_ok=True)

    def candidates(self) -> list[Recovery]:
        """Recovery copies worth offering: every one whose board differs from its
        file's (or whose file is gone or was never saved). A copy identical to
        its file holds nothing to lose and is deleted."""
        if not self.directory.is_dir():
            return []
        found = []
        for meta_path in sorted(self.directory.glob("*.json")):
            board_path = meta_path.with_suffix(".cboard")
            if board_path.stem == self.session:
                continue
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                original = meta.get("original")
                saved_at = float(meta.get("saved_at", board_path.stat().st_mtime))
            except (OSError, ValueError, AttributeError):
                continue
            clean_stale_temps(board_path)  # interrupted writes, of the copy and of its file
            if original:
                clean_stale_temps(original)
            if not board_path.exists():
                meta_path.unlink(missing_ok=True)
                continue
            if original and _same_board(board_path, Path(original)):
                board_path.unlink(missing_ok=True)
                meta_path.unlink(missing_ok=True)
                continue
            found.append(Recovery(board_path, original, saved_at))
        return sorted(found, key=lambda r: r.saved_at, reverse=True)

    @staticmethod
    def load(recovery: Recovery) -> BoardDocument:
        return load_path(recovery.recovery_path)

    @staticmethod
    def drop(recovery: Recovery) -> None:
        recovery.recovery_path.unlink(missing_ok=True)
        recovery.recovery_path.with_suffix(".json").unlink(missing_ok=True)
