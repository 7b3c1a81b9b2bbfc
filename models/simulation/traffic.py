"""Traffic profiles: the request rate over simulated time, the wall clock it
stands for, and the phase name the animation shows."""

from __future__ import annotations

import bisect
from collections.abc import Callable

from models.params import TrafficProfile

DAY_S = 86_400.0


def _clock_s(text: str) -> float:
    hours, minutes = text.split(":")
    return int(hours) * 3600.0 + int(minutes) * 60.0


class Traffic:
    """Rate (requests/s) and clock of one scenario's profile."""

    def __init__(self, profile: TrafficProfile, duration_s: float) -> None:
        self.profile = profile
        self.duration_s = duration_s
        self.clock_start = _clock_s(profile.clock_start)
        self.peak_start = _clock_s(profile.peak_start)
        self.peak_end = _clock_s(profile.peak_end)
        self.times = [t for t, _ in profile.points]
        self.rates = [rps for _, rps in profile.points]
        if profile.kind == "points":
            self.max_rps = max(self.rates)
        elif profile.kind == "constant":
            self.max_rps = profile.base_rps
        else:
            self.max_rps = max(profile.base_rps, profile.peak_rps)
        self.rate: Callable[[float], float] = getattr(self, f"_rate_{profile.kind}")

    def _rate_constant(self, t: float) -> float:
        return self.profile.base_rps

    def _rate_ramp(self, t: float) -> float:
        share = min(1.0, max(0.0, t / self.duration_s)) if self.duration_s > 0 else 1.0
        return self.profile.base_rps + (self.profile.peak_rps - self.profile.base_rps) * share

    def _window_share(self, t: float) -> float:
        """How far into the peak the clock is: 0 outside, 1 inside, between on ramps."""
        clock = (self.clock_start + t) % DAY_S
        start, end = self.peak_start, self.peak_end
        length = (end - start) % DAY_S
        into = (clock - start) % DAY_S
        if into >= length:
            return 0.0
        ramp = self.profile.ramp_s
        if ramp <= 0.0:
            return 1.0
        return max(0.0, min(1.0, into / ramp, (length - into) / ramp))

    def _rate_peak_window(self, t: float) -> float:
        share = self._window_share(t)
        return self.profile.base_rps + (self.profile.peak_rps - self.profile.base_rps) * share

    def _in_burst(self, t: float) -> bool:
        return self.profile.burst_at_s <= t < self.profile.burst_at_s + self.profile.burst_s

    def _rate_burst(self, t: float) -> float:
        return self.profile.peak_rps if self._in_burst(t) else self.profile.base_rps

    def _rate_points(self, t: float) -> float:
        times, rates = self.times, self.rates
        after = bisect.bisect_right(times, t)
        if after == 0:
            return rates[0]
        if after == len(times):
            return rates[-1]
        t0, t1 = times[after - 1], times[after]
        return rates[after - 1] + (rates[after] - rates[after - 1]) * (t - t0) / (t1 - t0)

    def clock(self, t: float) -> str:
        """The wall clock at simulated time ``t``, ``HH:MM``."""
        seconds = int((self.clock_start + t) % DAY_S)
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"

    def phase(self, t: float) -> str:
        """``peak``, ``ramp-up``, ``ramp-down``, ``off-peak``, ``burst``, ``ramp`` or ``steady``
        (a ``points`` profile: ramp-up, ramp-down or steady by its slope at ``t``)."""
        kind = self.profile.kind
        if kind == "constant":
            return "steady"
        if kind == "ramp":
            return "ramp"
        if kind == "burst":
            return "burst" if self._in_burst(t) else "steady"
        if kind == "points":
            slope = self._rate_points(t + 0.5) - self._rate_points(t - 0.5)
            return "ramp-up" if slope > 1e-9 else "ramp-down" if slope < -1e-9 else "steady"
        share = self._window_share(t)
        if share >= 1.0:
            return "peak"
        if share <= 0.0:
            return "off-peak"
        into = (self.clock_start + t - self.peak_start) % DAY_S
        return "ramp-up" if into < self.profile.ramp_s else "ramp-down"
