"""What-if sweeps: one or more board parameters varied over a range, every
point of the grid replicated like a comparison row (docs/runs.md).

A range is written ``PATH=FROM..TO:STEP``, for example
``nodes.engine.sim.workers=8..32:4`` (8, 12, ..., 32); ``:STEP`` may be left
out for a step of 1 (or -1 going down). Whole numbers give whole values.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
from dataclasses import dataclass

from models.document import BoardDocument
from models.errors import BoardError
from models.runs.jobs import Override, apply_overrides, current_value
from models.runs.metrics import METRICS
from models.runs.replicate import RunsResult, Variant

MAX_POINTS = 500
"""A sweep runs at most this many grid points (times the replications)."""
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^(?P<path>[^=\s]+)=(?P<start>{_NUMBER})\.\.(?P<stop>{_NUMBER})(?::(?P<step>{_NUMBER}))?$")


@dataclass(frozen=True)
class Range:
    """One varied parameter and the values it takes, in order."""

    path: str
    values: tuple[float | int, ...]


def _number(text: str) -> float | int:
    return int(text) if re.fullmatch(r"[-+]?\d+", text) else float(text)


def parse_range(text: str) -> Range:
    """``PATH=FROM..TO[:STEP]`` as a ``Range``; a ``BoardError`` says what is wrong."""
    found = _RANGE.match(text.strip())
    if found is None:
        raise BoardError(f"{text!r} is not PATH=FROM..TO:STEP (for example nodes.engine.sim.workers=8..32:4)")
    start, stop = _number(found["start"]), _number(found["stop"])
    step = _number(found["step"]) if found["step"] else (1 if stop >= start else -1)
    if step == 0 or not math.isfinite(step) or not (math.isfinite(start) and math.isfinite(stop)):
        raise BoardError(f"{text!r}: the step must be a finite number other than 0")
    if (stop - start) * step < 0:
        direction = "up" if stop > start else "down"
        raise BoardError(f"{text!r}: the step {step:g} has the wrong sign: {start:g} to {stop:g} goes {direction}")
    count = math.floor((stop - start) / step + 1e-9) + 1
    if count > MAX_POINTS:
        raise BoardError(f"{text!r}: {count} values; a sweep takes at most {MAX_POINTS}")
    whole = all(isinstance(v, int) for v in (start, stop, step))
    values = tuple(
        (start + i * step) if whole else round(start + i * step, 12) for i in range(count)
    )
    return Range(found["path"], values)


@dataclass(frozen=True)
class Sweep:
    """The ranges of a sweep; its points are their Cartesian product, first range slowest."""

    ranges: tuple[Range, ...]

    def points(self) -> list[tuple[float | int, ...]]:
        return list(itertools.product(*(r.values for r in self.ranges)))

    def variants(self, interventions: tuple[str, ...] = ()) -> list[Variant]:
        return [
            Variant(", ".join(f"{r.path}={v:g}" for r, v in zip(self.ranges, point, strict=True)), interventions,
                    tuple(Override(r.path, v) for r, v in zip(self.ranges, point, strict=True)))
            for point in self.points()
        ]


def check_sweep(document: BoardDocument, sweep: Sweep, interventions: tuple[str, ...] = ()) -> None:
    """Every path names a number on the board, no intervention overrides it, and
    every point gives a valid board; otherwise a ``BoardError`` naming the path."""
    if not sweep.ranges:
        raise BoardError("nothing to vary")
    paths = [r.path for r in sweep.ranges]
    twice = sorted({p for p in paths if paths.count(p) > 1})
    if twice:
        raise BoardError(f"{twice[0]!r} is varied twice")
    points = len(sweep.points())
    if points > MAX_POINTS:
        raise BoardError(f"{points} points in the grid; a sweep takes at most {MAX_POINTS}")
    for item in sweep.ranges:
        value = current_value(document, Override(item.path, 0))
        if isinstance(value, bool) or not (value is None or isinstance(value, int | float)):
            raise BoardError(f"{item.path!r} names no number (it is {type(value).__name__}); vary a numeric field")
        for intervention in document.interventions:
            if intervention.id not in interventions:
                continue
            for change in intervention.changes:
                if f"{change.target}.{change.path}" == item.path.split(".", 1)[1]:
                    raise BoardError(f"{item.path!r}: the intervention {intervention.id!r} sets it too, "
                                     "so the sweep would change nothing")
    for variant in sweep.variants(interventions):
        apply_overrides(document, variant.overrides)


def sweep_csv(result: RunsResult, sweep: Sweep) -> str:
    """One row per point: the varied values, N, base seed, and mean, half-width, n of every figure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = [r.path for r in sweep.ranges] + ["replications", "base_seed"]
    for metric in METRICS:
        columns += [metric.key, f"{metric.key}_half_width", f"{metric.key}_n"]
    writer.writerow([*columns, "not_recovered"])
    for point, runs in zip(sweep.points(), result.variants, strict=True):
        row: list[object] = [*point, result.replications, result.plan.base_seed]
        for metric in METRICS:
            found = runs.estimate(metric.key)
            row += ["", "", 0] if found is None else [found.mean, "" if found.half_width is None else found.half_width,
                                                     found.n]
        writer.writerow([*row, runs.not_recovered()])
    return buffer.getvalue()
