"""Where the shipped resources are (examples, catalog, schema, fonts).

From the source tree they are in ``resources/`` beside the packages. In a
PyInstaller bundle (``packaging/cascade-board.spec``) they are in
``resources/`` at the bundle's root, ``sys._MEIPASS``, which is also where the
bundled packages live, so ``models/catalog.py``'s path relative to the source
tree resolves there too.
"""

from __future__ import annotations

import sys
from pathlib import Path


def find_root() -> Path:
    """The resources folder: the bundle's when running frozen, else the source tree's."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


ROOT = find_root()


def resource_path(*parts: str) -> Path:
    return ROOT.joinpath(*parts)


def example_path(name: str) -> Path:
    return resource_path("examples", name)
