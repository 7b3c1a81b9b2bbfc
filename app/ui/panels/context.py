"""What every analysis panel shares: the context it edits through, board
subscriptions that end with the widget, deferred refreshes, and small helpers
for showing ids and parsing what users type."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QToolButton, QWidget

from app.ui.editor import BoardEditor
from app.ui.host import WindowHost
from app.ui.jobs import BackgroundRunner, JobRunner
from app.ui.runs.service import RunService
from app.ui.selection import SelectionModel
from models.board import Board
from models.catalog import Catalog, CatalogError, default_catalog, load_catalog
from models.entities import Edge
from models.errors import BoardError
from models.events import Event

APP_NAME = "cascade-board"

ACCENTS: dict[str, tuple[str, str]] = {
    # name: (on a light background, on a dark background)
    "red": ("#b3261e", "#ff8a80"),
    "orange": ("#c75d00", "#ffb74d"),
    "yellow": ("#8a6d00", "#ffd54f"),
    "green": ("#1b6e3a", "#81c784"),
    "blue": ("#1565c0", "#90caf9"),
}


def accent(name: str) -> str:
    """A signal colour that stays readable in the light and the dark theme."""
    dark = QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
    return ACCENTS[name][1 if dark else 0]


def user_catalog_folder() -> Path:
    """Where users drop their own catalog files (``*.json``), merged at start."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "catalog"


@dataclass
class PanelContext:
    """What a panel works with: the board it shows, the editor it edits
    through, the shared selection and the model catalog (with the user's
    catalog files it was merged from, and what loading them said)."""

    board: Board
    editor: BoardEditor
    selection: SelectionModel
    catalog: Catalog = field(default_factory=default_catalog)
    catalog_files: list[Path] = field(default_factory=list)
    catalog_messages: list[str] = field(default_factory=list)
    jobs: BackgroundRunner = field(default_factory=JobRunner)
    """Where short work runs off the GUI thread; the window's runner."""
    runs: RunService | None = None
    """Where the engine runs (measuring interventions): the window's background-run service;
    a context made without one gets its own, on its board."""

    def __post_init__(self) -> None:
        if self.runs is None:
            self.runs = RunService(self.board)

    @property
    def service(self) -> RunService:
        assert self.runs is not None  # set in __post_init__
        return self.runs

    @classmethod
    def from_host(cls, host: WindowHost) -> PanelContext:
        """The window's board, editor, selection and jobs, with the user's catalog files merged in."""
        context = cls(host.board, host.editor, host.selection, jobs=host.jobs, runs=host.runs.service)
        folder = user_catalog_folder()
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            context.add_catalog_file(path)
        return context

    def add_catalog_file(self, path: str | Path) -> bool:
        """Merge a user's catalog file; on a bad file, say why and keep the catalog."""
        files = [*self.catalog_files, Path(path)]
        try:
            self.catalog = load_catalog(files)
        except CatalogError as error:
            self.catalog_messages = [str(error)]
            return False
        self.catalog_files = files
        self.catalog_messages = list(self.catalog.notes)
        return True


def subscribe(owner: QObject, event: Event, listener: Callable[..., Any]) -> None:
    """Connect ``listener`` to a board event until ``owner`` is destroyed."""
    event.connect(listener)
    owner.destroyed.connect(lambda *_: event.disconnect(listener))


class DeferredRefresh(QObject):
    """Runs an expensive ``refresh`` once after a burst of board changes, and
    only while ``widget`` is shown (a hidden panel catches up when shown)."""

    def __init__(self, widget: QWidget, refresh: Callable[[], Any]) -> None:
        super().__init__(widget)
        self.widget, self.refresh = widget, refresh
        self.dirty = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self._run)
        widget.installEventFilter(self)

    def schedule(self, *_: Any) -> None:
        self.dirty = True
        if self.widget.isVisible():
            self.timer.start()

    def _run(self) -> None:
        if self.dirty and self.widget.isVisible():
            self.dirty = False
            self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Show and self.dirty:
            self.timer.start()
        return False


