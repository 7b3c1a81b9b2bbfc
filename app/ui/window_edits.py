"""The window's edit verbs: what the Edit, Insert and Arrange menus and the
canvas keys do with the selection, all through the editor (one undo step each).
The main window owns one ``EditController`` as ``window.edits``."""

from __future__ import annotations

import itertools
import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QMimeData
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QMainWindow

from models.entities import Edge, Node
from models.errors import BoardError

if TYPE_CHECKING:
    from app.ui.canvas.scene import BoardScene
    from app.ui.canvas.view import BoardView
    from app.ui.editor import BoardEditor
    from app.ui.selection import SelectionModel
    from models.board import Board

FRAGMENT_MIME = "application/x-cascade-board-fragment"

class EditController:
    """The edit verbs on the window's board, selection and canvas."""

    def __init__(self, parent: QMainWindow, board: Board, editor: BoardEditor, selection: SelectionModel,
                 scene: BoardScene, view: BoardView) -> None:
        self._parent = parent
        self.board, self.editor, self.selection = board, editor, selection
        self.scene, self.view = scene, view
        self._paste_count = 0
        """How many times the clipboard was pasted: each paste lands a little further along."""

    def _status(self, text: str, timeout_ms: int = 0) -> None:
        self._parent.statusBar().showMessage(text, timeout_ms)

    def forget_paste(self) -> None:
        """A new document or a new copy: the next paste lands at the first offset again."""
        self._paste_count = 0

    # --- selection helpers -----------------------------------------------------------------

    def selected_nodes(self) -> list[str]:
        return [i for i in self.selection.ids if self.board.is_node(i)]

    def selected_edges(self) -> list[str]:
        return [i for i in self.selection.ids if (f := self.board.find(i)) and f[0] == "edges"]

    def prune_selection(self) -> None:
        """Whatever was deleted (on the canvas or in a panel) leaves the selection."""
        self.selection.prune({i for i in self.selection.ids if self.board.find(i) is not None})

    def reveal(self, entity_id: str) -> None:
        self.selection.select([entity_id])
        item = self.scene.item_for(entity_id)
        if item is not None and item.isVisible():
            self.view.centerOn(item)

    def _try(self, action: Any) -> Any:
        """Run an edit; a domain error goes to the status bar, not a traceback."""
        try:
            return action()
        except BoardError as error:
            self._status(str(error), 8000)
            return None

    # --- edit verbs ------------------------------------------------------------------------

    def select_all(self) -> None:
        self.selection.select(list(self.scene.entity_items()))

    def delete_selection(self) -> None:
        ids = [i for i in self.selection.ids if self.board.find(i)]
        if ids:
            self._try(lambda: self.editor.delete(ids))

    def rename_selection(self) -> None:
        ids = self.selection.ids
        if len(ids) == 1:
            self.view.edit_label(ids[0])

    def connect_selection(self) -> None:
        nodes = self.selected_nodes()
        if len(nodes) < 2:
            self._status("Select two nodes to connect (the first calls the second)", 5000)
            return

        def connect_all() -> list[str]:
            if len(nodes) == 2:
                return [self.editor.connect(nodes[0], nodes[1])]
            with self.editor.macro(f"Connect {len(nodes)} nodes"):
                return [self.editor.connect(a, b) for a, b in itertools.pairwise(nodes)]

        created = self._try(connect_all)
        if created:
            self.selection.select(created)

    def set_health(self, health: str) -> None:
        nodes = self.selected_nodes()
        if not nodes:
            return
        if len(nodes) == 1:
            self._try(lambda: self.editor.update("nodes", nodes[0], health=health))
            return
        with self.editor.macro(f"Mark {len(nodes)} nodes {health}"):
            for node_id in nodes:
                self._try(lambda n=node_id: self.editor.update("nodes", n, health=health))

    def set_kind(self, kind: str) -> None:
        nodes = self.selected_nodes()
        with self.editor.macro(f"Make {len(nodes)} nodes {kind}"):
            for node_id in nodes:
                self._try(lambda n=node_id: self.editor.update("nodes", n, kind=kind))

    def toggle_dashed(self) -> None:
        edges = self.selected_edges()
        if not edges:
            return
        style = "solid" if all(self.board.edge(e).style == "dashed" for e in edges) else "dashed"
        with self.editor.macro(f"Make {len(edges)} edge{'s' if len(edges) > 1 else ''} {style}"):
            for edge_id in edges:
                self.editor.update("edges", edge_id, style=style)

    def toggle_critical(self) -> None:
        edges = self.selected_edges()
        if not edges:
            return
        on = not all("critical" in self.board.edge(e).marks for e in edges)
        with self.editor.macro(f"{'Mark' if on else 'Unmark'} critical path on {len(edges)} edges"):
            for edge_id in edges:
                marks = [m for m in self.board.edge(edge_id).marks if m != "critical"]
                self.editor.update("edges", edge_id, marks=tuple(([*marks, "critical"]) if on else marks))

    def add_queue(self, exists: bool = True) -> None:
        targets = self.selected_nodes() + self.selected_edges()
        if not targets:
            self._status("Select a node or an edge to put a queue on", 5000)
            return
        created = []
        with self.editor.macro(f"Add {'' if exists else 'missing '}queue"):
            for target in targets:
                entity = self.board.node(target) if self.board.is_node(target) else self.board.edge(target)
                collection = "nodes" if isinstance(entity, Node) else "edges"
                if isinstance(entity, Edge):
                    name = entity.label or f"{entity.source} → {entity.target}"
                else:
                    name = entity.label
                fields: dict[str, Any] = {"name": f"{name} queue", "exists": exists,
                                          "node" if collection == "nodes" else "edge": target}
                if not exists:
                    fields["depth_limit"] = 1000
                    if isinstance(entity, Edge) and "missing_queue" not in entity.marks:
                        self.editor.update("edges", target, marks=(*entity.marks, "missing_queue"))
                created.append(self._try(lambda f=fields, t=target: self.editor.create("queues", f"q-{t}", **f)))
        self.selection.select([c for c in created if c])

    def add_loop(self) -> None:
        nodes = self.selected_nodes()
        if not nodes:
            self._status("Select the nodes the feedback loop runs through", 5000)
            return
        chosen = set(nodes)
        edges = [e.id for e in self.board.edges if e.source in chosen and e.target in chosen]
        name, ok = QInputDialog.getText(self._parent, "Feedback loop", "Name of the loop:", text="Feedback loop")
        if not ok or not name.strip():
            return
        loop_id = self._try(lambda: self.editor.create("loops", f"loop-{name}", name=name.strip(),
                                                       nodes=tuple(nodes), edges=tuple(edges)))
        if loop_id:
            self.selection.select([loop_id])

    def add_cascade(self) -> None:
        nodes = self.selected_nodes()
        if len(nodes) < 2:
            self._status("Select the nodes of the cascade in the order it spreads", 5000)
            return
        name, ok = QInputDialog.getText(self._parent, "Cascade", "Name of the cascade:", text="Cascade")
        if not ok or not name.strip():
            return
        first = self.board.node(nodes[0]).label
        cascade_id = self._try(lambda: self.editor.create("cascades", f"cascade-{name}", name=name.strip(),
                                                          trigger=f"{first} fails", path=tuple(nodes)))
        if cascade_id:
            self.selection.select([cascade_id])

    def add_annotation(self, kind: str) -> None:
        pos = self.view.cursor_scene_pos()
        text = "Note" if kind == "sticky" else "Text"
        note_id = self._try(lambda: self.editor.create("annotations", f"note-{kind}", kind=kind, x=round(pos.x()),
                                                       y=round(pos.y()), text=text,
                                                       color="#FFF59D" if kind == "sticky" else "#f5c518"))
        if note_id:
            self.selection.select([note_id])

    def align(self, how: str) -> None:
        self._try(lambda: self.editor.align(self.selected_nodes(), how))

    def distribute(self, axis: str) -> None:
        self._try(lambda: self.editor.distribute(self.selected_nodes(), axis))

    def auto_layout(self, kind: str) -> None:
        nodes = self.selected_nodes()
        self._try(lambda: self.editor.layout(kind, nodes if len(nodes) >= 2 else None))
        if len(nodes) < 2:
            self.view.zoom_to_fit()

    # --- clipboard -------------------------------------------------------------------------

    def copy(self) -> None:
        nodes = self.selected_nodes()
        if not nodes:
            return
        fragment = self.editor.copy_fragment(nodes)
        data = QMimeData()
        payload = json.dumps(fragment, ensure_ascii=False)
        data.setData(FRAGMENT_MIME, QByteArray(payload.encode()))
        data.setText("\n".join(self.board.node(n).label for n in nodes))
        QGuiApplication.clipboard().setMimeData(data)
        self.forget_paste()
        self._status(f"Copied {len(nodes)} node{'s' if len(nodes) != 1 else ''}", 3000)

    def cut(self) -> None:
        nodes = self.selected_nodes()
        if nodes:
            self.copy()
            self._try(lambda: self.editor.delete(nodes, text=f"Cut {len(nodes)} node{'s' if len(nodes) > 1 else ''}"))

    def paste(self) -> None:
        data = QGuiApplication.clipboard().mimeData()
        if data is None or not data.hasFormat(FRAGMENT_MIME):
            if data is not None and data.hasText() and data.text().strip():
                label = data.text().strip().splitlines()[0][:120]
                self.view.add_node_at(self.view.cursor_scene_pos(), "service", label)
            return
        try:
            fragment = json.loads(bytes(data.data(FRAGMENT_MIME).data()).decode())
        except ValueError:
            self._status("The clipboard holds nothing Cascade Board can paste", 5000)
            return
        self._paste_count += 1
        shift = 30.0 * self._paste_count
        created = self._try(lambda: self.editor.paste(fragment, (shift, shift)))
        if created:
            self.selection.select(created)

    def duplicate(self) -> None:
        nodes = self.selected_nodes()
        if not nodes:
            return
        fragment = self.editor.copy_fragment(nodes)
        text = f"Duplicate {len(nodes)} node{'s' if len(nodes) > 1 else ''}"
        created = self._try(lambda: self.editor.paste(fragment, (40.0, 40.0), text=text))
        if created:
            self.selection.select(created)

