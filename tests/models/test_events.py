"""Plain-Python change events: listeners in order, once each, safe to change while emitting."""

from __future__ import annotations

from models.board import Board
from models.entities import Node
from models.events import Event


def test_listeners_are_called_in_connection_order_with_the_arguments():
    calls = []
    event = Event("node_added")
    event.connect(lambda *args: calls.append(("first", args)))
    event.connect(lambda *args: calls.append(("second", args)))
    event.emit("n1", 3)
    assert calls == [("first", ("n1", 3)), ("second", ("n1", 3))]


def test_a_listener_connected_twice_is_called_once_and_disconnect_is_forgiving():
    calls = []
    event = Event("changed")
    event.connect(calls.append)
    event.connect(calls.append)
    event.emit(1)
    assert calls == [1]
    event.disconnect(calls.append)
    event.disconnect(calls.append)  # not connected any more: nothing happens
    event.emit(2)
    assert calls == [1]


def test_a_listener_may_disconnect_itself_while_the_event_is_emitted():
    calls = []
    event = Event("changed")

    def once(value):
        calls.append(("once", value))
        event.disconnect(once)

    event.connect(once)
    event.connect(lambda value: calls.append(("always", value)))
    event.emit(1)
    event.emit(2)
    assert calls == [("once", 1), ("always", 1), ("always", 2)]


def test_repr_names_the_event_and_counts_listeners():
    event = Event("edge_removed")
    event.connect(print)
    assert repr(event) == "Event('edge_removed', 1 listeners)"


def test_the_board_emits_only_on_real_change():
    board = Board()
    seen = []
    board.events.node_changed.connect(lambda old, new: seen.append((old.label, new.label)))
    board.events.changed.connect(lambda: seen.append("changed"))
    board.add("nodes", Node(id="a", label="A"))
    assert seen == ["changed"]
    board.replace("nodes", Node(id="a", label="A"))  # the same value: no event
    assert seen == ["changed"]
    board.replace("nodes", Node(id="a", label="B"))
    assert seen == ["changed", ("A", "B"), "changed"]