SYNC_ITEMS = 400
"""Boards up to this many nodes and edges get a panel's figure at once; bigger ones from a job."""


def _compute(_control: Any, document: Any, compute: Callable[[Any], Any]) -> Any:
    return compute(document)


class BoardFigure(QObject):
    """A figure a panel shows, worked out from the board's document by ``compute`` (a
    module-level function): at once on a small board, on the window's job runner on a big one
    (``waiting`` says so meanwhile). ``show`` gets it on the GUI thread; an answer for an older
    board is dropped."""

    def __init__(self, widget: QWidget, context: PanelContext, compute: Callable[[Any], Any],
                 show: Callable[[Any], None], waiting: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget, self.context = widget, context
        self.compute, self.show, self.waiting = compute, show, waiting
        self.generation = 0
        self.job: Any = None

    def request(self) -> None:
        self.generation += 1
        if self.job is not None:
            self.job.cancel()
            self.job = None
        document = self.context.board.document()
        if len(document.nodes) + len(document.edges) <= SYNC_ITEMS:
            self.show(self.compute(document))
            return
        self.waiting()
        generation = self.generation
        self.job = self.context.jobs.submit(partial(_compute, compute=self.compute), document,
                                            on_done=lambda value: self._done(generation, value),
                                            on_error=lambda message: self._failed(generation, message),
                                            owner=self.widget)

    def _done(self, generation: int, value: Any) -> None:
        if generation == self.generation:
            self.job = None
            self.show(value)

    def _failed(self, generation: int, message: str) -> None:
        if generation == self.generation:
            self.job = None
            show_error = getattr(self.widget, "show_error", None)
            if show_error is not None:
                show_error(message)


def node_label(board: Board, node_id: str) -> str:
    found = board.find(node_id)
    return getattr(found[1], "label", node_id) if found else node_id


def describe_ref(board: Board, entity_id: str) -> str:
    """How an id reads in a table: a node's label, a call as ``A → B``, else a name."""
    found = board.find(entity_id)
    if found is None:
        return entity_id
    entity = found[1]
    if isinstance(entity, Edge):
        return f"{node_label(board, entity.source)} → {node_label(board, entity.target)}"
    return str(getattr(entity, "label", None) or getattr(entity, "name", None)
               or getattr(entity, "title", None) or entity_id)


def labels(board: Board, ids: Sequence[str], sep: str = " → ") -> str:
    return sep.join(node_label(board, i) for i in ids)


def selected_nodes(context: PanelContext) -> list[str]:
    """The selected node ids, in the order they were selected."""
    return [i for i in context.selection.ids if context.board.is_node(i)]


def parse_float(text: str, what: str) -> float:
    try:
        return float(str(text).replace("ms", "").strip())
    except ValueError:
        raise BoardError(f"{what}: {text!r} is not a number") from None


def parse_optional_int(text: str, what: str) -> int | None:
    text = str(text).strip()
    if text in ("", "-", "none", "unbounded"):
        return None
    try:
        return int(text)
    except ValueError:
        raise BoardError(f"{what}: {text!r} is not a whole number (leave empty for none)") from None


def tool_button(text: str, tip: str, slot: Callable[[], Any], icon: str | None = None,
                icon_only: bool = False, icon_color: str | None = None) -> QToolButton:
    """A toolbar button with text and an icon; ``icon_only`` hides the text
    (kept for accessibility) when the icon says it all."""
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    if icon:
        try:
            from app.ui.icons import icon as cached_icon

            button.setIcon(cached_icon(icon, color=icon_color) if icon_color else cached_icon(icon))
        except Exception:  # an icon font problem must not cost the button
            icon_only = False
        if icon_only:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    button.clicked.connect(lambda *_: slot())
    return button
