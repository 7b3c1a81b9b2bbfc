"""Cascade Board's shipped resources, installed as the import package ``cascade_board``.

The folder ``resources/`` of the checkout becomes the package ``cascade_board`` in the
wheel (``pyproject.toml``, ``[tool.setuptools.package-dir]``): the examples, the catalog,
the JSON Schema, the fonts, the icons and the desktop files are its package data, found
through ``importlib.resources`` (``app/resources.py``).

Its ``main`` is the ``cascade-board`` console script. The program's own packages are the
generic top-level names ``app`` and ``models``, which another distribution in the same
environment may also install; so before anything of the program is imported, ``main``
checks that ``app`` and ``models`` are Cascade Board's and says clearly which ones shadow
them when they are not (README.md, "Install").
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys

DISTRIBUTION = "cascade-board"
"""The distribution name ``app/__init__.py`` and ``models/__init__.py`` declare as theirs."""

PACKAGES = ("app", "models")


def foreign_package(name: str) -> str | None:
    """Why the importable ``name`` is not Cascade Board's, or None when it is."""
    try:
        module = importlib.import_module(name)
    except Exception as error:  # a foreign package may fail in any way; say how
        return f"the package {name!r} cannot be imported ({type(error).__name__}: {error})"
    if getattr(module, "__distribution__", None) == DISTRIBUTION:
        return None
    where = getattr(module, "__file__", None) or ", ".join(getattr(module, "__path__", [])) or "?"
    others = sorted(
        set(importlib.metadata.packages_distributions().get(name, [])) - {DISTRIBUTION}
    )
    by = f" (installed by {', '.join(others)})" if others else ""
    return f"the package {name!r} imported from {where} is not Cascade Board's{by}"


def check_packages() -> list[str]:
    """One message per package of ours that another distribution shadows."""
    return [problem for name in PACKAGES if (problem := foreign_package(name)) is not None]


def main() -> int:
    """The ``cascade-board`` command: refuse to start with foreign ``app``/``models``, else run."""
    problems = check_packages()
    if problems:
        print("cascade-board: cannot start:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        print(
            "Another program in this Python environment uses the same top-level package names.\n"
            "Install Cascade Board in an environment of its own:\n"
            "  pipx install cascade_board-VERSION-py3-none-any.whl   (or: uv tool install ...)",
            file=sys.stderr,
        )
        return 3
    from app.main import main as run

    return run()
