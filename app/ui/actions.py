"""The window's actions (with their shortcuts), menus, toolbar and the
canvas context menu. Each action calls one method of the window or the
editor; the Help → Keyboard Shortcuts sheet is generated from them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QToolBar

from app.ui import handout_exports
from app.ui.canvas.style import kind_icon
from app.ui.docks.layers import LAYER_TITLES
from app.ui.icons import icon as cached_icon
from app.visual import KIND_NAMES
from models.document import LAYER_NAMES
from models.entities import NODE_KINDS

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from app.ui.canvas.view import BoardView
    from app.ui.editor import BoardEditor
    from app.ui.interop import Interop
    from app.ui.pdf_export import PdfExporter
    from app.ui.window_edits import EditController
    from app.ui.window_files import FileController


class ActionTarget(Protocol):
    """The main window as its actions, menus and context menu see it."""

    view: BoardView
    editor: BoardEditor
    undo_stack: QUndoStack
    edits: EditController
    files: FileController
    pdf: PdfExporter
    interop: Interop
    action_set: dict[str, QAction]
    dock_actions: list[QAction]
    docks_menu: QMenu | None

    def widget(self) -> QMainWindow: ...
    def icon_colour(self) -> str: ...
    def close(self) -> bool: ...
    def toggle_snap(self) -> None: ...
    def toggle_grid(self) -> None: ...
    def toggle_theme(self) -> None: ...
    def toggle_full_screen(self) -> None: ...
    def show_shortcuts(self) -> QDialog: ...
    def show_about(self) -> None: ...


# name: (menu text, shortcut(s), icon, what it does to the window)
ActionSpec = tuple[str, str | QKeySequence.StandardKey | tuple[Any, ...] | None, str | None,
                   Callable[[ActionTarget], object]]

SPECS: dict[str, ActionSpec] = {
    # File
    "new": ("&New Board", QKeySequence.StandardKey.New, "mdi6.file-outline", lambda w: w.files.new_board()),
    "open": ("&Open…", QKeySequence.StandardKey.Open, "mdi6.folder-open-outline", lambda w: w.files.open_dialog()),
    "save": ("&Save", QKeySequence.StandardKey.Save, "mdi6.content-save-outline", lambda w: w.files.save()),
    "save_as": ("Save &As…", "Ctrl+Shift+S", None, lambda w: w.files.save_as()),
    "revert": ("&Revert to Saved", None, None, lambda w: w.files.revert()),
    "close": ("&Close Board", "Ctrl+W", None, lambda w: w.files.close_board()),
    "export_image": ("&Export Image…", "Ctrl+E", "mdi6.image-outline", lambda w: w.files.export_dialog()),
    "export_selection": ("Export &Selection as Image…", "Ctrl+Shift+E", None,
                         lambda w: w.files.export_dialog(selection_only=True)),
    "export_pdf": ("Export &PDF Handout…", "Ctrl+Shift+P", "mdi6.file-pdf-box", lambda w: w.pdf.export_dialog()),
    "import": ("&Import…", "Ctrl+Shift+I", "mdi6.import", lambda w: w.interop.import_dialog()),
    "export_diagram": ("Export &Diagram (Mermaid, GraphML, DOT, draw.io)…", "Ctrl+Shift+D", None,
                       lambda w: w.interop.export_dialog()),
    "export_report": ("Export &Report…", None, None, lambda w: handout_exports.export_report_dialog(w)),
    "export_all": ("Export E&verything…", None, None, lambda w: handout_exports.export_everything_dialog(w)),
    "quit": ("&Quit", "Ctrl+Q", None, lambda w: w.close()),
    # Edit
    "cut": ("Cu&t", QKeySequence.StandardKey.Cut, "mdi6.content-cut", lambda w: w.edits.cut()),
    "copy": ("&Copy", QKeySequence.StandardKey.Copy, "mdi6.content-copy", lambda w: w.edits.copy()),
    "paste": ("&Paste", QKeySequence.StandardKey.Paste, "mdi6.content-paste", lambda w: w.edits.paste()),
    "duplicate": ("D&uplicate", "Ctrl+D", None, lambda w: w.edits.duplicate()),
    "delete": ("&Delete", ("Delete", "Backspace"), "mdi6.delete-outline", lambda w: w.edits.delete_selection()),
    "select_all": ("Select &All", QKeySequence.StandardKey.SelectAll, None, lambda w: w.edits.select_all()),
    "rename": ("&Rename", "F2", None, lambda w: w.edits.rename_selection()),
    "connect": ("C&onnect Selected Nodes", "C", "mdi6.arrow-right-thin", lambda w: w.edits.connect_selection()),
    "health_none": ("Health: &None", "0", None, lambda w: w.edits.set_health("none")),
    "health_yellow": ("Health: &Yellow", "Y", None, lambda w: w.edits.set_health("yellow")),
    "health_red": ("Health: &Red", "R", None, lambda w: w.edits.set_health("red")),
    "toggle_dashed": ("Toggle Edge &Dashed", "D", None, lambda w: w.edits.toggle_dashed()),
    "toggle_critical": ("Toggle &Critical Path", "P", None, lambda w: w.edits.toggle_critical()),
    # View
    "zoom_in": ("Zoom &In", ("Ctrl+=", "Ctrl++"), "mdi6.magnify-plus-outline", lambda w: w.view.zoom_by(1.25)),
    "zoom_out": ("Zoom &Out", "Ctrl+-", "mdi6.magnify-minus-outline", lambda w: w.view.zoom_by(0.8)),
    "zoom_reset": ("&Actual Size", "Ctrl+0", None, lambda w: w.view.set_zoom(1.0)),
    "zoom_fit": ("Zoom to &Fit", ("Shift+1", "Home"), "mdi6.fit-to-screen-outline", lambda w: w.view.zoom_to_fit()),
    "zoom_selection": ("Zoom to &Selection", ("Shift+2", "Z"), None, lambda w: w.view.zoom_to_selection()),
    "snap": ("&Snap to Grid", "Ctrl+Shift+G", "mdi6.grid", lambda w: w.toggle_snap()),
    "grid": ("Show &Grid", "Ctrl+'", None, lambda w: w.toggle_grid()),
    "dark": ("&Dark Theme", "Ctrl+Shift+T", "mdi6.theme-light-dark", lambda w: w.toggle_theme()),
    "full_screen": ("F&ull Screen", "F11", None, lambda w: w.toggle_full_screen()),
    # Insert
    "quick_add": ("&Quick Add Node…", "A", "mdi6.plus-box-outline", lambda w: w.view.open_quick_add()),
    "quick_add_connected": ("Quick Add &Called Node…", "Shift+A", None,
                            lambda w: w.view.open_quick_add(connected=True)),
    "add_queue": ("&Queue on Selection", "Q", None, lambda w: w.edits.add_queue(exists=True)),
    "add_missing_queue": ("&Missing Queue on Selection", "Shift+Q", None, lambda w: w.edits.add_queue(exists=False)),
    "add_loop": ("Feedback &Loop through Selection", "L", None, lambda w: w.edits.add_loop()),
    "add_cascade": ("&Cascade along Selection", "K", None, lambda w: w.edits.add_cascade()),
    "add_text": ("&Text", "T", None, lambda w: w.edits.add_annotation("text")),
    "add_sticky": ("&Sticky Note", "N", None, lambda w: w.edits.add_annotation("sticky")),
    # Arrange
    "align_left": ("Align &Left", "Alt+Shift+Left", "mdi6.align-horizontal-left", lambda w: w.edits.align("left")),
    "align_hcenter": ("Align &Centre", "Alt+Shift+H", "mdi6.align-horizontal-center",
                      lambda w: w.edits.align("hcenter")),
    "align_right": ("Align &Right", "Alt+Shift+Right", "mdi6.align-horizontal-right", lambda w: w.edits.align("right")),
    "align_top": ("Align &Top", "Alt+Shift+Up", "mdi6.align-vertical-top", lambda w: w.edits.align("top")),
    "align_vcenter": ("Align &Middle", "Alt+Shift+V", "mdi6.align-vertical-center", lambda w: w.edits.align("vcenter")),
    "align_bottom": ("Align &Bottom", "Alt+Shift+Down", "mdi6.align-vertical-bottom",
                     lambda w: w.edits.align("bottom")),
    "distribute_x": ("Distribute &Horizontally", "Ctrl+Alt+H", "mdi6.distribute-horizontal-center",
                     lambda w: w.edits.distribute("x")),
    "distribute_y": ("Distribute &Vertically", "Ctrl+Alt+V", "mdi6.distribute-vertical-center",
                     lambda w: w.edits.distribute("y")),
    "layout_layered": ("&Layered Layout (Left to Right)", "Ctrl+Shift+L", "mdi6.sitemap-outline",
                       lambda w: w.edits.auto_layout("layered")),
    "layout_force": ("&Force-Directed Layout", "Ctrl+Shift+F", "mdi6.graph-outline",
                     lambda w: w.edits.auto_layout("force")),
    # Help
    "shortcuts": ("&Keyboard Shortcuts", ("F1", "Ctrl+/"), "mdi6.keyboard-outline", lambda w: w.show_shortcuts()),
    "about": ("&About Cascade Board", None, None, lambda w: w.show_about()),
}

CANVAS_SCOPED = (
    "cut", "copy", "paste", "duplicate", "delete", "select_all", "rename", "connect", "health_none",
    "health_yellow", "health_red", "toggle_dashed", "toggle_critical", "quick_add", "quick_add_connected", "add_queue",
    "add_missing_queue", "add_loop", "add_cascade", "add_text", "add_sticky", "zoom_selection",
)
"""Actions whose keys (single letters, Delete, Ctrl+C...) act only while the canvas or the
outline has the focus, so the panels' tables and text fields keep those keys for typing."""

