"""How the files we write are shared: the mode a new or replaced file gets,
and the date an export carries (see ``docs/files.md``).

Atomic writes go through a temporary file, which the standard library
creates private (0600). Before it is renamed over the target it is given the
mode a plain ``open()`` would have produced: the existing file's mode when
one is replaced, else ``0666`` less the process umask. So a handout on a
shared drive opens for the group whenever the umask says so.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
import threading
from collections.abc import Mapping
from pathlib import Path

NEW_FILE_MODE = 0o666
"""What ``open()`` asks for; the umask takes bits away."""
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
"""Reproducible-builds practice: seconds since 1970 to stamp instead of now."""

_umask_lock = threading.Lock()


def current_umask() -> int:
    """The process umask, read without changing it where Linux allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _umask_lock:  # elsewhere the only way to read it is to set it and put it back
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def shared_mode(path: Path) -> int:
    """The permission bits a file written to ``path`` should get: those of the
    file it replaces, else those the umask gives a new file."""
    try:
        existing = path.stat()
    except OSError:
        return NEW_FILE_MODE & ~current_umask()
    if stat.S_ISREG(existing.st_mode):
        return stat.S_IMODE(existing.st_mode)
    return NEW_FILE_MODE & ~current_umask()


def apply_shared_mode(temporary: str | os.PathLike[str], path: Path) -> None:
    """Give the temporary file about to replace ``path`` its shared mode."""
    os.chmod(temporary, shared_mode(path))


def export_date(override: str | None = None, environ: Mapping[str, str] | None = None) -> datetime.date:
    """The day an export is stamped with: ``override`` when it is an ISO date
    (``YYYY-MM-DD…``), else ``SOURCE_DATE_EPOCH`` when set, else today (UTC).

    Free text such as "27 November 2026" is printed, not stamped, so then the
    environment or today decides. A malformed ``SOURCE_DATE_EPOCH`` raises
    ``ValueError`` naming it.
    """
    if override is not None:
        day = iso_day(override)
        if day is not None:
            return day
    env = os.environ if environ is None else environ
    raw = env.get(SOURCE_DATE_EPOCH, "").strip()
    if raw:
        if not raw.isdigit():
            raise ValueError(f"{SOURCE_DATE_EPOCH}={raw!r}: must be whole seconds since 1970-01-01")
        return datetime.datetime.fromtimestamp(int(raw), tz=datetime.UTC).date()
    return datetime.datetime.now(tz=datetime.UTC).date()


def iso_day(text: str) -> datetime.date | None:
    """The day a text starting ``YYYY-MM-DD`` names, else None."""
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})\b", text.strip())
    if match is None:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
