"""File → New from Example…: a gallery of the shipped example boards.

Each example (found by ``app.examples``, so boards added to ``resources/examples/``
appear without code changes) is shown with a thumbnail drawn by the canvas
itself (``app.ui.render``), its one-line description and its source. Opening
one loads a *copy*: an untitled board, so Save asks for a path and the shipped
file is never written. Thumbnails are cached on disk by the example file's
content, so the gallery opens instantly after the first time (docs/EXAMPLES.md).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.examples import Example, examples
from app.ui.theme import Theme, theme_named
from models.errors import BoardLoadError
from models.fileformat import load_path

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

APP_NAME = "cascade-board"
THUMBNAIL = QSize(240, 150)
"""The largest a thumbnail is drawn, in pixels; the board keeps its aspect ratio."""


class ThumbnailCache:
    """Thumbnails of boards, drawn once and kept as PNG files named by the
    board file's content hash, the theme and the size; a changed example gets
    a new thumbnail."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "thumbnails"
        self._memory: dict[str, QImage] = {}
        self.drawn = 0
        """How many thumbnails were drawn rather than read from the cache (for tests)."""

    def _key(self, path: Path, theme: Theme) -> str:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:32]
        return f"{digest}-{'dark' if theme.dark else 'light'}-{THUMBNAIL.width()}x{THUMBNAIL.height()}"

    def image(self, path: Path, theme: Theme) -> QImage:
        """The thumbnail of the board at ``path``; an empty image when it cannot be read or drawn."""
        try:
            key = self._key(path, theme)
        except OSError:
            return QImage()
        if key in self._memory:
            return self._memory[key]
        stored = self.folder / f"{key}.png"
        image = QImage(str(stored)) if stored.is_file() else QImage()
        if image.isNull():
            image = self._draw(path, theme)
            if not image.isNull():
                try:
                    self.folder.mkdir(parents=True, exist_ok=True)
                    image.save(str(stored))
                except OSError:
                    pass  # no cache folder: drawn again next time, nothing lost
        self._memory[key] = image
        return image

    def _draw(self, path: Path, theme: Theme) -> QImage:
        from app.ui.canvas.scene import BoardScene
        from app.ui.render import export_rect, render_image
        from models.board import Board

        try:
            document = load_path(path)
        except BoardLoadError:
            return QImage()
        scene = BoardScene(Board(document), theme=theme)
        scene.set_theme(theme)
        try:
            rect = export_rect(scene)
            scale = min(THUMBNAIL.width() / rect.width(), THUMBNAIL.height() / rect.height())
            image = render_image(scene, scale)
        finally:
            scene.detach()
        self.drawn += 1
        return image


def _label(text: str, style: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # user text is plain text
    label.setWordWrap(wrap)
    if style:
        label.setStyleSheet(style)
    return label


class _ExampleRow(QWidget):
    """One example: thumbnail, then title, one-liner and source."""

    def __init__(self, example: Example, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        picture = QLabel()
        picture.setFixedSize(THUMBNAIL)
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if not image.isNull():
            picture.setPixmap(QPixmap.fromImage(image))
        else:
            picture.setText("(no preview)")
        picture.setObjectName("thumbnail")
        layout.addWidget(picture)
        text = QVBoxLayout()
        text.addWidget(_label(example.title, "font-weight: bold; font-size: 14px;", wrap=False))
        text.addWidget(_label(example.one_liner))
        source = _label(f"Source: {example.source}" if example.source else "Source: not given",
                        "font-style: italic; font-size: 11px;")
        source.setObjectName("source")
        text.addWidget(source)
        text.addStretch(1)
        layout.addLayout(text, 1)


class ExampleGallery(QDialog):
    """Pick a shipped example; ``chosen()`` is the one picked after ``exec()`` accepts."""

    def __init__(self, parent: QWidget | None = None, theme: Theme | None = None,
                 cache: ThumbnailCache | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New from Example")
        self.resize(860, 620)
        self.cache = cache or ThumbnailCache()
        theme = theme or theme_named("light")
        self.examples = examples()
        layout = QVBoxLayout(self)
        layout.addWidget(_label("Each example is a failure pattern with the scenario that triggers it and the "
                                "intervention that ends it. Opening one makes an untitled copy."))
        self.list = QListWidget()
        self.list.setObjectName("examples")
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        for example in self.examples:
            row = _ExampleRow(example, self.cache.image(example.path, theme))
            item = QListWidgetItem(self.list)
            item.setData(Qt.ItemDataRole.UserRole, example.name)
            item.setToolTip(example.name)
            item.setSizeHint(QSize(row.sizeHint().width(), max(row.sizeHint().height(), THUMBNAIL.height() + 14)))
            self.list.setItemWidget(item, row)
        layout.addWidget(self.list, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setText("Open a Copy")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.currentRowChanged.connect(self._update_buttons)
        if self.examples:
            self.list.setCurrentRow(0)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(self.list.currentRow() >= 0)

    def select(self, name: str) -> None:
        """Make the example called ``name`` the current one."""
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentRow(row)
                return
        raise KeyError(name)

    def chosen(self) -> Example | None:
        row = self.list.currentRow()
        return self.examples[row] if 0 <= row < len(self.examples) else None


def open_example_copy(window: MainWindow, example: Example) -> bool:
    """Load ``example`` into the window as an untitled copy; a board that cannot be loaded is reported."""
    try:
        document = load_path(example.path)
    except BoardLoadError as error:
        problems = "\n".join(f"• {p}" for p in error.problems[:20])
        QMessageBox.warning(window.widget(), "Cannot open example", f"{example.name} cannot be opened:\n\n{problems}")
        return False
    return window.files.open_copy(document, f"the example {example.title}")


def new_from_example(window: MainWindow) -> None:
    """File → New from Example…: ask about unsaved changes, show the gallery, open a copy of the choice."""
    if not window.files.maybe_save():
        return
    dialog = ExampleGallery(window.widget(), window.theme)
    if dialog.exec() == QDialog.DialogCode.Accepted and (example := dialog.chosen()) is not None:
        open_example_copy(window, example)


def install_gallery(window: MainWindow) -> QAction:
    """Add File → New from Example… after File → New Board."""
    action = QAction("New from &Example…", window.widget())
    action.setObjectName("action_new_from_example")
    action.setStatusTip("Start from a copy of a shipped example board (a failure pattern)")
    action.triggered.connect(lambda _checked=False: new_from_example(window))
    menu = window.menu("file")
    actions = menu.actions()
    after = next((i for i, a in enumerate(actions) if a.text() == "&New Board"), -1)
    if 0 <= after < len(actions) - 1:
        menu.insertAction(actions[after + 1], action)
    else:
        menu.addAction(action)
    return action
