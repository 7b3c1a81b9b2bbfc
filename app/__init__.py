"""The Cascade Board program: entry point, CLI, Qt UI, simulation worker, exporters."""

__version__ = "0.1.0"
__distribution__ = "cascade-board"
"""Whose ``app`` this is: the console script checks it (``resources/__init__.py``)."""
