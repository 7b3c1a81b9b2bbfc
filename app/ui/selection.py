"""The selection shared by the canvas, the panels and the outline.

Ids only: whoever shows a selection (scene items, table rows) listens to
``changed`` and reflects it; whoever the user selects in calls ``select``.
Selection is view state, not board state: it is never saved or undone.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class SelectionModel(QObject):
    """The ids of the selected entities, in selection order."""

    changed = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: list[str] = []

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    def select(self, ids: list[str] | tuple[str, ...]) -> None:
        """Replace the selection; emits ``changed`` only on a real change."""
        unique = list(dict.fromkeys(ids))
        if unique != self._ids:
            self._ids = unique
            self.changed.emit(list(unique))

    def clear(self) -> None:
        self.select([])

    def prune(self, existing: set[str]) -> None:
        """Drop ids that no longer exist (after a delete or an undo)."""
        self.select([i for i in self._ids if i in existing])
