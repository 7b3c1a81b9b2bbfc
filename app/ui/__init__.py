"""The Qt user interface.

Importing this package first protects the interpreter from a reference-count
bug of the PySide6 6.12 (abi3) wheels on Python 3.11: every call of a Qt
method that returns nothing gives back ``None`` without taking a reference,
so after a few thousand calls (one repaint) ``None``'s count reaches zero and
CPython aborts with "none_dealloc: deallocating None". Python 3.12 made
``None`` immortal (PEP 683), which is what those wheels assume; on older
interpreters we give ``None`` a reference count no session can use up.
"""

from __future__ import annotations

import ctypes
import sys

_NONE_RESERVE = 1 << 48


def _make_none_effectively_immortal() -> None:
    if sys.version_info >= (3, 12) or hasattr(sys, "pypy_version_info"):
        return
    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value < _NONE_RESERVE // 2:
        refcount.value += _NONE_RESERVE


_make_none_effectively_immortal()
