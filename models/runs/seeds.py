"""One default seed, and the seed of each replication derived from it."""

from __future__ import annotations

import numpy as np

DEFAULT_SEED = 0
"""The base seed of every run nobody gave a seed to: the CLI, the window's
Simulation dock and Interventions panel, the PDF's measurements and the GIF."""

SEED_BITS = 63
"""Derived seeds are non-negative and fit in a signed 64-bit integer (and JSON)."""


def replication_seed(base_seed: int, index: int) -> int:
    """The seed of replication ``index`` (0-based) of a run with ``base_seed``.

    Replication 0 uses the base seed itself, so one replication is exactly the
    run ``--seed`` alone gives; the others come from NumPy's ``SeedSequence``
    spawned on ``(base_seed, index)`` (a negative base seed taken modulo 2**64), whose outputs are statistically
    independent streams and the same on every machine.
    """
    if index < 0:
        raise ValueError(f"a replication index is 0 or more, not {index}")
    if index == 0:
        return int(base_seed)
    sequence = np.random.SeedSequence(entropy=int(base_seed) % 2**64, spawn_key=(index,))
    word = int(sequence.generate_state(1, dtype=np.uint64)[0])
    return word >> (64 - SEED_BITS)


def replication_seeds(base_seed: int, count: int) -> list[int]:
    """The seeds of replications ``0 .. count - 1``."""
    return [replication_seed(base_seed, index) for index in range(count)]
