"""Fit measured times to the simulation's distributions (docs/INTEROP.md, "Fitting").

Rule: both an exponential and a log-normal are fitted by maximum likelihood;
the one with the smaller Kolmogorov–Smirnov statistic D wins. With fewer than
``MIN_SAMPLES`` samples nothing is tested: an exponential with the sample mean
is used, and the notes say so.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from models.kinds import DistributionKind
from models.params import Distribution

MIN_SAMPLES = 5
FLOOR_MS = 0.001
"""Zero self-times are counted as this (a log-normal needs positive values)."""


@dataclass(frozen=True)
class Fit:
    distribution: Distribution
    samples: int
    ks_lognormal: float | None
    ks_exponential: float | None
    rule: str

    def describe(self) -> str:
        d = self.distribution
        shape = f"mean {d.mean_ms:.3g} ms" + (f", cv {d.cv:.3g}" if d.kind == DistributionKind.LOGNORMAL else "")
        if self.ks_lognormal is None or self.ks_exponential is None:
            return f"{d.kind} ({shape}) from {self.samples} sample(s); {self.rule}"
        critical = 1.36 / math.sqrt(self.samples)
        best = min(self.ks_lognormal, self.ks_exponential)
        verdict = "passes" if best <= critical else "fails"
        return (f"{d.kind} ({shape}) from {self.samples} samples; KS D log-normal {self.ks_lognormal:.3f}, "
                f"exponential {self.ks_exponential:.3f}; the smaller wins; {verdict} the 5 % KS test "
                f"(critical D {critical:.3f})")


def _ks(sorted_values: list[float], cdf: object) -> float:
    n = len(sorted_values)
    worst = 0.0
    for i, value in enumerate(sorted_values):
        f = cdf(value)  # type: ignore[operator]
        worst = max(worst, (i + 1) / n - f, f - i / n)
    return worst


def fit(samples_ms: list[float]) -> Fit:
    """The better of log-normal and exponential for ``samples_ms`` (at least one sample)."""
    values = sorted(max(v, FLOOR_MS) for v in samples_ms)
    mean = statistics.fmean(values)
    if len(values) < MIN_SAMPLES:
        return Fit(Distribution(kind=DistributionKind.EXPONENTIAL, mean_ms=round(mean, 4)), len(values), None, None,
                   f"fewer than {MIN_SAMPLES} samples: exponential with the sample mean, not tested")
    logs = [math.log(v) for v in values]
    mu = statistics.fmean(logs)
    sigma = math.sqrt(statistics.fmean([(x - mu) ** 2 for x in logs]))
    rate = 1.0 / mean
    d_exp = _ks(values, lambda x: 1.0 - math.exp(-rate * x))
    if sigma <= 0.0:
        d_log = _ks(values, lambda x: 0.0 if x < values[0] else 1.0)
    else:
        d_log = _ks(values, lambda x: 0.5 * (1.0 + math.erf((math.log(x) - mu) / (sigma * math.sqrt(2.0)))))
    rule = "the smaller KS statistic wins"
    if d_log <= d_exp:
        lognormal_mean = math.exp(mu + sigma**2 / 2.0)
        cv = min(math.sqrt(math.expm1(sigma**2)), 20.0)
        distribution = Distribution(kind=DistributionKind.LOGNORMAL, mean_ms=round(lognormal_mean, 4), cv=round(cv, 4))
    else:
        distribution = Distribution(kind=DistributionKind.EXPONENTIAL, mean_ms=round(mean, 4))
    return Fit(distribution, len(values), d_log, d_exp, rule)
