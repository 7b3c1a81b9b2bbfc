"""Where the shipped resources are (examples, catalog, schema, fonts, icons, desktop files).

The one place that knows. The folder ``resources/`` of the checkout is the import package
``cascade_board`` once installed (``pyproject.toml``), so:

- in a checkout (``PYTHONPATH``, an editable install) and in the PyInstaller bundle
  (``packaging/cascade-board.spec`` puts ``resources/`` at the bundle's root, beside the
  bundled ``app/`` and ``models/``), it is ``resources/`` beside this package;
- in a wheel installed by pip, pipx or uv, it is the package ``cascade_board``, found with
  ``importlib.resources``.

``models/catalog.py`` (Qt-free, it cannot import this) applies the same rule to its one file.
A missing resource is reported with its name and every place looked (``MissingResourceError``).
"""

from __future__ import annotations

import contextlib
import importlib.resources
from pathlib import Path

PACKAGE = "cascade_board"
"""The import name of ``resources/`` in a wheel."""

MARKER = ("schema", "cboard.schema.json")
"""A file every copy of the resources has: a folder without it is not ours."""


class MissingResourceError(FileNotFoundError):
    """A shipped file is not where the program looked: a broken install or bundle."""


def _candidates() -> list[Path]:
    places = [Path(__file__).resolve().parent.parent / "resources"]
    with contextlib.suppress(ModuleNotFoundError):
        places.append(Path(str(importlib.resources.files(PACKAGE))))
    return places


def find_root() -> Path:
    """The resources folder: beside ``app/`` in a checkout or a bundle, else the installed package."""
    places = _candidates()
    for place in places:
        if place.joinpath(*MARKER).is_file():
            return place
    looked = ", ".join(str(p) for p in places)
    raise MissingResourceError(f"Cascade Board's resources ({'/'.join(MARKER)}) are missing; looked in {looked}")


ROOT = find_root()


def resource_path(*parts: str) -> Path:
    """A shipped file or folder; ``MissingResourceError`` names it and where it was looked for."""
    path = ROOT.joinpath(*parts)
    if not path.exists():
        raise MissingResourceError(f"the resource {'/'.join(parts)} is missing: looked for {path}")
    return path


def example_path(name: str) -> Path:
    return resource_path("examples", name)
