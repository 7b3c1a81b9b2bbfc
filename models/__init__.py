"""Qt-free domain of Cascade Board: the board, its file format, analysis,
the HUMMBL catalog, interventions and the simulation."""

__distribution__ = "cascade-board"
"""Whose ``models`` this is: the console script checks it (``resources/__init__.py``)."""
