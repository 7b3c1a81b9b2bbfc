"""Keep ``None`` alive under PySide6 6.12 on CPython 3.11.

PySide6 6.12.0 drops one reference to ``None`` each time Python calls a Qt
method that returns nothing (``QPainter.drawLine``, ``setPen``, ...): about a
thousand a frame for the animation. On CPython 3.11 ``None`` is an ordinary
refcounted object, so after a few thousand calls its count reaches zero and
the interpreter aborts ("none_dealloc: deallocating None"). CPython 3.12
made ``None`` immortal (PEP 683); this does the same by hand on older
versions, giving ``None`` more references than a process can drop.
"""

from __future__ import annotations

import ctypes
import sys

_BALLAST = 1 << 40
_guarded = False


def protect_none() -> None:
    """Idempotent; a no-op on CPython 3.12 and later."""
    global _guarded
    if _guarded or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    ctypes.c_ssize_t.from_address(id(None)).value += _BALLAST
    _guarded = True
