"""Chapters of a recorded talk, from the steps' recorded start times.

A recording stamps when each step was first shown (seconds from "Start
recording"); those stamps are kept in ``Step.recorded_at_s``. This module
turns them into chapter lists for YouTube descriptions, WebVTT chapter
tracks and JSON. Qt-free, so the command line can export without a window.
See docs/recording.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from models.entities import Step, clock_seconds

FORMATS = ("youtube", "vtt", "json")
INTRODUCTION = "Introduction"
"""The title of the chapter before the first stamped step (YouTube wants one at 00:00)."""
DEFAULT_LAST_S = 60.0
"""How long the last chapter runs when neither an end nor a planned segment says."""


class ChapterError(ValueError):
    """Chapters cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class Chapter:
    start_s: float
    end_s: float
    title: str
    step: str | None = None
    code: str | None = None


def chapters(steps: Iterable[Step], stamps: Mapping[str, float] | None = None,
             end_s: float | None = None) -> list[Chapter]:
    """Chapters in time order. ``stamps`` (step id → seconds) override the
    steps' own ``recorded_at_s``; ``end_s`` is when the recording ended."""
    steps = list(steps)
    stamps = stamps or {}
    timed = [(stamps.get(s.id, s.recorded_at_s), s) for s in steps]
    stamped = sorted(((float(t), s) for t, s in timed if t is not None), key=lambda pair: pair[0])
    if not stamped:
        raise ChapterError("no step has a recorded start time: start recording, walk the steps, "
                           "then keep the recording times (or stop recording) and save")
    starts: list[tuple[float, str, Step | None]] = []
    if stamped[0][0] >= 1.0:
        starts.append((0.0, INTRODUCTION, None))
    starts += [(t, f"{s.code} {s.name}", s) for t, s in stamped]
    last_t, _, last_step = starts[-1]
    if end_s is None:
        planned = _planned_s(last_step) if last_step is not None else None
        end_s = last_t + (planned if planned is not None else DEFAULT_LAST_S)
    if end_s <= last_t:
        raise ChapterError(f"the recording ends ({clock(end_s)}) before its last chapter starts ({clock(last_t)})")
    result = []
    for i, (t, title, step) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else end_s
        result.append(Chapter(t, end, title, step.id if step else None, step.code if step else None))
    return result


def _planned_s(step: Step) -> float | None:
    if step.segment_start and step.segment_end:
        return float(clock_seconds(step.segment_end) - clock_seconds(step.segment_start))
    return None


def clock(seconds: float) -> str:
    """``MM:SS``, or ``H:MM:SS`` from an hour on (YouTube's chapter style)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"


def vtt_time(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def youtube(items: list[Chapter]) -> str:
    """One ``MM:SS Title`` line per chapter, for a video description."""
    return "".join(f"{clock(c.start_s)} {c.title}\n" for c in items)


def webvtt(items: list[Chapter]) -> str:
    """A WebVTT chapter track (``<track kind="chapters">``)."""
    cues = [f"{i}\n{vtt_time(c.start_s)} --> {vtt_time(c.end_s)}\n{c.title.replace('-->', '->')}\n"
            for i, c in enumerate(items, start=1)]
    return "WEBVTT\n\n" + "\n".join(cues)


def as_json(items: list[Chapter]) -> str:
    data = {"chapters": [{"start_s": c.start_s, "end_s": c.end_s, "start": clock(c.start_s), "title": c.title,
                          "step": c.step, "code": c.code} for c in items]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render(items: list[Chapter], fmt: str) -> str:
    """The chapters in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "youtube":
        return youtube(items)
    if fmt == "vtt":
        return webvtt(items)
    if fmt == "json":
        return as_json(items)
    raise ChapterError(f"unknown chapter format {fmt!r} (choose {', '.join(FORMATS)})")
