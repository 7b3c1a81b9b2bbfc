"""Recording a talk: a timed walk with a fake clock, the kept times, the
chapters (window and command line), the pace bar and the notes window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.cli import run
from app.ui.present.pace import pace_colour
from models.fileformat import save_path
from tests.app.ui.panels.helpers import OFFSCREEN_NOISE

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)]

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
ARRIVALS = {"step-de07": 303, "step-de06": 481, "step-de08": 662, "step-co03": 905, "step-co12": 1083,
            "step-re06": 1262, "step-sy04": 1441, "step-sy01": 1683, "step-sy19": 1925}
"""When the timed walk arrives at each step (seconds from Start recording)."""
END = 2105

YOUTUBE = """00:00 Introduction
02:03 P02 Stakeholder Mapping
05:03 DE07 Bottleneck Identification
08:01 DE06 Failure Mode Analysis
11:02 DE08 Information Flow Tracing
15:05 CO03 Pipeline / Flow Composition
18:03 CO12 Queues / Buffers
21:02 RE06 Feedback Loops
24:01 SY04 Cascades & Second-Order Effects
28:03 SY01 System Topology
32:05 SY19 Meta-Model Selection
"""

WEBVTT = """WEBVTT

1
00:00:00.000 --> 00:02:03.000
Introduction

2
00:02:03.000 --> 00:05:03.000
P02 Stakeholder Mapping

3
00:05:03.000 --> 00:08:01.000
DE07 Bottleneck Identification

4
00:08:01.000 --> 00:11:02.000
DE06 Failure Mode Analysis

5
00:11:02.000 --> 00:15:05.000
DE08 Information Flow Tracing

6
00:15:05.000 --> 00:18:03.000
CO03 Pipeline / Flow Composition

7
00:18:03.000 --> 00:21:02.000
CO12 Queues / Buffers

8
00:21:02.000 --> 00:24:01.000
RE06 Feedback Loops

9
00:24:01.000 --> 00:28:03.000
SY04 Cascades & Second-Order Effects

10
00:28:03.000 --> 00:32:05.000
SY01 System Topology

