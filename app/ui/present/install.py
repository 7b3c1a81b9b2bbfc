"""Put recording mode into the main window: one call, ``install_recording(window)``.

It shares the step navigator's ``RecordingSession`` (or makes one), adds the
reveal walk, the pace bar in the status bar, the presenter notes window, the
Present menu with its keys, and the Steps panel's "Frame from view" and
"Reveal selection at this step" buttons. A later presenter mode can take
``window.recording`` (a ``Recording``) and drive the same objects.
See docs/recording.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from app.ui.host import WindowHost
from app.ui.panels.steps import StepNavigator
from app.ui.present.actions import window_action
from app.ui.present.notes import NotesWindow
from app.ui.present.pace import PaceBar
from app.ui.present.step_notes import ALL_NOTES_SHORTCUT, StepNotes
from app.ui.present.walk import FIT_MARGIN, RevealWalk
from app.ui.session import RecordingSession
from models.chapters import ChapterError, chapters, render
from models.entities import Frame
from models.errors import BoardError

WALK_SHORTCUT = "Ctrl+Alt+W"
NOTES_SHORTCUT = "Ctrl+Alt+N"
FRAME_SHORTCUT = "Ctrl+Alt+F"
REVEAL_SHORTCUT = "Ctrl+Alt+R"
KEEP_SHORTCUT = "Ctrl+Alt+K"
PACE_WIDTH = 340
"""The pace bar's width in the status bar (px)."""
FORWARD_KEYS = ("PgDown", "Right", "Space")
BACK_KEYS = ("PgUp", "Left")
CHAPTER_FILTERS = {"youtube": "YouTube chapters (*.txt)", "vtt": "WebVTT chapters (*.vtt)",
                   "json": "JSON chapters (*.json)"}


def step_forward(session: RecordingSession, walk: RevealWalk) -> None:
    """One build item forward while walking, else the next step."""
    if walk.active:
        walk.advance()
        return
    following = session.next_step()
    if following is not None:
        session.go_to(following.id)


def step_back(session: RecordingSession, walk: RevealWalk) -> None:
    """One build item back while walking, else the previous step."""
    if walk.active:
        walk.back()
        return
    index = session.current_index()
    if index > 0:
        session.go_to(session.steps()[index - 1].id)


@dataclass
class Recording:
    """What ``install_recording`` adds to a window."""

    session: RecordingSession
    walk: RevealWalk
    notes: NotesWindow
    pace: PaceBar
    menu: QMenu
    actions: dict[str, QAction]
    step_notes: StepNotes

    def forward(self) -> None:
        step_forward(self.session, self.walk)

    def back(self) -> None:
        step_back(self.session, self.walk)


