"""Presenting a board step by step: frames, reveal lists and the build plan.

A step may own a camera ``frame`` and a ``reveal`` list (element ids or
``layer:NAME``, in build order). Walking the steps goes through *build items*:
arriving at a step shows what earlier steps revealed, then each further item
reveals one more entry of the step's list. ``build_plan`` computes, for every
build item, the camera frame, the set of element ids revealed and the canvas
layers shown (the step's model's layers from the catalog, plus any
``layer:NAME`` revealed so far in the step), so the window only has to apply
it (view state: the board never changes). See docs/recording.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from models.board import Board
from models.catalog import Catalog
from models.document import LAYER_NAMES
from models.entities import LAYER_PREFIX, Annotation, Frame, Step

LAYER_COLLECTIONS: dict[str, tuple[str, ...]] = {
    "flows": ("flows",), "queues": ("queues",), "loops": ("loops",), "cascades": ("cascades",),
    "stages": ("stages",), "annotations": ("annotations",),
}
"""The drawn collections a ``layer:NAME`` reveal entry brings in (the other
layers restyle items rather than add them)."""

DRAWN = ("nodes", "edges", "queues", "loops", "cascades", "flows", "stages", "annotations")
"""What the canvas draws, one item per entity: what a reveal can show or hide."""

NODE_HALF = (75.0, 28.0)
"""Half a drawn node box (``app.visual.NODE_W``, ``NODE_H``): frames are checked against the drawing without Qt."""
FRAME_SLACK = 400.0
"""How far beyond the drawn nodes a frame may start and still count as on the board."""


@dataclass(frozen=True)
class BuildItem:
    """One click of a walk: step ``step_index`` with its first ``shown`` reveal entries."""

    step_index: int
    step_id: str
    shown: int
    frame: Frame | None
    visible: frozenset[str]
    layers: dict[str, bool]

    def drawn(self, board: Board) -> frozenset[str]:
        """The revealed elements whose layer is on at this item: what the canvas shows."""
        hidden_collections = {c for layer, cs in LAYER_COLLECTIONS.items() if not self.layers.get(layer, True)
                              for c in cs}
        shown = set()
        for entity_id in self.visible:
            found = board.find(entity_id)
            if found is not None and found[0] not in hidden_collections:
                shown.add(entity_id)
        return frozenset(shown)


def board_extent(board: Board) -> tuple[float, float, float, float] | None:
    """``(left, top, right, bottom)`` of the drawn nodes, or None for a board without nodes."""
    nodes = board.nodes
    if not nodes:
        return None
    return (min(n.x for n in nodes) - NODE_HALF[0], min(n.y for n in nodes) - NODE_HALF[1],
            max(n.x for n in nodes) + NODE_HALF[0], max(n.y for n in nodes) + NODE_HALF[1])


def frame_problem(board: Board, frame: Frame) -> str | None:
    """Why ``frame`` cannot be a step's frame on this board, or None when it can."""
    extent = board_extent(board)
    if extent is None:
        return None
    left, top, right, bottom = extent
    left, top, right, bottom = left - FRAME_SLACK, top - FRAME_SLACK, right + FRAME_SLACK, bottom + FRAME_SLACK
    if frame.x + frame.width < left or frame.x > right or frame.y + frame.height < top or frame.y > bottom:
        return (f"the frame ({frame.x:g}, {frame.y:g}, {frame.width:g} × {frame.height:g}) lies outside the "
                f"board, which spans ({extent[0]:g}, {extent[1]:g}) to ({extent[2]:g}, {extent[3]:g})")
    return None


def _anchors(board: Board, collection: str, entity: object) -> tuple[str, ...]:
    """The elements an element is drawn on: hidden anchors hide it too."""
    if collection == "edges":
        return (entity.source, entity.target)  # type: ignore[attr-defined]
    if collection == "queues":
        place = entity.node or entity.edge  # type: ignore[attr-defined]
        return (place,) if place else ()
    if collection in ("loops", "stages"):
        return tuple(entity.nodes)  # type: ignore[attr-defined]
    if collection == "flows":
        return tuple(h.node for h in entity.hops)  # type: ignore[attr-defined]
    if collection == "cascades":
        return tuple(entity.path)  # type: ignore[attr-defined]
    return ()


def exported_annotations(annotations: Iterable[Annotation], step_id: str | None = None) -> tuple[Annotation, ...]:
    """The annotations an export draws: those of no step and, when the export is of one step
    (``step_id``), that step's own. A whole-board picture never stacks the sticky notes and ink
    of every step on top of each other. Every exporter (PNG, SVG, the PDF diagram, the GIF)
    asks this one function. See docs/recording.md, "Exports"."""
    return tuple(note for note in annotations if note.step is None or note.step == step_id)


def _revealed_at(steps: tuple[Step, ...], board: Board) -> dict[str, tuple[int, int]]:
    """Element id → ``(step index, shown count)`` of the build item that first shows it.

    An element named by id appears where it is named; a ``layer:NAME`` entry
    brings in the elements of that layer that no list names by id.
    """
    first: dict[str, tuple[int, int]] = {}
    layers: list[tuple[str, tuple[int, int]]] = []
    for s, step in enumerate(steps):
        for k, entry in enumerate(step.reveal, start=1):
            if entry.startswith(LAYER_PREFIX):
                layers.append((entry[len(LAYER_PREFIX):], (s, k)))
            else:
                first.setdefault(entry, (s, k))
    for layer, place in layers:
        for collection in LAYER_COLLECTIONS.get(layer, ()):
            for entity in board.items(collection):
                first.setdefault(entity.id, place)
    return first


def visible_at(board: Board, revealed: dict[str, tuple[int, int]], step_index: int, shown: int,
               step_id: str) -> frozenset[str]:
    """The element ids shown at build item ``(step_index, shown)``."""
    here = (step_index, shown)
    visible: set[str] = set()
    for collection in DRAWN:  # anchors (nodes, edges) come before what is drawn on them
        for entity in board.items(collection):
            place = revealed.get(entity.id)
            if place is not None and place > here:
                continue
            if isinstance(entity, Annotation) and entity.step is not None and entity.step != step_id:
                continue  # ink belongs to its step
            if all(a in visible for a in _anchors(board, collection, entity)):
                visible.add(entity.id)
    return frozenset(visible)


def step_layers(board: Board, step: Step, shown: int, catalog: Catalog | None) -> dict[str, bool]:
    """The layers shown at a build item: the step's model's (else the board's), plus revealed layers."""
    model = catalog.get(step.code) if catalog is not None else None
    layers: dict[str, Any] = model.layer_settings() if model is not None else board.layers.model_dump()
    for entry in step.reveal[:shown]:
        if entry.startswith(LAYER_PREFIX) and entry[len(LAYER_PREFIX):] in LAYER_NAMES:
            layers[entry[len(LAYER_PREFIX):]] = True
    return {name: bool(layers[name]) for name in LAYER_NAMES}


def build_plan(board: Board, catalog: Catalog | None = None) -> list[BuildItem]:
    """Every build item of a walk through the board's steps, in order."""
    steps = board.steps
    revealed = _revealed_at(steps, board)
    plan: list[BuildItem] = []
    frame: Frame | None = None
    for s, step in enumerate(steps):
        frame = step.frame or frame
        for shown in range(len(step.reveal) + 1):
            plan.append(BuildItem(s, step.id, shown, frame, visible_at(board, revealed, s, shown, step.id),
                                  step_layers(board, step, shown, catalog)))
    return plan
