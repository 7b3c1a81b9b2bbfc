"""Chapters from recorded step times: YouTube lines, WebVTT, JSON (Qt-free)."""

from __future__ import annotations

import json

import pytest

from models.chapters import ChapterError, chapters, render
from models.entities import Step

STEPS = [
    Step(id="a", code="P02", name="Stakeholder Mapping", segment_start="02:00", segment_end="05:00"),
    Step(id="b", code="DE07", name="Bottleneck Identification", segment_start="05:00", segment_end="08:00"),
    Step(id="c", code="DE06", name="Failure Mode Analysis", segment_start="08:00", segment_end="11:00"),
]


def test_youtube_lines_start_with_an_introduction_at_zero():
    made = chapters(STEPS, {"a": 123.4, "b": 301.0, "c": 3725.0}, end_s=3900.0)
    assert render(made, "youtube") == ("00:00 Introduction\n02:03 P02 Stakeholder Mapping\n"
                                       "05:01 DE07 Bottleneck Identification\n1:02:05 DE06 Failure Mode Analysis\n")


def test_webvtt_chapters_run_from_start_to_the_next_start():
    made = chapters(STEPS, {"a": 0.0, "b": 301.5})
    assert render(made, "vtt") == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:05:01.500\nP02 Stakeholder Mapping\n\n"
        "2\n00:05:01.500 --> 00:08:01.500\nDE07 Bottleneck Identification\n"
    )


def test_json_chapters_carry_the_step():
    data = json.loads(render(chapters(STEPS, {"b": 10.0}, end_s=70.0), "json"))
    assert data["chapters"][1] == {"start_s": 10.0, "end_s": 70.0, "start": "00:10",
                                   "title": "DE07 Bottleneck Identification", "step": "b", "code": "DE07"}


def test_steps_own_times_are_used_when_no_stamps_are_given():
    steps = [STEPS[0].model_copy(update={"recorded_at_s": 0.0}), STEPS[1]]
    assert render(chapters(steps), "youtube") == "00:00 P02 Stakeholder Mapping\n"


def test_no_stamped_step_is_a_clear_message():
    with pytest.raises(ChapterError, match="no step has a recorded start time"):
        chapters(STEPS)


def test_an_end_before_the_last_start_is_refused():
    with pytest.raises(ChapterError, match=r"the recording ends \(01:00\) before its last chapter starts \(02:00\)"):
        chapters(STEPS, {"a": 120.0}, end_s=60.0)