def install_recording(host: WindowHost, navigator: StepNavigator | None = None) -> Recording:
    """Add recording mode to the window behind ``host``; ``navigator`` is the Steps
    panel's, whose session the walk shares (a session of its own without it)."""
    window = host.widget()
    session = navigator.session if navigator is not None else RecordingSession(host.board, parent=window)
    catalog = navigator.context.catalog if navigator is not None else _shipped_catalog()
    step_notes = StepNotes(host.scene, session, host.selection, window)  # before the walk: it lays its reveal over
    walk = RevealWalk(host.board, session, host.scene, host.view, catalog, window)
    step_notes.reapply = walk.reapply
    pace = PaceBar(session, window)
    pace.setFixedWidth(PACE_WIDTH)
    window.statusBar().addPermanentWidget(pace)
    actions: dict[str, QAction] = {}
    notes = NotesWindow(session, catalog, lambda: step_forward(session, walk), lambda: step_back(session, walk),
                        window)
    recording = Recording(session, walk, notes, pace, QMenu("&Present", window), actions, step_notes)

    def status(text: str) -> None:
        host.status(text, 8000)

    def action(name: str, text: str, slot: Any, shortcut: str | tuple[str, ...] | None = None,
               checkable: bool = False) -> QAction:
        return window_action(window, actions, name, text, slot, shortcut, checkable)

    def current_step_id() -> str | None:
        if session.current_id is None:
            status("This board has no steps yet: add one in the Steps panel")
        return session.current_id

    def guarded(edit: Any) -> Any:
        def run(*_args: Any) -> None:
            try:
                edit()
            except BoardError as error:
                status(str(error))
        return run

    def frame_from_view() -> None:
        step_id = current_step_id()
        if step_id is None:
            return
        rect = walk.camera_rect()
        margin = FIT_MARGIN
        rect = rect.adjusted(margin, margin, -margin, -margin) if rect.width() > 4 * margin else rect
        frame = Frame(x=round(rect.x(), 1), y=round(rect.y(), 1), width=round(rect.width(), 1),
                      height=round(rect.height(), 1))
        host.editor.set_step_frame(step_id, frame)
        status(f"Step {session.current_step().code} now opens on this view")  # type: ignore[union-attr]

    def reveal_selection() -> None:
        step_id = current_step_id()
        if step_id is None:
            return
        ids = list(host.selection.ids)
        if not ids:
            status("Select what should appear at this step first")
            return
        added = host.editor.reveal_at_step(step_id, ids)
        code = session.current_step().code  # type: ignore[union-attr]
        status(f"{len(added)} item(s) now appear at step {code}" if added else f"Already revealed at step {code}")

    def save_view() -> None:
        step = session.current_step()
        if step is None:
            current_step_id()
            return
        model = catalog.get(step.code)
        if model is None:
            status(f"Step {step.code} is not in the catalog: it has no layers of its own to keep")
            return
        if host.board.layers.model_dump() == model.layer_settings():
            status(f"The board already shows the layers of step {step.code}")
            return
        host.editor.save_view_to_board(step.id, model.layer_settings())
        status(f"The board now shows the layers of step {step.code} (Undo takes them back)")

    def keep_times() -> None:
        if not session.stamps:
            status("No recording times yet: start recording (Present → Start recording) and walk the steps")
            return
        kept = host.editor.keep_recording_times(session.stamps)
        status(f"Kept the recording times of {kept} step(s)" if kept else "The steps already hold these times")

    def export_chapters() -> None:
        try:
            made = chapters(session.steps(), session.stamps, _end_of(session))
        except ChapterError as error:
            status(f"Export chapters: {error}")
            return
        path, chosen = QFileDialog.getSaveFileName(window, "Export chapters", "chapters.txt",
                                                   ";;".join(CHAPTER_FILTERS.values()))
        if not path:
            return
        fmt = next((k for k, v in CHAPTER_FILTERS.items() if v == chosen), "youtube")
        try:
            Path(path).write_text(render(made, fmt), encoding="utf-8")
        except OSError as error:
            status(f"Cannot write {path}: {error.strerror or error}")
            return
        status(f"Wrote {len(made)} chapters to {path}")

    def toggle_notes() -> None:
        if recording.notes.isVisible():
            recording.notes.hide()
        else:
            recording.notes.show()
            recording.notes.raise_()

    walk_action = action("walk", "&Walk Steps with Reveal", walk.set_active, WALK_SHORTCUT, checkable=True)
    walk.active_changed.connect(walk_action.setChecked)
    forward = action("walk_forward", "Next Build Item", recording.forward, FORWARD_KEYS)
    back = action("walk_back", "Previous Build Item", recording.back, BACK_KEYS)
    for made in (forward, back):
        made.setEnabled(False)
    walk.active_changed.connect(forward.setEnabled)
    walk.active_changed.connect(back.setEnabled)
    walk.active_changed.connect(lambda on: status("Walking the steps: PageDown, Right or Space forward; "
                                                  "PageUp or Left back" if on else "Walk ended; everything shown"))
    action("notes", "Presenter &Notes Window", toggle_notes, NOTES_SHORTCUT)
    action("frame_from_view", "&Frame from View", guarded(frame_from_view), FRAME_SHORTCUT)
    action("reveal_selection", "&Reveal Selection at This Step", guarded(reveal_selection), REVEAL_SHORTCUT)
    action("save_view", "&Save View to Board", guarded(save_view))
    action("keep_times", "&Keep Recording Times", guarded(keep_times), KEEP_SHORTCUT)
    action("export_chapters", "Export &Chapters…", export_chapters)
    all_notes = action("all_step_notes", "Show &All Steps' Notes", step_notes.set_show_all, ALL_NOTES_SHORTCUT,
                       checkable=True)
    all_notes.setToolTip("Show the notes and ink of every step, not only the current step's (view only)")
    host.editor.notice.connect(status)

    menu = recording.menu
    menu.setObjectName("menu_present")
    for name in ("walk", "walk_forward", "walk_back", None, "notes", None):
        if name is None:
            menu.addSeparator()
        else:
            menu.addAction(actions[name])
    if navigator is not None:
        for made in navigator.actions_for_menu():
            menu.addAction(made)
        menu.addSeparator()
    for name in ("frame_from_view", "reveal_selection", "save_view", None, "keep_times", "export_chapters"):
        if name is None:
            menu.addSeparator()
        else:
            menu.addAction(actions[name])
    host.add_menu("present", menu, before="help")
    host.menu("view").addAction(all_notes)
    if navigator is not None:
        navigator.add_tool_actions([actions["frame_from_view"], actions["reveal_selection"]])
    window.installEventFilter(NotesCloser(recording.notes, window))
    host.board.events.reset.connect(lambda: walk.set_active(False))
    return recording


class NotesCloser(QObject):
    """Closes the notes window when the main window goes away (not when it is
    minimised), so the program does not stay open on the notes alone."""

    def __init__(self, notes: QWidget, parent: QObject) -> None:
        super().__init__(parent)
        self.notes = notes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and not event.spontaneous():
            self.notes.close()
        return False


def _end_of(session: RecordingSession) -> float | None:
    """When the recording ended (or now, while it runs), if there was one this session."""
    return session.elapsed() if session.stamps else None


def _shipped_catalog() -> Any:
    from models.catalog import load_catalog

    return load_catalog([])