MENUS: dict[str, list[str | None]] = {
    "&File": ["new", "open", "recent", "import", None, "save", "save_as", "revert", "close", None, "export_pdf",
              "export_report", "export_all", "export_image", "export_selection", "export_diagram", None, "quit"],
    "&Edit": ["undo", "redo", None, "cut", "copy", "paste", "duplicate", "delete", None, "select_all", "rename",
              "connect", None, "health_none", "health_yellow", "health_red", "toggle_dashed", "toggle_critical"],
    "&View": ["zoom_in", "zoom_out", "zoom_reset", "zoom_fit", "zoom_selection", None, "snap", "grid", "dark",
              "full_screen", None, "layers", None, "docks"],
    "&Insert": ["quick_add", "quick_add_connected", "kinds", None, "add_queue", "add_missing_queue", "add_loop",
                "add_cascade", None, "add_text", "add_sticky"],
    "&Arrange": ["align_left", "align_hcenter", "align_right", "align_top", "align_vcenter", "align_bottom", None,
                 "distribute_x", "distribute_y", None, "layout_layered", "layout_force"],
    "&Help": ["shortcuts", None, "about"],
}
TOOLBAR = ["new", "open", "save", None, "undo", "redo", None, "quick_add", "connect", "delete", None,
           "zoom_in", "zoom_out", "zoom_fit", None, "layout_layered", "snap", "dark", None,
           "export_pdf", "export_image"]
