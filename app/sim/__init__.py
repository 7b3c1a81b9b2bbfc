"""The simulation in the window: a worker thread running the engine, its
controller, and ``install_simulation`` that adds the docks, the menu and the
animated overlay to the main window."""

from __future__ import annotations

from typing import Any


def install_simulation(window: Any) -> Any:
    """Add the simulation to ``window`` (see ``app.ui.animation.install``)."""
    from app.ui.animation.install import install_simulation as install

    return install(window)


__all__ = ["install_simulation"]
