"""Whose notes the editing canvas shows: the annotations (sticky notes, text, ink,
highlighter strokes) of no step and those of the current step, as exports do
(``models.presenting.exported_annotations``), so ten steps' notes never pile up
on one canvas. **View → Show All Steps' Notes** shows every step's at once.
Selecting an annotation of another step (in the outline, say) goes to its step,
so it is never out of reach. All of it is view state: the board, its modified
flag and the undo stack are never touched. See docs/recording.md.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from app.ui.canvas.scene import BoardScene
from app.ui.selection import SelectionModel
from app.ui.session import RecordingSession
from models.entities import Annotation

ALL_NOTES_SHORTCUT = "Ctrl+Alt+A"


class StepNotes(QObject):
    """Keeps the scene's annotation filter on the session's current step.

    Made before the reveal walk, so that on a step change the filter is set first and the
    walk then lays its reveal over it (``reapply`` runs the walk again after a toggle).
    """

    def __init__(self, scene: BoardScene, session: RecordingSession, selection: SelectionModel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scene, self.session, self.selection = scene, session, selection
        self.show_all = False
        self.reapply: Callable[[], None] = lambda: None
        session.step_changed.connect(lambda _id: self._apply())
        selection.changed.connect(self._selected)
        self._apply()

    def set_show_all(self, on: bool) -> None:
        if on != self.show_all:
            self.show_all = on
            self._apply()
            self.reapply()

    def _apply(self) -> None:
        self.scene.show_notes_of(self.session.current_id, filtered=not self.show_all)

    def _selected(self, ids: list[str]) -> None:
        """An annotation of a step not shown was selected (alone: picked in the outline, found by
        search): go to its step, where it is drawn. Select All and other many-item selections
        never move the step."""
        if self.show_all or len(ids) != 1:
            return
        found = self.session.board.find(ids[0])
        if found is None or not isinstance(found[1], Annotation):
            return
        step = found[1].step
        if step is not None and step != self.session.current_id:
            self.session.go_to(step)