GESTURES = [
    ("Double-click the canvas", "Add a node there and type its label"),
    ("Double-click a node or edge", "Edit its label in place (Enter keeps, Esc cancels)"),
    ("Drag from a node's rim or its blue handle", "Connect it to the node you drop on"),
    ("… and drop on empty canvas", "Add the called node there, connected, and name it"),
    ("Drag a kind from the palette", "Add a node of that kind"),
    ("Drag on empty canvas", "Select with a rubber band"),
    ("Ctrl-click", "Add to or remove from the selection"),
    ("Arrow keys (Shift: 1 px)", "Move the selected nodes"),
    ("Mouse wheel", "Zoom under the cursor (Shift: scroll sideways)"),
    ("Space-drag or middle button", "Pan"),
    ("Hover a loop sign", "Light up the loop's nodes and edges"),
    ("Alt+1 … Alt+9", "Show or hide a layer"),
    ("Letter keys, Delete, Ctrl+C/X/V/D/A", "Act on the canvas while it or the outline has the focus"),
]


def _icon(name: str | None, colour: str) -> Any:
    return cached_icon(name, color=colour) if name else None


def build_actions(window: ActionTarget) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}
    colour = window.icon_colour()
    main = window.widget()
    for name, (text, shortcut, icon, handler) in SPECS.items():
        action = QAction(text, main)
        action.setObjectName(f"action_{name}")
        if icon:
            action.setIcon(_icon(icon, colour))
            action.setData(icon)
        if shortcut is not None:
            keys = shortcut if isinstance(shortcut, tuple) else (shortcut,)
            sequences = [QKeySequence(k) for k in keys]
            action.setShortcuts(sequences)
        action.triggered.connect(lambda _checked=False, h=handler: h(window))
        if name in CANVAS_SCOPED:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            window.view.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            main.addAction(action)
        actions[name] = action
    for name in ("snap", "grid", "dark", "full_screen"):
        actions[name].setCheckable(True)
    undo = window.undo_stack.createUndoAction(main, "&Undo")
    undo.setShortcut(QKeySequence("Ctrl+Z"))
    undo.setIcon(_icon("mdi6.undo", colour))
    undo.setData("mdi6.undo")
    redo = window.undo_stack.createRedoAction(main, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    redo.setIcon(_icon("mdi6.redo", colour))
    redo.setData("mdi6.redo")
    for action in (undo, redo):
        main.addAction(action)
    actions["undo"], actions["redo"] = undo, redo
    for i, layer in enumerate(LAYER_NAMES):
        action = QAction(LAYER_TITLES[layer], main)
        action.setObjectName(f"action_layer_{layer}")
        action.setCheckable(True)
        action.setShortcut(QKeySequence(f"Alt+{i + 1}"))
        action.triggered.connect(lambda on, n=layer: window.editor.set_layers(**{n: on}))
        main.addAction(action)
        actions[f"layer_{layer}"] = action
    return actions


def build_menus(window: ActionTarget) -> dict[str, QMenu]:
    """The menu bar's menus, by plain lower-case name (``file``, ``edit``...)."""
    bar = window.widget().menuBar()
    menus: dict[str, QMenu] = {}
    for title, names in MENUS.items():
        menu = bar.addMenu(title)
        menu.setObjectName(f"menu_{title.strip('&').lower()}")
        menus[title.strip("&").lower()] = menu
        for name in names:
            if name is None:
                menu.addSeparator()
            elif name == "recent":
                recent = menu.addMenu("Open &Recent")
                recent.aboutToShow.connect(window.files.fill_recent_menu)
                window.files.recent_menu = recent
            elif name == "layers":
                layers = menu.addMenu("&Layers")
                for layer in LAYER_NAMES:
                    layers.addAction(window.action_set[f"layer_{layer}"])
            elif name == "docks":
                window.docks_menu = menu.addMenu("&Panels")
            elif name == "kinds":
                kinds = menu.addMenu("&Node")
                for kind in NODE_KINDS:
                    action = kinds.addAction(kind_icon(kind, window.icon_colour()), KIND_NAMES[kind])
                    action.triggered.connect(lambda _c=False, k=kind: window.view.add_node_at(
                        window.view.cursor_scene_pos(), k, KIND_NAMES[k], edit=True))
            else:
                menu.addAction(window.action_set[name])
    return menus


def build_toolbar(window: ActionTarget) -> QToolBar:
    toolbar = QToolBar("Main toolbar", window.widget())
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    for name in TOOLBAR:
        if name is None:
            toolbar.addSeparator()
        else:
            toolbar.addAction(window.action_set[name])
    return toolbar


def _keys(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())


def _text(action: QAction) -> str:
    text = action.text().replace("&", "")
    return next((verb for verb in ("Undo", "Redo") if text.startswith(verb)), text)


def _menu_rows(menu: QMenu, path: str, seen: set[int], rows: list[tuple[str, str, str]]) -> None:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            _menu_rows(sub, f"{path} → {sub.title().replace('&', '')}", seen, rows)
        elif not action.isSeparator() and action.shortcuts() and id(action) not in seen:
            seen.add(id(action))
            rows.append((path, _text(action), _keys(action)))


def shortcut_rows(window: ActionTarget, extra: list[tuple[str, list[tuple[str, str]]]] | None = None,
                  ) -> list[tuple[str, str, str]]:
    """``(menu, command, keys)`` for every action with a shortcut: generated from every menu
    of the menu bar (submenus included, in menu order), then the window's actions that no menu
    shows, then the ``extra`` key lists (``(group, [(keys, meaning)])``: presenter, ink keys)."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    main = window.widget()
    for entry in main.menuBar().actions():
        menu = entry.menu()
        if isinstance(menu, QMenu):
            _menu_rows(menu, menu.title().replace("&", ""), seen, rows)
    for action in [*main.actions(), *window.view.actions()]:
        if action.shortcuts() and id(action) not in seen:
            seen.add(id(action))
            rows.append(("Other", _text(action), _keys(action)))
    for group, keys in extra or []:
        rows.extend((group, meaning, key) for key, meaning in keys)
    return rows


def fill_context_menu(window: ActionTarget, menu: QMenu, item: Any, pos: QPointF) -> None:
    """Right-click: what applies to the clicked item, or adding at the spot."""
    collection = item.collection if item is not None else None
    if collection == "nodes":
        menu.addAction(window.action_set["rename"])
        health = menu.addMenu("Health")
        for name in ("health_none", "health_yellow", "health_red"):
            health.addAction(window.action_set[name])
        kind = menu.addMenu("Kind")
        for k in NODE_KINDS:
            action = kind.addAction(kind_icon(k, window.icon_colour()), KIND_NAMES[k])
            action.triggered.connect(lambda _c=False, value=k: window.edits.set_kind(value))
        menu.addAction(window.action_set["add_queue"])
        menu.addAction(window.action_set["add_missing_queue"])
        menu.addAction(window.action_set["connect"])
        menu.addSeparator()
        menu.addAction(window.action_set["duplicate"])
        menu.addAction(window.action_set["delete"])
    elif collection == "edges":
        menu.addAction(window.action_set["rename"])
        menu.addAction(window.action_set["toggle_dashed"])
        menu.addAction(window.action_set["toggle_critical"])
        menu.addAction(window.action_set["add_queue"])
        menu.addAction(window.action_set["add_missing_queue"])
        menu.addSeparator()
        menu.addAction(window.action_set["delete"])
    elif item is not None:
        menu.addAction(window.action_set["delete"])
    else:
        add = menu.addMenu("Add Node Here")
        for k in NODE_KINDS:
            action = add.addAction(kind_icon(k, window.icon_colour()), KIND_NAMES[k])
            action.triggered.connect(lambda _c=False, value=k: window.view.add_node_at(pos, value, KIND_NAMES[value],
                                                                                      edit=True))
        menu.addAction(window.action_set["paste"])
        menu.addSeparator()
        menu.addAction(window.action_set["select_all"])
        menu.addAction(window.action_set["zoom_fit"])
        menu.addAction(window.action_set["layout_layered"])
