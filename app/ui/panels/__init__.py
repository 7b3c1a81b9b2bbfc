"""Analysis panels (the HUMMBL steps and one panel per board section).

``install_panels(window)`` adds them to the main window as docks; the
window provides ``board``, ``editor``, ``selection`` and ``add_dock``.
"""

from __future__ import annotations

from typing import Any


def install_panels(window: Any) -> None:
    """Add the analysis docks to ``window`` (filled in by the panels work)."""
