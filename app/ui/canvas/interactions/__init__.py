"""Gestures and tools on the canvas, one class each; see ``base.Interaction``.

A new tool (an ink pen, a laser) subclasses ``Interaction``, overrides the
hooks it needs (``mouse_press`` … ``wheel`` return True when they handled the
event, ``paint_foreground`` draws over the canvas, ``cleanup`` removes what it
drew) and is installed with ``view.set_tool(MyTool(view))``. It stays until Esc
(the default ``key_press``) or ``view.set_tool(None)`` brings ``SelectTool``
back; ``view.tool_changed`` tells toolbars. Space and the middle button pan
over any tool that does not take them. A drag inside a tool that needs its own
state can run as a gesture: ``view.start_gesture(interaction)``.
"""

from app.ui.canvas.interactions.base import Interaction
from app.ui.canvas.interactions.connect import ConnectInteraction
from app.ui.canvas.interactions.pan import PanInteraction
from app.ui.canvas.interactions.quick_add import QuickAddInteraction
from app.ui.canvas.interactions.selection import MoveInteraction, RubberBandInteraction, SelectTool

__all__ = ["ConnectInteraction", "Interaction", "MoveInteraction", "PanInteraction", "QuickAddInteraction",
           "RubberBandInteraction", "SelectTool"]
