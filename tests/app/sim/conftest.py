"""Painting many frames needs ``None`` kept alive under PySide6 6.12 on CPython 3.11."""

from __future__ import annotations

from app.sim.none_guard import protect_none

protect_none()