11
00:32:05.000 --> 00:35:05.000
SY19 Meta-Model Selection
"""


def timed_walk(qtbot, window, clock):
    """Walk every build item with the clicker keys while recording, on a fake clock."""
    recording = window.recording
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_W, CTRL_ALT)
    recording.walk.camera.setDuration(0)
    start = clock.now
    qtbot.keyClick(window.view, Qt.Key.Key_T, CTRL_ALT)  # Start recording: t = 0, on P02's empty board
    assert recording.session.recording
    assert recording.session.stamps == {}
    clock.advance(123)
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown)  # the first click builds P02: its chapter starts
    assert recording.session.stamps == {"step-p02": 123.0}
    plan = recording.walk.plan
    for item in plan[2:]:
        if item.shown == 0:
            clock.now = start + ARRIVALS[item.step_id]
        else:
            clock.advance(10)
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
        assert recording.session.current_id == item.step_id
    clock.now = start + END
    qtbot.keyClick(window.view, Qt.Key.Key_T, CTRL_ALT)  # Stop recording keeps the times (undoable)
    assert not recording.session.recording


def test_a_timed_walk_gives_exact_youtube_and_webvtt_chapters(qtbot, window, clock, tmp_path, monkeypatch):
    timed_walk(qtbot, window, clock)
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Keep recording times of 10 steps"
    assert window.board.get("steps", "step-sy04").recorded_at_s == 1441.0
    out = tmp_path / "chapters.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "YouTube chapters (*.txt)")))
    window.recording.actions["export_chapters"].trigger()
    assert out.read_text(encoding="utf-8") == YOUTUBE
    vtt = tmp_path / "chapters.vtt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(vtt), "WebVTT chapters (*.vtt)")))
    window.recording.actions["export_chapters"].trigger()
    assert vtt.read_text(encoding="utf-8") == WEBVTT
    # the kept times are in the file, so the command line exports the same chapters
    board_file = tmp_path / "recorded.cboard"
    save_path(window.board.document(), board_file, backup=False)
    cli_out = tmp_path / "cli.vtt"
    assert run(["export-chapters", str(board_file), "--format", "vtt", "-o", str(cli_out)]) == 0
    assert cli_out.read_text(encoding="utf-8") == WEBVTT
    # undo forgets the times again
    window.undo_stack.undo()
    assert window.board.get("steps", "step-sy04").recorded_at_s is None


def test_exporting_chapters_before_any_recording_says_what_to_do(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: asked.append(1) or ("", "")))
    window.recording.actions["export_chapters"].trigger()
    assert asked == []
    assert window.statusBar().currentMessage().startswith("Export chapters: no step has a recorded start time")


def test_the_pace_bar_turns_amber_at_90_percent_and_red_past_the_plan(qtbot, window, clock):
    pace = window.recording.pace
    session = window.recording.session
    session.start()
    clock.advance(150)  # P02 plans 3 minutes
    step, talk = pace.lines()
    assert (step.label, step.elapsed, step.planned) == ("Step P02", 150.0, 180.0)
    assert pace_colour(step.fraction) == "green"
    assert talk.planned == 35 * 60
    clock.advance(12)
    assert pace_colour(pace.lines()[0].fraction) == "orange"
    clock.advance(20)
    assert pace_colour(pace.lines()[0].fraction) == "red"
    assert pace.lines()[0].text == "Step P02  03:02 / 03:00"
    session.go_to("step-de07")
    clock.advance(30)
    assert pace.lines()[0].elapsed == 30.0
    assert pace.lines()[1].elapsed == 212.0
    session.stop()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_notes_window_follows_the_steps_both_ways(qtbot, window):
    recording = window.recording
    qtbot.keyClick(window.view, Qt.Key.Key_N, CTRL_ALT)
    notes = recording.notes
    qtbot.waitExposed(notes)
    assert notes.isWindow()
    assert notes.title.text() == "P02 · Stakeholder Mapping"
    assert notes.notes.text().startswith("Who cares about this system")
    assert notes.question.text() == window.panels.navigator.context.catalog.get("P02").question
    assert notes.next_label.text() == "Next: DE07 · Bottleneck Identification"
    assert notes.sequence.count() == 10
    # the main window moves, the notes follow
    window.activateWindow()
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert notes.title.text() == "DE07 · Bottleneck Identification"
    assert notes.sequence.currentRow() == 1
    # the notes window moves, the main window follows
    qtbot.keyClick(notes, Qt.Key.Key_PageDown)
    assert window.panels.navigator.current_step().code == "DE06"
    assert notes.title.text() == "DE06 · Failure Mode Analysis"
    qtbot.keyClick(notes, Qt.Key.Key_PageUp)
    qtbot.keyClick(notes, Qt.Key.Key_Left)
    assert window.panels.navigator.current_step().code == "P02"
    assert notes.position.text() == "Step 1 of 10"
    # with the walk on, the notes window's keys walk the build items
    qtbot.keyClick(window.view, Qt.Key.Key_W, CTRL_ALT)
    qtbot.keyClick(notes, Qt.Key.Key_Space)
    assert notes.build.text() == "Build 1 of 6"
    assert window.recording.walk.visible_ids() == {"users"}
    assert window.undo_stack.count() == 0
    assert not window.files.is_modified()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_the_notes_window_closes_with_the_main_window_and_a_new_board_ends_the_walk(qtbot, window, example_path):
    notes = window.recording.notes
    window.recording.actions["notes"].trigger()
    qtbot.waitExposed(notes)
    window.recording.walk.set_active(True)
    assert window.files.open_path(str(example_path))
    assert not window.recording.walk.active
    assert window.scene.board is window.board
    window.undo_stack.setClean()
    window.close()
    assert not notes.isVisible()
