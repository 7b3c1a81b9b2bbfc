"""Gestures and tools on the canvas, one class each; see ``base.Interaction``."""

from app.ui.canvas.interactions.base import Interaction
from app.ui.canvas.interactions.connect import ConnectInteraction
from app.ui.canvas.interactions.pan import PanInteraction
from app.ui.canvas.interactions.quick_add import QuickAddInteraction
from app.ui.canvas.interactions.selection import MoveInteraction, RubberBandInteraction, SelectTool

__all__ = ["ConnectInteraction", "Interaction", "MoveInteraction", "PanInteraction", "QuickAddInteraction",
           "RubberBandInteraction", "SelectTool"]
